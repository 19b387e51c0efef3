import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { LearningSet, LearningSetPlace } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { recipient, recipients } from "../gate.ts";
import { enqueue } from "../outbox.ts";
import { audit } from "../audit.ts";
import { formatWhen } from "../time.ts";
import { offerCandidates, placesLeft } from "../tasters/index.ts";
import { meetingStarts, scheduleOfSet } from "./set-rules.ts";
import * as say from "./set-catalogue.ts";

/**
 * Freed places in a learning set, offered as a taster's are (the taster rules pick who and for how long):
 * the first person waiting is offered the place, held for the set's hold (a day unless the facilitator says); they take it or turn it down, or the
 * offer runs out and the place goes to the next person. Each claim is a conditional update behind the
 * set's row lock, so two sweeps at once make each offer (and end it) once.
 */

const BATCH = 100;

export async function lockSet(tx: DbTx, id: string): Promise<LearningSet> {
  await tx.$queryRaw`SELECT "id" FROM "LearningSet" WHERE "id" = ${id} FOR UPDATE`;
  const set = await tx.learningSet.findUnique({ where: { id } });
  if (!set) throw new WesaidError("not_found", say.setText.notFound);
  return set;
}

export const asSignups = (places: LearningSetPlace[]) => places.map((p) => ({ ...p, id: p.personId }));

/** Puts a member on the set's meetings still to come (the panel sweeps then remind and debrief them). */
export async function addToComingMeetings(tx: DbTx, setId: string, place: { personId: string; role: Role }, now: Date): Promise<void> {
  const coming = await tx.panel.findMany({ where: { learningSetId: setId, startsAt: { gt: now } }, select: { id: true } });
  await tx.panelMember.createMany({ data: coming.map((p) => ({ panelId: p.id, personId: place.personId, role: place.role })), skipDuplicates: true });
}

const placeKey = (set: LearningSet, personId: string) => ({ setId_personId: { setId: set.id, personId } });

/** Offers each free place to the next person waiting whom we may message. Runs behind the set lock. Returns offers made. */
export async function offerSetPlaces(tx: DbTx, set: LearningSet, now: Date): Promise<number> {
  if (set.endedAt) return 0;
  const places = asSignups(await tx.learningSetPlace.findMany({ where: { setId: set.id } }));
  let free = placesLeft(set.capacity, places);
  const waiting = places.filter((p) => p.status === "waitlisted");
  const lastMeeting = meetingStarts(scheduleOfSet(set), set.timeZone).at(-1);
  if (free === 0 || waiting.length === 0 || !lastMeeting) return 0;
  const decisions = await recipients(tx, now, { kind: "panel", programmeId: set.programmeId, personIds: waiting.map((p) => p.personId) });
  const sendable = (personId: string) => {
    const decision = decisions.get(personId);
    return decision?.send ? decision : null;
  };
  const sendAt = (personId: string) => sendable(personId)?.at ?? null;
  let offered = 0;
  for (const { next, window } of offerCandidates(places, sendAt, { holdHours: set.offerHoldHours, startsAt: lastMeeting })) {
    if (free === 0) break;
    const claim = await tx.learningSetPlace.updateMany({
      where: { setId: set.id, personId: next.personId, status: "waitlisted" },
      data: { status: "offered", offeredAt: now, offerExpiresAt: window.expiresAt },
    });
    if (claim.count === 0) continue;
    free--;
    offered++;
    const timeZone = sendable(next.personId)!.timeZone;
    await enqueue(tx, now, {
      key: `learningset:${set.id}:offer:${next.personId}:${now.getTime()}`,
      purpose: "learningset.offer",
      personId: next.personId,
      programmeId: set.programmeId,
      notBefore: window.sendAt,
      message: say.placeOffered({ name: set.name, setId: set.id, until: formatWhen(window.expiresAt, timeZone) }),
    });
    await audit(tx, now, null, "learningset.offer", "LearningSet", set.id);
  }
  return offered;
}

