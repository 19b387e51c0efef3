import { buildAdapters } from "../adapters/index.ts";
import { startWesaid, type Wesaid } from "./app.ts";
import { StartupError } from "./config.ts";
import { readEnvFile } from "./env-file.ts";
import { createLogger } from "./log.ts";

/**
 * `npm start` (node dist/src/main.js): read .env, run wesaid until SIGTERM or
 * Ctrl-C, then stop cleanly: scheduler, HTTP server, adapters, queued
 * messages, database, in that order. A signal that comes while wesaid is
 * still starting stops it as soon as it has started, never half-way through
 * opening the database. A reason not to start (a setting, a busy port) is
 * one log line and exit code 1.
 */
let app: Wesaid | null = null;
let stopRequested: string | null = null;

async function stop(signal: string): Promise<void> {
  if (!app) return;
  const running = app;
  app = null;
  running.log.info(`${signal} received: finishing what is under way, then stopping`);
  await running.stop();
  running.log.info("stopped");
  process.exit(0);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    stopRequested ??= signal;
    void stop(signal);
  });
}

try {
  const envFile = readEnvFile();
  app = await startWesaid({ buildAdapters });
  if (envFile) app.log.info(`settings read from ${envFile} as well as the environment`);
  if (stopRequested) await stop(stopRequested);
} catch (error) {
  const log = createLogger({ level: "error" });
  if (error instanceof StartupError) log.error(error.message);
  else log.error("wesaid could not start", { error });
  process.exit(1);
}
