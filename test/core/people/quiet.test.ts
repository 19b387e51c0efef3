import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf } from "../../support/world.ts";
import { whoIsQuiet } from "../../../src/people/quiet.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("quiet members, for a facilitator to check in kindly", () => {
  it("lists people who have done nothing for the weeks chosen, counts paused and withdrawn people without naming them, and messages nobody", async () => {
    const programme = await world.programme("Carers' support review");
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ann = await world.person(programme, "Ann", "expert_by_experience");
    const pat = await world.person(programme, "Pat", "professional");
    const kim = await world.person(programme, "Kim", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience");
    await world.person(programme, "Eve", "evaluator");
    await pat.say("suggest Meet in the library");

    world.clock.set("2026-04-13T09:00:00Z"); // six weeks on
    await jo.say("suggest Evening panels");
    await kim.say("pause");
    await sam.say("withdraw");
    world.messenger.clear();

    const list = textOf((await fac.say("quiet")).private);
    expect(list).toContain("People who have not taken part for 4 weeks or more");
    expect(list).toContain("Ann (Expert by experience): Has not taken part since joining on 2 March 2026");
    expect(list).toContain("Pat (Professional): Last took part on 2 March 2026");
    for (const name of ["Jo", "Kim", "Sam", "Eve", "Facilitator 1"]) expect(list).not.toContain(`${name} (`);
    expect(list).toContain("1 person has paused their messages");
    expect(list).toContain("1 person has stopped taking part");
    expect(list).toContain("we have not heard from you for a while");
    expect(list).toContain("does not message these people");
    // The promise: wesaid does not message them.
    for (const person of [ann, pat, kim, sam]) expect(person.inbox()).toHaveLength(0);

    expect(textOf((await fac.say("quiet 1")).private)).toContain("People who have not taken part for 1 week or more");
    const longer = (await fac.say("quiet 8 weeks")).private;
    expect(textOf(longer)).toContain("Everyone has taken part in the last 8 weeks.");
    expect(textOf((await fac.press(findButton(longer, "4 weeks").call)).private)).toContain("Ann (Expert by experience)");
  });

  it("is only for organisers, and a wrong number of weeks gets a polite answer", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const refused = await jo.say("quiet");
    expect(refused.error?.code).toBe("not_allowed");
    const wrong = await programme.facilitator.say("quiet lots");
    expect(wrong.error?.code).toBe("invalid_input");
    expect(textOf(wrong.private)).toMatch(/Weeks/);
    expect(textOf((await jo.say("help")).private)).not.toContain("quiet [weeks]");
    expect(textOf((await programme.facilitator.say("help")).private)).toContain("quiet [weeks]");
  });
});

describe("whoIsQuiet (the rule)", () => {
  const now = new Date("2026-05-01T00:00:00Z");
  const week = 7 * 24 * 3600 * 1000;
  const member = (personId: string, joinedWeeksAgo: number, extra: Partial<{ pausedAt: Date; withdrew: boolean }> = {}) => ({
    personId,
    name: personId,
    role: "expert_by_experience" as const,
    joinedAt: new Date(now.getTime() - joinedWeeksAgo * week),
    pausedAt: extra.pausedAt ?? null,
    withdrew: extra.withdrew ?? false,
  });

  it("counts from joining, takes the latest activity, and lists the longest quiet first", () => {
    const last = new Map([
      ["a", new Date(now.getTime() - 5 * week)],
      ["b", new Date(now.getTime() - 3 * week)],
      ["c", new Date(now.getTime() - 9 * week)],
    ]);
    const list = whoIsQuiet([member("a", 10), member("b", 10), member("c", 10), member("new", 2), member("d", 6)], last, now, 4);
    expect(list.quiet.map((q) => q.name)).toEqual(["c", "d", "a"]);
    expect(list.quiet.find((q) => q.name === "d")?.lastTookPart).toBeNull();
    expect(whoIsQuiet([member("a", 10)], last, now, 5).quiet.map((q) => q.name)).toEqual(["a"]); // exactly 5 weeks counts
  });
});
