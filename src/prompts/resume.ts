import type { DbTx } from "../db/database.ts";
import { deliveryDueAt } from "./openings.ts";

/**
 * When a person resumes their messages: questions that opened while they were
 * paused, and are still open, are offered after all. Their deliveries go back
 * to pending, so the delivery sweep sends each once, through the gate and the
 * outbox, like any other. A delivery already sent, answered or closed is left alone.
 */
export async function offerHeldPrompts(tx: DbTx, personId: string, now: Date): Promise<number> {
  const held = await tx.promptDelivery.findMany({
    where: { personId, status: "skipped", skippedReason: "paused", occurrence: { closesAt: { gt: now }, series: { active: true } } },
    select: { id: true, occurrence: { select: { scheduledFor: true, series: { select: { localTime: true, timeZone: true } } } } },
  });
  if (held.length === 0) return 0;
  const zone = (await tx.preference.findUnique({ where: { personId }, select: { timeZone: true } }))?.timeZone ?? null;
  let offered = 0;
  for (const d of held) {
    // Claimed on its held state: resuming twice, or from two places at once, offers it once.
    const claim = await tx.promptDelivery.updateMany({
      where: { id: d.id, status: "skipped", skippedReason: "paused" },
      data: { status: "pending", skippedReason: null, notBefore: deliveryDueAt(d.occurrence.series, d.occurrence.scheduledFor, zone, now) },
    });
    offered += claim.count;
  }
  return offered;
}