/** Ends an offer nobody answered in time: they are told, and the place moves on. Runs behind the set lock. */
export async function expireSetOffer(tx: DbTx, set: LearningSet, place: LearningSetPlace, now: Date): Promise<boolean> {
  const claim = await tx.learningSetPlace.deleteMany({ where: { setId: set.id, personId: place.personId, status: "offered", offerExpiresAt: { lte: now } } });
  if (claim.count === 0) return false;
  const decision = await recipient(tx, now, { kind: "panel", programmeId: set.programmeId, personId: place.personId });
  if (decision.send) {
    await enqueue(tx, now, {
      key: `learningset:${set.id}:offer-expired:${place.personId}:${place.offeredAt?.getTime() ?? now.getTime()}`,
      purpose: "learningset.offer_expired",
      personId: place.personId,
      programmeId: set.programmeId,
      notBefore: decision.at,
      message: say.offerExpired({ name: set.name }),
    });
  }
  await audit(tx, now, null, "learningset.offer_expired", "LearningSet", set.id);
  await offerSetPlaces(tx, set, now);
  return true;
}

/** Offers whose hold ran out. Returns how many it ended. */
export async function sweepSetOffers(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.learningSetPlace.findMany({ where: { status: "offered", offerExpiresAt: { lte: now } }, orderBy: { offerExpiresAt: "asc" }, take: BATCH });
  let ended = 0;
  for (const place of due) {
    const won = await ctx.db.$transaction(async (tx) => expireSetOffer(tx, await lockSet(tx, place.setId), place, now));
    if (won) ended++;
  }
  return ended;
}

/** Takes an offered place while the offer is open; after that, the place moves on and they are told it has gone. */
export async function acceptSetOffer(ctx: CoreContext, p: { personId: string; setId: string }): Promise<LearningSet> {
  const now = ctx.clock.now();
  const result = await ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, p.setId);
    if (set.endedAt) throw new WesaidError("closed", say.setText.ended(set.name));
    const claim = await tx.learningSetPlace.updateMany({
      where: { setId: set.id, personId: p.personId, status: "offered", offerExpiresAt: { gt: now } },
      data: { status: "booked", offerExpiresAt: null },
    });
    if (claim.count === 0) {
      const current = await tx.learningSetPlace.findUnique({ where: placeKey(set, p.personId) });
      if (current?.status === "booked") throw new WesaidError("already_done", say.setText.already(set.name));
      // Pressed after the hold ran out but before the sweep noticed: move the place on now.
      if (current?.status === "offered") await expireSetOffer(tx, set, current, now);
      return { set, gone: true };
    }
    const place = await tx.learningSetPlace.findUniqueOrThrow({ where: placeKey(set, p.personId) });
    await addToComingMeetings(tx, set.id, place, now);
    await audit(tx, now, p.personId, "learningset.accept", "LearningSet", set.id);
    return { set, gone: false };
  });
  // Thrown after the transaction so an expiry it recorded is kept.
  if (result.gone) throw new WesaidError("closed", say.setText.offerGone);
  return result.set;
}

/** Turns down an offered place: they leave the waiting list and the place goes to the next person. */
export async function declineSetOffer(ctx: CoreContext, p: { personId: string; setId: string }): Promise<LearningSet> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, p.setId);
    const claim = await tx.learningSetPlace.deleteMany({ where: { setId: set.id, personId: p.personId, status: "offered" } });
    if (claim.count === 0) {
      const current = await tx.learningSetPlace.findUnique({ where: placeKey(set, p.personId) });
      if (current?.status === "booked") throw new WesaidError("already_done", say.setText.already(set.name));
      throw new WesaidError("closed", say.setText.offerGone);
    }
    await audit(tx, now, p.personId, "learningset.decline", "LearningSet", set.id);
    await offerSetPlaces(tx, set, now);
    return set;
  });
}
