import { createHmac } from "node:crypto";
import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Actor, Reply } from "../interactions.ts";
import type { PromptQuestion, Role } from "../generated/prisma/client.ts";
import { peopleCatalogue, recordContribution, timeZoneOf } from "../people/index.ts";
import { formatWhen } from "../time.ts";
import { parseInput, text } from "../validation.ts";
import { anonymousStamp, rolesThatMayShow } from "./rules.ts";
import { loadDelivery, viewOf, type LoadedDelivery } from "./views.ts";
import * as say from "./catalogue.ts";

/**
 * The key an answer is stored under: a keyed hash of the occurrence and the
 * delivery, with the answer secret, which is kept outside the database
 * (settings.answerSecret). The service can recompute it to find a person's own
 * answers; a copy of the database alone cannot. When the questions close,
 * anonymous answers get random keys instead (closing.ts), so from then on
 * nobody can, not even with the secret.
 */
export function responseKeyFor(secret: string, occurrenceId: string, deliveryId: string): string {
  return createHmac("sha256", secret).update(`response:${occurrenceId}:${deliveryId}`).digest("hex");
}

const keyOf = (ctx: CoreContext, d: { id: string; occurrenceId: string }) => responseKeyFor(ctx.settings.answerSecret, d.occurrenceId, d.id);

/**
 * How many people of each role could answer an occurrence: those it was sent
 * to, or (before it has gone out to everyone) those it was not held back from.
 */
export async function askedByRole(db: DbTx, occurrenceId: string, who: "sent" | "not_skipped"): Promise<Map<Role, number>> {
  const rows = await db.promptDelivery.groupBy({
    by: ["role"],
    where: who === "sent" ? { occurrenceId, sentAt: { not: null } } : { occurrenceId, status: { not: "skipped" } },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.role, r._count._all]));
}

/**
 * How many people answered an occurrence. Anonymous questions note nothing on
 * the delivery, so their answers are counted by key: one key per person, before
 * and after the keys are made random at close.
 */
export async function peopleWhoAnswered(db: DbTx, occurrence: { id: string; series: { anonymous: boolean } }): Promise<number> {
  if (!occurrence.series.anonymous) return db.promptDelivery.count({ where: { occurrenceId: occurrence.id, answeredAt: { not: null } } });
  return (await db.promptResponse.findMany({ where: { occurrenceId: occurrence.id }, distinct: ["responseKey"], select: { responseKey: true } })).length;
}

