import type { Message } from "./messages/model.ts";

export const PLATFORMS = ["slack", "teams", "local"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where a message goes. `address` is the adapter's own opaque data (e.g. a Teams conversation reference). */
export type Target =
  | { kind: "direct"; platform: Platform; externalId: string; address?: unknown }
  | { kind: "channel"; platform: Platform; externalId: string; address?: unknown };

/** A sent message, as the adapter needs it to update the message later. JSON. */
export type MessageRef = { platform: Platform; [key: string]: unknown };

/** What the outbox tells an adapter about a send, besides the message. */
export type SendContext = {
  /** The outbox key: one message, one key, however often it is tried. */
  key: string;
  /**
   * An earlier attempt may have reached the platform without our hearing back
   * (its claim ran out, or its call timed out after the request left). An
   * adapter that can look (Slack) finds that message before sending again.
   */
  ambiguous: boolean;
};

export type SendResult =
  | { ok: true; ref: MessageRef }
  /** The person cannot be reached on this platform (app not installed, account gone). */
  | { ok: false; kind: "unreachable"; detail: string }
  /** Try again later: throttled or a passing fault. */
  | {
      ok: false;
      kind: "retry";
      detail: string;
      retryAfterMs?: number;
      /** The platform asked us to wait (a 429), or the adapter held back to stay under its limits: not a failed attempt. */
      throttled?: boolean;
      /** The request left and no answer came: the platform may have the message (the next attempt is ambiguous). */
      uncertain?: boolean;
    }
  /** Will not work however often it is tried (a malformed message, say). */
  | { ok: false; kind: "failed"; detail: string };

/** The port through which the core sends. Each platform adapter implements it. */
export interface Messenger {
  /** `context` is given by the outbox; an adapter may ignore it. */
  send(target: Target, message: Message, context?: SendContext): Promise<SendResult>;
  update(ref: MessageRef, message: Message): Promise<SendResult>;
}

/** Sends each message through the adapter of its platform. */
export class RoutingMessenger implements Messenger {
  private readonly routes = new Map<Platform, Messenger>();

  register(platform: Platform, messenger: Messenger): this {
    this.routes.set(platform, messenger);
    return this;
  }

  platforms(): Platform[] {
    return [...this.routes.keys()];
  }

  send(target: Target, message: Message, context?: SendContext): Promise<SendResult> {
    const route = this.routes.get(target.platform);
    if (!route) return Promise.resolve({ ok: false, kind: "unreachable", detail: `${target.platform} is not switched on in this installation` });
    return route.send(target, message, context);
  }

  update(ref: MessageRef, message: Message): Promise<SendResult> {
    const route = this.routes.get(ref.platform);
    if (!route) return Promise.resolve({ ok: false, kind: "unreachable", detail: `${ref.platform} is not switched on in this installation` });
    return route.update(ref, message);
  }
}
