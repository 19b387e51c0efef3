import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Taster, TasterSignup } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { recipient, recipients } from "../gate.ts";
import { enqueue } from "../outbox.ts";
import { audit } from "../audit.ts";
import { formatWhen } from "../time.ts";
import { lockTaster, refreshPosts } from "./posts.ts";
import { confirmationMessage, viewOf } from "./views.ts";
import * as rules from "./rules.ts";
import * as say from "./catalogue.ts";

/**
 * Places on a session: signing up, giving a place up, and the waiting list's
 * offers. Every change runs behind the taster's row lock. Callers have checked
 * who may act (the registry); these check only what the taster itself allows.
 */

export type SignupResult =
  | { outcome: "booked"; taster: Taster; signup: TasterSignup }
  | { outcome: "waitlisted"; taster: Taster; signup: TasterSignup; position: number }
  | { outcome: "already"; taster: Taster; signup: TasterSignup; position: number };

function refuseSignup(taster: Taster, role: Role, now: Date): void {
  const refusal = rules.signupRefusal(taster, role, now);
  if (refusal === "cancelled") throw new WesaidError("closed", say.tasterText.cancelledSession);
  if (refusal === "started") throw new WesaidError("closed", say.tasterText.started);
  if (refusal === "wrong_role") throw new WesaidError("not_allowed", say.tasterText.wrongRole(say.audienceText(taster.audienceRoles)));
}

/** "You have a place", with the invite, straight away: it answers what the person just did. A pause still stops it. */
async function queueConfirmation(tx: DbTx, taster: Taster, personId: string, now: Date): Promise<void> {
  const decision = await recipient(tx, now, { kind: "taster", programmeId: taster.programmeId, personId });
  if (!decision.send) return;
  await enqueue(tx, now, {
    key: `taster:${taster.id}:confirm:${personId}:${now.getTime()}`,
    purpose: "taster.confirm",
    personId,
    programmeId: taster.programmeId,
    message: await confirmationMessage(tx, taster, decision.timeZone, now),
  });
}

/** Books a place if one is free and nobody is waiting, else joins the waiting list. */
export async function signUp(ctx: CoreContext, p: { personId: string; role: Role; tasterId: string }): Promise<SignupResult> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const taster = await lockTaster(tx, p.tasterId);
    if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
    refuseSignup(taster, p.role, now);
    const signups = await tx.tasterSignup.findMany({ where: { tasterId: taster.id } });
    const mine = signups.find((s) => s.personId === p.personId);
    if (mine && rules.isActive(mine.status)) return { outcome: "already", taster, signup: mine, position: rules.waitlistPosition(signups, mine.id) };
    const others = signups.filter((s) => s.id !== mine?.id);
    const status = rules.signupOutcome(taster.capacity, others);
    const fields = { status, role: p.role, queuedAt: now, offeredAt: null, offerExpiresAt: null, attended: null };
    const signup = mine
      ? await tx.tasterSignup.update({ where: { id: mine.id }, data: fields })
      : await tx.tasterSignup.create({ data: { tasterId: taster.id, personId: p.personId, ...fields } });
    if (status === "booked") await queueConfirmation(tx, taster, p.personId, now);
    await refreshPosts(tx, taster.id, now);
    await audit(tx, now, p.personId, "taster.signup", "TasterSignup", signup.id, { status });
    if (status === "booked") return { outcome: "booked", taster, signup };
    return { outcome: "waitlisted", taster, signup, position: rules.waitlistPosition([...others, signup], signup.id) };
  });
}

/** Gives up a place (or leaves the waiting list). A freed place is offered to the next person. */
export async function cancelPlace(ctx: CoreContext, p: { personId: string; tasterId: string }): Promise<{ taster: Taster; was: string }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const taster = await lockTaster(tx, p.tasterId);
    if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
    const signup = await tx.tasterSignup.findUnique({ where: { tasterId_personId: { tasterId: taster.id, personId: p.personId } } });
    if (!signup || !rules.isActive(signup.status)) throw new WesaidError("not_found", say.tasterText.nothingToCancel);
    if (now.getTime() >= taster.startsAt.getTime()) throw new WesaidError("closed", say.tasterText.tooLateToCancel);
    await tx.tasterSignup.update({ where: { id: signup.id }, data: { status: "cancelled", offeredAt: null, offerExpiresAt: null } });
    if (rules.holdsPlace(signup.status)) await offerFreePlaces(tx, taster.id, now);
    await refreshPosts(tx, taster.id, now);
    await audit(tx, now, p.personId, "taster.cancel", "TasterSignup", signup.id, { was: signup.status });
    return { taster, was: signup.status };
  });
}

/**
 * Offers each free place to the next person waiting, once: the claim
 * (waitlisted -> offered) is a conditional update. One gate call for everyone
 * waiting: people it holds (paused, for example) keep their place in the queue
 * but are passed over. Runs behind the taster lock.
 */
