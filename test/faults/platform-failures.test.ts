import { describe, expect, it } from "vitest";
import { OUTBOX_DEFAULTS } from "../../src/outbox.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { acceptedPerDm, faultRig, programmeOfSlackMembers, seedBefore, seriesDueAt, startWesaidProcess, thisMinute, until } from "./harness.ts";

/**
 * wesaid as a real process (the real Slack adapter, its production timeouts)
 * sending a fan-out while Slack limits chat.postMessage with 429s, answers
 * 500, leaves calls hanging and refuses some people: nothing is lost, nothing
 * is doubled, and the facilitator is told who could not be reached.
 */
const postgres = process.env.WESAID_TEST_POSTGRES_URL;
const PEOPLE = 300;
const RETRY_AFTER_S = 2;
const LIMITED_FOR_MS = 5_000;
/** Failed sends are tried again after 3 s rather than 30 s (the backoff still doubles from there). */
const QUICK_RETRY = { OUTBOX_RETRY_SECONDS: "3" };

describe.skipIf(!postgres)("a fan-out through a Slack that throttles, fails and hangs", () => {
  const rig = faultRig();
  const { processes } = rig;

  it("reaches everyone who can be reached exactly once, and reports the others to the facilitator", async () => {
    const slot = thisMinute();
    const { seeding, ctx } = await seedBefore(rig, slot);
    const { programme, facilitatorId, members } = await programmeOfSlackMembers(ctx, "Failing Slack programme", PEOPLE, "PF");
    await seriesDueAt(ctx, facilitatorId, programme.id, slot, "Questions through a failing Slack");
    const facilitatorSlackId = (await seeding.prisma.platformIdentity.findFirstOrThrow({ where: { personId: facilitatorId } })).externalId;

    // Two people Slack will not let wesaid write to.
    const gone = [members[7]!, members[150]!];
    for (const m of gone) rig.fake.unreachableUsers.set(m.slackId, "user_not_found");
    // The first two posts are received and never answered; then chat.postMessage is over its
    // limit for five seconds (Slack asks for two seconds each time); then six calls fail with 500.
    rig.fake.hangNext(2, "chat.postMessage");
    let limitedFrom: number | undefined;
    rig.fake.rateLimit("chat.postMessage", RETRY_AFTER_S, () => Date.now() < (limitedFrom ??= Date.now()) + LIMITED_FOR_MS);
    rig.fake.failNext(6, { status: 500 }, "chat.postMessage");

    const wesaid = await startWesaidProcess(rig.database.url, rig.fake, QUICK_RETRY);
    processes.push(wesaid);
    const reports = () => rig.fake.dmOf(facilitatorSlackId).filter((m) => m.text.includes("could not reach"));
    const settled = async () => (await seeding.prisma.outboxMessage.count({ where: { purpose: "prompt.send", status: { in: ["pending", "sending"] } } })) === 0;
    // Retries back off (3 s here after a 500 or a timeout); the report goes out at the next minute's sweep.
    await until(async () => (await settled()) && reports().length >= gone.length, "every prompt settled and the report sent", 200_000, 500);
    await wesaid.stop();

    const perDm = acceptedPerDm(rig.fake);
    const reachable = members.filter((m) => !gone.includes(m));
    expect(reachable.filter((m) => perDm.get(FakeSlack.dmChannelOf(m.slackId)) !== 1).map((m) => `${m.slackId}: ${perDm.get(FakeSlack.dmChannelOf(m.slackId)) ?? 0}`)).toEqual([]);
    for (const m of gone) expect(perDm.get(FakeSlack.dmChannelOf(m.slackId))).toBeUndefined();

    const rows = await seeding.prisma.outboxMessage.findMany({ where: { purpose: "prompt.send" }, select: { personId: true, status: true } });
    const goneIds = new Set(gone.map((m) => m.personId));
    expect(rows.filter((r) => goneIds.has(r.personId!)).map((r) => r.status)).toEqual(["unreachable", "unreachable"]);
    expect(rows.filter((r) => !goneIds.has(r.personId!) && r.status !== "sent")).toEqual([]);

    // The faults really happened, and a 429 paused the method rather than being met once per message.
    const posts = rig.fake.callsTo("chat.postMessage");
    expect(posts.filter((c) => c.status === 0)).toHaveLength(2);
    expect(posts.filter((c) => c.status === 500)).toHaveLength(6);
    const throttled = posts.filter((c) => c.status === 429).length;
    expect(throttled).toBeGreaterThan(0);
    expect(throttled).toBeLessThanOrEqual(OUTBOX_DEFAULTS.concurrency + Math.ceil(LIMITED_FOR_MS / 1000 / RETRY_AFTER_S));

    // One report per person who could not be reached, naming them, to the facilitator only.
    const told = reports().map((m) => m.text);
    expect(told).toHaveLength(2);
    for (const [i, m] of gone.entries()) expect(told.some((t) => t.includes(`Failing Slack programme person ${members.indexOf(m)}`)), `report ${i}`).toBe(true);
    console.log(`platform failures: ${posts.length} chat.postMessage calls, ${throttled} answered 429, 6 answered 500, 2 hung`);
    await seeding.close();
  }, 300_000);
});
