import type { Role } from "../../src/roles.ts";

/** The people you can be in the playground: one per role, with a first name to @mention. */
export type Persona = { key: string; role: Role; externalId: string; name: string; displayName: string; about: string };

export const PERSONAS: readonly Persona[] = [
  {
    key: "commissioner",
    role: "commissioner",
    externalId: "persona-commissioner",
    name: "Priya",
    displayName: "Priya (commissioner)",
    about: "Buys and plans services. Posts updates and answers ideas with what was done.",
  },
  {
    key: "expert",
    role: "expert_by_experience",
    externalId: "persona-expert",
    name: "Sam",
    displayName: "Sam (expert by experience)",
    about: "Uses the services or cares for someone who does. Answers questions and shares ideas.",
  },
  {
    key: "professional",
    role: "professional",
    externalId: "persona-professional",
    name: "Jordan",
    displayName: "Jordan (professional)",
    about: "Works in a service, such as a nurse or an arts worker. Takes part and recruits to sessions.",
  },
  {
    key: "facilitator",
    role: "facilitator",
    externalId: "persona-facilitator",
    name: "Alex",
    displayName: "Alex (facilitator)",
    about: "Runs the programme: sets up questions, sessions and panels.",
  },
  {
    key: "evaluator",
    role: "evaluator",
    externalId: "persona-evaluator",
    name: "Morgan",
    displayName: "Morgan (evaluator)",
    about: "Studies how well it works. Gets the weekly summary, with roles but no names.",
  },
];

export type Channel = { externalId: string; name: string; about: string };

/** The playground's channels: one the demo uses, one to try "setup" yourself. */
export const CHANNELS: readonly Channel[] = [
  { externalId: "channel-demo", name: "demo-programme", about: "The demo programme's channel. Press \"Load the demo\" to fill it." },
  { externalId: "channel-practice", name: "my-programme", about: "An empty channel. As the facilitator, type setup and a name here to start your own programme." },
];

export const personaByKey = (key: string) => PERSONAS.find((p) => p.key === key);
export const channelById = (id: string) => CHANNELS.find((c) => c.externalId === id);

/**
 * Turns "@Priya" or "@commissioner" in typed text into the `<@externalId>`
 * form every adapter hands the core. Unknown @words are left as typed.
 */
export function rewriteMentions(text: string): string {
  return text.replace(/(^|\s)@([A-Za-z][\w-]*)/g, (whole, space: string, word: string) => {
    const w = word.toLowerCase();
    const persona = PERSONAS.find((p) => p.name.toLowerCase() === w || p.key === w || p.role === w || p.externalId === w);
    return persona ? `${space}<@${persona.externalId}>` : whole;
  });
}
