import type { CoreContext } from "../context.ts";
import { audit } from "../audit.ts";
import { seriesScope } from "./occurrences.ts";

/**
 * A person's "stop these questions" for one series: a MessageOptOut row the
 * gate reads, so neither the questions nor their reminders reach them. Both
 * are idempotent; they return whether anything changed.
 */
export async function stopSeriesFor(ctx: CoreContext, personId: string, seriesId: string): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const made = await tx.messageOptOut.createMany({ data: [{ personId, scope: seriesScope(seriesId), createdAt: now }], skipDuplicates: true });
    if (made.count) await audit(tx, now, personId, "prompt.series.stop", "PromptSeries", seriesId);
    return made.count > 0;
  });
}

export async function restartSeriesFor(ctx: CoreContext, personId: string, seriesId: string): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const removed = await tx.messageOptOut.deleteMany({ where: { personId, scope: seriesScope(seriesId) } });
    if (removed.count) await audit(tx, now, personId, "prompt.series.restart", "PromptSeries", seriesId);
    return removed.count > 0;
  });
}
