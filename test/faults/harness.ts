import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { DAY, ManualClock } from "../../src/clock.ts";
import { DEFAULT_SETTINGS, silentLogger, type CoreContext } from "../../src/context.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { RoutingMessenger } from "../../src/messenger.ts";
import { ensureIdentity, recordConsent, setupProgramme } from "../../src/people/index.ts";
import { createPanel } from "../../src/panels/index.ts";
import { createSeriesFromTemplate } from "../../src/prompts/index.ts";
import { createTaster, signUp } from "../../src/tasters/index.ts";
import { afterAll, beforeAll } from "vitest";
import { freshPostgres } from "../support/databases.ts";
import { FAKE_TOKEN, FakeSlack } from "../support/fake-slack.ts";

/**
 * wesaid as real processes for the fault tests: `node --import tsx src/main.ts`
 * (what `npm run dev` runs), pointed at PostgreSQL and at a fake Slack on
 * 127.0.0.1, so a test can kill -9 it and start it again on the same database.
 */
const ROOT = new URL("../..", import.meta.url).pathname;
export const ANSWER_SECRET = "fault-tests-answer-secret-0123456789abcdef";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type WesaidProcess = {
  child: ChildProcess;
  pid: number;
  port: number;
  output(): string;
  exited: Promise<number | null>;
  /** kill -9: no shutdown, no flush, connections dropped as they are. */
  crash(): Promise<void>;
  /** SIGTERM and wait for a clean stop. */
  stop(): Promise<void>;
};

