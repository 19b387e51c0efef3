import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, textOf, type TestPerson } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import { enqueue, dispatchOutbox, type Heartbeat } from "../../src/outbox.ts";
import { message, para } from "../../src/messages/model.ts";
import type { Message } from "../../src/messages/model.ts";
import type { MessageRef, Messenger, SendContext, SendResult, Target } from "../../src/messenger.ts";
import type { RecordingMessenger } from "../support/recording-messenger.ts";
import { MINUTE } from "../../src/clock.ts";
import { createCore } from "../../src/core.ts";

/**
 * A platform whose sends to chosen people hang until the test lets them go
 * (with the platform's own answer, or one the test gives). Everything else
 * goes straight to the recording messenger.
 */
class HangingPlatform implements Messenger {
  readonly waiting: { target: Target; message: Message; answer(result?: SendResult): Promise<void> }[] = [];
  readonly hangFor = new Set<string>();
  /** What the outbox said about each send (its key, and whether an earlier attempt may have arrived). */
  readonly contexts: (SendContext | undefined)[] = [];

  constructor(private readonly inner: RecordingMessenger) {}

  send(target: Target, msg: Message, context?: SendContext): Promise<SendResult> {
    this.contexts.push(context);
    if (!this.hangFor.has(target.externalId)) return this.inner.send(target, msg);
    return new Promise((resolve) => {
      this.waiting.push({ target, message: msg, answer: async (result) => resolve(result ?? (await this.inner.send(target, msg))) });
    });
  }

  update(ref: MessageRef, msg: Message): Promise<SendResult> {
    return this.inner.update(ref, msg);
  }

  /** Until `n` sends are hanging (bounded: the sender must get there on its own). */
  async hanging(n: number): Promise<void> {
    await until(() => this.waiting.length >= n, () => `only ${this.waiting.length} sends started`);
  }
}

/**
 * Until `check` holds, giving the senders turns. Bounded by real time rather than by turns: the embedded
 * database answers from a worker thread, so how many turns a query takes depends on the machine's load.
 */
