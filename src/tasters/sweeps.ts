import type { CoreContext } from "../context.ts";
import { recipients, tellPeople } from "../gate.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import { lockTaster } from "./posts.ts";
import { expireOffer } from "./places.ts";
import { viewOf } from "./views.ts";
import * as rules from "./rules.ts";
import * as say from "./catalogue.ts";

/** Scheduled work: each finds what is due at `now`, claims it, and asks the gate once per taster. */

const BATCH = 100;

/** Offers whose hold ran out: the place moves to the next person. Returns how many it ended. */
export async function sweepOffers(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.tasterSignup.findMany({ where: { status: "offered", offerExpiresAt: { lte: now } }, orderBy: { offerExpiresAt: "asc" }, take: BATCH });
  let handled = 0;
  for (const signup of due) {
    const won = await ctx.db.$transaction(async (tx) => {
      const taster = await lockTaster(tx, signup.tasterId);
      return taster ? expireOffer(tx, signup, taster, now) : false;
    });
    if (won) handled++;
  }
  return handled;
}

/**
 * The day before: a reminder to everyone booked, when the gate allows, while
 * that is still before the start. Returns how many tasters it claimed (the
 * core runs it again while that is above 0).
 */
export async function sweepReminders(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.taster.findMany({ where: { reminderDueAt: { lte: now } }, select: { id: true }, take: BATCH });
  let claimed = 0;
  for (const { id } of due) {
    await ctx.db.$transaction(async (tx) => {
      const claim = await tx.taster.updateMany({ where: { id, reminderDueAt: { lte: now } }, data: { reminderDueAt: null } });
      if (claim.count === 0) return;
      claimed++;
      const taster = await tx.taster.findUniqueOrThrow({ where: { id }, include: { signups: true } });
      if (taster.cancelledAt || !rules.reminderStillUseful(now, taster.startsAt)) return;
      const booked = taster.signups.filter((s) => s.status === "booked");
      const decisions = await recipients(tx, now, { kind: "taster", programmeId: taster.programmeId, personIds: booked.map((s) => s.personId) });
      const items: Outgoing[] = [];
      for (const [personId, decision] of decisions) {
        if (!decision.send || !rules.reminderStillUseful(decision.at, taster.startsAt)) continue;
        items.push({
          key: `taster:${taster.id}:reminder:${personId}`,
          purpose: "taster.reminder",
          personId,
          programmeId: taster.programmeId,
          notBefore: decision.at,
          message: say.reminder(viewOf(taster, taster.signups, decision.timeZone)),
        });
      }
      await enqueue(tx, now, ...items);
    });
  }
  return claimed;
}

/**
 * After the session: "Was it what you expected?" to everyone booked who was
 * not marked absent, when the gate allows (it asks only people who agreed to
 * take part: answers cannot be stored without agreement).
 */
export async function sweepFollowUps(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.taster.findMany({ where: { followUpDueAt: { lte: now } }, select: { id: true }, take: BATCH });
  let claimed = 0;
  for (const { id } of due) {
    await ctx.db.$transaction(async (tx) => {
      const claim = await tx.taster.updateMany({ where: { id, followUpDueAt: { lte: now } }, data: { followUpDueAt: null } });
      if (claim.count === 0) return;
      claimed++;
      const taster = await tx.taster.findUniqueOrThrow({ where: { id }, include: { signups: true } });
      if (taster.cancelledAt) return;
      const asked = taster.signups.filter((s) => s.status === "booked" && s.attended !== false);
      const signupOf = new Map(asked.map((s) => [s.personId, s]));
      await tellPeople(tx, now, { kind: "followup", programmeId: taster.programmeId, personIds: asked.map((s) => s.personId) }, (personId) => ({
        key: `taster:${taster.id}:followup:${personId}`,
        purpose: "taster.followup",
        message: say.followUp({ title: taster.title, signupId: signupOf.get(personId)!.id }),
      }));
    });
  }
  return claimed;
}
