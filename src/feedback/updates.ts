import { createHash } from "node:crypto";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { FeedbackItem } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import { audit } from "../audit.ts";
import { membersWithRoles } from "../access.ts";
import { firstNudgeCheck, isOpen, nextStatuses, type FeedbackStatus } from "./rules.ts";
import { mayTell, tell } from "./notices.ts";
import { tellFollowersOfUpdate } from "./follows.ts";
import * as say from "./catalogue.ts";

/** "We did": updates that answer ideas, and what the people who raised them make of them. */

/** What an update does to each idea it answers: closes it as done (the default), or says work goes on. */
export type UpdateOutcome = "done" | "working";

/** Where "still working on it" leaves an idea: agreed, with work under way. */
const WORKING: FeedbackStatus = "agreed";
/** Where an idea goes back to when its raiser says "done" did not answer it. */
const REOPENED: FeedbackStatus = "agreed";

/**
 * Moves an idea as an update says (a first reply in any case), keeping its
 * history. A closed idea stays as it is. Returns the status it now has.
 */
async function applyOutcome(tx: DbTx, now: Date, byId: string, item: FeedbackItem, outcome: UpdateOutcome): Promise<FeedbackStatus> {
  if (!isOpen(item.status)) return item.status;
  const to: FeedbackStatus = outcome === "done" ? "done" : WORKING;
  const firstRespondedAt = item.firstRespondedAt ?? now;
  if (to === item.status) {
    await tx.feedbackItem.update({ where: { id: item.id }, data: { firstRespondedAt } });
    return to;
  }
  // Claimed on the status we read, as a status change is: a change made meanwhile wins.
  const claimed = await tx.feedbackItem.updateMany({
    where: { id: item.id, status: item.status },
    data: { status: to, firstRespondedAt, ...(to === "done" ? { closedAt: now, nextNudgeAt: null } : {}) },
  });
  if (claimed.count === 0) return item.status;
  await tx.feedbackStatusChange.create({ data: { itemId: item.id, from: item.status, to, reason: null, changedById: byId, changedAt: now } });
  return to;
}

/**
 * Posts what was done to the programme's channels, moves each idea it answers
 * (done, unless its number is in `stillWorking`), and asks each person who
 * raised one, privately, whether it answers what they said. Unknown numbers
 * refuse the whole update: nothing is stored or posted.
 */
export async function postUpdate(
  ctx: CoreContext,
  byId: string,
  p: { programmeId: string; authorRole: Role; text: string; itemNumbers: number[]; stillWorking?: number[] },
): Promise<{ updateId: string; numbers: number[]; told: number; done: number[]; working: number[] }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const items = await tx.feedbackItem.findMany({ where: { programmeId: p.programmeId, number: { in: [...new Set([...p.itemNumbers, ...(p.stillWorking ?? [])])] } }, orderBy: { number: "asc" } });
    const missing = [...p.itemNumbers, ...(p.stillWorking ?? [])].filter((n) => !items.some((i) => i.number === n));
    if (missing.length) throw new WesaidError("not_found", say.feedbackText.unknownIdeas([...new Set(missing)]));
    const outcomeOf = (n: number): UpdateOutcome => (p.stillWorking?.includes(n) ? "working" : "done");
    const update = await tx.feedbackUpdate.create({
      data: { programmeId: p.programmeId, authorId: byId, authorRole: p.authorRole, text: p.text, postedAt: now, items: { create: items.map((i) => ({ itemId: i.id, outcome: outcomeOf(i.number) })) } },
    });
    const statuses = new Map<string, FeedbackStatus>();
    for (const item of items) statuses.set(item.id, await applyOutcome(tx, now, byId, item, outcomeOf(item.number)));
    await audit(tx, now, byId, "feedback.update", "FeedbackUpdate", update.id, { items: items.map((i) => i.number), stillWorking: items.filter((i) => outcomeOf(i.number) === "working").map((i) => i.number) });
    const post = say.updatePost({ text: p.text, role: p.authorRole, items: items.map((i) => ({ number: i.number, text: i.text, status: statuses.get(i.id)! })) });
    const channels = await tx.programmeChannel.findMany({ where: { programmeId: p.programmeId } });
    await enqueue(tx, now, ...channels.map((ch) => ({ key: `feedback:update:${update.id}:channel:${ch.id}`, purpose: "feedback.update", channelId: ch.id, programmeId: p.programmeId, message: post })));
    // One question per linked idea (someone who raised two gets two), to the people the gate lets through.
    const asked = items.filter((i) => i.raisedById && i.raisedById !== byId);
    const decisions = await mayTell(tx, ctx, now, p.programmeId, asked.map((i) => i.raisedById!));
    const questions: Outgoing[] = [];
    for (const item of asked) {
      const decision = decisions.get(item.raisedById!);
      if (!decision?.send) continue;
      questions.push({
        key: `feedback:update:${update.id}:item:${item.id}`,
        purpose: "feedback.update.ask",
        personId: item.raisedById!,
        programmeId: p.programmeId,
        message: say.updateForRaiser({ number: item.number, itemText: item.text, updateText: p.text, updateId: update.id, itemId: item.id, status: statuses.get(item.id)! }),
        notBefore: decision.at,
      });
    }
    await enqueue(tx, now, ...questions);
    await tellFollowersOfUpdate(tx, ctx, now, byId, { programmeId: p.programmeId, updateId: update.id, updateText: p.text, items: items.map((item) => ({ item, status: statuses.get(item.id)! })) });
    // "We have asked N people": people, not questions (someone who raised two ideas is one person).
    const told = new Set(questions.map((q) => ("personId" in q ? q.personId : ""))).size;
    const numbersWith = (outcome: UpdateOutcome) => items.filter((i) => outcomeOf(i.number) === outcome).map((i) => i.number);
    return { updateId: update.id, numbers: items.map((i) => i.number), told, done: numbersWith("done"), working: numbersWith("working") };
  });
}

