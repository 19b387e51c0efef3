import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { FeedbackItem } from "../generated/prisma/client.ts";
import { ROLE_LABELS, roleCan } from "../roles.ts";
import { audit } from "../audit.ts";
import { formatDate } from "../time.ts";
import { checkTransition, firstNudgeCheck, isOpen, nextStatuses, stampsForChange, type FeedbackStatus } from "./rules.ts";
import { MANAGER_ROLES } from "./items.ts";
import { tell } from "./notices.ts";
import { tellFollowersOfStatus } from "./follows.ts";
import * as say from "./catalogue.ts";

/** An idea's owner, due date and status. The caller has checked who may change them. */

function transitionError(item: FeedbackItem, to: FeedbackStatus, problem: "same" | "not_allowed" | "reason_needed"): WesaidError {
  if (problem === "reason_needed") return new WesaidError("invalid_input", say.feedbackText.reasonNeeded);
  if (problem === "same") return new WesaidError("already_done", say.feedbackText.sameStatus(item.number, item.status));
  if (!isOpen(item.status)) return new WesaidError("closed", say.feedbackText.ideaClosed(item.number, item.status));
  return new WesaidError("invalid_input", say.feedbackText.moveNotAllowed(item.number, item.status, to, nextStatuses(item.status)));
}

/**
 * Moves an item along its allowed path, keeps the history and time stamps,
 * and tells the person who raised it and the people who follow it, privately.
 */
export async function changeStatus(
  ctx: CoreContext,
  byId: string,
  p: { itemId: string; to: FeedbackStatus; reason?: string | null },
): Promise<{ item: FeedbackItem; raiserTold: boolean }> {
  const now = ctx.clock.now();
  const reason = p.reason?.trim() || null;
  return ctx.db.$transaction(async (tx) => {
    const item = await tx.feedbackItem.findUnique({ where: { id: p.itemId } });
    if (!item) throw new WesaidError("not_found", say.feedbackText.whichIdea);
    const check = checkTransition(item.status, p.to, reason);
    if (!check.ok) throw transitionError(item, p.to, check.problem);
    // Claimed on the status we read: two people pressing at once cannot both move it.
    const claimed = await tx.feedbackItem.updateMany({
      where: { id: item.id, status: item.status },
      data: { status: p.to, statusReason: reason, ...stampsForChange(item, p.to, now), ...(isOpen(p.to) ? {} : { nextNudgeAt: null }) },
    });
    if (claimed.count === 0) throw new WesaidError("conflict", say.feedbackText.changedMeanwhile(item.number));
    const change = await tx.feedbackStatusChange.create({ data: { itemId: item.id, from: item.status, to: p.to, reason, changedById: byId, changedAt: now } });
    await audit(tx, now, byId, "feedback.status", "FeedbackItem", item.id, { from: item.status, to: p.to, reason });
    const raiser = item.raisedById && item.raisedById !== byId ? [item.raisedById] : [];
    const told = await tell(tx, ctx, now, item.programmeId, raiser, () => ({
      key: `feedback:${item.id}:status:${change.id}`,
      purpose: "feedback.status",
      message: say.statusForRaiser({ number: item.number, text: item.text, status: p.to, reason }),
    }));
    await tellFollowersOfStatus(tx, ctx, now, byId, { item, changeId: change.id, status: p.to, reason });
    return { item: await tx.feedbackItem.findUniqueOrThrow({ where: { id: item.id } }), raiserTold: told.length > 0 };
  });
}

/** Gives an open item an owner (who can manage ideas) and a date an answer is due by. */
export async function assignOwner(ctx: CoreContext, byId: string, p: { itemId: string; ownerId: string; dueAt: Date }): Promise<FeedbackItem> {
  const now = ctx.clock.now();
  if (p.dueAt <= now) throw new WesaidError("invalid_input", say.feedbackText.dueInPast);
  return ctx.db.$transaction(async (tx) => {
    const item = await tx.feedbackItem.findUnique({ where: { id: p.itemId } });
    if (!item) throw new WesaidError("not_found", say.feedbackText.whichIdea);
    if (!isOpen(item.status)) throw new WesaidError("closed", say.feedbackText.ideaClosed(item.number, item.status));
    const owner = await tx.membership.findUnique({ where: { programmeId_personId: { programmeId: item.programmeId, personId: p.ownerId } }, include: { person: true } });
    if (!owner || owner.person.erasedAt) throw new WesaidError("not_found", say.feedbackText.ownerNotMember);
    if (!roleCan(owner.role, "feedback.manage")) {
      throw new WesaidError("not_allowed", say.feedbackText.ownerCannotManage(owner.person.displayName, MANAGER_ROLES.map((r) => ROLE_LABELS[r])));
    }
    const updated = await tx.feedbackItem.update({
      where: { id: item.id },
      data: { ownerId: p.ownerId, dueAt: p.dueAt, nextNudgeAt: firstNudgeCheck({ ...item, ownerId: p.ownerId, dueAt: p.dueAt }) },
    });
    await audit(tx, now, byId, "feedback.assign", "FeedbackItem", item.id, { ownerId: p.ownerId, dueAt: p.dueAt.toISOString() });
    const toTell = p.ownerId !== byId ? [p.ownerId] : [];
    await tell(tx, ctx, now, item.programmeId, toTell, (_, timeZone) => ({
      key: `feedback:${item.id}:owner:${p.ownerId}:${p.dueAt.getTime()}`,
      purpose: "feedback.assign",
      message: say.ownerAssigned({ number: item.number, text: item.text, due: formatDate(p.dueAt, timeZone), itemId: item.id, next: nextStatuses(item.status) }),
    }));
    return updated;
  });
}
