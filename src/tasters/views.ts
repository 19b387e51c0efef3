import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { Actor, Reply } from "../interactions.ts";
import type { Membership, Taster } from "../generated/prisma/client.ts";
import { roleCan } from "../roles.ts";
import { formatWhen } from "../time.ts";
import { DAY } from "../clock.ts";
import { timeZoneOf } from "../people/index.ts";
import { calendarInvite, eventUid, whenText } from "../calendar/index.ts";
import { message, para, type Message } from "../messages/model.ts";
import * as rules from "./rules.ts";
import * as say from "./catalogue.ts";

/** Reply builders: what a person sees about tasters, as messages. */

/** Channel posts are read by many people at once; they use the programme's home time zone. */
export const CHANNEL_TIME_ZONE = "Europe/London";

export const line = (words: string): Message => message(words, para(words));
export const privately = (words: string): Reply => ({ private: line(words) });

export function viewOf(taster: Taster, signups: readonly { status: string; id: string; personId: string; queuedAt: Date }[], timeZone: string): say.TasterView {
  return {
    id: taster.id,
    title: taster.title,
    whatToExpect: taster.whatToExpect,
    when: whenText(taster.startsAt, taster.endsAt, timeZone),
    location: taster.location,
    onlineUrl: taster.onlineUrl,
    accessibility: taster.accessibility,
    audienceRoles: taster.audienceRoles,
    placesLeft: rules.placesLeft(taster.capacity, signups),
    capacity: taster.capacity,
    waiting: rules.waitingQueue(signups).length,
    cancelled: Boolean(taster.cancelledAt),
  };
}

export function inviteFor(taster: Taster, now: Date, cancelled = false): string {
  const description = [taster.whatToExpect, taster.accessibility ? `Access: ${taster.accessibility}` : ""].filter(Boolean).join("\n\n");
  return calendarInvite({
    uid: eventUid("taster", taster.id),
    start: taster.startsAt,
    end: taster.endsAt,
    stamp: now,
    summary: taster.title,
    description,
    location: taster.location ?? undefined,
    url: taster.onlineUrl ?? undefined,
    // Seconds since the taster was made: always rises, so a later invite or cancellation wins.
    sequence: Math.max(0, Math.floor((now.getTime() - taster.createdAt.getTime()) / 1000)),
    cancelled,
  });
}

/** "You have a place", with the calendar invite, written in the person's time zone. */
export async function confirmationMessage(db: DbTx, taster: Taster, timeZone: string, now: Date): Promise<Message> {
  const signups = await db.tasterSignup.findMany({ where: { tasterId: taster.id } });
  return say.bookingConfirmed(viewOf(taster, signups, timeZone), inviteFor(taster, now));
}

function canSee(taster: Taster, membership: Membership): boolean {
  return taster.audienceRoles.length === 0 || taster.audienceRoles.includes(membership.role) || roleCan(membership.role, "taster.manage");
}

/** The sessions coming up in all of the person's programmes, with their own place in each. */
export async function upcomingList(ctx: CoreContext, actor: Actor): Promise<Reply> {
  const now = ctx.clock.now();
  const memberships = actor.memberships;
  const tasters = await ctx.db.taster.findMany({
    where: { programmeId: { in: memberships.map((m) => m.programmeId) }, cancelledAt: null, startsAt: { gt: now } },
    include: { signups: true },
    orderBy: { startsAt: "asc" },
    take: 20,
  });
  const timeZone = await timeZoneOf(ctx.db, actor.person.id);
  const items = tasters
    .filter((t) => canSee(t, memberships.find((m) => m.programmeId === t.programmeId)!))
    .map((t) => {
      const mine = t.signups.find((s) => s.personId === actor.person.id);
      const canCancel = roleCan(memberships.find((m) => m.programmeId === t.programmeId)!.role, "taster.manage");
      return { view: viewOf(t, t.signups, timeZone), mine: mine?.status, position: mine ? rules.waitlistPosition(t.signups, mine.id) : 0, canCancel };
    });
  return { private: say.tasterList({ items, canManage: memberships.some((m) => roleCan(m.role, "taster.manage")) }) };
}

/** Sessions of the last 30 days, in the programmes where the person marks attendance. */
export async function attendancePicker(ctx: CoreContext, actor: Actor): Promise<Reply> {
  const now = ctx.clock.now();
  const programmeIds = actor.memberships.filter((m) => roleCan(m.role, "taster.attendance")).map((m) => m.programmeId);
  const tasters = await ctx.db.taster.findMany({
    where: { programmeId: { in: programmeIds }, cancelledAt: null, startsAt: { lte: now, gte: new Date(now.getTime() - 30 * DAY) } },
    orderBy: { startsAt: "desc" },
    take: 20,
  });
  const timeZone = await timeZoneOf(ctx.db, actor.person.id);
  return { private: say.attendancePick({ tasters: tasters.map((t) => ({ id: t.id, title: t.title, when: formatWhen(t.startsAt, timeZone) })) }) };
}

/** Who had a place, and whether each came. */
export async function attendanceSheet(ctx: CoreContext, actor: Actor, taster: Taster): Promise<Message> {
  const signups = await ctx.db.tasterSignup.findMany({ where: { tasterId: taster.id, status: "booked" }, orderBy: { queuedAt: "asc" } });
  const people = await ctx.db.person.findMany({ where: { id: { in: signups.map((s) => s.personId) } } });
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  return say.attendanceList({
    tasterId: taster.id,
    title: taster.title,
    when: whenText(taster.startsAt, taster.endsAt, await timeZoneOf(ctx.db, actor.person.id)),
    people: signups.map((s) => ({ signupId: s.id, name: nameOf.get(s.personId) ?? "Someone", attended: s.attended })),
  });
}

/** The "are you sure" form for cancelling a whole session, with how many people it touches. */
export async function cancelSessionAsk(ctx: CoreContext, actor: Actor, taster: Taster): Promise<Message> {
  const signups = await ctx.db.tasterSignup.findMany({ where: { tasterId: taster.id, status: { in: [...rules.ACTIVE] } } });
  return say.cancelSessionForm({
    tasterId: taster.id,
    title: taster.title,
    when: whenText(taster.startsAt, taster.endsAt, await timeZoneOf(ctx.db, actor.person.id)),
    booked: signups.filter((s) => rules.holdsPlace(s.status)).length,
    waiting: signups.filter((s) => s.status === "waitlisted").length,
  });
}
