import { DAY, HOUR } from "../clock.ts";
import type { FeedbackStatus } from "../generated/prisma/enums.ts";
import type { Role } from "../roles.ts";

/**
 * The rules of the "you said, we did" loop as data and pure functions of
 * (item, now, settings). Nothing here reads a clock or a database.
 */

export type { FeedbackStatus };

export const FEEDBACK_STATUSES = ["received", "considering", "agreed", "done", "not_possible"] as const satisfies readonly FeedbackStatus[];

/** Items still waiting for something to happen. */
export const OPEN_STATUSES = ["received", "considering", "agreed"] as const satisfies readonly FeedbackStatus[];

/**
 * Where an item may go from each status. Change a row to change the process.
 * done and not_possible are final: a new idea is raised instead of reopening.
 */
export const ALLOWED_TRANSITIONS: Record<FeedbackStatus, readonly FeedbackStatus[]> = {
  received: ["considering", "agreed", "not_possible"],
  considering: ["agreed", "not_possible"],
  agreed: ["done", "not_possible"],
  done: [],
  not_possible: [],
};

/** Statuses that need a reason in plain words, so the person who raised it learns why. */
export const REASON_REQUIRED: readonly FeedbackStatus[] = ["not_possible"];

/** An item nobody has taken on for this long is brought to the facilitators, once. */
export const UNOWNED_NUDGE_AFTER_DAYS = 7;

export function isOpen(status: FeedbackStatus): boolean {
  return (OPEN_STATUSES as readonly FeedbackStatus[]).includes(status);
}

export function nextStatuses(from: FeedbackStatus): readonly FeedbackStatus[] {
  return ALLOWED_TRANSITIONS[from];
}

export type TransitionCheck = { ok: true } | { ok: false; problem: "same" | "not_allowed" | "reason_needed" };

export function checkTransition(from: FeedbackStatus, to: FeedbackStatus, reason?: string | null): TransitionCheck {
  if (from === to) return { ok: false, problem: "same" };
  if (!ALLOWED_TRANSITIONS[from].includes(to)) return { ok: false, problem: "not_allowed" };
  if (REASON_REQUIRED.includes(to) && !reason?.trim()) return { ok: false, problem: "reason_needed" };
  return { ok: true };
}

/** The time stamps a status change sets: the first answer, and the close. */
export function stampsForChange(
  item: { firstRespondedAt: Date | null; closedAt: Date | null },
  to: FeedbackStatus,
  now: Date,
): { firstRespondedAt?: Date; closedAt?: Date } {
  const stamps: { firstRespondedAt?: Date; closedAt?: Date } = {};
  if (!item.firstRespondedAt && to !== "received") stamps.firstRespondedAt = now;
  if (!isOpen(to) && !item.closedAt) stamps.closedAt = now;
  return stamps;
}

// ------------------------------------------------------------------ idea numbers as people type them

/** "#12", "12" -> 12; null when it is not an idea number. */
export function parseItemNumber(raw: string | undefined): number | null {
  const match = /^\s*#?(\d{1,7})\s*$/.exec(raw ?? "");
  return match ? Number(match[1]) : null;
}

/** "#3 #7", "3, 7" -> [3, 7]; null when something in it is not a number. */
export function parseItemNumbers(raw: string): number[] | null {
  const parts = raw.split(/[\s,;]+/).filter(Boolean);
  const numbers = parts.map(parseItemNumber);
  if (numbers.some((n) => n === null)) return null;
  return [...new Set(numbers as number[])];
}

// ------------------------------------------------------------------ nudges

export type NudgeItem = {
  status: FeedbackStatus;
  ownerId: string | null;
  dueAt: Date | null;
  createdAt: Date;
  nextNudgeAt: Date | null;
};

/**
 * When the nudge sweep should next look at an item (the indexed nextNudgeAt):
 * the due date when someone owns it, else the day it counts as left unowned.
 */
export function firstNudgeCheck(item: Pick<NudgeItem, "status" | "ownerId" | "dueAt" | "createdAt">): Date | null {
  if (!isOpen(item.status)) return null;
  if (item.ownerId) return item.dueAt;
  return new Date(item.createdAt.getTime() + UNOWNED_NUDGE_AFTER_DAYS * DAY);
}

export type NudgePlan = { send: "owner" | "facilitators" | null; nextNudgeAt: Date | null };

/**
 * What the sweep does with an item at `now`: nudge the owner of an overdue
 * item (then again every `everyHours`), or tell the facilitators once about an
 * item nobody has taken on; and when to look again.
 */
export function planNudge(item: NudgeItem, now: Date, everyHours: number): NudgePlan {
  if (!isOpen(item.status)) return { send: null, nextNudgeAt: null };
  if (item.ownerId) {
    if (!item.dueAt) return { send: null, nextNudgeAt: null };
    if (item.dueAt > now) return { send: null, nextNudgeAt: item.dueAt };
    if (item.nextNudgeAt && item.nextNudgeAt > now) return { send: null, nextNudgeAt: item.nextNudgeAt };
    return { send: "owner", nextNudgeAt: new Date(now.getTime() + everyHours * HOUR) };
  }
  const unownedAt = new Date(item.createdAt.getTime() + UNOWNED_NUDGE_AFTER_DAYS * DAY);
  if (now < unownedAt) return { send: null, nextNudgeAt: unownedAt };
  return { send: "facilitators", nextNudgeAt: null };
}

export function isOverdue(item: { status: FeedbackStatus; dueAt: Date | null }, now: Date): boolean {
  return isOpen(item.status) && item.dueAt !== null && item.dueAt <= now;
}

// ------------------------------------------------------------------ measures for the digest

/** Hours from raising an item to its first answer; null while nobody has answered. */
export function timeToFirstResponseHours(item: { createdAt: Date; firstRespondedAt: Date | null }): number | null {
  if (!item.firstRespondedAt) return null;
  return Math.max(0, (item.firstRespondedAt.getTime() - item.createdAt.getTime()) / HOUR);
}

/** People with lived experience, on one side of "we said, we did". */
export const LIVED_EXPERIENCE_ROLES: readonly Role[] = ["expert_by_experience"];
/** Professionals, commissioners and facilitators, on the other side. */
export const PROFESSIONAL_ROLES: readonly Role[] = ["professional", "commissioner", "facilitator"];

export type CoOwnershipProblem = "needs_lived_experience" | "needs_professional";

/** Why a set of owners is not a joint one, or null when it is. */
export function coOwnershipProblem(ownerRoles: readonly Role[]): CoOwnershipProblem | null {
  if (!ownerRoles.some((r) => LIVED_EXPERIENCE_ROLES.includes(r))) return "needs_lived_experience";
  if (!ownerRoles.some((r) => PROFESSIONAL_ROLES.includes(r))) return "needs_professional";
  return null;
}

export function isCoOwned(ownerRoles: readonly Role[]): boolean {
  return coOwnershipProblem(ownerRoles) === null;
}

/**
 * The share (0 to 1) of done actions owned jointly by people with lived
 * experience and professionals; null when nothing is done yet. Pass co-owned
 * actions, and done feedback items as { status: "done", ownerRoles: [ownerRole] },
 * to see how far a programme has moved from "you said, we did" to "we said, we did".
 */
export function coOwnedShare(actions: readonly { status: string; ownerRoles: readonly Role[] }[]): number | null {
  const done = actions.filter((a) => a.status === "done");
  if (done.length === 0) return null;
  return done.filter((a) => isCoOwned(a.ownerRoles)).length / done.length;
}
