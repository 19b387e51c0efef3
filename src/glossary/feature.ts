import { z } from "zod";
import type { Feature, Reply } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { FRAMEWORKS } from "../frameworks.ts";
import { TERMS } from "./terms.ts";
import { alsoInFramework, lookUp } from "./rules.ts";
import * as say from "./catalogue.ts";

/** The glossary: "what is <word>" and "glossary". Anyone may ask, and nothing is stored. */

function explain(word: string): Reply {
  const result = lookUp(word);
  if (!result.found) return { private: say.notFoundView(result.asked, result.suggestions) };
  const entry = result.found;
  switch (entry.kind) {
    case "term":
      return { private: say.termView(entry.term, alsoInFramework(entry.term)) };
    case "framework":
      return { private: say.frameworkView(entry.framework) };
    case "framework_item":
      return { private: say.frameworkView(entry.framework, entry.item) };
  }
}

export const glossaryFeature: Feature = {
  name: "glossary",
  actions: [
    defineAction({
      action: "glossary.explain",
      access: "anyone",
      args: z.object({ word: z.string().max(200).default("") }),
      run: async (_ctx, { args }) => explain(args.word),
    }),
    defineAction({
      action: "glossary.list",
      access: "anyone",
      args: z.object({}),
      run: async () => ({ private: say.listView(TERMS, FRAMEWORKS) }),
    }),
  ],
  commands: [
    {
      name: "what",
      aliases: ["what's", "whats", "define", "explain", "meaning"],
      ...say.commandHelp.whatIs,
      toAction: (rest) => ({ action: "glossary.explain", args: { word: rest } }),
    },
    { name: "glossary", aliases: ["words", "jargon"], ...say.commandHelp.glossary, toAction: () => ({ action: "glossary.list", args: {} }) },
  ],
};
