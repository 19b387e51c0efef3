import { playgroundEnabled, slackEnabled, teamsEnabled } from "../src/config.ts";
import type { AdapterDeps, PlatformAdapter } from "../src/platform.ts";

/**
 * The composition of platform adapters: each is switched on only when its
 * platform is configured. Imported lazily so an installation without Slack
 * never loads Bolt, and one without Teams never loads botbuilder.
 */
export async function buildAdapters(deps: AdapterDeps): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  if (slackEnabled(deps.config)) {
    const { createSlackAdapter } = await import("./slack/index.ts");
    adapters.push(await createSlackAdapter(deps));
  }
  if (teamsEnabled(deps.config)) {
    const { createTeamsAdapter } = await import("./teams/index.ts");
    adapters.push(await createTeamsAdapter(deps));
  }
  if (playgroundEnabled(deps.config)) {
    const { createLocalAdapter } = await import("./local/index.ts");
    adapters.push(await createLocalAdapter(deps));
  }
  return adapters;
}
