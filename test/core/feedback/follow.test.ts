import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf } from "../../support/world.ts";
import { exportPersonData } from "../../../src/people/my-data.ts";
import { cast as castIn } from "./helpers.ts";

/** "This matters to me too": following an idea someone else raised, and being told what happens to it. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const cast = () => castIn(world);
const post = (programme: { channel: string }) => world.messenger.toChannel(programme.channel).at(-1);
const actionsOn = (msg: ReturnType<typeof post>) => msg!.blocks.flatMap((b) => (b.kind === "buttons" ? b.buttons.map((x) => x.call.action) : b.kind === "form" ? [b.submit.action] : []));

describe("following an idea someone else raised", () => {
  it("keeps one follow per person, tells followers of each status change and of the 'we did', and stops when they unfollow", async () => {
    const { programme, priya, jo, ali, sam } = await cast();
    await jo.say("suggest Evening panels so carers can come");
    const notice = post(programme);
    expect(actionsOn(notice)).toEqual(["feedback.follow"]);
    const follow = findButton(notice, "This matters to me too").call;

    const first = await ali.press(follow, {}, "channel");
    expect(textOf(first.private)).toContain("Thank you. Idea #1 matters to you too. We will tell you what happens to it.");
    expect(textOf(await ali.press(follow, {}, "channel").then((r) => r.private))).toContain("You already follow idea #1");
    expect(textOf((await jo.press(follow, {}, "channel")).private)).toContain("Idea #1 is your own idea");
    await sam.press(follow, {}, "channel");
    expect(await world.prisma.ideaFollower.findMany({ select: { personId: true, role: true }, orderBy: { role: "asc" } })).toEqual([
      { personId: ali.id, role: "expert_by_experience" },
      { personId: sam.id, role: "professional" },
    ]);

    world.messenger.clear();
    await priya.press({ action: "feedback.status", args: { item: "#1", status: "considering" } });
    expect(textOf(ali.lastMessage())).toContain("Idea #1, which matters to you, is now being looked at.");
    expect(textOf(sam.lastMessage())).toContain("Idea #1, which matters to you, is now being looked at.");
    expect(textOf(jo.lastMessage())).toContain("Your idea #1 is now being looked at");
    expect(priya.inbox()).toHaveLength(0);

    // Sam stops following; Ali hears about the "we did", once, and is not asked the raiser's question.
    expect(textOf((await sam.press(findButton(sam.lastMessage(), "Stop following this idea").call)).private)).toContain("You no longer follow idea #1");
    world.messenger.clear();
    const update = await priya.say("update #1 We moved the panel to the evening");
    expect(textOf(update.private)).toContain("We have asked 1 person");
    expect(ali.inbox()).toHaveLength(1);
    expect(textOf(ali.lastMessage())).toContain("News about idea #1, which matters to you");
    expect(textOf(ali.lastMessage())).toContain("We did: We moved the panel to the evening");
    expect(actionsOn(ali.lastMessage())).not.toContain("feedback.react");
    expect(sam.inbox()).toHaveLength(0);
    expect(textOf(jo.lastMessage())).toContain("Does this answer what you said?");

    // My data shows what they follow.
    const mine = await exportPersonData(world.prisma, ali.id);
    expect(mine.ideasYouFollow).toMatchObject([{ number: 1, text: "Evening panels so carers can come", status: "done" }]);
  });

  it("stores nothing for someone who has not said yes to taking part", async () => {
    const { programme, jo } = await cast();
    const kim = await world.person(programme, "Kim", "expert_by_experience", { consent: false });
    await jo.say("suggest Evening panels");
    const reply = await kim.press(findButton(post(programme), "This matters to me too").call, {}, "channel");
    expect(reply.error?.code).toBe("no_consent");
    expect(await world.prisma.ideaFollower.count()).toBe(0);
  });

  it("gives the controls to people who manage ideas in their own view, never in the channel", async () => {
    const { programme, priya, jo } = await cast();
    await jo.say("suggest Evening panels");
    expect(textOf(post(programme))).toContain("type idea #1 to look after it");
    const own = await priya.say("idea #1");
    expect(findButton(own.private, "We are looking at it").call).toMatchObject({ action: "feedback.status", args: { status: "considering" } });
    const asParticipant = await jo.say("idea #1");
    expect(asParticipant.private!.blocks.some((b) => b.kind === "buttons" || b.kind === "form")).toBe(false);
  });
});
