import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Preference } from "../generated/prisma/client.ts";
import { audit } from "../audit.ts";
import { timeZone } from "../validation.ts";
import { parseClockTime } from "../time.ts";
import { offerHeldPrompts, resumeReminders } from "../prompts/index.ts";
import { chosenZoneChanges, DEFAULT_TIME_ZONE, followPlatformChanges } from "./zones.ts";
import * as say from "./catalogue.ts";

export { DEFAULT_TIME_ZONE };

/** The person's time zone, for showing them dates and times. */
export async function timeZoneOf(db: DbTx, personId: string): Promise<string> {
  return (await db.preference.findUnique({ where: { personId } }))?.timeZone ?? DEFAULT_TIME_ZONE;
}

export async function preferencesOf(db: DbTx, personId: string): Promise<Preference> {
  return db.preference.upsert({ where: { personId }, create: { personId }, update: {} });
}

export const preferencesInput = z.object({
  timeZone: timeZone.optional(),
  quietStart: z.string().optional(),
  quietEnd: z.string().optional(),
  reminderLimit: z.coerce.number().int().min(0).max(5).optional(),
});
export const PREFERENCE_LABELS = { timeZone: "Time zone", reminderLimit: "Reminders" };
export type PreferencesInput = z.output<typeof preferencesInput>;

/** Saves checked preferences; quiet hours are read from "21:00"-style times. */
export async function updatePreferences(ctx: CoreContext, personId: string, input: PreferencesInput): Promise<Preference> {
  const quietStart = input.quietStart === undefined ? undefined : parseClockTime(input.quietStart);
  const quietEnd = input.quietEnd === undefined ? undefined : parseClockTime(input.quietEnd);
  if (quietStart === null || quietEnd === null) throw new WesaidError("invalid_input", say.prefsText.badTime);
  const pref = await preferencesOf(ctx.db, personId);
  const zone = input.timeZone ? chosenZoneChanges(pref, input.timeZone) : null;
  return ctx.db.preference.update({
    where: { personId },
    data: {
      ...(zone ?? {}),
      ...(quietStart !== undefined ? { quietStart } : {}),
      ...(quietEnd !== undefined ? { quietEnd } : {}),
      ...(input.reminderLimit !== undefined ? { reminderLimit: input.reminderLimit } : {}),
    },
  });
}

/**
 * Stops using the zone the person chose: their zone is their chat platform's again (the one it last
 * reported, or the default when none did), and follows it from now on. Null when it already did.
 */
export async function followPlatformZone(ctx: CoreContext, personId: string): Promise<Preference | null> {
  const changes = followPlatformChanges(await preferencesOf(ctx.db, personId));
  if (!changes) return null;
  return ctx.db.preference.update({ where: { personId }, data: changes });
}

/**
 * Pauses or resumes every message to the person (the gate reads pausedAt).
 * Resuming offers questions that opened during the pause and are still open,
 * once, and lets reminders the pause stopped start again later (not at once).
 * False when nothing changed.
 */
export async function setPaused(ctx: CoreContext, personId: string, paused: boolean): Promise<boolean> {
  await preferencesOf(ctx.db, personId);
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const changed = await tx.preference.updateMany({ where: { personId, pausedAt: paused ? null : { not: null } }, data: { pausedAt: paused ? now : null } });
    if (changed.count === 0) return false;
    await audit(tx, now, personId, paused ? "person.pause" : "person.resume", "Person", personId);
    if (!paused) {
      await offerHeldPrompts(tx, personId, now);
      await resumeReminders(tx, personId, now);
    }
    return true;
  });
}
