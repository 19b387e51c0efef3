import { z } from "zod";
import { DAY } from "../clock.ts";
import type { DbTx } from "../db/database.ts";
import { ROLES } from "../roles.ts";
import type { Activity } from "./rules.ts";

/**
 * "Who took part", read as the weeks in which each person, in each role, did
 * each kind of activity, grouped in the database: a programme may hold
 * hundreds of thousands of answers, and every figure made from them (this
 * week's people, continuity, the trend) only asks who did what in which week.
 * Weeks start on Monday, in UTC, as weekStart in src/time.ts.
 *
 * One row comes back per person, role and kind, with its weeks as whole days
 * since 1970-01-01: a row per week (13,600 at the bench's full size) cost a
 * third as much again as the grouping, only to be passed through the driver.
 */

const activityRow = z.object({
  personId: z.string(),
  role: z.enum(ROLES),
  kind: z.enum(["answer", "suggestion", "taster", "panel"]),
  weeks: z.array(z.number().int()),
});

/**
 * Everything people did in the programme before `end`, from each loop's own
 * table: one activity per person, role, kind and week, at the start of that
 * week (the figures ask only which week; what happened from `end` on is left out).
 */
export async function activitiesBefore(db: DbTx, programmeId: string, end: Date): Promise<Activity[]> {
  // Anonymous answers count for nobody: nothing records who gave them, or when (see src/prompts/answers.ts).
  // A panel member counts unless marked absent: attendance is not always recorded (NULL is not false in SQL).
  const rows = await db.$queryRaw<unknown[]>`
    SELECT w."personId", w."role", w."kind", array_agg(w."week") AS "weeks"
      FROM (
        SELECT a."personId", a."role"::text AS "role", a."kind", date_trunc('week', a."at")::date - date '1970-01-01' AS "week"
          FROM (
            SELECT d."personId", d."role", 'answer' AS "kind", d."answeredAt" AS "at"
              FROM "PromptDelivery" d
              JOIN "PromptOccurrence" o ON o."id" = d."occurrenceId"
              JOIN "PromptSeries" s ON s."id" = o."seriesId"
             WHERE s."programmeId" = ${programmeId} AND d."answeredAt" < ${end}
            UNION ALL
            SELECT r."personId", r."role", 'answer', r."answeredAt"
              FROM "PromptResponse" r
              JOIN "PromptOccurrence" o ON o."id" = r."occurrenceId"
              JOIN "PromptSeries" s ON s."id" = o."seriesId"
             WHERE s."programmeId" = ${programmeId} AND r."personId" IS NOT NULL AND r."role" IS NOT NULL AND r."answeredAt" < ${end}
            UNION ALL
            SELECT i."raisedById", i."raisedByRole", 'suggestion', i."createdAt"
              FROM "FeedbackItem" i
             WHERE i."programmeId" = ${programmeId} AND i."raisedById" IS NOT NULL AND i."createdAt" < ${end}
            UNION ALL
            SELECT t."personId", t."role", 'taster', ta."startsAt"
              FROM "TasterSignup" t
              JOIN "Taster" ta ON ta."id" = t."tasterId"
             WHERE ta."programmeId" = ${programmeId} AND ta."startsAt" < ${end} AND t."attended" = true
            UNION ALL
            SELECT m."personId", m."role", 'panel', p."startsAt"
              FROM "PanelMember" m
              JOIN "Panel" p ON p."id" = m."panelId"
             WHERE p."programmeId" = ${programmeId} AND p."startsAt" < ${end} AND (m."attended" IS NULL OR m."attended" = true)
            UNION ALL
            SELECT b."personId", b."role", 'panel', b."submittedAt"
              FROM "DebriefResponse" b
              JOIN "Panel" p ON p."id" = b."panelId"
             WHERE p."programmeId" = ${programmeId} AND b."personId" IS NOT NULL AND b."submittedAt" < ${end}
          ) a
         GROUP BY 1, 2, 3, 4
      ) w
     GROUP BY w."personId", w."role", w."kind"`;
  return z.array(activityRow).parse(rows).flatMap((r) => r.weeks.map((week) => ({ personId: r.personId, role: r.role, kind: r.kind, at: new Date(week * DAY) })));
}
