import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import type { Platform } from "../messenger.ts";
import type { Membership, Person, PlatformIdentity } from "../generated/prisma/client.ts";
import type { Actor } from "../interactions.ts";
import type { ZoneState } from "./zones.ts";

/** The name of someone we know only by a chat id, until they tell us theirs. */
export const UNKNOWN_NAME = "Someone";

/**
 * The person behind a chat account, made on first sight. Seeing them again
 * marks the account reachable and keeps their name and address up to date.
 */
export async function ensureIdentity(
  db: DbTx,
  now: Date,
  platform: Platform,
  user: { externalId: string; displayName?: string; tenantId?: string; address?: unknown; timeZone?: string },
): Promise<{ person: Person; identity: PlatformIdentity }> {
  const existing = await db.platformIdentity.findUnique({ where: { platform_externalId: { platform, externalId: user.externalId } }, include: { person: true } });
  if (existing) {
    // lastSeenAt picks which of a person's chat accounts to write to, so it moves only when they switch accounts:
    // a time stamped at every press would tell anyone with the database who acted when, such as who answered
    // anonymous questions (see src/prompts/answers.ts).
    const switched = await db.platformIdentity.count({ where: { personId: existing.personId, id: { not: existing.id }, lastSeenAt: { gt: existing.lastSeenAt } } });
    const identity = await db.platformIdentity.update({
      where: { id: existing.id },
      data: {
        ...(switched > 0 ? { lastSeenAt: now } : {}),
        reachable: true,
        unreachableReason: null,
        ...(user.address !== undefined ? { address: user.address as object } : {}),
        ...(user.tenantId ? { tenantId: user.tenantId } : {}),
      },
    });
    let person = existing.person;
    if (user.displayName && user.displayName !== person.displayName) {
      person = await db.person.update({ where: { id: person.id }, data: { displayName: user.displayName } });
    }
    return { person, identity };
  }
  const person = await db.person.create({
    data: {
      displayName: user.displayName?.trim() || UNKNOWN_NAME,
      // A zone the platform told us (checked by the core first) is where they are until they choose another.
      preference: { create: user.timeZone ? { timeZone: user.timeZone, detectedTimeZone: user.timeZone, detectedFrom: platform } : {} },
    },
  });
  const identity = await db.platformIdentity.create({
    data: {
      personId: person.id,
      platform,
      externalId: user.externalId,
      tenantId: user.tenantId ?? null,
      address: (user.address as object | undefined) ?? undefined,
      lastSeenAt: now,
    },
  });
  return { person, identity };
}

type ChatUser = { externalId: string; displayName?: string; tenantId?: string; address?: unknown };

/** The person behind a chat account with their zone fields (none when they have no preferences row yet), in one statement. */
const actorRow = z.object({
  id: z.string(),
  displayName: z.string(),
  createdAt: z.date(),
  erasedAt: z.date().nullable(),
  timeZone: z.string().nullable(),
  timeZoneChosen: z.boolean().nullable(),
  detectedTimeZone: z.string().nullable(),
  detectedFrom: z.string().nullable(),
});

/**
 * The person behind an interaction, read in one go (person with their zone fields, chat accounts, memberships:
 * three statements), or null for someone wesaid has never met. Nothing is created here: a stranger who asks for
 * help or presses an old button leaves no row (issue 11); `enrol` makes their rows when they join. Like
 * ensureIdentity it marks the account reachable and keeps the name and address up to date, but writes only what
 * changed. The zone fields come with the person so that noting the zone a platform reports needs no read of its own.
 */
