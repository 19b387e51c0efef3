import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./context.ts";
import type { Core } from "./core.ts";
import type { Messenger, Platform } from "./messenger.ts";

/** An HTTP route an adapter mounts on wesaid's one server. */
export type HttpRoute = {
  method: "GET" | "POST";
  /** Exact path, or a prefix when `prefix` is true (e.g. "/playground/"). */
  path: string;
  prefix?: boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
};

/**
 * What every platform adapter (adapters/slack, adapters/teams, adapters/local)
 * gives the server: its routes and its messenger. The core never sees more.
 */
export type PlatformAdapter = {
  platform: Platform;
  /** One line for the start-up log, e.g. "Slack (HTTP at /slack/events)". */
  description: string;
  routes: HttpRoute[];
  messenger: Messenger;
  start?(): Promise<void>;
  stop?(): Promise<void>;
};

/** What an adapter factory is given. */
export type AdapterDeps = { core: Core; config: Config; log: Logger; clock: Clock };
