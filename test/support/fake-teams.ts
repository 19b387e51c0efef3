import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A fake Microsoft Bot Connector (the service at an activity's serviceUrl),
 * on 127.0.0.1 and a random port. It records what the bot sends, can answer
 * 429 (with Retry-After) or 502 for the next calls, and refuses anything it
 * does not know so an unexpected call fails the test.
 */

export type Recorded = {
  method: string;
  path: string;
  kind: "post" | "reply" | "update" | "create" | "member" | "unexpected";
  conversationId?: string;
  /** For replies: the activity replied to; for updates: the activity replaced. */
  activityId?: string;
  /** The id the fake gave a posted activity. */
  id?: string;
  body: any;
  status: number;
  /** When it arrived, by the fake's clock (see `enforceLimits`). */
  at?: number;
};

/** At most `limit` requests in any `windowMs`, counted when they arrive. */
export type WindowLimit = { limit: number; windowMs: number };
/**
 * Teams' documented limits, enforced when asked: per bot per conversation
 * 7 a second, 8 in 2 seconds, 60 in 30 seconds; per app per tenant 50 a second.
 */
export type TeamsLimits = { perConversation: WindowLimit[]; perTenant: WindowLimit[]; now?: () => number };
export const TEAMS_LIMITS: TeamsLimits = {
  perConversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
  ],
  perTenant: [{ limit: 50, windowMs: 1_000 }],
};

type Failure = { status: number; headers?: Record<string, string>; match?: (call: Recorded) => boolean };
type Delay = { ms: number; match?: (call: Recorded) => boolean };

/** Where the answer to a call carried out but never answered goes. */
const UNANSWERED = { writeHead: () => UNANSWERED, end: () => UNANSWERED } as unknown as ServerResponse;

export class FakeTeams {
  readonly calls: Recorded[] = [];
  /** Teams user ids (29:...) of people who have not installed the app: opening a 1:1 chat with them fails. */
  readonly notInstalled = new Set<string>();
  /** Conversations wesaid has been removed from: posting there fails with 403. */
  readonly removedFrom = new Set<string>();
  /** Team members the fake can describe (GET members), by Teams user id. */
  readonly members = new Map<string, { aadObjectId: string; name: string }>();
  private failures: Failure[] = [];
  private delays: Delay[] = [];
  /** Calls received but never answered (a hung Teams), until reset or stop. */
  private hangs: ((call: Recorded) => boolean)[] = [];
  private hung: ServerResponse[] = [];
  /** Calls carried out (a post is delivered) but never answered, as when the reply is lost. */
  private silentAfterDoing: ((call: Recorded) => boolean)[] = [];
  private counter = 0;
  private enforced?: { limits: TeamsLimits; seen: Map<string, number[]> };

  private constructor(private readonly server: Server, readonly serviceUrl: string) {}

  static async start(): Promise<FakeTeams> {
    let fake: FakeTeams | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    fake = new FakeTeams(server, `http://127.0.0.1:${port}/`);
    return fake;
  }

  /**
   * From now on, answer 429 with Retry-After to requests over Teams' limits,
   * counted when they arrive (by `limits.now`, real time unless given).
   */
  enforceLimits(limits: TeamsLimits = TEAMS_LIMITS): void {
    this.enforced = { limits, seen: new Map() };
  }

  /** 429s the fake answered. */
  throttled(): Recorded[] {
    return this.calls.filter((c) => c.status === 429);
  }

  /** Seconds to wait when this call is over a limit; otherwise counts it and returns undefined. */
  private overLimit(call: Recorded): number | undefined {
    if (!this.enforced || call.kind === "unexpected") return undefined;
    const { limits, seen } = this.enforced;
    const now = call.at!;
    const tenant = call.body?.conversation?.tenantId ?? call.body?.tenantId ?? call.body?.channelData?.tenant?.id ?? "none";
    const conversation = call.conversationId?.split(";messageid=")[0];
    const checks: [string, WindowLimit][] = limits.perTenant.map((l, i) => [`tenant:${tenant}#${i}`, l]);
    if (conversation) checks.push(...limits.perConversation.map((l, i): [string, WindowLimit] => [`conversation:${conversation}#${i}`, l]));
    let wait = 0;
    for (const [key, limit] of checks) {
      const times = (seen.get(key) ?? []).filter((t) => t > now - limit.windowMs);
      seen.set(key, times);
      if (times.length >= limit.limit) wait = Math.max(wait, times[times.length - limit.limit]! + limit.windowMs - now);
    }
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    for (const [key] of checks) seen.get(key)!.push(now);
    return undefined;
  }

