import type { Message } from "./messages/model.ts";

export const PLATFORMS = ["slack", "teams", "local"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where a message goes. `address` is the adapter's own opaque data (e.g. a Teams conversation reference). */
export type Target =
  | { kind: "direct"; platform: Platform; externalId: string; address?: unknown }
  | { kind: "channel"; platform: Platform; externalId: string; address?: unknown };

/** A sent message, as the adapter needs it to update the message later. JSON. */
export type MessageRef = { platform: Platform; [key: string]: unknown };

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
    }
  /** Will not work however often it is tried (a malformed message, say). */
  | { ok: false; kind: "failed"; detail: string };

/** The port through which the core sends. Each platform adapter implements it. */
export interface Messenger {
  send(target: Target, message: Message): Promise<SendResult>;
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

  send(target: Target, message: Message): Promise<SendResult> {
    const route = this.routes.get(target.platform);
    if (!route) return Promise.resolve({ ok: false, kind: "unreachable", detail: `${target.platform} is not switched on in this installation` });
    return route.send(target, message);
  }

  update(ref: MessageRef, message: Message): Promise<SendResult> {
    const route = this.routes.get(ref.platform);
    if (!route) return Promise.resolve({ ok: false, kind: "unreachable", detail: `${ref.platform} is not switched on in this installation` });
    return route.update(ref, message);
  }
}
