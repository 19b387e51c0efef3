import { z } from "zod";
import type { Interaction, PersonRef } from "../../src/interactions.ts";
import type { ActionCall } from "../../src/messages/model.ts";
import { readSlackText, type Names } from "./text.ts";
import type { FormSource } from "./codec.ts";
import { INPUT_ACTION_ID } from "./render.ts";

/**
 * Slack payloads in, one core Interaction out. Pure functions, one per kind
 * of payload. Each checks only the fields it uses (zod) and returns null for
 * anything it does not recognise, so a malformed or hostile payload is
 * ignored rather than half-handled.
 */

/** How to answer the person: the conversation, the message acted on, the response_url. */
export type ReplyPlace = {
  userId: string;
  /** The conversation the interaction happened in, if any (not for App Home or modals). */
  channelId?: string;
  /** True when channelId is the person's own DM with wesaid, where a normal message is private. */
  botDm: boolean;
  responseUrl?: string;
  /** The message (or Home tab) that held the button or form. */
  source?: FormSource;
  triggerId?: string;
};

export type Translated = { interaction: Interaction; place: ReplyPlace };

const slackId = z.string().min(1).max(40).regex(/^[A-Z0-9]+$/i);
const optionalName = z.string().max(200).optional();
const text = z.string().max(40_000);
const responseUrl = z.string().max(500).optional();

// ------------------------------------------------------------------ text (slack/text.ts)

export { fromSlackText, readSlackText, unnamedMentionsIn, type Names } from "./text.ts";

function isDmChannel(channelId: string | undefined, channelName?: string): boolean {
  return Boolean(channelId?.startsWith("D")) || channelName === "directmessage";
}

function placeOf(channelId: string | undefined, channelName?: string): Interaction["place"] {
  if (!channelId || isDmChannel(channelId, channelName)) return { kind: "direct" };
  return { kind: "channel", externalId: channelId, ...(channelName ? { name: channelName } : {}) };
}

function slackUser(userId: string, teamId: string | undefined): Interaction["user"] {
  return { externalId: userId, ...(teamId ? { tenantId: teamId } : {}) };
}

// ------------------------------------------------------------------ slash commands

const slashSchema = z.object({
  command: z.string().min(1).max(100),
  text: text.default(""),
  user_id: slackId,
  user_name: optionalName,
  channel_id: slackId,
  channel_name: optionalName,
  team_id: slackId.optional(),
  response_url: responseUrl,
  trigger_id: z.string().max(200).optional(),
});

/** `/wesaid <text>`, from a channel or a DM. */
export function fromSlashCommand(body: unknown, names?: Names): Translated | null {
  const cmd = slashSchema.safeParse(body);
  if (!cmd.success) return null;
  const c = cmd.data;
  return {
    interaction: {
      platform: "slack",
      user: slackUser(c.user_id, c.team_id),
      place: placeOf(c.channel_id, c.channel_name),
      input: { kind: "command", ...readSlackText(c.text, { names }) },
    },
    // Slash commands work in any conversation, even one wesaid is not in, so replies use response_url.
    place: { userId: c.user_id, channelId: c.channel_id, botDm: false, responseUrl: c.response_url, triggerId: c.trigger_id },
  };
}

// ------------------------------------------------------------------ Events API

const envelopeSchema = z.object({
  type: z.literal("event_callback"),
  event_id: z.string().min(1).max(200),
  team_id: slackId.optional(),
  event: z.object({ type: z.string().max(100) }).passthrough(),
});

