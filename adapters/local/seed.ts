import { OffsetClock, systemClock, type Clock } from "../../src/clock.ts";
import { ConfigError, loadConfig, playgroundEnabled, type Config } from "../../src/config.ts";
import { silentLogger, type Logger } from "../../src/context.ts";
import type { DemoResult } from "../../src/demo/seed.ts";
import { withCore } from "../../src/standalone.ts";
import { PlaygroundClock } from "./clock.ts";
import { LocalMessenger, PlaygroundStore, playgroundRecord } from "./messenger.ts";
import { DEMO_CAST } from "./personas.ts";

export type SeedOutcome = DemoResult & { via: "running app" | "database"; url: string; playgroundOn: boolean };

/**
 * `npm run demo`. When wesaid is already running here, asks it to load the
 * demo (two processes must not open one embedded database). Otherwise opens
 * the database itself, seeds it, and sends the messages into the playground's
 * record so they are there when wesaid starts.
 */
export async function seedDemo(options: { env?: Record<string, string | undefined>; clock?: Clock; log?: Logger } = {}): Promise<SeedOutcome> {
  const config = loadConfig(options.env ?? process.env);
  const url = `http://localhost:${config.PORT}/`;
  const playgroundOn = playgroundEnabled(config);
  // The demo's made-up people must never land in a database that Slack or Teams uses.
  if (!playgroundOn) throw new ConfigError(["the demo is for the playground, and Slack or Teams is configured here. Run it with its own DATA_DIR and no Slack or Teams settings (for example ENV_FILE=playground.env)."]);
  const remote = config.PORT === 0 ? null : await askRunningApp(config);
  if (remote) return { ...remote, via: "running app", url, playgroundOn };

  const log = options.log ?? silentLogger;
  const clock = options.clock ?? new OffsetClock(systemClock);
  return withCore(config, { clock, log }, async (core, messenger) => {
    const record = playgroundRecord(core);
    messenger.register("local", new LocalMessenger(new PlaygroundStore(record, clock, log)));
    // Carry on from the playground's own time, if it was moved on before.
    await new PlaygroundClock(clock, core, record.state, log).restore();
    const result = await core.loadDemo(DEMO_CAST);
    await core.flush();
    return { ...result, via: "database" as const, url, playgroundOn };
  });
}

/** The demo loaded by a wesaid already running on this computer, or null when none answers. */
async function askRunningApp(config: Config): Promise<DemoResult | null> {
  const base = `http://127.0.0.1:${config.PORT}`;
  try {
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1500) });
    const body = (await health.json()) as { platforms?: string[] };
    if (!body.platforms?.includes("local")) return null;
    const res = await fetch(`${base}/playground/demo`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: AbortSignal.timeout(60_000) });
    return res.ok ? ((await res.json()) as DemoResult) : null;
  } catch {
    return null;
  }
}
