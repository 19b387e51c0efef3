import type { DbTx } from "../db/database.ts";
import { freshenStatistics } from "../db/statistics.ts";
import type { Role } from "../roles.ts";
import type { PeopleByRole } from "../suppression.ts";
import { joinCodes } from "../coding/index.ts";
import { batches } from "./batches.ts";
import { ExportPeople } from "./people.ts";
import { BATCH_SIZE, yesNo } from "./rules.ts";
import type { Row, Source } from "./rows.ts";

/** One answer as the batch query gives it: times already as ISO 8601 text (UTC), choices already joined. */
type AnswerRead = {
  id: string;
  occurrenceId: string;
  questionId: string;
  personId: string | null;
  role: Role | null;
  text: string | null;
  number: number | null;
  choices: string;
  answeredAt: string;
  updatedAt: string;
  codes: string[] | null;
};

// Prisma keeps DateTime columns as timestamp(3) in UTC: this is Date.toISOString()'s form, made by the database.
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One statement a batch, read as plain text where it can be: the answers to
 * the programme's rounds of questions in the range after the last id, each
 * with its codes. At a million rows, Prisma's model mapping and the driver's
 * date parsing cost more than the database's own work, so this read does
 * without them. The rounds are named by id, not found by a join to the
 * programme, and the table's statistics are kept fresh: otherwise the planner
 * cannot tell how many answers match, and may read and sort all of them for
 * every batch instead of walking the id.
 */
function readAnswers(db: DbTx, occurrenceIds: string[], range: Source["range"], after: string | undefined, take: number): Promise<AnswerRead[]> {
  return db.$queryRawUnsafe<AnswerRead[]>(
    `SELECT r."id", r."occurrenceId", r."questionId", r."personId", r."role"::text AS "role", r."text", r."number",
            array_to_string(r."choices", '; ') AS "choices", ${iso('r."answeredAt"')} AS "answeredAt", ${iso('r."updatedAt"')} AS "updatedAt",
            (SELECT array_agg(c."key") FROM "public"."CodeAssignment" a JOIN "public"."Code" c ON c."id" = a."codeId" WHERE a."targetId" = r."id") AS "codes"
       FROM "public"."PromptResponse" r
      WHERE r."occurrenceId" = ANY($1::text[])
        AND r."answeredAt" >= $2 AND r."answeredAt" < $3 AND r."id" > $4
      ORDER BY r."id"
      LIMIT $5`,
    occurrenceIds,
    range.from,
    range.end,
    after ?? "",
    take,
  );
}

/** One row per answer to one question, answered in the range. */
export async function* answerRows({ db, settings, programme, range, batchSize = BATCH_SIZE }: Source): AsyncGenerator<Row[]> {
  const people = new ExportPeople(db, settings, programme.id);
  const series = await db.promptSeries.findMany({ where: { programmeId: programme.id }, include: { questions: true } });
  if (series.length === 0) return;
  const seriesById = new Map(series.map((s) => [s.id, s]));
  const questions = new Map(series.flatMap((s) => s.questions.map((q) => [q.id, q] as const)));
  const occurrences = new Map(
    (await db.promptOccurrence.findMany({ where: { seriesId: { in: series.map((s) => s.id) } }, select: { id: true, seriesId: true, scheduledFor: true, stage: true } })).map((o) => [
      o.id,
      { ...o, scheduledFor: o.scheduledFor.toISOString() },
    ]),
  );
  if (occurrences.size === 0) return;
  const occurrenceIds = [...occurrences.keys()];
  await freshenStatistics(db, "PromptResponse");
  const labellers = new Map<string, (role: Role | null) => string>();
  for await (const batch of batches(batchSize, (after, take) => readAnswers(db, occurrenceIds, range, after, take))) {
    await people.learnConsent(batch.map((r) => r.personId));
    const newOccurrences = [...new Set(batch.map((r) => r.occurrenceId))].filter((id) => !labellers.has(id));
    if (newOccurrences.length) {
      // A role is named only where N or more people of it were sent that round of questions.
      const counts = await db.promptDelivery.groupBy({ by: ["occurrenceId", "role"], where: { occurrenceId: { in: newOccurrences }, sentAt: { not: null } }, _count: { _all: true } });
      const asked = new Map<string, PeopleByRole>(newOccurrences.map((id) => [id, {}]));
      for (const row of counts) asked.get(row.occurrenceId)![row.role] = row._count._all;
      for (const [id, byRole] of asked) labellers.set(id, people.labeller(byRole));
    }
    const out: Row[] = [];
    for (const r of batch) {
      const occurrence = occurrences.get(r.occurrenceId)!;
      const s = seriesById.get(occurrence.seriesId)!;
      const q = questions.get(r.questionId);
      const words = people.words(r.personId, r.text, s.anonymous);
      out.push({
        answer_id: r.id,
        programme_id: programme.id,
        programme: programme.name,
        series_id: s.id,
        series: s.title,
        // A staged survey's round knows its own stage; a series marked as a whole gives its mark.
        stage: String(occurrence.stage ?? (s as { stage?: unknown }).stage ?? ""),
        anonymous: yesNo(s.anonymous),
        occurrence_id: occurrence.id,
        occurrence: occurrence.scheduledFor,
        question_number: q?.position ?? "",
        question: q?.text ?? "",
        question_type: q?.kind ?? "",
        person: s.anonymous ? "" : people.id(r.personId),
        role: labellers.get(r.occurrenceId)!(r.role),
        answer_number: r.number ?? "",
        answer_choices: r.choices,
        answer_text: words.text,
        text_withheld: words.withheld,
        answered_at: r.answeredAt,
        updated_at: s.anonymous ? r.answeredAt : r.updatedAt,
        theme_codes: r.codes ? joinCodes(r.codes) : "",
      });
    }
    yield out;
  }
}
