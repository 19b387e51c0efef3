import { CronExpressionParser } from "cron-parser";
import { DAY, HOUR } from "./clock.ts";
import { inQuietHours, nextAllowedTime, type QuietHours } from "./time.ts";

/**
 * Pure scheduling decisions for reflection prompts: functions of
 * (configuration, now, history) that return plain data. The sweeps in
 * prompts.ts only carry these decisions out against the database.
 */

export type Schedule = { cron: string; timeZone: string };

/** Questions go out at most once a day: anything more often is nagging. */
export const MIN_GAP_BETWEEN_SLOTS = DAY;

function parse(schedule: Schedule, currentDate: Date) {
  return CronExpressionParser.parse(schedule.cron, { currentDate, tz: schedule.timeZone });
}

/** The first slot strictly after `after`, in the schedule's own time zone. */
export function nextSlotAfter(schedule: Schedule, after: Date): Date {
  return parse(schedule, after).next().toDate();
}

/** The latest slot at or before `at`, or null when the schedule has none. */
export function latestSlotAtOrBefore(schedule: Schedule, at: Date): Date | null {
  try {
    // prev() is strictly before its start, so start just after `at` to include a slot exactly at it.
    return parse(schedule, new Date(at.getTime() + 1)).prev().toDate();
  } catch {
    return null;
  }
}

export type ScheduleProblem = "bad_time_zone" | "bad_cron" | "too_often";

/** Why a cron line and time zone cannot be used, or null when they can. */
export function scheduleProblem(schedule: Schedule, from: Date): ScheduleProblem | null {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: schedule.timeZone });
  } catch {
    return "bad_time_zone";
  }
  let slots: Date[];
  try {
    const expression = parse(schedule, from);
    slots = Array.from({ length: 6 }, () => expression.next().toDate());
  } catch {
    return "bad_cron";
  }
  for (let i = 1; i < slots.length; i++) {
    if (slots[i]!.getTime() - slots[i - 1]!.getTime() < MIN_GAP_BETWEEN_SLOTS) return "too_often";
  }
  return null;
}

export function closesAtFor(scheduledFor: Date, closeAfterHours: number): Date {
  return new Date(scheduledFor.getTime() + closeAfterHours * HOUR);
}

export type OccurrencePlan =
  /** Send this slot: create its occurrence and move the series on to `nextOccurrenceAt`. */
  | { kind: "create"; scheduledFor: Date; closesAt: Date; nextOccurrenceAt: Date }
  /** Every missed slot has already closed: send nothing, just move the series on. */
  | { kind: "skip"; nextOccurrenceAt: Date }
  | { kind: "not_due" };

/**
 * What to do for a series at `now`. After downtime that spans several slots,
 * only the latest missed slot is sent, and only if it is still open, so
 * people get one set of questions rather than a flood.
 */
export function planOccurrence(
  series: Schedule & { closeAfterHours: number; nextOccurrenceAt: Date | null },
  now: Date,
): OccurrencePlan {
  if (!series.nextOccurrenceAt || series.nextOccurrenceAt > now) return { kind: "not_due" };
  const latest = latestSlotAtOrBefore(series, now);
  const slot = latest && latest >= series.nextOccurrenceAt ? latest : series.nextOccurrenceAt;
  const nextOccurrenceAt = nextSlotAfter(series, now);
  const closesAt = closesAtFor(slot, series.closeAfterHours);
  if (closesAt <= now) return { kind: "skip", nextOccurrenceAt };
  return { kind: "create", scheduledFor: slot, closesAt, nextOccurrenceAt };
}

export type PersonState = {
  /** Newest participation consent: true, false, or null when never given. */
  participation: boolean | null;
  pausedAt: Date | null;
  /** Still an active member of the programme. */
  member: boolean;
};

export type SkipReason = "no_consent" | "paused" | "left";

/** Why a person should not be sent questions now, or null when they may be. */
export function skipReasonFor(person: PersonState): SkipReason | null {
  if (!person.member) return "left";
  if (person.participation !== true) return "no_consent";
  if (person.pausedAt) return "paused";
  return null;
}

export type DeliveryDecision =
  | { kind: "closed" }
  | { kind: "skip"; reason: SkipReason }
  | { kind: "defer"; until: Date }
  | { kind: "send"; nextReminderAt: Date | null };

/** Whether a pending delivery goes out now, later (quiet hours), or not at all. */
export function decideDelivery(p: {
  now: Date;
  closesAt: Date;
  person: PersonState;
  quiet: QuietHours;
  reminderAfterHours: number;
  reminderLimit: number;
}): DeliveryDecision {
  if (p.closesAt <= p.now) return { kind: "closed" };
  const reason = skipReasonFor(p.person);
  if (reason) return { kind: "skip", reason };
  if (inQuietHours(p.now, p.quiet)) {
    const until = nextAllowedTime(p.now, p.quiet);
    return until < p.closesAt ? { kind: "defer", until } : { kind: "closed" };
  }
  return { kind: "send", nextReminderAt: nextReminderAfter(p.now, { remindersSent: 0, ...p }) };
}

/** The smaller of the series' limit and the person's own limit. */
export function reminderLimitFor(seriesMax: number, personLimit: number): number {
  return Math.max(0, Math.min(seriesMax, personLimit));
}

/** When the next reminder is due after `from`, or null when none should follow. */
export function nextReminderAfter(
  from: Date,
  p: { remindersSent: number; reminderLimit: number; reminderAfterHours: number; closesAt: Date },
): Date | null {
  if (p.remindersSent >= p.reminderLimit) return null;
  const at = new Date(from.getTime() + p.reminderAfterHours * HOUR);
  return at < p.closesAt ? at : null;
}

export type ReminderDecision =
  | { kind: "stop" }
  | { kind: "defer"; until: Date }
  | { kind: "send"; number: number; nextReminderAt: Date | null };

/** Whether a sent but unanswered delivery gets a gentle reminder now. */
export function decideReminder(p: {
  now: Date;
  closesAt: Date;
  remindersSent: number;
  reminderLimit: number;
  reminderAfterHours: number;
  person: PersonState;
  quiet: QuietHours;
}): ReminderDecision {
  if (p.closesAt <= p.now || p.remindersSent >= p.reminderLimit || skipReasonFor(p.person)) return { kind: "stop" };
  if (inQuietHours(p.now, p.quiet)) {
    const until = nextAllowedTime(p.now, p.quiet);
    return until < p.closesAt ? { kind: "defer", until } : { kind: "stop" };
  }
  const number = p.remindersSent + 1;
  return { kind: "send", number, nextReminderAt: nextReminderAfter(p.now, { ...p, remindersSent: number }) };
}
