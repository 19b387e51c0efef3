import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { audit } from "../audit.ts";

/** Records a person's choices: may we store what they say, and may the evaluation team quote them. */
export async function recordConsent(ctx: CoreContext, p: { personId: string; programmeId: string; participation: boolean; quotation: boolean }) {
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    await tx.consentRecord.createMany({
      data: [
        { personId: p.personId, programmeId: p.programmeId, kind: "participation", granted: p.participation, policyVersion: ctx.settings.consentPolicyVersion, recordedAt: now },
        // Being quoted needs taking part: no stored words, nothing to quote.
        { personId: p.personId, programmeId: p.programmeId, kind: "quotation", granted: p.participation && p.quotation, policyVersion: ctx.settings.consentPolicyVersion, recordedAt: now },
      ],
    });
    await audit(tx, now, p.personId, "consent.record", "Person", p.personId, { programmeId: p.programmeId, participation: p.participation, quotation: p.quotation });
  });
}

/**
 * Of these people, those whose newest choice in the programme is "yes, you may
 * quote me" — read for everyone in one query.
 */
export async function peopleWhoMayBeQuoted(db: DbTx, programmeId: string, personIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Set();
  const records = await db.consentRecord.findMany({
    where: { programmeId, personId: { in: ids }, kind: "quotation" },
    orderBy: { recordedAt: "desc" },
    select: { personId: true, granted: true },
  });
  const newest = new Map<string, boolean>();
  for (const r of records) if (!newest.has(r.personId)) newest.set(r.personId, r.granted);
  return new Set([...newest].filter(([, granted]) => granted).map(([personId]) => personId));
}
