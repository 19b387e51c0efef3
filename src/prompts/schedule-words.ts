import { z } from "zod";

/**
 * "When to send" in plain words, both ways: what a facilitator types ("every
 * other Monday at 10:30") becomes a structured schedule, and a schedule is
 * shown back in words ("Every other Monday at 10:30, London time"). Nobody
 * sees a cron line; the cron line is only how the series stores it.
 */

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;
const ORDINALS = ["first", "second", "third", "fourth"] as const;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const time = { hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) };
const weekday = z.number().int().min(0).max(6);

export const plainSchedule = z.discriminatedUnion("kind", [
  /** Every week (or every other week) on one day. */
  z.object({ kind: z.literal("weekly"), weekday, everyOther: z.boolean(), ...time }),
  /** Monday to Friday. */
  z.object({ kind: z.literal("weekdays"), ...time }),
  /** The first to fourth given weekday of each month. */
  z.object({ kind: z.literal("monthly"), nth: z.number().int().min(1).max(4), weekday, ...time }),
  /** One time only, on the next such date. */
  z
    .object({ kind: z.literal("once"), day: z.number().int().min(1).max(31), month: z.number().int().min(1).max(12), ...time })
    .refine((s) => s.day <= DAYS_IN_MONTH[s.month - 1]!, { message: "That month does not have that many days." }),
]);
export type PlainSchedule = z.output<typeof plainSchedule>;

const pad = (n: number) => String(n).padStart(2, "0");
const clock = (s: { hour: number; minute: number }) => `${pad(s.hour)}:${pad(s.minute)}`;

/** A time zone as people say it: "Europe/London" -> "London time". */
export function zoneInWords(timeZone: string): string {
  const place = timeZone.split("/").pop()!.replace(/_/g, " ");
  return `${place} time`;
}

/** What "at 10 wherever each person is" is shown back as. */
export const LOCAL_TIME_WORDS = "wherever each person is";

/** A schedule in words: "Every other Monday at 10:30, London time", or "..., wherever each person is" at each person's own time. */
export function scheduleInWords(schedule: PlainSchedule, timeZone = "Europe/London", localTime = false): string {
  const at = `at ${clock(schedule)}, ${localTime ? LOCAL_TIME_WORDS : zoneInWords(timeZone)}`;
  switch (schedule.kind) {
    case "weekly":
      return `Every ${schedule.everyOther ? "other " : ""}${WEEKDAYS[schedule.weekday]} ${at}`;
    case "weekdays":
      return `Every weekday (Monday to Friday) ${at}`;
    case "monthly":
      return `The ${ORDINALS[schedule.nth - 1]} ${WEEKDAYS[schedule.weekday]} of each month ${at}`;
    case "once":
      return `Once, on ${schedule.day} ${MONTHS[schedule.month - 1]} ${at}`;
  }
}

/** "monday", "mondays" or "mon" -> 1; null when not a day. */
function dayIndex(word: string): number | null {
  const w = word.replace(/s$/, "");
  const i = WEEKDAYS.findIndex((d) => d.toLowerCase() === w || d.toLowerCase().slice(0, 3) === w);
  return i < 0 ? null : i;
}

function monthIndex(word: string): number | null {
  const i = MONTHS.findIndex((m) => word.length >= 3 && m.toLowerCase().startsWith(word));
  return i < 0 ? null : i + 1;
}

