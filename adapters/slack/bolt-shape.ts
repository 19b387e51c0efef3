import { z } from "zod";

/**
 * What Bolt itself reads from a body before any wesaid listener runs (its type
 * detection, authorisation and listener matching). Bolt trusts these shapes:
 * `"channel": null` in an event, `"actions": {}` or `"authorizations": [null]`
 * make it throw. The receiver hands Bolt only bodies of the kinds wesaid
 * handles, with these fields the right shape; anything else is acknowledged
 * and ignored, as translate.ts would ignore it. Found by test/slack/fuzz.test.ts.
 */
const object = z.object({}).passthrough();
const optionalObject = object.optional();
/** A field this kind of body must not have. */
const absent = z.never().optional();
/** Bolt checks these for null itself ("team": null is how Slack sends some payloads). */
const nullableObject = object.nullish();

const common = {
  // Bolt reads authorizations[0].team_id when authorizations is an array.
  authorizations: z.array(object).optional(),
  enterprise: nullableObject,
  team: nullableObject,
  // Bolt runs Slack "functions" when it sees these; wesaid has none.
  function_data: absent,
  bot_access_token: absent,
};

const event = z
  .object({
    type: z.literal("event_callback"),
    event: z
      .object({
        type: z.string(),
        // Bolt looks for a conversation id in channel (a string or an object with an id), and in item.channel.
        channel: z.union([z.string(), object]).optional(),
        item: optionalObject,
        // ... and for who acted in user (a string or an object with an id) and subteam.created_by.
        user: z.union([z.string(), object]).optional(),
        subteam: optionalObject,
      })
      .passthrough(),
    ...common,
  })
  .passthrough();

const slashCommand = z.object({ command: z.string(), event: absent, name: absent, ...common }).passthrough();

const interactive = {
  user: object,
  channel: optionalObject,
  event: absent,
  command: absent,
  name: absent,
  ...common,
};

const blockActions = z.object({ type: z.literal("block_actions"), actions: z.array(object).min(1), view: optionalObject, ...interactive }).passthrough();
const viewSubmission = z.object({ type: z.literal("view_submission"), view: object, actions: absent, ...interactive }).passthrough();
const messageAction = z.object({ type: z.literal("message_action"), callback_id: z.string(), actions: absent, ...interactive }).passthrough();

const readable = z.union([event, slashCommand, blockActions, viewSubmission, messageAction]);

/** Whether Bolt can be given this body safely, and wesaid has a listener for its kind. */
export function boltCanRead(body: unknown): boolean {
  return readable.safeParse(body).success;
}
