import { z } from "zod";
import type { CoreContext } from "./context.ts";
import type { Message } from "./messages/model.ts";
import { PLATFORMS, type Platform } from "./messenger.ts";
import type { Membership, Person, PlatformIdentity } from "./generated/prisma/client.ts";
import type { Capability } from "./roles.ts";

/**
 * One normalised inbound event. Adapters turn a Slack event, a Teams activity
 * or a playground click into this and call core.handle(); nothing else.
 *
 * Mentions of people inside command text are written `<@externalId>` by every
 * adapter (Slack's own form), so the core can find who is meant.
 */
export const interactionSchema = z.object({
  platform: z.enum(PLATFORMS),
  /** The platform's id for this delivery: a retry with the same id is handled once. */
  eventId: z.string().min(1).max(200).optional(),
  user: z.object({
    externalId: z.string().min(1).max(200),
    displayName: z.string().max(200).optional(),
    tenantId: z.string().max(200).optional(),
    /** Adapter data for reaching this person later (a Teams conversation reference). */
    address: z.unknown().optional(),
  }),
  place: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("direct") }),
    z.object({
      kind: z.literal("channel"),
      externalId: z.string().min(1).max(200),
      name: z.string().max(200).optional(),
      address: z.unknown().optional(),
    }),
  ]),
  input: z.discriminatedUnion("kind", [
    /** Text typed to the bot: "/wesaid suggest ..." on Slack, "suggest ..." in a Teams chat. */
    z.object({ kind: z.literal("command"), text: z.string().max(4000) }),
    /** A button pressed or a form sent: the ActionCall it carried, with form values added to args. */
    z.object({ kind: z.literal("action"), action: z.string().min(1).max(100), args: z.record(z.string(), z.string().max(4000)) }),
  ]),
});
export type Interaction = z.infer<typeof interactionSchema>;
export type Place = Interaction["place"];

/** What the person who acted sees. The core sends everything else through the outbox. */
export type Reply = {
  /** Shown only to the person (an ephemeral Slack message, a 1:1 Teams message). */
  private?: Message;
  /** Replaces the message whose button or form was used (shows the answer in place). */
  replaceSource?: Message;
  /** Set when the reply is an error, so adapters can, for example, keep a modal open. */
  error?: { code: string };
  /** True when this event id was already handled: the adapter acknowledges and does nothing. */
  duplicate?: boolean;
};

/** The person behind an interaction, with everything the handlers check. */
export type Actor = {
  person: Person;
  identity: PlatformIdentity;
  platform: Platform;
  place: Place;
  memberships: Membership[];
  /** The programme linked to the channel the interaction came from, if any. */
  channelProgrammeId?: string;
};

export type ActionDef = {
  action: string;
  run(ctx: CoreContext, actor: Actor, args: Record<string, string>): Promise<Reply>;
};

/** A text command: `/wesaid <name> <rest>`. It turns text into an action call. */
export type CommandDef = {
  name: string;
  /** Other words people type for it. */
  aliases?: string[];
  /** e.g. "suggest <your idea>" */
  usage: string;
  /** One plain-English line for help. */
  summary: string;
  /** Shown in help only to roles with this capability (and to everyone when absent). */
  capability?: Capability;
  toAction(rest: string): { action: string; args: Record<string, string> };
};

/**
 * Scheduled work: finds what is due at `now` (from the database, never from
 * memory), claims it there, and queues messages. Returns how many items it handled.
 */
export type Sweep = { name: string; run(ctx: CoreContext, now: Date): Promise<number> };

/** A loop or feature: its buttons/forms, its text commands and its scheduled work. */
export type Feature = { name: string; actions: ActionDef[]; commands: CommandDef[]; sweeps?: Sweep[] };
