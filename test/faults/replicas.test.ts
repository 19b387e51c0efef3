import { describe, expect, it } from "vitest";
import { FakeSlack } from "../support/fake-slack.ts";
import { acceptedPerDm, faultRig, panelEndingAt, programmeOfSlackMembers, seedBefore, seriesDueAt, startWesaidProcess, tasterWithReminderAt, thisMinute, until } from "./harness.ts";

/**
 * Two wesaid processes on one PostgreSQL database, both with the scheduler on:
 * prompt series, taster reminders and panel debriefs fall due while both run.
 * Some are due at start, when both catch up at once. The rest fall due at the
 * next minute, when both sweep in the same second; and a large prompt fan-out
 * found at start waits for its members' quiet hours to end at that minute, so
 * both replicas' send rounds find the same 500 messages due at the same instant.
 * Each due item reaches each person once.
 */
const postgres = process.env.WESAID_TEST_POSTGRES_URL;
/** Programme members: the one due at the next minute is large, so both replicas' send rounds overlap for seconds. */
const MEMBERS = { atStart: 120, nextMinute: 500 };

describe.skipIf(!postgres)("two replicas with the scheduler on", () => {
  const rig = faultRig();
  const { processes } = rig;

  it("deliver every due prompt, reminder and debrief, none missing and none doubled", async () => {
    // Due at start (this minute), and due at the next minute, when both replicas' sweeps run together.
    const atStart = thisMinute();
    // At least 45 s away, so both replicas are running (started in about 20 s) when it comes.
    const nextMinute = new Date(atStart.getTime() + (Date.now() - atStart.getTime() > 15_000 ? 120_000 : 60_000));
    const { seeding, ctx } = await seedBefore(rig, atStart);
    const expected = new Map<string, string[]>();
    const expect_ = (who: { slackId: string }[], what: string) => who.forEach((m) => expected.set(m.slackId, [...(expected.get(m.slackId) ?? []), what]));
    for (const [name, due, prefix, size] of [["Programme due at start", atStart, "RA", MEMBERS.atStart], ["Programme due next minute", nextMinute, "RB", MEMBERS.nextMinute]] as const) {
      const later = due === nextMinute;
      const { programme, facilitatorId, members } = await programmeOfSlackMembers(ctx, name, size, prefix, later ? { quietUntil: nextMinute } : {});
      // Both series are found at start; the second's prompts wait for quiet hours to end at the next minute.
      await seriesDueAt(ctx, facilitatorId, programme.id, atStart, `${name}: questions`);
      expect_(members, "prompt");
      const booked = members.slice(0, 15);
      await tasterWithReminderAt(ctx, facilitatorId, programme.id, due, booked, `${name}: taster`);
      expect_(booked, "taster confirmation");
      expect_(booked, "taster reminder");
      // A panel's debrief is due when it ends; its members were invited when it was set up.
      const panel = members.slice(10, 25);
      await panelEndingAt(ctx, facilitatorId, programme.id, new Date(due.getTime() - (due === atStart ? 10_000 : 0)), panel, `${name}: panel`);
      expect_(panel, "panel invitation");
      expect_(panel, "panel debrief");
    }
    const queuedAtSetup = await seeding.prisma.outboxMessage.count();

    const replicas = await Promise.all([startWesaidProcess(rig.database.url, rig.fake, { LOG_LEVEL: "info" }), startWesaidProcess(rig.database.url, rig.fake, { LOG_LEVEL: "info" })]);
    processes.push(...replicas);
    expect(Date.now(), "both replicas were running before the next minute's sweep").toBeLessThan(nextMinute.getTime());
    const expectedTotal = [...expected.values()].reduce((n, list) => n + list.length, 0);
    const membersAccepted = () => [...acceptedPerDm(rig.fake).entries()].filter(([channel]) => /^DR[AB]\d/.test(channel)).reduce((n, [, c]) => n + c, 0);
    const nothingWaiting = async () => (await seeding.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0;
    // Until just before the next minute no prompt has gone to the second programme's members: they all fall due then, on both replicas at once.
    // (Their taster confirmations and panel invitations, answers to something done for them, went at once.)
    await until(() => Date.now() > nextMinute.getTime() - 1_500, "the next minute to come near", 120_000, 100);
    expect(rig.fake.messages.filter((m) => /^DRB\d/.test(m.channel) && m.text.includes(": questions")).map((m) => m.channel)).toEqual([]);
    expect(await seeding.prisma.promptDelivery.count({ where: { status: "pending", notBefore: nextMinute } })).toBe(MEMBERS.nextMinute);
    // Past the next minute's sweep, then until the outbox is empty and Slack has every message.
    await until(async () => Date.now() > nextMinute.getTime() + 5_000 && membersAccepted() >= expectedTotal && (await nothingWaiting()), "every due message to be sent", 150_000, 500);
    // A little longer: a double would show up now.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    await Promise.all(replicas.map((r) => r.stop()));

    const perDm = acceptedPerDm(rig.fake);
    const wrong = [...expected].flatMap(([slackId, what]) => {
      const got = perDm.get(FakeSlack.dmChannelOf(slackId)) ?? 0;
      return got === what.length ? [] : [`${slackId}: ${got} messages for ${what.join(", ")}`];
    });
    expect(wrong).toEqual([]);
    // Everything queued, whoever it was for (facilitators too), sent once: the outbox and Slack agree.
    const rows = await seeding.prisma.outboxMessage.findMany({ select: { status: true, personId: true, purpose: true } });
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    expect(rows.filter((r) => r.personId).length).toBe(rig.fake.messages.filter((m) => m.channel.startsWith("D")).length);
    const purposes = Object.fromEntries(["prompt.send", "taster.confirm", "taster.reminder", "panel.invite", "panel.debrief"].map((p) => [p, rows.filter((r) => r.purpose === p).length]));
    // Which replicas' minute sweep won some of the scheduled work (either may win all of it; that is allowed).
    const workers = replicas.filter((r) => r.output().includes("scheduled work done")).length;
    console.log(`replicas: ${rows.length} messages (${queuedAtSetup} queued at setup), by purpose ${JSON.stringify(purposes)}; replicas that did scheduled work: ${workers}`);
    await seeding.close();
  }, 300_000);
});
