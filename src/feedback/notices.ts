import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { recipients, tellPeople, type Decision } from "../gate.ts";

/** Builds one person's notice, with their time zone for dates; null to send them nothing. */
export type MakeNotice = Parameters<typeof tellPeople>[3];

/**
 * Queues a notice about ideas or actions for each person the gate lets
 * through (kind "feedback"): one gate call for the whole fan-out. People who
 * paused, left or cannot be reached get nothing; the rest get it now or when
 * their quiet hours end. Returns the ids of the people who will be told.
 */
export function tell(tx: DbTx, ctx: CoreContext, now: Date, programmeId: string, personIds: readonly string[], make: MakeNotice): Promise<string[]> {
  return tellPeople(tx, now, { kind: "feedback", programmeId, personIds }, make);
}

/** The gate's decisions for a fan-out in which one person may get several notices (one per idea). */
export function mayTell(tx: DbTx, ctx: CoreContext, now: Date, programmeId: string, personIds: readonly string[]): Promise<Map<string, Decision>> {
  return recipients(tx, now, { kind: "feedback", programmeId, personIds });
}
