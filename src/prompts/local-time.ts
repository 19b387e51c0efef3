import { DAY, MINUTE } from "../clock.ts";

/**
 * "Monday 10:00 wherever you are": pure rules for a series sent at each
 * person's own clock time. The occurrence opens when the first place on Earth
 * reaches the slot's clock time (UTC+14, which never changes its clocks), so
 * one occurrence still stands for one slot; each person's delivery is then due
 * when their own clock shows the same day and time.
 */

/** The zone that reaches any clock time first: Kiribati's line islands, UTC+14 all year. */
export const EARLIEST_ZONE = "Etc/GMT-14";
/** Hours between the first zone to reach a clock time (UTC+14) and the last (UTC-12). */
export const ZONE_SPAN_HOURS = 26;

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The day and time a clock in `timeZone` shows at `date` (to the minute). */
export function wallClockAt(date: Date, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

/** How far `timeZone` is ahead of UTC at `at`, to the minute. */
function offsetAt(at: number, timeZone: string): number {
  return asUtc(wallClockAt(new Date(Math.floor(at / MINUTE) * MINUTE), timeZone)) - Math.floor(at / MINUTE) * MINUTE;
}

/**
 * The instant a clock in `timeZone` shows `wall`. When the clocks go back and
 * the time happens twice, the first; when they go forward past it (or a
 * country moves across the date line and skips a day), the same clock time
 * read with the offset from before the change, which is just after the gap.
 */
export function instantAt(wall: WallClock, timeZone: string): Date {
  const utc = asUtc(wall);
  const offsets = [...new Set([offsetAt(utc - DAY, timeZone), offsetAt(utc, timeZone), offsetAt(utc + DAY, timeZone)])];
  const candidates = offsets.map((o) => utc - o);
  const exact = candidates.filter((t) => asUtc(wallClockAt(new Date(t), timeZone)) === utc).sort((a, b) => a - b);
  if (exact.length) return new Date(exact[0]!);
  // In a gap: the earliest instant whose clock reads later than `wall`.
  const after = candidates.filter((t) => asUtc(wallClockAt(new Date(t), timeZone)) > utc).sort((a, b) => a - b);
  return new Date(after[0] ?? Math.max(...candidates));
}

/** When a person in `personZone` is due the slot that `slotZone` reached at `slot`: same day, same clock time, theirs. */
export function personDueAt(slot: Date, slotZone: string, personZone: string): Date {
  return instantAt(wallClockAt(slot, slotZone), personZone);
}

/**
 * The zone a person is asked in: their own when we know it, else the series'.
 * Only a preference row counts as knowing it (a zone they chose, or one their chat platform reported).
 */
export function zoneFor(known: string | null | undefined, seriesZone: string): string {
  return known || seriesZone;
}

/** The first slot's clock time reached in the earliest zone, read as the same clock time in `timeZone`. */
export function earliestOpeningFor(at: Date, timeZone: string): Date {
  return instantAt(wallClockAt(at, timeZone), EARLIEST_ZONE);
}

/** A local-time occurrence stays open long enough for the last zone to have its full time to answer. */
export function localCloseAfterHours(closeAfterHours: number): number {
  return closeAfterHours + ZONE_SPAN_HOURS;
}
