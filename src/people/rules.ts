import { roleCan, ROLES, SELF_CHOSEN_ROLES, type Role } from "../roles.ts";

/**
 * Who may set up a programme: anyone may set up the first one of an
 * installation; after that, only someone whose role in some programme has
 * "programme.setup" (facilitators and admins).
 */
export function maySetUpProgramme(p: { programmesExist: boolean; rolesHeld: readonly Role[] }): boolean {
  return !p.programmesExist || p.rolesHeld.some((role) => roleCan(role, "programme.setup"));
}

/** Roles a person may choose for themselves when joining. */
export function maySelfChoose(role: Role): boolean {
  return SELF_CHOSEN_ROLES.includes(role);
}

/** A programme's rate for one role: money for each hour given, and for each activity taken part in. */
export type Rate = { role: Role; pencePerHour: number; pencePerActivity: number };
export type PersonTime = { personId: string; name: string; role: Role; minutes: number; activities: number };

/** "£25", "25.50", "£7.5" as pence; anything else is not an amount. */
export function penceOf(amount: string): number | null {
  const m = /^£?\s*(\d{1,6})(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

/** What one person's time comes to at their role's rate, in whole pence (no rate: nothing). */
export function amountFor(rate: Rate | undefined, minutes: number, activities: number): number {
  if (!rate) return 0;
  return Math.round((minutes * rate.pencePerHour) / 60) + activities * rate.pencePerActivity;
}

/** Totals by role (in the roles' order) and a line per person (most time first), at the programme's own rates. */
export function contributionTotals(people: readonly PersonTime[], rates: readonly Rate[]) {
  const rateOf = new Map(rates.map((r) => [r.role, r]));
  const lines = people
    .map((p) => ({ ...p, pence: amountFor(rateOf.get(p.role), p.minutes, p.activities) }))
    .sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name));
  const roles = ROLES.map((role) => {
    const of = lines.filter((l) => l.role === role);
    return {
      role,
      people: of.length,
      minutes: of.reduce((s, l) => s + l.minutes, 0),
      activities: of.reduce((s, l) => s + l.activities, 0),
      pence: of.reduce((s, l) => s + l.pence, 0),
    };
  }).filter((r) => r.people > 0);
  return { roles, people: lines, totalPence: lines.reduce((s, l) => s + l.pence, 0) };
}
