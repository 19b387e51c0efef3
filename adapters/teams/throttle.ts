/**
 * Staying under Teams' rate limits, and deciding what to do when we do not.
 *
 * Teams allows a bot 7 operations a second, 8 in two seconds, 60 in 30
 * seconds and 1,800 an hour in one conversation, and an app 50 requests a
 * second per tenant (learn.microsoft.com, "Optimize your bot with rate
 * limiting in Teams"). Each limit is
 * kept as a sliding window: the times of the last `limit` operations are
 * remembered, and one more may go once the oldest of them is a full window
 * old. That reaches the limit exactly (a token bucket that must never
 * overshoot refills at limit minus burst: 20 a second for Teams' 50), and
 * no window of that length ever holds more than the limit allows. `marginMs`
 * widens a window a little, because Teams counts when requests arrive and
 * the network does not deliver them at exactly the pace they left.
 *
 * Pure: the time comes from the injected `now` (milliseconds, monotonic).
 */

export type Limit = {
  /** At most this many operations in any `windowMs`. */
  limit: number;
  windowMs: number;
  /** Added to the window when pacing, for the network's jitter. */
  marginMs?: number;
};

/** Teams' published limits, per bot per conversation. */
export const CONVERSATION_LIMITS: Limit[] = [
  { limit: 7, windowMs: 1_000, marginMs: 50 },
  { limit: 8, windowMs: 2_000, marginMs: 50 },
  { limit: 60, windowMs: 30_000, marginMs: 250 },
  { limit: 1_800, windowMs: 3_600_000, marginMs: 1_000 },
];

/** Teams' published limit per app per tenant. */
export const TENANT_LIMITS: Limit[] = [{ limit: 50, windowMs: 1_000, marginMs: 50 }];

/** The times of the last operations under one limit: grows to `limit` entries, then a ring whose `next` slot is the oldest. */
type Window = { times: number[]; next: number; lastAt: number; spanMs: number };

const MAX_WINDOWS = 10_000;

export class TokenBuckets {
  private readonly windows = new Map<string, Window>();
  /** Looked through for idle windows only when the map has doubled, or a minute on, so the cost stays spread out. */
  private pruneAt = MAX_WINDOWS;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limitsFor: (key: string) => Limit[],
    private readonly now: () => number,
  ) {}

  /** Forgets every window, as if nothing had been sent. */
  clear(): void {
    this.windows.clear();
  }

  /**
   * Counts one operation against every limit of every key, or none. Returns 0
   * when the operation may go now, else how many milliseconds to wait first.
   */
  take(keys: string[]): number {
    const now = this.now();
    let wait = 0;
    const touched: { window: Window; limit: Limit }[] = [];
    for (const key of keys) {
      this.limitsFor(key).forEach((limit, i) => {
        const window = this.windowFor(`${key}#${i}`, limit);
        touched.push({ window, limit });
        wait = Math.max(wait, waitFor(window, limit, now));
      });
    }
    if (wait > 0) return wait;
    touched.forEach(({ window, limit }) => {
      if (window.times.length < limit.limit) window.times.push(now);
      else {
        window.times[window.next] = now;
        window.next = (window.next + 1) % limit.limit;
      }
      window.lastAt = now;
    });
    this.prune(now);
    return 0;
  }

  /** How many windows are held (for tests and to show pruning works). */
  get size(): number {
    return this.windows.size;
  }

  private windowFor(id: string, limit: Limit): Window {
    let window = this.windows.get(id);
    if (!window) {
      window = { times: [], next: 0, lastAt: Number.NEGATIVE_INFINITY, spanMs: limit.windowMs + (limit.marginMs ?? 0) };
      this.windows.set(id, window);
    }
    return window;
  }

  /** Forgets windows whose every remembered operation is older than the window, once there are many. */
  private prune(now: number): void {
    if (this.windows.size <= MAX_WINDOWS || (this.windows.size <= this.pruneAt && now - this.prunedAt < 60_000)) return;
    this.prunedAt = now;
    for (const [id, window] of this.windows) if (now - window.lastAt > window.spanMs) this.windows.delete(id);
    this.pruneAt = Math.max(MAX_WINDOWS, this.windows.size * 2);
  }
}

/** Until `limit` have gone, one more may go; then only a full window after the oldest remembered. */
function waitFor(window: Window, limit: Limit, now: number): number {
  if (window.times.length < limit.limit) return 0;
  const oldest = window.times[window.next]!;
  return Math.max(0, Math.ceil(oldest + limit.windowMs + (limit.marginMs ?? 0) - now));
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
