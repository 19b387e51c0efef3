import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { World, type TestPerson } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import { FAKE_TOKEN, FakeSlack } from "../support/fake-slack.ts";
import { ChannelPacer, SlackMessenger } from "../../adapters/slack/messenger.ts";
import { PayloadCodec } from "../../adapters/slack/codec.ts";
import { Cooldowns } from "../../adapters/cooldowns.ts";
import { RoutingMessenger } from "../../src/messenger.ts";
import { silentLogger, type CoreContext } from "../../src/context.ts";
import { enqueue, dispatchOutbox, OUTBOX_DEFAULTS } from "../../src/outbox.ts";
import { message, para } from "../../src/messages/model.ts";
import { MINUTE } from "../../src/clock.ts";

/**
 * The outbox sending through the real Slack messenger to a fake Slack that
 * throttles, fails and hangs. Time is the manual clock: Retry-After waits are
 * crossed by moving it, never by sleeping.
 */
describe.each(backends())("sending to Slack when it throttles, fails and hangs, on %s", (backend) => {
  let world: World;
  let fake: FakeSlack;
  let ctx: CoreContext;
  /** A freshly started Slack messenger, as after a restart: it remembers nothing. */
  let restart: () => void;

  beforeAll(async () => {
    world = await World.open(backend);
    fake = await FakeSlack.start();
  });
  afterAll(async () => {
    await world.close();
    await fake.stop();
  });
  beforeEach(async () => {
    await world.reset();
    fake.reset();
    // As in production (adapters/slack/index.ts), with a shorter call timeout standing in for 10 s.
    restart = () => {
      const client = new webApi.WebClient(FAKE_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 1_500 });
      const slack = new SlackMessenger(client, new PayloadCodec(), new ChannelPacer(0), silentLogger, () => false, new Cooldowns(() => world.clock.now().getTime()));
      ctx = { ...world.ctx, messenger: new RoutingMessenger().register("slack", slack).register("local", world.messenger) };
    };
    restart();
  });

  async function slackPeople(count: number, prefix = "hello") {
    const programme = await world.programme();
    const people: TestPerson[] = [];
    for (let i = 0; i < count; i++) people.push(await world.person(programme, `Person ${i}`, "expert_by_experience", { platform: "slack" }));
    world.messenger.clear();
    await world.prisma.$transaction((tx) =>
      enqueue(tx, world.clock.now(), ...people.map((p, i) => ({ key: `${prefix}-${i}`, purpose: "test", personId: p.id, message: message(`Hello ${i}`, para(`Hello ${i}`)) }))),
    );
    return { programme, people };
  }

  async function queueAgain(people: TestPerson[], prefix: string) {
    await world.prisma.$transaction((tx) =>
      enqueue(tx, world.clock.now(), ...people.map((p, i) => ({ key: `${prefix}-${i}`, purpose: "test", personId: p.id, message: message(`Again ${i}`, para(`Again ${i}`)) }))),
    );
  }

  /** Sends, then moves the clock on a minute, until nothing is waiting (bounded). */
  async function sendUntilDone(): Promise<number> {
    for (let round = 1; round <= 20; round++) {
      await dispatchOutbox(ctx);
      if ((await world.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0) return round;
      world.clock.advance(MINUTE);
    }
    throw new Error("messages were still waiting after 20 minutes");
  }

  const dms = (p: TestPerson) => fake.dmOf(p.externalId).map((m) => m.text);
  const throttled = () => fake.calls.filter((c) => c.status === 429);

  it("pauses chat.postMessage for everyone after a 429, for the time Slack asked; each person gets one message", async () => {
    const { people } = await slackPeople(30);
    // Slack limits chat.postMessage for 90 s, asking for 30 s each time.
    const until = world.clock.now().getTime() + 90_000;
    fake.rateLimit("chat.postMessage", 30, () => world.clock.now().getTime() < until);

    const first = await dispatchOutbox(ctx);
    expect(first.sent).toBe(0);
    expect(first.retried).toBe(30);
    // Only the calls already on their way when the first 429 came back saw one; the rest waited without asking.
    expect(throttled().length).toBeLessThanOrEqual(OUTBOX_DEFAULTS.concurrency);
    const rows = await world.prisma.outboxMessage.findMany({ where: { key: { startsWith: "hello-" } } });
    for (const row of rows) expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(world.clock.now().getTime() + 29_000);

    await sendUntilDone();
    for (const [i, person] of people.entries()) expect(dms(person)).toEqual([`Hello ${i}`]);
    // The calls under way when the first 429 came back, then one call per later Retry-After window
    // (the first after each pause goes alone): never one 429 per message per attempt.
    const laterWindows = Math.ceil(90 / 30) - 1;
    expect(throttled().length).toBeLessThanOrEqual(OUTBOX_DEFAULTS.concurrency + laterWindows);
    const rowsAfter = await world.prisma.outboxMessage.findMany({ where: { key: { startsWith: "hello-" } } });
    // Waiting as asked used up none of the attempts a message has before it is given up.
    for (const row of rowsAfter) expect(row.attempts).toBeLessThanOrEqual(1);
  });

  it("holds a message whose method is paused even when it was queued after the 429", async () => {
    const { people } = await slackPeople(2);
    fake.failNext(1, { status: 429, retryAfter: 120 }, "chat.postMessage");
    await dispatchOutbox(ctx, { concurrency: 1 });
    expect(throttled()).toHaveLength(1);
    // A minute later Slack would accept it, but the wait it asked for is not over: nothing is sent, nothing asked.
    world.clock.advance(MINUTE);
    await world.prisma.outboxMessage.updateMany({ data: { nextAttemptAt: world.clock.now() } });
    const early = await dispatchOutbox(ctx);
    expect(early.sent).toBe(0);
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429]);
    world.clock.advance(61_000);
    await sendUntilDone();
    for (const person of people) expect(dms(person)).toHaveLength(1);
  });

  it("loses nothing and doubles nothing through 500s and a hung call, and reports who cannot be reached", async () => {
    const { programme, people } = await slackPeople(10);
    const gone = people[9]!;
    fake.unreachableUsers.set(gone.externalId, "user_not_found");
    fake.failNext(4, { status: 500 }, "chat.postMessage");
    fake.hangNext(1, "chat.postMessage");

    await sendUntilDone();
    for (const [i, person] of people.slice(0, 9).entries()) expect(dms(person)).toEqual([`Hello ${i}`]);
    expect(fake.calls.filter((c) => c.method === "chat.postMessage" && c.status === 0)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === "chat.postMessage" && c.status === 500)).toHaveLength(4);
    expect(await world.prisma.outboxMessage.findUniqueOrThrow({ where: { key: "hello-9" } })).toMatchObject({ status: "unreachable" });
    expect(dms(gone)).toEqual([]);

    await world.core.tick();
    const told = programme.facilitator.inbox().filter((m) => m.summary.includes("could not reach"));
    expect(told).toHaveLength(1);
    expect(told[0]!.summary).toContain("Person 9");
  });

  it("reaches each person's DM by their user id, so a restart calls conversations.open for nobody", async () => {
    const { people } = await slackPeople(5);
    await sendUntilDone();
    restart();
    await queueAgain(people, "again");
    await sendUntilDone();
    for (const [i, person] of people.entries()) expect(dms(person)).toEqual([`Hello ${i}`, `Again ${i}`]);
    expect(fake.callsTo("conversations.open")).toEqual([]);
    // Each message carries its outbox key, to be found again after an unanswered send.
    expect(fake.dmOf(people[0]!.externalId)[0]!.metadata).toEqual({ event_type: "wesaid_outbox_message", event_payload: { key: "hello-0" } });
  });

  it("finds a message whose send went unanswered in the DM's history, and does not send it again", async () => {
    const { people } = await slackPeople(1);
    // Slack takes the message but the answer never comes: the call times out.
    fake.hangNext(1, "chat.postMessage", { postAnyway: true });
    const first = await dispatchOutbox(ctx);
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    expect(dms(people[0]!)).toEqual(["Hello 0"]);

    await sendUntilDone();
    expect(dms(people[0]!)).toEqual(["Hello 0"]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("conversations.history")).toHaveLength(1);
    expect(await world.prisma.outboxMessage.findUniqueOrThrow({ where: { key: "hello-0" } })).toMatchObject({
      status: "sent",
      resultRef: { platform: "slack", channel: FakeSlack.dmChannelOf(people[0]!.externalId), ts: fake.dmOf(people[0]!.externalId)[0]!.ts },
    });
  });

  it("finds a message in the DM's history when the sender's claim ran out while Slack was taking it", async () => {
    const { people } = await slackPeople(2);
    fake.hangNext(1, "chat.postMessage", { postAnyway: true });
    // The sender stops waiting (50 ms stands in for two minutes) and no longer extends its claim.
    await dispatchOutbox(ctx, { concurrency: 1, sendTimeoutMs: 50 });
    world.clock.advance(2 * MINUTE);
    const second = await dispatchOutbox(ctx);
    expect(second.sent).toBe(1);
    expect(dms(people[0]!)).toEqual(["Hello 0"]);
    expect(dms(people[1]!)).toEqual(["Hello 1"]);
    expect(fake.callsTo("conversations.history").map((c) => c.body.channel)).toEqual([FakeSlack.dmChannelOf(people[0]!.externalId)]);
    // A message sent cleanly the first time is never looked for.
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });
});
