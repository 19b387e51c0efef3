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

/** Sends a form whose people picker chose `people` (the harness's press sends no people). */
export async function pressWithPeople(world: World, person: TestPerson, call: { action: string; args: Record<string, string> }, people: Record<string, PersonRef[]>): Promise<Reply> {
  const reply = await world.core.handle({ platform: person.platform, user: { externalId: person.externalId }, place: { kind: "direct" }, input: { kind: "action", action: call.action, args: call.args, people } });
  await world.core.flush();
  return reply;
}

/** Pauses a person's messages the way they would: typing pause. */
export async function pause(person: TestPerson): Promise<void> {
  const reply = await person.say("pause");
  expect(reply.error).toBeUndefined();
}
