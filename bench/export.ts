/**
 * Export benchmark: `npm run bench:export` (1,000,000 answers, PGlite on disk,
 * and PostgreSQL too when BENCH_DATABASE_URL is set); `npm run bench` runs a
 * small version (BENCH_EXPORT_ANSWERS, default 20,000).
 *
 * Seeds a programme with fast bulk SQL (INSERT ... SELECT generate_series):
 * 1,000 people, 10 questions a round, as many rounds as the answers need,
 * then exports every answer as CSV through startExport(), reading the stream
 * as fast as it comes and throwing it away. Prints rows a second and the
 * process's peak resident memory during the export (sampled every 20 ms), and
 * the same rows read by a bare SELECT in the same run, as a baseline.
 *
 * BENCH_DATA=synthetic seeds the realistic synthetic programme instead
 * (bench/seed-synthetic.ts: 1,000 people over 12 weeks, anonymous and staged
 * series, consent refusals, erasures), with enough check-in questions for the
 * answers, up to about 100,000; beyond that, its rounds are copied back in time
 * with bulk SQL (the generator holds every planned row in memory, and inserts
 * 100,000 answers in seconds where bulk SQL copies them in a fraction of that).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ManualClock } from "../src/clock.ts";
import { DEFAULT_SETTINGS, silentLogger, type CoreContext } from "../src/context.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { startExport } from "../src/evidence/index.ts";
import type { Messenger } from "../src/messenger.ts";
import { replicateAnswers, seedSynthetic } from "./seed-synthetic.ts";

const PEOPLE = 1000;
const QUESTIONS = 10;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const noMessenger: Messenger = {
  send: async () => ({ ok: true, ref: { platform: "local", id: "0" } }),
  update: async (ref) => ({ ok: true, ref }),
};

export async function emptyAll(db: Database) {
  const tables = await db.prisma.$queryRawUnsafe<{ t: string }[]>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations'");
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((r) => `"${r.t}"`).join(", ")} CASCADE`);
}

/** A programme with `answers` answers (rounded up to whole rounds of 1,000 people × 10 questions). */
export async function seed(db: Database, answers: number): Promise<{ programmeId: string; readerId: string }> {
  const rounds = Math.max(1, Math.ceil(answers / (PEOPLE * QUESTIONS)));
  const p = db.prisma;
  const programme = await p.programme.create({ data: { name: "Export bench" } });
  const id = programme.id;
  await p.$executeRawUnsafe(`INSERT INTO "Person"(id, "displayName") SELECT 'bench-' || g, 'Person ' || g FROM generate_series(1, ${PEOPLE + 1}) g`);
  await p.$executeRawUnsafe(
    `INSERT INTO "Membership"(id, "programmeId", "personId", role, "joinedAt")
     SELECT gen_random_uuid(), $1, 'bench-' || g, (CASE WHEN g > ${PEOPLE} THEN 'evaluator' WHEN g % 3 = 0 THEN 'professional' ELSE 'expert_by_experience' END)::"Role", now()
     FROM generate_series(1, ${PEOPLE + 1}) g`,
    id,
  );
  await p.$executeRawUnsafe(
    `INSERT INTO "ConsentRecord"(id, "personId", "programmeId", kind, granted, "policyVersion", "recordedAt")
     SELECT gen_random_uuid(), 'bench-' || g, $1, 'quotation', g % 2 = 0, 1, now() FROM generate_series(1, ${PEOPLE}) g`,
    id,
  );
  const series = await p.promptSeries.create({
    data: {
      programmeId: id,
      title: "Weekly check-in",
      audienceRoles: ["expert_by_experience", "professional"],
      cron: "0 10 * * 1",
      timeZone: "UTC",
      questions: { create: Array.from({ length: QUESTIONS }, (_, i) => ({ position: i, kind: i % 2 ? "text" : "scale", text: `Question ${i}, about "this" week?` })) },
    },
  });
  await p.$executeRawUnsafe(
    `INSERT INTO "PromptOccurrence"(id, "seriesId", "scheduledFor", "closesAt", "createdAt")
     SELECT 'occ-' || g, $1, timestamp '2026-01-05 10:00' + g * interval '7 days', timestamp '2026-01-12 10:00' + g * interval '7 days', now() FROM generate_series(1, ${rounds}) g`,
    series.id,
  );
  await p.$executeRawUnsafe(
    `INSERT INTO "PromptDelivery"(id, "occurrenceId", "personId", role, status, "notBefore", "sentAt", "answeredAt", "createdAt")
     SELECT gen_random_uuid(), o.id, m."personId", m.role, 'answered', o."scheduledFor", o."scheduledFor", o."scheduledFor" + interval '1 hour', now()
     FROM "PromptOccurrence" o CROSS JOIN "Membership" m WHERE o."seriesId" = $1 AND m.role <> 'evaluator'`,
    series.id,
  );
  // One round (10,000 answers) a statement, well inside the statement time limit.
  for (let round = 1; round <= rounds; round++) {
    await p.$executeRawUnsafe(
      `INSERT INTO "PromptResponse"(id, "occurrenceId", "questionId", "personId", role, "responseKey", text, number, choices, "answeredAt", "updatedAt")
       SELECT gen_random_uuid(), d."occurrenceId", q.id, d."personId", d.role, d."occurrenceId" || ':' || d."personId",
              CASE WHEN q.kind = 'text' THEN 'It went well, mostly; the "papers" came late' || chr(10) || 'again' END,
              CASE WHEN q.kind = 'scale' THEN (q.position + length(d."personId")) % 11 END,
              '{}', d."answeredAt", d."answeredAt"
       FROM "PromptDelivery" d JOIN "PromptQuestion" q ON q."seriesId" = $1 WHERE d."occurrenceId" = $2`,
      series.id,
      `occ-${round}`,
    );
  }
  // BENCH_EXPORT_ANALYZE=no leaves the planner without statistics, as on an embedded database that never ran ANALYZE.
  if (process.env.BENCH_EXPORT_ANALYZE !== "no") await p.$executeRawUnsafe(`ANALYZE`);
  return { programmeId: id, readerId: `bench-${PEOPLE + 1}` };
}

