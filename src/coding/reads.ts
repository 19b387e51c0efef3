import type { DbTx } from "../db/database.ts";
import type { Role } from "../roles.ts";
import { countBreakdown, type CountRow } from "../suppression.ts";
import { joinCodes } from "./rules.ts";

/** The codes given to each of these answers, ideas or debriefs, as an export cell ("ladder:informing; own:trust"). */
export async function codesFor(db: DbTx, targetIds: readonly string[]): Promise<Map<string, string>> {
  if (targetIds.length === 0) return new Map();
  const given = await db.codeAssignment.findMany({ where: { targetId: { in: [...new Set(targetIds)] } }, select: { targetId: true, code: { select: { key: true } } } });
  const keys = new Map<string, string[]>();
  for (const g of given) keys.set(g.targetId, [...(keys.get(g.targetId) ?? []), g.code.key]);
  return new Map([...keys].map(([id, list]) => [id, joinCodes(list)]));
}

/** The separate codes export: one row per code given, with no person in it. */
export async function codeExportRows(db: DbTx, programme: { id: string; name: string }, range: { from: Date; end: Date }, after: string | undefined, take: number) {
  const given = await db.codeAssignment.findMany({
    where: { code: { programmeId: programme.id }, codedAt: { gte: range.from, lt: range.end }, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
    include: { code: true },
  });
  return given.map((g) => ({
    id: g.id,
    row: {
      assignment_id: g.id,
      programme_id: programme.id,
      programme: programme.name,
      kind: g.kind,
      target_id: g.targetId,
      code: g.code.key,
      code_label: g.code.label,
      framework: g.code.framework ?? "",
      code_retired: g.code.retiredAt ? "yes" : "no",
      coded_at: g.codedAt.toISOString(),
    },
  }));
}

/** How often a code was given, and by the role of the people whose words it was given to. */
export type CodeCount = { key: string; label: string; given: number | null; people: number | null; byRole: CountRow[] };

/**
 * Every code given so far (up to `end`), counted by the role of the people who
 * said what was coded, under the small-group rule: a code whose breakdown would
 * point at fewer than N people shows no numbers at all.
 */
export async function codeCounts(db: DbTx, programmeId: string, end: Date, minGroupSize: number): Promise<CodeCount[]> {
  // One statement: the digest is built from a fixed handful (test/core/statements.test.ts).
  const given = await db.$queryRaw<{ codeId: string; key: string; label: string; role: Role | null; person: string }[]>`
    SELECT a."codeId", c."key", c."label",
      COALESCE(r."role"::text, i."raisedByRole"::text, d."role"::text, m."role"::text) AS "role",
      COALESCE(r."personId", 'key:' || r."responseKey", i."raisedById", 'idea:' || i."id", d."personId", 'debrief:' || d."id", m."personId", 'check:' || m."id") AS "person"
    FROM "CodeAssignment" a
    JOIN "Code" c ON c."id" = a."codeId"
    LEFT JOIN "PromptResponse" r ON r."id" = a."responseId"
    LEFT JOIN "FeedbackItem" i ON i."id" = a."itemId"
    LEFT JOIN "DebriefResponse" d ON d."id" = a."debriefId"
    LEFT JOIN "MemberCheckResponse" m ON m."id" = a."checkResponseId"
    WHERE c."programmeId" = ${programmeId} AND a."codedAt" < ${end}`;
  type Said = { role: Role | null; person: string };
  const byCode = new Map<string, { key: string; label: string; said: Said[] }>();
  for (const g of given) {
    const entry = byCode.get(g.codeId) ?? { key: g.key, label: g.label, said: [] };
    entry.said.push({ role: g.role, person: g.person });
    byCode.set(g.codeId, entry);
  }
  return [...byCode.values()]
    .map((c) => {
      const { rows, people } = countBreakdown(c.said, { roleOf: (s) => s.role, personOf: (s) => s.person, minGroupSize });
      return { key: c.key, label: c.label, given: people === null ? null : c.said.length, people, byRole: rows };
    })
    .sort((a, b) => (b.given ?? -1) - (a.given ?? -1) || a.label.localeCompare(b.label));
}
