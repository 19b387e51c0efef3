import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { PromptDraft, PromptQuestion, PromptSeries } from "../generated/prisma/client.ts";
import { PARTICIPANT_ROLES, ROLES, rolesWith, roleCan, type Role } from "../roles.ts";
import { parseInput, text } from "../validation.ts";
import { createSeriesIn, questionInput, type QuestionInput } from "./series.ts";
import { findTemplate } from "./templates.ts";
import { parseWhenWords, plainSchedule, scheduleExamples, scheduleInWords, scheduleOfTiming, timingOf, type PlainSchedule } from "./schedule-words.ts";
import { builderText } from "./builder-catalogue.ts";

/**
 * A set of questions written in chat, one question at a time, kept in the
 * database (PromptDraft) until it is started as a series. Facilitators only:
 * the actions in builder-feature.ts check prompt.manage.
 */

export const MAX_QUESTIONS = 20;

export type DraftQuestion = z.input<typeof questionInput>;

/**
 * A question in a draft: the question, and a key that stays with it while it is
 * changed or moved, so a button from an older view of the draft acts on the
 * question it was shown next to, or on nothing.
 */
export type KeyedQuestion = QuestionInput & { key: string };

/** A draft as the core reads it: the JSON columns checked again, so nothing malformed goes further. */
export type Draft = Omit<PromptDraft, "questions" | "schedule"> & { questions: KeyedQuestion[]; schedule: PlainSchedule | null };

const keyOf = z.object({ key: z.string().min(1).max(40) });

/** Questions stored before they had keys get one from their place, kept from the next change on. */
function readQuestions(raw: unknown): KeyedQuestion[] {
  return z
    .array(z.unknown())
    .catch([])
    .parse(raw)
    .flatMap((item, i) => {
      const question = questionInput.safeParse(item);
      if (!question.success) return [];
      return [{ ...question.data, key: keyOf.safeParse(item).data?.key ?? `n${i + 1}` }];
    });
}

export function readDraft(row: PromptDraft): Draft {
  const questions = readQuestions(row.questions);
  const schedule = plainSchedule.nullable().catch(null).parse(row.schedule ?? null);
  return { ...row, questions, schedule };
}

/** A key no other question in the draft has. */
export function newKey(draft: Draft): string {
  for (;;) {
    const key = randomUUID().slice(0, 8);
    if (!draft.questions.some((q) => q.key === key)) return key;
  }
}

/**
 * The draft, or what became of it: a draft that was started is gone, but the
 * series remembers it, so a button left on it says so. Either way the programme
 * is known, so the registry checks who is asking before anything is said.
 */
export type FoundDraft = { programmeId: string; draft: Draft } | { programmeId: string; startedAs: string };

export async function findDraft(ctx: CoreContext, draftId: string): Promise<FoundDraft> {
  const row = await ctx.db.promptDraft.findUnique({ where: { id: draftId } });
  if (row) return { programmeId: row.programmeId, draft: readDraft(row) };
  const series = await ctx.db.promptSeries.findUnique({ where: { draftId }, select: { programmeId: true, title: true } });
  if (series) return { programmeId: series.programmeId, startedAs: series.title };
  throw new WesaidError("not_found", builderText.noDraft);
}

/** A started set is not a draft any more: said politely, naming it. */
export const startedError = (title: string) => new WesaidError("closed", builderText.alreadyStarted(title));

/** The refusal for a draft that has been started, or thrown away, since the button was shown. */
async function goneError(db: DbTx, draftId: string): Promise<WesaidError> {
  const series = await db.promptSeries.findUnique({ where: { draftId }, select: { title: true } });
  return series ? startedError(series.title) : new WesaidError("not_found", builderText.noDraft);
}

export function draftsOf(ctx: CoreContext, programmeId: string): Promise<PromptDraft[]> {
  return ctx.db.promptDraft.findMany({ where: { programmeId }, orderBy: { createdAt: "asc" } });
}

