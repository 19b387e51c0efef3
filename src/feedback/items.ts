import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { FeedbackItem } from "../generated/prisma/client.ts";
import { membersWithRoles } from "../access.ts";
import { rolesWith, type Role } from "../roles.ts";
import { enqueue } from "../outbox.ts";
import { audit } from "../audit.ts";
import { recordContribution } from "../people/index.ts";
import { firstNudgeCheck, nextStatuses } from "./rules.ts";
import { tell } from "./notices.ts";
import * as say from "./catalogue.ts";

/** Raising ideas: a person's own suggestion, or an answer a facilitator turns into one. */

type ItemSource = "direct" | "message" | "prompt_answer" | "debrief";

export const MANAGER_ROLES = rolesWith("feedback.manage");

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

/** A burst of ideas queues for the programme's counter row: wait for it rather than give up after Prisma's 2 s. */
const BURST = { maxWait: 30_000, timeout: 30_000 };

/**
 * Stores a new item with the next number in its programme (#1, #2 ...) and
 * tells the people who manage ideas. The number comes from the programme's
 * counter, incremented in the same transaction: ideas sent at the same moment
 * wait for each other's row lock, so none is lost and no number is skipped.
 */
export async function createItem(ctx: CoreContext, input: NewItem): Promise<FeedbackItem> {
  return ctx.db.$transaction((tx) => insertItem(tx, ctx, input), BURST);
}

async function insertItem(tx: DbTx, ctx: CoreContext, input: NewItem): Promise<FeedbackItem> {
  const now = ctx.clock.now();
  const { lastItemNumber: number } = await tx.programme.update({
    where: { id: input.programmeId },
    data: { lastItemNumber: { increment: 1 } },
    select: { lastItemNumber: true },
  });
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
  await announceNewItem(tx, ctx, now, item);
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
  await tell(tx, ctx, now, item.programmeId, [raisedById], () => ({
    key: `feedback:${item.id}:raised`,
    purpose: "feedback.from_answer",
    message: say.answerBecameIdea({ number: item.number, text: item.text }),
  }));
}

/**
 * Posts a new item to the programme's channels (role only, with status and a
 * follow button: no controls for managers, who act from their private view),
 * or privately to its managers, with the controls, when it has no channel.
 */
async function announceNewItem(tx: DbTx, ctx: CoreContext, now: Date, item: FeedbackItem): Promise<void> {
  const fromAnswer = item.source === "prompt_answer" || item.source === "debrief";
  const post = say.newIdeaPost({ number: item.number, text: item.text, role: item.raisedByRole, itemId: item.id, fromAnswer, status: item.status });
  const notice = say.newIdeaNotice({
    number: item.number,
    text: item.text,
    role: item.raisedByRole,
    itemId: item.id,
    fromAnswer,
    next: nextStatuses(item.status),
  });
  const channels = await tx.programmeChannel.findMany({ where: { programmeId: item.programmeId } });
  if (channels.length) {
    await enqueue(
      tx,
      now,
      ...channels.map((ch) => ({ key: `feedback:${item.id}:new:${ch.id}`, purpose: "feedback.new", channelId: ch.id, programmeId: item.programmeId, message: post })),
    );
    return;
  }
  const managers = await membersWithRoles(tx, item.programmeId, MANAGER_ROLES);
  await tell(tx, ctx, now, item.programmeId, managers.map((m) => m.personId), (personId) => ({
    key: `feedback:${item.id}:new:person:${personId}`,
    purpose: "feedback.new",
    message: notice,
  }));
}

/** A person's own suggestion. The caller has checked they may make one and have agreed to take part. */
export async function suggest(
  ctx: CoreContext,
  p: { personId: string; programmeId: string; role: Role; text: string; source?: "direct" | "message"; sourceRef?: string },
): Promise<FeedbackItem> {
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

export type AnswerRef = { responseId?: string; debriefId?: string };

/** A prompt answer or a panel debrief, as an idea can be made from it. */
export type Answer = { programmeId: string; personId: string | null; role: Role; words: string; source: "prompt_answer" | "debrief"; sourceRef: string };

/** The words, author and programme of a prompt answer or a panel debrief. */
export async function loadAnswer(db: DbTx, ref: AnswerRef): Promise<Answer> {
  if (ref.responseId) {
    const r = await db.promptResponse.findUnique({ where: { id: ref.responseId }, include: { occurrence: { include: { series: true } } } });
    if (!r) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
    // An idea shows who raised it by role; this answer keeps none, as too few people with its role were asked.
    if (!r.role) throw new WesaidError("invalid_input", say.feedbackText.answerWithoutRole);
    return { programmeId: r.occurrence.series.programmeId, personId: r.personId, role: r.role, words: r.text ?? "", source: "prompt_answer", sourceRef: r.id };
  }
  if (ref.debriefId) {
    const d = await db.debriefResponse.findUnique({ where: { id: ref.debriefId }, include: { panel: true } });
    if (!d) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
    const words = [d.couldImprove, d.changeNextTime].map((w) => w.trim()).filter(Boolean).join(" ");
    return { programmeId: d.panel.programmeId, personId: d.personId, role: d.role, words, source: "debrief", sourceRef: d.id };
  }
  throw new WesaidError("invalid_input", say.feedbackText.whichAnswer);
}

/**
 * Turns a prompt answer or a debrief answer into an item, in `text` when
 * given, else in the answer's own words. A named answer keeps its author as
 * the raiser (who is told); an anonymous one keeps the role only.
 */
export async function createItemFromAnswer(ctx: CoreContext, byId: string, answer: Answer, text?: string): Promise<FeedbackItem> {
  const words = text?.trim() || answer.words.trim();
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
