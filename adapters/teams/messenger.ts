import { z } from "zod";
import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from "botbuilder";
import type { Logger } from "../../src/context.ts";
import type { Message } from "../../src/messages/model.ts";
import type { MessageRef, Messenger, SendResult, Target } from "../../src/messenger.ts";
import { renderActivity } from "./render.ts";
import { Cooldowns, TokenBuckets, classifyStatus, nextStep, parseRetryAfter, type Failure, type RetryPolicy } from "./throttle.ts";
import { baseConversationId, conversationReferenceSchema, readAddress, type TeamsAddress } from "./translate.ts";
import { teamsText } from "../../src/messages/catalogue/platforms.ts";

/** What the outbox keeps of a sent Teams message, to update it later. */
export const teamsMessageRefSchema = z.object({ platform: z.literal("teams"), reference: conversationReferenceSchema, activityId: z.string().min(1) });
export type TeamsMessageRef = z.infer<typeof teamsMessageRefSchema>;

type OutgoingActivity = Partial<Activity>;

/** The Bot Connector client botbuilder gives each turn: the calls wesaid makes. */
type ConnectorClient = {
  conversations: {
    sendToConversation(conversationId: string, activity: OutgoingActivity): Promise<{ id?: string }>;
    updateActivity(conversationId: string, activityId: string, activity: OutgoingActivity): Promise<{ id?: string }>;
  };
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure; status?: number; retryAfterMs?: number; detail: string };

export type ConnectorOptions = {
  adapter: CloudAdapter;
  /** MICROSOFT_APP_ID, or "" when running without credentials. */
  appId: string;
  limiter: TokenBuckets;
  cooldowns: Cooldowns;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** How long one call to the Bot Connector may take (15 s unless set). */
  callTimeoutMs?: number;
  /** The clock the outbox schedules by (Retry-After dates are read against it). */
  now: () => number;
  log: Logger;
};

/**
 * Every call wesaid makes to the Bot Connector, each one paced by the rate
 * limiter, retried here when the fault is brief, and otherwise described so
 * the caller can hand it back to the outbox.
 */
export class TeamsConnector {
  constructor(private readonly o: ConnectorOptions) {}

