import { DAY, HOUR } from "../clock.ts";
import type { Role } from "../roles.ts";

/**
 * The rules of taster sessions as pure functions of (taster, sign-ups, now).
 * Nothing here reads a clock or a database.
 */

export const SIGNUP_STATUSES = ["booked", "waitlisted", "offered", "cancelled", "expired"] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

/** Statuses that hold one of the places. */
export const HOLDS_PLACE: readonly SignupStatus[] = ["booked", "offered"];
/** Statuses that mean the person is still in: booked, waiting or holding an offer. */
export const ACTIVE: readonly SignupStatus[] = ["booked", "offered", "waitlisted"];

/** Reminder the day before; follow-up two hours after the end. */
export const REMINDER_BEFORE_START = DAY;
export const FOLLOW_UP_AFTER_END = 2 * HOUR;
/**
 * A freed place is held for the person offered it this long, unless the organiser says otherwise:
 * at least an hour, at most a week. Tasters and learning sets both hold places by this rule.
 */
export const DEFAULT_OFFER_HOLD_HOURS = 24;
export const MIN_OFFER_HOLD_HOURS = 1;
export const MAX_OFFER_HOLD_HOURS = 168;
/** An offered place must be answered this long before the start, so the person can still get there. */
export const OFFERS_CLOSE_BEFORE_START = HOUR;

export type SignupLike = { id: string; personId: string; status: string; queuedAt: Date; createdAt?: Date };

export function tasterSchedule(t: { startsAt: Date; endsAt: Date }): { reminderDueAt: Date; followUpDueAt: Date } {
  return {
    reminderDueAt: new Date(t.startsAt.getTime() - REMINDER_BEFORE_START),
    followUpDueAt: new Date(t.endsAt.getTime() + FOLLOW_UP_AFTER_END),
  };
}

export function holdsPlace(status: string): boolean {
  return (HOLDS_PLACE as readonly string[]).includes(status);
}

export function isActive(status: string): boolean {
  return (ACTIVE as readonly string[]).includes(status);
}

export function placesLeft(capacity: number, signups: readonly { status: string }[]): number {
  return Math.max(0, capacity - signups.filter((s) => holdsPlace(s.status)).length);
}

/** The waiting list in queue order: first come, first offered. */
export function waitingQueue<T extends SignupLike>(signups: readonly T[]): T[] {
  return signups
    .filter((s) => s.status === "waitlisted")
    .sort(
      (a, b) =>
        a.queuedAt.getTime() - b.queuedAt.getTime() ||
        (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) ||
        a.id.localeCompare(b.id),
    );
}

/** 1 for the first person waiting; 0 when the sign-up is not waiting. */
export function waitlistPosition(signups: readonly SignupLike[], signupId: string): number {
  return waitingQueue(signups).findIndex((s) => s.id === signupId) + 1;
}

/** A new sign-up is booked only when a place is free and nobody is already waiting for one. */
export function signupOutcome(capacity: number, signups: readonly SignupLike[]): "booked" | "waitlisted" {
  return placesLeft(capacity, signups) > 0 && waitingQueue(signups).length === 0 ? "booked" : "waitlisted";
}

export type SignupRefusal = "cancelled" | "started" | "wrong_role";

/** Why this person may not sign up now, or null when they may. An empty audience means everyone. */
export function signupRefusal(
  taster: { cancelledAt: Date | null; startsAt: Date; audienceRoles: readonly Role[] },
  role: Role,
  now: Date,
): SignupRefusal | null {
  if (taster.cancelledAt) return "cancelled";
  if (now.getTime() >= taster.startsAt.getTime()) return "started";
  if (taster.audienceRoles.length > 0 && !taster.audienceRoles.includes(role)) return "wrong_role";
  return null;
}

/**
 * When an offer of a freed place is sent and until when it is held. The hold
 * starts when the person can first be messaged (after their quiet hours), and
 * ends no later than an hour before the start. null: too late to offer.
 */
export function offerWindow(p: { sendAt: Date; holdHours: number; startsAt: Date }): { sendAt: Date; expiresAt: Date } | null {
  const lastMoment = p.startsAt.getTime() - OFFERS_CLOSE_BEFORE_START;
  const expiresAt = Math.min(p.sendAt.getTime() + p.holdHours * HOUR, lastMoment);
  if (expiresAt <= p.sendAt.getTime()) return null;
  return { sendAt: p.sendAt, expiresAt: new Date(expiresAt) };
}

/**
 * Who to offer freed places to, in queue order, each with their offer's window: people we may message
 * now or later (`sendAt` says when, or null: they paused, for example, and keep their place in the queue
 * but are passed over), while there is still time. The caller claims each in turn until the free places
 * are gone; a claim another sweep won is skipped. Tasters and learning sets both offer places this way.
 */
export function offerCandidates<T extends SignupLike>(
  signups: readonly T[],
  sendAt: (personId: string) => Date | null,
  p: { holdHours: number; startsAt: Date },
): { next: T; window: { sendAt: Date; expiresAt: Date } }[] {
  const out: { next: T; window: { sendAt: Date; expiresAt: Date } }[] = [];
  for (const next of waitingQueue(signups)) {
    const at = sendAt(next.personId);
    const window = at ? offerWindow({ sendAt: at, holdHours: p.holdHours, startsAt: p.startsAt }) : null;
    if (window) out.push({ next, window });
  }
  return out;
}

/** A reminder or follow-up found late (after downtime) is only sent while it still makes sense. */
export function reminderStillUseful(now: Date, startsAt: Date): boolean {
  return now.getTime() < startsAt.getTime();
}

/** Attendance is marked once the session has begun. */
export function attendanceOpen(now: Date, startsAt: Date): boolean {
  return now.getTime() >= startsAt.getTime();
}

/**
 * When to tell someone a session is cancelled: when the gate allows (after
 * their quiet hours), unless that would be after it starts. Then now, so
 * nobody travels to a session that is not on.
 */
export function cancellationSendTime(now: Date, allowedAt: Date, startsAt: Date): Date {
  return allowedAt.getTime() < startsAt.getTime() ? allowedAt : now;
}
