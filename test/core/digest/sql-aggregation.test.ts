import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { backends, openTestDatabase } from "../../support/databases.ts";
import type { Database } from "../../../src/db/database.ts";
import { activitiesBefore } from "../../../src/digest/activities.ts";
import { readStages, stageChanges, STAGES, type StagedAnswer } from "../../../src/digest/stages.ts";
import { participation, type Activity } from "../../../src/digest/rules.ts";
import { trend } from "../../../src/digest/measures.ts";
import { readHistory } from "../../../src/digest/history.ts";
import { weekStart } from "../../../src/time.ts";
import type { Stage } from "../../../src/digest/data.ts";
import type { Role } from "../../../src/roles.ts";

/**
 * The digest groups "who took part" and the stage answers in SQL. On random
 * programmes, the figures it gives must be those the earlier version gave by
 * reading every row and working them out in memory (kept here as the reference).
 */

const DAY = 86_400_000;
const START = new Date("2026-01-05T00:00:00Z");
const ROLES: Role[] = ["expert_by_experience", "professional", "commissioner"];

/** The earlier read: every answered delivery, named answer, idea, taster sign-up, panel seat and debrief. */
async function everyActivity(db: Database["prisma"], programmeId: string, end: Date): Promise<Activity[]> {
  const deliveries = await db.promptDelivery.findMany({ where: { occurrence: { series: { programmeId } }, answeredAt: { lt: end } }, select: { personId: true, role: true, answeredAt: true } });
  const answers = (
    await db.promptResponse.findMany({ where: { occurrence: { series: { programmeId } }, personId: { not: null }, answeredAt: { lt: end } }, select: { personId: true, role: true, answeredAt: true } })
  ).filter((a): a is typeof a & { role: Role } => a.role !== null);
  const ideas = await db.feedbackItem.findMany({ where: { programmeId, raisedById: { not: null }, createdAt: { lt: end } }, select: { raisedById: true, raisedByRole: true, createdAt: true } });
  const panelists = await db.panelMember.findMany({
    where: { panel: { programmeId, startsAt: { lt: end } }, OR: [{ attended: null }, { attended: true }] },
    select: { personId: true, role: true, panel: { select: { startsAt: true } } },
  });
  const debriefs = await db.debriefResponse.findMany({ where: { panel: { programmeId }, personId: { not: null }, submittedAt: { lt: end } }, select: { personId: true, role: true, submittedAt: true } });
  return [
    ...deliveries.map((d) => ({ personId: d.personId, role: d.role, kind: "answer" as const, at: d.answeredAt! })),
    ...answers.map((a) => ({ personId: a.personId!, role: a.role, kind: "answer" as const, at: a.answeredAt })),
    ...ideas.map((i) => ({ personId: i.raisedById!, role: i.raisedByRole, kind: "suggestion" as const, at: i.createdAt })),
    ...panelists.map((p) => ({ personId: p.personId, role: p.role, kind: "panel" as const, at: p.panel.startsAt })),
    ...debriefs.map((d) => ({ personId: d.personId!, role: d.role, kind: "panel" as const, at: d.submittedAt })),
  ];
}

/** The earlier stage read: every scale answer of the staged named series. */
async function everyStagedAnswer(db: Database["prisma"], programmeId: string, end: Date): Promise<StagedAnswer[]> {
  const named = await db.promptSeries.findMany({ where: { programmeId, stage: { in: [...STAGES] }, anonymous: false }, select: { id: true, stage: true } });
  const responses = await db.promptResponse.findMany({
    where: { occurrence: { seriesId: { in: named.map((s) => s.id) } }, personId: { not: null }, number: { not: null }, answeredAt: { lt: end } },
    select: { personId: true, role: true, number: true, answeredAt: true, occurrence: { select: { seriesId: true } }, questionId: true },
  });
  const questions = new Map((await db.promptQuestion.findMany({ where: { seriesId: { in: named.map((s) => s.id) }, kind: "scale" } })).map((q) => [q.id, q]));
  const stageOf = new Map(named.map((s) => [s.id, s.stage as Stage]));
  return responses.flatMap((r) => {
    const q = questions.get(r.questionId);
    return q ? [{ personId: r.personId!, role: r.role, stage: stageOf.get(r.occurrence.seriesId)!, question: q.text, min: q.scaleMin, max: q.scaleMax, number: r.number!, answeredAt: r.answeredAt }] : [];
  });
}

const distinctWeeks = (list: Activity[]) => [...new Set(list.map((a) => `${a.personId}|${a.role}|${a.kind}|${weekStart(a.at).toISOString()}`))].sort();

// A programme: people with roles; staged series (two asking the same words); answers at distinct moments
// (the earlier read picked among equal moments in no set order), some given days after the question was
// first answered (a later week, or none when the first answer was taken back); ideas; panels with attendance.
const programmeArb = fc.record({
  people: fc.array(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 9 }),
  series: fc.array(fc.record({ stage: fc.constantFrom<Stage | null>("baseline", "midpoint", "end", null), anonymous: fc.boolean(), words: fc.constantFrom("Confident?", "Heard?") }), { minLength: 1, maxLength: 4 }),
  answers: fc.array(fc.record({ series: fc.nat(), person: fc.nat(), number: fc.integer({ min: 0, max: 10 }), roleChanged: fc.boolean(), daysLater: fc.constantFrom(0, 0, 2, 6, 9), taken: fc.boolean() }), { maxLength: 40 }),
  ideas: fc.array(fc.record({ person: fc.nat(), hour: fc.integer({ min: 0, max: 8 * 7 * 24 }) }), { maxLength: 8 }),
  panels: fc.array(fc.record({ hour: fc.integer({ min: 0, max: 8 * 7 * 24 }), seats: fc.array(fc.record({ person: fc.nat(), attended: fc.constantFrom(null, true, false), debrief: fc.boolean() }), { maxLength: 5 }) }), { maxLength: 3 }),
  endHour: fc.integer({ min: 24, max: 9 * 7 * 24 }),
});

