import { OffsetClock, systemClock, type Clock } from "./clock.ts";
import { answerSecret, databaseOptions } from "./answer-secret.ts";
import { loadConfig, playgroundEnabled, type Config } from "./config.ts";
import { consoleLogger, DEFAULT_SETTINGS, silentLogger, type Logger } from "./context.ts";
import { createCore, type Core } from "./core.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { startHttpServer, sendJson, type HttpServer } from "./http.ts";
import { RoutingMessenger } from "./messenger.ts";
import type { AdapterDeps, PlatformAdapter } from "./platform.ts";
import { startScheduler, type Scheduler } from "./scheduler.ts";

export type Wesaid = {
  config: Config;
  core: Core;
  database: Database;
  http: HttpServer;
  adapters: PlatformAdapter[];
  url: string;
  stop(): Promise<void>;
};

export type StartOptions = {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  log?: Logger;
  /** Builds the platform adapters; the composition root passes adapters/index.ts. */
  buildAdapters?: (deps: AdapterDeps) => Promise<PlatformAdapter[]>;
};

function loggerFor(level: Config["LOG_LEVEL"], base: Logger): Logger {
  if (level === "silent") return silentLogger;
  return {
    info: level === "info" ? base.info : () => {},
    warn: level === "error" ? () => {} : base.warn,
    error: base.error,
  };
}

/** Starts wesaid: database (migrated), core, adapters, HTTP server, scheduler. */
export async function startWesaid(options: StartOptions = {}): Promise<Wesaid> {
  const config = loadConfig(options.env ?? process.env);
  const log = loggerFor(config.LOG_LEVEL, options.log ?? consoleLogger);
  // The playground can fast-forward time; real platforms always run on real time.
  const clock = options.clock ?? (playgroundEnabled(config) ? new OffsetClock(systemClock) : systemClock);
  const database = await openDatabase(databaseOptions(config));
  const secret = answerSecret(config);
  if (database.kind === "postgres" && secret.source === "file") {
    log.warn(`WESAID_ANSWER_SECRET is not set, so anonymous answers are keyed with the secret in ${secret.file}. Every instance on this database needs the same one.`);
  }
  log.info(
    database.kind === "postgres" ? "database: PostgreSQL (DATABASE_URL)" : `database: embedded, stored in ${config.DATA_DIR}`,
    database.appliedMigrations.length ? { migrationsApplied: database.appliedMigrations } : undefined,
  );
  const messenger = new RoutingMessenger();
  const core = createCore({ db: database.prisma, clock, messenger, settings: { ...DEFAULT_SETTINGS, minGroupSize: config.MIN_GROUP_SIZE, retentionMonths: config.RETENTION_MONTHS, answerSecret: secret.secret }, log });
  const adapters = options.buildAdapters ? await options.buildAdapters({ core, config, log, clock }) : [];
  for (const adapter of adapters) messenger.register(adapter.platform, adapter.messenger);

  const routes = [
    {
      method: "GET" as const,
      path: "/healthz",
      async handle(_req: unknown, res: import("node:http").ServerResponse) {
        const ok = await database.ping();
        sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "database unavailable", database: { kind: database.kind, ok }, platforms: adapters.map((a) => a.platform) });
      },
    },
    ...adapters.flatMap((a) => a.routes),
  ];
  const http = await startHttpServer({ port: config.PORT, host: config.HOST, routes, log });
  for (const adapter of adapters) await adapter.start?.();
  const scheduler: Scheduler | null = config.SCHEDULER === "on" ? startScheduler(core, log) : null;

  const url = `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${http.port}`;
  log.info(`listening on ${url}`);
  if (adapters.length === 0) log.info("no chat platform is switched on");
  for (const adapter of adapters) log.info(`switched on: ${adapter.description}`);

  let stopped = false;
  return {
    config,
    core,
    database,
    http,
    adapters,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler?.stop();
      await http.close();
      for (const adapter of adapters) await adapter.stop?.();
      await core.flush().catch(() => undefined);
      await database.close();
    },
  };
}
