import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import type { Role } from "../roles.ts";

/**
 * The programme's history up to a moment, read once in a fixed handful of
 * queries (never one per week or per figure): the loop measures and every
 * point of the trend are worked out from it in memory (measures.ts).
 */

export type IdeaHistory = {
  id: string;
  number: number;
  raisedById: string | null;
  createdAt: Date;
  firstRespondedAt: Date | null;
  dueAt: Date | null;
  status: string;
  closedAt: Date | null;
  /** Status changes in time order, the first one being "received". */
  changes: { from: string | null; to: string; at: Date }[];
};

export type History = {
  ideas: IdeaHistory[];
  /** Each idea each update answered, with what the update did to it. */
  updateLinks: { updateId: string; itemId: string; authorId: string | null; postedAt: Date; outcome: string }[];
  reactions: { updateId: string; itemId: string; personId: string | null; answered: string; reactedAt: Date }[];
  actions: { itemId: string | null; doneAt: Date; ownerRoles: Role[] }[];
  memberships: { personId: string; role: Role; joinedAt: Date }[];
  tasters: {
    startsAt: Date;
    audienceRoles: Role[];
    signups: { status: string; offeredAt: Date | null; attended: boolean | null; expectationsMet: string | null; wouldTakePart: string | null }[];
  }[];
  panels: { id: string; startsAt: Date; members: { personId: string; role: Role; attended: boolean | null }[]; debriefers: Set<string> }[];
  /** Per occurrence of a named series, how many were sent and answered (anonymous answers leave no mark on the delivery). */
  deliveries: { scheduledFor: Date; sent: number; answered: number }[];
};

const deliveryCount = z.object({ scheduledFor: z.date(), sent: z.number().int(), answered: z.number().int() });

export async function readHistory(db: DbTx, programmeId: string, end: Date): Promise<History> {
  const ideas = await db.feedbackItem.findMany({
    where: { programmeId, createdAt: { lt: end } },
    select: { id: true, number: true, raisedById: true, createdAt: true, firstRespondedAt: true, dueAt: true, status: true, closedAt: true },
    orderBy: { number: "asc" },
  });
  const changes = await db.feedbackStatusChange.findMany({
    where: { item: { programmeId }, changedAt: { lt: end } },
    select: { itemId: true, from: true, to: true, changedAt: true },
    orderBy: { changedAt: "asc" },
  });
  const byItem = new Map<string, IdeaHistory["changes"]>();
  for (const c of changes) {
    const list = byItem.get(c.itemId) ?? [];
    list.push({ from: c.from, to: c.to, at: c.changedAt });
    byItem.set(c.itemId, list);
  }
  const links = await db.feedbackUpdateItem.findMany({
    where: { update: { programmeId, postedAt: { lt: end } } },
    select: { updateId: true, itemId: true, outcome: true, update: { select: { authorId: true, postedAt: true } } },
  });
  const reactions = await db.feedbackReaction.findMany({
    where: { update: { programmeId }, reactedAt: { lt: end } },
    select: { updateId: true, itemId: true, personId: true, answered: true, reactedAt: true },
  });
  const actions = await db.coOwnedAction.findMany({
    where: { programmeId, status: "done", doneAt: { lt: end } },
    select: { itemId: true, doneAt: true, owners: { select: { role: true } } },
  });
  const memberships = await db.membership.findMany({ where: { programmeId }, select: { personId: true, role: true, joinedAt: true } });
  const tasters = await db.taster.findMany({
    where: { programmeId, cancelledAt: null, startsAt: { lt: end } },
    select: { startsAt: true, audienceRoles: true, signups: { select: { status: true, offeredAt: true, attended: true, expectationsMet: true, wouldTakePart: true } } },
  });
  const panels = await db.panel.findMany({
    where: { programmeId, startsAt: { lt: end } },
    select: { id: true, startsAt: true, members: { select: { personId: true, role: true, attended: true } }, debriefs: { where: { submittedAt: { lt: end } }, select: { personId: true } } },
  });
  // Counted in the database in one pass, one row per occurrence: a programme may have sent hundreds of thousands.
  // Grouped by occurrence before the join (the table is read whole either way), so the join meets one row an
  // occurrence, not one a delivery: a third less time on PGlite.
  const counts = await db.$queryRaw<unknown[]>`
    SELECT o."scheduledFor", d."sent", d."answered"
      FROM (
        SELECT d."occurrenceId", count(*)::int AS "sent", (count(*) FILTER (WHERE d."answeredAt" < ${end}))::int AS "answered"
          FROM "PromptDelivery" d
         WHERE d."sentAt" < ${end}
         GROUP BY d."occurrenceId"
      ) d
      JOIN "PromptOccurrence" o ON o."id" = d."occurrenceId"
      JOIN "PromptSeries" s ON s."id" = o."seriesId"
     WHERE s."programmeId" = ${programmeId} AND NOT s."anonymous" AND o."scheduledFor" < ${end}`;

  return {
    ideas: ideas.map((i) => ({ ...i, changes: byItem.get(i.id) ?? [] })),
    updateLinks: links.map((l) => ({ updateId: l.updateId, itemId: l.itemId, outcome: l.outcome, authorId: l.update.authorId, postedAt: l.update.postedAt })),
    reactions,
    actions: actions.map((a) => ({ itemId: a.itemId, doneAt: a.doneAt!, ownerRoles: a.owners.map((o) => o.role) })),
    memberships,
    tasters,
    panels: panels.map((p) => ({ id: p.id, startsAt: p.startsAt, members: p.members, debriefers: new Set(p.debriefs.flatMap((d) => (d.personId ? [d.personId] : []))) })),
    deliveries: z.array(deliveryCount).parse(counts),
  };
}
