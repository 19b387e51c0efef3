import type { AdapterDeps, PlatformAdapter } from "../../src/platform.ts";
import { ensureIdentity } from "../../src/people/index.ts";
import { createPlaygroundRoutes } from "./api.ts";
import { loadAssets } from "./assets.ts";
import { PlaygroundClock } from "./clock.ts";
import { loadDemo } from "./demo.ts";
import { LocalMessenger, PlaygroundStore } from "./messenger.ts";
import { PERSONAS } from "./personas.ts";

/** The playground adapter, with its parts reachable for tests and the demo script. */
export type LocalAdapter = PlatformAdapter & { store: PlaygroundStore; clock: PlaygroundClock };

/**
 * The local playground: a chat page in the browser over the same core, for
 * trying wesaid without Slack or Teams. Practice only: nothing leaves this computer.
 */
export async function createLocalAdapter(deps: AdapterDeps): Promise<LocalAdapter> {
  const db = deps.core.ctx.db;
  const store = new PlaygroundStore(db, deps.clock, deps.log);
  const clock = new PlaygroundClock(deps.clock, deps.core, db, deps.log);
  const api = createPlaygroundRoutes({ ...deps, store, clock, assets: await loadAssets(), loadDemo: () => loadDemo(deps.core.ctx) });
  const where = deps.config.PORT === 0 ? "at the address above" : `at http://localhost:${deps.config.PORT}/`;
  return {
    platform: "local",
    description: `the playground, a practice chat in your browser ${where} (nothing is sent to Slack or Teams)`,
    routes: api.routes,
    messenger: new LocalMessenger(store),
    store,
    clock,
    async start() {
      await clock.restore();
      await store.rebuild();
      await ensurePersonas(deps);
      // Anything queued while the playground was off (say by `npm run demo`) shows up now.
      void deps.core.flush().catch((error) => deps.log.warn("playground: sending failed", { error: String(error) }));
    },
    async stop() {
      api.close();
    },
  };
}

/** Gives every persona a person in the database, so facilitators can @mention them before they first act. */
async function ensurePersonas(deps: AdapterDeps): Promise<void> {
  for (const persona of PERSONAS) {
    const existing = await deps.core.ctx.db.platformIdentity.findUnique({ where: { platform_externalId: { platform: "local", externalId: persona.externalId } } });
    if (!existing) await ensureIdentity(deps.core.ctx.db, deps.clock.now(), "local", { externalId: persona.externalId, displayName: persona.displayName });
  }
}
