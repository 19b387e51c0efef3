import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findForm, textOf } from "../../support/world.ts";

/** Organisers see and set how long a programme's data is kept; nobody else may. */

let world: World;
beforeAll(async () => {
  world = await World.open("embedded", { retentionMonths: 24 });
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("the retention setting", () => {
  it("shows the default, the last activity and the day of deletion; a facilitator changes it and the sweep uses it", async () => {
    const programme = await world.programme("Kept programme");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.clock.set("2026-03-04T12:00:00Z");
    expect((await jo.say("suggest A quiet room", "channel")).error).toBeUndefined();

    const shown = await programme.facilitator.say("retention");
    expect(shown.error).toBeUndefined();
    const text = textOf(shown.private);
    expect(text).toContain("until 2 years after the last thing anyone did in it");
    expect(text).toContain("(the usual setting)");
    expect(text).toContain("4 March 2026");
    expect(text).toContain("4 March 2028");

    const form = findForm(shown.private, "retention");
    const saved = await programme.facilitator.press(form.submit, { months: "6" });
    expect(saved.error).toBeUndefined();
    expect(textOf(saved.private)).toContain("for 6 months after the last thing anyone did");
    expect(textOf(saved.replaceSource)).toContain("4 September 2026");
    expect(await world.prisma.auditEntry.count({ where: { action: "programme.retention.set", actorId: programme.facilitator.id } })).toBe(1);

    // The sweep uses the new setting: kept a minute before, deleted at the six months.
    world.clock.set("2026-09-04T11:59:00Z");
    await world.tick();
    expect(await world.prisma.programme.count()).toBe(1);
    world.clock.set("2026-09-04T12:00:00Z");
    await world.tick();
    expect(await world.prisma.programme.count()).toBe(0);
  });

  it("refuses a period that would delete everything at once, and people who are not organisers", async () => {
    const programme = await world.programme("Quiet programme");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const eve = await world.person(programme, "Eve", "evaluator");
    world.clock.set("2026-03-04T12:00:00Z");
    await jo.say("suggest A quiet room", "channel");
    world.clock.set("2026-10-01T12:00:00Z");
    const form = findForm((await programme.facilitator.say("retention")).private, "retention");
    const refused = await programme.facilitator.press(form.submit, { months: "6" });
    expect(refused.error?.code).toBe("invalid_input");
    expect(textOf(refused.private)).toContain("would be deleted at once");
    expect((await programme.facilitator.press(form.submit, { months: "0" })).error?.code).toBe("invalid_input");
    expect((await world.prisma.programme.findFirstOrThrow()).retentionMonths).toBeNull();

    for (const person of [jo, eve]) {
      expect((await person.say("retention")).error?.code).toBe("not_allowed");
      expect((await person.press(form.submit, { months: "84" })).error?.code).toBe("not_allowed");
    }
    expect((await world.prisma.programme.findFirstOrThrow()).retentionMonths).toBeNull();
  });
});
