import type { CoreContext } from "../context.ts";
import { auditRead } from "../audit.ts";
import type { Actor, Reply } from "../interactions.ts";
import type { FeedbackItem, Membership } from "../generated/prisma/client.ts";
import { roleCan } from "../roles.ts";
import { timeZoneOf } from "../people/index.ts";
import { formatDate } from "../time.ts";
import { isOverdue, nextStatuses, OPEN_STATUSES } from "./rules.ts";
import * as say from "./catalogue.ts";

/** What a person sees when they ask about ideas: their own, and the open ones when they manage ideas. */

export async function listIdeas(ctx: CoreContext, actor: Actor, membership: Membership): Promise<Reply> {
  const now = ctx.clock.now();
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: membership.programmeId } });
  const tz = await timeZoneOf(ctx.db, actor.person.id);
  const mine = await ctx.db.feedbackItem.findMany({ where: { programmeId: programme.id, raisedById: actor.person.id }, orderBy: { number: "desc" }, take: 25 });
  let open: say.OpenIdeaLine[] | undefined;
  if (roleCan(membership.role, "feedback.manage")) {
    const items = await ctx.db.feedbackItem.findMany({ where: { programmeId: programme.id, status: { in: [...OPEN_STATUSES] } }, orderBy: { number: "asc" }, take: 50 });
    const owners = await ctx.db.person.findMany({ where: { id: { in: items.flatMap((i) => (i.ownerId ? [i.ownerId] : [])) } } });
    open = items.map((i) => ({
      number: i.number,
      text: i.text,
      status: i.status,
      role: i.raisedByRole,
      owner: owners.find((o) => o.id === i.ownerId)?.displayName,
      due: i.dueAt ? formatDate(i.dueAt, tz) : undefined,
      overdue: isOverdue(i, now),
    }));
  }
  if (open) await auditRead(ctx.db, now, actor.person.id, { kind: "ideas", programmeId: programme.id });
  return { private: say.ideasList({ programmeName: programme.name, mine: mine.map((i) => ({ number: i.number, text: i.text, status: i.status })), open }) };
}

export async function showIdea(ctx: CoreContext, actor: Actor, item: FeedbackItem, membership: Membership): Promise<Reply> {
  const tz = await timeZoneOf(ctx.db, actor.person.id);
  const owner = item.ownerId ? await ctx.db.person.findUnique({ where: { id: item.ownerId } }) : null;
  const canManage = roleCan(membership.role, "feedback.manage");
  return {
    private: say.ideaDetail({
      number: item.number,
      text: item.text,
      status: item.status,
      role: item.raisedByRole,
      owner: owner?.displayName,
      due: item.dueAt ? formatDate(item.dueAt, tz) : undefined,
      overdue: isOverdue(item, ctx.clock.now()),
      reason: item.statusReason,
      manage: canManage ? { itemId: item.id, next: nextStatuses(item.status), owned: Boolean(item.ownerId) } : undefined,
    }),
  };
}