const UNTIL_LIMIT_MS = 20_000;
async function until(check: () => boolean, why: () => string = () => "it never happened"): Promise<void> {
  const deadline = performance.now() + UNTIL_LIMIT_MS;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(why());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A heartbeat the test fires by hand (a real one fires every third of the lease, in real time). */
function handHeartbeat(): { heartbeat: Heartbeat; beat(): Promise<void> } {
  const beats = new Set<() => Promise<void>>();
  return {
    heartbeat: (beat) => {
      beats.add(beat);
      return { stop: () => beats.delete(beat) };
    },
    beat: async () => void (await Promise.all([...beats].map((b) => b()))),
  };
}

describe.each(backends())("outbox claims and leases on %s", (backend) => {
  let world: World;
  let platform: HangingPlatform;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.reset();
    platform = new HangingPlatform(world.messenger);
  });

  const slow = () => ({ ...world.ctx, messenger: platform });

  async function queue(person: TestPerson, key: string, text = `Message ${key}`) {
    await world.prisma.$transaction((tx) => enqueue(tx, world.clock.now(), { key, purpose: "test", personId: person.id, message: message(text, para(text)) }));
  }

  async function people(...names: string[]): Promise<TestPerson[]> {
    const programme = await world.programme();
    const found: TestPerson[] = [];
    for (const name of names) found.push(await world.person(programme, name, "expert_by_experience"));
    world.messenger.clear();
    return found;
  }

  const row = (key: string) => world.prisma.outboxMessage.findUniqueOrThrow({ where: { key } });
  /** Until the row for `key` passes `check` (the sender writes it from its own turn). */
  async function untilRow(key: string, check: (r: Awaited<ReturnType<typeof row>>) => boolean): Promise<void> {
    const deadline = performance.now() + UNTIL_LIMIT_MS;
    while (!check(await row(key))) {
      if (performance.now() > deadline) throw new Error(`the row ${key} was never recorded`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it("keeps a slow send's row while the send goes on past the lease: a second sender does not send it", async () => {
    const [jo] = await people("Jo");
    await queue(jo!, "slow");
    platform.hangFor.add(jo!.externalId);
    const hand = handHeartbeat();
    const first = dispatchOutbox(slow(), { heartbeat: hand.heartbeat, leaseMs: MINUTE });
    await platform.hanging(1);
    // Three minutes pass with the send still under way; the sender's heartbeat keeps extending its lease.
    for (let i = 0; i < 4; i++) {
      world.clock.advance(45_000);
      await hand.beat();
    }
    const second = await dispatchOutbox(world.ctx);
    expect(second.sent).toBe(0);
    expect(jo!.inbox()).toHaveLength(0);

    await platform.waiting[0]!.answer();
    expect(await first).toMatchObject({ sent: 1, fenced: 0 });
    expect(jo!.inbox()).toHaveLength(1);
    expect(await row("slow")).toMatchObject({ status: "sent", attempts: 1, claimToken: null });
    world.clock.advance(10 * MINUTE);
    await world.core.flush();
    expect(jo!.inbox()).toHaveLength(1);
  });

  it("gives a dead sender's rows to the next sender after the lease, and ignores the dead one's late answers", async () => {
    const [jo, sam] = await people("Jo", "Sam");
    await queue(jo!, "jo");
    await queue(sam!, "sam");
    platform.hangFor.add(jo!.externalId).add(sam!.externalId);
    const dead = handHeartbeat(); // never beats: the sender stopped
    const first = dispatchOutbox(slow(), { heartbeat: dead.heartbeat, leaseMs: MINUTE });
    await platform.hanging(2);

    world.clock.advance(30_000);
    expect((await dispatchOutbox(world.ctx)).sent).toBe(0); // the lease still holds
    world.clock.advance(31_000);
    expect(await dispatchOutbox(world.ctx)).toMatchObject({ sent: 2 });
    expect(jo!.inbox().map((m) => m.summary)).toEqual(["Message jo"]);
    expect(sam!.inbox().map((m) => m.summary)).toEqual(["Message sam"]);
    const sentBySecond = await row("jo");
    expect(sentBySecond).toMatchObject({ status: "sent", attempts: 2 });

    // The first sender wakes up: one answer says sent (to somewhere else), one says try again.
    await platform.waiting[0]!.answer({ ok: true, ref: { platform: "local", id: "late" } });
    await platform.waiting[1]!.answer({ ok: false, kind: "retry", detail: "timed out", retryAfterMs: 1_000 });
    expect(await first).toMatchObject({ sent: 0, retried: 0, fenced: 2 });
    expect(await row("jo")).toMatchObject({ status: "sent", resultRef: sentBySecond.resultRef, sentAt: sentBySecond.sentAt });
    expect(await row("sam")).toMatchObject({ status: "sent", lastError: null });
    world.clock.advance(10 * MINUTE);
    await world.core.flush();
    expect(jo!.inbox()).toHaveLength(1);
    expect(sam!.inbox()).toHaveLength(1);
  });

  it("does not let a hung send hold up the others, and lets its row go once the send has had its time", async () => {
    const [jo, ...others] = await people("Jo", "Sam", "Ali", "Bea", "Cal", "Dee", "Eve", "Fin", "Gus", "Hal", "Ida");
    for (const person of [jo!, ...others]) await queue(person, `to-${person.externalId}`);
    platform.hangFor.add(jo!.externalId);
    // A hung call holds one of the two places; every other message still goes. 50 ms stands in for the two minutes.
    const report = await dispatchOutbox(slow(), { concurrency: 2, sendTimeoutMs: 50 });
    expect(report.sent).toBe(others.length);
    for (const person of others) expect(person.inbox()).toHaveLength(1);
    expect(await row(`to-${jo!.externalId}`)).toMatchObject({ status: "sending" });

    // Its lease is no longer extended: once it runs out, the next sender delivers it, once.
    world.clock.advance(2 * MINUTE);
    await world.core.flush();
    expect(jo!.inbox()).toHaveLength(1);
    await platform.waiting[0]!.answer({ ok: false, kind: "retry", detail: "socket hang up" });
    await world.core.flush();
    expect(await row(`to-${jo!.externalId}`)).toMatchObject({ status: "sent" });
    expect(jo!.inbox()).toHaveLength(1);
  });

  it("sends one person's messages in the order they were queued, even when the first is slow", async () => {
    const [jo, sam] = await people("Jo", "Sam");
    for (let i = 1; i <= 4; i++) await queue(jo!, `jo-${i}`);
    await queue(sam!, "sam-1");
    platform.hangFor.add(jo!.externalId);
    const sending = dispatchOutbox(slow());
    await platform.hanging(1);
    // Sam is not held up by Jo's slow message; Jo's next messages wait behind it.
    await until(() => sam!.inbox().length === 1);
    expect(jo!.inbox()).toHaveLength(0);
    platform.hangFor.delete(jo!.externalId);
    await platform.waiting[0]!.answer();
    expect(await sending).toMatchObject({ sent: 5 });
    expect(jo!.inbox().map((m) => m.summary)).toEqual(["Message jo-1", "Message jo-2", "Message jo-3", "Message jo-4"]);
    expect(platform.waiting).toHaveLength(1);
  });

  it("sends each of 150 messages once when three senders run at the same moment", async () => {
    const group = await people("Jo", "Sam", "Ali", "Bea", "Cal");
    for (let i = 0; i < 150; i++) await queue(group[i % group.length]!, `bulk-${i}`);
    const reports = await Promise.all([dispatchOutbox(world.ctx), dispatchOutbox(world.ctx, { concurrency: 3 }), dispatchOutbox(world.ctx, { concurrency: 1 })]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(150);
    const keys = world.messenger.sent.map((s) => s.message.summary);
    expect(new Set(keys).size).toBe(150);
    expect(keys).toHaveLength(150);
    expect(await world.prisma.outboxMessage.count({ where: { key: { startsWith: "bulk-" }, status: "sent", attempts: 1 } })).toBe(150);
  });

  it("records a batch of successes only for the rows this sender still holds", async () => {
    const group = await people("Jo", "Sam", "Ali", "Bea");
    for (const person of group) await queue(person, `batch-${person.externalId}`);
    for (const person of group) platform.hangFor.add(person.externalId);
    const hand = handHeartbeat();
    const first = dispatchOutbox(slow(), { heartbeat: hand.heartbeat, leaseMs: MINUTE });
    await platform.hanging(4);
    // Two of the four claims run out (their sender stalled on them); a second sender takes and sends those two.
    const lapsed = group.slice(0, 2).map((p) => `batch-${p.externalId}`);
    await world.prisma.outboxMessage.updateMany({ where: { key: { in: lapsed } }, data: { leaseUntil: new Date(world.clock.now().getTime() - 1) } });
    expect(await dispatchOutbox(world.ctx)).toMatchObject({ sent: 2 });
    const bySecond = await Promise.all(lapsed.map(row));

    // The first sender's four answers all say sent, and are written together: two recorded, two fenced.
    await Promise.all(platform.waiting.map((w) => w.answer({ ok: true, ref: { platform: "local", id: `late-${w.target.externalId}` } })));
    expect(await first).toMatchObject({ sent: 2, fenced: 2 });
    for (const [i, key] of lapsed.entries()) expect(await row(key)).toMatchObject({ status: "sent", resultRef: bySecond[i]!.resultRef });
    for (const person of group.slice(2)) {
      expect(await row(`batch-${person.externalId}`)).toMatchObject({ status: "sent", resultRef: { platform: "local", id: `late-${person.externalId}` }, claimToken: null });
    }
  });

  it("with a short lease and retry wait set, a claim lasts that lease and a failed send is tried again after that wait", async () => {
    const [jo, sam] = await people("Jo", "Sam");
    await queue(jo!, "short-lease");
    await queue(sam!, "quick-retry");
    platform.hangFor.add(jo!.externalId).add(sam!.externalId);
    // A wesaid started with OUTBOX_LEASE_SECONDS=5 and OUTBOX_RETRY_SECONDS=3; its sends hang.
    const quick = createCore({ ...slow(), settings: { ...world.ctx.settings, outboxLeaseMs: 5_000, outboxRetryMs: 3_000 } });
    const sending = quick.flush();
    await platform.hanging(2);
    const claimedAt = world.clock.now().getTime();
    expect((await row("short-lease")).leaseUntil?.getTime()).toBe(claimedAt + 5_000);
    await platform.waiting[1]!.answer({ ok: false, kind: "retry", detail: "internal_error" });
    await untilRow("quick-retry", (r) => r.status === "pending");
    const retryAt = (await row("quick-retry")).nextAttemptAt.getTime() - claimedAt;
    expect(retryAt).toBeGreaterThanOrEqual(2_400);
    expect(retryAt).toBeLessThanOrEqual(3_600);

    await platform.waiting[0]!.answer();
    expect(await sending).toMatchObject({ sent: 1, retried: 1 });
  });

  it("tells the platform when an earlier attempt may have arrived: a claim that ran out, or a call that went unanswered", async () => {
    const [jo, sam] = await people("Jo", "Sam");
    await queue(jo!, "lapsed");
    await queue(sam!, "unanswered");
    platform.hangFor.add(jo!.externalId).add(sam!.externalId);
    const dead = handHeartbeat();
    const first = dispatchOutbox(slow(), { heartbeat: dead.heartbeat, leaseMs: MINUTE });
    await platform.hanging(2);
    expect(platform.contexts).toEqual([
      { key: "lapsed", ambiguous: false },
      { key: "unanswered", ambiguous: false },
    ]);
    // Sam's call comes back unanswered in time; Jo's never does and its claim runs out.
    await platform.waiting[1]!.answer({ ok: false, kind: "retry", detail: "timed out", uncertain: true });
    // The first sender records that answer (with a retry time from its clock) before the clock moves on.
    await untilRow("unanswered", (r) => r.status === "pending" && r.lastError === "timed out");
    world.clock.advance(2 * MINUTE);
    platform.hangFor.clear();
    platform.contexts.length = 0;
    await dispatchOutbox(slow());
    expect(platform.contexts).toEqual(expect.arrayContaining([{ key: "lapsed", ambiguous: true }, { key: "unanswered", ambiguous: true }]));
    expect(await row("lapsed")).toMatchObject({ status: "sent" });
    expect(await row("unanswered")).toMatchObject({ status: "sent" });

    // A message whose first attempt had a clear answer is not ambiguous.
    await queue(sam!, "clear");
    platform.contexts.length = 0;
    await dispatchOutbox(slow());
    expect(platform.contexts).toEqual([{ key: "clear", ambiguous: false }]);
    await platform.waiting[0]!.answer({ ok: false, kind: "retry", detail: "late" });
    await first;
  });
});
