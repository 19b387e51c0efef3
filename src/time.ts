import { MINUTE } from "./clock.ts";

/** Minutes after local midnight of `date` in `timeZone`. */
export function localMinuteOfDay(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(date);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

export type QuietHours = { timeZone: string; quietStart: number; quietEnd: number };

/** True when local time is inside the quiet window (which may cross midnight). */
export function inQuietHours(now: Date, q: QuietHours): boolean {
  if (q.quietStart === q.quietEnd) return false;
  const m = localMinuteOfDay(now, q.timeZone);
  return q.quietStart < q.quietEnd ? m >= q.quietStart && m < q.quietEnd : m >= q.quietStart || m < q.quietEnd;
}

/** The first moment at or after `now` outside quiet hours (to the minute). */
export function nextAllowedTime(now: Date, q: QuietHours): Date {
  if (!inQuietHours(now, q)) return now;
  const m = localMinuteOfDay(now, q.timeZone);
  const wait = (q.quietEnd - m + 24 * 60) % (24 * 60);
  // Step to the end of the window, then correct for clock changes by checking again.
  let candidate = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE + wait * MINUTE);
  for (let i = 0; i < 180 && inQuietHours(candidate, q); i++) candidate = new Date(candidate.getTime() + MINUTE);
  return candidate;
}

/** "21:00" -> 1260; null when not a 24-hour time. */
export function parseClockTime(text: string): number | null {
  const match = /^\s*([01]?\d|2[0-3])[:.]?([0-5]\d)\s*$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** "Tuesday 3 March, 2:30pm" in the reader's time zone. */
export function formatWhen(date: Date, timeZone = "Europe/London"): string {
  const day = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long" }).format(date);
  // hourCycle h12, not hour12: en-GB with hour12 writes noon as "0pm".
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", minute: "2-digit", hourCycle: "h12" })
    .format(date)
    .replace(/\s/g, "")
    .replace(":00", "");
  return `${day}, ${time}`;
}

export function formatDate(date: Date, timeZone = "Europe/London"): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "long", year: "numeric" }).format(date);
}

/** Monday 00:00 UTC of the week containing `date`. Digests are keyed by it. */
export function weekStart(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - day * 86_400_000);
}
