import { createHash } from "node:crypto";
import { z } from "zod";
import { TurnContext, type Activity, type ChannelAccount, type ConversationReference } from "botbuilder";
import { personRefSchema, type Interaction, type PersonRef } from "../../src/interactions.ts";
import { marker, withoutMarkers, writeMentions } from "../mentions.ts";
import { META_KEY, type ActionMeta } from "./render.ts";

/**
 * Teams activities in, core Interactions out. Nothing here decides anything
 * about programmes or people: it only says who acted, where, and what they
 * typed or pressed.
 */

// ------------------------------------------------------------------ addresses (stored by the core, opaque to it)

const account = z
  .object({ id: z.string().min(1), name: z.string().default(""), aadObjectId: z.string().optional() })
  .passthrough()
  .transform((v) => v as ChannelAccount);

export const conversationReferenceSchema = z
  .object({
    channelId: z.string().min(1),
    serviceUrl: z.string().min(1),
    conversation: z.object({ id: z.string().min(1), conversationType: z.string().optional(), tenantId: z.string().optional() }).passthrough(),
    bot: account,
    user: account.optional(),
    locale: z.string().optional(),
  })
  .passthrough()
  .transform((v) => v as unknown as ConversationReference);

/**
 * How wesaid reaches a person or a channel later.
 * - `conversation`: a conversation the bot is in (a person's 1:1 chat with
 *   wesaid, or a channel): post there.
 * - `member`: someone we have only met in a team channel: start (or find) their
 *   1:1 chat first. Teams lets a bot do that for members of a team it is in.
 */
export const teamsAddressSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("conversation"), reference: conversationReferenceSchema }),
  z.object({
    kind: z.literal("member"),
    serviceUrl: z.string().min(1),
    channelId: z.string().min(1),
    tenantId: z.string().optional(),
    bot: account,
    user: account,
  }),
]);
export type TeamsAddress = z.infer<typeof teamsAddressSchema>;

export function readAddress(value: unknown): TeamsAddress | null {
  const parsed = teamsAddressSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Is this the person's own 1:1 chat with wesaid? */
export function isPersonalChat(address: TeamsAddress | null): address is Extract<TeamsAddress, { kind: "conversation" }> {
  return address?.kind === "conversation" && (address.reference.conversation.conversationType ?? "personal") === "personal";
}

// ------------------------------------------------------------------ scopes

export type Scope = "personal" | "channel" | "groupChat";

export function scopeOf(activity: Partial<Activity>): Scope {
  const type = activity.conversation?.conversationType;
  if (type === "channel") return "channel";
  if (type === "groupChat" || (type === undefined && activity.conversation?.isGroup)) return "groupChat";
  return "personal";
}

/** A channel's own id: replies in a thread carry ";messageid=..." on the conversation id. */
export function baseConversationId(id: string): string {
  return id.split(";messageid=")[0]!;
}

/** Where to reach this conversation later, without replying to any one message. */
export function referenceFor(activity: Partial<Activity>, conversationId?: string): ConversationReference {
  const reference = TurnContext.getConversationReference(activity) as ConversationReference;
  delete reference.activityId;
  const conversation = { ...reference.conversation, id: conversationId ?? reference.conversation.id };
  return JSON.parse(JSON.stringify({ ...reference, conversation })) as ConversationReference;
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  return activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? undefined;
}

/** The id the core knows a Teams person by: their Entra (AAD) object id, stable across chats. */
export function externalIdOf(user: { id: string; aadObjectId?: string }): string {
  return user.aadObjectId || user.id;
}

// ------------------------------------------------------------------ the translation

export type Inbound =
  /** Someone typed, pressed or submitted: handle it and show them the reply. */
  | { kind: "interaction"; interaction: Interaction; scope: Scope; via: "message" | "invoke"; replyToId?: string }
  /** wesaid was added to a chat or team: store the address and say hello. */
  | { kind: "welcome"; interaction: Interaction; scope: Scope }
  /** The app was installed: store the address quietly (the welcome comes with the conversationUpdate). */
  | { kind: "remember"; interaction: Interaction; scope: Scope }
  | { kind: "ignore"; reason: string; invoke: boolean };

export type TranslateOptions = {
  /** What the core already holds for this person, so a channel message does not replace their 1:1 chat. */
  storedUserAddress?: TeamsAddress | null;
};

export function translate(activity: Partial<Activity>, options: TranslateOptions = {}): Inbound {
  const scope = scopeOf(activity);
  const invoke = activity.type === "invoke";
  if (!activity.from?.id || !activity.conversation?.id || !activity.serviceUrl || !activity.recipient?.id) {
    return { kind: "ignore", reason: "the activity does not say who sent it or where", invoke };
  }
  switch (activity.type) {
    case "message": {
      const card = cardSubmit(activity.value);
      if (card) return { kind: "interaction", interaction: build(activity, scope, options, { kind: "action", ...card }), scope, via: "message", replyToId: activity.replyToId };
      const { text, mentions } = readCommand(activity);
      return { kind: "interaction", interaction: build(activity, scope, options, { kind: "command", text: text || "help", mentions }), scope, via: "message" };
    }
    case "invoke": {
      if (activity.name !== "adaptiveCard/action") return { kind: "ignore", reason: `invoke ${activity.name ?? "(no name)"} is not used`, invoke };
      const call = executeCall(activity.value);
      if (!call) return { kind: "ignore", reason: "the card action has no verb", invoke };
      return { kind: "interaction", interaction: build(activity, scope, options, { kind: "action", ...call }), scope, via: "invoke", replyToId: activity.replyToId };
    }
    case "conversationUpdate": {
      const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient!.id);
      // Other people joining a team are not stored: only people who use wesaid are.
      if (!botAdded) return { kind: "ignore", reason: "only wesaid's own arrival matters", invoke };
      return { kind: "welcome", interaction: build(activity, scope, options, { kind: "command", text: "help" }), scope };
    }
    case "installationUpdate": {
      const action = String(activity.action ?? "");
      if (!action.startsWith("add")) return { kind: "ignore", reason: `installation ${action || "update"}: sends will find out`, invoke };
      return { kind: "remember", interaction: build(activity, scope, options, { kind: "command", text: "help" }), scope };
    }
    default:
      return { kind: "ignore", reason: `${activity.type ?? "untyped"} activities are not used`, invoke };
  }
}

