import { z } from "zod";
import type { CoreContext } from "./context.ts";
import type { DbTx } from "./db/database.ts";
import { isUniqueViolation } from "./db/errors.ts";
import { WesaidError } from "./errors.ts";
import { textWithoutMentions, type Actor, type Feature, type Reply } from "./interactions.ts";
import type { FeedbackItem, Membership } from "./generated/prisma/client.ts";
import { authorise, membershipFor, membersWithRoles, requireMember, requireParticipation } from "./access.ts";
import { ROLE_LABELS, roleCan, rolesWith, type Capability, type Role } from "./roles.ts";
import { enqueue } from "./outbox.ts";
import { audit } from "./audit.ts";
import { recordContribution, timeZoneOf } from "./people/index.ts";
import { DAY } from "./clock.ts";
import { formatDate, nextAllowedTime } from "./time.ts";
import { isoDate, optionalText, parseInput, text } from "./validation.ts";
import {
  checkTransition,
  coOwnershipProblem,
  FEEDBACK_STATUSES,
  firstNudgeCheck,
  isOpen,
  isOverdue,
  nextStatuses,
  OPEN_STATUSES,
  planNudge,
  stampsForChange,
  UNOWNED_NUDGE_AFTER_DAYS,
  type FeedbackStatus,
} from "./feedback-rules.ts";
import * as say from "./messages/catalogue/feedback.ts";

// ------------------------------------------------------------------ shared helpers

type ItemSource = "direct" | "message" | "prompt_answer" | "debrief";

const MANAGER_ROLES = rolesWith("feedback.manage");

/**
 * When a private notice to this person may go out: now, or the end of their
 * quiet hours; null when they have paused messages (they see it under "ideas").
 */
async function deliveryTime(tx: DbTx, personId: string, now: Date): Promise<Date | null> {
  const pref = await tx.preference.findUnique({ where: { personId } });
  if (!pref) return now;
  if (pref.pausedAt) return null;
  return nextAllowedTime(now, pref);
}



/** "#12", "12" -> 12; null when it is not an idea number. */
export function parseItemNumber(raw: string | undefined): number | null {
  const match = /^\s*#?(\d{1,7})\s*$/.exec(raw ?? "");
  return match ? Number(match[1]) : null;
}

/** "#3 #7", "3, 7" -> [3, 7]; null when something in it is not a number. */
export function parseItemNumbers(raw: string): number[] | null {
  const parts = raw.split(/[\s,;]+/).filter(Boolean);
  const numbers = parts.map(parseItemNumber);
  if (numbers.some((n) => n === null)) return null;
  return [...new Set(numbers as number[])];
}

// ------------------------------------------------------------------ raising items

export type NewItem = {
  programmeId: string;
  raisedById: string | null;
  raisedByRole: Role;
  text: string;
  source: ItemSource;
  sourceRef?: string | null;
  /** Who stored it: the raiser, or the facilitator who turned an answer into an item. */
  byId: string;
};

const NUMBERING_ATTEMPTS = 5;

/**
 * Stores a new item with the next number in its programme (#1, #2 ...) and
 * tells the people who manage ideas. Two suggestions at once may pick the same
 * number; the unique (programmeId, number) refuses the second, which retries.
 */
export async function createItem(ctx: CoreContext, input: NewItem): Promise<FeedbackItem> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.$transaction((tx) => insertItem(tx, ctx, input));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= NUMBERING_ATTEMPTS) throw error;
    }
  }
}

