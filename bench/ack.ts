/**
 * Slack acknowledgement latency (issue 12): `npm run bench:ack`.
 *
 * wesaid started in this process with Slack switched on (startWesaid, the real Bolt adapter), and a bare
 * Bolt app (HTTPReceiver, listeners that ack at once) on the same machine, answer the same requests signed
 * exactly as Slack signs them: half `/wesaid suggest ...` in the programme's channel, half a button press.
 * The load comes from a worker thread (bench/ack-load.mjs) at a fixed rate, open loop, so a slow answer
 * never slows the sending. For each rate: acknowledgement p50/p99 for both, the p99 ratio, requests past
 * Slack's 3 seconds, and for wesaid the time from acknowledgement to the person's reply at the fake Slack.
 * Talks to wesaid over HTTP only, so it measures whatever acknowledgement main has.
 *
 * BENCH_ACK_SECONDS (60), BENCH_ACK_RATES ("20,50,100"), BENCH_ACK_MEMBERS (200);
 * PostgreSQL too when BENCH_DATABASE_URL is set (a database the benchmark may fill and empty);
 * BENCH_ACK_BACKENDS ("pglite,postgres") picks one of them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import bolt from "@slack/bolt";
import { startWesaid, type Wesaid } from "../src/app.ts";
import { buildAdapters } from "../adapters/index.ts";
import { silentLogger } from "../src/context.ts";
import { ensureIdentity, setupProgramme } from "../src/people/index.ts";

type LoadRequest = { url: string; rate: number; seconds: number; run: string; users: string[]; channel: string };
type LoadResult = {
  sent: number;
  /** Milliseconds from sending to the acknowledgement, per request (failed requests are left out and counted). */
  ack: number[];
  failed: number;
  /** Milliseconds from the acknowledgement to the person's reply at the fake Slack (0 when the reply came in the acknowledgement). */
  reply: number[];
  /** Requests whose reply had not arrived 10 s after the last acknowledgement. */
  noReply: number;
};

