import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { verifySlackRequest, type App, type Receiver } from "@slack/bolt";
import type { Logger } from "../../src/context.ts";
import { readBody, sendJson } from "../../src/http.ts";
import type { HttpRoute } from "../../src/platform.ts";
import { boltCanRead } from "./bolt-shape.ts";

/**
 * Bolt's Receiver for HTTP mode, mounted on wesaid's own server as one route
 * (POST /slack/events) for events, interactivity and slash commands.
 *
 * It checks Slack's signature on the raw body, parses JSON and form bodies,
 * answers url_verification, and hands everything else to app.processEvent.
 * Slack's 3-second limit is kept here. Nothing is acknowledged before what
 * it carries is stored: the listeners acknowledge once core.accept() has
 * committed the interaction to the durable inbox (src/inbox/), and the work
 * and the reply follow off the request path. If that cannot happen before the
 * deadline, Slack gets 503 (it retries events; a person sees that a command
 * or button failed), never a silent empty 200. Requests no listener takes
 * (kinds wesaid ignores) get an empty 200 once Bolt is done with them.
 * The core claims each event id (and each slash command's signed request)
 * before acting, so a redelivery acts once on whichever replica it reaches
 * (src/db/event-claims.ts).
 */
export const SLACK_EVENTS_PATH = "/slack/events";
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Kept back from the deadline for writing the answer once the interaction is stored. */
const ANSWER_MARGIN_MS = 250;

export type SlackBody = Record<string, unknown>;

/** One request's answer to Slack: sent once, by whoever comes first (the handler, or the deadline with a failure). */
export class AckWindow {
  private sent = false;
  private readonly timer: NodeJS.Timeout;
  private readonly endsAt: number;

  constructor(
    private readonly res: ServerResponse,
    deadlineMs: number,
  ) {
    this.endsAt = performance.now() + deadlineMs;
    this.timer = setTimeout(() => this.fail(), deadlineMs);
    this.timer.unref();
  }

  get open(): boolean {
    return !this.sent;
  }

  /** Milliseconds left before the deadline. */
  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  /** Tells Slack the request failed (503), if nothing has been sent yet: an event is retried, a person sees the failure. */
  fail(): boolean {
    if (this.sent) return false;
    this.sent = true;
    clearTimeout(this.timer);
    if (!this.res.writableEnded && !this.res.destroyed) sendJson(this.res, 503, { error: "wesaid could not store this request in time. Please try again." });
    return true;
  }

  /** Sends the answer if nothing has been sent yet; says whether this call sent it. */
  respond(body?: unknown): boolean {
    if (this.sent) return false;
    this.sent = true;
    clearTimeout(this.timer);
    if (this.res.writableEnded || this.res.destroyed) return true;
    if (body === undefined || body === null || body === "") {
      this.res.writeHead(200, { "content-length": 0 });
      this.res.end();
    } else if (typeof body === "string") {
      this.res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body) });
      this.res.end(body);
    } else {
      sendJson(this.res, 200, body);
    }
    return true;
  }
}

export class AlreadyAcknowledgedError extends Error {}

/** Checks Slack's request signature and timestamp. Throws when either is wrong. */
export function verifySignature(p: { signingSecret: string; rawBody: string; signature: string | undefined; timestamp: string | undefined; nowMs: number }): void {
  const timestamp = Number(p.timestamp);
  if (!p.signature || !p.timestamp || !Number.isInteger(timestamp)) throw new Error("missing signature headers");
  // Bolt rejects old timestamps; a timestamp far in the future is just as suspect.
  if (timestamp - Math.floor(p.nowMs / 1000) > MAX_CLOCK_SKEW_SECONDS) throw new Error("timestamp is in the future");
  verifySlackRequest({
    signingSecret: p.signingSecret,
    body: p.rawBody,
    headers: { "x-slack-signature": p.signature, "x-slack-request-timestamp": timestamp },
    nowMilliseconds: p.nowMs,
  });
}

/**
 * What identifies one signed request: its signature and timestamp. Slash
 * commands carry no event id, so this is their key against replays; a replay
 * older than 5 minutes is already refused by the signature check.
 */
export function requestKeyOf(signature: string, timestamp: string): string {
  return `request-${createHash("sha256").update(`${signature}|${timestamp}`).digest("hex").slice(0, 40)}`;
}

