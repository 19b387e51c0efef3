/**
 * After a 429, nothing more goes to what the platform limited (a Slack API
 * method; a Teams conversation and app) until its Retry-After has passed, so
 * one 429 holds every message queued behind it instead of each finding out
 * for itself. Kept on the clock the outbox schedules by: a wait is handed
 * back to the outbox, and both must agree on when it is over.
 */
export class Cooldowns {
  private readonly until = new Map<string, number>();
  /**
   * Keys whose pause is over but not yet proven over: the first call after it
   * goes alone (a probe), and the rest wait until it has answered, so a limit
   * that is still on costs one 429, not one per call under way.
   */
  private readonly probes = new Map<string, { out: boolean; since: number }>();

  constructor(private readonly now: () => number) {}

  block(keys: string[], forMs: number): void {
    const now = this.now();
    const until = now + forMs;
    if (this.until.size > 10_000) for (const [key, at] of this.until) if (at <= now) this.until.delete(key);
    for (const key of keys) {
      this.until.set(key, Math.max(this.until.get(key) ?? 0, until));
      this.probes.set(key, { out: false, since: now });
    }
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

  /**
   * Asks to make a call now: 0 to go ahead (as the probe, after a pause), or
   * how long to wait. Whoever goes must say `settle` or `block` afterwards.
   */
  take(keys: string[]): number {
    const wait = this.remaining(keys);
    if (wait > 0) return wait;
    const now = this.now();
    const probing = keys.filter((key) => this.probes.has(key));
    // A probe that never reported back (its caller died) stops holding the key after a while.
    const out = probing.some((key) => this.probes.get(key)!.out && now - this.probes.get(key)!.since < PROBE_HOLD_MS);
    if (out) return PROBE_WAIT_MS;
    for (const key of probing) this.probes.set(key, { out: true, since: now });
    return 0;
  }

  /** The call answered without a 429: its keys are open again. */
  settle(keys: string[]): void {
    for (const key of keys) this.probes.delete(key);
  }

  /** The caller that met the 429 waited as asked and got through: the pause is over for everyone. */
  lift(keys: string[]): void {
    for (const key of keys) {
      this.probes.delete(key);
      this.until.delete(key);
    }
  }
}

/** How long the others wait while a probe is out (the outbox tries them again after its own backoff). */
const PROBE_WAIT_MS = 5_000;
const PROBE_HOLD_MS = 60_000;
