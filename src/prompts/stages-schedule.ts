import { DAY } from "../clock.ts";
import type { SeriesStage } from "./series.ts";

/**
 * NDTi-style staged surveys: a series asked once at the baseline, once at the
 * mid-point and once at the end, each on its own date, instead of on a
 * repeating schedule. Pure.
 */

export type StageDates = { baselineAt: Date | null; midpointAt: Date | null; endAt: Date | null };
export type StageOpening = { stage: SeriesStage; at: Date };

/** The stages that have a date, in the order they are asked. */
export function stagesOf(s: StageDates): StageOpening[] {
  const all: [SeriesStage, Date | null][] = [
    ["baseline", s.baselineAt],
    ["midpoint", s.midpointAt],
    ["end", s.endAt],
  ];
  return all.flatMap(([stage, at]) => (at ? [{ stage, at }] : []));
}

export const isStaged = (s: StageDates): boolean => stagesOf(s).length > 0;

export type StagesProblem = "stage_in_past" | "stages_out_of_order";

/** Why these stage dates cannot be used, or null: each must be in the future, a day or more after the one before. */
export function stagesProblem(s: StageDates, now: Date): StagesProblem | null {
  const stages = stagesOf(s);
  if (stages.some((o) => o.at <= now)) return "stage_in_past";
  for (let i = 1; i < stages.length; i++) if (stages[i]!.at.getTime() - stages[i - 1]!.at.getTime() < DAY) return "stages_out_of_order";
  return null;
}

export type StagePlan =
  | { kind: "create"; stage: SeriesStage; scheduledFor: Date; closesAt: Date; nextOccurrenceAt: Date | null }
  | { kind: "skip"; nextOccurrenceAt: Date | null }
  | { kind: "not_due" };

/**
 * What to do for a staged series at `now`, given when each stage opens. As with
 * repeating series, after downtime only the latest missed stage is sent, and
 * only while it is still open.
 */
export function planStage(openings: readonly StageOpening[], closeAfterHours: number, nextOccurrenceAt: Date | null, now: Date): StagePlan {
  if (!nextOccurrenceAt || nextOccurrenceAt > now) return { kind: "not_due" };
  const next = openings.find((o) => o.at > now)?.at ?? null;
  const missed = openings.filter((o) => o.at >= nextOccurrenceAt && o.at <= now);
  const latest = missed[missed.length - 1];
  if (!latest) return { kind: "skip", nextOccurrenceAt: next };
  const closesAt = new Date(latest.at.getTime() + closeAfterHours * 3_600_000);
  if (closesAt <= now) return { kind: "skip", nextOccurrenceAt: next };
  return { kind: "create", stage: latest.stage, scheduledFor: latest.at, closesAt, nextOccurrenceAt: next };
}