type Plan = typeof programmeArb extends fc.Arbitrary<infer T> ? T : never;

async function seed(db: Database["prisma"], p: Plan): Promise<string> {
  const programme = await db.programme.create({ data: { name: `Random ${randomUUID()}`, createdAt: START } });
  const people = p.people.map((role) => ({ id: randomUUID(), role }));
  await db.person.createMany({ data: people.map((x, i) => ({ id: x.id, displayName: `P${i}` })) });
  const series = [];
  for (const s of p.series) {
    series.push(
      await db.promptSeries.create({
        data: { programmeId: programme.id, title: `S ${series.length}`, audienceRoles: ROLES, cron: "0 10 * * 2", timeZone: "Europe/London", active: false, anonymous: s.anonymous, stage: s.stage, questions: { create: [{ position: 1, kind: "scale", text: s.words, scaleMin: 0, scaleMax: 10 }] } },
        include: { questions: true },
      }),
    );
  }
  for (const [i, a] of p.answers.entries()) {
    const s = series[a.series % series.length]!;
    const person = people[a.person % people.length]!;
    const when = new Date(START.getTime() + i * 37 * 3_600_000); // every answer at its own moment
    const role = a.roleChanged ? ROLES[(ROLES.indexOf(person.role) + 1) % ROLES.length]! : person.role;
    const occ = await db.promptOccurrence.create({ data: { seriesId: s.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * DAY) } });
    await db.promptDelivery.create({ data: { occurrenceId: occ.id, personId: person.id, role, status: "answered", notBefore: when, sentAt: when, answeredAt: when } });
    // An answer given later (days after the first) or taken back (the delivery stays answered): both count for their own week.
    const answeredAt = new Date(when.getTime() + a.daysLater * DAY);
    if (a.daysLater === 0 || !a.taken) {
      await db.promptResponse.create({
        data: { occurrenceId: occ.id, questionId: s.questions[0]!.id, personId: s.anonymous ? null : person.id, role: s.anonymous ? null : role, responseKey: randomUUID(), number: a.number, answeredAt, updatedAt: answeredAt },
      });
    }
  }
  for (const [i, idea] of p.ideas.entries()) {
    const person = people[idea.person % people.length]!;
    await db.feedbackItem.create({ data: { programmeId: programme.id, number: i + 1, raisedById: person.id, raisedByRole: person.role, text: "An idea", createdAt: new Date(START.getTime() + idea.hour * 3_600_000) } });
  }
  for (const panel of p.panels) {
    const startsAt = new Date(START.getTime() + panel.hour * 3_600_000);
    const seats = [...new Map(panel.seats.map((s) => [people[s.person % people.length]!.id, s])).entries()];
    const created = await db.panel.create({
      data: { programmeId: programme.id, title: "Panel", startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), members: { create: seats.map(([personId, s]) => ({ personId, role: people.find((x) => x.id === personId)!.role, attended: s.attended })) } },
    });
    for (const [personId, s] of seats) {
      if (s.debrief) {
        const role = people.find((x) => x.id === personId)!.role;
        await db.debriefResponse.create({ data: { panelId: created.id, personId, role, listenedTo: "yes", wentWell: "", couldImprove: "", changeNextTime: "", submittedAt: new Date(startsAt.getTime() + DAY), updatedAt: new Date(startsAt.getTime() + DAY) } });
      }
    }
  }
  return programme.id;
}

describe.each(backends())("the digest's grouped reads give the figures of reading every row (%s)", (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => db?.close());

  it("who took part, continuity, the trend and the before-and-after changes match on random programmes", async () => {
    await fc.assert(
      fc.asyncProperty(programmeArb, fc.integer({ min: 1, max: 3 }), async (p, minGroupSize) => {
        const programmeId = await seed(db.prisma, p);
        const end = new Date(START.getTime() + p.endHour * 3_600_000);
        const from = weekStart(new Date(end.getTime() - 1));
        const w = { from, weekEnd: new Date(from.getTime() + 7 * DAY), end };
        const grouped = await activitiesBefore(db.prisma, programmeId, end);
        const every = await everyActivity(db.prisma, programmeId, end);
        expect(distinctWeeks(grouped)).toEqual(distinctWeeks(every));
        expect(participation(grouped, w, minGroupSize)).toEqual(participation(every, w, minGroupSize));
        const history = await readHistory(db.prisma, programmeId, end);
        expect(trend(history, grouped, START, w, minGroupSize)).toEqual(trend(history, every, START, w, minGroupSize));
        const stages = await readStages(db.prisma, programmeId, end, minGroupSize);
        const sortChanges = (c: typeof stages.changes) => [...c].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        expect(sortChanges(stages.changes)).toEqual(sortChanges(stageChanges(await everyStagedAnswer(db.prisma, programmeId, end), minGroupSize)));
      }),
      { numRuns: 12 },
    );
  }, 600_000);
});
