import type { DbTx } from "../db/database.ts";
import type { Logger } from "../context.ts";
import type { Platform } from "../messenger.ts";
import type { Preference } from "../generated/prisma/client.ts";
import { timeZone } from "../validation.ts";

/**
 * Where a person is: the zone they chose beats the zone their chat platform
 * reports (Slack's profile, Teams' client), which beats the default. The
 * zone in use is kept in Preference.timeZone, so the gate's quiet hours,
 * reminders, local-time questions and dates all read the same one.
 */

export type ZoneState = Pick<Preference, "timeZone" | "timeZoneChosen" | "detectedTimeZone" | "detectedFrom">;
type ZoneChanges = Partial<ZoneState>;

/** The zone when nothing says otherwise. */
export const DEFAULT_TIME_ZONE = "Europe/London";

/** A zone a platform sent, when it is one we know; anything else is dropped (and logged by the caller). */
export function platformZone(zone: unknown): string | null {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 100) return null;
  const parsed = timeZone.safeParse(zone);
  return parsed.success ? parsed.data : null;
}

/** What changes when the platform says the person is in `zone`: their zone follows it unless they chose one. */
export function detectedZoneChanges(pref: ZoneState, zone: string, platform: Platform): ZoneChanges | null {
  const changes: ZoneChanges = {};
  if (pref.detectedTimeZone !== zone) changes.detectedTimeZone = zone;
  if (pref.detectedFrom !== platform) changes.detectedFrom = platform;
  if (!pref.timeZoneChosen && pref.timeZone !== zone) changes.timeZone = zone;
  return Object.keys(changes).length ? changes : null;
}

/**
 * What changes when the person saves `zone` in their preferences. The form
 * shows the zone in use, so sending it back unchanged (while changing quiet
 * hours, say) is not a choice: the platform's zone keeps following them.
 */
export function chosenZoneChanges(pref: ZoneState, zone: string): ZoneChanges | null {
  if (zone === pref.timeZone) return null;
  return { timeZone: zone, timeZoneChosen: true };
}

/**
 * What changes when the person goes back to their chat platform's zone (home from a trip, say): the zone the
 * platform last reported, or the default when none did; from then on it follows the platform again. Null when
 * their zone already follows it.
 */
export function followPlatformChanges(pref: ZoneState): ZoneChanges | null {
  if (!pref.timeZoneChosen) return null;
  return { timeZone: pref.detectedTimeZone ?? DEFAULT_TIME_ZONE, timeZoneChosen: false };
}

/** Where the zone in use comes from, in the person's words: they chose it, their chat platform, or the default. */
export type ZoneOrigin = "chosen" | "default" | Platform;
export function zoneOrigin(pref: ZoneState): ZoneOrigin {
  if (pref.timeZoneChosen) return "chosen";
  return zoneSource(pref) ?? "default";
}

/** Where the zone in use came from, for the preferences view: the platform's name, or null when chosen or the default. */
export function zoneSource(pref: ZoneState): Platform | null {
  if (pref.timeZoneChosen || !pref.detectedFrom || pref.detectedTimeZone !== pref.timeZone) return null;
  return pref.detectedFrom as Platform;
}

/**
 * Records the zone a platform reported for a known person. Their zone fields
 * come with the actor (src/people/identities.ts findActorIdentity), so this
 * reads nothing and writes only when something changed (someone who
 * travelled). Questions already sent or due are left as they are; the next
 * ones follow the new zone.
 */
export async function noteDetectedZone(db: DbTx, log: Logger, personId: string, pref: ZoneState | null, platform: Platform, zone: string): Promise<void> {
  if (!pref) {
    await db.preference.createMany({ data: [{ personId, timeZone: zone, detectedTimeZone: zone, detectedFrom: platform }], skipDuplicates: true });
    return;
  }
  const changes = detectedZoneChanges(pref, zone, platform);
  if (!changes) return;
  await db.preference.update({ where: { personId }, data: changes });
  if (changes.timeZone) log.info("a person's time zone changed on their chat platform", { personId, platform, timeZone: zone });
}
