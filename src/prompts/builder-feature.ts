import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { Actor, CommandDef, Reply } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { rolesWith } from "../roles.ts";
import { formatWhen } from "../time.ts";
import { findTemplate } from "./templates.ts";
import { parseAnswers } from "./answers.ts";
import { addQuestion, findDraft, MAX_QUESTIONS, missingFrom, previewQuestions, publishDraft, scheduleDraft, scheduleWordsOf, setDetails, startDraft, startedError, type Draft } from "./drafts.ts";
import { formValuesOf, moveQuestion, questionIn, removeQuestion, replaceQuestion } from "./draft-edits.ts";
import { builderText, changeQuestionMessage, draftMessage, previewMessage, tryOutMessage, type DraftView } from "./builder-catalogue.ts";
import { promptMessage, showAnswer, done } from "./catalogue.ts";

/** Writing a set of questions in chat: the actions behind the draft's forms and buttons. All are for facilitators (prompt.manage). */

const id = z.string().min(1).max(100);
const onDraft = z.object({ draftId: id });
/** A question in the draft, by its key (a button from an older view may name one that has gone: refused politely). */
const onQuestion = onDraft.extend({ question: z.string().min(1).max(40) });

/**
 * Every draft action: a facilitator of the draft's programme (prompt.manage), the one rule for drafts, whoever
 * started it. The programme is known even for a draft that has since started, so the registry checks who is
 * asking before the refusal says what became of it.
 */
function draftAction<S extends z.ZodType<{ draftId: string }>>(spec: {
  action: string;
  args: S;
  labels?: Record<string, string>;
  run: (ctx: CoreContext, call: { actor: Actor; args: z.output<S>; target: Draft }) => Promise<Reply>;
}) {
  return defineAction({
    action: spec.action,
    access: "prompt.manage",
    args: spec.args,
    labels: spec.labels,
    load: async (ctx, args) => {
      const found = await findDraft(ctx, args.draftId);
      return { programmeId: found.programmeId, target: found };
    },
    async run(ctx, { actor, args, target }) {
      if ("startedAs" in target) throw startedError(target.startedAs);
      return spec.run(ctx, { actor, args, target: target.draft });
    },
  });
}

export function draftView(draft: Draft): DraftView {
  return {
    draftId: draft.id,
    title: draft.title,
    intro: draft.intro,
    fromTemplate: draft.templateKey ? (findTemplate(draft.templateKey)?.title ?? null) : null,
    questions: draft.questions.map((q) => ({
      key: q.key,
      kind: q.kind,
      text: q.text,
      required: q.required,
      detail:
        q.kind === "scale"
          ? [q.minLabel && `0 is ${q.minLabel}`, q.maxLabel && `10 is ${q.maxLabel}`].filter(Boolean).join(", ") || null
          : q.kind === "single" || q.kind === "multi"
            ? q.options.join("; ")
            : null,
    })),
    schedule: scheduleWordsOf(draft),
    audience: draft.audienceRoles,
    anonymous: draft.anonymous,
    missing: missingFrom(draft),
    roles: rolesWith("prompt.answer"),
  };
}

const showDraft = (draft: Draft): Reply => ({ replaceSource: draftMessage(draftView(draft)) });

/** The participant's message for a draft, built by the same catalogue function the real questions use. */
async function participantView(ctx: CoreContext, draft: Draft) {
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: draft.programmeId }, select: { name: true } });
  return promptMessage({
    deliveryId: "preview",
    seriesId: "preview",
    title: draft.title,
    intro: draft.intro,
    programmeName: programme.name,
    anonymous: draft.anonymous,
    stage: null,
    fewAsked: false,
    closesAt: "the date the questions close",
    questions: previewQuestions(draft),
  });
}

