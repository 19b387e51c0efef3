import type { CoreContext } from "../context.ts";
import { HOUR } from "../clock.ts";
import { applyRetention } from "./delete.ts";

const BATCH = 20;
/** How long a claimed check is held before another instance may take it (a crash mid-check). */
const LEASE = HOUR;

/**
 * The retention sweep. Each programme is looked at when its retentionCheckAt
 * comes: claimed by moving that time on (only the run that moves it from the
 * value it read goes ahead), then either deleted, when its last activity is
 * older than its retention period, or left until the day it would be due
 * (new activity only makes that later; changing the setting brings it back to now).
 */
export async function sweepRetention(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.programme.findMany({
    where: { retentionCheckAt: { lte: now } },
    orderBy: { retentionCheckAt: "asc" },
    select: { id: true, retentionCheckAt: true },
    take: BATCH,
  });
  let handled = 0;
  for (const programme of due) {
    const claim = await ctx.db.programme.updateMany({
      where: { id: programme.id, retentionCheckAt: programme.retentionCheckAt },
      data: { retentionCheckAt: new Date(now.getTime() + LEASE) },
    });
    if (claim.count === 0) continue;
    handled++;
    try {
      const outcome = await applyRetention(ctx.db, now, programme.id, ctx.settings.retentionMonths);
      if (outcome.kind === "deleted") ctx.log.info("deleted a programme past its retention period", { programmeId: programme.id, months: outcome.months, people: outcome.people });
    } catch (error) {
      // Left claimed until the lease ends, then tried again.
      ctx.log.error("could not apply the retention period to a programme", { programmeId: programme.id, error: error instanceof Error ? error.stack : String(error) });
    }
  }
  return handled;
}
