import { z } from "zod";
import { MINUTE } from "../clock.ts";
import { formatWhen } from "../time.ts";

/**
 * Dates and times of sessions and meetings (tasters, panels): read from a
 * form, written for the reader. Pure.
 */

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

/**
 * A date from code, or a date and time typed or picked in a form (read in
 * `timeZone`). `badTime` is the loop's sentence for a time it cannot read.
 */
export function whenField(label: string, timeZone: string, badTime: (label: string) => string) {
  return z.unknown().transform((v, c) => {
    const date = v instanceof Date ? v : typeof v === "string" && v.trim() ? parseWhen(v, timeZone) : null;
    if (date && !Number.isNaN(date.getTime())) return date;
    c.addIssue({ code: "custom", message: badTime(label) });
    return z.NEVER;
  });
}

/** "Tuesday 10 March, 2pm to 4pm", or both days when it runs past midnight. */
export function whenText(start: Date, end: Date, timeZone = "Europe/London"): string {
  const from = formatWhen(start, timeZone);
  const to = formatWhen(end, timeZone);
  const [fromDay] = from.split(", ");
  const [toDay, toTime] = to.split(", ");
  return fromDay === toDay ? `${from} to ${toTime}` : `${from} to ${to}`;
}
