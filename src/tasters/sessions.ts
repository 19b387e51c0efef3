import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Taster } from "../generated/prisma/client.ts";
import { recipients } from "../gate.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import { audit } from "../audit.ts";
import { parseInput } from "../validation.ts";
import { timeZoneOf } from "../people/index.ts";
import { whenText } from "../calendar/index.ts";
import { LABELS, tasterInputSchema, type TasterInput } from "./input.ts";
import { lockTaster, postTaster, refreshPosts } from "./posts.ts";
import { inviteFor } from "./views.ts";
import * as rules from "./rules.ts";
import * as say from "./catalogue.ts";

/**
 * Whole sessions: making one and cancelling one. The caller has checked that
 * `byId` may manage tasters in the programme (the registry, for chat actions).
 */

/** Creates a taster and posts it to the programme's channels. Times are read in `byId`'s time zone. */
export async function createTaster(ctx: CoreContext, byId: string, input: TasterInput | Record<string, unknown>): Promise<Taster> {
  const now = ctx.clock.now();
  const data = parseInput(tasterInputSchema(now, await timeZoneOf(ctx.db, byId)), input, LABELS);
  return ctx.db.$transaction(async (tx) => {
    const created = await tx.taster.create({
      data: {
        programmeId: data.programmeId,
        title: data.title,
        whatToExpect: data.whatToExpect,
        audienceRoles: data.audienceRoles,
        startsAt: data.startsAt,
        endsAt: data.endsAt,
        location: data.location ?? null,
        onlineUrl: data.onlineUrl ?? null,
        accessibility: data.accessibility ?? "",
        capacity: data.capacity,
        offerHoldHours: data.offerHoldHours ?? rules.DEFAULT_OFFER_HOLD_HOURS,
        createdById: byId,
        createdAt: now,
        ...rules.tasterSchedule(data),
      },
    });
    const taster = await postTaster(tx, created, now);
    await audit(tx, now, byId, "taster.create", "Taster", taster.id, { title: taster.title, capacity: taster.capacity });
    return taster;
  });
}

/** Messages about this taster that must not go out once it is cancelled, if they are still waiting to be sent. */
const STALE_WHEN_CANCELLED = ["taster.confirm", "taster.offer", "taster.offer_expired", "taster.reminder", "taster.followup", "taster.post.refresh"];

export type SessionCancelled = { taster: Taster; told: number; notTold: string[] };

/**
 * Cancels a whole taster: everyone booked, offered or waiting is told
 * privately (if the gate lets us: not those who paused) and their sign-ups are
 * cancelled, no reminder or follow-up goes out, and the channel post says it is cancelled.
 */
export async function cancelSession(ctx: CoreContext, byId: string, input: { tasterId: string; reason: string }): Promise<SessionCancelled> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const taster = await lockTaster(tx, input.tasterId);
    if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
    if (taster.cancelledAt) throw new WesaidError("already_done", say.tasterText.alreadyCancelled(taster.title));
    if (now.getTime() >= taster.endsAt.getTime()) throw new WesaidError("closed", say.tasterText.alreadyOver);
    const cancelled = await tx.taster.update({ where: { id: taster.id }, data: { cancelledAt: now, reminderDueAt: null, followUpDueAt: null } });
    const active = await tx.tasterSignup.findMany({ where: { tasterId: taster.id, status: { in: [...rules.ACTIVE] } } });
    await tx.tasterSignup.updateMany({ where: { id: { in: active.map((s) => s.id) } }, data: { status: "cancelled", offeredAt: null, offerExpiresAt: null } });
    await tx.outboxMessage.deleteMany({ where: { key: { startsWith: `taster:${taster.id}:` }, status: "pending", purpose: { in: STALE_WHEN_CANCELLED } } });
    const decisions = await recipients(tx, now, { kind: "taster", programmeId: taster.programmeId, personIds: active.map((s) => s.personId) });
    const notTold: string[] = [];
    const items: Outgoing[] = [];
    for (const signup of active) {
      const decision = decisions.get(signup.personId);
      if (!decision?.send) {
        notTold.push(signup.personId);
        continue;
      }
      items.push({
        key: `taster:${taster.id}:session-cancelled:${signup.personId}`,
        purpose: "taster.session_cancelled",
        personId: signup.personId,
        programmeId: taster.programmeId,
        notBefore: rules.cancellationSendTime(now, decision.at, taster.startsAt),
        message: say.sessionCancelled({
          title: taster.title,
          when: whenText(taster.startsAt, taster.endsAt, decision.timeZone),
          reason: input.reason,
          was: signup.status as "booked" | "offered" | "waitlisted",
          ics: signup.status === "booked" ? inviteFor(cancelled, now, true) : undefined,
        }),
      });
    }
    await enqueue(tx, now, ...items);
    await refreshPosts(tx, taster.id, now);
    const counts = Object.fromEntries(rules.ACTIVE.map((status) => [status, active.filter((s) => s.status === status).length]));
    await audit(tx, now, byId, "taster.cancel_session", "Taster", taster.id, { reason: input.reason, ...counts });
    const held = await tx.person.findMany({ where: { id: { in: notTold } }, select: { displayName: true } });
    return { taster: cancelled, told: active.length - notTold.length, notTold: held.map((p) => p.displayName) };
  });
}
