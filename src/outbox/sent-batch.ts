import type { CoreContext } from "../context.ts";
import { recordSentIfHeld, type Claimed } from "./claims.ts";

/**
 * Sends that succeeded, recorded together: one statement for up to `size`
 * rows instead of one each (the most common statement in a fan-out). A row
 * stays claimed, its lease extended, until its batch is written, and each is
 * recorded only while this sender still holds it. A batch is written when it
 * is full, `waitMs` after its first row (so a crash leaves few rows sent but
 * not marked), or when the sender asks (nothing else is under way).
 */
export class SentBatch {
  private pending: { row: Claimed; ref: object; done: (held: boolean) => void; failed: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: CoreContext,
    private readonly size: number,
    private readonly waitMs: number,
  ) {}

  /** Resolves once written: true if recorded, false if another sender held the row by then. */
  add(row: Claimed, ref: object): Promise<boolean> {
    return new Promise((done, failed) => {
      this.pending.push({ row, ref, done, failed });
      if (this.pending.length >= this.size) void this.flush();
      else if (!this.timer) {
        this.timer = setTimeout(() => void this.flush(), this.waitMs);
        this.timer.unref?.();
      }
    });
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** Writes what is waiting (batches are written one after another). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0);
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        const recorded = await recordSentIfHeld(this.ctx, batch, this.ctx.clock.now());
        for (const item of batch) item.done(recorded.has(item.row.id));
      } catch (error) {
        for (const item of batch) item.failed(error);
      }
    });
    return this.writing;
  }
}