/** Of these deliveries, the ones whose person has answered: found by recomputing their keys, as nothing else records it for anonymous questions. */
export async function answeredDeliveries(ctx: CoreContext, deliveries: readonly { id: string; occurrenceId: string }[]): Promise<Set<string>> {
  const byKey = new Map(deliveries.map((d) => [keyOf(ctx, d), d.id]));
  if (byKey.size === 0) return new Set();
  const found = await ctx.db.promptResponse.findMany({ where: { responseKey: { in: [...byKey.keys()] } }, select: { responseKey: true }, distinct: ["responseKey"] });
  return new Set(found.map((r) => byKey.get(r.responseKey)!));
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
export function parseAnswers(questions: PromptQuestion[], values: Record<string, string>): Map<string, Answer> {
  const shape = Object.fromEntries(questions.map((q) => [say.answerField(q.id), answerSchema(q)]));
  const labels = Object.fromEntries(questions.map((q) => [say.answerField(q.id), q.text]));
  const parsed = parseInput(z.object(shape), values, labels) as Record<string, Answer | undefined>;
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

const ANSWERABLE = ["sent", "answered", "declined"];

export type OpenDelivery = { delivery: LoadedDelivery; timeZone: string };

/** Loads a delivery for an action, checked: it is the actor's own, and still open. */
export async function ownOpenDelivery(ctx: CoreContext, actor: Actor, deliveryId: string): Promise<{ programmeId: string; target: OpenDelivery }> {
  const delivery = await loadDelivery(ctx.db, deliveryId);
  if (!delivery) throw new WesaidError("not_found", say.promptsText.notFound);
  if (delivery.personId !== actor.person.id) throw new WesaidError("not_allowed", say.promptsText.notYours);
  const timeZone = await timeZoneOf(ctx.db, actor.person.id);
  if (ctx.clock.now() >= delivery.occurrence.closesAt || delivery.status === "closed") {
    throw new WesaidError("closed", say.promptsText.closed(formatWhen(delivery.occurrence.closesAt, timeZone)));
  }
  if (!ANSWERABLE.includes(delivery.status)) throw new WesaidError("not_found", say.promptsText.notSent);
  return { programmeId: delivery.occurrence.series.programmeId, target: { delivery, timeZone } };
}

/** What the person answered before, by question id, for filling the form in again. */
export async function storedAnswers(ctx: CoreContext, delivery: LoadedDelivery): Promise<Record<string, Answer>> {
  const rows = await ctx.db.promptResponse.findMany({ where: { responseKey: keyOf(ctx, delivery) } });
  const answers: Record<string, Answer> = {};
  for (const q of delivery.occurrence.series.questions) {
    const row = rows.find((r) => r.questionId === q.id);
    const value = row && valueOf(q, row);
    if (value !== undefined) answers[q.id] = value;
  }
  return answers;
}

/**
 * Stores a person's answers to their own delivery, replacing any they gave
 * before. Consent is checked by the caller.
 *
 * Anonymous answers keep no trace of who gave them, or when: no person, the
 * role only where enough people of it were asked (rolesThatMayShow), the day
 * the questions were asked as their time, and nothing changed on the delivery,
 * no time recorded for the person, nothing in the outbox, the audit log or the
 * log. Whether the person has answered is found again by recomputing the key.
 */
export async function saveAnswers(ctx: CoreContext, personId: string, { delivery, timeZone }: OpenDelivery, values: Record<string, string>): Promise<Reply> {
  const series = delivery.occurrence.series;
  const answers = parseAnswers(series.questions, values);
  if (answers.size === 0) throw new WesaidError("invalid_input", say.promptsText.nothingAnswered);
  const now = ctx.clock.now();
  const anonymous = series.anonymous;
  const stamp = anonymous ? anonymousStamp(delivery.occurrence.scheduledFor) : now;
  const responseKey = keyOf(ctx, delivery);
  await ctx.db.$transaction(async (tx) => {
    const role = anonymous
      ? rolesThatMayShow(await askedByRole(tx, delivery.occurrenceId, "not_skipped"), ctx.settings.minGroupSize).has(delivery.role)
        ? delivery.role
        : null
      : delivery.role;
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
          personId: anonymous ? null : personId,
          role,
          responseKey,
          answeredAt: stamp,
          updatedAt: stamp,
          ...columns,
        },
        update: { ...columns, role, updatedAt: stamp },
      });
    }
    if (anonymous) return;
    await tx.promptDelivery.update({
      where: { id: delivery.id },
      data: { status: "answered", answeredAt: delivery.answeredAt ?? now, nextReminderAt: null },
    });
    await recordContribution(tx, ctx.settings, { personId, programmeId: series.programmeId, kind: "answer", sourceRef: delivery.id, occurredAt: now });
  });
  const shown = series.questions.filter((q) => answers.has(q.id)).map((q) => ({ question: q.text, answer: say.showAnswer(answers.get(q.id)!) }));
  const saved = say.answersSaved(viewOf(delivery, timeZone, ctx.settings.minGroupSize), shown);
  // Questions about a hard topic: who can help comes with the thanks (the NDTi evaluation: emotional load "was underestimated").
  if (!series.hardTopic) return { replaceSource: saved };
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: series.programmeId }, select: { name: true, supportText: true } });
  return { replaceSource: saved, private: peopleCatalogue.supportView([{ programmeName: programme.name, text: programme.supportText }]) };
}

