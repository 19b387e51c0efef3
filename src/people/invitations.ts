import { createHmac, timingSafeEqual } from "node:crypto";
import type { CoreContext } from "../context.ts";

/**
 * The proof, carried by the role buttons wesaid shows someone who typed join
 * in a programme's channel, that wesaid itself offered that person that
 * programme. A button's programme id alone is not trusted: anyone can send any
 * id. Bound to the person, so a copied button does not work for anyone else.
 * Keyed by the secret kept outside the database (README "Anonymous answers").
 */
export function inviteFor(ctx: CoreContext, programmeId: string, personId: string): string {
  return createHmac("sha256", ctx.settings.answerSecret).update(`join-invite\u0000${programmeId}\u0000${personId}`).digest("base64url");
}

export function isInvited(ctx: CoreContext, programmeId: string, personId: string, invite: string | undefined): boolean {
  if (!invite) return false;
  const expected = Buffer.from(inviteFor(ctx, programmeId, personId));
  const given = Buffer.from(invite);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
