import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { CoOwnedAction, CoOwner, FeedbackItem } from "../generated/prisma/client.ts";
import { audit } from "../audit.ts";
import { formatDate } from "../time.ts";
import { coOwnershipProblem } from "./rules.ts";
import { tell } from "./notices.ts";
import * as say from "./catalogue.ts";

/** "We said, we did": actions owned jointly by experts by experience and professionals. */

/**
 * An action owned jointly: at least one expert by experience and at least one
 * professional, commissioner or facilitator. Every owner is told privately.
 */
export async function createCoOwnedAction(
  ctx: CoreContext,
  byId: string,
  p: { programmeId: string; title: string; ownerIds: string[]; itemNumber?: number; dueAt?: Date },
): Promise<{ actionId: string; owners: number }> {
  const now = ctx.clock.now();
  const ownerIds = [...new Set(p.ownerIds)];
  const owners = await ctx.db.membership.findMany({
    where: { programmeId: p.programmeId, personId: { in: ownerIds }, person: { erasedAt: null } },
    include: { person: true },
  });
  if (owners.length !== ownerIds.length) throw new WesaidError("not_found", say.feedbackText.ownerNotMember);
  const problem = coOwnershipProblem(owners.map((o) => o.role));
  if (problem) throw new WesaidError("invalid_input", say.feedbackText.notJoint(problem));
  if (p.dueAt && p.dueAt <= now) throw new WesaidError("invalid_input", say.feedbackText.dueInPast);
  const item = p.itemNumber === undefined ? null : await ctx.db.feedbackItem.findUnique({ where: { programmeId_number: { programmeId: p.programmeId, number: p.itemNumber } } });
  if (p.itemNumber !== undefined && !item) throw new WesaidError("not_found", say.feedbackText.unknownIdea(p.itemNumber));
  return ctx.db.$transaction(async (tx) => {
    const action = await tx.coOwnedAction.create({
      data: {
        programmeId: p.programmeId,
        itemId: item?.id ?? null,
        title: p.title,
        dueAt: p.dueAt ?? null,
        createdById: byId,
        createdAt: now,
        owners: { create: owners.map((o) => ({ personId: o.personId, role: o.role })) },
      },
    });
    await audit(tx, now, byId, "action.create", "CoOwnedAction", action.id, { owners: owners.map((o) => o.role), itemNumber: item?.number ?? null });
    await tell(tx, ctx, now, p.programmeId, owners.map((o) => o.personId), (personId, timeZone) => ({
      key: `coown:${action.id}:owner:${personId}`,
      purpose: "action.create",
      message: say.coOwnedInvite({
        title: p.title,
        others: owners.filter((o) => o.personId !== personId).map((o) => ({ name: o.person.displayName, role: o.role })),
        itemNumber: item?.number,
        due: p.dueAt ? formatDate(p.dueAt, timeZone) : undefined,
        actionId: action.id,
      }),
    }));
    return { actionId: action.id, owners: owners.length };
  });
}

export type LoadedCoOwnedAction = CoOwnedAction & { owners: CoOwner[]; item: FeedbackItem | null };

/** A joint action with its owners and the idea it answers; not_found when it is not there. */
export async function loadCoOwnedAction(db: DbTx, actionId: string): Promise<LoadedCoOwnedAction> {
  const action = await db.coOwnedAction.findUnique({ where: { id: actionId }, include: { owners: true, item: true } });
  if (!action) throw new WesaidError("not_found", say.feedbackText.actionNotFound);
  return action;
}

export function isOwnerOf(action: LoadedCoOwnedAction, personId: string): boolean {
  return action.owners.some((o) => o.personId === personId);
}

/**
 * Marks a joint action done or dropped (the caller has checked they own it);
 * when done, the person who raised its idea is told.
 */
export async function setCoOwnedStatus(
  ctx: CoreContext,
  byId: string,
  action: LoadedCoOwnedAction,
  status: "done" | "dropped",
): Promise<{ title: string; raiserTold: boolean }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const claimed = await tx.coOwnedAction.updateMany({ where: { id: action.id, status: "open" }, data: { status, doneAt: status === "done" ? now : null } });
    if (claimed.count === 0) throw new WesaidError("already_done", say.feedbackText.actionClosed(action.status));
    await audit(tx, now, byId, `action.${status}`, "CoOwnedAction", action.id);
    const item = action.item;
    const raiserId = item?.raisedById;
    const raiser = status === "done" && item && raiserId && !isOwnerOf(action, raiserId) ? [raiserId] : [];
    const told = await tell(tx, ctx, now, action.programmeId, raiser, () => ({
      key: `coown:${action.id}:done:${raiserId}`,
      purpose: "action.done",
      message: say.coOwnedDoneForRaiser({ number: item!.number, itemText: item!.text, title: action.title }),
    }));
    return { title: action.title, raiserTold: told.length > 0 };
  });
}
