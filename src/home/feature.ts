import { z } from "zod";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { homeFor } from "./page.ts";
import { commandHelp, home } from "./catalogue.ts";

/**
 * The person's home page (Slack's App Home, and anywhere else that wants one).
 * Open to anyone: it covers all of a person's programmes, and tells someone in none how to join.
 */
const view = defineAction({
  action: "home.view",
  access: "anyone",
  args: z.object({}),
  run: async (ctx, { actor }) => ({ private: home(await homeFor(ctx, actor)) }),
});

export const homeFeature: Feature = {
  name: "home",
  actions: [view],
  commands: [{ name: "home", aliases: ["me"], ...commandHelp.home, toAction: () => ({ action: "home.view", args: {} }) }],
};
