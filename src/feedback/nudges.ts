import type { CoreContext } from "../context.ts";
import type { FeedbackItem } from "../generated/prisma/client.ts";
import { membersWithRoles } from "../access.ts";
import { audit } from "../audit.ts";
import { formatDate } from "../time.ts";
import { nextStatuses, OPEN_STATUSES, planNudge, UNOWNED_NUDGE_AFTER_DAYS } from "./rules.ts";
import { tell } from "./notices.ts";
import * as say from "./catalogue.ts";

/** The sweep that keeps ideas moving: overdue owners are nudged, ideas nobody took on go to the facilitators. */

const NUDGE_BATCH = 100;

/**
 * Nudges owners of overdue items (again every feedbackNudgeEveryHours) and
 * tells facilitators, once, about items nobody took on. Each item is claimed
 * by a conditional update on what was read, so two sweeps never both nudge.
 */
export async function sweepNudges(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.feedbackItem.findMany({
    where: {
      status: { in: [...OPEN_STATUSES] },
      OR: [{ nextNudgeAt: { lte: now } }, { nextNudgeAt: null, ownerId: { not: null }, dueAt: { lte: now } }],
    },
    orderBy: { nextNudgeAt: "asc" },
    take: NUDGE_BATCH,
  });
  let handled = 0;
  for (const item of due) {
    if (await nudgeOne(ctx, item, now)) handled++;
  }
  return handled;
}

async function nudgeOne(ctx: CoreContext, item: FeedbackItem, now: Date): Promise<boolean> {
  const plan = planNudge(item, now, ctx.settings.feedbackNudgeEveryHours);
  return ctx.db.$transaction(async (tx) => {
    const claimed = await tx.feedbackItem.updateMany({
      where: { id: item.id, status: item.status, ownerId: item.ownerId, nextNudgeAt: item.nextNudgeAt, nudgesSent: item.nudgesSent },
      data: { nextNudgeAt: plan.nextNudgeAt, ...(plan.send === "owner" ? { nudgesSent: { increment: 1 } } : {}) },
    });
    if (claimed.count === 0 || !plan.send) return false;
    const next = nextStatuses(item.status);
    if (plan.send === "owner" && item.ownerId && item.dueAt) {
      const dueAt = item.dueAt;
      await tell(tx, ctx, now, item.programmeId, [item.ownerId], (_, timeZone) => ({
        key: `feedback:${item.id}:nudge:${item.nudgesSent + 1}`,
        purpose: "feedback.nudge",
        message: say.ownerNudge({ number: item.number, text: item.text, due: formatDate(dueAt, timeZone), status: item.status, itemId: item.id, next }),
      }));
    } else if (plan.send === "facilitators") {
      const facilitators = await membersWithRoles(tx, item.programmeId, ["facilitator"]);
      await tell(tx, ctx, now, item.programmeId, facilitators.map((f) => f.personId), (personId) => ({
        key: `feedback:${item.id}:unowned:${personId}`,
        purpose: "feedback.unowned",
        message: say.unownedNudge({ number: item.number, text: item.text, days: UNOWNED_NUDGE_AFTER_DAYS, itemId: item.id, next }),
      }));
    }
    await audit(tx, now, null, "feedback.nudge", "FeedbackItem", item.id, { to: plan.send });
    return true;
  });
}
