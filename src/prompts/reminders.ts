import type { CoreContext } from "../context.ts";
import type { Decision } from "../gate.ts";
import { enqueue } from "../outbox.ts";
import { decideReminder } from "./rules.ts";
import { gateFor } from "./deliveries.ts";
import { deliveryInclude, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";

const BATCH = 100;

/**
 * Sends a gentle reminder for unanswered questions when the gate allows it
 * (pause, consent, opt-out, quiet hours, and the smaller of the series' and the
 * person's reminder limits).
 */
export async function sweepReminders(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptDelivery.findMany({
    where: { status: "sent", nextReminderAt: { lte: now } },
    orderBy: { nextReminderAt: "asc" },
    take: BATCH,
    include: deliveryInclude,
  });
  if (due.length === 0) return 0;
  const gate = await gateFor(ctx, now, "reminder", due, { sent: (d) => d.remindersSent, max: (d) => d.occurrence.series.maxReminders });
  let handled = 0;
  for (const d of due) {
    const series = d.occurrence.series;
    const allowed = gate.get(d.id)!;
    const decision = decideReminder({
      now,
      closesAt: d.occurrence.closesAt,
      active: series.active,
      remindersSent: d.remindersSent,
      maxReminders: series.maxReminders,
      reminderAfterHours: series.reminderAfterHours,
      gate: allowed,
    });
    const claim = { id: d.id, status: "sent", remindersSent: d.remindersSent, nextReminderAt: d.nextReminderAt };
    handled += await ctx.db.$transaction(async (tx) => {
      switch (decision.kind) {
        case "stop":
          return (await tx.promptDelivery.updateMany({ where: claim, data: { nextReminderAt: null } })).count;
        case "defer":
          return (await tx.promptDelivery.updateMany({ where: claim, data: { nextReminderAt: decision.until } })).count;
        case "send": {
          const won = await tx.promptDelivery.updateMany({ where: claim, data: { remindersSent: decision.number, nextReminderAt: decision.nextReminderAt } });
          if (won.count === 0) return 0;
          await enqueue(tx, now, {
            key: `prompt:${d.id}:reminder:${decision.number}`,
            purpose: "prompt.reminder",
            personId: d.personId,
            programmeId: series.programmeId,
            message: say.promptReminder(viewOf(d, (allowed as Extract<Decision, { send: true }>).timeZone, ctx.settings.minGroupSize)),
          });
          return 1;
        }
      }
    });
  }
  return handled;
}
