import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { PromptSeries } from "../generated/prisma/client.ts";
import { membersWithRoles } from "../access.ts";
import { recipients } from "../gate.ts";
import { deliveryDueAt, planSeries, type SeriesPlan } from "./openings.ts";

const BATCH = 100;

/** The opt-out scope a person chooses with "Stop these questions". */
export const seriesScope = (seriesId: string) => `series:${seriesId}`;

/**
 * Creates the occurrence and one delivery per person in the audience: pending
 * (from when the gate allows) for those who may be sent it, skipped with the
 * gate's reason for the others.
 */
async function openOccurrence(ctx: CoreContext, tx: DbTx, series: PromptSeries, plan: Extract<SeriesPlan, { kind: "create" }>, now: Date): Promise<void> {
  await tx.promptOccurrence.createMany({
    data: [{ seriesId: series.id, scheduledFor: plan.scheduledFor, closesAt: plan.closesAt, stage: plan.stage }],
    skipDuplicates: true,
  });
  // A staged survey is now at this stage: the menu and the digest read it from the series too.
  if (plan.stage) await tx.promptSeries.update({ where: { id: series.id }, data: { stage: plan.stage } });
  const occurrence = await tx.promptOccurrence.findUniqueOrThrow({ where: { seriesId_scheduledFor: { seriesId: series.id, scheduledFor: plan.scheduledFor } } });
  const members = await membersWithRoles(tx, series.programmeId, series.audienceRoles);
  if (members.length === 0) return;
  // At each person's local time: their preference row says where they are (chosen, or from their chat platform,
  // src/people/zones.ts); someone without one is asked in the series' zone.
  const zones = series.localTime
    ? new Map((await tx.preference.findMany({ where: { personId: { in: members.map((m) => m.personId) } }, select: { personId: true, timeZone: true } })).map((p) => [p.personId, p.timeZone]))
    : new Map<string, string>();
  const decisions = await recipients(tx, now, {
    kind: "prompt",
    programmeId: series.programmeId,
    personIds: members.map((m) => m.personId),
    scope: seriesScope(series.id),
  });
  await tx.promptDelivery.createMany({
    skipDuplicates: true,
    data: members.map((m) => {
      const decision = decisions.get(m.personId)!;
      return decision.send
        ? { occurrenceId: occurrence.id, personId: m.personId, role: m.role, status: "pending", skippedReason: null, notBefore: series.localTime ? deliveryDueAt(series, plan.scheduledFor, zones.get(m.personId) ?? null, now) : decision.at }
        : { occurrenceId: occurrence.id, personId: m.personId, role: m.role, status: "skipped", skippedReason: decision.reason, notBefore: now };
    }),
  });
}

/** Creates the occurrence due for each active series and one delivery per person in its audience. */
export async function sweepOccurrences(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptSeries.findMany({
    where: { active: true, nextOccurrenceAt: { lte: now } },
    orderBy: { nextOccurrenceAt: "asc" },
    take: BATCH,
  });
  let handled = 0;
  for (const series of due) {
    try {
      const plan = planSeries(series, now);
      if (plan.kind === "not_due") continue;
      const won = await ctx.db.$transaction(async (tx) => {
        // Claim the slot: only the run that moves nextOccurrenceAt on from the value it read goes ahead.
        const claim = await tx.promptSeries.updateMany({
          where: { id: series.id, active: true, nextOccurrenceAt: series.nextOccurrenceAt },
          data: series.once ? { nextOccurrenceAt: null } : { nextOccurrenceAt: plan.nextOccurrenceAt },
        });
        if (claim.count === 0) return false;
        if (plan.kind === "create") await openOccurrence(ctx, tx, series, plan, now);
        return true;
      });
      if (won) handled++;
    } catch (error) {
      ctx.log.error("could not open questions for a series", { seriesId: series.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return handled;
}
