import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import { ROLES } from "../roles.ts";
import { STEPS } from "./rules.ts";

/**
 * The people who may be due a step, in one statement (it runs every minute): members who joined in the window,
 * in programmes with the induction on, where something happened between the programme's set-up and their joining
 * (an idea, a "we did", questions sent, a taster or a panel), who have not had the last step. History dated before
 * the set-up makes nobody a late joiner. (The demo's made-up weeks move its set-up back to their start, so the demo
 * dates its cast's joining there: only its late joiner gets the introduction.) With each: when they first
 * said yes to taking part, and the last step claimed for them (steps go in order, so that is all the rule needs).
 */
const newcomerRow = z.object({
  personId: z.string(),
  programmeId: z.string(),
  joinedAt: z.date(),
  role: z.enum(ROLES),
  consentedAt: z.date().nullable(),
  lastStep: z.number().int().nullable(),
  lastSentAt: z.date().nullable(),
});
export type Newcomer = z.infer<typeof newcomerRow>;

export async function newcomersSince(db: DbTx, since: Date, now: Date, limit: number): Promise<Newcomer[]> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT m."personId", m."programmeId", m."joinedAt", m."role"::text AS "role",
           (SELECT min(c."recordedAt") FROM "ConsentRecord" c
             WHERE c."personId" = m."personId" AND c."programmeId" = m."programmeId" AND c."kind" = 'participation' AND c."granted") AS "consentedAt",
           last."step" AS "lastStep", last."sentAt" AS "lastSentAt"
      FROM "Membership" m
      JOIN "Programme" p ON p."id" = m."programmeId" AND p."inductionOn"
      LEFT JOIN LATERAL (
        SELECT s."step", s."sentAt" FROM "InductionStep" s
         WHERE s."personId" = m."personId" AND s."programmeId" = m."programmeId"
         ORDER BY s."step" DESC LIMIT 1
      ) last ON true
     WHERE m."joinedAt" >= ${since} AND m."joinedAt" <= ${now}
       AND (last."step" IS NULL OR last."step" < ${STEPS.length - 1})
       AND (EXISTS (SELECT 1 FROM "FeedbackItem" i WHERE i."programmeId" = m."programmeId" AND i."createdAt" >= p."createdAt" AND i."createdAt" < m."joinedAt")
         OR EXISTS (SELECT 1 FROM "FeedbackUpdate" u WHERE u."programmeId" = m."programmeId" AND u."postedAt" >= p."createdAt" AND u."postedAt" < m."joinedAt")
         OR EXISTS (SELECT 1 FROM "PromptOccurrence" o JOIN "PromptSeries" ps ON ps."id" = o."seriesId"
                     WHERE ps."programmeId" = m."programmeId" AND o."scheduledFor" >= p."createdAt" AND o."scheduledFor" < m."joinedAt")
         OR EXISTS (SELECT 1 FROM "Taster" t WHERE t."programmeId" = m."programmeId" AND t."createdAt" >= p."createdAt" AND t."createdAt" < m."joinedAt")
         OR EXISTS (SELECT 1 FROM "Panel" x WHERE x."programmeId" = m."programmeId" AND x."createdAt" >= p."createdAt" AND x."createdAt" < m."joinedAt"))
     ORDER BY m."joinedAt", m."id"
     LIMIT ${limit}`;
  return z.array(newcomerRow).parse(rows);
}
