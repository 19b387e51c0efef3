import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { PromptQuestion, PromptSeries } from "../generated/prisma/client.ts";
import { audit } from "../audit.ts";
import { ROLES, rolesWith, roleCan } from "../roles.ts";
import { parseInput, text, timeZone } from "../validation.ts";
import { parseWhen } from "../calendar/index.ts";
import { scheduleProblem } from "./rules.ts";
import { nextOpeningAfter } from "./openings.ts";
import { isStaged, stagesProblem, type StageDates } from "./stages-schedule.ts";
import { findTemplate, type PromptTemplate } from "./templates.ts";
import { promptsText, timingText } from "./catalogue.ts";

/**
 * Setting up, pausing and resuming a series. These take already-checked
 * callers: the actions in feature.ts declare who may use them (prompt.manage),
 * and programmatic callers (the demo, tests) pass someone allowed.
 */

const questionText = text(300);
const helpText = z.string().trim().max(300).default("");
const required = z.boolean().default(true);
const optionText = text(150).refine((o) => !o.includes("\n"), { message: "An answer choice must be on one line." });
const options = z
  .array(optionText)
  .min(2)
  .max(12)
  .refine((list) => new Set(list).size === list.length, { message: "Each answer choice must be different." });

export const questionInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: questionText, help: helpText, required }),
  z
    .object({
      kind: z.literal("scale"),
      text: questionText,
      help: helpText,
      min: z.number().int().min(0).max(10).default(0),
      max: z.number().int().min(0).max(10).default(10),
      minLabel: z.string().trim().max(60).default(""),
      maxLabel: z.string().trim().max(60).default(""),
      required,
    })
    .refine((q) => q.min < q.max, { message: "The lowest number on a scale must be below the highest." }),
  z.object({ kind: z.literal("single"), text: questionText, help: helpText, options, required }),
  z.object({ kind: z.literal("multi"), text: questionText, help: helpText, options, required }),
]);
export type QuestionInput = z.output<typeof questionInput>;

export const seriesInput = z.object({
  programmeId: z.string().min(1),
  title: text(120),
  intro: z.string().trim().max(1000).default(""),
  templateKey: z.string().max(60).optional(),
  /** The draft written in chat that this series was started from (src/prompts/drafts.ts). */
  draftId: z.string().max(100).optional(),
  audienceRoles: z
    .array(z.enum(ROLES))
    .min(1)
    .refine((roles) => roles.every((r) => roleCan(r, "prompt.answer")), {
      message: `Questions can only be sent to these roles: ${rolesWith("prompt.answer").join(", ")}.`,
    }),
  /** Empty for a staged survey, which goes by its stage dates instead. */
  cron: z.string().trim().max(100).default(""),
  /** 2: every other week's slot of the cron line; once: only the first slot (see schedule-words.ts). */
  weekInterval: z.union([z.literal(1), z.literal(2)]).default(1),
  once: z.boolean().default(false),
  timeZone,
  /** Ask each person at the schedule's clock time in their own time zone. */
  localTime: z.boolean().default(false),
  /** A staged survey: a date (or "2027-03-10 10:00" in the series' zone) for each stage asked. */
  baselineAt: z.union([z.date(), z.string().trim().max(40)]).optional(),
  midpointAt: z.union([z.date(), z.string().trim().max(40)]).optional(),
  endAt: z.union([z.date(), z.string().trim().max(40)]).optional(),
  anonymous: z.boolean().default(false),
  /** NDTi-style before and after: this series asks at the start, the mid-point or the end. */
  stage: z.enum(["baseline", "midpoint", "end"]).nullable().default(null),
  reminderAfterHours: z.number().int().min(1).max(24 * 14).default(48),
  maxReminders: z.number().int().min(0).max(5).default(1),
  closeAfterHours: z.number().int().min(1).max(24 * 90).default(168),
  questions: z.array(questionInput).min(1).max(20),
});
export type SeriesInput = z.input<typeof seriesInput>;

const SERIES_LABELS = {
  title: "Title",
  intro: "Introduction",
  audienceRoles: "Who gets the questions",
  cron: "When to send",
  timeZone: "Time zone",
  reminderAfterHours: "Hours before a reminder",
  maxReminders: "Reminders",
  closeAfterHours: "Hours before the questions close",
  questions: "Questions",
  baselineAt: "Start survey date",
  midpointAt: "Mid-point survey date",
  endAt: "End survey date",
};

/** Reads the stage dates typed in a form (in the series' zone); a date that cannot be read is refused, not dropped. */
function readStageDates(input: z.output<typeof seriesInput>): StageDates {
  const read = (key: "baselineAt" | "midpointAt" | "endAt"): Date | null => {
    const value = input[key];
    if (value instanceof Date) return value;
    if (!value) return null;
    const date = parseWhen(value, input.timeZone);
    if (!date) throw new WesaidError("invalid_input", timingText.badStageDate(SERIES_LABELS[key]));
    return date;
  };
  return { baselineAt: read("baselineAt"), midpointAt: read("midpointAt"), endAt: read("endAt") };
}

/** Why this schedule or these stage dates cannot be used, in words, or null. */
function timingProblem(input: z.output<typeof seriesInput>, dates: StageDates, now: Date): string | null {
  if (isStaged(dates)) {
    const problem = stagesProblem(dates, now);
    return problem === "stage_in_past" ? timingText.stageInPast : problem ? timingText.stagesOutOfOrder : null;
  }
  if (!input.cron) return timingText.needCron;
  const problem = scheduleProblem(input, now);
  return problem ? SCHEDULE_PROBLEMS[problem] : null;
}

