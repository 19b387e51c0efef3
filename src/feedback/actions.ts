import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Actor, Reply } from "../interactions.ts";
import type { FeedbackItem } from "../generated/prisma/client.ts";
import { defineAction } from "../registry.ts";
import { membershipFor } from "../access.ts";
import { peopleWhoAgreed, timeZoneOf } from "../people/index.ts";
import { DAY } from "../clock.ts";
import { formatDate } from "../time.ts";
import { isoDate, optionalText, text } from "../validation.ts";
import { FEEDBACK_STATUSES, parseItemNumber, parseItemNumbers } from "./rules.ts";
import { createItemFromAnswer, loadAnswer, suggest } from "./items.ts";
import { assignOwner, changeStatus } from "./status.ts";
import { postUpdate, react } from "./updates.ts";
import { follow, unfollow } from "./follows.ts";
import { createCoOwnedAction, isOwnerOf, loadCoOwnedAction, setCoOwnedStatus } from "./coowned.ts";
import { listIdeas, showIdea } from "./views.ts";
import { ME, personFor } from "./owners.ts";
import * as say from "./catalogue.ts";

/** The loop's buttons, forms and commands as declared actions: checked by the registry before they run. */

const privately = (line: string): Reply => ({ private: say.done(line) });

const programmeId = z.string().min(1).max(100).optional();

/** An idea by id (buttons) or by number as typed ("#12"), in the programme of the channel or the person. */
const itemRef = { itemId: z.string().min(1).max(100).optional(), item: z.string().max(20).optional(), programmeId };

/** "#12" typed into a command, as a number. */
const ideaNumber = z.string().max(20).transform((raw, issue) => {
  const n = parseItemNumber(raw);
  if (n === null) issue.addIssue({ code: "custom", message: say.feedbackText.whichIdea });
  return n ?? 0;
});

const ideaNumbers = z.string().max(500).default("").transform((raw, issue) => {
  const numbers = parseItemNumbers(raw);
  if (!numbers) issue.addIssue({ code: "custom", message: say.feedbackText.whichIdea });
  return numbers ?? [];
});

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
  itemNumber: "Idea number",
};

/** Loads the idea an action is about; its programme is the one the caller is checked in. */
async function loadItem(ctx: CoreContext, ref: { itemId?: string; item?: string; programmeId?: string }, actor: Actor): Promise<{ programmeId: string; target: FeedbackItem }> {
  if (ref.itemId) {
    const item = await ctx.db.feedbackItem.findUnique({ where: { id: ref.itemId } });
    if (!item) throw new WesaidError("not_found", say.feedbackText.whichIdea);
    return { programmeId: item.programmeId, target: item };
  }
  const number = parseItemNumber(ref.item);
  if (number === null) throw new WesaidError("invalid_input", say.feedbackText.whichIdea);
  // A typed number means an idea in the programme the person is acting in.
  const inProgramme = membershipFor(actor, ref.programmeId).programmeId;
  const item = await ctx.db.feedbackItem.findUnique({ where: { programmeId_number: { programmeId: inProgramme, number } } });
  if (!item) throw new WesaidError("not_found", say.feedbackText.unknownIdea(number));
  return { programmeId: item.programmeId, target: item };
}

function dueDateFrom(now: Date, input: { dueInDays?: number; dueAt?: Date }): Date {
  if (input.dueAt) return input.dueAt;
  if (input.dueInDays) return new Date(now.getTime() + input.dueInDays * DAY);
  throw new WesaidError("invalid_input", say.feedbackText.dueNeeded);
}

export const suggestAction = defineAction({
  action: "feedback.suggest",
  access: "feedback.suggest",
  storesWhatTheySay: true,
  args: z.object({ text: text(2000), programmeId, source: z.enum(["direct", "message"]).default("direct"), sourceRef: z.string().max(500).optional() }),
  labels: LABELS,
  async run(ctx, { actor, args, membership }) {
    const item = await suggest(ctx, { personId: actor.person.id, programmeId: membership.programmeId, role: membership.role, text: args.text, source: args.source, sourceRef: args.sourceRef });
    return { private: say.suggestionThanks({ number: item.number }) };
  },
});

export const fromAnswerAction = defineAction({
  action: "feedback.from_answer",
  access: "feedback.from_answer",
  args: z.object({ responseId: z.string().min(1).max(100).optional(), debriefId: z.string().min(1).max(100).optional(), text: optionalText(2000) }),
  labels: LABELS,
  async load(ctx, args) {
    const answer = await loadAnswer(ctx.db, args);
    return { programmeId: answer.programmeId, target: answer };
  },
  async run(ctx, { actor, args, target }) {
    // The idea is raised in the writer's name: only while they still say yes to taking part.
    if (target.personId && !(await peopleWhoAgreed(ctx.db, target.programmeId, [target.personId])).has(target.personId)) {
      throw new WesaidError("no_consent", say.feedbackText.writerNotTakingPart);
    }
    const item = await createItemFromAnswer(ctx, actor.person.id, target, args.text);
    return privately(say.feedbackText.ideaFromAnswer(item.number, Boolean(item.raisedById)));
  },
});

