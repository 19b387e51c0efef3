import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import { ROLES } from "../roles.ts";
import type { PeopleByRole, RoleKey } from "../suppression.ts";
import type { OccurrenceCounts, ValueCounts } from "./rules.ts";

/**
 * This week's prompts, counted in the database: a week may hold thousands of
 * deliveries and answers, and its figures only ask how many of each role were
 * sent a question or answered it, and how many gave each value of a scale
 * (a 0-10 scale has 11), from which the mean and median are exact.
 */

const role = z.enum(ROLES).nullable();
const deliveryRow = z.object({ occurrenceId: z.string(), role: z.enum(ROLES), sent: z.number().int(), answered: z.number().int() });
const keyRow = z.object({ occurrenceId: z.string(), role, people: z.number().int() });
const valueRow = z.object({ occurrenceId: z.string(), questionId: z.string(), role, number: z.number().int(), answers: z.number().int() });

export async function promptCounts(
  db: DbTx,
  occurrences: readonly { id: string; anonymous: boolean }[],
  scaleQuestionIds: readonly string[],
  end: Date,
): Promise<Map<string, OccurrenceCounts>> {
  const counts = new Map<string, OccurrenceCounts>(occurrences.map((o) => [o.id, { sent: 0, answeredBy: {}, scaleValues: new Map() }]));
  if (occurrences.length === 0) return counts;
  const ids = occurrences.map((o) => o.id);
  const anonymous = new Set(occurrences.filter((o) => o.anonymous).map((o) => o.id));
  const add = (people: PeopleByRole, key: RoleKey, n: number) => (people[key] = (people[key] ?? 0) + n);

  const deliveries = deliveryRow.array().parse(
    await db.$queryRawUnsafe(
      `SELECT d."occurrenceId", d."role"::text AS "role",
              (count(*) FILTER (WHERE d."sentAt" < $2))::int AS "sent", (count(*) FILTER (WHERE d."answeredAt" < $2))::int AS "answered"
         FROM "PromptDelivery" d
        WHERE d."occurrenceId" = ANY($1::text[])
        GROUP BY d."occurrenceId", d."role"`,
      ids,
      end,
    ),
  );
  for (const row of deliveries) {
    const c = counts.get(row.occurrenceId)!;
    c.sent += row.sent;
    // One delivery a person an occurrence (unique), so answered deliveries count people.
    if (!anonymous.has(row.occurrenceId) && row.answered > 0) add(c.answeredBy, row.role, row.answered);
  }

  if (anonymous.size > 0) {
    // Anonymous answers leave no mark on the delivery: one person's answers share a key, so keys count people,
    // each under the role of their latest answer.
    const keys = keyRow.array().parse(
      await db.$queryRawUnsafe(
        `SELECT k."occurrenceId", k."role", count(*)::int AS "people"
           FROM (SELECT DISTINCT ON (r."occurrenceId", r."responseKey") r."occurrenceId", r."role"::text AS "role"
                   FROM "PromptResponse" r
                  WHERE r."occurrenceId" = ANY($1::text[]) AND r."answeredAt" < $2
                  ORDER BY r."occurrenceId", r."responseKey", r."answeredAt" DESC, r."questionId" DESC) k
          GROUP BY k."occurrenceId", k."role"`,
        [...anonymous],
        end,
      ),
    );
    for (const row of keys) add(counts.get(row.occurrenceId)!.answeredBy, row.role ?? "none", row.people);
  }

  if (scaleQuestionIds.length > 0) {
    const values = valueRow.array().parse(
      await db.$queryRawUnsafe(
        `SELECT r."occurrenceId", r."questionId", r."role"::text AS "role", r."number", count(*)::int AS "answers"
           FROM "PromptResponse" r
          WHERE r."occurrenceId" = ANY($1::text[]) AND r."questionId" = ANY($2::text[]) AND r."answeredAt" < $3 AND r."number" IS NOT NULL
          GROUP BY r."occurrenceId", r."questionId", r."role", r."number"`,
        ids,
        [...scaleQuestionIds],
        end,
      ),
    );
    for (const row of values) {
      const byQuestion = counts.get(row.occurrenceId)!.scaleValues;
      const byRole: ValueCounts = byQuestion.get(row.questionId) ?? {};
      byQuestion.set(row.questionId, byRole);
      (byRole[row.role ?? "none"] ??= []).push([row.number, row.answers]);
    }
  }
  return counts;
}
