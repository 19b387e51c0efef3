import cron from "node-cron";
import type { Logger } from "./context.ts";
import type { Core } from "./core.ts";

/**
 * node-cron only triggers. What is due is decided by each feature's sweep from
 * the database and the clock, so a missed minute or a restart is caught up on
 * the next tick, and work already claimed is never repeated.
 */
export const SWEEP_EVERY_MINUTE = "* * * * *";
/** Between sweeps, messages waiting in the outbox (retries, throttled sends) go out. */
export const SEND_EVERY_TEN_SECONDS = "*/10 * * * * *";

export type Scheduler = { stop(): Promise<void> };

export function startScheduler(core: Core, log: Logger): Scheduler {
  // Work under way when stop() is called is waited for, so the database is never closed under a sweep.
  const running = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };
  const sweep = cron.schedule(
    SWEEP_EVERY_MINUTE,
    async () => {
      const { handled } = await track(core.tick());
      const busy = Object.entries(handled).filter(([, n]) => n !== 0);
      if (busy.length) log.info("scheduled work done", Object.fromEntries(busy));
    },
    { name: "wesaid-sweep", noOverlap: true },
  );
  const send = cron.schedule(SEND_EVERY_TEN_SECONDS, () => track(core.flush()).then(() => undefined), { name: "wesaid-send", noOverlap: true });
  // Catch up at once on start rather than waiting for the first minute.
  void track(core.tick()).catch((error) => log.error("first scheduled run failed", { error: String(error) }));
  return {
    async stop() {
      await sweep.stop();
      await send.stop();
      await sweep.destroy();
      await send.destroy();
      await Promise.allSettled([...running]);
    },
  };
}
