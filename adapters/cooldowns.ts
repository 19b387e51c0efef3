/**
 * After a 429, nothing more goes to what the platform limited (a Slack API
 * method; a Teams conversation and app) until its Retry-After has passed, so
 * one 429 holds every message queued behind it instead of each finding out
 * for itself. Kept on the clock the outbox schedules by: a wait is handed
 * back to the outbox, and both must agree on when it is over.
 */
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  block(keys: string[], forMs: number): void {
    const now = this.now();
    const until = now + forMs;
    if (this.until.size > 10_000) for (const [key, at] of this.until) if (at <= now) this.until.delete(key);
    for (const key of keys) this.until.set(key, Math.max(this.until.get(key) ?? 0, until));
  }

  /** Milliseconds until all these keys may be used again (0: now). */
  remaining(keys: string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const until = this.until.get(key);
      if (until === undefined) continue;
      if (until <= now) this.until.delete(key);
      else wait = Math.max(wait, until - now);
    }
    return wait;
  }
}
