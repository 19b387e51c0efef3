import { DAY } from "../clock.ts";
import { weekStart } from "../time.ts";
import { PARTICIPANT_ROLES, type Role } from "../roles.ts";
import { breakdown, countBreakdown } from "../suppression.ts";
import { MAX_CATCH_UP_WEEKS, type ActivityKind, type Continuity, type DigestData, type ScaleFigure, type Window, type YesPartlyNo } from "./data.ts";

/** Pure decisions and figures of the digest: no database. */

export const WEEK = 7 * DAY;
const OPEN_STATUSES = ["received", "considering", "agreed"];

export const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function scaleFigure(values: readonly number[]): ScaleFigure {
  const m = median(values);
  return {
    answers: values.length,
    mean: values.length ? round(values.reduce((a, b) => a + b, 0) / values.length) : null,
    median: m === null ? null : round(m),
  };
}

export function yesPartlyNo(answers: readonly (string | null | undefined)[]): YesPartlyNo {
  const tally: YesPartlyNo = { yes: 0, partly: 0, no: 0 };
  for (const a of answers) if (a === "yes" || a === "partly" || a === "no") tally[a]++;
  return tally;
}

export const inWindow = (at: Date | null | undefined, from: Date, to: Date) => Boolean(at && at >= from && at < to);

export type Activity = { personId: string; role: Role; kind: ActivityKind; at: Date };

export function participation(all: Activity[], w: Window, minGroupSize: number): DigestData["participation"] {
  const week = all.filter((a) => inWindow(a.at, w.from, w.end));
  const peopleDoing = (kind: ActivityKind) => new Set(week.filter((a) => a.kind === kind).map((a) => a.personId)).size;

  // Continuity: per person, the kinds of activity and the weeks they took part in so far.
  const history = new Map<string, { role: Role; kinds: Set<ActivityKind>; weeks: Set<number> }>();
  for (const a of all) {
    const h = history.get(a.personId) ?? { role: a.role, kinds: new Set(), weeks: new Set() };
    h.kinds.add(a.kind);
    h.weeks.add(weekStart(a.at).getTime());
    history.set(a.personId, h);
  }
  const people = [...history].map(([personId, h]) => ({ personId, role: h.role, severalKinds: h.kinds.size >= 2, severalWeeks: h.weeks.size >= 2 }));
  const count = (list: typeof people): Continuity => ({ severalKinds: list.filter((p) => p.severalKinds).length, severalWeeks: list.filter((p) => p.severalWeeks).length });

  return {
    people: new Set(week.map((a) => a.personId)).size,
    byRole: countBreakdown(week, { roleOf: (a) => a.role, personOf: (a) => a.personId, minGroupSize, alwaysList: PARTICIPANT_ROLES }),
    byActivity: { answer: peopleDoing("answer"), suggestion: peopleDoing("suggestion"), taster: peopleDoing("taster"), panel: peopleDoing("panel") },
    continuity: {
      peopleSoFar: people.length,
      ...count(people),
      byRole: breakdown(people, { roleOf: (p) => p.role, personOf: (p) => p.personId, minGroupSize, summarise: count }).rows,
    },
  };
}

export function openAt(item: { status: string; createdAt: Date; closedAt: Date | null }, at: Date): boolean {
  if (item.createdAt >= at) return false;
  return item.closedAt ? item.closedAt >= at : OPEN_STATUSES.includes(item.status);
}

/**
 * The weeks whose digest is due at `now`, oldest first: weeks that have ended,
 * that the programme existed in, that have no digest yet, and no more than
 * the last `maxWeeks` (so a long outage does not flood anyone).
 */
export function digestWeeksDue(now: Date, programmeCreatedAt: Date, existing: readonly Date[], maxWeeks = MAX_CATCH_UP_WEEKS): Date[] {
  const current = weekStart(now).getTime();
  const first = weekStart(programmeCreatedAt).getTime();
  const have = new Set(existing.map((d) => d.getTime()));
  const due: Date[] = [];
  for (let back = maxWeeks; back >= 1; back--) {
    const start = current - back * WEEK;
    if (start >= first && !have.has(start)) due.push(new Date(start));
  }
  return due;
}

/** "digest", "digest current", "digest this week", "digest last". */
export function digestCommandArgs(rest: string): Record<string, string> {
  const words = rest.trim().toLowerCase();
  if (words === "" || /^(last|latest)\b/.test(words)) return {};
  if (/^(current|now|this|so far)\b/.test(words)) return { week: "current" };
  return { week: words };
}
