import { CronExpressionParser } from "cron-parser";
import { DAY, HOUR } from "../clock.ts";
import type { Decision, HoldReason } from "../gate.ts";
import { inSendingWeek } from "./schedule-words.ts";

/**
 * Pure scheduling decisions for reflection prompts: functions of
 * (configuration, now, history) that return plain data. The sweeps in
 * occurrences.ts, deliveries.ts and reminders.ts only carry these decisions out
 * against the database. Who may be messaged, and when, is the gate's to say.
 */

/** A cron line in a time zone; `weekInterval` 2 keeps every other week's slots (which a cron line cannot say). */
export type Schedule = { cron: string; timeZone: string; weekInterval?: number };

/** Questions go out at most once a day: anything more often is nagging. */
export const MIN_GAP_BETWEEN_SLOTS = DAY;

function parse(schedule: Schedule, currentDate: Date) {
  return CronExpressionParser.parse(schedule.cron, { currentDate, tz: schedule.timeZone });
}

/** The first slot strictly after `after`, in the schedule's own time zone. */
export function nextSlotAfter(schedule: Schedule, after: Date): Date {
  const expression = parse(schedule, after);
  let slot = expression.next().toDate();
  while (!inSendingWeek(slot, schedule.timeZone, schedule.weekInterval ?? 1)) slot = expression.next().toDate();
  return slot;
}

/** The latest slot at or before `at`, or null when the schedule has none. */
export function latestSlotAtOrBefore(schedule: Schedule, at: Date): Date | null {
  try {
    // prev() is strictly before its start, so start just after `at` to include a slot exactly at it.
    const expression = parse(schedule, new Date(at.getTime() + 1));
    let slot = expression.prev().toDate();
    while (!inSendingWeek(slot, schedule.timeZone, schedule.weekInterval ?? 1)) slot = expression.prev().toDate();
    return slot;
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

/** Why a delivery was not sent: the gate's reason, or the series was paused. */
export type SkipReason = HoldReason | "series_paused";

export type DeliveryDecision =
  | { kind: "closed" }
  | { kind: "skip"; reason: SkipReason }
  | { kind: "defer"; until: Date }
  | { kind: "send"; nextReminderAt: Date | null };

/**
 * Whether a pending delivery goes out now, later, or not at all. Who may be
 * sent it, and from when (quiet hours), is the gate's decision, passed in.
 */
export function decideDelivery(p: {
  now: Date;
  closesAt: Date;
  /** The series is still on (a paused series sends nothing). */
  active: boolean;
  gate: Decision;
  reminderAfterHours: number;
  maxReminders: number;
}): DeliveryDecision {
  if (!p.active) return { kind: "skip", reason: "series_paused" };
  if (p.closesAt <= p.now) return { kind: "closed" };
  if (!p.gate.send) return { kind: "skip", reason: p.gate.reason };
  if (p.gate.at > p.now) return p.gate.at < p.closesAt ? { kind: "defer", until: p.gate.at } : { kind: "closed" };
  return { kind: "send", nextReminderAt: nextReminderAfter(p.now, { remindersSent: 0, reminderLimit: p.maxReminders, ...p }) };
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

/**
 * Whether a sent but unanswered delivery gets a gentle reminder now. The gate
 * has already applied the person's pause, consent, opt-out and reminder limit.
 */
export function decideReminder(p: {
  now: Date;
  closesAt: Date;
  active: boolean;
  remindersSent: number;
  maxReminders: number;
  reminderAfterHours: number;
  gate: Decision;
}): ReminderDecision {
  if (!p.active || p.closesAt <= p.now || p.remindersSent >= p.maxReminders || !p.gate.send) return { kind: "stop" };
  if (p.gate.at > p.now) return p.gate.at < p.closesAt ? { kind: "defer", until: p.gate.at } : { kind: "stop" };
  const number = p.remindersSent + 1;
  return { kind: "send", number, nextReminderAt: nextReminderAfter(p.now, { ...p, reminderLimit: p.maxReminders, remindersSent: number }) };
}

/**
 * Which roles an anonymous answer may keep, given how many people of each role
 * could have answered. A role is kept only when at least `minGroupSize` people
 * of it were asked. The answers of the other roles say "someone"; if fewer than
 * `minGroupSize` people stand behind "someone", the next smallest roles join
 * them (so "someone" cannot point at one small group either). When fewer than
 * `minGroupSize` people were asked in all, no role is kept.
 */
export function rolesThatMayShow<R extends string>(askedByRole: ReadonlyMap<R, number>, minGroupSize: number): Set<R> {
  const kept = [...askedByRole].filter(([, n]) => n >= minGroupSize).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  let hidden = [...askedByRole].filter(([, n]) => n > 0 && n < minGroupSize).reduce((sum, [, n]) => sum + n, 0);
  while (hidden > 0 && hidden < minGroupSize && kept.length > 0) hidden += kept.shift()![1];
  return new Set(hidden > 0 && hidden < minGroupSize ? [] : kept.map(([role]) => role));
}

/** The day an anonymous answer is dated: the day its questions were asked, whenever it was given, so its time matches nobody's. */
export function anonymousStamp(scheduledFor: Date): Date {
  return new Date(Date.UTC(scheduledFor.getUTCFullYear(), scheduledFor.getUTCMonth(), scheduledFor.getUTCDate()));
}
