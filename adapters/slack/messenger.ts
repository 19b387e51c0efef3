import { webApi, type types } from "@slack/bolt";
import type { Logger } from "../../src/context.ts";
import type { Block, Message } from "../../src/messages/model.ts";
import type { Messenger, MessageRef, SendContext, SendResult, Target } from "../../src/messenger.ts";
import { Cooldowns } from "../cooldowns.ts";
import type { PayloadCodec } from "./codec.ts";
import { renderMessage, type RenderedMessage } from "./render.ts";
import { slackText } from "../../src/messages/catalogue/platforms.ts";

type WebClient = webApi.WebClient;
type FileBlock = Extract<Block, { kind: "file" }>;
type ImageBlock = Extract<Block, { kind: "image" }>;

/**
 * Spaces chat.postMessage calls to one conversation about a second apart
 * (Slack's limit). The slot is reserved before waiting, so callers queue in
 * order; posts to different conversations do not wait for each other.
 */
export class ChannelPacer {
  private readonly nextFree = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async wait(channel: string): Promise<void> {
    const now = this.now();
    if (this.nextFree.size > 1000) for (const [key, at] of this.nextFree) if (at < now) this.nextFree.delete(key);
    const at = Math.max(now, this.nextFree.get(channel) ?? 0);
    this.nextFree.set(channel, at + this.intervalMs);
    if (at > now) await this.sleep(at - now);
  }
}

/** Slack errors that mean "this person or channel cannot be reached", as opposed to "try later". */
const UNREACHABLE = new Set([
  "user_not_found",
  "users_not_found",
  "user_not_visible",
  "user_disabled",
  "account_inactive",
  "cannot_dm_bot",
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "team_access_not_granted",
  "restricted_action",
]);
/** Slack errors worth retrying: Slack's side, or settings an admin can fix without losing messages. */
const RETRY = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "invalid_auth", "not_authed", "token_revoked", "token_expired"]);

type Failure = Exclude<SendResult, { ok: true }>;

/** Turns anything the WebClient throws into the core's SendResult. */
export function failureFrom(error: unknown): Failure {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { ok: false, kind: "retry", detail: `Slack asked us to slow down (wait ${error.retryAfter} s)`, retryAfterMs: error.retryAfter * 1000, throttled: true };
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error);
    if (UNREACHABLE.has(code)) return { ok: false, kind: "unreachable", detail: `Slack said ${code}` };
    if (RETRY.has(code)) return { ok: false, kind: "retry", detail: `Slack said ${code}` };
    return { ok: false, kind: "failed", detail: `Slack said ${code}` };
  }
  if (error instanceof webApi.WebAPIRequestError) {
    // No HTTP answer. Refused or unresolved: the request never left. Otherwise (a timeout, a reset) Slack may have it.
    const code = (error.original as { code?: string } | undefined)?.code;
    const neverLeft = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
    return { ok: false, kind: "retry", detail: error.message, ...(neverLeft ? {} : { uncertain: true }) };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return error.statusCode >= 500 || error.statusCode === 408
      ? { ok: false, kind: "retry", detail: `Slack answered HTTP ${error.statusCode}` }
      : { ok: false, kind: "failed", detail: `Slack answered HTTP ${error.statusCode}` };
  }
  return { ok: false, kind: "retry", detail: error instanceof Error ? error.message : String(error) };
}

/** The metadata event type that carries a message's outbox key, for finding it again after an ambiguous send. */
export const OUTBOX_EVENT_TYPE = "wesaid_outbox_message";
/** How far back a DM's history is searched for a message whose send went unanswered. */
const RECONCILE_HISTORY_LIMIT = 100;

export type SlackRef = { platform: "slack"; channel: string; ts: string };

export function isSlackRef(ref: MessageRef): ref is SlackRef {
  return ref.platform === "slack" && typeof ref.channel === "string" && typeof ref.ts === "string";
}

/**
 * Everything wesaid sends to Slack goes through here: the core's outbox
 * (send/update, returning SendResults) and the adapter's replies (the other
 * methods, which throw Slack's errors for the caller to handle).
 */