export const assignAction = defineAction({
  action: "feedback.assign",
  access: "feedback.manage",
  args: z.object({
    ...itemRef,
    /** A form may send a typed owner id ("me" from "I will look after this"); commands send people. */
    ownerExternalId: z.string().trim().min(1).max(200).optional(),
    dueInDays: z.coerce.number().int().min(1).max(365).optional(),
    dueAt: isoDate.optional(),
  }),
  labels: LABELS,
  load: (ctx, args, actor) => loadItem(ctx, args, actor),
  async run(ctx, { actor, args, people, target }) {
    const dueAt = dueDateFrom(ctx.clock.now(), args);
    const ownerId = await personFor(ctx, actor, people.owner?.[0] ?? (args.ownerExternalId ? { externalId: args.ownerExternalId } : ME));
    await assignOwner(ctx, actor.person.id, { itemId: target.id, ownerId, dueAt });
    const who = ownerId === actor.person.id ? "You are" : `${(await ctx.db.person.findUniqueOrThrow({ where: { id: ownerId } })).displayName} is`;
    return privately(say.feedbackText.assigned(target.number, who, formatDate(dueAt, await timeZoneOf(ctx.db, actor.person.id))));
  },
});

export const statusAction = defineAction({
  action: "feedback.status",
  access: "feedback.manage",
  args: z.object({ ...itemRef, status: z.enum(FEEDBACK_STATUSES), reason: optionalText(1000) }),
  labels: LABELS,
  load: (ctx, args, actor) => loadItem(ctx, args, actor),
  async run(ctx, { actor, args, target }) {
    const result = await changeStatus(ctx, actor.person.id, { itemId: target.id, to: args.status, reason: args.reason });
    return privately(say.feedbackText.statusChanged(target.number, args.status, result.raiserTold));
  },
});

export const showAction = defineAction({
  action: "feedback.show",
  access: "feedback.suggest",
  args: z.object(itemRef),
  labels: LABELS,
  load: (ctx, args, actor) => loadItem(ctx, args, actor),
  run: (ctx, { actor, target, membership }) => showIdea(ctx, actor, target, membership),
});

export const listAction = defineAction({
  action: "feedback.list",
  access: "member",
  args: z.object({ programmeId }),
  run: (ctx, { actor, membership }) => listIdeas(ctx, actor, membership),
});

export const postUpdateAction = defineAction({
  action: "feedback.post_update",
  access: "feedback.update",
  args: z.object({
    text: text(2000),
    itemNumbers: ideaNumbers,
    /** Ideas the update answers that are still being worked on; the others are done. */
    stillWorking: ideaNumbers,
    /** From the form on one idea (itemId): whether that idea is done or still being worked on. */
    itemId: z.string().min(1).max(100).optional(),
    outcome: z.enum(["done", "working"]).default("done"),
    programmeId,
  }),
  labels: { ...LABELS, text: "What you did", itemNumbers: "Idea numbers", stillWorking: "Ideas you are still working on", outcome: "Is the idea done?" },
  async load(ctx, args) {
    if (!args.itemId) return { programmeId: args.programmeId, target: null };
    const item = await ctx.db.feedbackItem.findUnique({ where: { id: args.itemId } });
    if (!item) throw new WesaidError("not_found", say.feedbackText.whichIdea);
    return { programmeId: item.programmeId, target: item };
  },
  async run(ctx, { actor, args, membership, target }) {
    const itemNumbers = target ? [target.number] : args.itemNumbers;
    const stillWorking = target ? (args.outcome === "working" ? [target.number] : []) : args.stillWorking;
    const result = await postUpdate(ctx, actor.person.id, { programmeId: membership.programmeId, authorRole: membership.role, text: args.text, itemNumbers, stillWorking });
    return privately(say.feedbackText.updatePosted(result.numbers, result.told, result.working));
  },
});

export const reactAction = defineAction({
  action: "feedback.react",
  access: "member",
  storesWhatTheySay: true,
  args: z.object({ updateId: z.string().min(1).max(100), itemId: z.string().min(1).max(100), answered: z.enum(["yes", "partly", "no"]), comment: optionalText(1000) }),
  labels: LABELS,
  async load(ctx, args) {
    const link = await ctx.db.feedbackUpdateItem.findUnique({ where: { updateId_itemId: { updateId: args.updateId, itemId: args.itemId } }, include: { item: true } });
    if (!link) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
    return { programmeId: link.item.programmeId, target: link.item };
  },
  only: { who: (item, actor) => item.raisedById === actor.person.id, otherwise: say.feedbackText.notYourIdea },
  async run(ctx, { actor, args, target }) {
    const result = await react(ctx, actor.person.id, args);
    // The question card becomes the answer, with a way to change it: asked once, answered once.
    const thanks = say.feedbackText.reactionSaved(args.answered);
    return { replaceSource: say.reactionAnswered({ number: target.number, answered: args.answered, comment: result.comment, updateId: args.updateId, itemId: args.itemId, thanks }) };
  },
});

