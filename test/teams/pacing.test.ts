import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type ConversationReference } from "botbuilder";
import { TeamsConnector, TeamsMessenger } from "../../adapters/teams/messenger.ts";
import { Cooldowns, DEFAULT_RETRY_POLICY, TokenBuckets, teamsLimits } from "../../adapters/teams/throttle.ts";
import { silentLogger } from "../../src/context.ts";
import { message, para } from "../../src/messages/model.ts";
import type { Target } from "../../src/messenger.ts";
import { BOT, FakeTeams, TENANT, type Recorded } from "../support/fake-teams.ts";

/**
 * Time that moves only when every send under way is waiting for it: then it
 * jumps to the earliest wake-up. The limiter, the cooldowns and the fake's
 * count of arrivals all read it, so pacing is measured exactly and nothing
 * sleeps in real time.
 */
class VirtualTime {
  now = 0;
  /** Sends under way (inside the messenger). */
  active = 0;
  private sleepers: { at: number; wake: () => void }[] = [];

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.sleepers.push({ at: this.now + ms, wake });
      this.advanceSoon();
    });

  advanceSoon(): void {
    setImmediate(() => {
      if (this.sleepers.length === 0 || this.sleepers.length < this.active) return;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift()!;
      this.now = Math.max(this.now, next.at);
      next.wake();
    });
  }
}

/**
 * No credentials, as the tests of the whole adapter run (TEAMS_ALLOW_UNAUTHENTICATED),
 * and the Azure SDK's own retries taken out, as adapters/teams/index.ts does.
 */
class Unauthenticated extends ConfigurationBotFrameworkAuthentication {
  constructor() {
    super({}, new ConfigurationServiceClientCredentialFactory({}));
  }

  override createConnectorFactory(...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>) {
    const factory = super.createConnectorFactory(...args);
    return {
      async create(serviceUrl: string, audience?: string) {
        const client = await factory.create(serviceUrl, audience);
        (client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } }).client?.pipeline?.removePolicy({ name: "defaultRetryPolicy" });
        return client;
      },
    } as ReturnType<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>;
  }
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j]! < times[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe("sending to Teams at its documented limits", () => {
  let fake: FakeTeams;
  let time: VirtualTime;
  let messenger: TeamsMessenger;

  beforeAll(async () => {
    fake = await FakeTeams.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    time = new VirtualTime();
    fake.enforceLimits({ ...fakeLimits(), now: () => time.now });
    const connector = new TeamsConnector({
      adapter: new CloudAdapter(new Unauthenticated()),
      appId: "",
      limiter: new TokenBuckets(teamsLimits, () => time.now),
      cooldowns: new Cooldowns(() => time.now),
      policy: DEFAULT_RETRY_POLICY,
      sleep: time.sleep,
      random: () => 0,
      now: () => time.now,
      log: silentLogger,
    });
    messenger = new TeamsMessenger(connector);
  });

  function fakeLimits() {
    return {
      perConversation: [
        { limit: 7, windowMs: 1_000 },
        { limit: 8, windowMs: 2_000 },
        { limit: 60, windowMs: 30_000 },
      ],
      perTenant: [{ limit: 50, windowMs: 1_000 }],
    };
  }

  function chat(id: string): Target {
    const reference: ConversationReference = {
      channelId: "msteams",
      serviceUrl: fake.serviceUrl,
      conversation: { id, conversationType: "personal", tenantId: TENANT, isGroup: false, name: "" },
      bot: BOT,
      user: { id: `29:${id}`, name: id },
    } as ConversationReference;
    return { kind: "direct", platform: "teams", externalId: `29:${id}`, address: { kind: "conversation", reference } };
  }

  /**
   * Sends every message, `concurrency` at a time, each to its target; a
   * message held back is tried again after the wait it was given, as the
   * outbox does.
   */
  async function sendAll(targets: Target[], concurrency: number): Promise<void> {
    const queue = targets.map((target, i) => ({ target, i }));
    const results: boolean[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          time.active++;
          let result = await messenger.send(next.target, message(`Hello ${next.i}`, para(`Hello ${next.i}`)));
          while (!result.ok && result.kind === "retry" && result.throttled) {
            await time.sleep(result.retryAfterMs ?? 1_000);
            result = await messenger.send(next.target, message(`Hello ${next.i}`, para(`Hello ${next.i}`)));
          }
          time.active--;
          time.advanceSoon();
          results.push(result.ok);
        }
      }),
    );
    expect(results.filter((ok) => !ok)).toEqual([]);
  }

  const arrivals = (calls: Recorded[]) => calls.map((c) => c.at!).sort((a, b) => a - b);

  it("sends to 400 people at 50 a second, the tenant's limit, with no 429", async () => {
    await sendAll(Array.from({ length: 400 }, (_, i) => chat(`a:person-${i}`)), 8);
    const posts = fake.messages();
    expect(posts).toHaveLength(400);
    expect(new Set(posts.map((p) => p.conversationId)).size).toBe(400);
    expect(fake.throttled()).toEqual([]);
    const times = arrivals(posts);
    expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(50);
    // The least time the limit allows: the first 50 at once, then 50 a second. The pacing's margin adds 5%.
    const least = ((400 - 50) / 50) * 1_000;
    const elapsed = times.at(-1)! - times[0]!;
    expect(elapsed).toBeGreaterThanOrEqual(least);
    expect(elapsed).toBeLessThanOrEqual(least * 1.06);
  });

  it("keeps one conversation to 7 a second, 8 in two seconds and 60 in 30 seconds, with no 429", async () => {
    // One conversation's messages go one after another (the outbox's lanes).
    await sendAll(Array.from({ length: 70 }, () => chat("a:one-chat")), 1);
    expect(fake.messages()).toHaveLength(70);
    expect(fake.throttled()).toEqual([]);
    const times = arrivals(fake.messages());
    expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(7);
    expect(maxInAnyWindow(times, 2_000)).toBeLessThanOrEqual(8);
    expect(maxInAnyWindow(times, 30_000)).toBeLessThanOrEqual(60);
    // 60 in the first 30 s, the other 10 in the next window: a little over 30 s, not minutes.
    expect(times.at(-1)! - times[0]!).toBeLessThan(40_000);
  });

  it("after a 429 waits the Retry-After Teams gives before anything more goes to that conversation or tenant, then carries on", async () => {
    fake.failNext(1, 429, { headers: { "retry-after": "2" }, match: (c) => c.conversationId === "a:busy" });
    await sendAll([chat("a:busy"), ...Array.from({ length: 60 }, (_, i) => chat(`a:other-${i}`))], 8);
    const busy = fake.calls.filter((c) => c.conversationId === "a:busy");
    expect(busy.map((c) => c.status)).toEqual([429, 201]);
    // A 429 does not say which limit was met, so the conversation and the app both wait the two seconds asked.
    const pausedFrom = busy[0]!.at!;
    expect(busy[1]!.at! - pausedFrom).toBeGreaterThanOrEqual(2_000);
    expect(fake.calls.filter((c) => c.at! > pausedFrom && c.at! < pausedFrom + 2_000)).toEqual([]);
    expect(fake.messages()).toHaveLength(61);
    expect(fake.throttled()).toHaveLength(1);
  });
});
