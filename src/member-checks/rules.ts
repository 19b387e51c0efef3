import { ROLES, type Role } from "../roles.ts";
import type { PeopleByRole } from "../suppression.ts";

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
