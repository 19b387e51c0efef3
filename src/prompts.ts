import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import type { CoreContext } from "./context.ts";
import type { DbTx } from "./db/database.ts";
import { WesaidError } from "./errors.ts";
import type { Actor, Feature, Reply } from "./interactions.ts";
import type { Preference, PromptOccurrence, PromptQuestion, PromptResponse, PromptSeries, Role } from "./generated/prisma/client.ts";
import { authorise, membersWithRoles, requireMember, requireParticipation } from "./access.ts";
import { audit } from "./audit.ts";
import { enqueue } from "./outbox.ts";
import { recordContribution, setPaused, timeZoneOf } from "./people/index.ts";
import { ROLES, rolesWith, roleCan } from "./roles.ts";
import { formatDate, formatWhen } from "./time.ts";
import { parseInput, text, timeZone } from "./validation.ts";
import {
  decideDelivery,
  decideReminder,
  nextSlotAfter,
  planOccurrence,
  reminderLimitFor,
  scheduleProblem,
  skipReasonFor,
  type OccurrencePlan,
  type PersonState,
} from "./prompt-schedule.ts";
import { describeSchedule, findTemplate, PROMPT_TEMPLATES, SCHEDULE_PRESETS, type PromptTemplate } from "./prompt-templates.ts";
import * as say from "./messages/catalogue/prompts.ts";

const BATCH = 100;

// ------------------------------------------------------------------ defining a series

const questionText = text(300);
const helpText = z.string().trim().max(300).default("");
const required = z.boolean().default(true);
const optionText = text(150).refine((o) => !o.includes("\n"), { message: "An answer choice must be on one line." });
const options = z
  .array(optionText)
  .min(2)
  .max(12)
  .refine((list) => new Set(list).size === list.length, { message: "Each answer choice must be different." });

const questionInput = z.discriminatedUnion("kind", [
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
type QuestionInput = z.output<typeof questionInput>;

export const seriesInput = z.object({
  programmeId: z.string().min(1),
  title: text(120),
  intro: z.string().trim().max(1000).default(""),
  templateKey: z.string().max(60).optional(),
  audienceRoles: z
    .array(z.enum(ROLES))
    .min(1)
    .refine((roles) => roles.every((r) => roleCan(r, "prompt.answer")), {
      message: `Questions can only be sent to these roles: ${rolesWith("prompt.answer").join(", ")}.`,
    }),
  cron: text(100),
  timeZone,
  anonymous: z.boolean().default(false),
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
};

const SCHEDULE_PROBLEMS = { bad_cron: say.promptsText.badCron, bad_time_zone: say.promptsText.badTimeZone, too_often: say.promptsText.tooOften };

function questionRow(q: QuestionInput, position: number) {
  const base = { position, kind: q.kind, text: q.text, help: q.help, required: q.required };
  if (q.kind === "scale") return { ...base, scaleMin: q.min, scaleMax: q.max, minLabel: q.minLabel, maxLabel: q.maxLabel };
  if (q.kind === "single" || q.kind === "multi") return { ...base, options: q.options };
  return base;
}

/** Sets up a series of questions; the first go out at the first cron slot after now. */
export async function createSeries(ctx: CoreContext, byPersonId: string, raw: SeriesInput): Promise<PromptSeries & { questions: PromptQuestion[] }> {
  const input = parseInput(seriesInput, raw, SERIES_LABELS);
  const now = ctx.clock.now();
  const problem = scheduleProblem(input, now);
  if (problem) throw new WesaidError("invalid_input", SCHEDULE_PROBLEMS[problem]);
  await requireMember(ctx.db, byPersonId, input.programmeId, "prompt.manage");
  return ctx.db.$transaction(async (tx) => {
    const series = await tx.promptSeries.create({
      data: {
        programmeId: input.programmeId,
        title: input.title,
        intro: input.intro,
        templateKey: input.templateKey ?? null,
        audienceRoles: [...new Set(input.audienceRoles)],
        cron: input.cron,
        timeZone: input.timeZone,
        anonymous: input.anonymous,
        reminderAfterHours: input.reminderAfterHours,
        maxReminders: input.maxReminders,
        closeAfterHours: input.closeAfterHours,
        nextOccurrenceAt: nextSlotAfter(input, now),
        createdById: byPersonId,
        questions: { create: input.questions.map(questionRow) },
      },
      include: { questions: { orderBy: { position: "asc" } } },
    });
    await audit(tx, now, byPersonId, "prompt.series.create", "PromptSeries", series.id, { title: series.title, templateKey: series.templateKey });
    return series;
  });
}

export type TemplateOverrides = Partial<
  Pick<SeriesInput, "title" | "intro" | "cron" | "timeZone" | "audienceRoles" | "anonymous" | "reminderAfterHours" | "maxReminders" | "closeAfterHours">
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
  if (!template) throw new WesaidError("not_found", say.promptsText.unknownTemplate);
  return createSeries(ctx, byPersonId, templateInput(template, programmeId, overrides));
}

/** Pauses or resumes a series. Resuming starts again from the next slot: missed slots are not sent. */
export async function setSeriesActive(ctx: CoreContext, byPersonId: string, seriesId: string, active: boolean): Promise<{ series: PromptSeries; changed: boolean }> {
  const series = await ctx.db.promptSeries.findUnique({ where: { id: seriesId } });
  if (!series) throw new WesaidError("not_found", say.promptsText.noSeries);
  await requireMember(ctx.db, byPersonId, series.programmeId, "prompt.manage");
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const changed = await tx.promptSeries.updateMany({
      where: { id: seriesId, active: !active },
      data: { active, nextOccurrenceAt: active ? nextSlotAfter(series, now) : series.nextOccurrenceAt },
    });
    if (changed.count) await audit(tx, now, byPersonId, active ? "prompt.series.resume" : "prompt.series.pause", "PromptSeries", seriesId);
    return { series: await tx.promptSeries.findUniqueOrThrow({ where: { id: seriesId } }), changed: changed.count > 0 };
  });
}

