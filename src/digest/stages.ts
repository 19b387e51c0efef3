import type { DbTx } from "../db/database.ts";
import type { Role } from "../roles.ts";
import { breakdown } from "../suppression.ts";
import type { ChangeFigure, Stage, StageChanges } from "./data.ts";
import { median, round } from "./rules.ts";

/**
 * NDTi-style before and after: series marked baseline, mid-point or end. A
 * person's answer at one stage is paired with their answer to the same
 * question (same words and scale) at a later stage; the change is shown by
 * role, with small groups hidden. Anonymous series keep no person, so cannot be paired.
 */

export const STAGES = ["baseline", "midpoint", "end"] as const satisfies readonly Stage[];
const PAIRS: readonly [Stage, Stage][] = [
  ["baseline", "midpoint"],
  ["baseline", "end"],
  ["midpoint", "end"],
];

export type StagedAnswer = { personId: string; role: Role | null; stage: Stage; question: string; min: number; max: number; number: number; answeredAt: Date };

export function changeFigure(changes: readonly number[]): ChangeFigure {
  const m = median(changes);
  return { people: changes.length, medianChange: m === null ? null : round(m) };
}

/** Pairs each person's answers between stages: the first answer at the baseline, the latest at later stages. */
export function stageChanges(answers: readonly StagedAnswer[], minGroupSize: number): StageChanges["changes"] {
  const chosen = new Map<string, StagedAnswer>();
  for (const a of answers) {
    const key = `${a.question}\u0000${a.min}\u0000${a.max}\u0000${a.stage}\u0000${a.personId}`;
    const seen = chosen.get(key);
    const replace = !seen || (a.stage === "baseline" ? a.answeredAt < seen.answeredAt : a.answeredAt > seen.answeredAt);
    if (replace) chosen.set(key, a);
  }
  const questions = [...new Map([...chosen.values()].map((a) => [`${a.question}\u0000${a.min}\u0000${a.max}`, a])).values()];
  const result: StageChanges["changes"] = [];
  for (const q of questions) {
    for (const [from, to] of PAIRS) {
      const at = (stage: Stage) => [...chosen.values()].filter((a) => a.stage === stage && a.question === q.question && a.min === q.min && a.max === q.max);
      const before = new Map(at(from).map((a) => [a.personId, a]));
      const pairs = at(to).flatMap((later) => {
        const earlier = before.get(later.personId);
        return earlier ? [{ personId: later.personId, role: later.role, change: later.number - earlier.number }] : [];
      });
      if (pairs.length === 0) continue;
      const figures = breakdown(pairs, { roleOf: (p) => p.role, personOf: (p) => p.personId, minGroupSize, summarise: (ps) => changeFigure(ps.map((p) => p.change)) });
      result.push({ question: q.question, min: q.min, max: q.max, from, to, allRoles: figures.allRoles, byRole: figures.rows });
    }
  }
  return result;
}

/** Reads the scale answers of the programme's staged series, up to `end`. A staged survey's occurrences each carry their own stage. */
export async function readStages(db: DbTx, programmeId: string, end: Date, minGroupSize: number): Promise<StageChanges> {
  const series = await db.promptSeries.findMany({ where: { programmeId, stage: { in: [...STAGES] } }, select: { id: true, title: true, stage: true, anonymous: true } });
  const named = series.filter((s) => !s.anonymous);
  const responses = await db.promptResponse.findMany({
    where: { occurrence: { seriesId: { in: named.map((s) => s.id) } }, personId: { not: null }, number: { not: null }, answeredAt: { lt: end } },
    select: { personId: true, role: true, number: true, answeredAt: true, occurrence: { select: { seriesId: true, stage: true } }, questionId: true },
  });
  const questions = await db.promptQuestion.findMany({ where: { seriesId: { in: named.map((s) => s.id) }, kind: "scale" }, select: { id: true, text: true, scaleMin: true, scaleMax: true } });
  const question = new Map(questions.map((q) => [q.id, q]));
  const stageOf = new Map(named.map((s) => [s.id, s.stage as Stage]));
  const answers: StagedAnswer[] = responses.flatMap((r) => {
    const q = question.get(r.questionId);
    return q ? [{ personId: r.personId!, role: r.role, stage: (r.occurrence.stage as Stage | null) ?? stageOf.get(r.occurrence.seriesId)!, question: q.text, min: q.scaleMin, max: q.scaleMax, number: r.number!, answeredAt: r.answeredAt }] : [];
  });
  return { changes: stageChanges(answers, minGroupSize), anonymousSeries: series.filter((s) => s.anonymous).map((s) => s.title).sort() };
}
