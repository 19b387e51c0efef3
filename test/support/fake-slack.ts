import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake of Slack for tests, on 127.0.0.1 and a random port: the Web API
 * (`/api/<method>`), response_url endpoints (`/response/<n>`) and file upload
 * URLs (`/upload/<id>`). It records every call, keeps what each person would
 * see (channel and DM messages, ephemeral messages, Home tabs, open modals),
 * and can be told to answer 429, 500 or a Slack error for the next calls.
 * Anything it does not know is recorded in `unknown` so tests can fail on it.
 */

export type Call = { method: string; body: Record<string, unknown>; status: number; at: number };
export type Blocks = Record<string, unknown>[];

export type PostedMessage = { kind: "message"; seq: number; channel: string; ts: string; text: string; blocks: Blocks; edits: number; metadata?: Record<string, unknown> };

/**
 * Slack's documented limits, enforced when asked (`enforceLimits`): chat.postMessage
 * about one message a second per conversation with short bursts, and Tier 3
 * methods (conversations.open, conversations.history) about 50 a minute.
 * Over a limit the fake answers 429 with Retry-After, as Slack does.
 */
export type SlackLimits = { perConversationBurst: number; perConversationPerSecond: number; tier3PerMinute: number; now?: () => number };
export const SLACK_LIMITS: SlackLimits = { perConversationBurst: 3, perConversationPerSecond: 1, tier3PerMinute: 50 };
const TIER_3 = new Set(["conversations.open", "conversations.history"]);
export type Ephemeral = { kind: "ephemeral"; seq: number; id: number; user: string; channel?: string; text: string; blocks: Blocks; responseUrl: string; replaced: number };
export type Modal = { id: string; user: string; view: Record<string, unknown> };
export type Upload = { fileId: string; filename: string; title?: string; channel?: string; content: string };
export type Visible = PostedMessage | Ephemeral;

type Failure = { status: 429; retryAfter: number } | { status: 500 } | { error: string };
type PlannedFailure = { method?: string; remaining: number; failure: Failure };
type ResponseSlot = { user: string; channel?: string; ephemeralId?: number; message?: { channel: string; ts: string } };

