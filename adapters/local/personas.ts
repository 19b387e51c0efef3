import type { DemoCast } from "../../src/demo/seed.ts";
import type { PersonRef } from "../../src/interactions.ts";
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
  {
    key: "newcomer",
    role: "expert_by_experience",
    externalId: "persona-newcomer",
    name: "Riley",
    displayName: "Riley (new member)",
    about: "Joined the demo programme yesterday, after it started. Gets a short introduction, one message a day.",
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

const castMember = ({ externalId, displayName, role }: Persona) => ({ externalId, displayName, role });

/** The playground's cast for the demo programme, in the demo's channel: every persona there from the start, and Riley, who joined late. */
export const DEMO_CAST: DemoCast = {
  platform: "local",
  channel: { externalId: CHANNELS[0]!.externalId, name: CHANNELS[0]!.name },
  players: PERSONAS.filter((p) => p.key !== "newcomer").map(castMember),
  lateJoiner: castMember(personaByKey("newcomer")!),
};

/** The persona an @word names: by first name, key, role or id ("@Priya", "@commissioner"). */
export function personaNamed(word: string): Persona | undefined {
  const w = word.toLowerCase();
  return PERSONAS.find((p) => p.name.toLowerCase() === w || p.key === w || p.role === w || p.externalId === w);
}

/**
 * Finds "@Priya" or "@commissioner" in typed text: each persona named becomes a
 * mention, in order, shown as the words typed. The text itself is already
 * readable and stays as typed; unknown @words are left as words.
 */
export function readMentions(text: string): { text: string; mentions: PersonRef[] } {
  const mentions: PersonRef[] = [];
  for (const match of text.matchAll(/(?:^|\s)(@([A-Za-z][\w-]*))/g)) {
    const persona = personaNamed(match[2]!);
    if (persona) mentions.push({ externalId: persona.externalId, displayName: persona.displayName, shownAs: match[1]! });
  }
  return { text, mentions };
}
