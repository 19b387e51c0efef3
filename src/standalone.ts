import type { Clock } from "./clock.ts";
import { answerSecret, databaseOptions } from "./answer-secret.ts";
import type { Config } from "./config.ts";
import { DEFAULT_SETTINGS, type Logger } from "./context.ts";
import { createCore, type Core } from "./core.ts";
import { openDatabase } from "./db/database.ts";
import { RoutingMessenger } from "./messenger.ts";

/**
 * A core on the configured database for one piece of work outside the running
 * app (`npm run demo`), closed afterwards. The caller registers the messengers
 * it needs on the router it is given.
 */
export async function withCore<T>(config: Config, options: { clock: Clock; log: Logger }, work: (core: Core, messenger: RoutingMessenger) => Promise<T>): Promise<T> {
  const database = await openDatabase(databaseOptions(config));
  try {
    const messenger = new RoutingMessenger();
    const core = createCore({ db: database.prisma, clock: options.clock, messenger, settings: { ...DEFAULT_SETTINGS, minGroupSize: config.MIN_GROUP_SIZE, retentionMonths: config.RETENTION_MONTHS, outboxLeaseMs: config.OUTBOX_LEASE_SECONDS * 1000, outboxRetryMs: config.OUTBOX_RETRY_SECONDS * 1000, answerSecret: answerSecret(config).secret }, log: options.log });
    return await work(core, messenger);
  } finally {
    await database.close();
  }
}
