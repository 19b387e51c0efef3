import { DAY, HOUR, MINUTE, type Clock } from "../../src/clock.ts";
import type { Logger } from "../../src/context.ts";
import type { AdapterState } from "../../src/adapter-state.ts";
import type { Core } from "../../src/core.ts";

export const SKIPS = { hour: HOUR, day: DAY, week: 7 * DAY } as const;
export type Skip = keyof typeof SKIPS;

/**
 * How far one scheduler run moves time. Running the scheduled work in steps,
 * rather than once at the end, lets a reminder follow its prompt, and a
 * quiet-hours delay end, inside one skip, as they would in real time.
 */
export const STEP_FOR: Record<Skip, number> = { hour: 15 * MINUTE, day: 2 * HOUR, week: 6 * HOUR };

type FastForwardable = Clock & { fastForward(ms: number): Date; readonly offset?: number };

const OFFSET_KEY = "clockOffsetMs";

export function canFastForward(clock: Clock): clock is FastForwardable {
  return typeof (clock as Partial<FastForwardable>).fastForward === "function";
}

/**
 * The playground's control over time. The offset is kept in the playground's
 * adapter state so a restart does not send the programme back in time.
 */
export class PlaygroundClock {
  private queue: Promise<unknown> = Promise.resolve();
  private total = 0;

  constructor(
    private readonly clock: Clock,
    private readonly core: Pick<Core, "tick">,
    private readonly state: AdapterState,
    private readonly log: Logger,
  ) {}

  get canSkip(): boolean {
    return canFastForward(this.clock);
  }

  now(): Date {
    return this.clock.now();
  }

  /** Applies the offset saved by an earlier run. */
  async restore(): Promise<void> {
    if (!canFastForward(this.clock)) return;
    const saved = Number((await this.state.get(OFFSET_KEY)) ?? 0);
    const current = this.clock.offset ?? 0;
    if (Number.isFinite(saved) && saved > current) this.clock.fastForward(saved - current);
    this.total = Math.max(saved, current);
  }

  /**
   * Moves time on and runs the scheduled work at each step. Skips run one at a
   * time, so two quick presses give two whole skips.
   */
  skip(by: Skip, onStep?: (now: Date) => void): Promise<{ now: Date; handled: number }> {
    const run = this.queue.then(() => this.runSkip(by, onStep));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runSkip(by: Skip, onStep?: (now: Date) => void): Promise<{ now: Date; handled: number }> {
    if (!canFastForward(this.clock)) throw new Error("this clock cannot be moved on");
    let left = SKIPS[by];
    let handled = 0;
    while (left > 0) {
      const step = Math.min(STEP_FOR[by], left);
      left -= step;
      this.clock.fastForward(step);
      this.total += step;
      const result = await this.core.tick();
      handled += Object.values(result.handled).reduce((sum, n) => sum + Math.max(0, n), 0) + result.sent.sent;
      onStep?.(this.clock.now());
    }
    await this.state
      .set(OFFSET_KEY, this.total)
      .catch((error) => this.log.warn("playground: could not save the clock", { error: String(error) }));
    return { now: this.clock.now(), handled };
  }
}
