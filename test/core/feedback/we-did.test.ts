import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf } from "../../support/world.ts";
import { cast as castIn } from "./helpers.ts";

/** "We did" updates move the ideas they answer; a raiser's "partly" or "no" goes back to the owner and the facilitators. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const cast = () => castIn(world);
const item = (programmeId: string, number: number) => world.prisma.feedbackItem.findUniqueOrThrow({ where: { programmeId_number: { programmeId, number } } });

describe("a 'we did' update changes the ideas it answers", () => {
  it("marks each idea done unless it is still being worked on, and answered ideas no longer wait for a first reply", async () => {
    const { programme, priya, jo, ali, sam } = await cast();
    await jo.say("suggest Evening panels");
    await ali.say("suggest Papers a week before");
    await sam.say("suggest Bus fares paid");
    world.clock.advanceHours(5);

    const reply = await priya.say("update #1 still #2 We moved the panel to evenings and are asking about papers");
    expect(reply.error).toBeUndefined();
    expect(textOf(reply.private)).toContain("It answers #1, #2. #2 is still being worked on; the others are marked done.");

    const [one, two, three] = [await item(programme.id, 1), await item(programme.id, 2), await item(programme.id, 3)];
    expect(one).toMatchObject({ status: "done", closedAt: world.clock.now(), firstRespondedAt: world.clock.now() });
    expect(two).toMatchObject({ status: "agreed", closedAt: null, firstRespondedAt: world.clock.now() });
    // The idea no update answered is still waiting.
    expect(three).toMatchObject({ status: "received", firstRespondedAt: null });
    const history = await world.prisma.feedbackStatusChange.findMany({ where: { itemId: { in: [one.id, two.id] } }, orderBy: { changedAt: "asc" } });
    expect(history.filter((h) => h.from).map((h) => [h.itemId === one.id ? 1 : 2, h.from, h.to])).toEqual(expect.arrayContaining([[1, "received", "done"], [2, "received", "agreed"]]));
    const links = await world.prisma.feedbackUpdateItem.findMany();
    expect(links.map((l) => [l.itemId === one.id ? 1 : 2, l.outcome]).sort()).toEqual([[1, "done"], [2, "working"]]);

    // The channel and the people who raised them are told which.
    expect(textOf(world.messenger.toChannel(programme.channel).at(-1))).toContain('You said (#2): "Papers a week before" We are still working on it.');
    expect(textOf(jo.lastMessage())).toContain("Your idea is now marked done.");
    expect(textOf(ali.lastMessage())).toContain("Your idea is agreed, and work is under way.");
  });

  it("lets the poster choose done or still working on it in the form on an idea", async () => {
    const { programme, priya, jo } = await cast();
    await jo.say("suggest Evening panels");
    const detail = await priya.say("idea #1");
    const form = findForm(detail.private, `update-${(await item(programme.id, 1)).id}`);
    expect(form.inputs.find((i) => i.id === "outcome")).toMatchObject({ kind: "single", initial: "done" });
    const posted = await priya.press(form.submit, { text: "We asked the venue about evenings", outcome: "working" });
    expect(posted.error).toBeUndefined();
    expect(await item(programme.id, 1)).toMatchObject({ status: "agreed", firstRespondedAt: world.clock.now() });
  });
});

describe("when the person who raised an idea says an update did not fully answer it", () => {
  it("opens the idea again and tells its owner and the facilitators, with the comment and the role, never the name", async () => {
    const { programme, fac, priya, jo, ali, sam } = await cast();
    await jo.say("suggest Evening panels so carers can come");
    await priya.press({ action: "feedback.assign", args: { item: "1", ownerExternalId: "me", dueInDays: "14" } });
    await priya.say("update #1 We moved one panel to the evening");
    expect((await item(programme.id, 1)).status).toBe("done");
    const ask = jo.lastMessage();
    world.messenger.clear();
    world.clock.advanceHours(2);

    const pressed = await jo.press(findButton(ask, "Partly").call);
    const saved = await jo.press(findForm(pressed.replaceSource).submit, { comment: "Only one panel moved, the others are still in the day" });
    expect(saved.error).toBeUndefined();

    const idea = await item(programme.id, 1);
    expect(idea).toMatchObject({ status: "agreed", closedAt: null });
    const last = await world.prisma.feedbackStatusChange.findFirstOrThrow({ where: { itemId: idea.id }, orderBy: { changedAt: "desc" } });
    expect(last).toMatchObject({ from: "done", to: "agreed", reason: "The person who raised it said the update only partly answered it." });

    const rows = await world.prisma.outboxMessage.findMany({ where: { purpose: "feedback.not_answered" } });
    // The answer tells them at once; the comment sent after it tells them again, with the comment.
    expect(rows.map((r) => r.personId).sort()).toEqual([priya.id, priya.id, fac.id, fac.id].sort());
    for (const person of [priya, fac]) {
      const notice = textOf(person.lastMessage());
      expect(notice).toContain("Idea #1: the update only partly answered it");
      expect(notice).toContain("An Expert by experience raised this idea");
      expect(notice).toContain('Their comment: "Only one panel moved, the others are still in the day"');
      expect(person.inbox().some((m) => textOf(m).includes("So the idea is open again"))).toBe(true);
      expect(notice).not.toContain("Jo");
    }
    for (const other of [ali, sam, jo]) expect(other.inbox().some((m) => textOf(m).includes("only partly answered it"))).toBe(false);

    // Sending the same answer again tells nobody twice.
    await jo.press(findForm(pressed.replaceSource).submit, { comment: "Only one panel moved, the others are still in the day" });
    expect(await world.prisma.outboxMessage.count({ where: { purpose: "feedback.not_answered" } })).toBe(4);
  });

  it("flags an idea still being worked on without changing it, and says nothing more for a yes", async () => {
    const { programme, fac, priya, jo, ali } = await cast();
    await jo.say("suggest Evening panels");
    await ali.say("suggest Papers a week before");
    await priya.say("update #2 still #1 We are looking at evenings and sent the papers early");
    const [joAsk, aliAsk] = [jo.lastMessage(), ali.lastMessage()];
    world.messenger.clear();

    await jo.press(findButton(joAsk, "No").call);
    expect((await item(programme.id, 1)).status).toBe("agreed");
    const notice = textOf(fac.lastMessage());
    expect(notice).toContain("Idea #1: the update did not answer it");
    expect(notice).toContain("They did not add a comment.");
    expect(notice).toContain("The idea is agreed, and work is under way.");
    // Nobody looks after #1, so only the facilitators are told.
    expect((await world.prisma.outboxMessage.findMany({ where: { purpose: "feedback.not_answered" } })).map((r) => r.personId)).toEqual([fac.id]);

    await ali.press(findButton(aliAsk, "Yes, it answers what I said").call);
    expect((await item(programme.id, 2)).status).toBe("done");
    expect(await world.prisma.outboxMessage.count({ where: { purpose: "feedback.not_answered" } })).toBe(1);
    void priya;
  });
});