function build(activity: Partial<Activity>, scope: Scope, options: TranslateOptions, input: Interaction["input"]): Interaction {
  const from = activity.from!;
  const tenantId = tenantOf(activity);
  return {
    platform: "teams",
    ...(activity.id ? { eventId: eventIdOf(activity) } : {}),
    user: {
      externalId: externalIdOf(from),
      ...(from.name ? { displayName: from.name.slice(0, 200) } : {}),
      ...(tenantId ? { tenantId } : {}),
      // The zone of the Teams client that sent this (an IANA name); the core checks it before using it.
      ...(typeof activity.localTimezone === "string" && activity.localTimezone ? { timeZone: activity.localTimezone.slice(0, 100) } : {}),
      ...userAddress(activity, scope, options),
    },
    place: placeOf(activity, scope),
    input,
  };
}

/**
 * In a 1:1 chat the address is that chat. In a channel or group chat it must
 * never be the channel (private messages would be posted there): keep the 1:1
 * chat we know, or remember how to start one.
 */
function userAddress(activity: Partial<Activity>, scope: Scope, options: TranslateOptions): { address?: TeamsAddress } {
  if (scope === "personal") return { address: { kind: "conversation", reference: referenceFor(activity) } };
  if (isPersonalChat(options.storedUserAddress ?? null)) return {};
  const reference = referenceFor(activity);
  return {
    address: {
      kind: "member",
      serviceUrl: reference.serviceUrl,
      channelId: reference.channelId,
      ...(tenantOf(activity) ? { tenantId: tenantOf(activity) } : {}),
      bot: { id: activity.recipient!.id, name: activity.recipient!.name ?? "" },
      user: { id: activity.from!.id, name: activity.from!.name ?? "", ...(activity.from!.aadObjectId ? { aadObjectId: activity.from!.aadObjectId } : {}) },
    },
  };
}

function placeOf(activity: Partial<Activity>, scope: Scope): Interaction["place"] {
  if (scope === "personal") return { kind: "direct" };
  const id = baseConversationId(activity.conversation!.id);
  const channelData = activity.channelData as { channel?: { name?: string }; team?: { name?: string } } | undefined;
  const name = channelData?.channel?.name ?? activity.conversation?.name ?? channelData?.team?.name;
  return {
    kind: "channel",
    externalId: id,
    ...(name ? { name: name.slice(0, 200) } : {}),
    address: { kind: "conversation", reference: referenceFor(activity, id) } satisfies TeamsAddress,
  };
}

/** Conversation ids are long; the core keeps event ids short. Same activity, same id. */
export function eventIdOf(activity: Partial<Activity>): string {
  return createHash("sha256").update(`${activity.conversation?.id ?? ""}|${activity.id ?? ""}`).digest("hex").slice(0, 40);
}

// ------------------------------------------------------------------ typed text

type MentionEntity = { type: "mention"; text?: string; mentioned?: { id?: string; name?: string; aadObjectId?: string } };

/**
 * The command a person typed: wesaid's own @mention removed, Teams' markup and
 * HTML entities undone, and each other person mentioned written as their name
 * ("@Priya Patel") and listed, in the order they appear, in `mentions`.
 */