export async function offerFreePlaces(tx: DbTx, tasterId: string, now: Date): Promise<number> {
  const taster = await tx.taster.findUniqueOrThrow({ where: { id: tasterId }, include: { signups: true } });
  if (taster.cancelledAt) return 0;
  let signups: TasterSignup[] = taster.signups;
  let free = rules.placesLeft(taster.capacity, signups);
  const waiting = rules.waitingQueue(signups);
  if (free === 0 || waiting.length === 0) return 0;
  const decisions = await recipients(tx, now, { kind: "taster", programmeId: taster.programmeId, personIds: waiting.map((s) => s.personId) });
  const sendable = (personId: string) => {
    const decision = decisions.get(personId);
    return decision?.send ? decision : null;
  };
  const sendAt = (personId: string) => sendable(personId)?.at ?? null;
  let offered = 0;
  for (const { next, window } of rules.offerCandidates(signups, sendAt, { holdHours: taster.offerHoldHours, startsAt: taster.startsAt })) {
    if (free === 0) break;
    const decision = sendable(next.personId)!;
    const claim = await tx.tasterSignup.updateMany({
      where: { id: next.id, status: "waitlisted" },
      data: { status: "offered", offeredAt: now, offerExpiresAt: window.expiresAt },
    });
    if (claim.count === 0) continue;
    signups = signups.map((s) => (s.id === next.id ? { ...s, status: "offered" } : s));
    free--;
    offered++;
    await enqueue(tx, now, {
      key: `taster:${taster.id}:offer:${next.personId}:${now.getTime()}`,
      purpose: "taster.offer",
      personId: next.personId,
      programmeId: taster.programmeId,
      notBefore: window.sendAt,
      message: say.placeOffered(viewOf(taster, signups, decision.timeZone), { signupId: next.id, until: formatWhen(window.expiresAt, decision.timeZone) }),
    });
  }
  return offered;
}

/** Ends an offer nobody answered in time and moves the place on. Runs behind the taster lock. */
export async function expireOffer(tx: DbTx, signup: TasterSignup, taster: Taster, now: Date): Promise<boolean> {
  const claim = await tx.tasterSignup.updateMany({
    where: { id: signup.id, status: "offered", offerExpiresAt: { lte: now } },
    data: { status: "expired", offerExpiresAt: null },
  });
  if (claim.count === 0) return false;
  const decision = await recipient(tx, now, { kind: "taster", programmeId: taster.programmeId, personId: signup.personId });
  if (decision.send) {
    await enqueue(tx, now, {
      key: `taster:${taster.id}:offer-expired:${signup.personId}:${signup.offeredAt?.getTime() ?? now.getTime()}`,
      purpose: "taster.offer_expired",
      personId: signup.personId,
      programmeId: taster.programmeId,
      notBefore: decision.at,
      message: say.offerExpired({ title: taster.title, tasterId: taster.id }),
    });
  }
  await offerFreePlaces(tx, taster.id, now);
  await refreshPosts(tx, taster.id, now);
  await audit(tx, now, null, "taster.offer_expired", "TasterSignup", signup.id);
  return true;
}

async function ownSignup(tx: DbTx, signupId: string, personId: string): Promise<TasterSignup> {
  const signup = await tx.tasterSignup.findUnique({ where: { id: signupId } });
  if (!signup || signup.personId !== personId) throw new WesaidError("not_found", say.tasterText.notFound);
  return signup;
}

/** Takes an offered place, if the offer is still open. */
export async function acceptOffer(ctx: CoreContext, p: { personId: string; signupId: string }): Promise<{ taster: Taster }> {
  const now = ctx.clock.now();
  const result = await ctx.db.$transaction(async (tx) => {
    const signup = await ownSignup(tx, p.signupId, p.personId);
    const taster = await lockTaster(tx, signup.tasterId);
    if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
    if (taster.cancelledAt) throw new WesaidError("closed", say.tasterText.cancelledSession);
    const claim = await tx.tasterSignup.updateMany({
      where: { id: signup.id, status: "offered", offerExpiresAt: { gt: now } },
      data: { status: "booked", offerExpiresAt: null },
    });
    if (claim.count === 0) {
      const current = await tx.tasterSignup.findUniqueOrThrow({ where: { id: signup.id } });
      if (current.status === "booked") throw new WesaidError("already_done", say.tasterText.alreadyBooked(taster.title));
      // Pressed after the hold ran out but before the sweep noticed: move the place on now.
      await expireOffer(tx, current, taster, now);
      return { taster, gone: true };
    }
    await refreshPosts(tx, taster.id, now);
    await audit(tx, now, p.personId, "taster.accept", "TasterSignup", signup.id);
    return { taster, gone: false };
  });
  // Thrown after the transaction so an expiry it recorded is kept.
  if (result.gone) throw new WesaidError("closed", say.tasterText.offerGone);
  return { taster: result.taster };
}

/** Turns down an offered place; it goes to the next person. */
export async function declineOffer(ctx: CoreContext, p: { personId: string; signupId: string }): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    const signup = await ownSignup(tx, p.signupId, p.personId);
    const taster = await lockTaster(tx, signup.tasterId);
    if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
    const claim = await tx.tasterSignup.updateMany({ where: { id: signup.id, status: "offered" }, data: { status: "cancelled", offerExpiresAt: null } });
    if (claim.count === 0) {
      const current = await tx.tasterSignup.findUniqueOrThrow({ where: { id: signup.id } });
      if (current.status === "booked") throw new WesaidError("already_done", say.tasterText.alreadyBooked(taster.title));
      throw new WesaidError("closed", say.tasterText.offerGone);
    }
    await offerFreePlaces(tx, taster.id, now);
    await refreshPosts(tx, taster.id, now);
    await audit(tx, now, p.personId, "taster.decline", "TasterSignup", signup.id);
  });
}