// ------------------------------------------------------------------ who may be sent questions

const DEFAULT_PREFERENCE = { timeZone: "Europe/London", quietStart: 21 * 60, quietEnd: 8 * 60, reminderLimit: 2, pausedAt: null };
type PrefView = Pick<Preference, "timeZone" | "quietStart" | "quietEnd" | "reminderLimit" | "pausedAt">;

type People = { state(personId: string, programmeId: string): PersonState; pref(personId: string): PrefView };

/** Consent, membership and preferences for many people at once (one query each, not one per person). */
async function loadPeople(db: DbTx, personIds: string[], programmeIds: string[]): Promise<People> {
  const [consents, memberships, prefs] = await Promise.all([
    db.consentRecord.findMany({
      where: { kind: "participation", personId: { in: personIds }, programmeId: { in: programmeIds } },
      orderBy: { recordedAt: "desc" },
    }),
    db.membership.findMany({ where: { personId: { in: personIds }, programmeId: { in: programmeIds }, leftAt: null } }),
    db.preference.findMany({ where: { personId: { in: personIds } } }),
  ]);
  const consentOf = new Map<string, boolean>();
  for (const c of consents) {
    const key = `${c.programmeId}:${c.personId}`;
    if (!consentOf.has(key)) consentOf.set(key, c.granted);
  }
  const members = new Set(memberships.map((m) => `${m.programmeId}:${m.personId}`));
  const prefOf = new Map(prefs.map((p) => [p.personId, p]));
  const pref = (personId: string): PrefView => prefOf.get(personId) ?? DEFAULT_PREFERENCE;
  return {
    pref,
    state: (personId, programmeId) => ({
      participation: consentOf.get(`${programmeId}:${personId}`) ?? null,
      pausedAt: pref(personId).pausedAt,
      member: members.has(`${programmeId}:${personId}`),
    }),
  };
}

/** The consent, membership and preferences of everyone in a batch of deliveries, read once. */
function peopleOf(db: DbTx, deliveries: readonly { personId: string; occurrence: { series: { programmeId: string } } }[]): Promise<People> {
  return loadPeople(db, [...new Set(deliveries.map((d) => d.personId))], [...new Set(deliveries.map((d) => d.occurrence.series.programmeId))]);
}

// ------------------------------------------------------------------ sweep 1: occurrences

async function openOccurrence(tx: DbTx, series: PromptSeries, plan: Extract<OccurrencePlan, { kind: "create" }>, now: Date): Promise<void> {
  await tx.promptOccurrence.createMany({
    data: [{ seriesId: series.id, scheduledFor: plan.scheduledFor, closesAt: plan.closesAt }],
    skipDuplicates: true,
  });
  const occurrence = await tx.promptOccurrence.findUniqueOrThrow({ where: { seriesId_scheduledFor: { seriesId: series.id, scheduledFor: plan.scheduledFor } } });
  const members = await membersWithRoles(tx, series.programmeId, series.audienceRoles);
  if (members.length === 0) return;
  const people = await loadPeople(tx, members.map((m) => m.personId), [series.programmeId]);
  await tx.promptDelivery.createMany({
    skipDuplicates: true,
    data: members.map((m) => {
      const reason = skipReasonFor(people.state(m.personId, series.programmeId));
      return { occurrenceId: occurrence.id, personId: m.personId, role: m.role, status: reason ? "skipped" : "pending", skippedReason: reason, notBefore: now };
    }),
  });
}

