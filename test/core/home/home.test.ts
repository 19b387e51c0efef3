import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf } from "../../support/world.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import { suggest } from "../../../src/feedback/index.ts";
import { createTaster } from "../../../src/tasters/index.ts";
import { createLearningSet } from "../../../src/panels/index.ts";
import { DAY, HOUR } from "../../../src/clock.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("a person's home page", () => {
  it("shows open questions, their ideas, upcoming tasters and settings, with buttons that work", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ladder_check", { cron: "0 10 * * 1", timeZone: "Europe/London" });
    await suggest(world.ctx, { personId: jo.id, programmeId: programme.id, role: "expert_by_experience", text: "Meet in the evening sometimes" });
    await createTaster(world.ctx, programme.facilitator.id, {
      programmeId: programme.id,
      title: "Try a listening event",
      whatToExpect: "An hour of tea and talk about carers' services.",
      audienceRoles: ["expert_by_experience"],
      startsAt: new Date(world.clock.now().getTime() + 10 * DAY),
      endsAt: new Date(world.clock.now().getTime() + 10 * DAY + HOUR),
      location: "Library",
      capacity: 4,
    });
    world.clock.set("2026-03-09T10:00:00Z");
    await world.tick();

    const page = (await jo.say("home")).private;
    const words = textOf(page);
    expect(words).toContain("Hello, Jo");
    expect(words).toContain("Carers' support review");
    expect(words).toContain("#1 Meet in the evening sometimes: waiting to be looked at.");
    expect(words).toContain("Try a listening event");
    expect(words).toContain("4 places left.");
    expect(words).toContain("21:00 to 08:00");

    // Answer now opens the questions privately; Sign up books a place.
    const questions = (await jo.press(findButton(page, "Answer now").call)).private;
    expect(questions?.blocks.some((b) => b.kind === "form")).toBe(true);
    await jo.press(findButton(page, "Sign up").call);
    expect(textOf((await jo.press({ action: "home.view", args: {} })).private)).toContain("You have a place.");
  });

  it("lists a member's learning sets with the next meeting, and a facilitator's sets with places left and people waiting", async () => {
    const programme = await world.programme("Carers' support review");
    const [jo, ali, sam] = await Promise.all(["Jo", "Ali", "Sam"].map((n) => world.person(programme, n, "expert_by_experience")));
    expect(textOf((await jo!.say("home")).private)).toContain("You are not in a learning set. Type learning-set to see the groups you can join.");
    const set = await createLearningSet(world.ctx, programme.facilitator.id, { programmeId: programme.id, name: "Carers' learning set", first: "2026-03-10 10:00", howOften: "every month", meetings: "3", capacity: "2" });
    for (const p of [jo!, ali!, sam!]) await p.press({ action: "learningset.join", args: { setId: set.id } });

    expect(textOf((await jo!.say("home")).private)).toContain("Carers' learning set: Next meeting: Tuesday 10 March, 10am. You are in this group.");
    expect(textOf((await sam!.say("home")).private)).toContain("You are number 1 on the waiting list.");
    const facilitators = (await programme.facilitator.say("home")).private;
    expect(textOf(facilitators)).toContain("Learning sets you run");
    expect(textOf(facilitators)).toContain("Carers' learning set: Next meeting: Tuesday 10 March, 10am. Full. 1 waiting.");
    expect(textOf((await jo!.say("home")).private)).not.toContain("Learning sets you run");

    // A place freed is offered: the person offered takes it from their home page, and the next meeting moves on after the first.
    await ali!.press({ action: "learningset.leave", args: { setId: set.id } });
    await sam!.press(findButton((await sam!.say("home")).private, "Take the place").call);
    expect(textOf((await sam!.say("home")).private)).toContain("You are in this group.");
    world.clock.set("2026-03-11T09:00:00Z");
    expect(textOf((await programme.facilitator.say("home")).private)).toContain("Next meeting: Friday 10 April, 10am. Full. Nobody waiting.");
    const change = findButton((await programme.facilitator.say("home")).private, "Change this group");
    expect(textOf((await programme.facilitator.press(change.call)).private)).toContain("Change Carers' learning set");
  });

  it("explains how to join to someone who is in no programme", async () => {
    const reply = await world.core.handle({ platform: "local", user: { externalId: "U-new" }, place: { kind: "direct" }, input: { kind: "action", action: "home.view", args: {} } });
    expect(reply.error?.code).toBe("not_a_member");
    expect(textOf(reply.private)).toContain("join");
  });
});