/** "Change my answer": the question again, in place of the answer. */
export const reactAgainAction = defineAction({
  action: "feedback.react.again",
  access: "member",
  args: z.object({ updateId: z.string().min(1).max(100), itemId: z.string().min(1).max(100) }),
  async load(ctx, args) {
    const link = await ctx.db.feedbackUpdateItem.findUnique({ where: { updateId_itemId: { updateId: args.updateId, itemId: args.itemId } }, include: { item: true, update: true } });
    if (!link) throw new WesaidError("not_found", say.feedbackText.answerNotFound);
    return { programmeId: link.item.programmeId, target: link };
  },
  only: { who: (link, actor) => link.item.raisedById === actor.person.id, otherwise: say.feedbackText.notYourIdea },
  run: async (ctx, { target }) => ({
    replaceSource: say.updateForRaiser({ number: target.item.number, itemText: target.item.text, updateText: target.update.text, updateId: target.updateId, itemId: target.itemId, status: target.item.status }),
  }),
});

export const followAction = defineAction({
  action: "feedback.follow",
  access: "feedback.suggest",
  // Following keeps who cares about which idea: only with a yes to taking part, as for an answer to an update.
  storesWhatTheySay: true,
  args: z.object({ itemId: z.string().min(1).max(100) }),
  labels: LABELS,
  load: (ctx, args, actor) => loadItem(ctx, args, actor),
  async run(ctx, { actor, membership, target }) {
    const outcome = await follow(ctx, { personId: actor.person.id, role: membership.role, item: target });
    const line = outcome === "own" ? say.followText.ownIdea(target.number) : outcome === "already" ? say.followText.alreadyFollowing(target.number) : say.followText.followed(target.number);
    return { private: outcome === "own" ? say.done(line) : say.followSaved({ number: target.number, itemId: target.id, line }) };
  },
});

export const unfollowAction = defineAction({
  action: "feedback.unfollow",
  access: "member",
  args: z.object({ itemId: z.string().min(1).max(100) }),
  labels: LABELS,
  load: (ctx, args, actor) => loadItem(ctx, args, actor),
  async run(ctx, { actor, target }) {
    const removed = await unfollow(ctx, { personId: actor.person.id, item: target });
    return privately(removed ? say.followText.unfollowed(target.number) : say.followText.notFollowing(target.number));
  },
});

export const coownAction = defineAction({
  action: "feedback.coown",
  access: "action.create",
  storesWhatTheySay: true,
  args: z.object({ title: text(300), itemNumber: ideaNumber.optional(), dueAt: isoDate.optional(), programmeId }),
  labels: LABELS,
  async run(ctx, { actor, args, people, membership }) {
    const named = people.owners ?? [];
    if (named.length === 0) throw new WesaidError("invalid_input", say.feedbackText.ownersNeeded);
    const ownerIds: string[] = [];
    for (const ref of named) ownerIds.push(await personFor(ctx, actor, ref));
    // Being named a co-owner stores something about that person too: only people who said yes to taking part.
    const agreed = await peopleWhoAgreed(ctx.db, membership.programmeId, ownerIds);
    const notAgreed = ownerIds.filter((id) => !agreed.has(id));
    if (notAgreed.length) {
      const names = await ctx.db.person.findMany({ where: { id: { in: notAgreed } }, select: { displayName: true } });
      throw new WesaidError("no_consent", say.feedbackText.ownersNotTakingPart(names.map((n) => n.displayName)));
    }
    const result = await createCoOwnedAction(ctx, actor.person.id, { programmeId: membership.programmeId, title: args.title, ownerIds, itemNumber: args.itemNumber, dueAt: args.dueAt });
    return privately(say.feedbackText.actionCreated(args.title, result.owners));
  },
});

export const coownStatusAction = defineAction({
  action: "feedback.coown.status",
  access: "member",
  args: z.object({ actionId: z.string().min(1).max(100), status: z.enum(["done", "dropped"]) }),
  async load(ctx, args) {
    const action = await loadCoOwnedAction(ctx.db, args.actionId);
    return { programmeId: action.programmeId, target: action };
  },
  only: { who: (action, actor) => isOwnerOf(action, actor.person.id), otherwise: say.feedbackText.actionNotOwner },
  async run(ctx, { actor, args, target }) {
    const result = await setCoOwnedStatus(ctx, actor.person.id, target, args.status);
    return privately(args.status === "done" ? say.feedbackText.actionDone(result.title, result.raiserTold) : say.feedbackText.actionDropped(result.title));
  },
});

export const feedbackActions = [suggestAction, fromAnswerAction, assignAction, statusAction, showAction, listAction, postUpdateAction, reactAction, reactAgainAction, followAction, unfollowAction, coownAction, coownStatusAction];
