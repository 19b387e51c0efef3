import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Taster, TasterSignup } from "../generated/prisma/client.ts";
import { audit } from "../audit.ts";
import { recordContribution } from "../people/index.ts";
import type { FollowUpAnswer } from "./input.ts";
import * as rules from "./rules.ts";
import * as say from "./catalogue.ts";

/**
 * After a session: a person's answer to "was it what you expected?", and who
 * came. The caller has checked who may act (the registry: consent for the
 * answer, taster.attendance for attendance).
 */

/** Stores the follow-up answer of someone who had a place, once the session is over. */
export async function saveFollowUp(ctx: CoreContext, signup: TasterSignup & { taster: Taster }, input: FollowUpAnswer): Promise<FollowUpAnswer> {
  const now = ctx.clock.now();
  if (signup.status !== "booked") throw new WesaidError("closed", say.tasterText.followUpNotBooked);
  if (now.getTime() < signup.taster.endsAt.getTime()) throw new WesaidError("closed", say.tasterText.followUpTooEarly);
  await ctx.db.$transaction(async (tx) => {
    await tx.tasterSignup.update({
      where: { id: signup.id },
      data: { expectationsMet: input.expectationsMet, wouldTakePart: input.wouldTakePart, followUpComment: input.comment ?? null },
    });
    await audit(tx, now, signup.personId, "taster.followup", "TasterSignup", signup.id);
  });
  return input;
}

/** Marks whether someone with a place came; coming counts as time given. */
export async function markAttendance(ctx: CoreContext, byId: string, signup: TasterSignup & { taster: Taster }, attended: boolean): Promise<{ name: string }> {
  if (signup.status !== "booked") throw new WesaidError("invalid_input", say.tasterText.attendanceNotBooked);
  const now = ctx.clock.now();
  if (!rules.attendanceOpen(now, signup.taster.startsAt)) throw new WesaidError("closed", say.tasterText.attendanceTooEarly);
  await ctx.db.$transaction(async (tx) => {
    await setAttended(tx, ctx, signup, signup.taster, attended);
    await audit(tx, now, byId, "taster.attendance", "TasterSignup", signup.id, { attended });
  });
  const person = await ctx.db.person.findUnique({ where: { id: signup.personId } });
  return { name: person?.displayName ?? "Someone" };
}

/** Saves the whole sheet: the sign-ups in `came` came, everyone else booked did not. Returns how many came. */
export async function saveAttendance(ctx: CoreContext, byId: string, taster: Taster, came: ReadonlySet<string>): Promise<number> {
  const now = ctx.clock.now();
  if (!rules.attendanceOpen(now, taster.startsAt)) throw new WesaidError("closed", say.tasterText.attendanceTooEarly);
  const booked = await ctx.db.tasterSignup.findMany({ where: { tasterId: taster.id, status: "booked" } });
  if ([...came].some((id) => !booked.some((s) => s.id === id))) throw new WesaidError("invalid_input", say.tasterText.attendanceNotBooked);
  await ctx.db.$transaction(async (tx) => {
    for (const signup of booked) await setAttended(tx, ctx, signup, taster, came.has(signup.id));
    await audit(tx, now, byId, "taster.attendance", "Taster", taster.id, { attended: came.size });
  });
  return came.size;
}

async function setAttended(tx: DbTx, ctx: CoreContext, signup: TasterSignup, taster: Taster, attended: boolean): Promise<void> {
  await tx.tasterSignup.update({ where: { id: signup.id }, data: { attended } });
  const sourceRef = `taster:${taster.id}`;
  if (attended) {
    await recordContribution(tx, ctx.settings, { personId: signup.personId, programmeId: taster.programmeId, kind: "taster", sourceRef, occurredAt: taster.startsAt });
  } else {
    await tx.contribution.deleteMany({ where: { personId: signup.personId, kind: "taster", sourceRef } });
  }
}