const dmMessageSchema = z.object({
  type: z.literal("message"),
  channel_type: z.literal("im"),
  channel: slackId,
  user: slackId,
  text: text.default(""),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

const mentionSchema = z.object({ type: z.literal("app_mention"), channel: slackId, user: slackId, text: text.default(""), bot_id: z.string().optional() });
const homeOpenedSchema = z.object({ type: z.literal("app_home_opened"), user: slackId, tab: z.string().max(50).optional() });

function envelope(body: unknown) {
  const parsed = envelopeSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** A message typed in the person's DM with wesaid: the text is a command. */
export function fromDirectMessage(body: unknown, botUserId: string | undefined, names?: Names): Translated | null {
  const env = envelope(body);
  const msg = dmMessageSchema.safeParse(env?.event);
  if (!env || !msg.success) return null;
  const m = msg.data;
  // Edits, joins, files and other bots' messages are not commands; our own messages never are.
  if (m.subtype || m.bot_id || m.user === botUserId) return null;
  return {
    interaction: {
      platform: "slack",
      eventId: env.event_id,
      user: slackUser(m.user, env.team_id),
      place: { kind: "direct" },
      input: { kind: "command", ...trimmed(readSlackText(m.text, { botUserId, names })) },
    },
    place: { userId: m.user, channelId: m.channel, botDm: true },
  };
}

/** "@wesaid suggest ..." in a channel: the text after the mention is a command. */
export function fromMention(body: unknown, botUserId: string | undefined, names?: Names): Translated | null {
  const env = envelope(body);
  const msg = mentionSchema.safeParse(env?.event);
  if (!env || !msg.success || msg.data.bot_id || msg.data.user === botUserId) return null;
  const m = msg.data;
  if (isDmChannel(m.channel)) return null; // a DM arrives as message.im as well
  return {
    interaction: {
      platform: "slack",
      eventId: env.event_id,
      user: slackUser(m.user, env.team_id),
      place: placeOf(m.channel),
      input: { kind: "command", ...oneLine(readSlackText(m.text, { botUserId, names })) },
    },
    place: { userId: m.user, channelId: m.channel, botDm: false },
  };
}

const trimmed = (read: { text: string; mentions: PersonRef[] }) => ({ ...read, text: read.text.trim() });
const oneLine = (read: { text: string; mentions: PersonRef[] }) => ({ ...read, text: read.text.replace(/\s+/g, " ").trim() });

/** The text of a slash command, a DM, an @mention or a shortcut's message: where to look for people to name. */
export function textOfPayload(body: unknown): string {
  const b = body as { text?: unknown; event?: { text?: unknown }; message?: { text?: unknown } } | null;
  const text = b?.text ?? b?.event?.text ?? b?.message?.text;
  return typeof text === "string" ? text.slice(0, 40_000) : "";
}

/** The person opened wesaid's Home tab. */
export function fromHomeOpened(body: unknown): { userId: string; teamId?: string; eventId: string } | null {
  const env = envelope(body);
  const ev = homeOpenedSchema.safeParse(env?.event);
  if (!env || !ev.success || (ev.data.tab !== undefined && ev.data.tab !== "home")) return null;
  return { userId: ev.data.user, teamId: env.team_id, eventId: env.event_id };
}

// ------------------------------------------------------------------ buttons (block_actions)

const blockActionsSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: slackId, team_id: slackId.optional() }),
  team: z.object({ id: slackId }).nullish(),
  trigger_id: z.string().max(200).optional(),
  response_url: responseUrl,
  container: z.object({
    type: z.string().max(50),
    message_ts: z.string().max(50).optional(),
    channel_id: slackId.optional(),
    is_ephemeral: z.boolean().optional(),
  }),
  channel: z.object({ id: slackId, name: optionalName }).nullish(),
  view: z.object({ type: z.string().max(50) }).passthrough().nullish(),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(3000).optional() })).min(1).max(25),
});

export type ButtonPress = { actionId: string; value: string | undefined; place: ReplyPlace; user: Interaction["user"]; interactionPlace: Interaction["place"] };

/** A button press: which button, and where it was. The caller decodes the button's value. */
export function fromBlockActions(body: unknown): ButtonPress | null {
  const parsed = blockActionsSchema.safeParse(body);
  if (!parsed.success) return null;
  const b = parsed.data;
  const action = b.actions[0]!;
  const channelId = b.container.channel_id ?? b.channel?.id;
  let source: FormSource;
  if (b.container.type === "view") source = b.view?.type === "home" ? { kind: "home" } : { kind: "none" };
  else if (b.container.is_ephemeral) source = b.response_url ? { kind: "ephemeral", channel: channelId, responseUrl: b.response_url } : { kind: "none", channel: channelId };
  else if (channelId && b.container.message_ts) source = { kind: "message", channel: channelId, ts: b.container.message_ts };
  else source = { kind: "none", channel: channelId };
  return {
    actionId: action.action_id,
    value: action.value,
    user: slackUser(b.user.id, b.team?.id ?? b.user.team_id),
    interactionPlace: b.container.type === "view" ? { kind: "direct" } : placeOf(channelId, b.channel?.name),
    place: {
      userId: b.user.id,
      channelId: b.container.type === "view" ? undefined : channelId,
      // Only wesaid's own (non-ephemeral) messages carry our buttons, so a DM holding one is our DM.
      botDm: source.kind === "message" && isDmChannel(channelId),
      responseUrl: b.response_url,
      source,
      triggerId: b.trigger_id,
    },
  };
}

export function actionInteraction(press: ButtonPress, call: ActionCall): Interaction {
  return { platform: "slack", user: press.user, place: press.interactionPlace, input: { kind: "action", action: call.action, args: call.args, people: call.people ?? {} } };
}

// ------------------------------------------------------------------ modal forms (view_submission)

const stateValueSchema = z
  .object({
    type: z.string().max(50),
    value: z.string().max(4000).nullish(),
    selected_option: z.object({ value: z.string().max(150) }).nullish(),
    selected_options: z.array(z.object({ value: z.string().max(150) })).max(100).nullish(),
    selected_date_time: z.number().nullish(),
    selected_date: z.string().max(20).nullish(),
    selected_users: z.array(slackId).max(100).nullish(),
    selected_user: slackId.nullish(),
  })
  .passthrough();

