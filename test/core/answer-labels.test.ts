import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, textOf, type TestPerson } from "../support/world.ts";
import { DAY, HOUR } from "../../src/clock.ts";
import type { Role } from "../../src/roles.ts";

/**
 * The promise: the facilitators' answer view and panel summaries name a role
 * only where at least MIN_GROUP_SIZE (5) people of that role were asked (sent
 * the questions, or on the panel); otherwise the answer says "Someone".
 */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

type Programme = Awaited<ReturnType<World["programme"]>>;

async function people(programme: Programme, role: Role, names: string[]): Promise<TestPerson[]> {
  const list: TestPerson[] = [];
  for (const name of names) list.push(await world.person(programme, name, role));
  return list;
}

describe("role labels on single answers", () => {
  it("the answer view names experts (5 asked) but says Someone for the only commissioner asked", async () => {
    const programme = await world.programme();
    const experts = await people(programme, "expert_by_experience", ["Ann", "Ben", "Cat", "Dan", "Eli"]);
    const [colm] = await people(programme, "commissioner", ["Colm"]);
    const series = await world.prisma.promptSeries.create({
      data: {
        programmeId: programme.id,
        title: "Weekly check-in",
        audienceRoles: ["expert_by_experience", "commissioner"],
        cron: "0 10 * * 2",
        timeZone: "Europe/London",
        questions: { create: [{ position: 1, kind: "text", text: "What went well this week?" }] },
      },
      include: { questions: true },
    });
    const when = world.clock.now();
    const occurrence = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * DAY) } });
    const answeredAt = new Date(when.getTime() + HOUR);
    const asked = [...experts.map((p) => ({ p, role: "expert_by_experience" as Role })), { p: colm!, role: "commissioner" as Role }];
    for (const [i, { p, role }] of asked.entries()) {
      const delivery = await world.prisma.promptDelivery.create({ data: { occurrenceId: occurrence.id, personId: p.id, role, status: "answered", notBefore: when, sentAt: when, answeredAt } });
      if (i === 0 || role === "commissioner") {
        await world.prisma.promptResponse.create({
          data: { occurrenceId: occurrence.id, questionId: series.questions[0]!.id, personId: p.id, role, responseKey: `key-${delivery.id}`, text: role === "commissioner" ? "Budget words" : "Expert words", answeredAt, updatedAt: answeredAt },
        });
      }
    }
    world.clock.advanceHours(2);
    const shown = (await programme.facilitator.press({ action: "prompt.answers", args: { occurrenceId: occurrence.id } })).private;
    const words = textOf(shown);
    expect(words).toContain('Expert by experience: "Expert words"');
    expect(words).toContain('Someone: "Budget words"');
    expect(words).not.toContain("Commissioner");
  });

  it("a panel summary names experts (5 on the panel) but says Someone for the only commissioner on it", async () => {
    const programme = await world.programme();
    const experts = await people(programme, "expert_by_experience", ["Ann", "Ben", "Cat", "Dan", "Eli"]);
    const [colm] = await people(programme, "commissioner", ["Colm"]);
    const startsAt = new Date(world.clock.now().getTime() - 3 * HOUR);
    const panel = await world.prisma.panel.create({
      data: {
        programmeId: programme.id,
        title: "Provider interview panel",
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        members: { create: [...experts.map((p) => ({ personId: p.id, role: "expert_by_experience" as Role })), { personId: colm!.id, role: "commissioner" as Role }] },
      },
    });
    const at = world.clock.now();
    await world.prisma.debriefResponse.create({ data: { panelId: panel.id, personId: experts[0]!.id, role: "expert_by_experience", listenedTo: "yes", wentWell: "Expert debrief words", submittedAt: at, updatedAt: at } });
    await world.prisma.debriefResponse.create({ data: { panelId: panel.id, personId: colm!.id, role: "commissioner", listenedTo: "partly", couldImprove: "Commissioner debrief words", submittedAt: at, updatedAt: at } });
    const words = textOf((await programme.facilitator.press({ action: "panel.summary", args: { panelId: panel.id } })).private);
    expect(words).toContain("Said by: Expert by experience");
    expect(words).toContain("Said by: Someone");
    expect(words).not.toContain("Said by: Commissioner");
    // Someone's words come last, so the order does not point at them either.
    expect(words.indexOf("Expert debrief words")).toBeLessThan(words.indexOf("Commissioner debrief words"));
  });
});