const SETTINGS = ["PORT", "HOST", "DATA_DIR", "DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "TEAMS_ALLOW_UNAUTHENTICATED", "PLAYGROUND", "LOG_LEVEL", "SCHEDULER", "ENV_FILE", "OUTBOX_LEASE_SECONDS", "OUTBOX_RETRY_SECONDS"];

/** Starts wesaid with Slack switched on (against `fake`) on `databaseUrl`; resolves once /healthz says ok. */
export async function startWesaidProcess(databaseUrl: string, fake: FakeSlack, extra: Record<string, string> = {}): Promise<WesaidProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SETTINGS) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    WESAID_ANSWER_SECRET: ANSWER_SECRET,
    SLACK_BOT_TOKEN: FAKE_TOKEN,
    SLACK_SIGNING_SECRET: "fault-tests-signing-secret",
    SLACK_API_URL: fake.apiUrl,
    SCHEDULER: "on",
    LOG_LEVEL: "warn",
    ...extra,
  });
  const child = spawn(process.execPath, ["--import", "tsx", join("src", "main.ts")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const running: WesaidProcess = {
    child,
    pid: child.pid!,
    port,
    output: () => output,
    exited,
    async crash() {
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (!gone) child.kill("SIGTERM");
      await exited;
    },
  };
  const started = performance.now();
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return running;
    if (gone || performance.now() - started > 90_000) {
      await running.crash();
      throw new Error(`wesaid did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits (bounded, polling) until `check` holds. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number, everyMs = 20): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A core context on the database for seeding, with its own clock; it sends nothing (no platform is registered). */
export function seedingContext(database: Database, clock: ManualClock): CoreContext {
  return { db: database.prisma, clock, messenger: new RoutingMessenger(), settings: { ...DEFAULT_SETTINGS, answerSecret: ANSWER_SECRET }, log: silentLogger };
}

/** A cron expression for exactly this UTC minute (once a year), so a series made just before it is due at that minute and not again. */
export function cronAt(slot: Date): string {
  return `${slot.getUTCMinutes()} ${slot.getUTCHours()} ${slot.getUTCDate()} ${slot.getUTCMonth() + 1} *`;
}

/** The UTC minute that has just begun (now or earlier). */
export function thisMinute(now = new Date()): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

export type SlackMember = { personId: string; slackId: string };

/**
 * A programme of `count` Slack members who have agreed to take part, with no
 * quiet hours. The facilitator is made through the people loop; the members
 * in bulk, as the benchmark does (one by one would take minutes at 2,000).
 */
export async function programmeOfSlackMembers(ctx: CoreContext, name: string, count: number, prefix: string, options: { quietUntil?: Date } = {}) {
  const now = ctx.clock.now();
  const { person: facilitator } = await ensureIdentity(ctx.db, now, "slack", { externalId: `U${prefix}FAC`, displayName: `${name} facilitator` });
  const programme = await setupProgramme(ctx, { name, facilitatorId: facilitator.id });
  await recordConsent(ctx, { personId: facilitator.id, programmeId: programme.id, participation: true, quotation: false });
  // No quiet hours for anyone, so what is due goes now whatever the hour the test runs at.
  await ctx.db.preference.upsert({ where: { personId: facilitator.id }, create: { personId: facilitator.id, quietStart: 0, quietEnd: 0 }, update: { quietStart: 0, quietEnd: 0 } });
  const members: SlackMember[] = Array.from({ length: count }, (_, i) => ({ personId: `${prefix}-person-${i}`, slackId: `U${prefix}${String(i).padStart(5, "0")}` }));
  await ctx.db.person.createMany({ data: members.map((m, i) => ({ id: m.personId, displayName: `${name} person ${i}` })) });
  // Optionally, quiet hours (UTC) that end at `quietUntil`: what falls due before then waits for that minute.
  const end = options.quietUntil ? options.quietUntil.getUTCHours() * 60 + options.quietUntil.getUTCMinutes() : 0;
  const quiet = options.quietUntil ? { timeZone: "UTC", quietStart: (end - 30 + 24 * 60) % (24 * 60), quietEnd: end } : { quietStart: 0, quietEnd: 0 };
  await ctx.db.preference.createMany({ data: members.map((m) => ({ personId: m.personId, ...quiet })) });
  await ctx.db.platformIdentity.createMany({ data: members.map((m) => ({ personId: m.personId, platform: "slack", externalId: m.slackId, lastSeenAt: now })) });
  await ctx.db.membership.createMany({ data: members.map((m) => ({ personId: m.personId, programmeId: programme.id, role: "expert_by_experience" as const, joinedAt: now })) });
  await ctx.db.consentRecord.createMany({
    data: members.map((m) => ({ personId: m.personId, programmeId: programme.id, kind: "participation" as const, granted: true, policyVersion: programme.consentVersion, recordedAt: now })),
  });
  return { programme, facilitatorId: facilitator.id, members };
}

/** A prompt series whose one slot is `slot`, made a little before it with the seeding clock. */
/** A taster whose reminder (a day before it starts) is due at `reminderAt`, with these members booked (their confirmations are queued now). */
export async function tasterWithReminderAt(ctx: CoreContext, facilitatorId: string, programmeId: string, reminderAt: Date, booked: SlackMember[], title: string) {
  const startsAt = new Date(reminderAt.getTime() + DAY);
  const taster = await createTaster(ctx, facilitatorId, {
    programmeId,
    title,
    whatToExpect: "A relaxed hour to try working together.",
    audienceRoles: ["expert_by_experience"],
    startsAt,
    endsAt: new Date(startsAt.getTime() + 60 * 60_000),
    location: "The Hub",
    capacity: booked.length,
  });
  for (const m of booked) await signUp(ctx, { personId: m.personId, role: "expert_by_experience", tasterId: taster.id });
  return taster;
}

/** A panel that ends at `endsAt` (its debrief is due then), with these members (their invitations are queued now). */
export async function panelEndingAt(ctx: CoreContext, facilitatorId: string, programmeId: string, endsAt: Date, members: SlackMember[], title: string) {
  return createPanel(ctx, facilitatorId, {
    programmeId,
    title,
    purpose: "Choosing a provider together.",
    startsAt: new Date(Math.max(ctx.clock.now().getTime() + 1_000, endsAt.getTime() - 30 * 60_000)),
    endsAt,
    members: members.map((m) => ({ personId: m.personId })),
  });
}

export async function seriesDueAt(ctx: CoreContext, facilitatorId: string, programmeId: string, slot: Date, title: string) {
  return createSeriesFromTemplate(ctx, facilitatorId, programmeId, "gold_standard", { cron: cronAt(slot), timeZone: "UTC", title });
}

/** How many chat.postMessage calls Slack accepted into each DM channel. */
export function acceptedPerDm(fake: FakeSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fake.messages) if (m.channel.startsWith("D")) counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  return counts;
}

export { openDatabase, ManualClock };

/** What a fault test runs against: a fake Slack, a fresh PostgreSQL database, and the wesaid processes it starts. */
export type FaultRig = { fake: FakeSlack; database: { url: string; drop(): Promise<void> }; processes: WesaidProcess[] };

/** Starts a rig before the tests of the describe block it is called in, and after them crashes its processes and drops its database. */
export function faultRig(): FaultRig {
  const rig = { processes: [] } as unknown as FaultRig;
  beforeAll(async () => {
    rig.fake = await FakeSlack.start();
    rig.database = await freshPostgres();
  });
  afterAll(async () => {
    for (const p of rig.processes) await p.crash();
    await rig.fake?.stop();
    await rig.database?.drop();
  });
  return rig;
}

/** The rig's database opened for seeding, with a clock 30 s before `slot` (the series' one slot). */
export async function seedBefore(rig: FaultRig, slot: Date): Promise<{ seeding: Database; ctx: CoreContext }> {
  const seeding = await openDatabase({ databaseUrl: rig.database.url });
  return { seeding, ctx: seedingContext(seeding, new ManualClock(new Date(slot.getTime() - 30_000))) };
}
