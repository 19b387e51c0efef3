import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { Actor, Reply } from "../interactions.ts";
import type { PromptOccurrence, PromptQuestion, PromptResponse, PromptSeries } from "../generated/prisma/client.ts";
import { timeZoneOf } from "../people/index.ts";
import { formatDate } from "../time.ts";
import { auditRead } from "../audit.ts";
import type { Role } from "../roles.ts";
import { answerLabeller, countPeopleByRole } from "../suppression.ts";
import { peopleWhoAnswered } from "./answers.ts";
import { evaluatorAnswers } from "./evaluator-answers.ts";
import * as say from "./catalogue.ts";

/**
 * Facilitators reading answers: counts, number summaries, written answers by role only, and the role only
 * where N or more people of it were asked (suppression rule 9), otherwise "Someone". Callers are checked by the registry.
 */

/** Written answers shown in one message; more come with "Show more". */
export const ANSWERS_PER_MESSAGE = 20;

/** A stored answer. Its role may be null: an anonymous answer whose role was not kept reads as "Someone". */
type StoredAnswer = Pick<PromptResponse, "id" | "questionId" | "text" | "number" | "choices" | "answeredAt"> & { role: Role | null };

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

const HAS_ANSWERS = { responses: { some: {} } };

/** The newest occurrence of a series that somebody answered, or the one just before or after `from`. */
function occurrenceWithAnswers(db: DbTx, seriesId: string, from?: { scheduledFor: Date; direction: "before" | "after" }) {
  const when = from ? { scheduledFor: from.direction === "before" ? { lt: from.scheduledFor } : { gt: from.scheduledFor } } : {};
  return db.promptOccurrence.findFirst({
    where: { seriesId, ...HAS_ANSWERS, ...when },
    orderBy: { scheduledFor: from?.direction === "after" ? "asc" : "desc" },
  });
}

/**
 * Who reads: organisers (facilitators, admins) see every written answer by role; evaluators see the
 * export's view (a pseudonymous id, words only with quoting consent), and no button that tells the person.
 */
export type Reader = "organiser" | "evaluator";

/** One page of an occurrence's answers: counts, number summaries, and the written answers by role only. */
export async function answersPage(ctx: CoreContext, actor: Actor, occurrence: PromptOccurrence, offset: number, reader: Reader = "organiser"): Promise<Reply> {
  const series = await ctx.db.promptSeries.findUniqueOrThrow({ where: { id: occurrence.seriesId }, include: { questions: { orderBy: { position: "asc" } } } });
  const [responses, asked, answered, previous, newer, timeZone] = await Promise.all([
    ctx.db.promptResponse.findMany({ where: { occurrenceId: occurrence.id } }),
    ctx.db.promptDelivery.findMany({ where: { occurrenceId: occurrence.id, sentAt: { not: null } }, select: { personId: true, role: true } }),
    peopleWhoAnswered(ctx.db, { id: occurrence.id, series }),
    occurrenceWithAnswers(ctx.db, series.id, { scheduledFor: occurrence.scheduledFor, direction: "before" }),
    occurrenceWithAnswers(ctx.db, series.id, { scheduledFor: occurrence.scheduledFor, direction: "after" }),
    timeZoneOf(ctx.db, actor.person.id),
  ]);
  await auditRead(ctx.db, ctx.clock.now(), actor.person.id, { kind: "answers", programmeId: series.programmeId, seriesId: series.id, week: occurrence.scheduledFor });
  const common = {
    occurrenceId: occurrence.id,
    title: series.title,
    askedOn: formatDate(occurrence.scheduledFor, timeZone),
    sent: asked.length,
    answered,
    anonymous: series.anonymous,
    summaries: summariseAnswers(series.questions, responses),
    offset,
    pageSize: ANSWERS_PER_MESSAGE,
    previousId: previous?.id,
    newerId: newer?.id,
  };
  if (reader === "evaluator") return evaluatorAnswers(ctx, { ...common, programmeId: series.programmeId, questions: series.questions, written: writtenAnswers(series.questions, responses), asked });
  const written = writtenAnswers(series.questions, responses);
  // A role is named only where N or more people of it were asked this time.
  const labelOf = answerLabeller(countPeopleByRole(asked, (d) => d.role, (d) => d.personId), ctx.settings.minGroupSize);
  const page = written.slice(offset, offset + ANSWERS_PER_MESSAGE);
  const items = await ctx.db.feedbackItem.findMany({
    where: { programmeId: series.programmeId, source: "prompt_answer", sourceRef: { in: page.map((r) => r.id) } },
    select: { sourceRef: true, number: true },
  });
  const ideaOf = new Map(items.map((i) => [i.sourceRef, i.number]));
  const questionText = new Map(series.questions.map((q) => [q.id, q.text]));
  return {
    private: say.answersMessage({
      ...common,
      answers: page.map((r) => ({ responseId: r.id, question: questionText.get(r.questionId) ?? "", label: labelOf(r.role), text: r.text, ideaNumber: ideaOf.get(r.id) })),
      total: written.length,
    }),
  };
}

/** A series' latest answered occurrence, or a note that nobody has answered yet. */
export async function seriesAnswers(ctx: CoreContext, actor: Actor, series: PromptSeries, reader: Reader = "organiser"): Promise<Reply> {
  const latest = await occurrenceWithAnswers(ctx.db, series.id);
  if (!latest) return { private: say.done(say.promptsText.noAnswersYet(series.title)) };
  return answersPage(ctx, actor, latest, 0, reader);
}

/** A programme's answers: the one answered series straight away, or a choice when there are several. */
export async function programmeAnswers(ctx: CoreContext, actor: Actor, programmeId: string, reader: Reader = "organiser"): Promise<Reply> {
  const answeredSeries = await ctx.db.promptSeries.findMany({
    where: { programmeId, occurrences: { some: HAS_ANSWERS } },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  if (answeredSeries.length === 0) return { private: say.done(say.promptsText.noAnswersAtAll) };
  if (answeredSeries.length === 1) return seriesAnswers(ctx, actor, answeredSeries[0]!, reader);
  return { private: say.answersPick({ series: answeredSeries.map((s) => ({ id: s.id, title: s.title })) }) };
}
