import { describe, expect, it } from "vitest";
import {
  CONVERSATION_LIMITS,
  Cooldowns,
  DEFAULT_RETRY_POLICY,
  TokenBuckets,
  backoffMs,
  classifyStatus,
  nextStep,
  parseRetryAfter,
  teamsLimits,
} from "../../adapters/teams/throttle.ts";

/** A clock for the limiter that moves only when told. */
function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Sends as fast as allowed for `durationMs`, always waiting exactly as long as told; returns the send times. */
function sendFlatOut(buckets: TokenBuckets, c: ReturnType<typeof clock>, keys: string[], durationMs: number): number[] {
  const times: number[] = [];
  const end = c.now() + durationMs;
  while (c.now() < end) {
    const wait = buckets.take(keys);
    if (wait === 0) times.push(c.now());
    else c.advance(wait);
  }
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && times[j]! < times[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe("the Teams rate limiter", () => {
  it("never lets more than 7 a second, 8 in two seconds or 60 in 30 seconds into one conversation, however hard it is pushed", () => {
    const c = clock();
    const buckets = new TokenBuckets(teamsLimits, c.now);
    const times = sendFlatOut(buckets, c, ["conversation:a"], 120_000);
    expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(7);
    expect(maxInAnyWindow(times, 2_000)).toBeLessThanOrEqual(8);
    expect(maxInAnyWindow(times, 30_000)).toBeLessThanOrEqual(60);
    // ...and it does not hold back more than it must: 60 in every 30 s (less the margin), 240 in two minutes.
    expect(times.length).toBeGreaterThanOrEqual(235);
  });

  it("reaches 50 a second for a tenant across many conversations, and never more", () => {
    const c = clock();
    const buckets = new TokenBuckets(teamsLimits, c.now);
    const times: number[] = [];
    for (let i = 0; times.length < 1_000; i++) {
      const keys = [`conversation:${i}`, "tenant:t1"];
      const wait = buckets.take(keys);
      if (wait === 0) times.push(c.now());
      else c.advance(wait);
    }
    expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(50);
    // The least time 1,000 requests can take at 50 a second is 19 s after the first 50; the margin adds 5%.
    const elapsed = times.at(-1)! - times[0]!;
    expect(elapsed).toBeGreaterThanOrEqual(19_000);
    expect(elapsed).toBeLessThanOrEqual(19_000 * 1.06);
  });

  it("takes nothing when any bucket says wait, and says how long", () => {
    const c = clock();
    const buckets = new TokenBuckets(teamsLimits, c.now);
    for (let i = 0; i < CONVERSATION_LIMITS[0]!.limit; i++) expect(buckets.take(["conversation:a", "tenant:t"])).toBe(0);
    const wait = buckets.take(["conversation:a", "tenant:t"]);
    expect(wait).toBeGreaterThan(0);
    // Another conversation in the same tenant is not held up by the first one's bucket.
    expect(buckets.take(["conversation:b", "tenant:t"])).toBe(0);
    c.advance(wait);
    expect(buckets.take(["conversation:a", "tenant:t"])).toBe(0);
  });

  it("forgets idle conversations once it holds many", () => {
    const c = clock();
    const buckets = new TokenBuckets(teamsLimits, c.now);
    for (let i = 0; i < 6_000; i++) buckets.take([`conversation:${i}`]);
    expect(buckets.size).toBe(6_000 * CONVERSATION_LIMITS.length);
    // Every window, the hour-long one too, is empty again after two hours.
    c.advance(2 * 3_600_000);
    buckets.take(["conversation:new"]);
    expect(buckets.size).toBeLessThan(10);
  });
});

describe("cooldowns after a 429", () => {
  it("holds a conversation until Retry-After has passed, on the clock it is given", () => {
    const c = clock(1_000);
    const cooldowns = new Cooldowns(c.now);
    cooldowns.block(["conversation:a"], 30_000);
    expect(cooldowns.remaining(["conversation:a", "tenant:t"])).toBe(30_000);
    expect(cooldowns.remaining(["conversation:b"])).toBe(0);
    c.advance(29_000);
    expect(cooldowns.remaining(["conversation:a"])).toBe(1_000);
    c.advance(1_000);
    expect(cooldowns.remaining(["conversation:a"])).toBe(0);
  });
});

describe("after a pause, one call goes first", () => {
  it("lets one call through when the pause ends and holds the rest until it has answered", () => {
    const c = clock(0);
    const cooldowns = new Cooldowns(c.now);
    const keys = ["method:chat.postMessage"];
    cooldowns.block(keys, 30_000);
    expect(cooldowns.take(keys)).toBe(30_000);
    c.advance(30_000);
    expect(cooldowns.take(keys)).toBe(0); // the probe
    expect(cooldowns.take(keys)).toBeGreaterThan(0); // the others wait while it is out
    expect(cooldowns.take(["method:chat.update"])).toBe(0); // another method is not held
    cooldowns.block(keys, 30_000); // the probe met another 429
    expect(cooldowns.take(keys)).toBe(30_000);
    c.advance(30_000);
    expect(cooldowns.take(keys)).toBe(0);
    cooldowns.settle(keys); // it got through: everyone goes
    expect(cooldowns.take(keys)).toBe(0);
    expect(cooldowns.take(keys)).toBe(0);
  });

  it("forgets a probe that never answered after a minute, and lifts a pause its caller waited out", () => {
    const c = clock(0);
    const cooldowns = new Cooldowns(c.now);
    cooldowns.block(["conversation:a"], 1_000);
    c.advance(1_000);
    expect(cooldowns.take(["conversation:a"])).toBe(0);
    expect(cooldowns.take(["conversation:a"])).toBeGreaterThan(0);
    c.advance(60_000);
    expect(cooldowns.take(["conversation:a"])).toBe(0);
    cooldowns.block(["conversation:b"], 60_000);
    cooldowns.lift(["conversation:b"]);
    expect(cooldowns.take(["conversation:b"])).toBe(0);
  });
});

describe("what a failure means", () => {
  it("sorts the connector's answers", () => {
    expect(classifyStatus(429, 1000)).toEqual({ kind: "throttled", retryAfterMs: 1000 });
    for (const status of [412, 500, 502, 503, 504, undefined]) expect(classifyStatus(status).kind).toBe("transient");
    expect(classifyStatus(403)).toEqual({ kind: "gone", status: 403 });
    expect(classifyStatus(404)).toEqual({ kind: "gone", status: 404 });
    expect(classifyStatus(400)).toEqual({ kind: "rejected", status: 400 });
    expect(classifyStatus(413)).toEqual({ kind: "rejected", status: 413 });
  });

  it("reads Retry-After as seconds or as a date", () => {
    expect(parseRetryAfter("30", 0)).toBe(30_000);
    expect(parseRetryAfter("1.5", 0)).toBe(1_500);
    expect(parseRetryAfter("Mon, 02 Mar 2026 09:00:10 GMT", Date.parse("2026-03-02T09:00:00Z"))).toBe(10_000);
    expect(parseRetryAfter("Mon, 02 Mar 2026 08:00:00 GMT", Date.parse("2026-03-02T09:00:00Z"))).toBe(0);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });

  it("backs off exponentially with jitter, or as long as Teams asked", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseBackoffMs: 100 };
    expect(backoffMs(policy, 1, { kind: "transient" }, () => 0)).toBe(100);
    expect(backoffMs(policy, 2, { kind: "transient" }, () => 0)).toBe(200);
    expect(backoffMs(policy, 3, { kind: "transient" }, () => 0.5)).toBe(450);
    expect(backoffMs(policy, 1, { kind: "throttled", retryAfterMs: 2_000 }, () => 0.5)).toBe(2_050);
  });

  it("retries briefly here, and hands long waits and exhausted retries to the outbox", () => {
    const random = () => 0;
    expect(nextStep(DEFAULT_RETRY_POLICY, 1, { kind: "transient", status: 502 }, random)).toEqual({ retryHereAfterMs: 250 });
    expect(nextStep(DEFAULT_RETRY_POLICY, 1, { kind: "throttled", retryAfterMs: 1_000 }, random)).toEqual({ retryHereAfterMs: 1_000 });
    expect(nextStep(DEFAULT_RETRY_POLICY, 1, { kind: "throttled", retryAfterMs: 30_000 }, random)).toEqual({
      giveUp: { kind: "throttled", retryAfterMs: 30_000 },
      retryAfterMs: 30_000,
    });
    expect(nextStep(DEFAULT_RETRY_POLICY, DEFAULT_RETRY_POLICY.maxAttempts, { kind: "transient", status: 504 }, random)).toMatchObject({ giveUp: { kind: "transient" } });
    expect(nextStep(DEFAULT_RETRY_POLICY, 1, { kind: "gone", status: 403 }, random)).toEqual({ giveUp: { kind: "gone", status: 403 } });
  });
});
