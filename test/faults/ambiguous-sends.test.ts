import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { World, type TestPerson } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import { FAKE_TOKEN, FakeSlack } from "../support/fake-slack.ts";
import { teamsUser, type TeamsUser } from "../support/fake-teams.ts";
import { TeamsWorld } from "../teams/harness.ts";
import { ChannelPacer, SlackMessenger } from "../../adapters/slack/messenger.ts";
import { PayloadCodec } from "../../adapters/slack/codec.ts";
import { Cooldowns } from "../../adapters/cooldowns.ts";
import { RoutingMessenger } from "../../src/messenger.ts";
import { silentLogger, type CoreContext } from "../../src/context.ts";
import { enqueue, dispatchOutbox } from "../../src/outbox.ts";
import { message, para } from "../../src/messages/model.ts";
import { MINUTE } from "../../src/clock.ts";
import { recordConsent } from "../../src/people/index.ts";

/**
 * The one window the README admits: the platform carried out a send but its
 * answer never came (a lost reply, then the call's timeout). wesaid cannot
 * know the message went, so it tries again: that one message may arrive
 * twice, and nothing else may. Slack messages that carry their outbox key
 * can be looked up first; once they do, not even that one may repeat.
 */
describe.each(backends())("Slack carried out a post but its answer was lost, on %s", (backend) => {
  let world: World;
  let fake: FakeSlack;
  let ctx: CoreContext;

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
    const client = new webApi.WebClient(FAKE_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 1_000, logLevel: webApi.LogLevel.ERROR });
    const slack = new SlackMessenger(client, new PayloadCodec(), new ChannelPacer(0), silentLogger, () => false, new Cooldowns(() => world.clock.now().getTime()));
    ctx = { ...world.ctx, messenger: new RoutingMessenger().register("slack", slack).register("local", world.messenger) };
  });

  it("sends everyone their message; only the one whose answer was lost may come twice", async () => {
    const programme = await world.programme();
    const people: TestPerson[] = [];
    for (let i = 0; i < 10; i++) people.push(await world.person(programme, `Person ${i}`, "expert_by_experience", { platform: "slack" }));
    await world.prisma.$transaction((tx) =>
      enqueue(tx, world.clock.now(), ...people.map((p, i) => ({ key: `lost-reply-${i}`, purpose: "test", personId: p.id, message: message(`Hello ${i}`, para(`Hello ${i}`)) }))),
    );
    fake.hangAfterDoingNext(1, "chat.postMessage");

    for (let round = 1; ; round++) {
      await dispatchOutbox(ctx);
      if ((await world.prisma.outboxMessage.count({ where: { key: { startsWith: "lost-reply-" }, status: { not: "sent" } } })) === 0) break;
      expect(round, "messages still waiting after 20 minutes").toBeLessThan(20);
      world.clock.advance(MINUTE);
    }
    const lost = fake.callsTo("chat.postMessage").filter((c) => c.status === 0);
    expect(lost).toHaveLength(1);
    const lostChannel = String(lost[0]!.body.channel);
    const counts = people.map((p) => fake.dmOf(p.externalId).length);
    expect(counts.every((n) => n >= 1)).toBe(true);
    const repeated = people.filter((p) => fake.dmOf(p.externalId).length > 1);
    const lookedUpFirst = fake.callsTo("chat.postMessage").some((c) => c.body.metadata !== undefined);
    if (lookedUpFirst) expect(repeated).toEqual([]);
    else {
      expect(repeated.map((p) => FakeSlack.dmChannelOf(p.externalId))).toEqual([lostChannel]);
      expect(fake.inChannel(lostChannel)).toHaveLength(2);
    }
  });
});

describe("Teams carried out a post but its answer was lost", () => {
  let world: TeamsWorld;
  beforeAll(async () => {
    world = await TeamsWorld.open({}, { callTimeoutMs: 1_000, retry: { baseBackoffMs: 20 } });
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("sends everyone their message; the one whose answer was lost comes twice (Teams has no look-up), nothing else does", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Lost replies review"));
    const programmeId = (await world.db.programme.findFirstOrThrow({ where: { name: "Lost replies review" } })).id;
    const facilitator = await world.db.membership.findFirstOrThrow({ where: { programmeId, role: "facilitator" } });
    await recordConsent(world.app.core.ctx, { personId: facilitator.personId, programmeId, participation: true, quotation: false });
    const people: TeamsUser[] = [];
    for (let i = 0; i < 6; i++) people.push(await world.install(teamsUser(`Person ${i}`)));
    for (const [i, user] of people.entries()) {
      const person = await world.db.person.findFirstOrThrow({ where: { displayName: user.name } });
      await world.db.outboxMessage.create({
        data: { key: `lost-reply-${i}`, purpose: "test", personId: person.id, programmeId, message: { summary: `Hello ${user.name}`, blocks: [] }, nextAttemptAt: world.clock.now() },
      });
    }
    const since = world.fake.calls.length;
    world.fake.hangAfterDoingNext(1, (c) => c.kind === "post" && c.conversationId === people[2]!.chat);

    for (let round = 1; ; round++) {
      await world.app.core.flush();
      if ((await world.db.outboxMessage.count({ where: { key: { startsWith: "lost-reply-" }, status: { not: "sent" } } })) === 0) break;
      expect(round, "messages still waiting after 20 minutes").toBeLessThan(20);
      world.clock.advance(MINUTE);
    }
    const received = (user: TeamsUser) => world.fake.calls.slice(since).filter((c) => c.kind === "post" && c.conversationId === user.chat && c.status >= 200 && c.status < 300).length;
    expect(people.map(received)).toEqual([1, 1, 2, 1, 1, 1]);
  });
});