async function insertItem(tx: DbTx, ctx: CoreContext, input: NewItem): Promise<FeedbackItem> {
  const now = ctx.clock.now();
  const last = await tx.feedbackItem.aggregate({ where: { programmeId: input.programmeId }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const item = await tx.feedbackItem.create({
    data: {
      programmeId: input.programmeId,
      number,
      raisedById: input.raisedById,
      raisedByRole: input.raisedByRole,
      text: input.text,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      createdAt: now,
      nextNudgeAt: firstNudgeCheck({ status: "received", ownerId: null, dueAt: null, createdAt: now }),
    },
  });
  await tx.feedbackStatusChange.create({ data: { itemId: item.id, from: null, to: "received", changedById: input.byId, changedAt: now } });
  await audit(tx, now, input.byId, "feedback.create", "FeedbackItem", item.id, { number, source: input.source, sourceRef: input.sourceRef ?? null });
  await announceNewItem(tx, now, item);
  if (item.raisedById) await thankRaiser(tx, ctx, now, item, item.raisedById, input.byId);
  return item;
}

/** A suggestion counts as time given; an answer turned into an item is news for whoever gave it. */
async function thankRaiser(tx: DbTx, ctx: CoreContext, now: Date, item: FeedbackItem, raisedById: string, byId: string): Promise<void> {
  if (item.source === "direct" || item.source === "message") {
    await recordContribution(tx, ctx.settings, { personId: raisedById, programmeId: item.programmeId, kind: "suggestion", sourceRef: item.id, occurredAt: now });
    return;
  }
  if (raisedById === byId) return;
  const at = await deliveryTime(tx, raisedById, now);
  if (!at) return;
  await enqueue(tx, now, {
    key: `feedback:${item.id}:raised`,
    purpose: "feedback.from_answer",
    personId: raisedById,
    programmeId: item.programmeId,
    message: say.answerBecameIdea({ number: item.number, text: item.text }),
    notBefore: at,
  });
}

/** Posts a new item to the programme's channels (role only), or to its managers when it has none. */
async function announceNewItem(tx: DbTx, now: Date, item: FeedbackItem): Promise<void> {
  const notice = say.newIdeaNotice({
    number: item.number,
    text: item.text,
    role: item.raisedByRole,
    itemId: item.id,
    fromAnswer: item.source === "prompt_answer" || item.source === "debrief",
    next: nextStatuses(item.status),
  });
  const channels = await tx.programmeChannel.findMany({ where: { programmeId: item.programmeId } });
  if (channels.length) {
    await enqueue(
      tx,
      now,
      ...channels.map((ch) => ({ key: `feedback:${item.id}:new:${ch.id}`, purpose: "feedback.new", channelId: ch.id, programmeId: item.programmeId, message: notice })),
    );
    return;
  }
  for (const manager of await membersWithRoles(tx, item.programmeId, MANAGER_ROLES)) {
    const at = await deliveryTime(tx, manager.personId, now);
    if (!at) continue;
    await enqueue(tx, now, { key: `feedback:${item.id}:new:person:${manager.personId}`, purpose: "feedback.new", personId: manager.personId, programmeId: item.programmeId, message: notice, notBefore: at });
  }
}

/** A person's own suggestion. Nothing is stored without their consent to take part. */
export async function suggest(
  ctx: CoreContext,
  p: { personId: string; programmeId: string; role: Role; text: string; source?: "direct" | "message"; sourceRef?: string },
): Promise<FeedbackItem> {
  await requireParticipation(ctx, p.personId, p.programmeId);
  return createItem(ctx, {
    programmeId: p.programmeId,
    raisedById: p.personId,
    raisedByRole: p.role,
    text: p.text,
    source: p.source ?? "direct",
    sourceRef: p.sourceRef,
    byId: p.personId,
  });
}

export type AnswerRef = { responseId?: string; debriefId?: string; text?: string };

/** The words, author and programme of a prompt answer or a panel debrief. */
async function loadAnswer(db: DbTx, ref: AnswerRef) {
  if (ref.responseId) {
    const r = await db.promptResponse.findUnique({ where: { id: ref.responseId }, include: { occurrence: { include: { series: true } } } });
    if (!r) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
    return { programmeId: r.occurrence.series.programmeId, personId: r.personId, role: r.role, words: r.text ?? "", source: "prompt_answer" as const, sourceRef: r.id };
  }
  if (ref.debriefId) {
    const d = await db.debriefResponse.findUnique({ where: { id: ref.debriefId }, include: { panel: true } });
    if (!d) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
    const words = [d.couldImprove, d.changeNextTime].map((w) => w.trim()).filter(Boolean).join(" ");
    return { programmeId: d.panel.programmeId, personId: d.personId, role: d.role, words, source: "debrief" as const, sourceRef: d.id };
  }
  throw new WesaidError("invalid_input", say.feedbackText.whichAnswer);
}

/**
 * Turns a prompt answer or a debrief answer into an item. A named answer keeps
 * its author as the raiser (who is told); an anonymous one keeps the role only.
 */
export async function createItemFromAnswer(ctx: CoreContext, byId: string, ref: AnswerRef): Promise<FeedbackItem> {
  const answer = await loadAnswer(ctx.db, ref);
  await requireMember(ctx.db, byId, answer.programmeId, "feedback.from_answer");
  const words = ref.text?.trim() || answer.words.trim();
  if (!words) throw new WesaidError("invalid_input", say.feedbackText.answerHasNoWords);
  const existing = await ctx.db.feedbackItem.findFirst({ where: { programmeId: answer.programmeId, source: answer.source, sourceRef: answer.sourceRef } });
  if (existing) throw new WesaidError("conflict", say.feedbackText.answerAlreadyAnIdea(existing.number));
  return createItem(ctx, {
    programmeId: answer.programmeId,
    raisedById: answer.personId,
    raisedByRole: answer.role,
    text: words.slice(0, 2000),
    source: answer.source,
    sourceRef: answer.sourceRef,
    byId,
  });
}

// ------------------------------------------------------------------ owner, due date and status

function transitionError(item: FeedbackItem, to: FeedbackStatus, problem: "same" | "not_allowed" | "reason_needed"): WesaidError {
  if (problem === "reason_needed") return new WesaidError("invalid_input", say.feedbackText.reasonNeeded);
  if (problem === "same") return new WesaidError("already_done", say.feedbackText.sameStatus(item.number, item.status));
  if (!isOpen(item.status)) return new WesaidError("closed", say.feedbackText.ideaClosed(item.number, item.status));
  return new WesaidError("invalid_input", say.feedbackText.moveNotAllowed(item.number, item.status, to, nextStatuses(item.status)));
}

/**
 * Moves an item along its allowed path, keeps the history and time stamps,
 * and tells the person who raised it, privately.
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
    let raiserTold = false;
    if (item.raisedById && item.raisedById !== byId) {
      const at = await deliveryTime(tx, item.raisedById, now);
      if (at) {
        await enqueue(tx, now, {
          key: `feedback:${item.id}:status:${change.id}`,
          purpose: "feedback.status",
          personId: item.raisedById,
          programmeId: item.programmeId,
          message: say.statusForRaiser({ number: item.number, text: item.text, status: p.to, reason }),
          notBefore: at,
        });
        raiserTold = true;
      }
    }
    return { item: await tx.feedbackItem.findUniqueOrThrow({ where: { id: item.id } }), raiserTold };
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
    if (!owner || owner.leftAt || owner.person.erasedAt) throw new WesaidError("not_found", say.feedbackText.ownerNotMember);
    if (!roleCan(owner.role, "feedback.manage")) {
      throw new WesaidError("not_allowed", say.feedbackText.ownerCannotManage(owner.person.displayName, MANAGER_ROLES.map((r) => ROLE_LABELS[r])));
    }
    const updated = await tx.feedbackItem.update({
      where: { id: item.id },
      data: { ownerId: p.ownerId, dueAt: p.dueAt, nextNudgeAt: firstNudgeCheck({ ...item, ownerId: p.ownerId, dueAt: p.dueAt }) },
    });
    await audit(tx, now, byId, "feedback.assign", "FeedbackItem", item.id, { ownerId: p.ownerId, dueAt: p.dueAt.toISOString() });
    if (p.ownerId !== byId) {
      const at = await deliveryTime(tx, p.ownerId, now);
      if (at) {
        await enqueue(tx, now, {
          key: `feedback:${item.id}:owner:${p.ownerId}:${p.dueAt.getTime()}`,
          purpose: "feedback.assign",
          personId: p.ownerId,
          programmeId: item.programmeId,
          message: say.ownerAssigned({ number: item.number, text: item.text, due: formatDate(p.dueAt, await timeZoneOf(tx, p.ownerId)), itemId: item.id, next: nextStatuses(item.status) }),
          notBefore: at,
        });
      }
    }
    return updated;
  });
}

// ------------------------------------------------------------------ "we did" updates and reactions

/**
 * Posts what was done to the programme's channels and asks each person who
 * raised a linked item, privately, whether it answers what they said. Unknown
 * numbers refuse the whole update: nothing is stored or posted.
 */
export async function postUpdate(
  ctx: CoreContext,
  byId: string,
  p: { programmeId: string; authorRole: Role; text: string; itemNumbers: number[] },
): Promise<{ updateId: string; numbers: number[]; told: number }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const items = await tx.feedbackItem.findMany({ where: { programmeId: p.programmeId, number: { in: p.itemNumbers } }, orderBy: { number: "asc" } });
    const missing = p.itemNumbers.filter((n) => !items.some((i) => i.number === n));
    if (missing.length) throw new WesaidError("not_found", say.feedbackText.unknownIdeas(missing));
    const update = await tx.feedbackUpdate.create({
      data: { programmeId: p.programmeId, authorId: byId, authorRole: p.authorRole, text: p.text, postedAt: now, items: { create: items.map((i) => ({ itemId: i.id })) } },
    });
    await audit(tx, now, byId, "feedback.update", "FeedbackUpdate", update.id, { items: items.map((i) => i.number) });
    const post = say.updatePost({ text: p.text, role: p.authorRole, items: items.map((i) => ({ number: i.number, text: i.text })) });
    const channels = await tx.programmeChannel.findMany({ where: { programmeId: p.programmeId } });
    await enqueue(tx, now, ...channels.map((ch) => ({ key: `feedback:update:${update.id}:channel:${ch.id}`, purpose: "feedback.update", channelId: ch.id, programmeId: p.programmeId, message: post })));
    let told = 0;
    for (const item of items) {
      if (!item.raisedById || item.raisedById === byId) continue;
      const at = await deliveryTime(tx, item.raisedById, now);
      if (!at) continue;
      await enqueue(tx, now, {
        key: `feedback:update:${update.id}:item:${item.id}`,
        purpose: "feedback.update.ask",
        personId: item.raisedById,
        programmeId: p.programmeId,
        message: say.updateForRaiser({ number: item.number, itemText: item.text, updateText: p.text, updateId: update.id, itemId: item.id }),
        notBefore: at,
      });
      told++;
    }
    return { updateId: update.id, numbers: items.map((i) => i.number), told };
  });
}

