/**
 * The benchmarks' realistic data (`BENCH_DATA=synthetic`): the synthetic
 * programme of src/demo/synthetic.ts (people in the roles' usual shares, late
 * joiners, consent refusals, pauses, an anonymous series, the NDTi survey at
 * three stages, ideas, updates, tasters, panels, erasures through the people
 * loop), instead of the uniform programme the benchmarks seed with bulk SQL.
 *
 * The generator plans every row in memory, so a million answers would hold
 * about a million objects at once; `replicateAnswers` copies a generated
 * history back in time with bulk SQL instead (bench/export.ts uses it).
 */
import { ManualClock } from "../src/clock.ts";
import { DEFAULT_SETTINGS, silentLogger, type CoreContext } from "../src/context.ts";
import type { Database } from "../src/db/database.ts";
import { generateProgramme, type SyntheticSummary } from "../src/demo/synthetic.ts";
import type { Messenger } from "../src/messenger.ts";
import { weekStart } from "../src/time.ts";

/** The synthetic history ends here (a Thursday): its last week is the week of 2026-03-23. */
export const SYNTHETIC_NOW = new Date("2026-03-26T12:00:00Z");

const noMessenger: Messenger = {
  send: async () => ({ ok: true, ref: { platform: "local", id: "0" } }),
  update: async (ref) => ({ ok: true, ref }),
};

export type SyntheticSeed = {
  programmeId: string;
  /** An evaluator of the programme, who may export. */
  readerId: string;
  /** The Monday of the history's last week. */
  lastWeek: Date;
  summary: SyntheticSummary;
  seconds: number;
};

/** A synthetic programme of `people` people over `weeks` weeks with `checkInQuestions` in the weekly check-in, then ANALYZE. */
export async function seedSynthetic(db: Database, o: { people: number; weeks: number; checkInQuestions: number; seed?: number }): Promise<SyntheticSeed> {
  const t0 = performance.now();
  const ctx: CoreContext = { db: db.prisma, clock: new ManualClock(SYNTHETIC_NOW.toISOString()), messenger: noMessenger, settings: DEFAULT_SETTINGS, log: silentLogger };
  const summary = await generateProgramme(ctx, { people: o.people, weeks: o.weeks, seed: o.seed ?? 1, checkInQuestions: o.checkInQuestions, prefix: "bench" });
  const reader = await db.prisma.membership.findFirstOrThrow({ where: { programmeId: summary.programmeId, role: "evaluator" }, select: { personId: true } });
  // PGlite never analyses on its own (no autovacuum), as in the uniform seeds.
  await db.prisma.$executeRawUnsafe("ANALYZE");
  return { programmeId: summary.programmeId, readerId: reader.personId, lastWeek: weekStart(SYNTHETIC_NOW), summary, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Adds `copies` copies of every round of questions of the programme (its
 * occurrences, deliveries and answers), each copy moved back in time by
 * another `weeks` weeks, with bulk SQL: the answers keep their people, roles,
 * words, anonymity and consent, so an export of them meets the same cases.
 * An anonymous answer's key gets the copy's number, as keys are unique per question.
 */
export async function replicateAnswers(db: Database, programmeId: string, copies: number, weeks: number): Promise<void> {
  const sql = (text: string, ...values: unknown[]) => db.prisma.$executeRawUnsafe(text, ...values);
  const shift = `(c * ${weeks * 7}) * interval '1 day'`;
  const occurrences = `SELECT o.* FROM "PromptOccurrence" o JOIN "PromptSeries" s ON s.id = o."seriesId" WHERE s."programmeId" = $1 AND o.id NOT LIKE '%#%'`;
  const copied = `generate_series(1, ${copies}) c`;
  await sql(
    `INSERT INTO "PromptOccurrence"(id, "seriesId", "scheduledFor", "closesAt", stage, "sealedAt", "createdAt")
     SELECT o.id || '#' || c, o."seriesId", o."scheduledFor" - ${shift}, o."closesAt" - ${shift}, o.stage, o."sealedAt" - ${shift}, o."createdAt" - ${shift}
       FROM (${occurrences}) o CROSS JOIN ${copied}`,
    programmeId,
  );
  await sql(
    `INSERT INTO "PromptDelivery"(id, "occurrenceId", "personId", role, status, "skippedReason", "notBefore", "sentAt", "answeredAt", "createdAt")
     SELECT d.id || '#' || c, d."occurrenceId" || '#' || c, d."personId", d.role, d.status, d."skippedReason",
            d."notBefore" - ${shift}, d."sentAt" - ${shift}, d."answeredAt" - ${shift}, d."createdAt" - ${shift}
       FROM "PromptDelivery" d JOIN (${occurrences}) o ON o.id = d."occurrenceId" CROSS JOIN ${copied}`,
    programmeId,
  );
  // A copy a statement (about 100,000 rows), well inside the statement time limit.
  for (let c = 1; c <= copies; c++) {
    await sql(
      `INSERT INTO "PromptResponse"(id, "occurrenceId", "questionId", "personId", role, "responseKey", text, number, choices, "answeredAt", "updatedAt")
       SELECT gen_random_uuid(), r."occurrenceId" || '#${c}', r."questionId", r."personId", r.role, r."responseKey" || '#${c}', r.text, r.number, r.choices,
              r."answeredAt" - interval '${c * weeks * 7} days', r."updatedAt" - interval '${c * weeks * 7} days'
         FROM "PromptResponse" r JOIN (${occurrences}) o ON o.id = r."occurrenceId"`,
      programmeId,
    );
  }
  await sql("ANALYZE");
}
