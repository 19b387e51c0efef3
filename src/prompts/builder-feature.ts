import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { CommandDef, Reply } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { rolesWith } from "../roles.ts";
import { formatWhen } from "../time.ts";
import { findTemplate } from "./templates.ts";
import { parseAnswers } from "./answers.ts";
import { addQuestion, loadDraft, missingFrom, previewQuestions, publishDraft, removeQuestion, scheduleDraft, scheduleWordsOf, setDetails, startDraft, type Draft } from "./drafts.ts";
import { builderText, draftMessage, previewMessage, tryOutMessage, type DraftView } from "./builder-catalogue.ts";
import { promptMessage, showAnswer, done } from "./catalogue.ts";

/** Writing a set of questions in chat: the actions behind the draft's forms and buttons. All are for facilitators (prompt.manage). */

const id = z.string().min(1).max(100);
const onDraft = z.object({ draftId: id });

async function draftById(ctx: CoreContext, args: { draftId: string }): Promise<{ programmeId: string; target: Draft }> {
  const draft = await loadDraft(ctx, args.draftId);
  return { programmeId: draft.programmeId, target: draft };
}

export function draftView(draft: Draft): DraftView {
  return {
    draftId: draft.id,
    title: draft.title,
    intro: draft.intro,
    fromTemplate: draft.templateKey ? (findTemplate(draft.templateKey)?.title ?? null) : null,
    questions: draft.questions.map((q) => ({
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
  defineAction({
    action: "prompts.draft.view",
    access: "prompt.manage",
    args: onDraft,
    load: draftById,
    run: async (_ctx, { target }) => showDraft(target),
  }),
  defineAction({
    action: "prompts.draft.add",
    access: "prompt.manage",
    args: onDraft.catchall(z.string().max(4000)),
    load: draftById,
    run: async (ctx, { args, target }) => showDraft(await addQuestion(ctx, target, args)),
  }),
  defineAction({
    action: "prompts.draft.remove",
    access: "prompt.manage",
    args: onDraft.extend({ position: z.coerce.number().int().min(0).max(100) }),
    load: draftById,
    run: async (ctx, { args, target }) => showDraft(await removeQuestion(ctx, target, args.position)),
  }),
  defineAction({
    action: "prompts.draft.schedule",
    access: "prompt.manage",
    args: onDraft.extend({ when: z.string().max(200).default("") }),
    labels: { when: "When to send" },
    load: draftById,
    run: async (ctx, { args, target }) => showDraft(await scheduleDraft(ctx, target, args.when)),
  }),
  defineAction({
    action: "prompts.draft.details",
    access: "prompt.manage",
    args: onDraft.catchall(z.string().max(2000)),
    load: draftById,
    run: async (ctx, { args, target }) => showDraft(await setDetails(ctx, target, args)),
  }),
  defineAction({
    action: "prompts.draft.preview",
    access: "prompt.manage",
    args: onDraft,
    load: draftById,
    // In place of the draft, as every other step is: "Back to the draft" turns it back, so the chat keeps one card.
    run: async (ctx, { target }) => ({ replaceSource: previewMessage(target.id, await participantView(ctx, target)) }),
  }),
  defineAction({
    // The preview's form: the answers are checked as real ones would be, and nothing is stored.
    action: "prompts.draft.try",
    access: "prompt.manage",
    args: onDraft.catchall(z.string().max(4000)),
    load: draftById,
    async run(_ctx, { args, target }) {
      const questions = previewQuestions(target);
      const answers = parseAnswers(questions, args);
      const shown = questions.filter((q) => answers.has(q.id)).map((q) => ({ question: q.text, answer: showAnswer(answers.get(q.id)!) }));
      return { private: tryOutMessage(target.id, shown) };
    },
  }),
  defineAction({
    action: "prompts.draft.publish",
    access: "prompt.manage",
    args: onDraft,
    load: draftById,
    async run(ctx, { actor, target }) {
      const series = await publishDraft(ctx, actor.person.id, target);
      const next = series.nextOccurrenceAt ? formatWhen(series.nextOccurrenceAt, series.timeZone) : "";
      return { replaceSource: done(builderText.started(series.title, next)) };
    },
  }),
  defineAction({
    action: "prompts.draft.discard",
    access: "prompt.manage",
    args: onDraft,
    load: draftById,
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

