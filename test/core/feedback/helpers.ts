import { expect } from "vitest";
import type { World, TestPerson } from "../../support/world.ts";
import type { PersonRef, Reply } from "../../../src/interactions.ts";

/** A person as a mention: what an adapter sends for "@Name" in a command. */
export const mention = (person: TestPerson, name: string): PersonRef => ({ externalId: person.externalId, displayName: name, shownAs: `@${name}` });

/** Types a command naming people, as an adapter sends it: "@Name" in the text, the people in `mentions`. */
export async function sayNaming(world: World, person: TestPerson, text: string, mentions: PersonRef[]): Promise<Reply> {
  const reply = await world.core.handle({ platform: person.platform, user: { externalId: person.externalId }, place: { kind: "direct" }, input: { kind: "command", text, mentions } });
  await world.core.flush();
  return reply;
}

/** A programme with a facilitator, a commissioner, two experts by experience and a professional; nothing sent yet. */
export async function cast(world: World) {
  const programme = await world.programme();
  const priya = await world.person(programme, "Priya", "commissioner");
  const jo = await world.person(programme, "Jo", "expert_by_experience");
  const ali = await world.person(programme, "Ali", "expert_by_experience");
  const sam = await world.person(programme, "Sam", "professional");
  world.messenger.clear();
  return { programme, fac: programme.facilitator, priya, jo, ali, sam };
}

/** Pauses a person's messages the way they would: typing pause. */
export async function pause(person: TestPerson): Promise<void> {
  const reply = await person.say("pause");
  expect(reply.error).toBeUndefined();
}
