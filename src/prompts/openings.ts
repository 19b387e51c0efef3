import { nextSlotAfter, planOccurrence } from "./rules.ts";
import type { SeriesStage } from "./series.ts";
import { EARLIEST_ZONE, earliestOpeningFor, localCloseAfterHours, personDueAt } from "./local-time.ts";
import { planStage, stagesOf, type StageDates } from "./stages-schedule.ts";

/**
 * When a series opens its next occurrence, whatever its kind: a repeating
 * schedule in one zone, the same at each person's local time, or a staged
 * survey on set dates. Pure: the sweep in occurrences.ts carries the plan out.
 */

export type SeriesTiming = StageDates & { cron: string; timeZone: string; weekInterval?: number; localTime: boolean; closeAfterHours: number; nextOccurrenceAt: Date | null };

export type SeriesPlan =
  | { kind: "create"; stage: SeriesStage | null; scheduledFor: Date; closesAt: Date; nextOccurrenceAt: Date | null }
  | { kind: "skip"; nextOccurrenceAt: Date | null }
  | { kind: "not_due" };

/** A local-time series opens when the earliest zone reaches the slot's clock time. */
function openingSchedule(s: SeriesTiming) {
  return { cron: s.cron, timeZone: s.localTime ? EARLIEST_ZONE : s.timeZone, weekInterval: s.weekInterval ?? 1 };
}

function stageOpenings(s: SeriesTiming) {
  return stagesOf(s).map((o) => ({ stage: o.stage, at: s.localTime ? earliestOpeningFor(o.at, s.timeZone) : o.at }));
}

function closeAfter(s: SeriesTiming): number {
  return s.localTime ? localCloseAfterHours(s.closeAfterHours) : s.closeAfterHours;
}

/** When the series next opens after `after`, or null when a staged survey has no stage left. */
export function nextOpeningAfter(s: SeriesTiming, after: Date): Date | null {
  if (stagesOf(s).length) return stageOpenings(s).find((o) => o.at > after)?.at ?? null;
  return nextSlotAfter(openingSchedule(s), after);
}

/** What to do for a series at `now`: open an occurrence (and which stage it is), skip a closed slot, or wait. */
export function planSeries(s: SeriesTiming, now: Date): SeriesPlan {
  if (stagesOf(s).length) return planStage(stageOpenings(s), closeAfter(s), s.nextOccurrenceAt, now);
  const plan = planOccurrence({ ...openingSchedule(s), closeAfterHours: closeAfter(s), nextOccurrenceAt: s.nextOccurrenceAt }, now);
  return plan.kind === "create" ? { ...plan, stage: null } : plan;
}

/** When a person in `personZone` is due an occurrence opened at `scheduledFor`: at once, unless the series goes by local time. */
export function deliveryDueAt(s: Pick<SeriesTiming, "localTime" | "timeZone">, scheduledFor: Date, personZone: string | null, now: Date): Date {
  if (!s.localTime) return now;
  const due = personDueAt(scheduledFor, EARLIEST_ZONE, personZone || s.timeZone);
  return due > now ? due : now;
}

/** The next time a series asks, as its own zone's clock shows it (for a local-time series, when its own zone is asked). */
export function nextAskedInSeriesZone(s: Pick<SeriesTiming, "localTime" | "timeZone" | "nextOccurrenceAt">): Date | null {
  if (!s.nextOccurrenceAt) return null;
  return s.localTime ? personDueAt(s.nextOccurrenceAt, EARLIEST_ZONE, s.timeZone) : s.nextOccurrenceAt;
}
