import type { DbTx } from "../db/database.ts";
import { deliveryDueAt } from "./openings.ts";
import { nextReminderAfter } from "./rules.ts";

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

/**
 * Reminders a pause stopped (the reminder sweep ends them while the gate says
 * "paused") for questions sent before it and still open: the next one is due
 * the series' usual time after resuming, never at once, so the person is not
 * met by a pile of reminders. Within the series' limit; the gate still checks theirs.
 */
export async function resumeReminders(tx: DbTx, personId: string, now: Date): Promise<number> {
  const stopped = await tx.promptDelivery.findMany({
    where: { personId, status: "sent", nextReminderAt: null, occurrence: { closesAt: { gt: now }, series: { active: true } } },
    select: { id: true, remindersSent: true, occurrence: { select: { closesAt: true, series: { select: { maxReminders: true, reminderAfterHours: true } } } } },
  });
  let resumed = 0;
  for (const d of stopped) {
    const { maxReminders, reminderAfterHours } = d.occurrence.series;
    const next = nextReminderAfter(now, { remindersSent: d.remindersSent, reminderLimit: maxReminders, reminderAfterHours, closesAt: d.occurrence.closesAt });
    if (!next) continue;
    resumed += (await tx.promptDelivery.updateMany({ where: { id: d.id, status: "sent", nextReminderAt: null }, data: { nextReminderAt: next } })).count;
  }
  return resumed;
}
