import type { CoreContext } from "../context.ts";
import { recipients, type Decision } from "../gate.ts";
import { enqueue } from "../outbox.ts";
import { decideDelivery, type DeliveryDecision } from "./rules.ts";
import { seriesScope } from "./occurrences.ts";
import { deliveryInclude, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";

const BATCH = 100;

/** The outbox key of a delivery's first message: derivable, so nothing needs storing to find it. */
export const promptMessageKey = (deliveryId: string) => `prompt:${deliveryId}:initial`;

type Due = { id: string; personId: string; occurrenceId: string; occurrence: { series: { id: string; programmeId: string } } };

/**
 * The gate's decisions for a batch of deliveries: one call per occurrence in
 * the batch (its fan-out), never one per person.
 */
export async function gateFor<D extends Due>(
  ctx: CoreContext,
  now: Date,
  kind: "prompt" | "reminder",
  due: readonly D[],
  reminders?: { sent: (d: D) => number; max: (d: D) => number },
): Promise<Map<string, Decision>> {
  const byOccurrence = new Map<string, D[]>();
  for (const d of due) byOccurrence.set(d.occurrenceId, [...(byOccurrence.get(d.occurrenceId) ?? []), d]);
  const decisions = new Map<string, Decision>();
  for (const group of byOccurrence.values()) {
    const series = group[0]!.occurrence.series;
    const found = await recipients(ctx.db, now, {
      kind,
      programmeId: series.programmeId,
      personIds: group.map((d) => d.personId),
      scope: seriesScope(series.id),
      reminders: reminders && { sent: new Map(group.map((d) => [d.personId, reminders.sent(d)])), max: reminders.max(group[0]!) },
    });
    for (const d of group) decisions.set(d.id, found.get(d.personId)!);
  }
  return decisions;
}

/** The change a delivery decision makes to its row. */
function deliveryUpdate(decision: DeliveryDecision, now: Date) {
  switch (decision.kind) {
    case "closed":
      return { status: "closed" };
    case "skip":
      return { status: "skipped", skippedReason: decision.reason };
    case "defer":
      return { notBefore: decision.until };
    case "send":
      return { status: "sent", sentAt: now, nextReminderAt: decision.nextReminderAt };
  }
}

/**
 * Sends pending deliveries that are due, as the gate allows (pause, consent,
 * opt-out, quiet hours), unless they have closed. A batch is decided in memory,
 * then claimed with one update per kind of decision (a row another instance
 * took is no longer pending and due, so it is not returned), and its messages
 * are queued together.
 */
export async function sweepDeliveries(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptDelivery.findMany({
    where: { status: "pending", notBefore: { lte: now } },
    orderBy: { notBefore: "asc" },
    take: BATCH,
    include: deliveryInclude,
  });
  if (due.length === 0) return 0;
  const gate = await gateFor(ctx, now, "prompt", due);
  const groups = new Map<string, { data: ReturnType<typeof deliveryUpdate>; sends: boolean; ids: string[] }>();
  for (const d of due) {
    const series = d.occurrence.series;
    const decision = decideDelivery({
      now,
      closesAt: d.occurrence.closesAt,
      active: series.active,
      gate: gate.get(d.id)!,
      reminderAfterHours: series.reminderAfterHours,
      maxReminders: series.maxReminders,
    });
    const data = deliveryUpdate(decision, now);
    const key = JSON.stringify(data);
    const group = groups.get(key) ?? { data, sends: decision.kind === "send", ids: [] };
    group.ids.push(d.id);
    groups.set(key, group);
  }
  const byId = new Map(due.map((d) => [d.id, d]));
  return ctx.db.$transaction(async (tx) => {
    let handled = 0;
    for (const group of groups.values()) {
      const won = await tx.promptDelivery.updateManyAndReturn({
        where: { id: { in: group.ids }, status: "pending", notBefore: { lte: now } },
        data: group.data,
        select: { id: true },
      });
      handled += won.length;
      if (!group.sends) continue;
      await enqueue(
        tx,
        now,
        ...won.map(({ id }) => {
          const d = byId.get(id)!;
          const allowed = gate.get(d.id) as Extract<Decision, { send: true }>;
          return {
            key: promptMessageKey(d.id),
            purpose: "prompt.send",
            personId: d.personId,
            programmeId: d.occurrence.series.programmeId,
            message: say.promptMessage(viewOf(d, allowed.timeZone, ctx.settings.minGroupSize)),
          };
        }),
      );
    }
    return handled;
  });
}