export type Answered = "yes" | "partly" | "no";

/** "Did this answer what you said?" from the person who raised the item; a second answer replaces the first. */
export async function react(ctx: CoreContext, personId: string, p: { updateId: string; itemId: string; answered: Answered; comment?: string }): Promise<void> {
  const link = await ctx.db.feedbackUpdateItem.findUnique({ where: { updateId_itemId: { updateId: p.updateId, itemId: p.itemId } }, include: { item: true } });
  if (!link) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
  if (link.item.raisedById !== personId) throw new WesaidError("not_allowed", say.feedbackText.notYourIdea);
  await requireParticipation(ctx, personId, link.item.programmeId);
  const now = ctx.clock.now();
  const data = { answered: p.answered, comment: p.comment ?? null, reactedAt: now };
  await ctx.db.$transaction(async (tx) => {
    await tx.feedbackReaction.upsert({
      where: { updateId_itemId_personId: { updateId: p.updateId, itemId: p.itemId, personId } },
      create: { updateId: p.updateId, itemId: p.itemId, personId, ...data },
      update: data,
    });
    await audit(tx, now, personId, "feedback.react", "FeedbackItem", p.itemId, { updateId: p.updateId, answered: p.answered });
  });
}

// ------------------------------------------------------------------ "we said, we did": actions owned together

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
    where: { programmeId: p.programmeId, personId: { in: ownerIds }, leftAt: null, person: { erasedAt: null } },
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
    for (const owner of owners) {
      const at = await deliveryTime(tx, owner.personId, now);
      if (!at) continue;
      const others = owners.filter((o) => o.personId !== owner.personId).map((o) => ({ name: o.person.displayName, role: o.role }));
      const due = p.dueAt ? formatDate(p.dueAt, await timeZoneOf(tx, owner.personId)) : undefined;
      await enqueue(tx, now, {
        key: `coown:${action.id}:owner:${owner.personId}`,
        purpose: "action.create",
        personId: owner.personId,
        programmeId: p.programmeId,
        message: say.coOwnedInvite({ title: p.title, others, itemNumber: item?.number, due, actionId: action.id }),
        notBefore: at,
      });
    }
    return { actionId: action.id, owners: owners.length };
  });
}