/** "10", "10:30", "10.30", "4pm", "4:15 pm", "noon" -> hour and minute; null when not a time. */
export function parseTime(words: string): { hour: number; minute: number } | null {
  const w = words.trim().toLowerCase();
  if (w === "noon" || w === "midday") return { hour: 12, minute: 0 };
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/.exec(w);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  if (minute > 59) return null;
  if (match[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (match[3] === "pm" ? 12 : 0);
  }
  return hour <= 23 ? { hour, minute } : null;
}

const ORDINAL_WORDS: Record<string, number> = { first: 1, "1st": 1, second: 2, "2nd": 2, third: 3, "3rd": 3, fourth: 4, "4th": 4 };

/**
 * Reads plain words as a schedule, or null when it cannot. It reads the forms
 * shown as examples (scheduleExamples) and the small variations people write:
 * "Mondays", "on Monday", "at 10am", "every fortnight on Monday".
 */
export function parseScheduleWords(input: string): PlainSchedule | null {
  const w = input
    .toLowerCase()
    .replace(/[,()]/g, " ")
    .replace(/\b(o'clock|oclock)\b/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\.$/, "")
    // "..., London time" as shown back: the place is the series' own time zone, so the words add nothing.
    .replace(/\s+[a-z][a-z ]* time$/, "");
  const split = /^(.*?)\s+at\s+(.+)$/.exec(w);
  if (!split) return null;
  const [, when, at] = split as unknown as [string, string, string];
  const t = parseTime(at);
  if (!t) return null;
  let m: RegExpExecArray | null;
  if ((m = /^(?:every )?(?:week ?days?|monday to friday)(?: monday to friday)?$/.exec(when))) return { kind: "weekdays", ...t };
  if ((m = /^(?:every|each|on)?\s*(other|second|alternate)?\s*([a-z]+)$/.exec(when))) {
    const day = dayIndex(m[2]!);
    if (day !== null) return { kind: "weekly", weekday: day, everyOther: Boolean(m[1]), ...t };
  }
  if ((m = /^every (?:fortnight|two weeks|2 weeks) on ([a-z]+)$/.exec(when))) {
    const day = dayIndex(m[1]!);
    if (day !== null) return { kind: "weekly", weekday: day, everyOther: true, ...t };
  }
  if ((m = /^(?:on )?(?:the )?([a-z0-9]+) ([a-z]+) (?:of |in )?(?:the |each |every )?month$/.exec(when))) {
    const nth = ORDINAL_WORDS[m[1]!];
    const day = dayIndex(m[2]!);
    if (nth && day !== null) return { kind: "monthly", nth, weekday: day, ...t };
  }
  if ((m = /^(?:once )?(?:only )?(?:on )?(?:the )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)$/.exec(when)) && /^once\b/.test(when)) {
    const month = monthIndex(m[2]!);
    const parsed = month ? plainSchedule.safeParse({ kind: "once", day: Number(m[1]), month, ...t }) : null;
    if (parsed?.success) return parsed.data;
  }
  return null;
}

/** "Whose clock": words after the time that mean each person's own, and places people name ("Tokyo time"). */
const LOCAL_WORDS = /^(?:wherever (?:each person|each of them|everyone|people|they|you) (?:is|are)|(?:at |in |on )?(?:each person's|everyone's|their|their own|people's|your|your own) (?:own )?(?:local )?(?:time|clock)|local time)$/;
const PLACE_ALIASES: Record<string, string> = { uk: "Europe/London", british: "Europe/London", utc: "UTC", gmt: "UTC" };
let places: Map<string, string> | undefined;

/** "london" -> Europe/London, "new york" -> America/New_York; undefined for a place that is not a zone's name. */
function zoneOfPlace(place: string): string | undefined {
  if (!places) {
    places = new Map(Intl.supportedValuesOf("timeZone").map((zone) => [zone.split("/").pop()!.replace(/_/g, " ").toLowerCase(), zone]));
  }
  return PLACE_ALIASES[place] ?? places.get(place);
}

/** Whose clock the words after the time mean: each person's own, a named place's, or (no words) the draft's own. */
function readWhoseClock(words: string): { localTime?: boolean; timeZone?: string } | null {
  const w = words.replace(/^(?:and |by )/, "").trim();
  if (w === "") return {};
  if (LOCAL_WORDS.test(w)) return { localTime: true };
  const place = /^(?:in )?(.+?) time$/.exec(w)?.[1];
  const zone = place ? zoneOfPlace(place) : undefined;
  return zone ? { localTime: false, timeZone: zone } : null;
}

/**
 * Reads "every Monday at 10 wherever each person is" or "every Monday at 10,
 * Tokyo time": the schedule, and whose clock it follows when the words say.
 */
export function parseWhenWords(input: string): { schedule: PlainSchedule; localTime?: boolean; timeZone?: string } | null {
  const w = input.toLowerCase().replace(/[,()]/g, " ").replace(/\s+/g, " ").trim().replace(/\.$/, "");
  const split = /^(.*?)\s+at\s+(.+)$/.exec(w);
  if (!split) return null;
  const [, when, rest] = split as unknown as [string, string, string];
  const words = rest.split(" ");
  // The time is the first word or two ("10", "4:15 pm"); what follows says whose clock.
  for (const n of [2, 1]) {
    if (words.length < n || !parseTime(words.slice(0, n).join(" "))) continue;
    const whose = readWhoseClock(words.slice(n).join(" "));
    const schedule = whose ? parseScheduleWords(`${when} at ${words.slice(0, n).join(" ")}`) : null;
    if (schedule && whose) return { schedule, ...whose };
  }
  // A place we do not know ("Narnia time") is not quietly read as the draft's own zone.
  if (/ time$/.test(w)) return null;
  const plain = parseScheduleWords(input);
  return plain ? { schedule: plain } : null;
}

/** What to show with "we could not read that". */
export const scheduleExamples = [
  "every Monday at 10",
  "every other Monday at 10:30",
  "first Tuesday of the month at 9",
  "weekdays at 4pm",
  "once on 12 January at 10",
  "every Monday at 10 wherever each person is",
  "every Monday at 10 London time",
] as const;

/** How a series stores a schedule: a cron line, plus every other week or once only, which a cron line cannot say. */
export type SeriesTiming = { cron: string; weekInterval: 1 | 2; once: boolean };

export function timingOf(schedule: PlainSchedule): SeriesTiming {
  const at = `${schedule.minute} ${schedule.hour}`;
  switch (schedule.kind) {
    case "weekly":
      return { cron: `${at} * * ${schedule.weekday}`, weekInterval: schedule.everyOther ? 2 : 1, once: false };
    case "weekdays":
      return { cron: `${at} * * 1-5`, weekInterval: 1, once: false };
    case "monthly":
      return { cron: `${at} * * ${schedule.weekday}#${schedule.nth}`, weekInterval: 1, once: false };
    case "once":
      return { cron: `${at} ${schedule.day} ${schedule.month} *`, weekInterval: 1, once: true };
  }
}

/** The plain schedule a stored timing came from, or null for cron lines written some other way (such as the templates'). */
export function scheduleOfTiming(timing: { cron: string; weekInterval?: number; once?: boolean }): PlainSchedule | null {
  const parts = timing.cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour)) return null;
  const t = { hour: Number(hour), minute: Number(minute) };
  let candidate: unknown = null;
  if (timing.once) candidate = { kind: "once", day: Number(dom), month: Number(month), ...t };
  else if (dom !== "*" || month !== "*") return null;
  else if (dow === "1-5") candidate = { kind: "weekdays", ...t };
  else if (/^\d$/.test(dow)) candidate = { kind: "weekly", weekday: Number(dow), everyOther: timing.weekInterval === 2, ...t };
  else if (/^\d#\d$/.test(dow)) candidate = { kind: "monthly", weekday: Number(dow[0]), nth: Number(dow[2]), ...t };
  const parsed = plainSchedule.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/**
 * Whether a cron slot is one an every-other-week series sends: weeks are
 * counted (Monday to Sunday, on the local calendar) from the week of
 * 5 January 1970, and every second one is kept.
 */
export function inSendingWeek(slot: Date, timeZone: string, weekInterval: number): boolean {
  if (weekInterval <= 1) return true;
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(slot);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const days = Date.UTC(part("year"), part("month") - 1, part("day")) / 86_400_000;
  return Math.floor((days - 4) / 7) % weekInterval === 0;
}