  /** Answer the next `count` matching calls with this status (e.g. 429 with Retry-After, or 502). */
  failNext(count: number, status: number, options: { headers?: Record<string, string>; match?: (call: Recorded) => boolean } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  /** Answer the next `count` matching calls only after `ms` (a slow Teams). */
  slowNext(count: number, ms: number, match?: (call: Recorded) => boolean): void {
    for (let i = 0; i < count; i++) this.delays.push({ ms, match });
  }

  /** The next `count` matching calls are received but never answered, and nothing is posted. */
  hangNext(count: number, match: (call: Recorded) => boolean = () => true): void {
    for (let i = 0; i < count; i++) this.hangs.push(match);
  }

  /** The next `count` matching calls are carried out (a post is delivered, and listed in messages()) but never answered. */
  hangAfterDoingNext(count: number, match: (call: Recorded) => boolean = () => true): void {
    for (let i = 0; i < count; i++) this.silentAfterDoing.push(match);
  }

  private releaseHung(): void {
    for (const res of this.hung.splice(0)) res.destroy();
  }

  /**
   * The Bot Framework's OpenID metadata and signing keys (login.botframework.com
   * in production): `hang` leaves every request for them unanswered.
   */
  readonly openId = { hang: false, metadataFetches: 0, keyFetches: 0, keys: [] as Record<string, unknown>[] };

  get openIdMetadataUrl(): string {
    return `${this.serviceUrl}openid/metadata`;
  }

  private openIdDocument(path: string, res: ServerResponse): void {
    if (path === "/openid/metadata") this.openId.metadataFetches++;
    else this.openId.keyFetches++;
    if (this.openId.hang) return; // never answered (stop() closes the connection)
    const body = path === "/openid/metadata" ? { issuer: "https://api.botframework.com", jwks_uri: `${this.serviceUrl}openid/keys` } : { keys: this.openId.keys };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  reset(): void {
    this.releaseHung();
    this.hangs = [];
    this.silentAfterDoing = [];
    Object.assign(this.openId, { hang: false, metadataFetches: 0, keyFetches: 0, keys: [] });
    this.calls.length = 0;
    this.enforced = undefined;
    this.failures = [];
    this.delays = [];
    this.notInstalled.clear();
    this.removedFrom.clear();
    this.members.clear();
  }

  stop(): Promise<void> {
    this.releaseHung();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- what was sent

  /** Messages that reached Teams (new posts and replies), oldest first. */
  messages(conversationId?: string): Recorded[] {
    return this.calls.filter((c) => (c.kind === "post" || c.kind === "reply") && c.status < 300 && (!conversationId || c.conversationId === conversationId));
  }

  updates(conversationId?: string): Recorded[] {
    return this.calls.filter((c) => c.kind === "update" && c.status < 300 && (!conversationId || c.conversationId === conversationId));
  }

  unexpected(): Recorded[] {
    return this.calls.filter((c) => c.kind === "unexpected");
  }

  /** The Adaptive Card of a recorded activity. */
  static card(call: Recorded | undefined): any {
    return call?.body?.attachments?.find((a: any) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
  }

  /** Waits (bounded) until `check` holds; throws with what was recorded if it never does. */
  async waitFor<T>(check: () => T | undefined | false | null, what = "the bot to send something", timeoutMs = 5_000): Promise<T> {
    const started = performance.now();
    for (;;) {
      const value = check();
      if (value) return value;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`timed out waiting for ${what}; recorded: ${JSON.stringify(this.calls.map((c) => `${c.method} ${c.path} ${c.status}`))}`);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  // ---------------------------------------------------------------- the fake connector

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? JSON.parse(text) : undefined;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path.startsWith("/openid/")) return this.openIdDocument(path, res);
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const call: Recorded = { method: req.method ?? "", path, kind: "unexpected", body, status: 404 };
    if (parts[0] === "v3" && parts[1] === "conversations") {
      const [, , conversationId, what, id] = parts;
      call.conversationId = conversationId;
      if (req.method === "POST" && !conversationId) call.kind = "create";
      else if (req.method === "POST" && what === "activities") {
        call.kind = id ? "reply" : "post";
        call.activityId = id;
      } else if (req.method === "PUT" && what === "activities" && id) {
        call.kind = "update";
        call.activityId = id;
      } else if (req.method === "GET" && what === "members" && id) {
        call.kind = "member";
        call.activityId = id;
      }
    }
    this.calls.push(call);
    const hang = call.kind === "unexpected" ? -1 : this.hangs.findIndex((match) => match(call));
    if (hang >= 0) {
      this.hangs.splice(hang, 1);
      call.status = 0;
      this.hung.push(res);
      return;
    }
    const silent = call.kind === "unexpected" ? -1 : this.silentAfterDoing.findIndex((match) => match(call));
    if (silent >= 0) {
      this.silentAfterDoing.splice(silent, 1);
      this.hung.push(res);
      res = UNANSWERED;
    }
    const delay = this.delays.findIndex((d) => !d.match || d.match(call));
    if (delay >= 0) await new Promise((resolve) => setTimeout(resolve, this.delays.splice(delay, 1)[0]!.ms));
    call.at = (this.enforced?.limits.now ?? (() => performance.now()))();
    const over = this.overLimit(call);
    if (over !== undefined) return this.answer(res, call, 429, { error: { code: "Throttled", message: "over the rate limit" } }, { "retry-after": String(over) });
    const failure = call.kind === "unexpected" ? undefined : this.takeFailure(call);
    if (failure) return this.answer(res, call, failure.status, { error: { code: "Throttled", message: `fake failure ${failure.status}` } }, failure.headers);
    switch (call.kind) {
      case "create": {
        const memberId: string = body?.members?.[0]?.id ?? "";
        if (this.notInstalled.has(memberId)) return this.answer(res, call, 403, { error: { code: "Forbidden", message: "Bot is not installed in user's personal scope" } });
        return this.answer(res, call, 201, { id: `a:1personal-${memberId.replace(/^29:/, "")}` });
      }
      case "post":
      case "reply": {
        if (this.removedFrom.has(call.conversationId!)) return this.answer(res, call, 403, { error: { code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." } });
        call.id = `activity-${++this.counter}`;
        return this.answer(res, call, 201, { id: call.id });
      }
      case "update":
        return this.answer(res, call, 200, { id: call.activityId });
      case "member": {
        const member = this.members.get(call.activityId!);
        if (!member) return this.answer(res, call, 404, { error: { code: "MemberNotFoundInConversation", message: "not found" } });
        return this.answer(res, call, 200, { id: call.activityId, name: member.name, aadObjectId: member.aadObjectId, objectId: member.aadObjectId });
      }
      default:
        return this.answer(res, call, 404, { error: { code: "NotFound", message: `the fake does not know ${req.method} ${path}` } });
    }
  }

  private takeFailure(call: Recorded): Failure | undefined {
    const index = this.failures.findIndex((f) => !f.match || f.match(call));
    if (index < 0) return undefined;
    return this.failures.splice(index, 1)[0];
  }

  private answer(res: ServerResponse, call: Recorded, status: number, body: unknown, headers: Record<string, string> = {}): void {
    call.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(text);
  }
}

// ------------------------------------------------------------------ activities as Teams sends them

const fixtures = fileURLToPath(new URL("../fixtures/teams/", import.meta.url));

export type FixtureName =
  | "personal-message"
  | "channel-mention"
  | "card-submit"
  | "invoke-execute"
  | "conversation-update-personal"
  | "conversation-update-team"
  | "installation-update-personal"
  | "group-chat-message";

export function fixture(name: FixtureName): any {
  return JSON.parse(readFileSync(`${fixtures}${name}.json`, "utf8"));
}

let activitySeq = 0;

/** A Teams user as activities carry them. */
export type TeamsUser = { id: string; name: string; aadObjectId: string; chat: string; /** Their Teams client's zone, sent as localTimezone (the fixtures say Europe/London). */ timeZone?: string };

export const TENANT = "72f988bf-0000-4000-8000-0000000000aa";
export const BOT = { id: "28:00000000-0000-4000-8000-00000000b0b0", name: "wesaid" };
export const CHANNEL = "19:co-production-channel@thread.tacv2";
export const TEAM = "19:mental-health-review-team@thread.tacv2";

export function teamsUser(name: string): TeamsUser {
  const slug = name.toLowerCase().replace(/\W+/g, "-");
  return { id: `29:1${slug}`, name, aadObjectId: `aad-${slug}`, chat: `a:1personal-${slug}` };
}

/** Builds activities from the recorded fixtures, aimed at the fake connector. */
export class ActivityBuilder {
  constructor(private readonly serviceUrl: string) {}

  private base(name: FixtureName, user: TeamsUser): any {
    const a = fixture(name);
    a.serviceUrl = this.serviceUrl;
    a.id = name.startsWith("invoke") || name.startsWith("conversation") || name.startsWith("installation") ? `f:${++activitySeq}` : String(1772442000000 + ++activitySeq);
    a.from = { id: user.id, name: user.name, aadObjectId: user.aadObjectId };
    if (user.timeZone) a.localTimezone = user.timeZone;
    if (a.conversation.conversationType === "personal") {
      a.conversation.id = user.chat;
      if (a.channelData?.settings?.selectedChannel) a.channelData.settings.selectedChannel.id = user.chat;
    }
    return a;
  }

  /** The app added to someone's personal scope: conversationUpdate, then installationUpdate. */
  install(user: TeamsUser): any[] {
    return [this.base("conversation-update-personal", user), this.base("installation-update-personal", user)];
  }

  /** The app added to the team (as Teams sends it in the General channel). */
  addedToTeam(user: TeamsUser): any {
    return this.base("conversation-update-team", user);
  }

  /** A message in the 1:1 chat. */
  say(user: TeamsUser, text: string): any {
    return { ...this.base("personal-message", user), text };
  }

  /**
   * A message in the channel, starting with @wesaid. `mentions` are other
   * people to @mention, written "@Name" in `text`.
   */
  inChannel(user: TeamsUser, text: string, mentions: TeamsUser[] = []): any {
    const a = this.base("channel-mention", user);
    const botEntity = a.entities[0];
    let body = text;
    const entities = [botEntity];
    for (const m of mentions) {
      body = body.replace(`@${m.name}`, `<at>${m.name}</at>`);
      entities.push({ mentioned: { id: m.id, name: m.name }, text: `<at>${m.name}</at>`, type: "mention" });
    }
    a.text = `<at>wesaid</at> ${body}`;
    a.entities = [...entities, a.entities[2]];
    a.conversation.id = `${CHANNEL};messageid=${a.id}`;
    delete a.attachments;
    return a;
  }

  /** Pressing an Action.Execute button (or sending its form) on a card: the invoke Teams sends. */
  execute(user: TeamsUser, action: any, inputs: Record<string, string> = {}, where: { conversationId?: string; replyToId?: string; channel?: boolean } = {}): any {
    const a = this.base("invoke-execute", user);
    a.value.action = { type: "Action.Execute", title: action.title, verb: action.verb, data: { ...action.data, ...inputs } };
    if (where.replyToId) a.replyToId = where.replyToId;
    if (where.channel) {
      const channel = fixture("channel-mention");
      a.conversation = { ...channel.conversation, id: `${CHANNEL};messageid=${where.replyToId ?? "1"}` };
      a.channelData = channel.channelData;
    } else if (where.conversationId) a.conversation.id = where.conversationId;
    return a;
  }

  /** Pressing the same button where only Action.Submit works: a message with `value`. */
  submit(user: TeamsUser, action: any, inputs: Record<string, string> = {}, where: { conversationId?: string; replyToId?: string } = {}): any {
    const a = this.base("card-submit", user);
    const submit = action.type === "Action.Submit" ? action : action.fallback;
    a.value = { ...submit.data, ...inputs };
    if (where.replyToId) a.replyToId = where.replyToId;
    if (where.conversationId) a.conversation.id = where.conversationId;
    return a;
  }
}

// ------------------------------------------------------------------ reading cards

/** Every action on a card, including those inside action sets and show-cards. */
export function cardActions(card: any): any[] {
  const found: any[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node.type === "string" && node.type.startsWith("Action.")) found.push(node);
    for (const [key, value] of Object.entries(node)) if (key !== "fallback") visit(value);
  };
  visit(card);
  return found;
}

export function findAction(card: any, title: string | RegExp, type = "Action.Execute"): any {
  const action = cardActions(card).find((a) => a.type === type && (typeof title === "string" ? a.title?.includes(title) : title.test(a.title ?? "")));
  if (!action) throw new Error(`no ${type} "${title}" in card: ${cardText(card)}`);
  return action;
}

/** The text a person would read on a card (Markdown escapes removed). */
export function cardText(card: any): string {
  const lines: string[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (node.type === "TextBlock") lines.push(String(node.text).replace(/\\([*_~`])/g, "$1").replace(/\u200b/g, ""));
    if (node.type === "FactSet") for (const f of node.facts) lines.push(`${f.title}: ${f.value}`);
    if (typeof node.label === "string") lines.push(node.label);
    if (typeof node.title === "string" && node.type?.startsWith("Action.")) lines.push(`[${node.title}]`);
    for (const [key, value] of Object.entries(node)) if (key !== "fallback") visit(value);
  };
  visit(card);
  return lines.join("\n");
}