/** Starts a draft: empty, or with a template's questions, people and anonymity copied in as a starting point. */
export async function startDraft(ctx: CoreContext, byPersonId: string, programmeId: string, templateKey?: string): Promise<Draft> {
  const template = templateKey ? findTemplate(templateKey) : undefined;
  if (templateKey && !template) throw new WesaidError("not_found", builderText.unknownTemplate);
  const row = await ctx.db.promptDraft.create({
    data: {
      programmeId,
      createdById: byPersonId,
      title: template?.title ?? builderText.untitled,
      intro: template?.intro ?? "",
      templateKey: template?.key ?? null,
      questions: template ? template.questions.map((q, i) => ({ ...questionInput.parse(q), key: `t${i + 1}` })) : [],
      schedule: template ? (scheduleOfTiming({ cron: template.cron }) ?? undefined) : undefined,
      audienceRoles: template ? [...template.audienceRoles] : [...PARTICIPANT_ROLES],
      anonymous: template?.anonymous ?? false,
    },
  });
  return readDraft(row);
}

const QUESTION_LABELS = { kind: "Kind of question", text: "The question", help: "A few words of help", minLabel: "Words for 0", maxLabel: "Words for 10", choices: "Answer choices", required: "Must people answer it?" };

/** The "Add a question" form as sent: every field a string. */
export const questionForm = z.object({
  kind: z.enum(["text", "scale", "single", "multi"]),
  text: text(300),
  help: z.string().trim().max(300).default(""),
  minLabel: z.string().trim().max(60).default(""),
  maxLabel: z.string().trim().max(60).default(""),
  choices: z.string().max(2000).default(""),
  required: z.enum(["yes", "no"]).default("yes"),
});

/** Turns the form into a question, or says politely what is missing. */
export function questionFromForm(raw: unknown): QuestionInput {
  const form = parseInput(questionForm, raw, QUESTION_LABELS);
  const base = { text: form.text, help: form.help, required: form.required === "yes" };
  if (form.kind === "scale") return parseInput(questionInput, { kind: "scale", ...base, min: 0, max: 10, minLabel: form.minLabel, maxLabel: form.maxLabel });
  if (form.kind === "text") return parseInput(questionInput, { kind: "text", ...base });
  const options = form.choices.split("\n").map((c) => c.trim()).filter(Boolean);
  if (options.length < 2) throw new WesaidError("invalid_input", builderText.needChoices);
  if (new Set(options).size !== options.length) throw new WesaidError("invalid_input", builderText.sameChoiceTwice);
  return parseInput(questionInput, { kind: form.kind, ...base, options }, { options: "Answer choices" });
}

export async function addQuestion(ctx: CoreContext, draft: Draft, raw: unknown): Promise<Draft> {
  const question = questionFromForm(raw);
  return changeDraft(ctx, draft.id, (now) => {
    if (now.questions.length >= MAX_QUESTIONS) throw new WesaidError("invalid_input", builderText.tooManyQuestions(MAX_QUESTIONS));
    return { questions: [...now.questions, { ...question, key: newKey(now) }] };
  });
}

/**
 * Reads "every other Monday at 10" into the draft's schedule, with whose clock
 * when the words say ("wherever each person is", "Tokyo time"), or explains
 * with examples what it can read.
 */
export async function scheduleDraft(ctx: CoreContext, draft: Draft, words: string): Promise<Draft> {
  const read = parseWhenWords(z.string().max(200).parse(words));
  if (!read) throw new WesaidError("invalid_input", builderText.cannotRead(words.trim(), scheduleExamples));
  return changeDraft(ctx, draft.id, () => ({
    schedule: read.schedule,
    ...(read.localTime !== undefined ? { localTime: read.localTime } : {}),
    ...(read.timeZone ? { timeZone: read.timeZone } : {}),
  }));
}

export const detailsForm = z.object({
  title: text(120),
  intro: z.string().trim().max(1000).default(""),
  audienceRoles: z
    .string()
    .max(500)
    .transform((s) => [...new Set(s.split("\n").map((r) => r.trim()).filter(Boolean))])
    .pipe(
      z
        .array(z.enum(ROLES))
        .min(1, { message: builderText.chooseARole })
        .refine((roles) => roles.every((r) => roleCan(r, "prompt.answer")), { message: builderText.rolesThatAnswer(rolesWith("prompt.answer")) }),
    ),
  anonymous: z.enum(["yes", "no"]).default("no"),
});

