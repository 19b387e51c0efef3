import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import { ROLES, type Role } from "../roles.ts";
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

const stagedRow = z.object({
  personId: z.string(),
  role: z.enum(ROLES).nullable(),
  stage: z.enum(STAGES),
  question: z.string(),
  min: z.number().int(),
  max: z.number().int(),
  number: z.number().int(),
  /** When it was answered, in seconds since 1970 (to the millisecond, as stored). */
  epoch: z.number(),
});

/**
 * Reads the scale answers of the programme's staged series, up to `end`: only
 * the answer stageChanges would keep for each person, question and stage (the
 * first at the baseline, the latest later on), chosen in the database, so a
 * series answered every week is one row per person, not one per answer. A
 * staged survey's rounds each carry their own stage, read before the series' mark.
 */
export async function readStages(db: DbTx, programmeId: string, end: Date, minGroupSize: number): Promise<StageChanges> {
  const series = await db.promptSeries.findMany({ where: { programmeId, stage: { in: [...STAGES] } }, select: { title: true, anonymous: true } });
  // Grouped by person and question only, each stage its own filtered aggregate: the planner then expects one
  // group a person (not one an answer), so hashes them in memory instead of sorting every answer, which
  // spills to disk under the default 4 MB work_mem. min or max of [when, number, role's place in ROLES]
  // picks the first or latest answer, with its number and role; the stages are then turned back into rows.
  // The time comes from the pick too: its own min and max cost a quarter of the query on PGlite.
  const roles = [...ROLES];
  const rows = await db.$queryRaw<unknown[]>`
    SELECT g."personId", (${roles}::text[])[g."pick"[3]] AS "role", g."stage", g."question", g."min", g."max",
           g."pick"[2]::int AS "number", g."pick"[1] AS "epoch"
      FROM (
        SELECT a."personId", v."stage", q."text" AS "question", q."scaleMin" AS "min", q."scaleMax" AS "max",
               CASE WHEN v."stage" = 'baseline' THEN min(v."pick") ELSE max(v."pick") END AS "pick"
          FROM (
            SELECT r."personId", r."questionId",
                   min(r."pick") FILTER (WHERE r."stage" = 'baseline') AS "baseline",
                   max(r."pick") FILTER (WHERE r."stage" = 'midpoint') AS "midpoint",
                   max(r."pick") FILTER (WHERE r."stage" = 'end') AS "end"
              FROM (
                SELECT r."personId", r."questionId", COALESCE(o."stage", s."stage") AS "stage",
                       ARRAY[date_part('epoch', r."answeredAt"), r."number", array_position(${roles}::text[], r."role"::text)] AS "pick"
                  FROM "PromptResponse" r
                  JOIN "PromptOccurrence" o ON o."id" = r."occurrenceId"
                  JOIN "PromptSeries" s ON s."id" = o."seriesId"
                 WHERE s."programmeId" = ${programmeId} AND s."stage" IN ('baseline', 'midpoint', 'end') AND NOT s."anonymous"
                   AND r."personId" IS NOT NULL AND r."number" IS NOT NULL AND r."answeredAt" < ${end}
              ) r
             GROUP BY r."personId", r."questionId"
          ) a
          CROSS JOIN LATERAL (VALUES ('baseline', a."baseline"), ('midpoint', a."midpoint"), ('end', a."end")) v("stage", "pick")
          JOIN "PromptQuestion" q ON q."id" = a."questionId"
         WHERE q."kind" = 'scale' AND v."pick" IS NOT NULL
         GROUP BY a."personId", v."stage", q."text", q."scaleMin", q."scaleMax"
      ) g
     ORDER BY g."pick"[1], g."personId"`;
  const answers: StagedAnswer[] = z.array(stagedRow).parse(rows).map(({ epoch, ...a }) => ({ ...a, answeredAt: new Date(Math.round(epoch * 1000)) }));
  return { changes: stageChanges(answers, minGroupSize), anonymousSeries: series.filter((s) => s.anonymous).map((s) => s.title).sort() };
}
