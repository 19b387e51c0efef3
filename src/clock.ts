/** Time is an input: everything that decides by the time takes a Clock. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to: for tests, the demo and the playground. */
export class ManualClock implements Clock {
  private current: Date;
  constructor(start: Date | string = "2026-01-05T09:00:00Z") {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
  advanceMinutes(minutes: number): Date {
    return this.advance(minutes * 60_000);
  }
  advanceHours(hours: number): Date {
    return this.advance(hours * 3_600_000);
  }
  advanceDays(days: number): Date {
    return this.advance(days * 86_400_000);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Real time plus an offset that only grows: the playground's "fast-forward"
 * moves it on so scheduled work can be seen in minutes.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  fastForward(ms: number): Date {
    if (ms > 0) this.offsetMs += ms;
    return this.now();
  }
  get offset(): number {
    return this.offsetMs;
  }
}