/** Title, introduction, who is asked (by role) and whether names are kept. */
export async function setDetails(ctx: CoreContext, draft: Draft, raw: unknown): Promise<Draft> {
  const details = parseInput(detailsForm, raw, { title: "Title", intro: "Introduction", audienceRoles: "Who gets the questions", anonymous: "Keep names off the answers" });
  return changeDraft(ctx, draft.id, () => ({ title: details.title, intro: details.intro, audienceRoles: details.audienceRoles as Role[], anonymous: details.anonymous === "yes" }));
}

export type DraftChanges = { questions?: KeyedQuestion[]; schedule?: PlainSchedule; localTime?: boolean; timeZone?: string; title?: string; intro?: string; audienceRoles?: Role[]; anonymous?: boolean };

/**
 * Every change to a draft: behind the draft's row lock, worked out from the
 * draft as it is now (not as the button's view showed it), so two presses at
 * once are applied one after the other and no question is lost or doubled.
 */
export async function changeDraft(ctx: CoreContext, draftId: string, edit: (now: Draft) => DraftChanges): Promise<Draft> {
  return ctx.db.$transaction(async (tx) => {
    const now = await lockDraft(tx, draftId);
    return readDraft(await tx.promptDraft.update({ where: { id: draftId }, data: edit(now) }));
  });
}

/** Takes the draft's row lock and reads it as it is now; a draft gone since the button was shown is refused. */
async function lockDraft(tx: DbTx, draftId: string): Promise<Draft> {
  await tx.$queryRaw`SELECT "id" FROM "PromptDraft" WHERE "id" = ${draftId} FOR UPDATE`;
  const row = await tx.promptDraft.findUnique({ where: { id: draftId } });
  if (!row) throw await goneError(tx, draftId);
  return readDraft(row);
}

/** The questions as the participant's form shows them: rows shaped like stored questions. */
export function previewQuestions(draft: Draft): PromptQuestion[] {
  return draft.questions.map((q, position) => ({
    id: `preview${position}`,
    seriesId: "preview",
    position,
    kind: q.kind,
    text: q.text,
    help: q.help,
    required: q.required,
    options: q.kind === "single" || q.kind === "multi" ? q.options : [],
    scaleMin: q.kind === "scale" ? q.min : 0,
    scaleMax: q.kind === "scale" ? q.max : 10,
    minLabel: q.kind === "scale" ? q.minLabel : "",
    maxLabel: q.kind === "scale" ? q.maxLabel : "",
  }));
}

/** What is still missing before the draft can start, in the order a facilitator would fill it in. */
export function missingFrom(draft: Draft): string[] {
  return [
    draft.questions.length === 0 ? builderText.missingQuestions : null,
    draft.schedule ? null : builderText.missingSchedule,
    draft.audienceRoles.length ? null : builderText.missingAudience,
  ].filter((m): m is string => m !== null);
}

/**
 * Starts the draft as a series and removes the draft, in one transaction behind the draft's row lock: the
 * series has the questions as they are then, and a second press finds the draft started. The series keeps
 * the draft's id (unique), so a button left on the draft can say it has started. The first questions go out
 * at the first slot after now.
 */
export async function publishDraft(ctx: CoreContext, byPersonId: string, draftId: string): Promise<PromptSeries> {
  return ctx.db.$transaction(async (tx) => {
    const draft = await lockDraft(tx, draftId);
    const missing = missingFrom(draft);
    if (missing.length || !draft.schedule) throw new WesaidError("invalid_input", builderText.notReady(missing));
    const series = await createSeriesIn(tx, ctx.clock.now(), byPersonId, {
      programmeId: draft.programmeId,
      title: draft.title,
      intro: draft.intro,
      templateKey: draft.templateKey ?? undefined,
      draftId: draft.id,
      audienceRoles: draft.audienceRoles,
      ...timingOf(draft.schedule),
      timeZone: draft.timeZone,
      localTime: draft.localTime,
      anonymous: draft.anonymous,
      questions: draft.questions,
    });
    await tx.promptDraft.delete({ where: { id: draft.id } });
    return series;
  });
}

export const scheduleWordsOf = (draft: Draft) => (draft.schedule ? scheduleInWords(draft.schedule, draft.timeZone, draft.localTime) : null);
