/**
 * Digest benchmark: `npm run bench:digest` (embedded database), and on
 * PostgreSQL too when BENCH_DATABASE_URL is set (a database it may fill and empty).
 *
 * A programme of BENCH_DIGEST_PEOPLE people (default 1,000) over
 * BENCH_DIGEST_WEEKS weeks (default 12) of weekly questions (one scale answer
 * each), so 1,000 x 100 occurrences = 100,000 answers by default; plus ideas,
 * "we did" updates with replies, and a panel a week. Times buildDigest for the
 * last week (loop measures, a trend point per week, stages). Prints figures; asserts nothing.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_SETTINGS } from "../src/context.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { buildDigest } from "../src/digest/index.ts";
import type { Role } from "../src/roles.ts";

const PEOPLE = Number(process.env.BENCH_DIGEST_PEOPLE ?? 1000);
const OCCURRENCES = Number(process.env.BENCH_DIGEST_OCCURRENCES ?? 100);
const WEEKS = Number(process.env.BENCH_DIGEST_WEEKS ?? 12);
const DAY = 86_400_000;
const START = new Date("2026-01-05T00:00:00Z"); // a Monday
const ROLES: Role[] = ["expert_by_experience", "expert_by_experience", "professional", "commissioner"];

async function emptyAll(db: Database) {
  const tables = await db.prisma.$queryRawUnsafe<{ t: string }[]>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations'");
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((r) => `"${r.t}"`).join(", ")} CASCADE`);
}

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>, size = 5000) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

async function seed(db: Database): Promise<string> {
  const prisma = db.prisma;
  const programme = await prisma.programme.create({ data: { name: "Benchmark programme", createdAt: START } });
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: randomUUID(), role: ROLES[i % ROLES.length]! }));
  await inChunks(people, (c) => prisma.person.createMany({ data: c.map((p, i) => ({ id: p.id, displayName: `Person ${i}` })) }));
  await inChunks(people, (c) => prisma.membership.createMany({ data: c.map((p) => ({ personId: p.id, programmeId: programme.id, role: p.role, joinedAt: START })) }));
  const series = await prisma.promptSeries.create({
    data: {
      programmeId: programme.id,
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
  const questionId = series.questions[0]!.id;
  const span = WEEKS * 7 * DAY - DAY;
  for (let o = 0; o < OCCURRENCES; o++) {
    const when = new Date(START.getTime() + Math.floor((o / OCCURRENCES) * span));
    const occurrence = await prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * DAY) } });
    const answeredAt = new Date(when.getTime() + 3_600_000);
    await inChunks(people, (c) =>
      prisma.promptDelivery.createMany({ data: c.map((p) => ({ occurrenceId: occurrence.id, personId: p.id, role: p.role, status: "answered", notBefore: when, sentAt: when, answeredAt })) }),
    );
    await inChunks(people, (c) =>
      prisma.promptResponse.createMany({
        data: c.map((p, i) => ({ occurrenceId: occurrence.id, questionId, personId: p.id, role: p.role, responseKey: `${occurrence.id}:${p.id}`, number: (i + o) % 11, answeredAt, updatedAt: answeredAt })),
      }),
    );
  }
  // Ideas: one a person over the weeks, half answered by a "we did" update, with replies.
  const ideas = people.map((p, i) => ({ id: randomUUID(), programmeId: programme.id, number: i + 1, raisedById: p.id, raisedByRole: p.role, text: `Idea ${i + 1}`, createdAt: new Date(START.getTime() + Math.floor((i / PEOPLE) * span)) }));
  await inChunks(ideas, (c) => prisma.feedbackItem.createMany({ data: c }));
  await inChunks(ideas, (c) => prisma.feedbackStatusChange.createMany({ data: c.map((i) => ({ itemId: i.id, from: null, to: "received" as const, changedAt: i.createdAt })) }));
  const answered = ideas.filter((_, i) => i % 2 === 0);
  for (const idea of answered) {
    const postedAt = new Date(idea.createdAt.getTime() + 3 * DAY);
    const update = await prisma.feedbackUpdate.create({ data: { programmeId: programme.id, authorRole: "commissioner", text: "We did it", postedAt, items: { create: [{ itemId: idea.id }] } } });
    await prisma.feedbackItem.update({ where: { id: idea.id }, data: { status: "done", firstRespondedAt: postedAt, closedAt: postedAt } });
    await prisma.feedbackStatusChange.create({ data: { itemId: idea.id, from: "received", to: "done", changedAt: postedAt } });
    await prisma.feedbackReaction.create({ data: { updateId: update.id, itemId: idea.id, personId: idea.raisedById, answered: ["yes", "partly", "no"][idea.number % 3]!, reactedAt: new Date(postedAt.getTime() + DAY) } });
  }
  for (let w = 0; w < WEEKS; w++) {
    const startsAt = new Date(START.getTime() + w * 7 * DAY + 3 * DAY);
    const members = people.filter((_, i) => (i + w) % 20 === 0);
    await prisma.panel.create({ data: { programmeId: programme.id, title: `Panel ${w + 1}`, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), members: { create: members.map((m) => ({ personId: m.id, role: m.role })) } } });
  }
  return programme.id;
}

async function run(label: string, db: Database) {
  await emptyAll(db);
  const seeded = Date.now();
  const programmeId = await seed(db);
  console.log(`${label}: seeded ${PEOPLE} people, ${PEOPLE * OCCURRENCES} answers, ${WEEKS} weeks in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const week = new Date(START.getTime() + (WEEKS - 1) * 7 * DAY);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const d = await buildDigest(db.prisma, DEFAULT_SETTINGS, programmeId, week);
    times.push(performance.now() - t0);
    if (i === 0) console.log(`${label}: trend points ${d.trend.length}, open ideas ${d.measures?.ideas.open}, people this week ${d.participation.people}`);
  }
  console.log(`${label}: buildDigest ${times.map((t) => `${Math.round(t)} ms`).join(", ")} (three runs); rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
}

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