const SECONDS = Number(process.env.BENCH_ACK_SECONDS ?? 60);
const RATES = (process.env.BENCH_ACK_RATES ?? "20,50,100").split(",").map(Number);
const MEMBERS = Number(process.env.BENCH_ACK_MEMBERS ?? 200);
const SECRET = "bench-signing-secret-0123456789abcdef";
const TEAM = "T0WESAID";
const CHANNEL = "C0BENCH";
const USERS = Array.from({ length: MEMBERS }, (_, i) => `U0BENCH${i}`);

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (value: number) => (Number.isNaN(value) ? "-" : value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

// ------------------------------------------------------------------ the load worker
const worker = new Worker(new URL("./ack-load.mjs", import.meta.url), { workerData: { secret: SECRET, team: TEAM } });
const messages: ((m: { kind: string; apiUrl?: string; result?: LoadResult }) => void)[] = [];
worker.on("message", (m) => messages.shift()?.(m));
const next = () => new Promise<{ kind: string; apiUrl?: string; result?: LoadResult }>((resolve) => messages.push(resolve));
const apiUrl = (await next()).apiUrl!;
let runs = 0;
async function load(url: string, rate: number): Promise<LoadResult> {
  const answer = next();
  const request: LoadRequest = { url, rate, seconds: SECONDS, run: `r${++runs}`, users: USERS, channel: CHANNEL };
  worker.postMessage({ kind: "run", load: request });
  return (await answer).result!;
}

// ------------------------------------------------------------------ a bare Bolt app
async function startBareBolt(): Promise<{ url: string; stop(): Promise<void> }> {
  const receiver = new bolt.HTTPReceiver({ signingSecret: SECRET, endpoints: "/slack/events" });
  const app = new bolt.App({
    receiver,
    authorize: async () => ({ botToken: "xoxb-bench", botId: "B0BENCH", botUserId: "U0BENCHBOT" }),
    clientOptions: { slackApiUrl: apiUrl },
    logLevel: bolt.LogLevel.ERROR,
  });
  app.command("/wesaid", async ({ ack }) => ack());
  app.action(/.*/, async ({ ack }) => ack());
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  await app.start(port);
  return { url: `http://127.0.0.1:${port}/slack/events`, stop: () => app.stop().then(() => undefined) };
}

// ------------------------------------------------------------------ wesaid
async function startWesaidFor(backend: "pglite" | "postgres"): Promise<{ app: Wesaid; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "wesaid-bench-ack-"));
  const app = await startWesaid({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      SCHEDULER: "off",
      LOG_LEVEL: "error",
      DATA_DIR: dataDir,
      ...(backend === "postgres" ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: apiUrl,
      WESAID_ANSWER_SECRET: "bench-answer-secret-0123456789abcdef0123456789",
    },
    log: silentLogger,
    buildAdapters,
  });
  await seed(app);
  return {
    app,
    stop: async () => {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A programme linked to the channel, with every benchmark user a consenting member. */
async function seed(app: Wesaid) {
  const ctx = app.core.ctx;
  const db = app.database.prisma;
  const tables = await db.$queryRawUnsafe<{ t: string }[]>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations'");
  await db.$executeRawUnsafe(`TRUNCATE ${tables.map((r) => `"${r.t}"`).join(", ")} CASCADE`);
  const now = ctx.clock.now();
  const { person: facilitator } = await ensureIdentity(db, now, "slack", { externalId: "U0BENCHFAC", displayName: "Facilitator" });
  const programme = await setupProgramme(ctx, { name: "Benchmark programme", facilitatorId: facilitator.id, channel: { platform: "slack", externalId: CHANNEL, name: "co-production" } });
  const ids = USERS.map((_, i) => `bench-ack-person-${i}`);
  await db.person.createMany({ data: ids.map((id, i) => ({ id, displayName: `Person ${i}` })) });
  await db.preference.createMany({ data: ids.map((personId) => ({ personId, quietStart: 0, quietEnd: 0 })) });
  await db.platformIdentity.createMany({ data: ids.map((personId, i) => ({ personId, platform: "slack", externalId: USERS[i]!, lastSeenAt: now })) });
  await db.membership.createMany({ data: ids.map((personId) => ({ personId, programmeId: programme.id, role: "expert_by_experience" as const, joinedAt: now, welcomedAt: now })) });
  await db.consentRecord.createMany({ data: ids.map((personId) => ({ personId, programmeId: programme.id, kind: "participation" as const, granted: true, policyVersion: 1, recordedAt: now })) });
  await app.core.flush();
}

// ------------------------------------------------------------------ the runs
type Line = { backend: string; rate: number; bolt: LoadResult; wesaid: LoadResult };
const lines: Line[] = [];
const backends = (process.env.BENCH_ACK_BACKENDS ?? (process.env.BENCH_DATABASE_URL ? "pglite,postgres" : "pglite")).split(",") as ("pglite" | "postgres")[];
const bare = await startBareBolt();
console.log(`acknowledgement benchmark: ${SECONDS} s per rate, rates ${RATES.join(", ")}/s, ${MEMBERS} members, node ${process.version}`);
for (const backend of backends) {
  for (const rate of RATES) {
    const wesaid = await startWesaidFor(backend);
    const boltResult = await load(bare.url, rate);
    const wesaidResult = await load(`${wesaid.app.url}/slack/events`, rate);
    await wesaid.app.core.flush().catch(() => undefined);
    await wesaid.stop();
    lines.push({ backend, rate, bolt: boltResult, wesaid: wesaidResult });
    console.log(row(lines.at(-1)!));
  }
}
await bare.stop();
worker.postMessage({ kind: "stop" });
await worker.terminate();

console.log("\n| database | rate | requests | bare Bolt p50 / p99 | wesaid p50 / p99 | p99 ratio | wesaid past 3 s | wesaid failed | ack → reply p50 / p99 | no reply |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const line of lines) console.log(row(line));
process.exit(0);

function row({ backend, rate, bolt: b, wesaid: w }: Line): string {
  const ratio = percentile(w.ack, 99) / percentile(b.ack, 99);
  const late = w.ack.filter((v) => v > 3000).length;
  return `| ${backend} | ${rate}/s | ${w.sent} | ${ms(percentile(b.ack, 50))} / ${ms(percentile(b.ack, 99))} | ${ms(percentile(w.ack, 50))} / ${ms(percentile(w.ack, 99))} | ${ratio.toFixed(1)}× | ${late} | ${w.failed} | ${ms(percentile(w.reply, 50))} / ${ms(percentile(w.reply, 99))} | ${w.noReply} |`;
}
