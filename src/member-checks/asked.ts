import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import { PARTICIPANT_ROLES, ROLES } from "../roles.ts";
import type { PeopleByRole } from "../suppression.ts";
import { askedPeople, ASK_KEY_PREFIX } from "./rules.ts";

/**
 * Who was asked a check, worked out from what was delivered, not from a count kept when it was sent:
 * a person counts once the outbox has sent them the check (status "sent"), while they are still taking
 * part and not forgotten; and anyone who answered counts, by the role they answered in (an answer
 * means they were asked). A send that failed, was held back or is still waiting counts nobody, and
 * someone who leaves or is forgotten stops counting. `end`: as known then (the digest's week); without
 * it, as known now. One statement for any number of checks.
 */

const unanswered = z.object({ checkId: z.string(), role: z.enum(ROLES), people: z.number().int() });

export async function askedByCheck(
  db: DbTx,
  checks: readonly { id: string; responses: readonly { role: (typeof ROLES)[number]; answeredAt: Date }[] }[],
  end?: Date,
): Promise<Map<string, PeopleByRole>> {
  const out = new Map<string, PeopleByRole>();
  if (checks.length === 0) return out;
  // The key is the one sendCheck gives each person's message (askKey in rules.ts): the unique index finds it.
  const rows = unanswered.array().parse(
    await db.$queryRawUnsafe(
      `SELECT c."id" AS "checkId", m."role"::text AS "role", count(*)::int AS "people"
         FROM "MemberCheck" c
         JOIN "Membership" m ON m."programmeId" = c."programmeId" AND m."role"::text = ANY($3::text[])
         JOIN "Person" p ON p."id" = m."personId" AND p."erasedAt" IS NULL
         JOIN "OutboxMessage" o ON o."key" = $4 || c."id" || ':' || m."personId"
        WHERE c."id" = ANY($1::text[]) AND o."status" = 'sent' AND ($2::timestamp(3) IS NULL OR o."sentAt" < $2)
          AND NOT EXISTS (SELECT 1 FROM "MemberCheckResponse" r
                           WHERE r."memberCheckId" = c."id" AND r."personId" = m."personId" AND ($2::timestamp(3) IS NULL OR r."answeredAt" < $2))
        GROUP BY c."id", m."role"`,
      checks.map((c) => c.id),
      end ?? null,
      [...PARTICIPANT_ROLES],
      ASK_KEY_PREFIX,
    ),
  );
  for (const check of checks) {
    const answered = check.responses.filter((r) => !end || r.answeredAt < end);
    out.set(check.id, askedPeople(rows.filter((r) => r.checkId === check.id), answered));
  }
  return out;
}
