import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";

// Ideas sent at the same moment are all stored, numbered 1, 2, 3 ... with no gaps and no repeats.
describe.each(backends())("numbering ideas sent at once on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("stores 100 ideas sent at the same moment in one programme, numbered 1 to 100", { timeout: 120_000 }, async () => {
    const programme = await world.programme();
    const people: TestPerson[] = [];
    for (let i = 0; i < 10; i++) people.push(await world.person(programme, `Person ${i}`, "expert_by_experience"));
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        world.core.handle({ platform: "local", user: { externalId: people[i % 10]!.externalId }, place: { kind: "direct" }, input: { kind: "command", text: `suggest Idea number ${i}` } }),
      ),
    );
    expect(replies.filter((r) => r.error).map((r) => r.error?.code)).toEqual([]);
    const items = await world.prisma.feedbackItem.findMany({ where: { programmeId: programme.id }, orderBy: { number: "asc" } });
    expect(items).toHaveLength(100);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(items.map((i) => i.text)).size).toBe(100);
    // Each person was thanked with the number their idea really got.
    const thanked = replies.map((r) => JSON.stringify(r.private)).join("\n");
    for (const n of [1, 50, 100]) expect(thanked).toContain(`#${n}`);
  });

  it("carries on from the highest number when ideas already exist", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await jo.say("suggest First idea");
    await jo.say("suggest Second idea");
    await world.prisma.programme.update({ where: { id: programme.id }, data: { lastItemNumber: 7 } });
    await jo.say("suggest Third idea");
    const numbers = (await world.prisma.feedbackItem.findMany({ where: { programmeId: programme.id }, orderBy: { number: "asc" } })).map((i) => i.number);
    expect(numbers).toEqual([1, 2, 8]);
  });
});
