/**
 * Staying under Teams' rate limits, and deciding what to do when we do not.
 *
 * Teams allows a bot about 7 operations a second and 60 per 30 seconds in
 * one conversation, and asks apps to plan for 30 requests a second per
 * tenant. Each limit is a token bucket. A bucket's burst plus what it refills
 * over its window never exceeds the limit, so no window of that length ever
 * holds more operations than Teams allows (a plain bucket of size 60 could
 * let 120 through in 30 seconds: 60 at once, then 60 more refilled).
 *
 * Pure: the time comes from the injected `now` (milliseconds, monotonic).
 */

export type Limit = {
  /** At most this many operations in any `windowMs`. */
  limit: number;
  windowMs: number;
  /** How many may go at once after a quiet spell (the bucket size). */
  burst: number;
};

/** Teams' published limits, per bot per conversation. */
export const CONVERSATION_LIMITS: Limit[] = [
  { limit: 7, windowMs: 1_000, burst: 3 },
  { limit: 60, windowMs: 30_000, burst: 20 },
];

/** Teams' guidance per app per tenant. */
export const TENANT_LIMITS: Limit[] = [{ limit: 30, windowMs: 1_000, burst: 10 }];

type Bucket = { tokens: number; updatedAt: number };

const MAX_BUCKETS = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limitsFor: (key: string) => Limit[],
    private readonly now: () => number,
  ) {}

  /**
   * Takes one token from every bucket of every key, or none. Returns 0 when
   * the operation may go now, else how many milliseconds to wait first.
   */
  take(keys: string[]): number {
    const now = this.now();
    let wait = 0;
    const touched: { bucket: Bucket; limit: Limit }[] = [];
    for (const key of keys) {
      this.limitsFor(key).forEach((limit, i) => {
        const bucket = this.refilled(`${key}#${i}`, limit, now);
        touched.push({ bucket, limit });
        wait = Math.max(wait, waitFor(bucket, limit));
      });
    }
    if (wait > 0) return wait;
    for (const { bucket } of touched) bucket.tokens -= 1;
    this.prune(now);
    return 0;
  }

  /** How many buckets are held (for tests and to show pruning works). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(id: string, limit: Limit, now: number): Bucket {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = { tokens: limit.burst, updatedAt: now };
      this.buckets.set(id, bucket);
      return bucket;
    }
    if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.updatedAt) * refillPerMs(limit));
      bucket.updatedAt = now;
    }
    return bucket;
  }

  /** Forgets buckets that are full again (nothing to remember), once there are many. */
  private prune(now: number): void {
    if (this.buckets.size <= MAX_BUCKETS) return;
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens >= 1 && now - bucket.updatedAt > 30_000) this.buckets.delete(id);
    }
  }
}

function refillPerMs(limit: Limit): number {
  return (limit.limit - limit.burst) / limit.windowMs;
}

function waitFor(bucket: Bucket, limit: Limit): number {
  return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / refillPerMs(limit));
}

// After a 429: shared with the Slack adapter.
export { Cooldowns } from "../cooldowns.ts";

/** The limits for a key: "conversation:<id>" or "tenant:<id>". */
export function teamsLimits(key: string): Limit[] {
  return key.startsWith("tenant:") ? TENANT_LIMITS : CONVERSATION_LIMITS;
}

// ------------------------------------------------------------------ what to do after a failure

export type RetryPolicy = {
  /** Attempts in this process before handing back to the outbox. */
  maxAttempts: number;
  /** First backoff for 412/502/504; doubled each time, with jitter. */
  baseBackoffMs: number;
  /** Waits longer than this are not waited for here: the outbox tries again later. */
  maxInProcessWaitMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseBackoffMs: 250, maxInProcessWaitMs: 3_000 };

/** What a failed call to the Bot Connector means. */
export type Failure =
  | { kind: "throttled"; retryAfterMs?: number }
  | { kind: "transient"; status?: number }
  | { kind: "gone"; status: number }
  | { kind: "rejected"; status: number };

export function classifyStatus(status: number | undefined, retryAfterMs?: number): Failure {
  if (status === 429) return { kind: "throttled", retryAfterMs };
  // 412: Teams' "precondition failed" under load; 5xx: passing faults. Network errors have no status.
  if (status === undefined || status === 412 || status === 408 || status >= 500 || status === 401) return { kind: "transient", status };
  // The bot is not in the conversation (uninstalled, removed from the team) or the conversation is gone.
  if (status === 403 || status === 404) return { kind: "gone", status };
  return { kind: "rejected", status };
}

/** Retry-After is seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1).
 * Honours Retry-After when Teams gave one, else doubles from the base; jitter
 * (from the injected random) spreads retries so they do not all land together.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, failure: Failure, random: () => number): number {
  const exponential = policy.baseBackoffMs * 2 ** Math.max(0, attempt - 1);
  const base = failure.kind === "throttled" && failure.retryAfterMs !== undefined ? Math.max(failure.retryAfterMs, 0) : exponential;
  return Math.round(base + random() * policy.baseBackoffMs);
}

export type NextStep = { retryHereAfterMs: number } | { giveUp: Failure; retryAfterMs?: number };

/** After a failed attempt: wait and try again here, or hand the message back (with a wait) to the outbox. */
export function nextStep(policy: RetryPolicy, attempt: number, failure: Failure, random: () => number): NextStep {
  if (failure.kind === "gone" || failure.kind === "rejected") return { giveUp: failure };
  const wait = backoffMs(policy, attempt, failure, random);
  if (attempt < policy.maxAttempts && wait <= policy.maxInProcessWaitMs) return { retryHereAfterMs: wait };
  return { giveUp: failure, retryAfterMs: wait };
}
