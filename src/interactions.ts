import { z } from "zod";
import type { CoreContext } from "./context.ts";
import type { Message } from "./messages/model.ts";
import { PLATFORMS, type Platform } from "./messenger.ts";
import type { Membership, Person, PlatformIdentity } from "./generated/prisma/client.ts";
import type { Capability } from "./roles.ts";

/**
 * A person named in an interaction: mentioned in a command, or chosen in a
 * form's people picker. Adapters resolve their platform's markup into this;
 * the core never parses `<@id>` text.
 */
export const personRefSchema = z.object({
  externalId: z.string().min(1).max(200),
  displayName: z.string().max(200).optional(),
  /** The words that stand for this person in the command text (e.g. "@Jo Bloggs"), so commands can read around them. */
  shownAs: z.string().max(400).optional(),
});
export type PersonRef = z.infer<typeof personRefSchema>;

/**
 * One normalised inbound event. Adapters turn a Slack event, a Teams activity
 * or a playground click into this and call core.handle(); nothing else.
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
    /**
     * The IANA zone the platform says the person is in (Slack's profile, Teams' client). Checked by the
     * core, not here: a zone we do not know is logged and ignored rather than refusing what they did.
     */
    timeZone: z.string().max(100).optional(),
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
    z.object({
      kind: z.literal("command"),
      /** Mentions appear in it as their `shownAs` words ("@Jo"), never as platform markup. */
      text: z.string().max(4000),
      /** People mentioned, in the order they appear. */
      mentions: z.array(personRefSchema).max(50).default([]),
    }),
    /** A button pressed or a form sent: the ActionCall it carried, with form values added to args. */
    z.object({
      kind: z.literal("action"),
      action: z.string().min(1).max(100),
      args: z.record(z.string(), z.string().max(4000)),
      /** People chosen in people pickers, by input id. */
      people: z.record(z.string(), z.array(personRefSchema).max(100)).default({}),
    }),
  ]),
});
export type Interaction = z.input<typeof interactionSchema>;
export type ParsedInteraction = z.output<typeof interactionSchema>;
export type Place = Interaction["place"];

/** What the person who acted sees. The core sends everything else through the outbox. */
export type Reply = {
  /** Shown only to the person (an ephemeral Slack message, a 1:1 Teams message). */
  private?: Message;
  /** Replaces the message whose button or form was used (shows the answer in place). */
  replaceSource?: Message;
  /**
   * Set when the reply is an error, so adapters can, for example, keep a modal open;
   * `field` names the form input a refused form should mark, when the error is about one.
   */
  error?: { code: string; field?: string };
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
  /**
   * Someone wesaid has not met: `person` and `identity` are stand-ins with no rows behind them
   * (src/people/identities.ts `newcomer`), made real by `enrol` when they join.
   */
  newcomer?: boolean;
  /** The zone their platform reported with this interaction, when it is one we know (src/people/zones.ts). */
  timeZone?: string;
};

import type { ActionDef } from "./registry.ts";
export type { ActionDef };

/** What a command asks the core to run. */
export type CommandCall = { action: string; args: Record<string, string>; people?: Record<string, PersonRef[]> };

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
  /** `rest` is the text after the command word; `mentions` the people named in it, in order. */
  toAction(rest: string, mentions: PersonRef[]): CommandCall;
};

/**
 * Scheduled work: finds what is due at `now` (from the database, never from
 * memory), claims it there, and queues messages. Returns how many items it handled.
 */
export type Sweep = { name: string; run(ctx: CoreContext, now: Date): Promise<number> };

/** A loop: its declared actions (buttons and forms), its text commands and its scheduled work. */
export type Feature = { name: string; actions: ActionDef[]; commands: CommandDef[]; sweeps?: Sweep[] };

/** The command text with the words that stand for mentioned people taken out, spaces tidied. */
export function textWithoutMentions(text: string, mentions: readonly PersonRef[]): string {
  let rest = text;
  for (const m of mentions) if (m.shownAs) rest = rest.replace(m.shownAs, " ");
  return rest.replace(/\s+/g, " ").trim();
}
