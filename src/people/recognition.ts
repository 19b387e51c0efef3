import type { CoreContext, CoreSettings } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { audit, auditRead } from "../audit.ts";
import type { Role } from "../roles.ts";
import { contributionLine } from "./catalogue.ts";
import { contributionTotals, type Rate } from "./rules.ts";

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

/** The time a person has given, in total and by kind (in one programme, when given). */
export async function contributionSummary(db: DbTx, personId: string, programmeId?: string) {
  const rows = await db.contribution.groupBy({
    by: ["kind"],
    where: { personId, ...(programmeId ? { programmeId } : {}) },
    _sum: { minutes: true },
    _count: { _all: true },
    _min: { occurredAt: true },
    _max: { occurredAt: true },
  });
  const totalMinutes = rows.reduce((sum, r) => sum + (r._sum.minutes ?? 0), 0);
  const activities = rows.reduce((sum, r) => sum + r._count._all, 0);
  const lines = rows.map((r) => contributionLine(r.kind, r._count._all));
  const times = rows.flatMap((r) => [r._min.occurredAt, r._max.occurredAt]).filter((d): d is Date => Boolean(d)).map((d) => d.getTime());
  const from = times.length ? new Date(Math.min(...times)) : null;
  const to = times.length ? new Date(Math.max(...times)) : null;
  return { totalMinutes, activities, lines, from, to };
}

export async function ratesOf(db: DbTx, programmeId: string): Promise<Rate[]> {
  return db.contributionRate.findMany({ where: { programmeId }, select: { role: true, pencePerHour: true, pencePerActivity: true } });
}

/** Sets one part of a role's rate (per hour or per activity), keeping the other part, and records who changed it. */
export async function setRate(ctx: CoreContext, p: { programmeId: string; role: Role; per: "hour" | "activity"; pence: number; actorId: string }) {
  const now = ctx.clock.now();
  const field = p.per === "hour" ? "pencePerHour" : "pencePerActivity";
  await ctx.db.$transaction(async (tx) => {
    await tx.contributionRate.upsert({
      where: { programmeId_role: { programmeId: p.programmeId, role: p.role } },
      create: { programmeId: p.programmeId, role: p.role, [field]: p.pence, updatedAt: now },
      update: { [field]: p.pence, updatedAt: now },
    });
    await audit(tx, now, p.actorId, "recognition.rate", "Programme", p.programmeId, { role: p.role, per: p.per, pence: p.pence });
  });
}

/**
 * Everyone's time in a programme at its rates, for payment or vouchers: by role and by person.
 * The per-person lines name people, so the read is audited (who read, which programme).
 */
export async function programmeTotals(ctx: CoreContext, programmeId: string, readerId: string) {
  const [grouped, members, rates] = await Promise.all([
    ctx.db.contribution.groupBy({ by: ["personId"], where: { programmeId }, _sum: { minutes: true }, _count: { _all: true } }),
    ctx.db.membership.findMany({ where: { programmeId }, select: { personId: true, role: true, person: { select: { displayName: true } } } }),
    ratesOf(ctx.db, programmeId),
  ]);
  const memberOf = new Map(members.map((m) => [m.personId, m]));
  const people = grouped.flatMap((g) => {
    const m = memberOf.get(g.personId);
    return m ? [{ personId: g.personId, name: m.person.displayName, role: m.role, minutes: g._sum.minutes ?? 0, activities: g._count._all }] : [];
  });
  await auditRead(ctx.db, ctx.clock.now(), readerId, { kind: "contributions", programmeId });
  return { ...contributionTotals(people, rates), rates };
}
