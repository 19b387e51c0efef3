import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import { audit } from "../audit.ts";
import { lastActivity } from "./activity.ts";
import { retentionPlan } from "./rules.ts";
import * as say from "./catalogue.ts";

export type RetentionState = { programmeName: string; months: number; isDefault: boolean; lastActivity: Date; deleteAt: Date };

/** A programme's retention period (its own, or the default), its last activity and the day it would be deleted. */
export async function retentionOf(ctx: CoreContext, programmeId: string): Promise<RetentionState> {
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { name: true, retentionMonths: true } });
  const months = programme.retentionMonths ?? ctx.settings.retentionMonths;
  const last = await lastActivity(ctx.db, programmeId);
  return { programmeName: programme.name, months, isDefault: programme.retentionMonths === null, lastActivity: last, deleteAt: retentionPlan({ lastActivity: last, months, now: ctx.clock.now() }).deleteAt };
}

/**
 * Sets a programme's retention period. Refused when it would delete the
 * programme at once (nothing has happened in it for longer than that): a
 * setting is not the place to delete a programme by accident.
 */
export async function setRetention(ctx: CoreContext, byId: string, programmeId: string, months: number): Promise<RetentionState> {
  const now = ctx.clock.now();
  const before = await retentionOf(ctx, programmeId);
  if (retentionPlan({ lastActivity: before.lastActivity, months, now }).kind === "delete") throw new WesaidError("invalid_input", say.retentionText.tooShort(before.programmeName));
  await ctx.db.$transaction(async (tx) => {
    // The sweep looks again at once, with the new period.
    await tx.programme.update({ where: { id: programmeId }, data: { retentionMonths: months, retentionCheckAt: now } });
    await audit(tx, now, byId, "programme.retention.set", "Programme", programmeId, { from: before.months, to: months });
  });
  return retentionOf(ctx, programmeId);
}