export type Answered = "yes" | "partly" | "no";

/**
 * "Did this answer what you said?" from the person who raised the item; a
 * second answer replaces the first. The caller has checked it is theirs to answer.
 * "Partly" or "no" opens a done idea again and tells its owner and the
 * facilitators, with the comment and the raiser's role (never their name).
 */
export async function react(
  ctx: CoreContext,
  personId: string,
  p: { updateId: string; itemId: string; answered: Answered; comment?: string },
): Promise<{ reopened: boolean; told: number; comment: string | null }> {
  const now = ctx.clock.now();
  // A button press (no comment) keeps a comment sent before; the comment form replaces it.
  const given = p.comment?.trim() || undefined;
  const data = { answered: p.answered, reactedAt: now, ...(given !== undefined ? { comment: given } : {}) };
  return ctx.db.$transaction(async (tx) => {
    const reaction = await tx.feedbackReaction.upsert({
      where: { updateId_itemId_personId: { updateId: p.updateId, itemId: p.itemId, personId } },
      create: { updateId: p.updateId, itemId: p.itemId, personId, comment: given ?? null, ...data },
      update: data,
    });
    const comment = reaction.comment;
    await audit(tx, now, personId, "feedback.react", "FeedbackItem", p.itemId, { updateId: p.updateId, answered: p.answered });
    const answered = p.answered;
    if (answered === "yes") return { reopened: false, told: 0, comment };
    const item = await tx.feedbackItem.findUniqueOrThrow({ where: { id: p.itemId } });
    const reopened = item.status === "done" && (await reopen(tx, now, personId, item, answered));
    const update = await tx.feedbackUpdate.findUniqueOrThrow({ where: { id: p.updateId }, select: { text: true } });
    const facilitators = await membersWithRoles(tx, item.programmeId, ["facilitator"]);
    const toTell = [...new Set([...(item.ownerId ? [item.ownerId] : []), ...facilitators.map((f) => f.personId)])].filter((id) => id !== personId);
    // One notice per answer and comment: pressing the same button twice tells nobody twice.
    const version = createHash("sha256").update(`${p.answered}\u0000${comment ?? ""}`).digest("hex").slice(0, 16);
    const status = reopened ? REOPENED : item.status;
    const told = await tell(tx, ctx, now, item.programmeId, toTell, (to) => ({
      key: `feedback:not-answered:${reaction.id}:${version}:${to}`,
      purpose: "feedback.not_answered",
      message: say.notAnsweredNotice({ number: item.number, itemText: item.text, updateText: update.text, answered, comment, role: item.raisedByRole, reopened, itemId: item.id, status, next: nextStatuses(status) }),
    }));
    return { reopened, told: told.length, comment };
  });
}

/** Opens a done idea again, with a line in its history saying why. */
async function reopen(tx: DbTx, now: Date, personId: string, item: FeedbackItem, answered: "partly" | "no"): Promise<boolean> {
  const claimed = await tx.feedbackItem.updateMany({
    where: { id: item.id, status: "done" },
    data: { status: REOPENED, closedAt: null, nextNudgeAt: firstNudgeCheck({ ...item, status: REOPENED }) },
  });
  if (claimed.count === 0) return false;
  await tx.feedbackStatusChange.create({ data: { itemId: item.id, from: "done", to: REOPENED, reason: say.feedbackText.reopenedReason(answered), changedById: personId, changedAt: now } });
  return true;
}
