import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { FeedbackItem } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { audit } from "../audit.ts";
import type { FeedbackStatus } from "./rules.ts";
import { tell } from "./notices.ts";
import * as say from "./catalogue.ts";

/** "This matters to me too": following an idea someone else raised, and being told what happens to it. */

export type FollowOutcome = "followed" | "already" | "own";

/** Follows an idea (once per person: pressing again changes nothing). The raiser is told already, so stores nothing for them. */
export async function follow(ctx: CoreContext, p: { personId: string; role: Role; item: FeedbackItem }): Promise<FollowOutcome> {
  if (p.item.raisedById === p.personId) return "own";
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const created = await tx.ideaFollower.createMany({ data: [{ itemId: p.item.id, personId: p.personId, role: p.role, followedAt: now }], skipDuplicates: true });
    if (created.count === 0) return "already";
    await audit(tx, now, p.personId, "feedback.follow", "FeedbackItem", p.item.id, {});
    return "followed";
  });
}

export async function unfollow(ctx: CoreContext, p: { personId: string; item: FeedbackItem }): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const removed = await tx.ideaFollower.deleteMany({ where: { itemId: p.item.id, personId: p.personId } });
    if (removed.count > 0) await audit(tx, now, p.personId, "feedback.unfollow", "FeedbackItem", p.item.id, {});
    return removed.count > 0;
  });
}

/** The people who follow an item, leaving out whoever made the change (they know already). */
async function followersOf(tx: DbTx, itemIds: readonly string[], exceptId: string): Promise<{ itemId: string; personId: string }[]> {
  if (itemIds.length === 0) return [];
  return tx.ideaFollower.findMany({ where: { itemId: { in: [...itemIds] }, personId: { not: exceptId } }, select: { itemId: true, personId: true } });
}

/** Tells an idea's followers its new status (through the gate; one notice per person per change). */
export async function tellFollowersOfStatus(
  tx: DbTx,
  ctx: CoreContext,
  now: Date,
  byId: string,
  p: { item: FeedbackItem; changeId: string; status: FeedbackStatus; reason: string | null },
): Promise<number> {
  const followers = await followersOf(tx, [p.item.id], byId);
  const told = await tell(tx, ctx, now, p.item.programmeId, followers.map((f) => f.personId), (personId) => ({
    key: `feedback:${p.item.id}:status:${p.changeId}:follower:${personId}`,
    purpose: "feedback.follower.status",
    message: say.statusForFollower({ number: p.item.number, text: p.item.text, status: p.status, reason: p.reason, itemId: p.item.id }),
  }));
  return told.length;
}

/**
 * Tells the followers of the ideas an update answers what was done: one notice
 * per person per update, naming only the ideas they follow. The people who
 * raised them are asked their own question instead, so are left out.
 */
export async function tellFollowersOfUpdate(
  tx: DbTx,
  ctx: CoreContext,
  now: Date,
  byId: string,
  p: { programmeId: string; updateId: string; updateText: string; items: { item: FeedbackItem; status: FeedbackStatus }[] },
): Promise<number> {
  const followers = await followersOf(tx, p.items.map((i) => i.item.id), byId);
  const raisers = new Set(p.items.map((i) => i.item.raisedById));
  const byPerson = new Map<string, string[]>();
  for (const f of followers) {
    if (raisers.has(f.personId)) continue;
    byPerson.set(f.personId, [...(byPerson.get(f.personId) ?? []), f.itemId]);
  }
  const told = await tell(tx, ctx, now, p.programmeId, [...byPerson.keys()], (personId) => {
    const theirs = p.items.filter((i) => byPerson.get(personId)?.includes(i.item.id));
    return {
      key: `feedback:update:${p.updateId}:follower:${personId}`,
      purpose: "feedback.follower.update",
      message: say.updateForFollower({ updateText: p.updateText, items: theirs.map((i) => ({ number: i.item.number, text: i.item.text, status: i.status })) }),
    };
  });
  return told.length;
}

/**
 * Support per idea: the people who said "This matters to me too" (the raiser is
 * not among them), with the role each had when they did. `asOf` leaves out
 * follows made after it. Unfollowing removes the row, so this is support as it stands.
 */
export async function supportFor(db: DbTx, itemIds: readonly string[], asOf?: Date): Promise<Map<string, { followers: number; people: { personId: string; role: Role }[] }>> {
  const rows = itemIds.length
    ? await db.ideaFollower.findMany({ where: { itemId: { in: [...itemIds] }, ...(asOf ? { followedAt: { lt: asOf } } : {}) }, select: { itemId: true, personId: true, role: true } })
    : [];
  const support = new Map<string, { followers: number; people: { personId: string; role: Role }[] }>();
  for (const id of itemIds) support.set(id, { followers: 0, people: [] });
  for (const row of rows) {
    const s = support.get(row.itemId)!;
    s.followers += 1;
    s.people.push({ personId: row.personId, role: row.role });
  }
  return support;
}
