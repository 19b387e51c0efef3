/**
 * Digest benchmark: `npm run bench:digest` (embedded database), and on
 * PostgreSQL too when BENCH_DATABASE_URL is set (a database it may fill and empty).
 *
 * A programme of BENCH_DIGEST_PEOPLE people (default 1,000) over
 * BENCH_DIGEST_WEEKS weeks (default 12) of weekly questions (one scale answer
 * each), so 1,000 x 100 occurrences = 100,000 answers by default; plus ideas,
 * "we did" updates with replies, and a panel a week. Times buildDigest for the
 * last week (loop measures, a trend point per week, stages). Prints figures; asserts nothing.
 *
 * BENCH_DATA=synthetic seeds the realistic synthetic programme instead
 * (bench/seed-synthetic.ts): BENCH_DIGEST_PEOPLE people over BENCH_DIGEST_WEEKS
 * weeks, BENCH_DIGEST_QUESTIONS (default 16) in the weekly check-in, so about
 * 100,000 answers by default, with refusals, pauses, an anonymous series,
 * staged surveys, ideas, tasters, panels and erasures.
 */
import { createHash } from "node:crypto";
import { DEFAULT_SETTINGS } from "../src/context.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { buildDigest, type DigestData } from "../src/digest/index.ts";
import type { Role } from "../src/roles.ts";
import { seedSynthetic } from "./seed-synthetic.ts";

const PEOPLE = Number(process.env.BENCH_DIGEST_PEOPLE ?? 1000);
const OCCURRENCES = Number(process.env.BENCH_DIGEST_OCCURRENCES ?? 100);
const WEEKS = Number(process.env.BENCH_DIGEST_WEEKS ?? 12);
const QUESTIONS = Number(process.env.BENCH_DIGEST_QUESTIONS ?? 16);
const SYNTHETIC = process.env.BENCH_DATA === "synthetic";
const DAY = 86_400_000;
const START = new Date("2026-01-05T00:00:00Z"); // a Monday
const ROLES: Role[] = ["expert_by_experience", "expert_by_experience", "professional", "commissioner"];

