import { OffsetClock, systemClock, type Clock } from "./clock.ts";
import { answerSecret, databaseOptions } from "./answer-secret.ts";
import { loadConfig, playgroundEnabled, type Config } from "./config.ts";
import { DEFAULT_SETTINGS, silentLogger, type Logger } from "./context.ts";
import { createCore, type Core } from "./core.ts";
import { openDatabase, PING_TIMEOUT_MS, type Database } from "./db/database.ts";
import { startHttpServer, sendJson, type HttpServer } from "./http.ts";
import { createLogger } from "./log.ts";
import { RoutingMessenger } from "./messenger.ts";
import type { AdapterDeps, HttpRoute, PlatformAdapter } from "./platform.ts";
import { digestPageRoute } from "./digest/index.ts";
import { startScheduler, type Scheduler } from "./scheduler.ts";
import { exportRoute } from "./evidence/index.ts";
import { codeImportRoute } from "./coding/index.ts";

export type Wesaid = {
  config: Config;
  core: Core;
  database: Database;
  http: HttpServer;
  adapters: PlatformAdapter[];
  url: string;
  log: Logger;
  stop(): Promise<void>;
};

export type StartOptions = {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Where logs go; by default JSON lines on standard output at LOG_LEVEL. */
  log?: Logger;
  /** Builds the platform adapters; the composition root passes adapters/index.ts. */
  buildAdapters?: (deps: AdapterDeps) => Promise<PlatformAdapter[]>;
  /** How long /healthz waits for the database before it answers 503 (PING_TIMEOUT_MS; tests make it small). */
  healthTimeoutMs?: number;
};

/** A logger given by the caller, with LOG_LEVEL applied to it. */
function filtered(level: Config["LOG_LEVEL"], base: Logger): Logger {
  if (level === "silent") return silentLogger;
  const rank = { debug: 0, info: 1, warn: 2, error: 3 }[level];
  const off = () => {};
  return {
    debug: rank <= 0 && base.debug ? base.debug : off,
    info: rank <= 1 ? base.info : off,
    warn: rank <= 2 ? base.warn : off,
    error: base.error,
  };
}

/** How often the inbox is searched for interactions nobody is working (src/inbox/worker.ts). */
const INBOX_DRAIN_EVERY_MS = 10_000;

const LOOPBACK = /^(127\.|localhost$|::1$|\[::1\]$)/;

/**
 * Starts wesaid: HTTP port first (so a busy port stops it before the database
 * is touched), then the database (migrated), core, adapters, scheduler. If a
 * step fails, what was started is stopped again.
 */
export async function startWesaid(options: StartOptions = {}): Promise<Wesaid> {
  const config = loadConfig(options.env ?? process.env);
  const log = options.log ? filtered(config.LOG_LEVEL, options.log) : createLogger({ level: config.LOG_LEVEL });
  // The playground can fast-forward time; real platforms always run on real time.
  const clock = options.clock ?? (playgroundEnabled(config) ? new OffsetClock(systemClock) : systemClock);
  const http = await startHttpServer({ port: config.PORT, host: config.HOST, log });
  const undo: (() => Promise<void>)[] = [() => http.close()];
  const unwind = async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
  };
  try {
    const database = await openDatabase({ ...databaseOptions(config), log });
    undo.push(() => database.close());
    const secret = answerSecret(config);
    if (database.kind === "postgres" && secret.source === "file") {
      log.warn(`WESAID_ANSWER_SECRET is not set, so anonymous answers are keyed with the secret in ${secret.file}. Every instance on this database needs the same one.`);
    }
    log.info(
      database.kind === "postgres" ? "database: PostgreSQL (DATABASE_URL)" : `database: embedded, stored in ${config.DATA_DIR}`,
      database.appliedMigrations.length ? { migrationsApplied: database.appliedMigrations } : undefined,
    );
    const messenger = new RoutingMessenger();
    const url = `http://${config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST}:${http.port}`;
    const core = createCore({ db: database.prisma, clock, messenger, settings: { ...DEFAULT_SETTINGS, publicUrl: config.PUBLIC_URL ?? url, minGroupSize: config.MIN_GROUP_SIZE, retentionMonths: config.RETENTION_MONTHS, outboxLeaseMs: config.OUTBOX_LEASE_SECONDS * 1000, outboxRetryMs: config.OUTBOX_RETRY_SECONDS * 1000, answerSecret: secret.secret }, log });
    undo.push(() => core.flush().then(() => undefined));
    const adapters = options.buildAdapters ? await options.buildAdapters({ core, config, log, clock }) : [];
    for (const adapter of adapters) messenger.register(adapter.platform, adapter.messenger);
    http.serve([healthRoute(database, adapters, options.healthTimeoutMs ?? PING_TIMEOUT_MS), exportRoute(core.ctx), codeImportRoute(core.ctx), digestPageRoute(core.ctx), ...adapters.flatMap((a) => a.routes)]);
    for (const adapter of adapters) {
      await adapter.start?.();
      undo.push(async () => adapter.stop?.());
    }
    // Interactions stored before a crash (or by a replica that died) are worked now, and rows left behind are looked for now and then.
    undo.push(() => core.inbox.stop());
    void core.inbox.start(INBOX_DRAIN_EVERY_MS).catch((error) => log.error("could not work the inbox", { error: String(error) }));
    const scheduler: Scheduler | null = config.SCHEDULER === "on" ? startScheduler(core, log) : null;
    if (scheduler) undo.push(() => scheduler.stop());

    const reach = LOOPBACK.test(config.HOST)
      ? `only this computer can reach it (HOST=${config.HOST})`
      : `other computers can reach it too (HOST=${config.HOST})`;
    log.info(`listening on ${url}: ${reach}`, { host: config.HOST, port: http.port });
    if (adapters.length === 0) log.info("no chat platform is switched on");
    for (const adapter of adapters) {
      log.info(adapter.platform === "local" ? `switched on: ${adapter.description}. Open ${url}/ in your browser; ${reach}` : `switched on: ${adapter.description}`);
    }

    let stopped = false;
    return {
      config,
      core,
      database,
      http,
      adapters,
      url,
      log,
      async stop() {
        if (stopped) return;
        stopped = true;
        // Stop taking work (scheduler, then HTTP), let the adapters finish, send what is queued, close the database.
        await scheduler?.stop();
        await http.close();
        for (const adapter of adapters) await adapter.stop?.();
        await core.inbox.stop();
        await core.flush().catch(() => undefined);
        await database.close();
      },
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/** 200 while the database answers, 503 when it refuses or stalls: always within `timeoutMs` plus a little. */
function healthRoute(database: Database, adapters: PlatformAdapter[], timeoutMs: number): HttpRoute {
  return {
    method: "GET",
    path: "/healthz",
    async handle(_req, res) {
      const ok = await database.ping(timeoutMs);
      sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "database unavailable", database: { kind: database.kind, ok }, platforms: adapters.map((a) => a.platform) });
    },
  };
}
