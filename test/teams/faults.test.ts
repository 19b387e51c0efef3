import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.ts";
import { OUTBOX_DEFAULTS } from "../../src/outbox.ts";
import { recordConsent } from "../../src/people/index.ts";
import { TeamsWorld } from "./harness.ts";
import { teamsUser, type Recorded, type TeamsUser } from "../support/fake-teams.ts";

/**
 * The outbox sending to Teams (real CloudAdapter, fake Bot Connector) while
 * Teams throttles, fails and hangs. Retry-After waits are crossed by moving
 * the manual clock; only the call timeout (1 s here, 15 s in production) and
 * the connector's brief in-process backoffs take real time.
 */

let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open({}, { callTimeoutMs: 1_000, retry: { baseBackoffMs: 20 } });
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const PROGRAMME = "Carers' breaks review";

async function programme(): Promise<{ fac: TeamsUser; programmeId: string }> {
  const fac = await world.install(teamsUser("Sam Facilitator"));
  await world.send(world.build.inChannel(fac, `setup ${PROGRAMME}`));
  const programmeId = (await world.db.programme.findFirstOrThrow({ where: { name: PROGRAMME } })).id;
  // The facilitator says yes to taking part: until then wesaid sends them nothing else.
  const facilitator = await world.db.membership.findFirstOrThrow({ where: { programmeId, role: "facilitator" } });
  await recordConsent(world.app.core.ctx, { personId: facilitator.personId, programmeId, participation: true, quotation: false });
  return { fac, programmeId };
}


/** Queues one message for each of these people, as a fan-out would. */
async function queueFor(users: TeamsUser[], programmeId: string): Promise<void> {
  for (const [i, user] of users.entries()) {
    const person = await world.db.person.findFirstOrThrow({ where: { displayName: user.name } });
    await world.db.outboxMessage.create({
      data: { key: `fault-${i}`, purpose: "test", personId: person.id, programmeId, message: { summary: `Hello ${user.name}`, blocks: [] }, nextAttemptAt: world.clock.now() },
    });
  }
}

/** Sends, then moves the clock on a minute, until nothing is waiting (bounded). */
async function sendUntilDone(): Promise<void> {
  for (let round = 1; round <= 20; round++) {
    await world.app.core.flush();
    if ((await world.db.outboxMessage.count({ where: { key: { startsWith: "fault-" }, status: { in: ["pending", "sending"] } } })) === 0) return;
    world.clock.advance(MINUTE);
  }
  throw new Error("messages were still waiting after 20 minutes");
}

const posts = (since: number) => world.fake.calls.slice(since).filter((c) => c.kind === "post");
const received = (user: TeamsUser, since: number) => posts(since).filter((c) => c.conversationId === user.chat && c.status >= 200 && c.status < 300).map((c) => c.body.summary as string);

describe("sending to Teams while it throttles, fails and hangs", () => {
  it("pauses the app's sends for the Retry-After Teams gave, and then delivers each message once", async () => {
    const { programmeId } = await programme();
    const people: TeamsUser[] = [];
    for (let i = 0; i < 16; i++) people.push(await world.install(teamsUser(`Person ${i}`)));
    await queueFor(people, programmeId);
    const since = world.fake.calls.length;
    // Teams throttles wesaid for 90 s, asking for 30 s each time.
    const until = world.clock.now().getTime() + 90_000;
    world.fake.failNext(10_000, 429, { headers: { "Retry-After": "30" }, match: (c: Recorded) => c.kind === "post" && world.clock.now().getTime() < until });

    await world.app.core.flush();
    const firstWave = posts(since).filter((c) => c.status === 429).length;
    expect(firstWave).toBeGreaterThan(0);
    expect(firstWave).toBeLessThanOrEqual(OUTBOX_DEFAULTS.concurrency);

    await sendUntilDone();
    for (const person of people) expect(received(person, since)).toEqual([`Hello ${person.name}`]);
    // Then one call per later Retry-After window (the first after a pause goes alone), not one per message.
    const throttled = posts(since).filter((c) => c.status === 429).length;
    expect(throttled).toBeLessThanOrEqual(firstWave + 2);
  });

  it("loses nothing and doubles nothing through 502s and a hung call, and reports who cannot be reached", async () => {
    const { fac, programmeId } = await programme();
    const gone = await world.joinAsExpert("Gone Person");
    const people: TeamsUser[] = [];
    for (let i = 0; i < 6; i++) people.push(await world.install(teamsUser(`Person ${i}`)));
    await queueFor([...people, gone], programmeId);
    world.fake.removedFrom.add(gone.chat);
    const since = world.fake.calls.length;
    world.fake.hangNext(1, (c) => c.kind === "post" && c.conversationId === people[0]!.chat);
    world.fake.failNext(5, 502, { match: (c) => c.kind === "post" && c.conversationId !== gone.chat });

    await sendUntilDone();
    for (const person of people) expect(received(person, since)).toEqual([`Hello ${person.name}`]);
    expect(posts(since).filter((c) => c.status === 0)).toHaveLength(1);
    expect(posts(since).filter((c) => c.status === 502)).toHaveLength(5);
    expect(await world.db.outboxMessage.findUniqueOrThrow({ where: { key: `fault-${people.length}` } })).toMatchObject({ status: "unreachable" });

    await world.app.core.tick();
    const report = world.fake.messages(fac.chat).map((m) => JSON.stringify(m.body)).filter((b) => b.includes("We could not reach"));
    expect(report).toHaveLength(1);
    expect(report[0]).toContain("Gone Person");
  });
});