export function readCommand(activity: Partial<Activity>): { text: string; mentions: PersonRef[] } {
  let text = withoutMarkers(activity.text ?? "");
  const found: { externalId: string; displayName?: string }[] = [];
  const entities = (activity.entities ?? []).filter((e): e is MentionEntity => e.type === "mention");
  for (const mention of entities) {
    if (!mention.text || !text.includes(mention.text)) continue;
    const who = mention.mentioned;
    let replacement = " ";
    if (who?.id && who.id !== activity.recipient?.id) {
      const name = who.name?.trim() || stripTags(mention.text).trim();
      found.push({ externalId: externalIdOf({ id: who.id, aadObjectId: who.aadObjectId }), ...(name ? { displayName: decodeEntities(name) } : {}) });
      replacement = ` ${marker(found.length - 1)} `;
    }
    text = text.split(mention.text).join(replacement);
  }
  const plain = decodeEntities(stripTags(text))
    .replace(/[\u00a0\s]+/g, " ")
    .trim();
  return writeMentions(plain, found);
}

/** The command text alone (see readCommand). */
export function commandText(activity: Partial<Activity>): string {
  return readCommand(activity).text;
}

const stripTags = (text: string) => text.replace(/<\/?[a-z][^>]*>/gi, " ");

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

// ------------------------------------------------------------------ card submits

const metaSchema = z.object({
  action: z.string().min(1).max(100),
  inputs: z.array(z.string()).optional(),
  multi: z.array(z.string()).optional(),
  datetime: z.array(z.string()).optional(),
  people: z.array(z.string()).optional(),
  carried: z.record(z.string(), z.array(personRefSchema).max(100)).optional(),
}) satisfies z.ZodType<ActionMeta>;

type CardCall = { action: string; args: Record<string, string>; people: Record<string, PersonRef[]> };

/** An Action.Submit (message `value`) made by render.ts. */
function cardSubmit(value: unknown): CardCall | null {
  if (!isRecord(value)) return null;
  const meta = metaSchema.safeParse(value[META_KEY]);
  if (!meta.success) return null;
  return { action: meta.data.action, args: argsFrom(value, meta.data), people: peopleFrom(value, meta.data) };
}

/** An Action.Execute invoke: `value.action` holds the verb and the data with the inputs merged in. */
function executeCall(value: unknown): CardCall | null {
  const action = isRecord(value) && isRecord(value.action) ? value.action : null;
  if (!action) return null;
  const data = isRecord(action.data) ? action.data : {};
  const meta = metaSchema.safeParse(data[META_KEY]);
  const verb = typeof action.verb === "string" && action.verb ? action.verb : meta.success ? meta.data.action : "";
  if (!verb) return null;
  const known = meta.success ? meta.data : { action: verb };
  return { action: verb.slice(0, 100), args: argsFrom(data, known), people: peopleFrom(data, known) };
}

/** The core's args plus the form's values, as strings, in the core's forms. */
export function argsFrom(data: Record<string, unknown>, meta: ActionMeta): Record<string, string> {
  // No prototype: an input the card names "toString" or "constructor" is an input, never Object's method.
  const args: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(data)) {
    if (key === META_KEY || key === "msteams") continue;
    if (typeof value === "string") args[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") args[key] = String(value);
  }
  for (const id of meta.datetime ?? []) {
    const date = args[`${id}__date`];
    const time = args[`${id}__time`];
    delete args[`${id}__date`];
    delete args[`${id}__time`];
    const joined = date && time ? `${date}T${time}` : (date || time || "");
    if (joined) args[id] = joined;
  }
  for (const id of meta.multi ?? []) {
    if (args[id] !== undefined) args[id] = args[id]!.split(",").filter(Boolean).join("\n");
  }
  // Chosen people are not args: peopleFrom() reads them.
  for (const id of meta.people ?? []) delete args[id];
  // An input left empty is not an answer: the core sees it as not given.
  for (const id of meta.inputs ?? []) {
    if (args[id] !== undefined && args[id]!.trim() === "") delete args[id];
  }
  return { ...args };
}

/**
 * The people a call is about: those its button carried (`meta.carried`), then
 * those chosen in the form's people pickers. Teams sends a picker's choice as
 * Entra (AAD) object ids joined by commas; anything that is not an id is dropped.
 */
export function peopleFrom(data: Record<string, unknown>, meta: ActionMeta): Record<string, PersonRef[]> {
  const people: Record<string, PersonRef[]> = { ...meta.carried };
  for (const id of meta.people ?? []) {
    const value = data[id];
    if (typeof value !== "string") continue;
    const ids = [...new Set(value.split(",").map((v) => v.trim()).filter((v) => /^[^\s<>|@,]{1,200}$/.test(v)))];
    if (ids.length > 0) people[id] = ids.map((externalId) => ({ externalId }));
  }
  return people;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