/** The synthetic programme with about `answers` answers: 100,000 generated and copied, or fewer check-in questions. */
async function seedSynthetically(db: Database, answers: number): Promise<{ programmeId: string; readerId: string }> {
  const base = Math.min(answers, 100_000);
  // 1,000 people over 12 weeks give about 6,000 answers a check-in question, and 16,000 from the other series.
  const s = await seedSynthetic(db, { people: PEOPLE, weeks: 12, checkInQuestions: Math.max(2, Math.round((base - 16_000) / 5_400)) });
  const copies = Math.max(0, Math.round(answers / s.summary.answers) - 1);
  const t0 = performance.now();
  if (copies) await replicateAnswers(db, s.programmeId, copies, 12);
  console.log(
    `synthetic data: ${s.summary.answers.toLocaleString("en-GB")} answers generated in ${s.seconds.toFixed(1)} s (inserting ${s.summary.seconds.insert} s, ` +
      `erasing ${s.summary.erased} people ${s.summary.seconds.erase} s)${copies ? `, copied ${copies} times in ${((performance.now() - t0) / 1000).toFixed(1)} s` : ""}`,
  );
  return s;
}

/**
 * The baseline measured in the same run, so a loaded machine slows both: the
 * same answers read with a bare keyset SELECT of their columns, 5,000 at a
 * time, through Prisma as the export reads, with nothing done to them.
 */
async function bareRead(database: Database): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  let rows = 0;
  let after = "";
  for (;;) {
    const batch = await database.prisma.$queryRaw<{ id: string }[]>`
      SELECT "id", "occurrenceId", "questionId", "personId", "role"::text, "text", "number", "choices", "answeredAt", "updatedAt"
        FROM "PromptResponse" WHERE "id" > ${after} ORDER BY "id" LIMIT 5000`;
    rows += batch.length;
    if (batch.length < 5000) return { rows, ms: performance.now() - t0 };
    after = batch[batch.length - 1]!.id;
  }
}

export async function exportBenchmark(label: string, database: Database, answers: number): Promise<{ rows: number; rowsPerSecond: number; peakRss: number }> {
  await emptyAll(database);
  const t0 = performance.now();
  const { programmeId, readerId } = process.env.BENCH_DATA === "synthetic" ? await seedSynthetically(database, answers) : await seed(database, answers);
  const seeded = await database.prisma.promptResponse.count();
  const seedMs = performance.now() - t0;
  const ctx: CoreContext = { db: database.prisma, clock: new ManualClock("2027-01-01T00:00:00Z"), messenger: noMessenger, settings: DEFAULT_SETTINGS, log: silentLogger };

  const bare = await bareRead(database);
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t1 = performance.now();
  const { stream, rows } = await startExport(ctx, { programmeId, readerId, request: { what: "answers", format: "csv" }, via: "http" });
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const ms = performance.now() - t1;
  clearInterval(sampler);
  const rowsPerSecond = (rows() / ms) * 1000;
  console.log(
    `${label} | CSV export of ${rows().toLocaleString("en-GB")} answers (${seeded.toLocaleString("en-GB")} seeded in ${(seedMs / 1000).toFixed(1)} s): ` +
      `${(ms / 1000).toFixed(1)} s, ${rowsPerSecond.toFixed(0)} rows/s, ${mb(bytes)} of CSV; ` +
      `rss before ${mb(rssBefore)}, peak during the export ${mb(peakRss)} (the export's own growth ${mb(peakRss - rssBefore)}); ` +
      `baseline (bare SELECT of the same rows) ${((bare.rows / bare.ms) * 1000).toFixed(0)} rows/s, the export takes ${(ms / bare.ms).toFixed(2)}× its time; ` +
      `load average ${loadavg()[0]!.toFixed(1)}`,
  );
  return { rows: rows(), rowsPerSecond, peakRss };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const answers = Number(process.env.BENCH_EXPORT_ANSWERS ?? 1_000_000);
  console.log(`wesaid export benchmark on node ${process.version}, ${answers.toLocaleString("en-GB")} answers`);
  // PGlite on disk, so the database's own pages are not counted as the export's memory.
  // BENCH_EXPORT_ONLY=postgresql skips the embedded run (it takes minutes).
  if (process.env.BENCH_EXPORT_ONLY !== "postgresql") {
    const dir = mkdtempSync(join(tmpdir(), "wesaid-export-bench-"));
    try {
      const embedded = await openDatabase({ dataDir: dir });
      await exportBenchmark("embedded  ", embedded, answers);
      await embedded.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (process.env.BENCH_DATABASE_URL) {
    const postgres = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL });
    await exportBenchmark("postgresql", postgres, answers);
    await postgres.close();
  } else {
    console.log("(set BENCH_DATABASE_URL=postgresql://... to run the same on PostgreSQL)");
  }
}
