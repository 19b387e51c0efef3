import type { CoreContext } from "./context.ts";
import type { Platform } from "./messenger.ts";
import { DEFAULT_TIME_ZONE, ensureIdentity } from "./people/index.ts";

/** A person the core knows by a platform id. */
export type KnownPerson = {
  personId: string;
  displayName: string;
  /** What the adapter gave for reaching them later (e.g. a Teams conversation reference), opaque to the core. */
  address: unknown;
};

/** A conversation linked to a programme. */
export type KnownChannel = { programmeId: string; name: string };

/**
 * What adapters may ask the core about people and conversations, by their
 * platform's ids. Adapters never query the database; they ask here.
 */
export type Directory = {
  /** The person behind a platform id, or null when nobody (or nobody not yet erased) has it. */
  findPerson(platform: Platform, externalId: string): Promise<KnownPerson | null>;
  /** Makes sure each of these people exists, so they can be named before they first act. Known people are left as they are. */
  addPeople(platform: Platform, people: readonly { externalId: string; displayName?: string }[]): Promise<void>;
  /**
   * Keeps a person who installed the app, with the address to write to them later (a Teams conversation
   * reference that no later interaction may bring again). Interactions alone never make a person (issue 11).
   */
  remember(platform: Platform, user: { externalId: string; displayName?: string; tenantId?: string; address?: unknown }): Promise<void>;
  /**
   * The time zone wesaid uses for a person (chosen, from their platform, or the default), so a page can show
   * them the time where they are; null when nobody (or nobody not yet erased) has this platform id.
   */
  timeZoneOf(platform: Platform, externalId: string): Promise<string | null>;
  /** The programme a conversation is linked to, or null. */
  findChannel(platform: Platform, externalId: string): Promise<KnownChannel | null>;
};

export function createDirectory(ctx: CoreContext): Directory {
  return {
    async findPerson(platform, externalId) {
      const identity = await ctx.db.platformIdentity.findUnique({
        where: { platform_externalId: { platform, externalId } },
        include: { person: { select: { displayName: true } } },
      });
      if (!identity) return null;
      return { personId: identity.personId, displayName: identity.person.displayName, address: identity.address ?? null };
    },

    async addPeople(platform, people) {
      if (people.length === 0) return;
      const known = await ctx.db.platformIdentity.findMany({
        where: { platform, externalId: { in: people.map((p) => p.externalId) } },
        select: { externalId: true },
      });
      const have = new Set(known.map((k) => k.externalId));
      for (const person of people) {
        if (have.has(person.externalId)) continue;
        await ensureIdentity(ctx.db, ctx.clock.now(), platform, { externalId: person.externalId, displayName: person.displayName });
        have.add(person.externalId);
      }
    },

    async remember(platform, user) {
      await ensureIdentity(ctx.db, ctx.clock.now(), platform, user);
    },

    async timeZoneOf(platform, externalId) {
      const person = await ctx.db.person.findFirst({
        where: { identities: { some: { platform, externalId } } },
        select: { preference: { select: { timeZone: true } } },
      });
      return person ? (person.preference?.timeZone ?? DEFAULT_TIME_ZONE) : null;
    },

    async findChannel(platform, externalId) {
      const channel = await ctx.db.programmeChannel.findUnique({ where: { platform_externalId: { platform, externalId } } });
      return channel ? { programmeId: channel.programmeId, name: channel.name } : null;
    },
  };
}
