import { describe, expect, it } from "vitest";
import { OUTBOX_DEFAULTS } from "../../src/outbox.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { acceptedPerDm, faultRig, ManualClock, openDatabase, programmeOfSlackMembers, seedingContext, seriesDueAt, startWesaidProcess, thisMinute, until, type WesaidProcess } from "./harness.ts";

/**
 * kill -9 in the middle of a prompt fan-out on PostgreSQL, then a restart on
 * the same database: every person gets their prompt, and only the message a
 * platform accepted in the instant of the crash may come twice (README, "The
 * outbox": what this promises, per platform). FAULT_PEOPLE sets the size
 * (2,000 by default).
 */
const PEOPLE = Number(process.env.FAULT_PEOPLE ?? 2000);
/** A short lease (renewed every third of it while a send is under way), so the restart waits seconds, not a minute, for the dead process's claims. */
const SHORT_LEASE = { OUTBOX_LEASE_SECONDS: "5" };
const postgres = process.env.WESAID_TEST_POSTGRES_URL;

describe.skipIf(!postgres)("a wesaid killed with kill -9 half-way through a fan-out, then started again", () => {
  const rig = faultRig();
  const { processes } = rig;

  it(`sends each of ${PEOPLE} people their prompt: none lost, and none doubled but the one in flight`, async () => {
    // The series' one slot is this minute; it is made (and the database migrated) just before it.
    const slot = thisMinute();
    const seeding = await openDatabase({ databaseUrl: rig.database.url });
    const clock = new ManualClock(new Date(slot.getTime() - 30_000));
    const ctx = seedingContext(seeding, clock);
    const { programme, members } = await programmeOfSlackMembers(ctx, "Crash test programme", PEOPLE, "CR");
    await seriesDueAt(ctx, (await seeding.prisma.membership.findFirstOrThrow({ where: { programmeId: programme.id, role: "facilitator" } })).personId, programme.id, slot, "Crash test questions");

    const dmsAccepted = () => rig.fake.messages.filter((m) => m.channel.startsWith("D")).length;
    const first = await startWesaidProcess(rig.database.url, rig.fake, SHORT_LEASE);
    processes.push(first);
    // Some sent, not all: then the process dies with no chance to finish or record anything.
    await until(() => dmsAccepted() >= PEOPLE / 4, "the fan-out to start", 120_000, 5);
    const acceptedBefore = dmsAccepted();
    await first.crash();
    const atCrash = rig.fake.messages.length;
    expect(acceptedBefore, "the crash came before the fan-out had finished").toBeLessThan(PEOPLE);
    // What the outbox says at the instant of the crash: rows not yet marked sent.
    const notSentAtCrash = await seeding.prisma.outboxMessage.findMany({ where: { purpose: "prompt.send", status: { not: "sent" } }, select: { personId: true } });
    const stranded = notSentAtCrash.length;
    expect(stranded).toBeGreaterThan(0);
    const acceptedChannelsAtCrash = new Set(rig.fake.messages.slice(0, atCrash).map((m) => m.channel));
    const slackIdOf = new Map(members.map((m) => [m.personId, m.slackId]));
    // The window: Slack had accepted the message, but the outbox had not recorded it as sent.
    const inTheWindow = new Set(notSentAtCrash.map((r) => slackIdOf.get(r.personId!)).filter((id): id is string => id !== undefined && acceptedChannelsAtCrash.has(FakeSlack.dmChannelOf(id))));

    const second = await startWesaidProcess(rig.database.url, rig.fake, SHORT_LEASE);
    processes.push(second);
    // Rows the dead process had claimed wait for their lease to run out; the next send round takes them.
    const done = () => seeding.prisma.outboxMessage.count({ where: { purpose: "prompt.send", status: { not: "sent" } } }).then((n) => n === 0);
    await until(done, "every prompt to be marked sent", 150_000, 500);
    await second.stop();

    // At the fake: each person's DM holds their prompt.
    const perDm = acceptedPerDm(rig.fake);
    const missing = members.filter((m) => !perDm.has(FakeSlack.dmChannelOf(m.slackId)));
    expect(missing.map((m) => m.slackId)).toEqual([]);
    const doubled = members.filter((m) => (perDm.get(FakeSlack.dmChannelOf(m.slackId)) ?? 0) > 1);
    // In the outbox: one prompt per person, every one sent.
    const rows = await seeding.prisma.outboxMessage.groupBy({ by: ["personId", "status"], where: { purpose: "prompt.send" }, _count: true });
    const memberIds = new Set(members.map((m) => m.personId));
    const memberRows = rows.filter((r) => r.personId && memberIds.has(r.personId));
    expect(memberRows).toHaveLength(PEOPLE);
    expect(memberRows.every((r) => r.status === "sent" && r._count === 1)).toBe(true);

    // The promise per platform: a message can come twice only if its request had left when wesaid
    // died. Those are at most the sends under way at once, each accepted just before the crash
    // and at most one extra copy each.
    const repeatsCarryTheirKey = rig.fake.callsTo("chat.postMessage").some((c) => c.body.metadata !== undefined);
    if (repeatsCarryTheirKey) {
      // Slack messages carrying their outbox key are looked up before any resend: none may be doubled.
      expect(doubled.map((m) => m.slackId)).toEqual([]);
    } else {
      expect(doubled.length).toBeLessThanOrEqual(OUTBOX_DEFAULTS.concurrency);
      for (const m of doubled) {
        expect(perDm.get(FakeSlack.dmChannelOf(m.slackId))).toBe(2);
        expect(inTheWindow.has(m.slackId), `${m.slackId} was sent twice, but Slack had not accepted their message before the crash`).toBe(true);
      }
    }
    // Shown in the test output, so a run says how wide the window was.
    console.log(`crash test: ${PEOPLE} people, ${acceptedBefore} accepted before kill -9, ${stranded} not marked sent at the crash, ${inTheWindow.size} accepted by Slack but not marked sent, ${doubled.length} sent twice`);
    await seeding.close();
  }, 300_000);
});