const viewSubmissionSchema = z.object({
  type: z.literal("view_submission"),
  user: z.object({ id: slackId, team_id: slackId.optional() }),
  team: z.object({ id: slackId }).nullish(),
  view: z.object({
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).default(""),
    state: z.object({ values: z.record(z.string().max(255), z.record(z.string().max(255), stateValueSchema)) }).default({ values: {} }),
  }),
});

export type FormSubmission = {
  user: Interaction["user"];
  callbackId: string;
  privateMetadata: string;
  values: Record<string, string>;
  /** People chosen in people pickers, by input id. */
  people: Record<string, PersonRef[]>;
};

export function fromViewSubmission(body: unknown): FormSubmission | null {
  const parsed = viewSubmissionSchema.safeParse(body);
  if (!parsed.success) return null;
  const v = parsed.data;
  return {
    user: slackUser(v.user.id, v.team?.id ?? v.user.team_id),
    callbackId: v.view.callback_id,
    privateMetadata: v.view.private_metadata,
    ...valuesFromState(v.view.state.values),
  };
}

/**
 * Modal state to form values: one value per input block, multi-choices joined
 * by "\n"; people chosen in a people picker go in `people`, by input id.
 */
export function valuesFromState(values: Record<string, Record<string, z.infer<typeof stateValueSchema>>>): { values: Record<string, string>; people: Record<string, PersonRef[]> } {
  const out: Record<string, string> = {};
  const people: Record<string, PersonRef[]> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const state = actions[INPUT_ACTION_ID] ?? Object.values(actions)[0];
    if (!state) continue;
    const chosen = state.selected_users ?? (state.selected_user ? [state.selected_user] : undefined);
    if (chosen) {
      if (chosen.length > 0) people[blockId] = [...new Set(chosen)].map((externalId) => ({ externalId }));
      continue;
    }
    const value = stateValue(state);
    if (value !== undefined && value !== "") out[blockId] = value;
  }
  return { values: out, people };
}

function stateValue(state: z.infer<typeof stateValueSchema>): string | undefined {
  if (state.selected_options) return state.selected_options.map((o) => o.value).join("\n");
  if (state.selected_option) return state.selected_option.value;
  if (typeof state.selected_date_time === "number") {
    // A time no calendar holds (1e300 seconds) is no answer, rather than an exception.
    const chosen = new Date(state.selected_date_time * 1000);
    return Number.isNaN(chosen.getTime()) ? undefined : chosen.toISOString();
  }
  if (state.selected_date) return state.selected_date;
  return state.value ?? undefined;
}

export function formInteraction(submission: FormSubmission, call: ActionCall, source: FormSource): Interaction {
  const channel = source.kind === "message" || source.kind === "ephemeral" || source.kind === "none" ? source.channel : undefined;
  return {
    platform: "slack",
    user: submission.user,
    place: placeOf(channel),
    input: { kind: "action", action: call.action, args: { ...call.args, ...submission.values }, people: { ...call.people, ...submission.people } },
  };
}

export function placeForSource(userId: string, source: FormSource): ReplyPlace {
  switch (source.kind) {
    case "message":
      return { userId, channelId: source.channel, botDm: isDmChannel(source.channel), source };
    case "ephemeral":
      return { userId, channelId: source.channel, botDm: false, responseUrl: source.responseUrl, source };
    case "home":
      return { userId, botDm: false, source };
    case "none":
      return { userId, channelId: source.channel, botDm: false, source };
  }
}

// ------------------------------------------------------------------ message shortcut

export const MAKE_SUGGESTION_CALLBACK = "make_suggestion";

const messageActionSchema = z.object({
  type: z.literal("message_action"),
  callback_id: z.string().max(255),
  user: z.object({ id: slackId, team_id: slackId.optional() }),
  team: z.object({ id: slackId }).nullish(),
  channel: z.object({ id: slackId, name: optionalName }),
  message: z.object({ ts: z.string().min(1).max(50), text: text.default("") }),
  response_url: responseUrl,
  trigger_id: z.string().max(200).optional(),
});

/** "Make this a suggestion" on any message: the message's words become an idea. */
export function fromMessageShortcut(body: unknown, names?: Names): Translated | null {
  const parsed = messageActionSchema.safeParse(body);
  if (!parsed.success || parsed.data.callback_id !== MAKE_SUGGESTION_CALLBACK) return null;
  const s = parsed.data;
  return {
    interaction: {
      platform: "slack",
      user: slackUser(s.user.id, s.team?.id ?? s.user.team_id),
      place: placeOf(s.channel.id, s.channel.name),
      input: {
        kind: "action",
        action: "feedback.suggest",
        args: { text: readSlackText(s.message.text, { names }).text.slice(0, 4000), source: "message", sourceRef: `${s.channel.id}:${s.message.ts}` },
      },
    },
    place: { userId: s.user.id, channelId: s.channel.id, botDm: false, responseUrl: s.response_url, triggerId: s.trigger_id },
  };
}