export const FAKE_TEAM = "T0WESAID";
export const FAKE_BOT_USER = "U0WESAIDBOT";
export const FAKE_BOT_ID = "B0WESAIDBOT";
export const FAKE_TOKEN = "xoxb-fake-token";

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly unknown: Call[] = [];
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly modals: Modal[] = [];
  readonly homes = new Map<string, Record<string, unknown>>();
  readonly uploads: Upload[] = [];
  readonly responsePosts: { url: string; body: Record<string, unknown> }[] = [];
  /** Display names answered by users.info. */
  readonly users = new Map<string, string>();
  /** What users.info adds about people from elsewhere: their own team, or that Slack marks them a stranger. */
  readonly userOrigins = new Map<string, { team_id?: string; is_stranger?: boolean }>();
  /** Time zones answered by users.info as `tz` (Slack's IANA name from the person's profile); London when unset. */
  readonly userZones = new Map<string, string>();
  /** People conversations.open refuses, with the Slack error it gives. */
  readonly unreachableUsers = new Map<string, string>();
  /** Channels chat.postMessage refuses (wesaid is not in them). */
  readonly closedChannels = new Set<string>();
  private failures: PlannedFailure[] = [];
  /** Methods answering 429 while their `active()` says so, as Slack does for a method over its limit. */
  private limits: { method: string; retryAfter: number; active: () => boolean }[] = [];
  /** Calls that never get an answer (a hung Slack), until reset or stop. */
  private hangs: { method: string; remaining: number; postAnyway?: boolean }[] = [];
  private hung: ServerResponse[] = [];
  /** Calls carried out (a post appears) but never answered: the sender cannot know they worked. */
  private silentAfterDoing: { method: string; remaining: number }[] = [];
  private slots = new Map<number, ResponseSlot>();
  private enforced?: { limits: SlackLimits; buckets: Map<string, { tokens: number; at: number }>; tier3: Map<string, number[]> };
  private counter = 0;
  private tsCounter = 0;
  /** Order in which things appeared, across channels, DMs and ephemeral messages. */
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      void fake!.route(req, res).catch((error) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  stop(): Promise<void> {
    this.releaseHung();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  reset(): void {
    for (const list of [this.calls, this.unknown, this.messages, this.ephemerals, this.modals, this.uploads, this.responsePosts] as unknown[][]) list.length = 0;
    this.homes.clear();
    this.users.clear();
    this.userOrigins.clear();
    this.userZones.clear();
    this.unreachableUsers.clear();
    this.closedChannels.clear();
    this.failures = [];
    this.limits = [];
    this.enforced = undefined;
    this.hangs = [];
    this.silentAfterDoing = [];
    this.releaseHung();
    this.slots.clear();
  }

  /** From now on, answer 429 (with Retry-After) to calls over Slack's documented limits. */
  enforceLimits(limits: SlackLimits = SLACK_LIMITS): void {
    this.enforced = { limits, buckets: new Map(), tier3: new Map() };
  }

  /** Seconds to wait if this call would go over an enforced limit, else undefined (and the call is counted). */
  private overLimit(method: string, body: Record<string, unknown>): number | undefined {
    if (!this.enforced) return undefined;
    const { limits, buckets, tier3 } = this.enforced;
    const now = (limits.now ?? (() => performance.now()))();
    if (method === "chat.postMessage") {
      const channel = this.channelFor(String(body.channel));
      const bucket = buckets.get(channel) ?? { tokens: limits.perConversationBurst, at: now };
      bucket.tokens = Math.min(limits.perConversationBurst, bucket.tokens + ((now - bucket.at) / 1000) * limits.perConversationPerSecond);
      bucket.at = now;
      buckets.set(channel, bucket);
      if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / limits.perConversationPerSecond));
      bucket.tokens -= 1;
      return undefined;
    }
    if (TIER_3.has(method)) {
      const times = (tier3.get(method) ?? []).filter((t) => t > now - 60_000);
      tier3.set(method, times);
      if (times.length >= limits.tier3PerMinute) return Math.max(1, Math.ceil((times[0]! + 60_000 - now) / 1000));
      times.push(now);
    }
    return undefined;
  }

  /** Where chat.postMessage puts a message: a user id means the app's DM with that person. */
  private channelFor(channel: string): string {
    return /^[UW]/.test(channel) ? FakeSlack.dmChannelOf(channel) : channel;
  }

  /** `method` answers 429 with this Retry-After (seconds) for as long as `active()` holds. */
  rateLimit(method: string, retryAfter: number, active: () => boolean): void {
    this.limits.push({ method, retryAfter, active });
  }

  /** The next `times` calls of `method` are received but never answered (nothing is posted, unless `postAnyway`). */
  hangNext(times: number, method: string, options: { postAnyway?: boolean } = {}): void {
    this.hangs.push({ method, remaining: times, ...options });
  }

  /** The next `times` calls of `method` are carried out (a message is posted) but never answered, as when a reply is lost. */
  hangAfterDoingNext(times: number, method: string): void {
    this.silentAfterDoing.push({ method, remaining: times });
  }

  private releaseHung(): void {
    for (const res of this.hung.splice(0)) res.destroy();
  }

  /** The next `times` calls (of `method`, if given) fail this way. */
  failNext(times: number, failure: Failure, method?: string): void {
    this.failures.push({ method, remaining: times, failure });
  }

  // ---------------------------------------------------------------- what people see

  static dmChannelOf(userId: string): string {
    return `D${userId.replace(/^U/, "")}`;
  }

  /** Messages in a channel or DM, oldest first, as they look now (after updates). */
  inChannel(channel: string): PostedMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  dmOf(userId: string): PostedMessage[] {
    return this.inChannel(FakeSlack.dmChannelOf(userId));
  }

  ephemeralsFor(userId: string): Ephemeral[] {
    return this.ephemerals.filter((e) => e.user === userId);
  }

  lastModal(userId: string): Modal {
    const modal = [...this.modals].reverse().find((m) => m.user === userId);
    if (!modal) throw new Error(`no modal was opened for ${userId}`);
    return modal;
  }

  callsTo(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---------------------------------------------------------------- response_url and triggers

  /** A response_url for a slash command or a button; answers to it become ephemeral messages. */
  responseUrlFor(slot: ResponseSlot): string {
    const id = ++this.counter;
    this.slots.set(id, slot);
    return `${this.baseUrl}/response/${id}`;
  }

  /** A trigger id that tells the fake whose modal views.open is opening. */
  triggerFor(userId: string): string {
    return `${++this.counter}.${userId}.trigger`;
  }

  /** Records an ephemeral message (the body of a slash command's acknowledgement, say). */
  addEphemeral(user: string, channel: string | undefined, body: Record<string, unknown>): Ephemeral {
    const id = ++this.counter;
    const responseUrl = this.responseUrlFor({ user, channel, ephemeralId: id });
    const eph: Ephemeral = { kind: "ephemeral", seq: ++this.seq, id, user, channel, text: String(body.text ?? ""), blocks: (body.blocks as Blocks) ?? [], responseUrl, replaced: 0 };
    this.ephemerals.push(eph);
    return eph;
  }

  // ---------------------------------------------------------------- HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    const path = new URL(req.url ?? "/", this.baseUrl).pathname;
    if (path.startsWith("/api/")) return this.api(path.slice(5), req, raw, res);
    if (path.startsWith("/response/")) return this.responseUrl(Number(path.slice(10)), raw, res);
    if (path.startsWith("/upload/")) {
      const fileId = path.slice(8);
      const upload = this.uploads.find((u) => u.fileId === fileId);
      if (upload) upload.content = raw;
      res.writeHead(upload ? 200 : 404);
      res.end(upload ? "OK - 1" : "no such upload");
      return;
    }
    res.writeHead(404);
    res.end();
  }

  private api(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const body = parseBody(raw, req.headers["content-type"]);
    const hang = this.hangs.find((h) => h.remaining > 0 && h.method === method);
    if (hang) {
      hang.remaining--;
      this.calls.push({ method, body, status: 0, at: Date.now() });
      // Slack may take the message and never answer: `postAnyway` posts what a hung call carried.
      if (hang.postAnyway && method === "chat.postMessage") this.answer(method, body);
      this.hung.push(res);
      return;
    }
    const silent = this.silentAfterDoing.find((h) => h.remaining > 0 && h.method === method);
    if (silent) {
      silent.remaining--;
      this.answer(method, body);
      this.calls.push({ method, body, status: 0, at: Date.now() });
      this.hung.push(res);
      return;
    }
    const limit = this.limits.find((l) => l.method === method && l.active());
    const over = limit ? undefined : this.overLimit(method, body);
    const failure = limit
      ? ({ status: 429, retryAfter: limit.retryAfter } as const)
      : over !== undefined
        ? ({ status: 429, retryAfter: over } as const)
        : this.takeFailure(method);
    if (failure && "status" in failure) {
      this.calls.push({ method, body, status: failure.status, at: Date.now() });
      if (failure.status === 429) res.writeHead(429, { "retry-after": String(failure.retryAfter), "content-type": "application/json" });
      else res.writeHead(500, { "content-type": "text/plain" });
      res.end(failure.status === 429 ? JSON.stringify({ ok: false, error: "ratelimited" }) : "Internal Server Error");
      return;
    }
    const auth = req.headers.authorization ?? "";
    const answer = failure
      ? { ok: false, error: failure.error }
      : auth !== `Bearer ${FAKE_TOKEN}` && !(typeof body.token === "string" && body.token === FAKE_TOKEN)
        ? { ok: false, error: "invalid_auth" }
        : this.answer(method, body);
    const call = { method, body, status: 200, at: Date.now() };
    this.calls.push(call);
    if ((answer as { error?: string }).error === "unknown_method") this.unknown.push(call);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  }

  private takeFailure(method: string): Failure | undefined {
    const planned = this.failures.find((f) => f.remaining > 0 && (!f.method || f.method === method));
    if (!planned) return undefined;
    planned.remaining--;
    return planned.failure;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://nhs-example.slack.com/", team: "NHS Example", user: "wesaid", team_id: FAKE_TEAM, user_id: FAKE_BOT_USER, bot_id: FAKE_BOT_ID };
      case "users.info": {
        const id = String(body.user);
        const name = this.users.get(id);
        if (this.unreachableUsers.has(id)) return { ok: false, error: "user_not_found" };
        const origin = this.userOrigins.get(id) ?? {};
        const tz = this.userZones.get(id) ?? "Europe/London";
        const user = { id, name: (name ?? id).toLowerCase(), real_name: name ?? "", tz, tz_label: tz, profile: { display_name: name ?? "", real_name: name ?? "" }, ...origin };
        return { ok: true, user };
      }
      case "conversations.open": {
        const user = String(body.users);
        const refusal = this.unreachableUsers.get(user);
        if (refusal) return { ok: false, error: refusal };
        return { ok: true, channel: { id: FakeSlack.dmChannelOf(user) } };
      }
      case "chat.postMessage": {
        const given = String(body.channel);
        const refusal = this.unreachableUsers.get(given);
        if (refusal) return { ok: false, error: refusal };
        const channel = this.channelFor(given);
        if (this.closedChannels.has(channel)) return { ok: false, error: "not_in_channel" };
        const metadata = body.metadata && typeof body.metadata === "object" ? (body.metadata as Record<string, unknown>) : undefined;
        const msg: PostedMessage = { kind: "message", seq: ++this.seq, channel, ts: this.nextTs(), text: String(body.text ?? ""), blocks: (body.blocks as Blocks) ?? [], edits: 0, metadata };
        this.messages.push(msg);
        return { ok: true, channel, ts: msg.ts, message: { text: msg.text, ts: msg.ts } };
      }
      case "conversations.history": {
        const channel = String(body.channel);
        const limit = Number(body.limit ?? 100);
        const withMetadata = body.include_all_metadata === true || body.include_all_metadata === "true";
        const newestFirst = this.inChannel(channel).reverse().slice(0, limit);
        return { ok: true, messages: newestFirst.map((m) => ({ type: "message", ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) })), has_more: false };
      }
      case "chat.update": {
        const msg = this.messages.find((m) => m.channel === body.channel && m.ts === body.ts);
        if (!msg) return { ok: false, error: "message_not_found" };
        msg.text = String(body.text ?? "");
        msg.blocks = (body.blocks as Blocks) ?? [];
        msg.edits++;
        return { ok: true, channel: msg.channel, ts: msg.ts };
      }
      case "chat.postEphemeral": {
        const eph = this.addEphemeral(String(body.user), String(body.channel), body);
        return { ok: true, message_ts: `${eph.id}.000000` };
      }
      case "views.open": {
        const user = String(body.trigger_id).split(".")[1] ?? "unknown";
        const id = `V${++this.counter}`;
        this.modals.push({ id, user, view: body.view as Record<string, unknown> });
        return { ok: true, view: { id, ...(body.view as object) } };
      }
      case "views.publish":
        this.homes.set(String(body.user_id), body.view as Record<string, unknown>);
        return { ok: true, view: { id: `V${++this.counter}` } };
      case "files.getUploadURLExternal": {
        const fileId = `F${++this.counter}`;
        this.uploads.push({ fileId, filename: String(body.filename), content: "" });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal": {
        const files = (body.files as { id: string; title?: string }[]) ?? [];
        for (const f of files) {
          const upload = this.uploads.find((u) => u.fileId === f.id);
          if (upload) Object.assign(upload, { title: f.title, channel: body.channel_id as string | undefined });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  private responseUrl(id: number, raw: string, res: ServerResponse): void {
    const slot = this.slots.get(id);
    const body = parseBody(raw, "application/json");
    this.responsePosts.push({ url: `${this.baseUrl}/response/${id}`, body });
    if (!slot) {
      res.writeHead(404);
      res.end("no such response_url");
      return;
    }
    if (body.replace_original === true && slot.ephemeralId !== undefined) {
      const eph = this.ephemerals.find((e) => e.id === slot.ephemeralId)!;
      Object.assign(eph, { text: String(body.text ?? ""), blocks: (body.blocks as Blocks) ?? [], replaced: eph.replaced + 1 });
    } else if (body.replace_original === true && slot.message) {
      const msg = this.messages.find((m) => m.channel === slot.message!.channel && m.ts === slot.message!.ts)!;
      Object.assign(msg, { text: String(body.text ?? ""), blocks: (body.blocks as Blocks) ?? [], edits: msg.edits + 1 });
    } else {
      this.addEphemeral(slot.user, slot.channel, body);
    }
    res.writeHead(200);
    res.end("ok");
  }

  private nextTs(): string {
    return `${1772442000 + ++this.tsCounter}.000100`;
  }
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Web API bodies are forms whose object fields (blocks, view, files) are JSON strings. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if ((contentType ?? "").includes("application/json")) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { raw };
    }
  }
  if ((contentType ?? "").includes("multipart/form-data")) return { raw };
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// ------------------------------------------------------------------ signing requests as Slack does

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body). */
export function slackSignature(secret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestampSec}:${rawBody}`).digest("hex")}`;
}

export type SignedPost = {
  secret: string;
  contentType: "application/json" | "application/x-www-form-urlencoded";
  /** Seconds since 1970; now by default. */
  timestampSec?: number;
  retryNum?: number;
  /** Sign with this secret instead (a forged request). */
  signWith?: string;
};

export type SlackResponse = { status: number; text: string; json: Record<string, unknown> | null };

/** Posts a body to wesaid's /slack/events, signed exactly as Slack signs it. */
export async function postSigned(url: string, rawBody: string, opts: SignedPost): Promise<SlackResponse> {
  const timestamp = opts.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": opts.contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(opts.signWith ?? opts.secret, timestamp, rawBody),
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
  };
  if (opts.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(opts.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const response = await fetch(url, { method: "POST", headers, body: rawBody });
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}
