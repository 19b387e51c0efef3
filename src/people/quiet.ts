import type { CoreContext } from "../context.ts";
import { DAY } from "../clock.ts";
import type { Role } from "../roles.ts";

/**
 * Quiet members: people who have not taken part for a number of weeks. The
 * NDTi evaluation found people "deteriorated or died" between meetings and
 * nobody noticed. This is for a facilitator to check in kindly, by hand:
 * wesaid never nags the person itself.
 */

export const QUIET_ROLES: readonly Role[] = ["expert_by_experience", "professional", "commissioner"];
export const QUIET_WEEKS = { default: 4, min: 1, max: 52 } as const;

export type Member = { personId: string; name: string; role: Role; joinedAt: Date; pausedAt: Date | null; withdrew: boolean };
export type QuietMember = { name: string; role: Role; lastTookPart: Date | null; since: Date };
export type QuietList = { quiet: QuietMember[]; paused: number; withdrew: number };

/** Pure: who has done nothing since `now - weeks`, counting from when they joined. Paused and withdrawn people are only counted. */
export function whoIsQuiet(members: readonly Member[], lastTookPart: ReadonlyMap<string, Date>, now: Date, weeks: number): QuietList {
  const cutoff = now.getTime() - weeks * 7 * DAY;
  const list: QuietList = { quiet: [], paused: 0, withdrew: 0 };
  for (const m of members) {
    if (m.withdrew) {
      list.withdrew++;
      continue;
    }
    if (m.pausedAt) {
      list.paused++;
      continue;
    }
    const last = lastTookPart.get(m.personId) ?? null;
    const since = last && last > m.joinedAt ? last : m.joinedAt;
    if (since.getTime() <= cutoff) list.quiet.push({ name: m.name, role: m.role, lastTookPart: last, since });
  }
  list.quiet.sort((a, b) => a.since.getTime() - b.since.getTime() || a.name.localeCompare(b.name));
  return list;
}

/** Reads everyone's last time of taking part in a fixed number of queries, whatever the programme's size. */
export async function quietMembers(ctx: CoreContext, programmeId: string, weeks: number): Promise<QuietList> {
  const memberships = await ctx.db.membership.findMany({
    where: { programmeId, role: { in: [...QUIET_ROLES] } },
    select: { personId: true, role: true, joinedAt: true, person: { select: { displayName: true, preference: { select: { pausedAt: true } } } } },
  });
  const ids = memberships.map((m) => m.personId);
  const [contributions, reactions, signups, consents] = await Promise.all([
    ctx.db.contribution.groupBy({ by: ["personId"], where: { programmeId, personId: { in: ids } }, _max: { occurredAt: true } }),
    ctx.db.feedbackReaction.groupBy({ by: ["personId"], where: { update: { programmeId }, personId: { in: ids } }, _max: { reactedAt: true } }),
    ctx.db.tasterSignup.groupBy({ by: ["personId"], where: { taster: { programmeId }, personId: { in: ids } }, _max: { queuedAt: true } }),
    ctx.db.consentRecord.findMany({ where: { programmeId, personId: { in: ids }, kind: "participation" }, orderBy: { recordedAt: "desc" }, select: { personId: true, granted: true } }),
  ]);
  const last = new Map<string, Date>();
  const seen = (personId: string | null, at: Date | null) => {
    if (!personId || !at) return;
    const before = last.get(personId);
    if (!before || at > before) last.set(personId, at);
  };
  for (const c of contributions) seen(c.personId, c._max.occurredAt);
  for (const r of reactions) seen(r.personId, r._max.reactedAt);
  for (const s of signups) seen(s.personId, s._max.queuedAt);
  const newestConsent = new Map<string, boolean>();
  for (const c of consents) if (!newestConsent.has(c.personId)) newestConsent.set(c.personId, c.granted);
  const members: Member[] = memberships.map((m) => ({
    personId: m.personId,
    name: m.person.displayName,
    role: m.role,
    joinedAt: m.joinedAt,
    pausedAt: m.person.preference?.pausedAt ?? null,
    withdrew: newestConsent.get(m.personId) === false,
  }));
  return whoIsQuiet(members, last, ctx.clock.now(), weeks);
}
