/** Retention decisions: pure, no database. */

/** Choices offered to organisers, in months. */
export const RETENTION_CHOICES = [6, 12, 24, 36, 60, 84] as const;

/** The same day and time `months` calendar months later (the 31st becomes the last day of a shorter month). */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

export type RetentionPlan =
  /** Everything in the programme is deleted now. */
  | { kind: "delete"; deleteAt: Date }
  /** Nothing to do before `deleteAt` (new activity can only move it later); look again then. */
  | { kind: "keep"; deleteAt: Date };

/**
 * A programme's data is deleted `months` after its last activity: the last
 * time anyone did something in it. `now` exactly at the limit deletes.
 */
export function retentionPlan(p: { lastActivity: Date; months: number; now: Date }): RetentionPlan {
  const deleteAt = addMonths(p.lastActivity, p.months);
  return p.now.getTime() >= deleteAt.getTime() ? { kind: "delete", deleteAt } : { kind: "keep", deleteAt };
}
