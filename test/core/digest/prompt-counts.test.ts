import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { backends, openTestDatabase } from "../../support/databases.ts";
import type { Database } from "../../../src/db/database.ts";
import { promptCounts } from "../../../src/digest/prompt-counts.ts";
import { occurrenceFiguresFromCounts, round, scaleFigure } from "../../../src/digest/rules.ts";
import { breakdown, countBreakdown } from "../../../src/suppression.ts";
import type { Role } from "../../../src/roles.ts";

/**
 * This week's prompts are counted in SQL (by role, and by scale value for the
 * medians). On random occurrences the figures must be those of reading every
 * delivery and answer and working them out in memory, as the digest did before.
 */

const HOUR = 3_600_000;
const START = new Date("2026-03-02T00:00:00Z");
const ROLES: Role[] = ["expert_by_experience", "professional", "commissioner"];

const occurrenceArb = fc.record({
  anonymous: fc.boolean(),
  audience: fc.subarray(ROLES, { minLength: 1 }),
  scales: fc.integer({ min: 0, max: 2 }),
  people: fc.array(
    fc.record({
      role: fc.constantFrom(...ROLES),
      sentHour: fc.option(fc.integer({ min: 0, max: 200 })),
      answerHour: fc.option(fc.integer({ min: 0, max: 200 })),
      keptRole: fc.boolean(),
      numbers: fc.array(fc.option(fc.integer({ min: 0, max: 10 })), { minLength: 2, maxLength: 2 }),
    }),
    { maxLength: 14 },
  ),
});

type Occurrence = typeof occurrenceArb extends fc.Arbitrary<infer T> ? T : never;

/** The earlier figures, from every row (kept here as the reference). */
function occurrenceFigures(
  p: {
    audience: readonly Role[];
    anonymous: boolean;
    deliveries: readonly { personId: string; role: Role; sentAt: Date | null; answeredAt: Date | null }[];
    responses: readonly { questionId: string; role: Role | null; responseKey: string; number: number | null }[];
    scaleQuestions: readonly { id: string; text: string; scaleMin: number; scaleMax: number }[];
  },
  end: Date,
  minGroupSize: number,
) {
  const sent = p.deliveries.filter((d) => d.sentAt && d.sentAt < end);
  const answered: { personId: string; role: Role | null }[] = p.anonymous
    ? [...new Map(p.responses.map((r) => [r.responseKey, { personId: r.responseKey, role: r.role }])).values()]
    : p.deliveries.filter((d) => d.answeredAt && d.answeredAt < end);
  const who = countBreakdown(answered, { roleOf: (d) => d.role, personOf: (d) => d.personId, minGroupSize, alwaysList: p.audience });
  return {
    sent: sent.length,
    answered: who.people,
    responseRate: who.people !== null && sent.length ? round(who.people / sent.length, 3) : null,
    answeredByRole: who.rows,
    scales: p.scaleQuestions.map((q) => {
      const numbers = p.responses.filter((r) => r.questionId === q.id && r.number !== null);
      const figures = breakdown(numbers, { roleOf: (r) => r.role, personOf: (r) => r.responseKey, minGroupSize, summarise: (rs) => scaleFigure(rs.map((r) => r.number!)) });
      return { question: q.text, min: q.scaleMin, max: q.scaleMax, allRoles: figures.allRoles, byRole: figures.rows };
    }),
  };
}

async function seed(db: Database["prisma"], programmeId: string, o: Occurrence) {
  const series = await db.promptSeries.create({
    data: {
      programmeId,
      title: "Check-in",
      audienceRoles: o.audience,
      cron: "0 10 * * 2",
      timeZone: "Europe/London",
      active: false,
      anonymous: o.anonymous,
      questions: {
        create: [
          { position: 1, kind: "text", text: "Anything else?" },
          ...Array.from({ length: o.scales }, (_, i) => ({ position: i + 2, kind: "scale", text: `Scale ${i}`, scaleMin: 0, scaleMax: 10 })),
        ],
      },
    },
    include: { questions: { orderBy: { position: "asc" } } },
  });
  const occ = await db.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: START, closesAt: new Date(START.getTime() + 200 * HOUR) } });
  for (const person of o.people) {
    const personId = randomUUID();
    await db.person.create({ data: { id: personId, displayName: "P" } });
    const at = (h: number | null) => (h === null ? null : new Date(START.getTime() + h * HOUR));
    const answeredAt = at(person.answerHour);
    await db.promptDelivery.create({
      data: { occurrenceId: occ.id, personId, role: person.role, status: "sent", notBefore: START, sentAt: at(person.sentHour), answeredAt: o.anonymous ? null : answeredAt },
    });
    if (!answeredAt) continue;
    const key = randomUUID();
    for (const q of series.questions) {
      const number = q.kind === "scale" ? person.numbers[q.position - 2]! : null;
      await db.promptResponse.create({
        data: {
          occurrenceId: occ.id,
          questionId: q.id,
          personId: o.anonymous ? null : personId,
          role: person.keptRole || !o.anonymous ? person.role : null,
          responseKey: key,
          text: q.kind === "text" ? "Words" : null,
          number,
          answeredAt,
          updatedAt: answeredAt,
        },
      });
    }
  }
  return { occ, series };
}

describe.each(backends())("this week's prompts counted in the database (%s)", (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => db?.close());

  it("give the figures of reading every delivery and answer, on random occurrences", async () => {
    const programme = await db.prisma.programme.create({ data: { name: `Random ${randomUUID()}`, createdAt: START } });
    await fc.assert(
      fc.asyncProperty(occurrenceArb, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 3 }), async (o, endHour, minGroupSize) => {
        const { occ, series } = await seed(db.prisma, programme.id, o);
        const end = new Date(START.getTime() + endHour * HOUR);
        const scaleQuestions = series.questions.filter((q) => q.kind === "scale") as { id: string; text: string; scaleMin: number; scaleMax: number }[];
        const deliveries = await db.prisma.promptDelivery.findMany({ where: { occurrenceId: occ.id }, select: { personId: true, role: true, sentAt: true, answeredAt: true } });
        const responses = await db.prisma.promptResponse.findMany({ where: { occurrenceId: occ.id, answeredAt: { lt: end } }, select: { questionId: true, role: true, responseKey: true, number: true } });
        const expected = occurrenceFigures({ audience: o.audience, anonymous: o.anonymous, deliveries, responses, scaleQuestions }, end, minGroupSize);
        const counts = await promptCounts(db.prisma, [{ id: occ.id, anonymous: o.anonymous }], scaleQuestions.map((q) => q.id), end);
        expect(occurrenceFiguresFromCounts({ audience: o.audience, scaleQuestions, counts: counts.get(occ.id)! }, minGroupSize)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  }, 600_000);
});
