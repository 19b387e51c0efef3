import { DAY, HOUR, MINUTE } from "../clock.ts";
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
 * The next person to offer a freed place to: the first in the queue who can
 * be messaged. People who paused messages keep their place in the queue but are passed over.
 */
export function nextToOffer<T extends SignupLike>(signups: readonly T[], pausedPersonIds: ReadonlySet<string>): T | undefined {
  return waitingQueue(signups).find((s) => !pausedPersonIds.has(s.personId));
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
 * Reads a date and time typed or picked in a form. A full ISO time with Z or
 * an offset is taken as it is; "2026-03-10 14:00" (or with a T) is read as
 * local time in `timeZone`; a plain number is Unix seconds (what date pickers send).
 */
export function parseWhen(text: string, timeZone: string): Date | null {
  const value = text.trim();
  if (/^\d{9,11}$/.test(value)) return new Date(Number(value) * 1000);
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (local) {
    const [year, month, day, hour, minute, second] = local.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
    return fromLocalTime({ year, month, day, hour, minute, second }, timeZone);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

type LocalTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function fromLocalTime(t: LocalTime, timeZone: string): Date {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // Guess with the offset at that instant, then correct once for a clock change in between.
  let result = asUtc - offsetMs(new Date(asUtc), timeZone);
  result = asUtc - offsetMs(new Date(result), timeZone);
  return new Date(result);
}

/** How far local time in `timeZone` is ahead of UTC at `date`. */
function offsetMs(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / MINUTE) * MINUTE;
}
