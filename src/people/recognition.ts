import type { CoreSettings } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { contributionLine } from "./catalogue.ts";

/** Records time a person gave (once per source), in the minutes the settings give each kind. */
export async function recordContribution(
  tx: DbTx,
  settings: CoreSettings,
  p: { personId: string; programmeId: string; kind: keyof CoreSettings["contributionMinutes"]; sourceRef: string; occurredAt: Date },
): Promise<void> {
  await tx.contribution.createMany({
    skipDuplicates: true,
    data: [{ ...p, minutes: settings.contributionMinutes[p.kind] }],
  });
}

/** The time a person has given, in total and by kind. */
export async function contributionSummary(db: DbTx, personId: string) {
  const rows = await db.contribution.groupBy({ by: ["kind"], where: { personId }, _sum: { minutes: true }, _count: { _all: true } });
  const totalMinutes = rows.reduce((sum, r) => sum + (r._sum.minutes ?? 0), 0);
  const lines = rows.map((r) => contributionLine(r.kind, r._count._all));
  return { totalMinutes, lines };
}
