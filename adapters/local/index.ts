import type { AdapterDeps, PlatformAdapter } from "../../src/platform.ts";
import { createPlaygroundRoutes } from "./api.ts";
import { loadAssets } from "./assets.ts";
import { PlaygroundClock } from "./clock.ts";
import { LocalMessenger, PlaygroundStore, playgroundRecord } from "./messenger.ts";
import { DEMO_CAST, PERSONAS } from "./personas.ts";

/** The playground adapter, with its parts reachable for tests and the demo script. */
export type LocalAdapter = PlatformAdapter & { store: PlaygroundStore; clock: PlaygroundClock };

/**
 * The local playground: a chat page in the browser over the same core, for
 * trying wesaid without Slack or Teams. Practice only: nothing leaves this computer.
 */
export async function createLocalAdapter(deps: AdapterDeps): Promise<LocalAdapter> {
  const { core } = deps;
  const record = playgroundRecord(core);
  const store = new PlaygroundStore(record, deps.clock, deps.log);
  const clock = new PlaygroundClock(deps.clock, core, record.state, deps.log);
  const api = createPlaygroundRoutes({ ...deps, store, clock, assets: await loadAssets(), loadDemo: () => core.loadDemo(DEMO_CAST) });
  return {
    platform: "local",
    description: "the playground, a practice chat in your browser (nothing is sent to Slack or Teams)",
    routes: api.routes,
    messenger: new LocalMessenger(store),
    store,
    clock,
    async start() {
      await clock.restore();
      await store.rebuild();
      // Every persona is a person from the start, so facilitators can @mention them before they first act.
      await core.directory.addPeople("local", PERSONAS);
      // Anything queued while the playground was off (say by `npm run demo`) shows up now.
      void core.flush().catch((error) => deps.log.warn("playground: sending failed", { error: String(error) }));
    },
    async stop() {
      api.close();
    },
  };
}