  /**
   * Runs `op` when the limits allow, retrying 429/412/502/504 a few times
   * in-process. A 429 pauses everything else for that conversation and app
   * until Retry-After has passed. A call with no answer in `callTimeoutMs` is
   * handed back to the outbox, never repeated here: Teams may have it already.
   */
  async guarded<T>(keys: string[], op: () => Promise<T>): Promise<Outcome<T>> {
    let waitedOutA429 = false;
    for (let attempt = 1; ; attempt++) {
      // The caller that met the 429 has waited as asked; the others wait for the cooldown.
      const wait = await this.waitForTurn(keys, attempt > 1);
      if (wait > 0) return { ok: false, failure: { kind: "throttled", retryAfterMs: wait }, retryAfterMs: wait, detail: "holding back to stay under Teams' rate limits" };
      try {
        const value = await withTimeout(op(), this.o.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
        if (waitedOutA429) this.o.cooldowns.lift(keys);
        else this.o.cooldowns.settle(keys);
        return { ok: true, value };
      } catch (error) {
        if (error instanceof NoAnswer) {
          this.o.cooldowns.settle(keys);
          return { ok: false, failure: { kind: "transient" }, detail: error.message };
        }
        const { status, retryAfterMs, message } = describeError(error, this.o.now());
        const failure = classifyStatus(status, retryAfterMs);
        if (failure.kind !== "throttled") this.o.cooldowns.settle(keys);
        const step = nextStep(this.o.policy, attempt, failure, this.o.random);
        // Everything else for this conversation and app waits too, until Teams' Retry-After has passed.
        if (failure.kind === "throttled") this.o.cooldowns.block(keys, "retryHereAfterMs" in step ? step.retryHereAfterMs : (step.retryAfterMs ?? 0));
        if ("retryHereAfterMs" in step) {
          waitedOutA429 = failure.kind === "throttled";
          await this.o.sleep(step.retryHereAfterMs);
          continue;
        }
        return { ok: false, failure, status, retryAfterMs: step.retryAfterMs, detail: `Teams answered ${status ?? "nothing"}: ${message}` };
      }
    }
  }

  /** Posts a new message in a conversation wesaid is in. Returns the new activity's id. */
  post(reference: ConversationReference, activity: OutgoingActivity): Promise<Outcome<string>> {
    return this.guarded(keysFor(reference), () =>
      this.withClient(reference, async (client) => {
        const outgoing = TurnContext.applyConversationReference({ ...activity }, { ...reference, activityId: undefined });
        const response = await client.conversations.sendToConversation(reference.conversation.id, outgoing);
        return response.id ?? "";
      }),
    );
  }

  update(reference: ConversationReference, activityId: string, activity: OutgoingActivity): Promise<Outcome<string>> {
    return this.guarded(keysFor(reference), () =>
      this.withClient(reference, async (client) => {
        const outgoing = TurnContext.applyConversationReference({ ...activity, id: activityId }, { ...reference, activityId: undefined });
        await client.conversations.updateActivity(reference.conversation.id, activityId, outgoing);
        return activityId;
      }),
    );
  }

  /** Starts (or finds: Teams keeps one) a person's 1:1 chat with wesaid. */
  openPersonalChat(member: Extract<TeamsAddress, { kind: "member" }>): Promise<Outcome<ConversationReference>> {
    const keys = member.tenantId ? [`tenant:${member.tenantId}`] : ["tenant:none"];
    return this.guarded(keys, async () => {
      let reference: ConversationReference | undefined;
      await this.o.adapter.createConversationAsync(
        this.o.appId,
        member.channelId,
        member.serviceUrl,
        // botbuilder picks the default audience for the cloud when this is not given.
        undefined as unknown as string,
        {
          isGroup: false,
          bot: member.bot,
          members: [{ id: member.user.id, name: member.user.name ?? "" }],
          tenantId: member.tenantId ?? "",
          channelData: member.tenantId ? { tenant: { id: member.tenantId } } : {},
        } as Parameters<CloudAdapter["createConversationAsync"]>[4],
        async (context) => {
          const created = TurnContext.getConversationReference(context.activity) as ConversationReference;
          delete created.activityId;
          reference = {
            ...created,
            conversation: { ...created.conversation, conversationType: "personal", ...(member.tenantId ? { tenantId: member.tenantId } : {}) },
            user: member.user,
          };
        },
      );
      if (!reference?.conversation.id) throw Object.assign(new Error("Teams did not return a conversation"), { statusCode: 502 });
      return JSON.parse(JSON.stringify(reference)) as ConversationReference;
    });
  }

  /** Answers in the conversation of the current turn (in a thread, in a channel). */
  reply(context: TurnContext, activity: OutgoingActivity): Promise<Outcome<string>> {
    return this.guarded(keysFor(context.activity), async () => (await context.sendActivity(activity))?.id ?? "");
  }

  /** Replaces a message in the conversation of the current turn. */
  replaceInTurn(context: TurnContext, activityId: string, activity: OutgoingActivity): Promise<Outcome<string>> {
    return this.guarded(keysFor(context.activity), async () => {
      await context.updateActivity({ ...activity, id: activityId });
      return activityId;
    });
  }

  /**
   * 0 once the call may go, or how long to wait (the outbox waits then). A
   * short pause after a 429, or a probe under way after one, is waited out
   * here, as are the limiter's gaps: handing each message back to the outbox
   * would cost every one of them a retry.
   */
  private async waitForTurn(keys: string[], waitedAlready: boolean): Promise<number> {
    let waited = 0;
    for (let cooling = waitedAlready ? 0 : this.o.cooldowns.take(keys); cooling > 0; cooling = this.o.cooldowns.take(keys)) {
      // Paused: wait the rest of the pause. A probe is out: look again shortly.
      const paused = this.o.cooldowns.remaining(keys);
      const step = paused > 0 ? paused : PROBE_POLL_MS;
      if (waited + step > this.o.policy.maxInProcessWaitMs) return cooling;
      await this.o.sleep(step);
      waited += step;
    }
    // Bounded: each pass either takes a token or waits for one to refill.
    for (let pass = 0; pass < 20; pass++) {
      const wait = this.o.limiter.take(keys);
      if (wait === 0) return 0;
      if (wait > this.o.policy.maxInProcessWaitMs) return wait;
      await this.o.sleep(wait);
    }
    return this.o.policy.maxInProcessWaitMs;
  }

  private async withClient<T>(reference: ConversationReference, use: (client: ConnectorClient) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    await this.o.adapter.continueConversationAsync(this.o.appId, reference, async (context) => {
      const client = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorClient;
      result = { value: await use(client) };
    });
    if (!result) throw new Error("botbuilder did not run the proactive turn");
    return result.value;
  }
}

const DEFAULT_CALL_TIMEOUT_MS = 15_000;
/** How often a call held behind a probe looks again. */
const PROBE_POLL_MS = 100;

class NoAnswer extends Error {}

/** `work`, or a NoAnswer error after `ms`. botbuilder gives no way to cancel the request itself. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(`Teams did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function keysFor(where: { conversation?: { id?: string; tenantId?: string } }): string[] {
  const id = where.conversation?.id ? baseConversationId(where.conversation.id) : "unknown";
  return [`conversation:${id}`, `tenant:${where.conversation?.tenantId ?? "none"}`];
}

/** A connector error's HTTP status and Retry-After, whichever shape it came in. */
export function describeError(error: unknown, nowMs: number): { status?: number; retryAfterMs?: number; message: string } {
  const e = error as {
    statusCode?: number;
    status?: number;
    message?: string;
    response?: { status?: number; headers?: { get?(name: string): string | undefined | null } & Record<string, unknown> };
  };
  const status = e?.statusCode ?? e?.response?.status ?? (typeof e?.status === "number" ? e.status : undefined);
  const headers = e?.response?.headers;
  const header = typeof headers?.get === "function" ? headers.get("retry-after") : (headers?.["retry-after"] as string | undefined);
  return { status, retryAfterMs: parseRetryAfter(header ?? undefined, nowMs), message: (e?.message ?? String(error)).slice(0, 300) };
}

/** A failed outcome as the outbox understands it. */
export function toSendResult(outcome: Extract<Outcome<unknown>, { ok: false }>, goneDetail: string): Extract<SendResult, { ok: false }> {
  switch (outcome.failure.kind) {
    case "gone":
      return { ok: false, kind: "unreachable", detail: goneDetail };
    case "rejected":
      return { ok: false, kind: "failed", detail: outcome.detail };
    default:
      return {
        ok: false,
        kind: "retry",
        detail: outcome.detail,
        ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
        ...(outcome.failure.kind === "throttled" ? { throttled: true } : {}),
      };
  }
}

/** The core's Messenger port for Teams: proactive messages through stored conversation references. */
export class TeamsMessenger implements Messenger {
  constructor(private readonly connector: TeamsConnector) {}

