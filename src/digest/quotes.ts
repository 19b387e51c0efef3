import type { CoreSettings } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { Role } from "../roles.ts";
import { labelQuotes, type RawQuote } from "../suppression.ts";
import { peopleWhoMayBeQuoted } from "../people/index.ts";
import type { DigestData, Window } from "./data.ts";
import * as say from "./catalogue.ts";

/** Words people agreed may be quoted, by role only, with small groups hidden. */
export async function quotes(db: DbTx, settings: CoreSettings, programmeId: string, w: Window): Promise<DigestData["quotes"]> {
  // Anonymous series store answers without a person, so their quotation
  // consent cannot be checked: those answers are never quoted (counted in notQuoted).
  const answers = await db.promptResponse.findMany({
    where: { occurrence: { series: { programmeId } }, text: { not: null }, answeredAt: { gte: w.from, lt: w.end } },
    select: { personId: true, role: true, text: true, questionId: true },
  });
  const questionIds = [...new Set(answers.map((a) => a.questionId))];
  const questions = new Map((await db.promptQuestion.findMany({ where: { id: { in: questionIds } }, select: { id: true, text: true } })).map((q) => [q.id, q.text]));
  const debriefs = await db.debriefResponse.findMany({
    where: { panel: { programmeId }, submittedAt: { gte: w.from, lt: w.end } },
    select: { personId: true, role: true, wentWell: true, couldImprove: true, changeNextTime: true },
  });

  // An anonymous answer may have no role ("someone"): never quoted either, as it has no person.
  const candidates: (Omit<RawQuote, "speaker" | "role"> & { personId: string | null; role: Role | null })[] = [
    ...answers.map((a) => ({ personId: a.personId, role: a.role, text: a.text!.trim(), source: say.quoteSources.answering(questions.get(a.questionId) ?? "") })),
    ...debriefs.flatMap((d) =>
      (
        [
          [d.wentWell, say.quoteSources.wentWell],
          [d.couldImprove, say.quoteSources.couldImprove],
          [d.changeNextTime, say.quoteSources.changeNextTime],
        ] as const
      ).map(([text, source]) => ({ personId: d.personId, role: d.role, text: text.trim(), source })),
    ),
  ].filter((c) => c.text.length > 0);

  const speakers = [...new Set(candidates.map((c) => c.personId).filter((id): id is string => Boolean(id)))];
  const consenting = await peopleWhoMayBeQuoted(db, programmeId, speakers);
  const quotable: RawQuote[] = candidates
    .filter((c) => c.personId && consenting.has(c.personId))
    .map((c) => ({ role: c.role!, speaker: c.personId!, text: c.text, source: c.source }));
  return { ...labelQuotes(quotable, settings.minGroupSize), notQuoted: candidates.length - quotable.length };
}
