import { App, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger } from "@slack/bolt";
import { StartupError, type Config } from "../../src/config.ts";
import type { Logger } from "../../src/context.ts";
import type { AdapterDeps, PlatformAdapter } from "../../src/platform.ts";
import { Cooldowns } from "../cooldowns.ts";
import { Installation, registerBoundary, Workspaces } from "./boundary.ts";
import { PayloadCodec } from "./codec.ts";
import { registerListeners } from "./listeners.ts";
import { ChannelPacer, SlackMessenger } from "./messenger.ts";
import { UserNames } from "./names.ts";
import { SLACK_EVENTS_PATH, SlackHttpReceiver } from "./receiver.ts";

/**
 * wesaid as a Slack app, through Bolt. HTTP mode mounts one route,
 * POST /slack/events, on wesaid's own server. With SLACK_APP_TOKEN set it
 * uses Socket Mode instead (an outbound WebSocket, for networks that allow
 * no inbound traffic) and mounts nothing.
 */
export type SlackAdapterOptions = {
  /** When to acknowledge anyway if the core is slow. Slack allows 3 s. */
  ackDeadlineMs?: number;
  /** Gap between chat.postMessage calls to one conversation. Slack allows about one a second. */
  postIntervalMs?: number;
  /** Real time, for signature windows and in-memory expiry. */
  nowMs?: () => number;
  /** How long a Web API call may take before it is given up (and the outbox tries again later). */
  callTimeoutMs?: number;
};

export class SlackConfigError extends StartupError {}

export type SlackPlatformAdapter = PlatformAdapter & {
  /** Resolves when every Slack request received so far is fully handled, replies included. */
  idle(): Promise<void>;
};

export async function createSlackAdapter(deps: AdapterDeps, options: SlackAdapterOptions = {}): Promise<SlackPlatformAdapter> {
  const { config, log } = deps;
  const token = config.SLACK_BOT_TOKEN;
  const signingSecret = config.SLACK_SIGNING_SECRET;
  if (!token || !signingSecret) throw new SlackConfigError("Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.");
  const nowMs = options.nowMs ?? Date.now;
  const logger = boltLogger(log);

  // Our Web API calls never retry by themselves: a 429 or 5xx goes back to the core's outbox, which retries later.
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.callTimeoutMs ?? 10_000,
    ...(config.SLACK_API_URL ? { slackApiUrl: withTrailingSlash(config.SLACK_API_URL) } : {}),
  };
  const client = new webApi.WebClient(token, { ...clientOptions, logger });
  const installation = new Installation(new Workspaces(config.SLACK_ALLOWED_TEAM_IDS?.split(",") ?? []), client, log);
  const bot = await identifyBot(client, log, installation);

  // Long button values are kept in the database, so any replica can read them back.
  const codec = new PayloadCodec(nowMs, deps.core.adapterState?.("slack"), (error) => log.warn("could not keep a long Slack button value in the database", { error }));
  // A 429's pause is kept on the core's clock, which the outbox schedules retries by.
  const cooldowns = new Cooldowns(() => deps.clock.now().getTime());
  const messenger = new SlackMessenger(client, codec, new ChannelPacer(options.postIntervalMs ?? 1000, nowMs), log, responseUrlCheck(config), cooldowns);
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const httpReceiver = socketMode ? undefined : new SlackHttpReceiver({ signingSecret, log, ackDeadlineMs: options.ackDeadlineMs ?? 2500, nowMs });
  const receiver = httpReceiver ?? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN!, logger });

  const app = new App({
    token,
    receiver,
    clientOptions,
    logger,
    ignoreSelf: true,
    ...(bot ? { botId: bot.botId, botUserId: bot.botUserId } : {}),
    tokenVerificationEnabled: false,
  });
  app.error(async (error) => {
    log.error("a Slack listener failed", { error: error instanceof Error ? error.stack : String(error) });
  });
  const names = new UserNames(client);
  // First of all: requests from outside the allowed workspaces stop here.
  registerBoundary(app, { core: deps.core, messenger, codec, log, names, installation });
  registerListeners(app, { core: deps.core, messenger, codec, log, names, ackDeadlineMs: options.ackDeadlineMs ?? 2500 });

  return {
    platform: "slack",
    description: socketMode ? "Slack (Socket Mode)" : `Slack (HTTP at ${SLACK_EVENTS_PATH})`,
    routes: httpReceiver ? [httpReceiver.route()] : [],
    messenger,
    async start() {
      if (socketMode) await app.start();
    },
    async stop() {
      if (socketMode) await app.stop();
      await httpReceiver?.idle();
      await deps.core.inbox?.idle();
    },
    // Requests answered, then the work they left in the inbox done and its replies shown.
    async idle() {
      await httpReceiver?.idle();
      await deps.core.inbox?.idle();
    },
  };
}

/**
 * Asks Slack who wesaid is (auth.test), and which workspace it serves. A token Slack refuses stops start-up
 * with a clear message; Slack being unreachable does not (Bolt asks again later).
 */
async function identifyBot(client: webApi.WebClient, log: Logger, installation: Installation): Promise<{ botId: string; botUserId: string } | undefined> {
  try {
    const result = await client.auth.test();
    installation.identify(result);
    if (typeof result.bot_id === "string" && typeof result.user_id === "string") return { botId: result.bot_id, botUserId: result.user_id };
    throw new SlackConfigError("SLACK_BOT_TOKEN is not a bot token. Use the Bot User OAuth Token (it starts with xoxb-).");
  } catch (error) {
    if (error instanceof SlackConfigError) throw error;
    if (error instanceof webApi.WebAPIPlatformError) {
      throw new SlackConfigError(`Slack did not accept SLACK_BOT_TOKEN (${String(error.data.error)}). Copy the Bot User OAuth Token from your Slack app's "OAuth & Permissions" page.`);
    }
    log.warn("could not reach Slack to check the bot token; will check again when Slack first calls", { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** response_url answers may only go to Slack (or, in tests, to the Web API address we were given). */
function responseUrlCheck(config: Config): (url: string) => boolean {
  const extra = config.SLACK_API_URL ? new URL(config.SLACK_API_URL).origin : undefined;
  return (raw) => {
    try {
      const url = new URL(raw);
      if (extra && url.origin === extra) return true;
      return url.protocol === "https:" && (url.hostname === "hooks.slack.com" || url.hostname === "hooks.slack-gov.com");
    } catch {
      return false;
    }
  };
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function boltLogger(log: Logger): BoltLogger {
  const text = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  return {
    debug: () => {},
    info: (...parts: unknown[]) => log.info(`slack: ${text(parts)}`),
    warn: (...parts: unknown[]) => log.warn(`slack: ${text(parts)}`),
    error: (...parts: unknown[]) => log.error(`slack: ${text(parts)}`),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