/** Any owner may mark a joint action done or dropped; when done, the person who raised its item is told. */
export async function setCoOwnedStatus(
  ctx: CoreContext,
  personId: string,
  p: { actionId: string; status: "done" | "dropped" },
): Promise<{ title: string; raiserTold: boolean }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const action = await tx.coOwnedAction.findUnique({ where: { id: p.actionId }, include: { owners: true, item: true } });
    if (!action) throw new WesaidError("not_found", say.feedbackText.actionNotFound);
    if (!action.owners.some((o) => o.personId === personId)) throw new WesaidError("not_allowed", say.feedbackText.actionNotOwner);
    const claimed = await tx.coOwnedAction.updateMany({ where: { id: action.id, status: "open" }, data: { status: p.status, doneAt: p.status === "done" ? now : null } });
    if (claimed.count === 0) throw new WesaidError("already_done", say.feedbackText.actionClosed(action.status));
    await audit(tx, now, personId, `action.${p.status}`, "CoOwnedAction", action.id);
    const raiserId = action.item?.raisedById;
    let raiserTold = false;
    if (p.status === "done" && action.item && raiserId && !action.owners.some((o) => o.personId === raiserId)) {
      const at = await deliveryTime(tx, raiserId, now);
      if (at) {
        await enqueue(tx, now, {
          key: `coown:${action.id}:done:${raiserId}`,
          purpose: "action.done",
          personId: raiserId,
          programmeId: action.programmeId,
          message: say.coOwnedDoneForRaiser({ number: action.item.number, itemText: action.item.text, title: action.title }),
          notBefore: at,
        });
        raiserTold = true;
      }
    }
    return { title: action.title, raiserTold };
  });
}