export const builderActions = [
  defineAction({
    action: "prompts.draft.new",
    access: "prompt.manage",
    args: z.object({ programmeId: id.optional(), templateKey: z.string().min(1).max(60).optional() }),
    async run(ctx, { actor, args, membership }) {
      const draft = await startDraft(ctx, actor.person.id, membership.programmeId, args.templateKey);
      return { private: draftMessage(draftView(draft)) };
    },
  }),
  draftAction({
    action: "prompts.draft.view",
    args: onDraft,
    run: async (_ctx, { target }) => showDraft(target),
  }),
  draftAction({
    action: "prompts.draft.add",
    args: onDraft.catchall(z.string().max(4000)),
    run: async (ctx, { args, target }) => showDraft(await addQuestion(ctx, target, args)),
  }),
  draftAction({
    // In place of the draft, as the preview is: the question's own form, filled in with what it says now.
    action: "prompts.draft.change",
    args: onQuestion,
    async run(_ctx, { args, target }) {
      const { question, number } = questionIn(target, args.question);
      return { replaceSource: changeQuestionMessage(target.id, question.key, number, formValuesOf(question)) };
    },
  }),
  draftAction({
    action: "prompts.draft.replace",
    args: onQuestion.catchall(z.string().max(4000)),
    run: async (ctx, { args, target }) => showDraft(await replaceQuestion(ctx, target, args.question, args)),
  }),
  draftAction({
    action: "prompts.draft.move",
    args: onQuestion.extend({ to: z.coerce.number().int().min(1).max(MAX_QUESTIONS) }),
    labels: { to: "The place to move it to" },
    run: async (ctx, { args, target }) => showDraft(await moveQuestion(ctx, target, args.question, args.to)),
  }),
  draftAction({
    action: "prompts.draft.remove",
    args: onQuestion,
    run: async (ctx, { args, target }) => showDraft(await removeQuestion(ctx, target, args.question)),
  }),
  draftAction({
    action: "prompts.draft.schedule",
    args: onDraft.extend({ when: z.string().max(200).default("") }),
    labels: { when: "When to send" },
    run: async (ctx, { args, target }) => showDraft(await scheduleDraft(ctx, target, args.when)),
  }),
  draftAction({
    action: "prompts.draft.details",
    args: onDraft.catchall(z.string().max(2000)),
    run: async (ctx, { args, target }) => showDraft(await setDetails(ctx, target, args)),
  }),
  draftAction({
    action: "prompts.draft.preview",
    args: onDraft,
    // In place of the draft, as every other step is: "Back to the draft" turns it back, so the chat keeps one card.
    run: async (ctx, { target }) => ({ replaceSource: previewMessage(target.id, await participantView(ctx, target)) }),
  }),
  draftAction({
    // The preview's form: the answers are checked as real ones would be, and nothing is stored.
    action: "prompts.draft.try",
    args: onDraft.catchall(z.string().max(4000)),
    async run(_ctx, { args, target }) {
      const questions = previewQuestions(target);
      const answers = parseAnswers(questions, args);
      const shown = questions.filter((q) => answers.has(q.id)).map((q) => ({ question: q.text, answer: showAnswer(answers.get(q.id)!) }));
      return { private: tryOutMessage(target.id, shown) };
    },
  }),
  draftAction({
    action: "prompts.draft.publish",
    args: onDraft,
    async run(ctx, { actor, target }) {
      const series = await publishDraft(ctx, actor.person.id, target.id);
      const next = series.nextOccurrenceAt ? formatWhen(series.nextOccurrenceAt, series.timeZone) : "";
      return { replaceSource: done(builderText.started(series.title, next)) };
    },
  }),
  draftAction({
    action: "prompts.draft.discard",
    args: onDraft,
    async run(ctx, { target }) {
      await ctx.db.promptDraft.deleteMany({ where: { id: target.id } });
      return { replaceSource: done(builderText.discarded(target.title)) };
    },
  }),
];

export const builderCommands: CommandDef[] = [
  {
    name: "new-questions",
    aliases: ["new"],
    usage: "new questions",
    summary: "Write your own set of questions, one at a time, and choose when and who.",
    capability: "prompt.manage",
    toAction: () => ({ action: "prompts.draft.new", args: {} }),
  },
];

