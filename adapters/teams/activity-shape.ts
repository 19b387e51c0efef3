import { z } from "zod";

/**
 * The fields of an activity that wesaid and botbuilder read, with the types
 * they assume. The Bot Framework never sends anything else, so an activity
 * that does not fit (`"entities": [null]`, `"membersAdded": {}`, a number for
 * a name) is answered 400 before it reaches the adapter, rather than failing
 * half-way through a turn. Found by test/teams/fuzz.test.ts.
 */
const text = z.string().nullish();
const object = z.object({}).passthrough();
const account = z.object({ id: z.string(), name: text, aadObjectId: text }).passthrough();
const named = z.object({ name: text }).passthrough().nullish();

const activityShape = z
  .object({
    type: z.string().min(1),
    id: text,
    serviceUrl: text,
    channelId: text,
    from: account.nullish(),
    recipient: account.nullish(),
    conversation: z.object({ id: z.string(), name: text, conversationType: text, tenantId: text, isGroup: z.boolean().nullish() }).passthrough().nullish(),
    text,
    name: text,
    replyToId: text,
    locale: text,
    entities: z.array(z.object({ type: text, text, mentioned: z.object({ id: text, name: text, aadObjectId: text }).passthrough().nullish() }).passthrough()).nullish(),
    membersAdded: z.array(account).nullish(),
    membersRemoved: z.array(account).nullish(),
    attachments: z.array(object).nullish(),
    channelData: z.object({ channel: named, team: named, tenant: z.object({ id: text }).passthrough().nullish() }).passthrough().nullish(),
  })
  .passthrough();

/** Whether a request body is an activity wesaid can read: a type, and the fields above of the right types. */
export function isReadableActivity(body: unknown): body is Record<string, unknown> & { type: string } {
  return activityShape.safeParse(body).success;
}