// ------------------------------------------------------------------ overdue nudges

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
      const at = await deliveryTime(tx, item.ownerId, now);
      if (at) {
        const due = formatDate(item.dueAt, await timeZoneOf(tx, item.ownerId));
        await enqueue(tx, now, {
          key: `feedback:${item.id}:nudge:${item.nudgesSent + 1}`,
          purpose: "feedback.nudge",
          personId: item.ownerId,
          programmeId: item.programmeId,
          message: say.ownerNudge({ number: item.number, text: item.text, due, status: item.status, itemId: item.id, next }),
          notBefore: at,
        });
      }
    } else if (plan.send === "facilitators") {
      for (const f of await membersWithRoles(tx, item.programmeId, ["facilitator"])) {
        const at = await deliveryTime(tx, f.personId, now);
        if (!at) continue;
        await enqueue(tx, now, {
          key: `feedback:${item.id}:unowned:${f.personId}`,
          purpose: "feedback.unowned",
          personId: f.personId,
          programmeId: item.programmeId,
          message: say.unownedNudge({ number: item.number, text: item.text, days: UNOWNED_NUDGE_AFTER_DAYS, itemId: item.id, next }),
          notBefore: at,
        });
      }
    }
    await audit(tx, now, null, "feedback.nudge", "FeedbackItem", item.id, { to: plan.send });
    return true;
  });
}

// ------------------------------------------------------------------ listing

async function listIdeas(ctx: CoreContext, actor: Actor, membership: Membership): Promise<Reply> {
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
  return { private: say.ideasList({ programmeName: programme.name, mine: mine.map((i) => ({ number: i.number, text: i.text, status: i.status })), open }) };
}

