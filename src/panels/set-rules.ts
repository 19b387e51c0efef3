import { z } from "zod";
import { DAY } from "../clock.ts";
import { parseWhen } from "../calendar/index.ts";

/**
 * The rules of action learning sets as pure functions of (set, now, meetings planned so far).
 * A set meets again and again; each meeting becomes a panel when it is near.
 */

/** A meeting is planned (made a panel, with the set's members on it) this long before it starts. */
export const PLAN_AHEAD = 28 * DAY;
/** Meetings last this long unless the facilitator says otherwise. */
export const DEFAULT_MEETING_MINUTES = 120;
/** "every 3 months" with no number of meetings: four, as in the evaluations' sets (four a year). */
export const DEFAULT_MEETINGS = 4;
const MAX_MEETINGS = 52;

export const setSchedule = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("every"),
    unit: z.enum(["week", "month"]),
    interval: z.number().int().min(1).max(24),
    first: z.string(),
    count: z.number().int().min(1).max(MAX_MEETINGS),
  }),
  z.object({ kind: z.literal("dates"), dates: z.array(z.string()).min(1).max(MAX_MEETINGS) }),
]);
export type SetSchedule = z.output<typeof setSchedule>;
export const scheduleOfSet = (set: { schedule: unknown }): SetSchedule => setSchedule.parse(set.schedule);

const NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, twelve: 12, other: 2 };
const amount = (word: string | undefined) => (word === undefined ? 1 : (NUMBERS[word] ?? Number(word)));

/** "every 3 months", "monthly", "every other week", "quarterly", "four times a year" -> a repeat; null when not one. */
export function parseHowOften(words: string): { unit: "week" | "month"; interval: number } | null {
  const w = words.trim().toLowerCase().replace(/\s+/g, " ");
  if (w === "monthly") return { unit: "month", interval: 1 };
  if (w === "weekly") return { unit: "week", interval: 1 };
  if (w === "quarterly") return { unit: "month", interval: 3 };
  const times = /^(\w+) times a year$/.exec(w);
  if (times) {
    const n = amount(times[1]);
    return [1, 2, 3, 4, 6, 12].includes(n) ? { unit: "month", interval: 12 / n } : null;
  }
  const every = /^every (?:(\w+) )?(week|month)s?$/.exec(w);
  if (!every) return null;
  const interval = amount(every[1]);
  return Number.isInteger(interval) && interval >= 1 && interval <= 24 ? { unit: every[2] as "week" | "month", interval } : null;
}

/** A list of dates and times ("2027-01-12 10:00, 2027-04-12 10:00"), read in `timeZone`; null when any is not one. */
export function parseDateList(words: string, timeZone: string): Date[] | null {
  const parts = words.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0 || parts.length > MAX_MEETINGS) return null;
  const dates = parts.map((p) => parseWhen(p, timeZone));
  if (dates.some((d) => d === null)) return null;
  return (dates as Date[]).sort((a, b) => a.getTime() - b.getTime());
}

/** Year, month, day, hour and minute of `date` on the clocks of `timeZone`. */
function localParts(date: Date, timeZone: string): number[] {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(date);
  return ["year", "month", "day", "hour", "minute"].map((t) => Number(parts.find((p) => p.type === t)?.value ?? 0));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** When meeting `n` (from 1) starts: the same local time each time, whatever the clocks did in between. Null past the last. */
export function meetingStart(schedule: SetSchedule, n: number, timeZone: string): Date | null {
  if (n < 1) return null;
  if (schedule.kind === "dates") {
    const at = schedule.dates[n - 1];
    return at === undefined ? null : new Date(at);
  }
  if (n > schedule.count) return null;
  const first = new Date(schedule.first);
  const steps = (n - 1) * schedule.interval;
  if (schedule.unit === "week") {
    const [year, month, day, hour, minute] = localParts(first, timeZone) as [number, number, number, number, number];
    const shifted = new Date(Date.UTC(year, month - 1, day + steps * 7));
    return parseWhen(`${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ${pad(hour)}:${pad(minute)}`, timeZone);
  }
  const [year, month, day, hour, minute] = localParts(first, timeZone) as [number, number, number, number, number];
  const monthIndex = month - 1 + steps;
  const y = year + Math.floor(monthIndex / 12);
  const m = monthIndex % 12;
  // The 31st in a shorter month is its last day.
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return parseWhen(`${y}-${pad(m + 1)}-${pad(Math.min(day, lastDay))} ${pad(hour)}:${pad(minute)}`, timeZone);
}

/** Every meeting's start, for showing the dates to people (at most `limit`). */
export function meetingStarts(schedule: SetSchedule, timeZone: string, limit = MAX_MEETINGS): Date[] {
  const out: Date[] = [];
  for (let n = 1; n <= limit; n++) {
    const at = meetingStart(schedule, n, timeZone);
    if (!at) break;
    out.push(at);
  }
  return out;
}

export type PlanStep =
  | { kind: "done" }
  | { kind: "wait"; until: Date }
  /** Plan meeting `number` now; look again at `nextDueAt` (null: it was the last). */
  | { kind: "plan"; number: number; startsAt: Date; nextDueAt: Date | null };

/**
 * What the planning sweep does next for a set that has planned `planned` meetings.
 * A meeting that started before it was planned (wesaid was down for weeks) is skipped, not held late.
 */
export function planStep(set: { schedule: SetSchedule; timeZone: string; plannedMeetings: number }, now: Date): PlanStep {
  for (let n = set.plannedMeetings + 1; n <= MAX_MEETINGS; n++) {
    const startsAt = meetingStart(set.schedule, n, set.timeZone);
    if (!startsAt) return { kind: "done" };
    if (startsAt.getTime() <= now.getTime()) continue;
    const dueAt = new Date(startsAt.getTime() - PLAN_AHEAD);
    if (dueAt.getTime() > now.getTime()) return { kind: "wait", until: dueAt };
    const following = meetingStart(set.schedule, n + 1, set.timeZone);
    return { kind: "plan", number: n, startsAt, nextDueAt: following ? new Date(Math.max(following.getTime() - PLAN_AHEAD, now.getTime())) : null };
  }
  return { kind: "done" };
}

/** A set is open to join until its last meeting has started, unless it was ended early. */
export function setOpen(schedule: SetSchedule, timeZone: string, now: Date, endedAt: Date | null = null): boolean {
  if (endedAt) return false;
  const starts = meetingStarts(schedule, timeZone);
  const last = starts[starts.length - 1];
  return last !== undefined && last.getTime() > now.getTime();
}