/** JSON (Events API), form with payload= (interactivity), or a plain form (slash commands). */
export function parseSlackBody(rawBody: string, contentType: string | undefined): SlackBody | null {
  try {
    const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "application/json") return asObject(JSON.parse(rawBody));
    if (type === "application/x-www-form-urlencoded") {
      const form = new URLSearchParams(rawBody);
      const payload = form.get("payload");
      if (payload !== null) return asObject(JSON.parse(payload));
      return Object.fromEntries(form.entries());
    }
    return null;
  } catch {
    return null;
  }
}

function asObject(value: unknown): SlackBody | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as SlackBody) : null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export type HttpReceiverOptions = {
  signingSecret: string;
  log: Logger;
  /** When an empty 200 goes out if nothing has been sent yet (Slack allows 3 s). */
  ackDeadlineMs: number;
  /** Real time, for the signature's 5-minute window (never the playground's shifted clock). */
  nowMs?: () => number;
};

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly working = new Set<Promise<void>>();
  private readonly nowMs: () => number;

  constructor(private readonly options: HttpReceiverOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  route(): HttpRoute {
    return { method: "POST", path: SLACK_EVENTS_PATH, handle: (req, res) => this.track(this.handle(req, res)) };
  }

  /** Resolves when every request received so far is fully handled, replies included (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.working.size > 0) await Promise.allSettled([...this.working]);
  }

  private track(work: Promise<void>): Promise<void> {
    this.working.add(work);
    return work.finally(() => this.working.delete(work));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    try {
      verifySignature({
        signingSecret: this.options.signingSecret,
        rawBody,
        signature: header(req, "x-slack-signature"),
        timestamp: header(req, "x-slack-request-timestamp"),
        nowMs: this.nowMs(),
      });
    } catch (error) {
      this.options.log.warn("refused a Slack request that was not signed correctly", { reason: error instanceof Error ? error.message : String(error) });
      sendJson(res, 401, { error: "The request signature is not valid." });
      return;
    }
    const body = parseSlackBody(rawBody, header(req, "content-type"));
    if (!body) {
      sendJson(res, 400, { error: "The request body could not be read." });
      return;
    }
    if (body.ssl_check !== undefined) {
      new AckWindow(res, 0).respond();
      return;
    }
    if (body.type === "url_verification") {
      sendJson(res, 200, { challenge: typeof body.challenge === "string" ? body.challenge : "" });
      return;
    }
    // A kind wesaid does not handle, or fields Bolt would trip over: acknowledged and ignored.
    if (!boltCanRead(body)) {
      new AckWindow(res, 0).respond();
      return;
    }
    await this.dispatch(body, req, res, requestKeyOf(header(req, "x-slack-signature")!, header(req, "x-slack-request-timestamp")!));
  }

  private async dispatch(body: SlackBody, req: IncomingMessage, res: ServerResponse, requestKey: string): Promise<void> {
    const window = new AckWindow(res, this.options.ackDeadlineMs);
    const retryNum = header(req, "x-slack-retry-num");
    const retryReason = header(req, "x-slack-retry-reason");
    const isEvent = body.type === "event_callback";

    if (!this.app) throw new Error("the Slack receiver was not initialised by Bolt");
    try {
      await this.app.processEvent({
        body,
        retryNum: retryNum === undefined ? undefined : Number(retryNum),
        retryReason,
        // Bolt acknowledges events before running listeners; ours answer once the core has stored the event.
        ack: async (response?: unknown) => {
          if (isEvent) return;
          if (!window.respond(response)) throw new AlreadyAcknowledgedError("already acknowledged");
        },
        customProperties: {
          releaseAck: () => window.respond(),
          failAck: () => window.fail(),
          // What a listener may spend storing the interaction: the deadline less time to send the answer.
          ackBudgetMs: () => Math.max(0, window.remainingMs() - ANSWER_MARGIN_MS),
          requestKey,
        },
      });
    } catch (error) {
      this.options.log.error("a Slack request failed", { error: error instanceof Error ? error.stack : String(error) });
      window.fail();
    } finally {
      // Bolt is done and no listener answered: a kind wesaid does not act on.
      window.respond();
    }
  }
}