async function showIdea(ctx: CoreContext, actor: Actor, item: FeedbackItem, membership: Membership): Promise<Reply> {
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

// ------------------------------------------------------------------ chat actions and commands

const privately = (line: string): Reply => ({ private: say.done(line) });

const itemRef = {
  itemId: z.string().min(1).max(100).optional(),
  item: z.string().max(20).optional(),
  programmeId: z.string().min(1).max(100).optional(),
};

const suggestArgs = z.object({
  text: text(2000),
  programmeId: z.string().min(1).max(100).optional(),
  source: z.enum(["direct", "message"]).default("direct"),
  sourceRef: z.string().max(500).optional(),
});

const fromAnswerArgs = z.object({ responseId: z.string().min(1).max(100).optional(), debriefId: z.string().min(1).max(100).optional(), text: optionalText(2000) });

const assignArgs = z.object({
  ...itemRef,
  ownerExternalId: z.string().trim().min(1).max(200).default("me"),
  dueInDays: z.coerce.number().int().min(1).max(365).optional(),
  dueAt: isoDate.optional(),
});

const statusArgs = z.object({ ...itemRef, status: z.enum(FEEDBACK_STATUSES), reason: optionalText(1000) });
const updateArgs = z.object({ text: text(2000), itemNumbers: z.string().max(500).default(""), programmeId: z.string().min(1).max(100).optional() });
const reactArgs = z.object({ updateId: z.string().min(1).max(100), itemId: z.string().min(1).max(100), answered: z.enum(["yes", "partly", "no"]), comment: optionalText(1000) });
const coownArgs = z.object({
  title: text(300),
  ownerExternalIds: z.string().trim().min(1).max(2000),
  itemNumber: z.string().max(20).optional(),
  dueAt: isoDate.optional(),
  programmeId: z.string().min(1).max(100).optional(),
});
const coownStatusArgs = z.object({ actionId: z.string().min(1).max(100), status: z.enum(["done", "dropped"]) });

const LABELS = {
  text: "Your idea",
  item: "Idea number",
  ownerExternalId: "Who looks after it",
  dueInDays: "Days until an answer is due",
  dueAt: "Due date",
  status: "Status",
  reason: "Reason",
  answered: "Does this answer what you said?",
  comment: "Comment",
  title: "What you will do",
  ownerExternalIds: "Who owns it",
  itemNumber: "Idea number",
};

/** The item an action is about, by id (buttons) or number (typed), with the caller checked for a capability. */
async function resolveItem(
  ctx: CoreContext,
  actor: Actor,
  ref: { itemId?: string; item?: string; programmeId?: string },
  capability: Capability,
): Promise<{ item: FeedbackItem; membership: Membership }> {
  if (ref.itemId) {
    const item = await ctx.db.feedbackItem.findUnique({ where: { id: ref.itemId } });
    if (!item) throw new WesaidError("not_found", say.feedbackText.whichIdea);
    return { item, membership: authorise(actor, capability, item.programmeId) };
  }
  const number = parseItemNumber(ref.item);
  if (number === null) throw new WesaidError("invalid_input", say.feedbackText.whichIdea);
  const membership = authorise(actor, capability, ref.programmeId);
  const item = await ctx.db.feedbackItem.findUnique({ where: { programmeId_number: { programmeId: membership.programmeId, number } } });
  if (!item) throw new WesaidError("not_found", say.feedbackText.unknownIdea(number));
  return { item, membership };
}

/** Slack-style mentions "<@U123|Jo>", bare ids, or "me", to a person id in this platform. */
async function personForExternalId(ctx: CoreContext, actor: Actor, raw: string): Promise<string> {
  const mention = /^<@([^>|]+)(?:\|([^>]*))?>$/.exec(raw.trim());
  const externalId = mention ? mention[1]! : raw.trim().replace(/^@/, "");
  if (externalId.toLowerCase() === "me") return actor.person.id;
  const identity = await ctx.db.platformIdentity.findUnique({ where: { platform_externalId: { platform: actor.platform, externalId } } });
  if (!identity) throw new WesaidError("not_found", say.feedbackText.ownerUnknown(mention?.[2] ? `@${mention[2]}` : "That person"));
  return identity.personId;
}

function dueDateFrom(now: Date, input: { dueInDays?: number; dueAt?: Date }): Date {
  if (input.dueAt) return input.dueAt;
  if (input.dueInDays) return new Date(now.getTime() + input.dueInDays * DAY);
  throw new WesaidError("invalid_input", say.feedbackText.dueNeeded);
}

export const feedbackFeature: Feature = {
  name: "feedback",
  actions: [
    {
      action: "feedback.suggest",
      async run(ctx, actor, args) {
        const input = parseInput(suggestArgs, args, LABELS);
        const membership = authorise(actor, "feedback.suggest", input.programmeId);
        const item = await suggest(ctx, { personId: actor.person.id, programmeId: membership.programmeId, role: membership.role, text: input.text, source: input.source, sourceRef: input.sourceRef });
        return { private: say.suggestionThanks({ number: item.number }) };
      },
    },
    {
      action: "feedback.from_answer",
      async run(ctx, actor, args) {
        const input = parseInput(fromAnswerArgs, args, LABELS);
        const item = await createItemFromAnswer(ctx, actor.person.id, input);
        return privately(say.feedbackText.ideaFromAnswer(item.number, Boolean(item.raisedById)));
      },
    },
    {
      action: "feedback.assign",
      async run(ctx, actor, args) {
        const input = parseInput(assignArgs, args, LABELS);
        const { item } = await resolveItem(ctx, actor, input, "feedback.manage");
        const dueAt = dueDateFrom(ctx.clock.now(), input);
        const ownerId = await personForExternalId(ctx, actor, input.ownerExternalId);
        await assignOwner(ctx, actor.person.id, { itemId: item.id, ownerId, dueAt });
        const who = ownerId === actor.person.id ? "You are" : `${(await ctx.db.person.findUniqueOrThrow({ where: { id: ownerId } })).displayName} is`;
        return privately(say.feedbackText.assigned(item.number, who, formatDate(dueAt, await timeZoneOf(ctx.db, actor.person.id))));
      },
    },
    {
      action: "feedback.status",
      async run(ctx, actor, args) {
        const input = parseInput(statusArgs, args, LABELS);
        const { item } = await resolveItem(ctx, actor, input, "feedback.manage");
        const result = await changeStatus(ctx, actor.person.id, { itemId: item.id, to: input.status, reason: input.reason });
        return privately(say.feedbackText.statusChanged(item.number, input.status, result.raiserTold));
      },
    },
    {
      action: "feedback.show",
      async run(ctx, actor, args) {
        const input = parseInput(z.object(itemRef), args, LABELS);
        const { item, membership } = await resolveItem(ctx, actor, input, "feedback.suggest");
        return showIdea(ctx, actor, item, membership);
      },
    },
    {
      action: "feedback.list",
      async run(ctx, actor, args) {
        return listIdeas(ctx, actor, membershipFor(actor, args.programmeId));
      },
    },
    {
      action: "feedback.post_update",
      async run(ctx, actor, args) {
        const input = parseInput(updateArgs, args, { ...LABELS, text: "What you did", itemNumbers: "Idea numbers" });
        const membership = authorise(actor, "feedback.update", input.programmeId);
        const itemNumbers = parseItemNumbers(input.itemNumbers);
        if (!itemNumbers) throw new WesaidError("invalid_input", say.feedbackText.whichIdea);
        const result = await postUpdate(ctx, actor.person.id, { programmeId: membership.programmeId, authorRole: membership.role, text: input.text, itemNumbers });
        return privately(say.feedbackText.updatePosted(result.numbers, result.told));
      },
    },
    {
      action: "feedback.react",
      async run(ctx, actor, args) {
        const input = parseInput(reactArgs, args, LABELS);
        await react(ctx, actor.person.id, input);
        return { private: say.reactionSaved({ answered: input.answered }) };
      },
    },
    {
      action: "feedback.coown",
      async run(ctx, actor, args) {
        const input = parseInput(coownArgs, args, LABELS);
        const membership = authorise(actor, "action.create", input.programmeId);
        const mentions = input.ownerExternalIds.split(/[,\n]+/).map((s) => s.trim()).filter(Boolean);
        const ownerIds: string[] = [];
        for (const mention of mentions) ownerIds.push(await personForExternalId(ctx, actor, mention));
        let itemNumber: number | undefined;
        if (input.itemNumber) {
          const parsed = parseItemNumber(input.itemNumber);
          if (parsed === null) throw new WesaidError("invalid_input", say.feedbackText.whichIdea);
          itemNumber = parsed;
        }
        const result = await createCoOwnedAction(ctx, actor.person.id, { programmeId: membership.programmeId, title: input.title, ownerIds, itemNumber, dueAt: input.dueAt });
        return privately(say.feedbackText.actionCreated(input.title, result.owners));
      },
    },
    {
      action: "feedback.coown.status",
      async run(ctx, actor, args) {
        const input = parseInput(coownStatusArgs, args, LABELS);
        const result = await setCoOwnedStatus(ctx, actor.person.id, input);
        return privately(input.status === "done" ? say.feedbackText.actionDone(result.title, result.raiserTold) : say.feedbackText.actionDropped(result.title));
      },
    },
  ],
  commands: [
    {
      name: "suggest",
      usage: "suggest <your idea>",
      summary: "Share an idea. We will tell you what happens to it.",
      toAction: (rest) => ({ action: "feedback.suggest", args: { text: rest } }),
    },
    {
      name: "ideas",
      aliases: ["suggestions"],
      usage: "ideas",
      summary: "See your ideas and what is happening to them.",
      toAction: () => ({ action: "feedback.list", args: {} }),
    },
    {
      name: "idea",
      usage: "idea #12",
      summary: "See one idea and what is happening to it.",
      toAction: (rest) => ({ action: "feedback.show", args: { item: rest } }),
    },
    {
      name: "assign",
      usage: "assign #12 @name 14",
      summary: "Say who looks after an idea (you can write me), and in how many days an answer is due.",
      capability: "feedback.manage",
      toAction(rest, mentions) {
        const words = textWithoutMentions(rest, mentions);
        const owner = mentions[0]?.externalId;
        const match = owner ? /^(#?\d+)(?:\s+(?:in\s+)?(\d+)(?:\s*days?)?)?\s*$/i.exec(words) : /^(#?\d+)\s+(me)(?:\s+(?:in\s+)?(\d+)(?:\s*days?)?)?\s*$/i.exec(words);
        if (!match) throw new WesaidError("invalid_input", say.feedbackText.whichIdea);
        const days = owner ? match[2] : match[3];
        return { action: "feedback.assign", args: { item: match[1]!, ownerExternalId: owner ?? "me", ...(days ? { dueInDays: days } : {}) } };
      },
    },
    {
      name: "update",
      usage: "update #3 #7 <what you did>",
      summary: "Tell everyone what was done about ideas. The people who raised them are asked if it answers what they said.",
      capability: "feedback.update",
      toAction(rest) {
        const match = /^((?:#\d+[\s,]*)*)([\s\S]*)$/.exec(rest.trim())!;
        return { action: "feedback.post_update", args: { itemNumbers: match[1]!.trim(), text: match[2]!.trim() } };
      },
    },
    {
      name: "together",
      usage: "together <what you will do> with @name @name",
      summary: "Set up an action owned jointly by you and the people you name. Add #12 first to link it to an idea.",
      capability: "action.create",
      toAction(rest, mentions) {
        if (mentions.length === 0) throw new WesaidError("invalid_input", say.feedbackText.ownersNeeded);
        // The title is what comes before the first person named.
        const first = mentions[0]!.shownAs ? rest.indexOf(mentions[0]!.shownAs) : -1;
        let title = (first >= 0 ? rest.slice(0, first) : textWithoutMentions(rest, mentions)).trim().replace(/\s+(with|and)$/i, "").trim();
        const linked = /^(#\d+)\s+/.exec(title);
        if (linked) title = title.slice(linked[0].length).trim();
        return {
          action: "feedback.coown",
          args: { title, ownerExternalIds: ["me", ...mentions.map((m) => (m.displayName ? `<@${m.externalId}|${m.displayName}>` : m.externalId))].join(","), ...(linked ? { itemNumber: linked[1]! } : {}) },
        };
      },
    },
  ],
  sweeps: [{ name: "feedback.nudges", run: sweepNudges }],
};