/** Creates the occurrence due for each active series and one delivery per eligible person. */
export async function sweepOccurrences(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptSeries.findMany({
    where: { active: true, nextOccurrenceAt: { lte: now } },
    orderBy: { nextOccurrenceAt: "asc" },
    take: BATCH,
  });
  let handled = 0;
  for (const series of due) {
    try {
      const plan = planOccurrence(series, now);
      if (plan.kind === "not_due") continue;
      const won = await ctx.db.$transaction(async (tx) => {
        // Claim the slot: only the run that moves nextOccurrenceAt on from the value it read goes ahead.
        const claim = await tx.promptSeries.updateMany({
          where: { id: series.id, active: true, nextOccurrenceAt: series.nextOccurrenceAt },
          data: { nextOccurrenceAt: plan.nextOccurrenceAt },
        });
        if (claim.count === 0) return false;
        if (plan.kind === "create") await openOccurrence(tx, series, plan, now);
        return true;
      });
      if (won) handled++;
    } catch (error) {
      ctx.log.error("could not open questions for a series", { seriesId: series.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return handled;
}

// ------------------------------------------------------------------ sweep 2: first sends

const deliveryInclude = {
  occurrence: { include: { series: { include: { questions: { orderBy: { position: "asc" as const } }, programme: { select: { name: true } } } } } },
};

type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

function loadDelivery(db: DbTx, id: string) {
  return db.promptDelivery.findUnique({ where: { id }, include: deliveryInclude });
}

function viewOf(d: LoadedDelivery, timeZone: string): say.PromptView {
  const series = d.occurrence.series;
  return {
    deliveryId: d.id,
    title: series.title,
    intro: series.intro,
    programmeName: series.programme.name,
    anonymous: series.anonymous,
    closesAt: formatWhen(d.occurrence.closesAt, timeZone),
    questions: series.questions,
  };
}

/** The change a delivery decision makes to its row. */
function deliveryUpdate(decision: ReturnType<typeof decideDelivery> | { kind: "skip"; reason: string }, now: Date) {
  switch (decision.kind) {
    case "closed":
      return { status: "closed" };
    case "skip":
      return { status: "skipped", skippedReason: decision.reason };
    case "defer":
      return { notBefore: decision.until };
    case "send":
      return { status: "sent", sentAt: now, nextReminderAt: decision.nextReminderAt };
  }
}

/**
 * Sends pending deliveries that are due, unless the person is paused, in quiet
 * hours, or it has closed. A batch is decided in memory, then claimed with one
 * update per kind of decision (a row another instance took is no longer
 * pending and due, so it is not returned), and its messages are queued together.
 */
export async function sweepDeliveries(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptDelivery.findMany({
    where: { status: "pending", notBefore: { lte: now } },
    orderBy: { notBefore: "asc" },
    take: BATCH,
    include: deliveryInclude,
  });
  if (due.length === 0) return 0;
  const people = await peopleOf(ctx.db, due);
  const groups = new Map<string, { data: ReturnType<typeof deliveryUpdate>; sends: boolean; ids: string[] }>();
  for (const d of due) {
    const series = d.occurrence.series;
    const pref = people.pref(d.personId);
    const decision = series.active
      ? decideDelivery({
          now,
          closesAt: d.occurrence.closesAt,
          person: people.state(d.personId, series.programmeId),
          quiet: pref,
          reminderAfterHours: series.reminderAfterHours,
          reminderLimit: reminderLimitFor(series.maxReminders, pref.reminderLimit),
        })
      : ({ kind: "skip", reason: "series_paused" } as const);
    const data = deliveryUpdate(decision, now);
    const key = JSON.stringify(data);
    const group = groups.get(key) ?? { data, sends: decision.kind === "send", ids: [] };
    group.ids.push(d.id);
    groups.set(key, group);
  }
  const byId = new Map(due.map((d) => [d.id, d]));
  return ctx.db.$transaction(async (tx) => {
    let handled = 0;
    for (const group of groups.values()) {
      const won = await tx.promptDelivery.updateManyAndReturn({
        where: { id: { in: group.ids }, status: "pending", notBefore: { lte: now } },
        data: group.data,
        select: { id: true },
      });
      handled += won.length;
      if (!group.sends) continue;
      await enqueue(
        tx,
        now,
        ...won.map(({ id }) => {
          const d = byId.get(id)!;
          return {
            key: promptMessageKey(d.id),
            purpose: "prompt.send",
            personId: d.personId,
            programmeId: d.occurrence.series.programmeId,
            message: say.promptMessage(viewOf(d, people.pref(d.personId).timeZone)),
          };
        }),
      );
    }
    return handled;
  });
}

/** The outbox key of a delivery's first message: derivable, so nothing needs storing to find it. */
export const promptMessageKey = (deliveryId: string) => `prompt:${deliveryId}:initial`;

// ------------------------------------------------------------------ sweep 3: reminders

/** Sends a gentle reminder for unanswered questions, within the person's limit and outside quiet hours. */
export async function sweepReminders(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptDelivery.findMany({
    where: { status: "sent", nextReminderAt: { lte: now } },
    orderBy: { nextReminderAt: "asc" },
    take: BATCH,
    include: deliveryInclude,
  });
  if (due.length === 0) return 0;
  const people = await peopleOf(ctx.db, due);
  let handled = 0;
  for (const d of due) {
    const series = d.occurrence.series;
    const pref = people.pref(d.personId);
    const decision = series.active
      ? decideReminder({
          now,
          closesAt: d.occurrence.closesAt,
          remindersSent: d.remindersSent,
          reminderLimit: reminderLimitFor(series.maxReminders, pref.reminderLimit),
          reminderAfterHours: series.reminderAfterHours,
          person: people.state(d.personId, series.programmeId),
          quiet: pref,
        })
      : ({ kind: "stop" } as const);
    const claim = { id: d.id, status: "sent", remindersSent: d.remindersSent, nextReminderAt: d.nextReminderAt };
    handled += await ctx.db.$transaction(async (tx) => {
      switch (decision.kind) {
        case "stop":
          return (await tx.promptDelivery.updateMany({ where: claim, data: { nextReminderAt: null } })).count;
        case "defer":
          return (await tx.promptDelivery.updateMany({ where: claim, data: { nextReminderAt: decision.until } })).count;
        case "send": {
          const won = await tx.promptDelivery.updateMany({ where: claim, data: { remindersSent: decision.number, nextReminderAt: decision.nextReminderAt } });
          if (won.count === 0) return 0;
          await enqueue(tx, now, {
            key: `prompt:${d.id}:reminder:${decision.number}`,
            purpose: "prompt.reminder",
            personId: d.personId,
            programmeId: series.programmeId,
            message: say.promptReminder(viewOf(d, pref.timeZone)),
          });
          return 1;
        }
      }
    });
  }
  return handled;
}

// ------------------------------------------------------------------ answering

const SECRET_SETTING = "response_key_secret";

/**
 * The secret behind response keys, made once and kept in the Setting table.
 * Without it, a stored answer cannot be traced back to its delivery (and so
 * to the person) from the database alone.
 */
export async function responseKeySecret(db: DbTx): Promise<string> {
  const found = await db.setting.findUnique({ where: { key: SECRET_SETTING } });
  if (found) return found.value;
  await db.setting.createMany({ data: [{ key: SECRET_SETTING, value: randomBytes(32).toString("hex") }], skipDuplicates: true });
  return (await db.setting.findUniqueOrThrow({ where: { key: SECRET_SETTING } })).value;
}

export function responseKeyFor(secret: string, deliveryId: string): string {
  return createHmac("sha256", secret).update(deliveryId).digest("hex");
}

type Answer = say.AnswerValue;

const blankToUndefined = (v: unknown) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

function answerSchema(q: PromptQuestion): z.ZodType<Answer | undefined> {
  let schema: z.ZodType<Answer>;
  if (q.kind === "scale") {
    schema = z
      .string()
      .trim()
      .refine((v) => /^-?\d+$/.test(v), { message: `"${q.text}" needs a whole number from ${q.scaleMin} to ${q.scaleMax}.` })
      .transform(Number)
      .pipe(z.number().min(q.scaleMin).max(q.scaleMax));
  } else if (q.kind === "single") {
    schema = z.enum(q.options as [string, ...string[]]);
  } else if (q.kind === "multi") {
    schema = z.preprocess(
      (v) => (typeof v === "string" ? [...new Set(v.split("\n").map((s) => s.trim()).filter(Boolean))] : v),
      z.array(z.enum(q.options as [string, ...string[]])).min(1),
    );
  } else {
    schema = text(2000);
  }
  const inner = q.required ? schema : schema.optional();
  return z.preprocess(blankToUndefined, inner) as z.ZodType<Answer | undefined>;
}

/** Checks a sent form against the questions. Returns the answers given, by question id. */
export function parseAnswers(questions: PromptQuestion[], args: Record<string, string>): Map<string, Answer> {
  const shape = Object.fromEntries(questions.map((q) => [say.answerField(q.id), answerSchema(q)]));
  const labels = Object.fromEntries(questions.map((q) => [say.answerField(q.id), q.text]));
  const parsed = parseInput(z.object(shape), args, labels) as Record<string, Answer | undefined>;
  const answers = new Map<string, Answer>();
  for (const q of questions) {
    const value = parsed[say.answerField(q.id)];
    if (value !== undefined) answers.set(q.id, value);
  }
  return answers;
}

function columnsFor(q: PromptQuestion, value: Answer) {
  if (q.kind === "scale") return { text: null, number: value as number, choices: [] };
  if (q.kind === "single") return { text: null, number: null, choices: [value as string] };
  if (q.kind === "multi") return { text: null, number: null, choices: value as string[] };
  return { text: value as string, number: null, choices: [] };
}

function valueOf(q: PromptQuestion, r: { text: string | null; number: number | null; choices: string[] }): Answer | undefined {
  if (q.kind === "scale") return r.number ?? undefined;
  if (q.kind === "single") return r.choices[0];
  if (q.kind === "multi") return r.choices;
  return r.text ?? undefined;
}

/** Anonymous answers carry only the day, so their time cannot match them to a delivery either. */
function answerStamp(now: Date, anonymous: boolean): Date {
  return anonymous ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) : now;
}

const ANSWERABLE = ["sent", "answered", "declined"];

/** The delivery, checked: it is the actor's own, and still open. */
async function ownOpenDelivery(ctx: CoreContext, actor: Actor, args: Record<string, string>): Promise<{ delivery: LoadedDelivery; timeZone: string }> {
  const { deliveryId } = parseInput(z.object({ deliveryId: z.string().min(1).max(100) }), args);
  const delivery = await loadDelivery(ctx.db, deliveryId);
  if (!delivery) throw new WesaidError("not_found", say.promptsText.notFound);
  if (delivery.personId !== actor.person.id) throw new WesaidError("not_allowed", say.promptsText.notYours);
  const timeZone = (await ctx.db.preference.findUnique({ where: { personId: actor.person.id } }))?.timeZone ?? DEFAULT_PREFERENCE.timeZone;
  if (ctx.clock.now() >= delivery.occurrence.closesAt || delivery.status === "closed") {
    throw new WesaidError("closed", say.promptsText.closed(formatWhen(delivery.occurrence.closesAt, timeZone)));
  }
  if (!ANSWERABLE.includes(delivery.status)) throw new WesaidError("not_found", say.promptsText.notSent);
  return { delivery, timeZone };
}

async function storedAnswers(ctx: CoreContext, delivery: LoadedDelivery): Promise<Map<string, Answer>> {
  const responseKey = responseKeyFor(await responseKeySecret(ctx.db), delivery.id);
  const rows = await ctx.db.promptResponse.findMany({ where: { responseKey } });
  const answers = new Map<string, Answer>();
  for (const q of delivery.occurrence.series.questions) {
    const row = rows.find((r) => r.questionId === q.id);
    const value = row && valueOf(q, row);
    if (value !== undefined) answers.set(q.id, value);
  }
  return answers;
}

/** Stores a person's answers to one delivery, replacing any they gave before. */
export async function answerPrompt(ctx: CoreContext, actor: Actor, args: Record<string, string>): Promise<Reply> {
  const { delivery, timeZone } = await ownOpenDelivery(ctx, actor, args);
  const series = delivery.occurrence.series;
  await requireParticipation(ctx, actor.person.id, series.programmeId);
  const answers = parseAnswers(series.questions, args);
  if (answers.size === 0) throw new WesaidError("invalid_input", say.promptsText.nothingAnswered);
  const now = ctx.clock.now();
  const stamp = answerStamp(now, series.anonymous);
  const responseKey = responseKeyFor(await responseKeySecret(ctx.db), delivery.id);
  await ctx.db.$transaction(async (tx) => {
    for (const q of series.questions) {
      const value = answers.get(q.id);
      if (value === undefined) {
        await tx.promptResponse.deleteMany({ where: { responseKey, questionId: q.id } });
        continue;
      }
      const columns = columnsFor(q, value);
      await tx.promptResponse.upsert({
        where: { responseKey_questionId: { responseKey, questionId: q.id } },
        create: {
          occurrenceId: delivery.occurrenceId,
          questionId: q.id,
          personId: series.anonymous ? null : actor.person.id,
          role: delivery.role,
          responseKey,
          answeredAt: stamp,
          updatedAt: stamp,
          ...columns,
        },
        update: { ...columns, updatedAt: stamp },
      });
    }
    await tx.promptDelivery.update({
      where: { id: delivery.id },
      data: { status: "answered", answeredAt: delivery.answeredAt ?? now, nextReminderAt: null },
    });
    await recordContribution(tx, ctx.settings, { personId: actor.person.id, programmeId: series.programmeId, kind: "answer", sourceRef: delivery.id, occurredAt: now });
  });
  const shown = series.questions.filter((q) => answers.has(q.id)).map((q) => ({ question: q.text, answer: say.showAnswer(answers.get(q.id)!) }));
  return { replaceSource: say.answersSaved(viewOf(delivery, timeZone), shown) };
}

// ------------------------------------------------------------------ reading answers (facilitators)

/** Written answers shown in one message; more come with "Show more". */
export const ANSWERS_PER_MESSAGE = 20;

type StoredAnswer = Pick<PromptResponse, "id" | "questionId" | "role" | "text" | "number" | "choices" | "answeredAt">;

/** Number and choice answers, counted per question: what a facilitator reads at a glance. */
export function summariseAnswers(questions: PromptQuestion[], responses: readonly StoredAnswer[]): say.AnswerSummary[] {
  return questions.flatMap((q): say.AnswerSummary[] => {
    const given = responses.filter((r) => r.questionId === q.id);
    if (q.kind === "scale") {
      const numbers = given.map((r) => r.number).filter((n): n is number => n !== null);
      if (numbers.length === 0) return [];
      const average = Math.round((numbers.reduce((a, b) => a + b, 0) / numbers.length) * 10) / 10;
      return [{ kind: "scale", question: q.text, count: numbers.length, average, min: q.scaleMin, max: q.scaleMax }];
    }
    if (q.kind === "single" || q.kind === "multi") {
      const counts = q.options.map((o): [string, number] => [o, given.filter((r) => r.choices.includes(o)).length]).filter(([, n]) => n > 0);
      return counts.length ? [{ kind: "choice", question: q.text, count: given.length, counts }] : [];
    }
    return [];
  });
}

/**
 * The words people wrote, in question order. Words of people who later erased
 * themselves are null and left out.
 */
export function writtenAnswers<T extends StoredAnswer>(questions: PromptQuestion[], responses: readonly T[]): (T & { text: string })[] {
  const position = new Map(questions.filter((q) => q.kind === "text").map((q) => [q.id, q.position]));
  return responses
    .filter((r): r is T & { text: string } => position.has(r.questionId) && typeof r.text === "string" && r.text.trim() !== "")
    .sort((a, b) => position.get(a.questionId)! - position.get(b.questionId)! || a.answeredAt.getTime() - b.answeredAt.getTime() || a.id.localeCompare(b.id));
}

const answersArgs = z.object({
  programmeId: z.string().min(1).max(100).optional(),
  seriesId: z.string().min(1).max(100).optional(),
  occurrenceId: z.string().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

const HAS_ANSWERS = { responses: { some: {} } };

/** The newest occurrence of a series that somebody answered, or the one just before or after `from`. */
function occurrenceWithAnswers(db: DbTx, seriesId: string, from?: { scheduledFor: Date; direction: "before" | "after" }) {
  const when = from ? { scheduledFor: from.direction === "before" ? { lt: from.scheduledFor } : { gt: from.scheduledFor } } : {};
  return db.promptOccurrence.findFirst({
    where: { seriesId, ...HAS_ANSWERS, ...when },
    orderBy: { scheduledFor: from?.direction === "after" ? "asc" : "desc" },
  });
}

/** One page of an occurrence's answers: counts, number summaries, and the written answers by role only. */
async function answersPage(ctx: CoreContext, actor: Actor, occurrence: PromptOccurrence, offset: number): Promise<Reply> {
  const series = await ctx.db.promptSeries.findUniqueOrThrow({ where: { id: occurrence.seriesId }, include: { questions: { orderBy: { position: "asc" } } } });
  authorise(actor, "feedback.from_answer", series.programmeId);
  const [responses, sent, answered, previous, newer, timeZone] = await Promise.all([
    ctx.db.promptResponse.findMany({ where: { occurrenceId: occurrence.id } }),
    ctx.db.promptDelivery.count({ where: { occurrenceId: occurrence.id, sentAt: { not: null } } }),
    ctx.db.promptDelivery.count({ where: { occurrenceId: occurrence.id, answeredAt: { not: null } } }),
    occurrenceWithAnswers(ctx.db, series.id, { scheduledFor: occurrence.scheduledFor, direction: "before" }),
    occurrenceWithAnswers(ctx.db, series.id, { scheduledFor: occurrence.scheduledFor, direction: "after" }),
    timeZoneOf(ctx.db, actor.person.id),
  ]);
  const written = writtenAnswers(series.questions, responses);
  const page = written.slice(offset, offset + ANSWERS_PER_MESSAGE);
  const items = await ctx.db.feedbackItem.findMany({
    where: { programmeId: series.programmeId, source: "prompt_answer", sourceRef: { in: page.map((r) => r.id) } },
    select: { sourceRef: true, number: true },
  });
  const ideaOf = new Map(items.map((i) => [i.sourceRef, i.number]));
  const questionText = new Map(series.questions.map((q) => [q.id, q.text]));
  return {
    private: say.answersMessage({
      occurrenceId: occurrence.id,
      title: series.title,
      askedOn: formatDate(occurrence.scheduledFor, timeZone),
      sent,
      answered,
      anonymous: series.anonymous,
      summaries: summariseAnswers(series.questions, responses),
      answers: page.map((r) => ({ responseId: r.id, question: questionText.get(r.questionId) ?? "", role: r.role, text: r.text, ideaNumber: ideaOf.get(r.id) })),
      offset,
      total: written.length,
      pageSize: ANSWERS_PER_MESSAGE,
      previousId: previous?.id,
      newerId: newer?.id,
    }),
  };
}

async function seriesAnswers(ctx: CoreContext, actor: Actor, series: PromptSeries): Promise<Reply> {
  authorise(actor, "feedback.from_answer", series.programmeId);
  const latest = await occurrenceWithAnswers(ctx.db, series.id);
  if (!latest) return { private: say.done(say.promptsText.noAnswersYet(series.title)) };
  return answersPage(ctx, actor, latest, 0);
}

/** Facilitators read answers: pick a series, see its latest answered occurrence, page on or go back. */
async function showAnswers(ctx: CoreContext, actor: Actor, args: Record<string, string>): Promise<Reply> {
  const input = parseInput(answersArgs, args);
  if (input.occurrenceId) {
    const occurrence = await ctx.db.promptOccurrence.findUnique({ where: { id: input.occurrenceId } });
    if (!occurrence) throw new WesaidError("not_found", say.promptsText.answersNotFound);
    return answersPage(ctx, actor, occurrence, input.offset);
  }
  if (input.seriesId) {
    const series = await ctx.db.promptSeries.findUnique({ where: { id: input.seriesId } });
    if (!series) throw new WesaidError("not_found", say.promptsText.noSeries);
    return seriesAnswers(ctx, actor, series);
  }
  const membership = authorise(actor, "feedback.from_answer", input.programmeId);
  const answeredSeries = await ctx.db.promptSeries.findMany({
    where: { programmeId: membership.programmeId, occurrences: { some: HAS_ANSWERS } },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  if (answeredSeries.length === 0) return { private: say.done(say.promptsText.noAnswersAtAll) };
  if (answeredSeries.length === 1) return seriesAnswers(ctx, actor, answeredSeries[0]!);
  return { private: say.answersPick({ series: answeredSeries.map((s) => ({ id: s.id, title: s.title })) }) };
}

// ------------------------------------------------------------------ chat actions and commands

async function promptsMenu(ctx: CoreContext, programmeId: string): Promise<Reply["private"]> {
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: programmeId } });
  const series = await ctx.db.promptSeries.findMany({ where: { programmeId }, orderBy: { createdAt: "asc" } });
  return say.promptsMenu({
    programmeId,
    programmeName: programme.name,
    series: series.map((s) => ({
      id: s.id,
      title: s.title,
      schedule: `${describeSchedule(s.cron) ?? s.cron} (${s.timeZone})`,
      next: s.nextOccurrenceAt ? formatWhen(s.nextOccurrenceAt, s.timeZone) : null,
      active: s.active,
      anonymous: s.anonymous,
      audience: s.audienceRoles as Role[],
    })),
    templates: PROMPT_TEMPLATES.map((t) => ({ key: t.key, title: t.title, summary: t.summary })),
  });
}

const startArgs = z.object({
  programmeId: z.string().min(1),
  templateKey: z.string().min(1),
  title: z.string().trim().max(120).optional(),
  schedule: z.string().trim().max(100).optional(),
  cron: z.string().trim().max(100).optional(),
  timeZone: z.string().trim().max(100).optional(),
  audienceRoles: z.string().max(500).optional(),
  anonymous: z.enum(["yes", "no"]).optional(),
});

function overridesFromForm(input: z.output<typeof startArgs>): TemplateOverrides {
  const roles = input.audienceRoles?.split("\n").map((r) => r.trim()).filter(Boolean);
  return {
    title: input.title || undefined,
    cron: input.cron || input.schedule || undefined,
    timeZone: input.timeZone || undefined,
    audienceRoles: roles?.length ? (roles as Role[]) : undefined,
    anonymous: input.anonymous === undefined ? undefined : input.anonymous === "yes",
  };
}

async function changeSeries(ctx: CoreContext, actor: Actor, args: Record<string, string>, active: boolean): Promise<Reply> {
  const { seriesId } = parseInput(z.object({ seriesId: z.string().min(1).max(100) }), args);
  const existing = await ctx.db.promptSeries.findUnique({ where: { id: seriesId } });
  if (!existing) throw new WesaidError("not_found", say.promptsText.noSeries);
  authorise(actor, "prompt.manage", existing.programmeId);
  const { series, changed } = await setSeriesActive(ctx, actor.person.id, seriesId, active);
  const next = series.nextOccurrenceAt ? formatWhen(series.nextOccurrenceAt, series.timeZone) : "";
  const words = active
    ? changed
      ? say.promptsText.seriesResumed(series.title, next)
      : say.promptsText.alreadyActiveSeries(series.title)
    : changed
      ? say.promptsText.seriesPaused(series.title)
      : say.promptsText.alreadyPausedSeries(series.title);
  return { private: say.done(words), replaceSource: await promptsMenu(ctx, series.programmeId) };
}

export const promptsFeature: Feature = {
  name: "prompts",
  actions: [
    { action: "prompt.answer", run: answerPrompt },
    {
      // From a list such as the Slack Home tab: the questions again, privately.
      action: "prompt.open",
      async run(ctx, actor, args) {
        const { delivery, timeZone } = await ownOpenDelivery(ctx, actor, args);
        if (delivery.status === "answered") {
          const answers = await storedAnswers(ctx, delivery);
          return { private: say.changeAnswers(viewOf(delivery, timeZone), Object.fromEntries(answers)) };
        }
        return { private: say.promptMessage(viewOf(delivery, timeZone)) };
      },
    },
    {
      action: "prompt.change",
      async run(ctx, actor, args) {
        const { delivery, timeZone } = await ownOpenDelivery(ctx, actor, args);
        const answers = await storedAnswers(ctx, delivery);
        return { replaceSource: say.changeAnswers(viewOf(delivery, timeZone), Object.fromEntries(answers)) };
      },
    },
    {
      action: "prompt.decline",
      async run(ctx, actor, args) {
        const { delivery } = await ownOpenDelivery(ctx, actor, args);
        await ctx.db.promptDelivery.updateMany({ where: { id: delivery.id, status: "sent" }, data: { status: "declined", nextReminderAt: null } });
        return { replaceSource: say.done(say.promptsText.declined) };
      },
    },
    {
      action: "prompt.pause",
      async run(ctx, actor) {
        const changed = await setPaused(ctx, actor.person.id, true);
        return { private: say.done(changed ? say.promptsText.paused : say.promptsText.alreadyPaused) };
      },
    },
    {
      action: "prompts.menu",
      async run(ctx, actor, args) {
        const membership = authorise(actor, "prompt.manage", args.programmeId);
        return { private: await promptsMenu(ctx, membership.programmeId) };
      },
    },
    {
      action: "prompts.template",
      async run(ctx, actor, args) {
        const input = parseInput(z.object({ programmeId: z.string().min(1), templateKey: z.string().min(1) }), args);
        authorise(actor, "prompt.manage", input.programmeId);
        const template = findTemplate(input.templateKey);
        if (!template) throw new WesaidError("not_found", say.promptsText.unknownTemplate);
        return {
          private: say.startFromTemplate({
            programmeId: input.programmeId,
            templateKey: template.key,
            title: template.title,
            questions: template.questions.map((q) => q.text),
            cron: template.cron,
            presets: SCHEDULE_PRESETS,
            timeZone: "Europe/London",
            anonymous: template.anonymous,
            audience: [...template.audienceRoles],
            roles: rolesWith("prompt.answer"),
          }),
        };
      },
    },
    {
      action: "prompts.start",
      async run(ctx, actor, args) {
        const input = parseInput(startArgs, args, { anonymous: "Keep names off the answers" });
        authorise(actor, "prompt.manage", input.programmeId);
        const series = await createSeriesFromTemplate(ctx, actor.person.id, input.programmeId, input.templateKey, overridesFromForm(input));
        const next = series.nextOccurrenceAt ? formatWhen(series.nextOccurrenceAt, series.timeZone) : "";
        return { replaceSource: say.done(say.promptsText.seriesStarted(series.title, next)) };
      },
    },
    { action: "prompts.series.pause", run: (ctx, actor, args) => changeSeries(ctx, actor, args, false) },
    { action: "prompts.series.resume", run: (ctx, actor, args) => changeSeries(ctx, actor, args, true) },
    { action: "prompt.answers", run: showAnswers },
  ],
  commands: [
    {
      name: "prompts",
      aliases: ["questions"],
      usage: "prompts",
      summary: "See, start and pause the questions people are sent.",
      capability: "prompt.manage",
      toAction: () => ({ action: "prompts.menu", args: {} }),
    },
    {
      name: "answers",
      usage: "answers",
      summary: "Read what people answered, by role, and make an answer a \"you said\" item.",
      capability: "feedback.from_answer",
      toAction: () => ({ action: "prompt.answers", args: {} }),
    },
  ],
  sweeps: [
    { name: "prompts.occurrences", run: sweepOccurrences },
    { name: "prompts.deliveries", run: sweepDeliveries },
    { name: "prompts.reminders", run: sweepReminders },
  ],
};