  async send(target: Target, message: Message): Promise<SendResult> {
    const direct = target.kind === "direct";
    const address = readAddress(target.address);
    if (!address) return { ok: false, kind: "unreachable", detail: direct ? teamsText.unreachable : teamsText.channelGone };
    const goneDetail = direct ? teamsText.appRemoved : teamsText.channelGone;
    let reference: ConversationReference;
    if (address.kind === "member") {
      const opened = await this.connector.openPersonalChat(address);
      if (!opened.ok) return toSendResult(opened, teamsText.unreachable);
      reference = opened.value;
    } else {
      reference = address.reference;
    }
    const posted = await this.connector.post(reference, renderActivity(message));
    if (!posted.ok) return toSendResult(posted, goneDetail);
    return { ok: true, ref: refFor(reference, posted.value) };
  }

  async update(ref: MessageRef, message: Message): Promise<SendResult> {
    const parsed = teamsMessageRefSchema.safeParse(ref);
    if (!parsed.success) return { ok: false, kind: "failed", detail: "the message to update was not sent through Teams" };
    const reference = parsed.data.reference;
    const updated = await this.connector.update(reference, parsed.data.activityId, renderActivity(message));
    if (!updated.ok) return toSendResult(updated, teamsText.channelGone);
    return { ok: true, ref: parsed.data };
  }
}

export function refFor(reference: ConversationReference, activityId: string): TeamsMessageRef {
  return { platform: "teams", reference: JSON.parse(JSON.stringify({ ...reference, activityId: undefined })), activityId };
}