async function emptyAll(db: Database) {
  const tables = await db.prisma.$queryRawUnsafe<{ t: string }[]>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations'");
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((r) => `"${r.t}"`).join(", ")} CASCADE`);
}

/**
 * The same programme as ever, written with bulk SQL (INSERT ... SELECT generate_series): person i has role
 * ROLES[i % 4], occurrence o is at START + floor(o / OCCURRENCES * span) ms, and answers (i + o) % 11.
 */
async function seed(db: Database): Promise<string> {
  const p = db.prisma;
  const sql = (text: string, ...values: unknown[]) => p.$executeRawUnsafe(text, ...values);
  const programme = await p.programme.create({ data: { name: "Benchmark programme", createdAt: START } });
  const id = programme.id;
  const roles = `(ARRAY[${ROLES.map((r) => `'${r}'`).join(", ")}]::"Role"[])[i % ${ROLES.length} + 1]`;
  const person = `'bench-' || lpad(i::text, 6, '0')`;
  const start = `timestamptz '${START.toISOString()}'`;
  const span = WEEKS * 7 * DAY - DAY;
  await sql(`INSERT INTO "Person"(id, "displayName") SELECT ${person}, 'Person ' || i FROM generate_series(0, ${PEOPLE - 1}) i`);
  await sql(`INSERT INTO "Membership"(id, "programmeId", "personId", role, "joinedAt") SELECT gen_random_uuid(), $1, ${person}, ${roles}, ${start} FROM generate_series(0, ${PEOPLE - 1}) i`, id);
  const series = await p.promptSeries.create({
    data: {
      programmeId: id,
      title: "Weekly check-in",
      audienceRoles: ["expert_by_experience", "professional", "commissioner"],
      cron: "0 10 * * 2",
      timeZone: "Europe/London",
      active: false,
      stage: "baseline",
      questions: { create: [{ position: 1, kind: "scale", text: "How confident do you feel?", scaleMin: 0, scaleMax: 10 }] },
    },
    include: { questions: true },
  });
  const at = (o: string) => `(${start} + floor(${o}::float8 / ${OCCURRENCES} * ${span}) * interval '1 millisecond')`;
  await sql(`INSERT INTO "PromptOccurrence"(id, "seriesId", "scheduledFor", "closesAt") SELECT 'occ-' || o, $1, ${at("o")}, ${at("o")} + interval '7 days' FROM generate_series(0, ${OCCURRENCES - 1}) o`, series.id);
  // Ten occurrences (10,000 rows at the default size) a statement, well inside the statement time limit.
  for (let o = 0; o < OCCURRENCES; o += 10) {
    const rows = `FROM generate_series(${o}, ${Math.min(o + 9, OCCURRENCES - 1)}) o CROSS JOIN generate_series(0, ${PEOPLE - 1}) i`;
    await sql(`INSERT INTO "PromptDelivery"(id, "occurrenceId", "personId", role, status, "notBefore", "sentAt", "answeredAt")
      SELECT gen_random_uuid(), 'occ-' || o, ${person}, ${roles}, 'answered', ${at("o")}, ${at("o")}, ${at("o")} + interval '1 hour' ${rows}`);
    await sql(`INSERT INTO "PromptResponse"(id, "occurrenceId", "questionId", "personId", role, "responseKey", number, choices, "answeredAt", "updatedAt")
      SELECT gen_random_uuid(), 'occ-' || o, $1, ${person}, ${roles}, 'occ-' || o || ':' || ${person}, (i + o) % 11, '{}', ${at("o")} + interval '1 hour', ${at("o")} + interval '1 hour' ${rows}`, series.questions[0]!.id);
  }
  // Ideas: one a person over the weeks, half (even i) answered by a "we did" update three days later, with the raiser's reply a day after.
  const created = `(${start} + floor(i::float8 / ${PEOPLE} * ${span}) * interval '1 millisecond')`;
  const posted = `${created} + interval '3 days'`;
  const even = `FROM generate_series(0, ${PEOPLE - 1}) i WHERE i % 2 = 0`;
  await sql(`INSERT INTO "FeedbackItem"(id, "programmeId", number, "raisedById", "raisedByRole", text, "createdAt", status, "firstRespondedAt", "closedAt")
    SELECT 'idea-' || i, $1, i + 1, ${person}, ${roles}, 'Idea ' || (i + 1), ${created},
           (CASE WHEN i % 2 = 0 THEN 'done' ELSE 'received' END)::"FeedbackStatus", CASE WHEN i % 2 = 0 THEN ${posted} END, CASE WHEN i % 2 = 0 THEN ${posted} END
      FROM generate_series(0, ${PEOPLE - 1}) i`, id);
  await sql(`INSERT INTO "FeedbackStatusChange"(id, "itemId", "from", "to", "changedAt") SELECT gen_random_uuid(), 'idea-' || i, NULL, 'received', ${created} FROM generate_series(0, ${PEOPLE - 1}) i`);
  await sql(`INSERT INTO "FeedbackUpdate"(id, "programmeId", "authorRole", text, "postedAt") SELECT 'update-' || i, $1, 'commissioner', 'We did it', ${posted} ${even}`, id);
  await sql(`INSERT INTO "FeedbackUpdateItem"("updateId", "itemId") SELECT 'update-' || i, 'idea-' || i ${even}`);
  await sql(`INSERT INTO "FeedbackStatusChange"(id, "itemId", "from", "to", "changedAt") SELECT gen_random_uuid(), 'idea-' || i, 'received', 'done', ${posted} ${even}`);
  await sql(`INSERT INTO "FeedbackReaction"(id, "updateId", "itemId", "personId", answered, "reactedAt")
    SELECT gen_random_uuid(), 'update-' || i, 'idea-' || i, ${person}, (ARRAY['yes', 'partly', 'no'])[(i + 1) % 3 + 1], ${posted} + interval '1 day' ${even}`);
  // A panel a week, with every twentieth person.
  for (let w = 0; w < WEEKS; w++) {
    const startsAt = new Date(START.getTime() + w * 7 * DAY + 3 * DAY);
    const panel = await p.panel.create({ data: { programmeId: id, title: `Panel ${w + 1}`, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000) } });
    await sql(`INSERT INTO "PanelMember"("panelId", "personId", role) SELECT $1, ${person}, ${roles} FROM generate_series(0, ${PEOPLE - 1}) i WHERE (i + ${w}) % 20 = 0`, panel.id);
  }
  // PGlite never analyses on its own (no autovacuum); BENCH_DIGEST_ANALYZE=0 leaves the planner without statistics.
  if (process.env.BENCH_DIGEST_ANALYZE !== "0") await sql("ANALYZE");
  return id;
}

async function run(label: string, db: Database) {
  await emptyAll(db);
  const seeded = Date.now();
  let programmeId: string;
  let week = new Date(START.getTime() + (WEEKS - 1) * 7 * DAY);
  if (SYNTHETIC) {
    const s = await seedSynthetic(db, { people: PEOPLE, weeks: WEEKS, checkInQuestions: QUESTIONS });
    ({ programmeId, lastWeek: week } = s);
    const { summary: m } = s;
    console.log(
      `${label}: seeded a synthetic programme of ${m.people} people (${m.refused} refused, ${m.paused} paused, ${m.erased} erased), ${m.answers} answers, ${m.ideas} ideas, ` +
        `${WEEKS} weeks in ${s.seconds.toFixed(1)} s (planning and inserting ${m.seconds.insert} s, erasing ${m.seconds.erase} s)`,
    );
  } else {
    programmeId = await seed(db);
    console.log(`${label}: seeded ${PEOPLE} people, ${PEOPLE * OCCURRENCES} answers, ${WEEKS} weeks in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  }
  const builds: [string, typeof buildDigest][] = [["", buildDigest]];
  if (baseline) builds.unshift(["baseline ", baseline]);
  for (let i = 0; i < 3; i++) {
    // Taking turns, so a baseline and this checkout meet the same load.
    for (const [name, build] of builds) await timeOnce(`${label}: ${name}run ${i + 1}`, () => build(db.prisma, DEFAULT_SETTINGS, programmeId, week, { span: spanOf }));
  }
  console.log(`${label}: rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
}

let spans: Record<string, { wall: number; cpu: number }> = {};
/** Each part's wall time, and its CPU time in this process (PGlite runs inside it; PostgreSQL's own work is not counted). */
async function spanOf<T>(name: string, read: () => Promise<T> | T): Promise<T> {
  const before = process.cpuUsage();
  const t0 = performance.now();
  const result = await read();
  const used = process.cpuUsage(before);
  spans[name] = { wall: performance.now() - t0, cpu: (used.user + used.system) / 1000 };
  return result;
}

async function timeOnce(label: string, build: () => Promise<DigestData>) {
  spans = {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const d = await build();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const parts = Object.entries(spans).sort((a, b) => b[1].wall - a[1].wall).filter(([, ms]) => ms.wall >= 1);
  console.log(`${label}: ${Math.round(wall)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU in this process${parts.length ? ": " : ""}${parts.map(([n, ms]) => `${n} ${Math.round(ms.wall)}/${Math.round(ms.cpu)}`).join(", ")} (each part: wall/CPU ms)`);
  console.log(`  trend points ${d.trend.length}, open ideas ${d.measures?.ideas.open}, people this week ${d.participation.people}; figures ${createHash("sha256").update(JSON.stringify(d)).digest("hex").slice(0, 12)}`);
}

// BENCH_DIGEST_BASELINE=/path/to/another/checkout/src/digest/index.ts times that buildDigest too, in turns, on the same data.
const baseline: typeof buildDigest | undefined = process.env.BENCH_DIGEST_BASELINE ? (await import(process.env.BENCH_DIGEST_BASELINE)).buildDigest : undefined;

const embedded = await openDatabase({ inMemory: true });
await run("embedded (PGlite)", embedded);
await embedded.close();
if (process.env.BENCH_DATABASE_URL) {
  const postgres = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL });
  await run("PostgreSQL", postgres);
  await postgres.close();
} else {
  console.log("(set BENCH_DATABASE_URL=postgresql://... to run the same on PostgreSQL)");
}
