import { WesaidError } from "../errors.ts";
import { textWithoutMentions, type Feature } from "../interactions.ts";
import { feedbackActions } from "./actions.ts";
import { sweepNudges } from "./nudges.ts";
import { ME } from "./owners.ts";
import * as say from "./catalogue.ts";

/** "#3 still #7 #8" -> done "#3", still "#7 #8": numbers after the word still are still being worked on. */
export function splitStill(numbers: string): { done: string; still: string } {
  const at = numbers.search(/\bstill\b/i);
  if (at < 0) return { done: numbers.trim(), still: "" };
  return { done: numbers.slice(0, at).trim(), still: numbers.slice(at).replace(/\bstill\b/gi, " ").trim() };
}

/** You said, we did; we said, we did: the loop's chat wiring (actions, commands, the nudge sweep). */
export const feedbackFeature: Feature = {
  name: "feedback",
  actions: feedbackActions,
  commands: [
    {
      name: "suggest",
      usage: "suggest <your idea>",
      summary: "Share an idea. We will tell you what happens to it.",
      toAction: (rest) => ({ action: "feedback.suggest", args: { text: rest } }),
    },
    {
      name: "ideas",
      aliases: ["suggestions"],
      usage: "ideas",
      summary: "See your ideas and what is happening to them.",
      toAction: () => ({ action: "feedback.list", args: {} }),
    },
    {
      name: "idea",
      usage: "idea #12",
      summary: "See one idea and what is happening to it.",
      toAction: (rest) => ({ action: "feedback.show", args: { item: rest } }),
    },
    {
      name: "assign",
      usage: "assign #12 @name 14",
      summary: "Say who looks after an idea (you can write me), and in how many days an answer is due.",
      capability: "feedback.manage",
      toAction(rest, mentions) {
        const words = textWithoutMentions(rest, mentions);
        const owner = mentions[0];
        const match = owner ? /^(#?\d+)(?:\s+(?:in\s+)?(\d+)(?:\s*days?)?)?\s*$/i.exec(words) : /^(#?\d+)\s+(me)(?:\s+(?:in\s+)?(\d+)(?:\s*days?)?)?\s*$/i.exec(words);
        if (!match) throw new WesaidError("invalid_input", say.feedbackText.whichIdea);
        const days = owner ? match[2] : match[3];
        return { action: "feedback.assign", args: { item: match[1]!, ...(days ? { dueInDays: days } : {}) }, people: { owner: [owner ?? ME] } };
      },
    },
    {
      name: "update",
      usage: "update #3 #7 <what you did>",
      summary:
        "Tell everyone what was done about ideas. Each idea is marked done; write still before a number you are still working on (update #3 still #7 ...). The people who raised them are asked if it answers what they said.",
      capability: "feedback.update",
      toAction(rest) {
        const match = /^((?:(?:#\d+|still(?=[\s,:]*#\d))[\s,:]*)*)([\s\S]*)$/i.exec(rest.trim())!;
        const { done, still } = splitStill(match[1]!);
        return { action: "feedback.post_update", args: { itemNumbers: done, stillWorking: still, text: match[2]!.trim() } };
      },
    },
    {
      name: "together",
      usage: "together <what you will do> with @name @name",
      summary: "Set up an action owned jointly by you and the people you name. Add #12 first to link it to an idea.",
      capability: "action.create",
      toAction(rest, mentions) {
        if (mentions.length === 0) throw new WesaidError("invalid_input", say.feedbackText.ownersNeeded);
        // The title is what comes before the first person named.
        const first = mentions[0]!.shownAs ? rest.indexOf(mentions[0]!.shownAs) : -1;
        let title = (first >= 0 ? rest.slice(0, first) : textWithoutMentions(rest, mentions)).trim().replace(/\s+(with|and)$/i, "").trim();
        const linked = /^(#\d+)\s+/.exec(title);
        if (linked) title = title.slice(linked[0].length).trim();
        return { action: "feedback.coown", args: { title, ...(linked ? { itemNumber: linked[1]! } : {}) }, people: { owners: [ME, ...mentions] } };
      },
    },
  ],
  sweeps: [{ name: "feedback.nudges", run: sweepNudges }],
};
