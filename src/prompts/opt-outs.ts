import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { audit } from "../audit.ts";
import { seriesScope } from "./occurrences.ts";

/**
 * A person's "stop these questions" for one series: a MessageOptOut row the
 * gate reads, so neither later questions nor reminders reach them (deliveries
 * not yet sent are skipped as "opted_out" by the delivery sweep, reminders stop).
 * Both are idempotent; they return whether anything changed.
 */
export async function stopSeriesFor(ctx: CoreContext, personId: string, seriesId: string): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.$transaction((tx) => stopIn(tx, now, personId, seriesId));
}

async function stopIn(tx: DbTx, now: Date, personId: string, seriesId: string): Promise<boolean> {
  const made = await tx.messageOptOut.createMany({ data: [{ personId, scope: seriesScope(seriesId), createdAt: now }], skipDuplicates: true });
  if (made.count === 0) return false;
  await audit(tx, now, personId, "prompt.series.stop", "PromptSeries", seriesId);
  // Questions or reminders of this series already queued for them (say, for the end of their quiet hours) do not go out.
  const deliveries = await tx.promptDelivery.findMany({ where: { personId, occurrence: { seriesId } }, select: { id: true } });
  if (deliveries.length) {
    await tx.outboxMessage.updateMany({
      where: { personId, status: "pending", OR: deliveries.map((d) => ({ key: { startsWith: `prompt:${d.id}:` } })) },
      data: { status: "withheld", lastError: "the person stopped these questions" },
    });
  }
  return true;
}

/**
 * "Not this time": no answer to these questions, no reminders about them, and
 * no more of this series for this person until they start it again (from the
 * reply, or from prefs).
 */
export async function declineDelivery(ctx: CoreContext, personId: string, delivery: { id: string; occurrence: { seriesId: string } }): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    await tx.promptDelivery.updateMany({ where: { id: delivery.id, personId, status: "sent" }, data: { status: "declined", nextReminderAt: null } });
    return stopIn(tx, now, personId, delivery.occurrence.seriesId);
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

export type SeriesChoice = { seriesId: string; title: string; stopped: boolean };

/**
 * The sets of questions a person gets in a programme (their role is in the
 * audience and the series is on), and those they stopped: what prefs lists.
 */
export async function seriesChoicesFor(db: DbTx, personId: string, programmeId: string): Promise<SeriesChoice[]> {
  const membership = await db.membership.findUnique({ where: { programmeId_personId: { programmeId, personId } }, select: { role: true } });
  const series = await db.promptSeries.findMany({ where: { programmeId }, orderBy: { createdAt: "asc" }, select: { id: true, title: true, active: true, audienceRoles: true } });
  const stopped = new Set(
    (await db.messageOptOut.findMany({ where: { personId, scope: { in: series.map((s) => seriesScope(s.id)) } }, select: { scope: true } })).map((o) => o.scope),
  );
  return series
    .map((s) => ({ seriesId: s.id, title: s.title, stopped: stopped.has(seriesScope(s.id)), gets: s.active && membership !== null && s.audienceRoles.includes(membership.role) }))
    .filter((s) => s.stopped || s.gets)
    .map(({ seriesId, title, stopped }) => ({ seriesId, title, stopped }));
}
