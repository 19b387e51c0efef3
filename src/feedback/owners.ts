import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Actor, PersonRef } from "../interactions.ts";
import { knownPeople } from "../people/index.ts";
import * as say from "./catalogue.ts";

/** Who a command or form names: "me" (typed, or put there by a command) means the person acting. */
export const ME: PersonRef = { externalId: "me" };

/**
 * The person behind a mention, a people-picker choice or a typed id, looked up
 * on the actor's platform. Someone wesaid has never met is not_found, named as
 * they were shown ("@Jo is not in this programme").
 */
export async function personFor(ctx: CoreContext, actor: Actor, ref: PersonRef): Promise<string> {
  const externalId = ref.externalId.trim().replace(/^@/, "");
  if (externalId.toLowerCase() === "me") return actor.person.id;
  const personId = (await knownPeople(ctx.db, actor.platform, [{ externalId }])).get(externalId);
  if (!personId) throw new WesaidError("not_found", say.feedbackText.ownerUnknown(ref.displayName ? `@${ref.displayName}` : "That person"));
  return personId;
}