const SCHEDULE_PROBLEMS = { bad_cron: promptsText.badCron, bad_time_zone: promptsText.badTimeZone, too_often: promptsText.tooOften };

function questionRow(q: QuestionInput, position: number) {
  const base = { position, kind: q.kind, text: q.text, help: q.help, required: q.required };
  if (q.kind === "scale") return { ...base, scaleMin: q.min, scaleMax: q.max, minLabel: q.minLabel, maxLabel: q.maxLabel };
  if (q.kind === "single" || q.kind === "multi") return { ...base, options: q.options };
  return base;
}

/** Sets up a series of questions; the first go out at the first cron slot after now. */
export async function createSeries(ctx: CoreContext, byPersonId: string, raw: SeriesInput): Promise<PromptSeries & { questions: PromptQuestion[] }> {
  return ctx.db.$transaction((tx) => createSeriesIn(tx, ctx.clock.now(), byPersonId, raw));
}

/** createSeries inside the caller's transaction (a draft started behind its row lock, src/prompts/drafts.ts). */
export async function createSeriesIn(tx: DbTx, now: Date, byPersonId: string, raw: SeriesInput): Promise<PromptSeries & { questions: PromptQuestion[] }> {
  const input = parseInput(seriesInput, raw, SERIES_LABELS);
  const dates = readStageDates(input);
  const problem = timingProblem(input, dates, now);
  if (problem) throw new WesaidError("invalid_input", problem);
  const staged = isStaged(dates);
  const series = await tx.promptSeries.create({
    data: {
      programmeId: input.programmeId,
      title: input.title,
      intro: input.intro,
      templateKey: input.templateKey ?? null,
      draftId: input.draftId ?? null,
      audienceRoles: [...new Set(input.audienceRoles)],
      cron: staged ? "" : input.cron,
      weekInterval: input.weekInterval,
      once: input.once,
      timeZone: input.timeZone,
      localTime: input.localTime,
      ...dates,
      anonymous: input.anonymous,
      stage: input.stage,
      reminderAfterHours: input.reminderAfterHours,
      maxReminders: input.maxReminders,
      closeAfterHours: input.closeAfterHours,
      nextOccurrenceAt: nextOpeningAfter({ ...input, ...dates, nextOccurrenceAt: null }, now),
      createdById: byPersonId,
      questions: { create: input.questions.map(questionRow) },
    },
    include: { questions: { orderBy: { position: "asc" } } },
  });
  await audit(tx, now, byPersonId, "prompt.series.create", "PromptSeries", series.id, { title: series.title, templateKey: series.templateKey });
  return series;
}

export type TemplateOverrides = Partial<
  Pick<SeriesInput, "title" | "intro" | "cron" | "weekInterval" | "once" | "timeZone" | "localTime" | "baselineAt" | "midpointAt" | "endAt" | "audienceRoles" | "anonymous" | "reminderAfterHours" | "maxReminders" | "closeAfterHours">
>;

export function templateInput(template: PromptTemplate, programmeId: string, overrides: TemplateOverrides = {}): SeriesInput {
  return {
    programmeId,
    templateKey: template.key,
    title: template.title,
    intro: template.intro,
    cron: template.cron,
    timeZone: "Europe/London",
    audienceRoles: [...template.audienceRoles],
    anonymous: template.anonymous,
    reminderAfterHours: template.reminderAfterHours,
    maxReminders: template.maxReminders,
    closeAfterHours: template.closeAfterHours,
    questions: template.questions.map((q) => ({ ...q })),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}

export async function createSeriesFromTemplate(ctx: CoreContext, byPersonId: string, programmeId: string, templateKey: string, overrides: TemplateOverrides = {}) {
  const template = findTemplate(templateKey);
  if (!template) throw new WesaidError("not_found", promptsText.unknownTemplate);
  return createSeries(ctx, byPersonId, templateInput(template, programmeId, overrides));
}

/** Pauses or resumes a series. Resuming starts again from the next slot: missed slots are not sent. */
export async function setSeriesActive(ctx: CoreContext, byPersonId: string, series: PromptSeries, active: boolean): Promise<{ series: PromptSeries; changed: boolean }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const changed = await tx.promptSeries.updateMany({
      where: { id: series.id, active: !active },
      data: { active, nextOccurrenceAt: active ? nextOpeningAfter(series, now) : series.nextOccurrenceAt },
    });
    if (changed.count) await audit(tx, now, byPersonId, active ? "prompt.series.resume" : "prompt.series.pause", "PromptSeries", series.id);
    return { series: await tx.promptSeries.findUniqueOrThrow({ where: { id: series.id } }), changed: changed.count > 0 };
  });
}

export const SERIES_STAGES = ["baseline", "midpoint", "end"] as const;
export type SeriesStage = (typeof SERIES_STAGES)[number];

/**
 * Marks a series as asked at the start, the mid-point or the end of the
 * programme (or none), so the digest can compare each person's answers between stages.
 */
export async function setSeriesStage(ctx: CoreContext, byPersonId: string, series: PromptSeries, stage: SeriesStage | null): Promise<PromptSeries> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const updated = await tx.promptSeries.update({ where: { id: series.id }, data: { stage } });
    if (series.stage !== stage) await audit(tx, now, byPersonId, "prompt.series.stage", "PromptSeries", series.id, { from: series.stage, to: stage });
    return updated;
  });
}