export class SlackMessenger implements Messenger {
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly client: WebClient,
    private readonly codec: PayloadCodec,
    private readonly pacer: ChannelPacer,
    private readonly log: Logger,
    /** Where response_url posts may go: Slack's hooks host, or the test fake. */
    private readonly responseUrlAllowed: (url: string) => boolean,
    /** Web API methods Slack said 429 for, paused until its Retry-After has passed (on the outbox's clock). */
    private readonly cooldowns: Cooldowns = new Cooldowns(Date.now),
  ) {}

  // ---------------------------------------------------------------- the core's port

  /**
   * A DM goes to the person's user id: chat.postMessage opens the app's DM
   * itself, so no conversations.open (Slack's Tier 3, about 50 a minute) is
   * needed, after a restart or ever. Each message carries its outbox key in
   * Slack message metadata; when the outbox says an earlier attempt may have
   * arrived, the DM's recent history is searched for that key first, and a
   * message found there is recorded instead of being sent again.
   */
  async send(target: Target, message: Message, context?: SendContext): Promise<SendResult> {
    const paused = this.pausedFor(["chat.postMessage"]);
    if (paused) return paused;
    const channel = target.kind === "direct" ? (this.dmChannels.get(target.externalId) ?? target.externalId) : target.externalId;
    if (context?.ambiguous && target.kind === "direct") {
      const found = await this.findSent(target.externalId, context.key).catch((error: unknown) => failureFrom(error));
      if (found && !("ok" in found)) return { ok: true, ref: found };
      // A look-up that cannot work (a missing scope, say) does not stop the message: a rare repeat rather than a loss.
      if (found?.kind === "failed") this.log.warn("could not search a DM for a message whose send went unanswered; sending it again", { detail: found.detail });
      else if (found) return found;
    }
    try {
      const ref = await this.post(channel, message, "here", context?.key);
      if (target.kind === "direct") this.rememberDm(target.externalId, ref.channel);
      await this.attachFiles(ref.channel, message).catch((error) => this.log.error("a file could not be attached in Slack", { channel: ref.channel, error: String(error) }));
      return { ok: true, ref };
    } catch (error) {
      // A 429's Retry-After is honoured by the outbox, which schedules the retry; nothing waits here.
      return failureFrom(error);
    }
  }

  /**
   * The message carrying this outbox key in the person's DM, if an earlier
   * attempt got there. Only DMs are searched: wesaid reads no channel's history.
   */
  private async findSent(userId: string, key: string): Promise<SlackRef | Failure | undefined> {
    const paused = this.pausedFor(["conversations.history"]);
    if (paused) return paused;
    const dm = await this.openDm(userId);
    const history = await this.limited("conversations.history", () =>
      this.client.conversations.history({ channel: dm, limit: RECONCILE_HISTORY_LIMIT, include_all_metadata: true }),
    );
    const match = (history.messages ?? []).find((m) => {
      const metadata = m.metadata as { event_type?: string; event_payload?: { key?: unknown } } | undefined;
      return metadata?.event_type === OUTBOX_EVENT_TYPE && metadata.event_payload?.key === key;
    });
    if (!match?.ts) return undefined;
    this.log.info("a message whose send went unanswered had arrived; it is not sent again", { key });
    return { platform: "slack", channel: dm, ts: match.ts };
  }

  async update(ref: MessageRef, message: Message): Promise<SendResult> {
    if (!isSlackRef(ref)) return { ok: false, kind: "failed", detail: "not a Slack message" };
    const paused = this.pausedFor(["chat.update"]);
    if (paused) return paused;
    try {
      await this.updateMessage(ref.channel, ref.ts, message);
      return { ok: true, ref };
    } catch (error) {
      const failure = failureFrom(error);
      // A message that is gone cannot be updated; that is not the person being unreachable.
      return failure.kind === "unreachable" ? { ok: false, kind: "failed", detail: failure.detail } : failure;
    }
  }

  /**
   * Slack limits each Web API method: after a 429 for one, nothing queued is
   * sent through it until Retry-After has passed. The outbox is told how long
   * to wait, so every message behind the first 429 waits without asking Slack.
   */
  private pausedFor(methods: string[]): Failure | undefined {
    const wait = this.cooldowns.take(methods.map((m) => `method:${m}`));
    return wait > 0 ? { ok: false, kind: "retry", detail: `Slack asked us to slow down (${methods.join(", ")}): waiting`, retryAfterMs: wait, throttled: true } : undefined;
  }

  /** Makes a Web API call, pausing its method when Slack answers 429. */
  private async limited<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.cooldowns.settle([`method:${method}`]);
      return result;
    } catch (error) {
      if (error instanceof webApi.WebAPIRateLimitedError) this.cooldowns.block([`method:${method}`], Math.max(1, error.retryAfter) * 1000);
      else this.cooldowns.settle([`method:${method}`]);
      throw error;
    }
  }

  // ---------------------------------------------------------------- building blocks

  render(message: Message, files: "here" | "dm"): RenderedMessage {
    return renderMessage(message, { codec: this.codec, files });
  }

  /** The person's DM with wesaid, opened once and then remembered. */
  async openDm(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const result = await this.limited("conversations.open", () => this.client.conversations.open({ users: userId, return_im: false }));
    const id = (result.channel as { id?: string } | undefined)?.id;
    if (!id) throw new Error("Slack did not say which conversation to use");
    this.rememberDm(userId, id);
    return id;
  }

  rememberDm(userId: string, channelId: string): void {
    if (this.dmChannels.size > 50_000) this.dmChannels.clear();
    this.dmChannels.set(userId, channelId);
  }

  /** `outboxKey` goes into the message's metadata, so the message can be found again (see `send`). */
  async post(channel: string, message: Message, files: "here" | "dm", outboxKey?: string): Promise<SlackRef> {
    const rendered = this.render(message, files);
    await this.codec.settled();
    await this.pacer.wait(channel);
    const metadata = outboxKey ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: outboxKey } } } : {};
    const result = await this.limited("chat.postMessage", () =>
      this.client.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false, unfurl_media: false, ...metadata }),
    );
    return { platform: "slack", channel: String(result.channel ?? channel), ts: String(result.ts) };
  }

  async updateMessage(channel: string, ts: string, message: Message): Promise<void> {
    const rendered = this.render(message, "here");
    await this.codec.settled();
    await this.limited("chat.update", () => this.client.chat.update({ channel, ts, text: rendered.text, blocks: rendered.blocks }));
  }

  async postEphemeral(channel: string, userId: string, message: Message): Promise<void> {
    const rendered = this.render(message, "dm");
    await this.codec.settled();
    await this.client.chat.postEphemeral({ channel, user: userId, text: rendered.text, blocks: rendered.blocks });
  }

  /** Answers through a response_url: a private message, or a replacement of the one acted on. */
  async respond(responseUrl: string, message: Message, replaceOriginal: boolean): Promise<void> {
    if (!this.responseUrlAllowed(responseUrl)) throw new Error("refusing a response_url that is not Slack's");
    const rendered = this.render(message, "dm");
    await this.codec.settled();
    const response = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ response_type: "ephemeral", replace_original: replaceOriginal, text: rendered.text, blocks: rendered.blocks }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new webApi.WebAPIHTTPError(response.status, response.statusText, {}, await response.text().catch(() => ""));
  }

  async publishHome(userId: string, view: types.HomeView): Promise<void> {
    await this.codec.settled();
    await this.client.views.publish({ user_id: userId, view });
  }

  async openModal(triggerId: string, view: types.ModalView): Promise<void> {
    await this.codec.settled();
    await this.client.views.open({ trigger_id: triggerId, view });
  }

  /**
   * Files (a calendar invite, a data export) are uploaded with files.uploadV2
   * into the same conversation, just after the message that mentions them.
   */
  async attachFiles(channel: string, message: Message): Promise<void> {
    for (const file of filesIn(message)) {
      if (file.kind === "image") {
        await this.client.files.uploadV2({ channel_id: channel, filename: pngName(file.title), title: file.title, alt_text: file.alt, file: Buffer.from(file.png, "base64") });
      } else {
        await this.client.files.uploadV2({ channel_id: channel, filename: file.filename, title: file.label, content: file.content });
      }
    }
  }

  /** Files in a private reply go to the person's DM, never to a shared channel. */
  async attachFilesPrivately(userId: string, message: Message): Promise<void> {
    if (filesIn(message).length === 0) return;
    try {
      await this.attachFiles(await this.openDm(userId), message);
    } catch (error) {
      this.log.error("a file could not be sent in Slack", { error: String(error) });
      const first = filesIn(message)[0]!;
      const filename = first.kind === "image" ? pngName(first.title) : first.filename;
      await this.post(await this.openDm(userId), { summary: slackText.fileFailed(filename), blocks: [{ kind: "text", text: slackText.fileFailed(filename) }] }, "here").catch(() => undefined);
    }
  }
}

/** Files and pictures: both are uploaded after the message. */
export function filesIn(message: Message): (FileBlock | ImageBlock)[] {
  return message.blocks.filter((b): b is FileBlock | ImageBlock => b.kind === "file" || b.kind === "image");
}

const pngName = (title: string) => `${title.replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase().slice(0, 60) || "chart"}.png`;
