import type { DbTx } from "../db/database.ts";
import { askedByCheck } from "./asked.ts";
import { checkBreakdown, type CheckBreakdown } from "./rules.ts";

/** A member check in the weekly digest: its figures as at the end of the week, under the small-group rule. */
export type DigestCheck = CheckBreakdown & { title: string; sentAt: string; closesAt: string | null; open: boolean };

/** Checks shown in one digest: at most this many, newest first. */
const DIGEST_CHECKS = 20;

/**
 * Checks sent in the week, or sent before it and still open during it. Answers given, and messages
 * delivered, after `end` are not counted, so a stored digest says what was known then. Two reads.
 */
export async function checksForDigest(db: DbTx, programmeId: string, w: { from: Date; end: Date }, minGroupSize: number): Promise<DigestCheck[]> {
  const checks = await db.memberCheck.findMany({
    where: { programmeId, sentAt: { not: null, lt: w.end }, OR: [{ closesAt: null }, { closesAt: { gte: w.from } }] },
    orderBy: { sentAt: "desc" },
    take: DIGEST_CHECKS,
    select: { id: true, title: true, sentAt: true, closesAt: true, responses: { where: { answeredAt: { lt: w.end } }, select: { role: true, verdict: true, answeredAt: true } } },
  });
  const asked = await askedByCheck(db, checks, w.end);
  return checks.map((c) => ({
    title: c.title,
    sentAt: c.sentAt!.toISOString(),
    closesAt: c.closesAt?.toISOString() ?? null,
    open: !c.closesAt || c.closesAt > w.end,
    ...checkBreakdown(asked.get(c.id)!, c.responses, minGroupSize),
  }));
}
