import type { DbTx } from "../db/database.ts";
import type { Platform } from "../messenger.ts";
import type { Person, PlatformIdentity } from "../generated/prisma/client.ts";

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
  user: { externalId: string; displayName?: string; tenantId?: string; address?: unknown },
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
    data: { displayName: user.displayName?.trim() || UNKNOWN_NAME, preference: { create: {} } },
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
