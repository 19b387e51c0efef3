import { ROLES, type Role } from "../roles.ts";
import { allRolesFigure, groupRoles, publishValues, totalPeople, type PeopleByRole, type RoleKey, type ValueRow } from "../suppression.ts";

/** The rules of member checks as pure functions of (check, now). Nothing here reads a clock or a database. */

export const VERDICTS = ["yes", "partly", "no"] as const;
export type Verdict = (typeof VERDICTS)[number];
export type VerdictCounts = Record<Verdict, number>;

/** A check is a draft until sent, then open until its closing date (if it has one), then closed. */
export function checkState(check: { sentAt: Date | null; closesAt: Date | null }, now: Date): "draft" | "open" | "closed" {
  if (!check.sentAt) return "draft";
  return check.closesAt && now.getTime() > check.closesAt.getTime() ? "closed" : "open";
}

/** A closing date must be after now: otherwise nobody could answer. */
export function closesInFuture(closesAt: Date | undefined, now: Date): boolean {
  return !closesAt || closesAt.getTime() > now.getTime();
}

export function verdictCounts(responses: readonly { verdict: string }[]): VerdictCounts {
  const counts: VerdictCounts = { yes: 0, partly: 0, no: 0 };
  for (const r of responses) if (r.verdict in counts) counts[r.verdict as Verdict]++;
  return counts;
}

/** People asked per role, counted as it was sent; anything unreadable counts as nobody. */
export function askedByRole(stored: unknown): PeopleByRole {
  const out: PeopleByRole = {};
  if (!stored || typeof stored !== "object") return out;
  for (const role of ROLES) {
    const n = (stored as Record<string, unknown>)[role];
    if (typeof n === "number" && Number.isInteger(n) && n > 0) out[role] = n;
  }
  return out;
}

export function countRoles(roles: readonly Role[]): PeopleByRole {
  const out: PeopleByRole = {};
  for (const role of roles) out[role] = (out[role] ?? 0) + 1;
  return out;
}

/** Those asked who have not answered: never below 0 (someone who joined late may answer a forwarded check). */
export function noReply(asked: number, answered: number): number {
  return Math.max(0, asked - answered);
}

export type CheckFigures = VerdictCounts & { noReply: number };
export type CheckBreakdown = { asked: number | null; all: CheckFigures | null; byRole: ValueRow<CheckFigures>[] };

/**
 * Yes / partly / no / no reply by the role of the people asked, under the small-group rule
 * (src/suppression.ts): groups are made from who was asked, so "no reply" is never left to guess.
 */
export function checkBreakdown(asked: PeopleByRole, responses: readonly { role: Role; verdict: string }[], minGroupSize: number): CheckBreakdown {
  const groups = groupRoles(asked, minGroupSize);
  const figures = (roles: RoleKey[] | null): CheckFigures => {
    const mine = roles ? responses.filter((r) => roles.includes(r.role)) : responses;
    const people = (roles ?? (Object.keys(asked) as RoleKey[])).reduce((sum, role) => sum + (asked[role] ?? 0), 0);
    return { ...verdictCounts(mine), noReply: noReply(people, mine.length) };
  };
  return { asked: totalPeople(groups), all: allRolesFigure(groups, () => figures(null)), byRole: publishValues(groups, (roles) => figures(roles)) };
}