export async function findActorIdentity(
  db: DbTx,
  now: Date,
  platform: Platform,
  user: ChatUser,
): Promise<{ person: Person; identity: PlatformIdentity; memberships: Membership[]; zone: ZoneState | null } | null> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT p."id", p."displayName", p."createdAt", p."erasedAt",
           f."timeZone", f."timeZoneChosen", f."detectedTimeZone", f."detectedFrom"
      FROM "PlatformIdentity" i
      JOIN "Person" p ON p."id" = i."personId"
      LEFT JOIN "Preference" f ON f."personId" = p."id"
     WHERE i."platform" = ${platform} AND i."externalId" = ${user.externalId}`;
  const [row] = z.array(actorRow).max(1).parse(rows);
  if (!row) return null;
  const { timeZone, timeZoneChosen, detectedTimeZone, detectedFrom, ...person } = row;
  const zone = timeZone === null ? null : { timeZone, timeZoneChosen: timeZoneChosen ?? false, detectedTimeZone, detectedFrom };
  const [identities, memberships] = await Promise.all([
    db.platformIdentity.findMany({ where: { personId: person.id } }),
    db.membership.findMany({ where: { personId: person.id }, orderBy: { joinedAt: "asc" } }),
  ]);
  let identity = identities.find((i) => i.platform === platform && i.externalId === user.externalId)!;
  // As in ensureIdentity: lastSeenAt moves only when the person switches accounts.
  const switched = identities.some((i) => i.id !== identity.id && i.lastSeenAt > identity.lastSeenAt);
  const changes = {
    ...(switched ? { lastSeenAt: now } : {}),
    ...(!identity.reachable || identity.unreachableReason !== null ? { reachable: true, unreachableReason: null } : {}),
    ...(user.address !== undefined && JSON.stringify(user.address) !== JSON.stringify(identity.address) ? { address: user.address as object } : {}),
    ...(user.tenantId && user.tenantId !== identity.tenantId ? { tenantId: user.tenantId } : {}),
  };
  if (Object.keys(changes).length > 0) identity = await db.platformIdentity.update({ where: { id: identity.id }, data: changes });
  let current: Person = person;
  if (user.displayName && user.displayName !== person.displayName) {
    current = await db.person.update({ where: { id: person.id }, data: { displayName: user.displayName } });
  }
  return { person: current, identity, memberships, zone };
}

/**
 * Someone wesaid has not met, as an actor with no rows behind them. The stand-in id is stable for the
 * account, so a role button offered to them (src/people/invitations.ts) still matches when they press it;
 * no table holds it, so reads find nothing and nothing is written under it.
 */
export function newcomer(now: Date, platform: Platform, user: ChatUser): { person: Person; identity: PlatformIdentity } {
  const id = `newcomer:${platform}:${user.externalId}`;
  return {
    person: { id, displayName: user.displayName?.trim() || UNKNOWN_NAME, createdAt: now, erasedAt: null },
    identity: {
      id,
      personId: id,
      platform,
      externalId: user.externalId,
      tenantId: user.tenantId ?? null,
      address: (user.address as PlatformIdentity["address"] | undefined) ?? null,
      reachable: true,
      unreachableReason: null,
      lastSeenAt: now,
      createdAt: now,
    },
  };
}

/** Makes a newcomer's Person and chat account, when they join or set up a programme; a known actor is left as is. */
export async function enrol(db: DbTx, now: Date, actor: Actor): Promise<Person> {
  if (!actor.newcomer) return actor.person;
  const { person, identity } = await ensureIdentity(db, now, actor.platform, {
    externalId: actor.identity.externalId,
    displayName: actor.person.displayName === UNKNOWN_NAME ? undefined : actor.person.displayName,
    tenantId: actor.identity.tenantId ?? undefined,
    address: actor.identity.address ?? undefined,
    ...(actor.timeZone ? { timeZone: actor.timeZone } : {}),
  });
  Object.assign(actor, { person, identity, newcomer: false });
  return person;
}

/** Someone named in a mention: their person, with the mention's name if we did not know theirs yet. */
export async function personMentioned(db: DbTx, now: Date, platform: Platform, ref: { externalId: string; displayName?: string }): Promise<Person> {
  let { person } = await ensureIdentity(db, now, platform, { externalId: ref.externalId });
  const name = ref.displayName?.trim();
  // Someone we have not met yet takes the name from the mention, so reports about them can name them.
  if (person.displayName === UNKNOWN_NAME && name) {
    person = await db.person.update({ where: { id: person.id }, data: { displayName: name } });
  }
  return person;
}

/**
 * The people wesaid knows behind a list of mentions or picker choices, looked
 * up on one platform in one query: externalId → personId (absent when unknown).
 * The one place a PersonRef becomes a person without creating anyone.
 */
export async function knownPeople(db: DbTx, platform: Platform, refs: readonly { externalId: string }[]): Promise<Map<string, string>> {
  const ids = [...new Set(refs.map((r) => r.externalId))];
  if (ids.length === 0) return new Map();
  const found = await db.platformIdentity.findMany({ where: { platform, externalId: { in: ids } }, select: { externalId: true, personId: true } });
  return new Map(found.map((i) => [i.externalId, i.personId]));
}
