/**
 * Fan-out benchmark (issue 12): one message to FANOUT_PEOPLE people (10,000
 * unless set) through the real outbox and the real Slack and Teams adapters
 * (wesaid started as in production, on the embedded database, or on
 * PostgreSQL with BENCH_DATABASE_URL), against fakes on 127.0.0.1 that
 * enforce the platforms' documented limits and answer 429 with Retry-After
 * when they are exceeded:
 *   Teams: 7 a second (8 in 2 s, 60 in 30 s) per conversation, 50 a second per app per tenant.
 *   Slack: about 1 a second per conversation with short bursts for chat.postMessage;
 *          Tier 3 (50 a minute) for conversations.open and conversations.history.
 * Prints elapsed time against the least time those limits allow, the 429s
 * received, and what the fake received: every person exactly one message.
 * FANOUT_PLATFORMS=teams or slack runs one of them. Asserts nothing.
 */
import { mkdtempSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { ConversationReference } from "botbuilder";
import { buildAdapters } from "../adapters/index.ts";
import { startWesaid, type Wesaid } from "../src/app.ts";
import { silentLogger } from "../src/context.ts";
import { message, para } from "../src/messages/model.ts";
import { enqueue } from "../src/outbox.ts";
import { BOT, FakeTeams, TEAMS_LIMITS, TENANT } from "../test/support/fake-teams.ts";
import { FAKE_TOKEN, FakeSlack, SLACK_LIMITS } from "../test/support/fake-slack.ts";
import { emptyDatabase } from "../test/support/databases.ts";

const PEOPLE = Number(process.env.FANOUT_PEOPLE ?? 10_000);
const PLATFORMS = (process.env.FANOUT_PLATFORMS ?? "teams,slack").split(",").map((p) => p.trim());

type Platform = "teams" | "slack";

async function seed(app: Wesaid, platform: Platform, serviceUrl: string): Promise<void> {
  const db = app.database.prisma;
  const now = new Date();
  const ids = Array.from({ length: PEOPLE }, (_, i) => `${platform}-person-${i}`);
  for (let start = 0; start < PEOPLE; start += 1_000) {
    const slice = ids.slice(start, start + 1_000);
    await db.person.createMany({ data: slice.map((id, i) => ({ id, displayName: `Person ${start + i}` })) });
    await db.platformIdentity.createMany({
      data: slice.map((personId, i) => {
        const n = start + i;
        if (platform === "slack") return { personId, platform, externalId: `U${String(n).padStart(8, "0")}`, lastSeenAt: now };
        const reference: ConversationReference = {
          channelId: "msteams",
          serviceUrl,
          conversation: { id: `a:bench-${n}`, conversationType: "personal", tenantId: TENANT, isGroup: false, name: "" },
          bot: BOT,
          user: { id: `29:bench-${n}`, name: `Person ${n}` },
        } as ConversationReference;
        return { personId, platform, externalId: `29:bench-${n}`, lastSeenAt: now, address: { kind: "conversation", reference } as object };
      }),
    });
    await db.$transaction((tx) =>
      enqueue(tx, now, ...slice.map((personId) => ({ key: `bench:${personId}`, purpose: "bench", personId, message: message("A new question for you", para("What would make the next session easier to join?")) }))),
    );
  }
}

async function waiting(app: Wesaid): Promise<{ count: number; nextAt?: Date }> {
  const db = app.database.prisma;
  const count = await db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });
  const next = await db.outboxMessage.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
  return { count, nextAt: next?.nextAttemptAt };
}

async function run(app: Wesaid, platform: Platform, teams: FakeTeams, slack: FakeSlack): Promise<void> {
  await emptyDatabase(app.database);
  teams.reset();
  slack.reset();
  teams.enforceLimits(TEAMS_LIMITS);
  slack.enforceLimits(SLACK_LIMITS);
  await seed(app, platform, teams.serviceUrl);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (;;) {
    await app.core.flush();
    const left = await waiting(app);
    if (left.count === 0) break;
    // Held back (a 429, or the pacing handing a long wait to the outbox): wait until the first is due.
    const dueIn = left.nextAt ? left.nextAt.getTime() - Date.now() : 100;
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(dueIn, 20), 5_000)));
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerMessage = (cpu.user + cpu.system) / 1000 / PEOPLE;
  if (process.env.FANOUT_DEBUG && platform === "teams") {
    const at = teams.messages().map((m) => m.at!).sort((a, b) => a - b);
    const perSecond = new Map<number, number>();
    for (const t of at) perSecond.set(Math.floor((t - at[0]!) / 1000), (perSecond.get(Math.floor((t - at[0]!) / 1000)) ?? 0) + 1);
    console.log(`first arrival ${(at[0]! - t0).toFixed(0)} ms after start; per second: ${[...perSecond.values()].join(" ")}`);
    console.log(teams.throttled().map((c) => (c.at! - t0).toFixed(0)).join(" "));
  }

  const delivered = platform === "teams" ? teams.messages().map((m) => m.conversationId!) : slack.messages.map((m) => m.channel);
  const distinct = new Set(delivered).size;
  const throttled = platform === "teams" ? teams.throttled().length : slack.calls.filter((c) => c.status === 429).length;
  const rows = await app.database.prisma.outboxMessage.groupBy({ by: ["status"], _count: true });
  const least = platform === "teams" ? PEOPLE / TEAMS_LIMITS.perTenant[0]!.limit : 0;
  const opens = platform === "slack" ? slack.callsTo("conversations.open").length : 0;
  console.log(
    `${platform.padEnd(5)} | ${PEOPLE} people: ${elapsedS.toFixed(1)} s (${(PEOPLE / elapsedS).toFixed(1)} messages/s)` +
      (least > 0 ? `; least time the limits allow ${least.toFixed(0)} s, ratio ${(elapsedS / least).toFixed(3)}` : "; the limits allow any speed for distinct DMs") +
      `; 429s received ${throttled}; at the fake ${delivered.length} messages to ${distinct} people (lost ${PEOPLE - distinct}, doubled ${delivered.length - distinct})` +
      (platform === "slack" ? `; conversations.open calls ${opens}` : "") +
      `; outbox rows ${rows.map((r) => `${r.status} ${r._count}`).join(", ")}` +
      `; CPU ${cpuMsPerMessage.toFixed(1)} ms per message in this process (fakes included), so at most ${(1000 / cpuMsPerMessage).toFixed(0)} messages/s on one free core`,
  );
}

const teams = await FakeTeams.start();
const slack = await FakeSlack.start();
const app = await startWesaid({
  env: {
    PORT: "0",
    HOST: "127.0.0.1",
    SCHEDULER: "off",
    LOG_LEVEL: "error",
    DATA_DIR: mkdtempSync(join(tmpdir(), "wesaid-fanout-")),
    TEAMS_ALLOW_UNAUTHENTICATED: "1",
    SLACK_BOT_TOKEN: FAKE_TOKEN,
    SLACK_SIGNING_SECRET: "fanout-bench-signing-secret",
    SLACK_API_URL: slack.apiUrl,
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  },
  log: silentLogger,
  buildAdapters,
});
console.log(
  `fan-out on node ${process.version}, ${PEOPLE} people, ${app.database.kind} database, ${new Date().toISOString()}, ` +
    `${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
);
try {
  for (const platform of PLATFORMS) await run(app, platform as Platform, teams, slack);
} finally {
  await app.stop();
  await teams.stop();
  await slack.stop();
}
