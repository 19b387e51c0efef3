import type { Role } from "../roles.ts";
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

/** The outbox key of the check sent to one person: one message each, so "asked" can be read from what was delivered (asked.ts). */
export const ASK_KEY_PREFIX = "membercheck:";
export const askKey = (checkId: string, personId: string): string => `${ASK_KEY_PREFIX}${checkId}:${personId}`;

/**
 * People asked, by role: those it was delivered to who have not answered (by their role now), and
 * those who answered (by the role they answered in), so nobody is counted twice and an answer always
 * has someone asked behind it.
 */
export function askedPeople(unanswered: readonly { role: Role; people: number }[], answered: readonly { role: Role }[]): PeopleByRole {
  const out: PeopleByRole = {};
  for (const u of unanswered) if (u.people > 0) out[u.role] = (out[u.role] ?? 0) + u.people;
  for (const a of answered) out[a.role] = (out[a.role] ?? 0) + 1;
  return out;
}

/** Those asked who have not answered: never below 0. */
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
