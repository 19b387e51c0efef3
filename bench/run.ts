/**
 * Benchmarks: `npm run bench` (embedded database), and on PostgreSQL too when
 * BENCH_DATABASE_URL is set (a database the benchmark may fill and empty).
 *
 * 1. Prompt fan-out: one scheduled prompt to N members, from the tick that
 *    finds the slot to every direct message handed to the messenger.
 * 2. Interactions: people typing `suggest ...` one after another, end to end
 *    through core.handle() (validation, consent check, storage, outbox, send).
 * 3. Statements per person: the same fan-out counted through Prisma's query
 *    events (a separate run, since counting slows it a little).
 * 4. A CSV export of BENCH_EXPORT_ANSWERS answers (bench/export.ts).
 * Prints figures; asserts nothing.
 */
import { ManualClock } from "../src/clock.ts";
import { DEFAULT_SETTINGS, silentLogger, type CoreContext } from "../src/context.ts";
import { createCore } from "../src/core.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import type { Messenger, MessageRef, SendResult } from "../src/messenger.ts";
import { ensureIdentity, setupProgramme } from "../src/people/index.ts";
import { createSeriesFromTemplate, sweepDeliveries, sweepOccurrences } from "../src/prompts/index.ts";
import { exportBenchmark } from "./export.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1000);
const SUGGESTIONS = Number(process.env.BENCH_SUGGESTIONS ?? 300);
// The small version of `npm run bench:export` (which exports 1,000,000).
const EXPORT_ANSWERS = Number(process.env.BENCH_EXPORT_ANSWERS ?? 20_000);

class CountingMessenger implements Messenger {
  sent = 0;
  async send(): Promise<SendResult> {
    return { ok: true, ref: { platform: "local", id: String(++this.sent) } as MessageRef };
  }
  async update(ref: MessageRef): Promise<SendResult> {
    return { ok: true, ref };
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function emptyAll(db: Database) {
  const tables = await db.prisma.$queryRawUnsafe<{ t: string }[]>(
    "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations'",
  );
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((r) => `"${r.t}"`).join(", ")} CASCADE`);
}

async function seedMembers(ctx: CoreContext, programmeId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bench-person-${i}`);
  const now = ctx.clock.now();
  await ctx.db.person.createMany({ data: ids.map((id, i) => ({ id, displayName: `Person ${i}` })) });
  await ctx.db.preference.createMany({ data: ids.map((personId) => ({ personId, quietStart: 0, quietEnd: 0 })) });
  await ctx.db.platformIdentity.createMany({ data: ids.map((personId) => ({ personId, platform: "local", externalId: personId, lastSeenAt: now })) });
  await ctx.db.membership.createMany({ data: ids.map((personId) => ({ personId, programmeId, role: "expert_by_experience" as const, joinedAt: now })) });
  await ctx.db.consentRecord.createMany({
    data: ids.map((personId) => ({ personId, programmeId, kind: "participation" as const, granted: true, policyVersion: 1, recordedAt: now })),
  });
  return ids;
}

async function benchmark(label: string, database: Database, counting = false) {
  await emptyAll(database);
  let statements = 0;
  if (counting) database.onQuery(() => statements++);
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const messenger = new CountingMessenger();
  const ctx: CoreContext = { db: database.prisma, clock, messenger, settings: DEFAULT_SETTINGS, log: silentLogger };
  const core = createCore(ctx);
  const { person: facilitator } = await ensureIdentity(ctx.db, clock.now(), "local", { externalId: "bench-facilitator" });
  const programme = await setupProgramme(ctx, { name: "Bench", facilitatorId: facilitator.id });
  await ctx.db.consentRecord.create({ data: { personId: facilitator.id, programmeId: programme.id, kind: "participation", granted: true, policyVersion: 1, recordedAt: clock.now() } });
  const people = await seedMembers(ctx, programme.id, MEMBERS);
  await createSeriesFromTemplate(ctx, facilitator.id, programme.id, "gold_standard", { cron: "0 10 * * 1", timeZone: "UTC" });
  await core.flush();
  messenger.sent = 0;

  // 1. Fan-out
  clock.set("2026-03-02T10:00:00Z");
  statements = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await sweepOccurrences(ctx, clock.now());
  const tOccurrence = performance.now();
  const statementsToOpen = statements;
  while ((await sweepDeliveries(ctx, clock.now())) > 0);
  const tQueued = performance.now();
  const statementsToQueue = statements - statementsToOpen;
  await core.flush();
  let ticks = 0;
  while (messenger.sent < MEMBERS + 1 && ticks < 50) {
    await core.tick();
    ticks++;
  }
  const fanOutMs = performance.now() - t0;
  if (counting) {
    const toSend = statements - statementsToOpen - statementsToQueue;
    console.log(
      `${label} | prompt fan-out to ${MEMBERS} members: ${statements} SQL statements, ${(statements / MEMBERS).toFixed(2)} per person ` +
        `(open the slot and decide who: ${statementsToOpen}; queue: ${statementsToQueue}; send: ${toSend})`,
    );
    return;
  }
  console.log(
    `${label} | fan-out stages: open the slot ${(tOccurrence - t0).toFixed(0)} ms, queue ${MEMBERS} messages ${(tQueued - tOccurrence).toFixed(0)} ms, ` +
      `send them ${(performance.now() - tQueued).toFixed(0)} ms`,
  );
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(
    `${label} | prompt fan-out to ${MEMBERS} members: ${messenger.sent} messages in ${fanOutMs.toFixed(0)} ms ` +
      `(${((messenger.sent / fanOutMs) * 1000).toFixed(0)} messages/s); heap grew ${mb(heapAfter - heapBefore)}`,
  );

  // 2. Interactions
  const latencies: number[] = [];
  const t1 = performance.now();
  for (let i = 0; i < SUGGESTIONS; i++) {
    const start = performance.now();
    const reply = await core.handle({
      platform: "local",
      user: { externalId: people[i % people.length]! },
      place: { kind: "direct" },
      input: { kind: "command", text: `suggest Evening sessions would help carers, idea ${i}` },
    });
    if (reply.error) throw new Error(`suggest failed: ${JSON.stringify(reply)}`);
    latencies.push(performance.now() - start);
  }
  await core.flush();
  const totalMs = performance.now() - t1;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label} | ${SUGGESTIONS} suggestions through core.handle: ${((SUGGESTIONS / totalMs) * 1000).toFixed(0)}/s; ` +
      `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  console.log(`${label} | process memory: rss ${mb(process.memoryUsage().rss)}, heap used ${mb(process.memoryUsage().heapUsed)}`);
}

console.log(`wesaid benchmarks on node ${process.version}, ${MEMBERS} members, ${SUGGESTIONS} suggestions`);
const embedded = await openDatabase({ inMemory: true });
await benchmark("embedded  ", embedded);
await exportBenchmark("embedded  ", embedded, EXPORT_ANSWERS);
await embedded.close();
const counted = await openDatabase({ inMemory: true, observeQueries: true });
await benchmark("embedded  ", counted, true);
await counted.close();
if (process.env.BENCH_DATABASE_URL) {
  const postgres = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL });
  await benchmark("postgresql", postgres);
  await exportBenchmark("postgresql", postgres, EXPORT_ANSWERS);
  await postgres.close();
} else {
  console.log("(set BENCH_DATABASE_URL=postgresql://... to run the same on PostgreSQL)");
}
