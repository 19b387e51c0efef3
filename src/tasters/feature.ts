import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Actor, Feature, Reply } from "../interactions.ts";
import type { Membership, Preference, Taster, TasterSignup } from "../generated/prisma/client.ts";
import { PARTICIPANT_ROLES, ROLES, roleCan, type Capability, type Role } from "../roles.ts";
import { authorise, consentState, requireCapability, requireMember, requireParticipation } from "../access.ts";
import { enqueue } from "../outbox.ts";
import { audit } from "../audit.ts";
import { optionalText, parseInput, text } from "../validation.ts";
import { formatWhen, nextAllowedTime, type QuietHours } from "../time.ts";
import { DAY } from "../clock.ts";
import { preferencesOf, recordContribution, timeZoneOf } from "../people.ts";
import { calendarInvite, eventUid } from "../calendar/ics.ts";
import * as rules from "./rules.ts";
import { message, para, type Message } from "../messages/model.ts";
import { accessText } from "../messages/catalogue/access.ts";
import * as say from "./catalogue.ts";

/** Channel posts are read by many people at once; they use the programme's home time zone. */
const CHANNEL_TIME_ZONE = "Europe/London";
const BATCH = 100;

// ------------------------------------------------------------------ input

const LABELS = {
  title: "Name of the session",
  whatToExpect: "What to expect",
  audienceRoles: "Who is it for",
  startsAt: "Starts",
  endsAt: "Ends",
  location: "Where",
  onlineUrl: "Online link",
  accessibility: "Access",
  capacity: "How many places",
  offerHoldHours: "Hold a freed place for",
};

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Roles from a form (one per line, or with commas) or from code (an array). */
export const roleList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean) : (v ?? [])),
  z.array(z.enum(ROLES)).max(ROLES.length),
);

/** A date from code, or a date and time typed or picked in a form (read in `timeZone`). */
export function whenField(label: string, timeZone: string) {
  return z.unknown().transform((v, c) => {
    const date = v instanceof Date ? v : typeof v === "string" && v.trim() ? rules.parseWhen(v, timeZone) : null;
    if (date && !Number.isNaN(date.getTime())) return date;
    c.addIssue({ code: "custom", message: say.tasterText.badTime(label) });
    return z.NEVER;
  });
}

export function tasterInputSchema(now: Date, timeZone: string) {
  return z
    .object({
      programmeId: z.string().min(1),
      title: text(120),
      whatToExpect: text(2000),
      audienceRoles: roleList,
      startsAt: whenField(LABELS.startsAt, timeZone),
      endsAt: whenField(LABELS.endsAt, timeZone),
      location: optionalText(300),
      onlineUrl: optionalText(500),
      accessibility: optionalText(1000),
      capacity: z.coerce.number().int().min(1).max(1000),
      offerHoldHours: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(168).optional()),
    })
    .superRefine((v, c) => {
      if (v.startsAt.getTime() <= now.getTime()) c.addIssue({ code: "custom", message: say.tasterText.startInPast, path: ["startsAt"] });
      if (v.endsAt.getTime() <= v.startsAt.getTime()) c.addIssue({ code: "custom", message: say.tasterText.endBeforeStart, path: ["endsAt"] });
      if (!v.location && !v.onlineUrl) c.addIssue({ code: "custom", message: say.tasterText.whereNeeded, path: ["location"] });
      if (v.onlineUrl && !/^https?:\/\/\S+$/i.test(v.onlineUrl)) c.addIssue({ code: "custom", message: say.tasterText.badLink, path: ["onlineUrl"] });
    });
}

export type TasterInput = z.input<ReturnType<typeof tasterInputSchema>>;

// ------------------------------------------------------------------ helpers



function viewOf(taster: Taster, signups: readonly { status: string; id: string; personId: string; queuedAt: Date }[], timeZone: string): say.TasterView {
  return {
    id: taster.id,
    title: taster.title,
    whatToExpect: taster.whatToExpect,
    when: say.whenText(taster.startsAt, taster.endsAt, timeZone),
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

function inviteFor(taster: Taster, now: Date, cancelled = false): string {
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

const postRefSchema = z
  .object({ posts: z.array(z.object({ channelId: z.string(), key: z.string() })), refreshes: z.number().int() })
  .catch({ posts: [], refreshes: 0 });
type PostRef = z.infer<typeof postRefSchema>;

/**
 * Row lock on the taster: every change to its places runs behind it, so two
 * sign-ups at the same moment cannot both take the last place.
 */
async function lockTaster(tx: DbTx, id: string): Promise<Taster | null> {
  await tx.$queryRaw`SELECT "id" FROM "Taster" WHERE "id" = ${id} FOR UPDATE`;
  return tx.taster.findUnique({ where: { id } });
}

/** Updates the channel posts in place with the places now left (runs behind the taster lock). */
async function refreshPosts(tx: DbTx, tasterId: string, now: Date): Promise<void> {
  const taster = await tx.taster.findUniqueOrThrow({ where: { id: tasterId }, include: { signups: true } });
  const ref = postRefSchema.parse(taster.postRef);
  if (ref.posts.length === 0) return;
  const refreshes = ref.refreshes + 1;
  await tx.taster.update({ where: { id: tasterId }, data: { postRef: { ...ref, refreshes } satisfies PostRef } });
  const post = say.tasterPost(viewOf(taster, taster.signups, CHANNEL_TIME_ZONE));
  await enqueue(
    tx,
    now,
    ...ref.posts.map((p) => ({
      // The counter keeps two changes in the same millisecond apart.
      key: `${p.key}:refresh:${now.getTime()}:${refreshes}`,
      purpose: "taster.post.refresh",
      replaceKey: p.key,
      programmeId: taster.programmeId,
      message: post,
    })),
  );
}

async function confirmationMessage(tx: DbTx, taster: Taster, personId: string, now: Date) {
  const signups = await tx.tasterSignup.findMany({ where: { tasterId: taster.id } });
  return say.bookingConfirmed(viewOf(taster, signups, await timeZoneOf(tx, personId)), inviteFor(taster, now));
}

async function queueConfirmation(tx: DbTx, taster: Taster, personId: string, now: Date): Promise<void> {
  await enqueue(tx, now, {
    key: `taster:${taster.id}:confirm:${personId}:${now.getTime()}`,
    purpose: "taster.confirm",
    personId,
    programmeId: taster.programmeId,
    message: await confirmationMessage(tx, taster, personId, now),
  });
}

function refuseSignup(taster: Taster, role: Role, now: Date): void {
  const refusal = rules.signupRefusal(taster, role, now);
  if (refusal === "cancelled") throw new WesaidError("closed", say.tasterText.cancelledSession);
  if (refusal === "started") throw new WesaidError("closed", say.tasterText.started);
  if (refusal === "wrong_role") throw new WesaidError("not_allowed", say.tasterText.wrongRole(say.audienceText(taster.audienceRoles)));
}

// ------------------------------------------------------------------ creating

/** Creates a taster and posts it to the programme's channels. Checks that `byId` may manage tasters. */
export async function createTaster(ctx: CoreContext, byId: string, input: TasterInput | Record<string, unknown>): Promise<Taster> {
  const now = ctx.clock.now();
  const data = parseInput(tasterInputSchema(now, await timeZoneOf(ctx.db, byId)), input, LABELS);
  await requireMember(ctx.db, byId, data.programmeId, "taster.manage");
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
        offerHoldHours: data.offerHoldHours ?? 24,
        createdById: byId,
        createdAt: now,
        ...rules.tasterSchedule(data),
      },
    });
    const channels = await tx.programmeChannel.findMany({ where: { programmeId: data.programmeId }, orderBy: { createdAt: "asc" } });
    const posts = channels.map((c) => ({ channelId: c.id, key: `taster:${created.id}:post:${c.id}` }));
    const taster = await tx.taster.update({ where: { id: created.id }, data: { postRef: { posts, refreshes: 0 } satisfies PostRef } });
    const post = say.tasterPost(viewOf(taster, [], CHANNEL_TIME_ZONE));
    await enqueue(tx, now, ...posts.map((p) => ({ key: p.key, purpose: "taster.post", channelId: p.channelId, programmeId: data.programmeId, message: post })));
    await audit(tx, now, byId, "taster.create", "Taster", taster.id, { title: taster.title, capacity: taster.capacity });
    return taster;
  });
}

// ------------------------------------------------------------------ signing up and cancelling

export type SignupResult =
  | { outcome: "booked"; taster: Taster; signup: TasterSignup }
  | { outcome: "waitlisted"; taster: Taster; signup: TasterSignup; position: number }
  | { outcome: "already"; taster: Taster; signup: TasterSignup; position: number };

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
 * (waitlisted -> offered) is a conditional update. Runs behind the taster lock.
 */
async function offerFreePlaces(tx: DbTx, tasterId: string, now: Date): Promise<number> {
  const taster = await tx.taster.findUniqueOrThrow({ where: { id: tasterId }, include: { signups: true } });
  if (taster.cancelledAt) return 0;
  let signups: TasterSignup[] = taster.signups;
  let free = rules.placesLeft(taster.capacity, signups);
  const waiting = rules.waitingQueue(signups);
  if (free === 0 || waiting.length === 0) return 0;
  const prefs = new Map<string, Preference>();
  for (const s of waiting) prefs.set(s.personId, await preferencesOf(tx, s.personId));
  const passedOver = new Set([...prefs.values()].filter((p) => p.pausedAt).map((p) => p.personId));
  let offered = 0;
  while (free > 0) {
    const next = rules.nextToOffer(signups, passedOver);
    if (!next) break;
    passedOver.add(next.personId);
    const pref = prefs.get(next.personId)!;
    const window = rules.offerWindow({ sendAt: nextAllowedTime(now, pref), holdHours: taster.offerHoldHours, startsAt: taster.startsAt });
    if (!window) continue;
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
      message: say.placeOffered(viewOf(taster, signups, pref.timeZone), { signupId: next.id, until: formatWhen(window.expiresAt, pref.timeZone) }),
    });
  }
  return offered;
}

/** Ends an offer nobody answered in time and moves the place on. Runs behind the taster lock. */
async function expireOffer(tx: DbTx, signup: TasterSignup, taster: Taster, now: Date): Promise<boolean> {
  const claim = await tx.tasterSignup.updateMany({
    where: { id: signup.id, status: "offered", offerExpiresAt: { lte: now } },
    data: { status: "expired", offerExpiresAt: null },
  });
  if (claim.count === 0) return false;
  const pref = await preferencesOf(tx, signup.personId);
  if (!pref.pausedAt) {
    await enqueue(tx, now, {
      key: `taster:${taster.id}:offer-expired:${signup.personId}:${signup.offeredAt?.getTime() ?? now.getTime()}`,
      purpose: "taster.offer_expired",
      personId: signup.personId,
      programmeId: taster.programmeId,
      notBefore: nextAllowedTime(now, pref),
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

// ------------------------------------------------------------------ cancelling a whole session

const cancelSessionArgs = z.object({ tasterId: z.string().min(1).max(100), reason: text(500) });

/** Messages about this taster that must not go out once it is cancelled, if they are still waiting to be sent. */
const STALE_WHEN_CANCELLED = ["taster.confirm", "taster.offer", "taster.offer_expired", "taster.reminder", "taster.followup", "taster.post.refresh"];

/**
 * When to tell someone a session is cancelled: after their quiet hours, unless
 * that would be after it starts. Then now, so nobody travels to a session that is not on.
 */
export function cancellationSendTime(now: Date, quiet: QuietHours, startsAt: Date): Date {
  const allowed = nextAllowedTime(now, quiet);
  return allowed.getTime() < startsAt.getTime() ? allowed : now;
}

export type SessionCancelled = { taster: Taster; told: number; notTold: string[] };

/**
 * Cancels a whole taster: everyone booked, offered or waiting is told
 * privately and their sign-ups are cancelled, no reminder or follow-up goes
 * out, and the channel post says it is cancelled. Checks that `byId` may manage tasters.
 */
export async function cancelSession(ctx: CoreContext, byId: string, raw: { tasterId: string; reason: string }): Promise<SessionCancelled> {
  const input = parseInput(cancelSessionArgs, raw, { reason: "Why it is cancelled" });
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const taster = await lockTaster(tx, input.tasterId);
    if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
    await requireMember(tx, byId, taster.programmeId, "taster.manage");
    if (taster.cancelledAt) throw new WesaidError("already_done", say.tasterText.alreadyCancelled(taster.title));
    if (now.getTime() >= taster.endsAt.getTime()) throw new WesaidError("closed", say.tasterText.alreadyOver);
    const cancelled = await tx.taster.update({ where: { id: taster.id }, data: { cancelledAt: now, reminderDueAt: null, followUpDueAt: null } });
    const active = await tx.tasterSignup.findMany({ where: { tasterId: taster.id, status: { in: [...rules.ACTIVE] } } });
    await tx.tasterSignup.updateMany({ where: { id: { in: active.map((s) => s.id) } }, data: { status: "cancelled", offeredAt: null, offerExpiresAt: null } });
    await tx.outboxMessage.deleteMany({ where: { key: { startsWith: `taster:${taster.id}:` }, status: "pending", purpose: { in: STALE_WHEN_CANCELLED } } });
    const notTold: string[] = [];
    for (const signup of active) {
      const pref = await preferencesOf(tx, signup.personId);
      if (pref.pausedAt) {
        notTold.push(signup.personId);
        continue;
      }
      const booked = signup.status === "booked";
      await enqueue(tx, now, {
        key: `taster:${taster.id}:session-cancelled:${signup.personId}`,
        purpose: "taster.session_cancelled",
        personId: signup.personId,
        programmeId: taster.programmeId,
        notBefore: cancellationSendTime(now, pref, taster.startsAt),
        message: say.sessionCancelled({
          title: taster.title,
          when: say.whenText(taster.startsAt, taster.endsAt, pref.timeZone),
          reason: input.reason,
          was: signup.status as "booked" | "offered" | "waitlisted",
          ics: booked ? inviteFor(cancelled, now, true) : undefined,
        }),
      });
    }
    await refreshPosts(tx, taster.id, now);
    const counts = Object.fromEntries(rules.ACTIVE.map((status) => [status, active.filter((s) => s.status === status).length]));
    await audit(tx, now, byId, "taster.cancel_session", "Taster", taster.id, { reason: input.reason, ...counts });
    const paused = await tx.person.findMany({ where: { id: { in: notTold } }, select: { displayName: true } });
    return { taster: cancelled, told: active.length - notTold.length, notTold: paused.map((p) => p.displayName) };
  });
}

// ------------------------------------------------------------------ after the session

const followUpArgs = z.object({
  signupId: z.string().min(1),
  expectationsMet: z.enum(["yes", "partly", "no"]),
  wouldTakePart: z.enum(["yes", "maybe", "no"]),
  comment: optionalText(2000),
});

export async function saveFollowUp(ctx: CoreContext, personId: string, raw: unknown) {
  const input = parseInput(followUpArgs, raw, { expectationsMet: "Was it what you expected?", wouldTakePart: "Would you take part?", comment: "Anything else" });
  const now = ctx.clock.now();
  const signup = await ownSignup(ctx.db, input.signupId, personId);
  const taster = await ctx.db.taster.findUniqueOrThrow({ where: { id: signup.tasterId } });
  if (signup.status !== "booked") throw new WesaidError("not_allowed", say.tasterText.followUpNotBooked);
  if (now.getTime() < taster.endsAt.getTime()) throw new WesaidError("closed", say.tasterText.followUpTooEarly);
  await requireParticipation(ctx, personId, taster.programmeId);
  await ctx.db.$transaction(async (tx) => {
    await tx.tasterSignup.update({
      where: { id: signup.id },
      data: { expectationsMet: input.expectationsMet, wouldTakePart: input.wouldTakePart, followUpComment: input.comment ?? null },
    });
    await audit(tx, now, personId, "taster.followup", "TasterSignup", signup.id);
  });
  return input;
}

/** Marks whether someone with a place came; coming counts as time given. */
export async function markAttendance(ctx: CoreContext, actor: Actor, p: { signupId: string; attended: boolean }): Promise<{ name: string }> {
  const signup = await ctx.db.tasterSignup.findUnique({ where: { id: p.signupId }, include: { taster: true } });
  if (!signup) throw new WesaidError("not_found", say.tasterText.notFound);
  authorise(actor, "taster.attendance", signup.taster.programmeId);
  if (signup.status !== "booked") throw new WesaidError("invalid_input", say.tasterText.attendanceNotBooked);
  const now = ctx.clock.now();
  if (!rules.attendanceOpen(now, signup.taster.startsAt)) throw new WesaidError("closed", say.tasterText.attendanceTooEarly);
  await ctx.db.$transaction(async (tx) => {
    await setAttended(tx, ctx, signup, signup.taster, p.attended);
    await audit(tx, now, actor.person.id, "taster.attendance", "TasterSignup", signup.id, { attended: p.attended });
  });
  const person = await ctx.db.person.findUnique({ where: { id: signup.personId } });
  return { name: person?.displayName ?? "Someone" };
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

// ------------------------------------------------------------------ scheduled work

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
 * The day before: a reminder to everyone booked, outside their quiet hours.
 * Returns how many tasters it claimed (the core runs it again while that is above 0).
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
      for (const signup of taster.signups.filter((s) => s.status === "booked")) {
        const pref = await preferencesOf(tx, signup.personId);
        if (pref.pausedAt) continue;
        const sendAt = nextAllowedTime(now, pref);
        if (!rules.reminderStillUseful(sendAt, taster.startsAt)) continue;
        await enqueue(tx, now, {
          key: `taster:${taster.id}:reminder:${signup.personId}`,
          purpose: "taster.reminder",
          personId: signup.personId,
          programmeId: taster.programmeId,
          notBefore: sendAt,
          message: say.reminder(viewOf(taster, taster.signups, pref.timeZone)),
        });
      }
    });
  }
  return claimed;
}

/** After the session: "Was it what you expected?" to everyone booked who agreed to take part. */
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
      for (const signup of taster.signups.filter((s) => s.status === "booked" && s.attended !== false)) {
        const pref = await preferencesOf(tx, signup.personId);
        if (pref.pausedAt) continue;
        // Answers cannot be stored without agreement, so we do not ask for them.
        const consent = await consentState(tx, signup.personId, taster.programmeId, ctx.settings.consentPolicyVersion);
        if (consent.participation !== true) continue;
        await enqueue(tx, now, {
          key: `taster:${taster.id}:followup:${signup.personId}`,
          purpose: "taster.followup",
          personId: signup.personId,
          programmeId: taster.programmeId,
          notBefore: nextAllowedTime(now, pref),
          message: say.followUp({ title: taster.title, signupId: signup.id }),
        });
      }
    });
  }
  return claimed;
}

// ------------------------------------------------------------------ chat actions and commands

const tasterArgs = z.object({ tasterId: z.string().min(1) });
const signupArgs = z.object({ signupId: z.string().min(1) });
const attendanceArgs = z.object({ signupId: z.string().min(1), attended: z.enum(["yes", "no"]) });
const attendanceFormArgs = z.object({
  tasterId: z.string().min(1),
  attended: z.preprocess((v) => (typeof v === "string" ? v.split("\n").map((s) => s.trim()).filter(Boolean) : (v ?? [])), z.array(z.string()).max(1000)),
});

const line = (words: string): Message => message(words, para(words));
const privately = (words: string): Reply => ({ private: line(words) });

/** Refuses (not a member, or not allowed) when no programme of the actor's gives this capability. */
export function requireInSomeProgramme(actor: Actor, capability: Capability): void {
  const memberships = actor.memberships.filter((m) => !m.leftAt);
  if (memberships.length === 0) throw new WesaidError("not_a_member", accessText.notAMemberYet);
  if (!memberships.some((m) => roleCan(m.role, capability))) requireCapability(memberships[0]!, capability);
}

async function findTaster(ctx: CoreContext, tasterId: string): Promise<Taster> {
  const taster = await ctx.db.taster.findUnique({ where: { id: tasterId } });
  if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
  return taster;
}

function canSee(taster: Taster, membership: Membership): boolean {
  return taster.audienceRoles.length === 0 || taster.audienceRoles.includes(membership.role) || roleCan(membership.role, "taster.manage");
}

async function listUpcoming(ctx: CoreContext, actor: Actor): Promise<Reply> {
  const now = ctx.clock.now();
  const memberships = actor.memberships.filter((m) => !m.leftAt);
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

async function attendanceSheet(ctx: CoreContext, actor: Actor, tasterId: string): Promise<Reply> {
  const taster = await findTaster(ctx, tasterId);
  authorise(actor, "taster.attendance", taster.programmeId);
  const signups = await ctx.db.tasterSignup.findMany({ where: { tasterId, status: "booked" }, orderBy: { queuedAt: "asc" } });
  const people = await ctx.db.person.findMany({ where: { id: { in: signups.map((s) => s.personId) } } });
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  return {
    private: say.attendanceList({
      tasterId,
      title: taster.title,
      when: say.whenText(taster.startsAt, taster.endsAt, await timeZoneOf(ctx.db, actor.person.id)),
      people: signups.map((s) => ({ signupId: s.id, name: nameOf.get(s.personId) ?? "Someone", attended: s.attended })),
    }),
  };
}

export const tastersFeature: Feature = {
  name: "tasters",
  sweeps: [
    { name: "tasters.offers", run: sweepOffers },
    { name: "tasters.reminders", run: sweepReminders },
    { name: "tasters.followups", run: sweepFollowUps },
  ],
  actions: [
    { action: "taster.list", run: (ctx, actor) => listUpcoming(ctx, actor) },
    {
      action: "taster.new",
      async run(ctx, actor, args) {
        const membership = authorise(actor, "taster.manage", args.programmeId);
        return { private: say.newTasterForm({ programmeId: membership.programmeId, roles: PARTICIPANT_ROLES, timeZone: await timeZoneOf(ctx.db, actor.person.id) }) };
      },
    },
    {
      action: "taster.create",
      async run(ctx, actor, args) {
        const membership = authorise(actor, "taster.manage", args.programmeId);
        const taster = await createTaster(ctx, actor.person.id, { ...args, programmeId: membership.programmeId });
        const posts = postRefSchema.parse(taster.postRef).posts.length;
        return { replaceSource: say.tasterPost(viewOf(taster, [], await timeZoneOf(ctx.db, actor.person.id))), private: line(say.tasterText.created(taster.title, posts)) };
      },
    },
    {
      action: "taster.signup",
      async run(ctx, actor, args) {
        const { tasterId } = parseInput(tasterArgs, args);
        const taster = await findTaster(ctx, tasterId);
        const membership = authorise(actor, "taster.signup", taster.programmeId);
        const result = await signUp(ctx, { personId: actor.person.id, role: membership.role, tasterId });
        if (result.outcome === "booked") return privately(say.tasterText.booked(taster.title));
        if (result.outcome === "waitlisted") return privately(say.tasterText.waitlisted(taster.title, result.position));
        if (result.signup.status === "booked") return privately(say.tasterText.alreadyBooked(taster.title));
        if (result.signup.status === "offered") return privately(say.tasterText.alreadyOffered);
        return privately(say.tasterText.alreadyWaiting(result.position));
      },
    },
    {
      action: "taster.cancel",
      async run(ctx, actor, args) {
        const { tasterId } = parseInput(tasterArgs, args);
        const { taster, was } = await cancelPlace(ctx, { personId: actor.person.id, tasterId });
        if (was === "waitlisted") return privately(say.tasterText.leftWaitingList(taster.title));
        const view = viewOf(taster, [], await timeZoneOf(ctx.db, actor.person.id));
        return { private: say.placeCancelled(view, inviteFor(taster, ctx.clock.now(), true)) };
      },
    },
    {
      action: "taster.cancel_session.ask",
      async run(ctx, actor, args) {
        const { tasterId } = parseInput(tasterArgs, args);
        const taster = await findTaster(ctx, tasterId);
        authorise(actor, "taster.manage", taster.programmeId);
        if (taster.cancelledAt) throw new WesaidError("already_done", say.tasterText.alreadyCancelled(taster.title));
        if (ctx.clock.now().getTime() >= taster.endsAt.getTime()) throw new WesaidError("closed", say.tasterText.alreadyOver);
        const signups = await ctx.db.tasterSignup.findMany({ where: { tasterId, status: { in: [...rules.ACTIVE] } } });
        return {
          private: say.cancelSessionForm({
            tasterId,
            title: taster.title,
            when: say.whenText(taster.startsAt, taster.endsAt, await timeZoneOf(ctx.db, actor.person.id)),
            booked: signups.filter((s) => rules.holdsPlace(s.status)).length,
            waiting: signups.filter((s) => s.status === "waitlisted").length,
          }),
        };
      },
    },
    {
      action: "taster.cancel_session",
      async run(ctx, actor, args) {
        const input = parseInput(cancelSessionArgs, args, { reason: "Why it is cancelled" });
        const taster = await findTaster(ctx, input.tasterId);
        authorise(actor, "taster.manage", taster.programmeId);
        const result = await cancelSession(ctx, actor.person.id, input);
        return { replaceSource: line(say.tasterText.sessionCancelled(taster.title, result.told, result.notTold)) };
      },
    },
    {
      action: "taster.accept",
      async run(ctx, actor, args) {
        const { signupId } = parseInput(signupArgs, args);
        const { taster } = await acceptOffer(ctx, { personId: actor.person.id, signupId });
        return { replaceSource: await confirmationMessage(ctx.db, taster, actor.person.id, ctx.clock.now()) };
      },
    },
    {
      action: "taster.decline",
      async run(ctx, actor, args) {
        const { signupId } = parseInput(signupArgs, args);
        await declineOffer(ctx, { personId: actor.person.id, signupId });
        return { replaceSource: line(say.tasterText.offerDeclined) };
      },
    },
    {
      action: "taster.followup",
      async run(ctx, actor, args) {
        const answer = await saveFollowUp(ctx, actor.person.id, args);
        return { replaceSource: say.followUpSaved(answer) };
      },
    },
    {
      action: "taster.attendance",
      async run(ctx, actor, args) {
        const input = parseInput(attendanceArgs, args, { attended: "Came" });
        const { name } = await markAttendance(ctx, actor, { signupId: input.signupId, attended: input.attended === "yes" });
        return privately(say.tasterText.attendanceSaved(name, input.attended === "yes"));
      },
    },
    {
      action: "taster.attendance.pick",
      async run(ctx, actor) {
        const now = ctx.clock.now();
        const programmeIds = actor.memberships.filter((m) => !m.leftAt && roleCan(m.role, "taster.attendance")).map((m) => m.programmeId);
        if (programmeIds.length === 0) requireInSomeProgramme(actor, "taster.attendance");
        const tasters = await ctx.db.taster.findMany({
          where: { programmeId: { in: programmeIds }, cancelledAt: null, startsAt: { lte: now, gte: new Date(now.getTime() - 30 * DAY) } },
          orderBy: { startsAt: "desc" },
          take: 20,
        });
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        return { private: say.attendancePick({ tasters: tasters.map((t) => ({ id: t.id, title: t.title, when: formatWhen(t.startsAt, timeZone) })) }) };
      },
    },
    {
      action: "taster.attendance.list",
      async run(ctx, actor, args) {
        return attendanceSheet(ctx, actor, parseInput(tasterArgs, args).tasterId);
      },
    },
    {
      action: "taster.attendance.save",
      async run(ctx, actor, args) {
        const input = parseInput(attendanceFormArgs, args, { attended: "Who came" });
        const taster = await findTaster(ctx, input.tasterId);
        authorise(actor, "taster.attendance", taster.programmeId);
        const now = ctx.clock.now();
        if (!rules.attendanceOpen(now, taster.startsAt)) throw new WesaidError("closed", say.tasterText.attendanceTooEarly);
        const booked = await ctx.db.tasterSignup.findMany({ where: { tasterId: taster.id, status: "booked" } });
        const came = new Set(input.attended);
        if ([...came].some((id) => !booked.some((s) => s.id === id))) throw new WesaidError("invalid_input", say.tasterText.attendanceNotBooked);
        await ctx.db.$transaction(async (tx) => {
          for (const signup of booked) await setAttended(tx, ctx, signup, taster, came.has(signup.id));
          await audit(tx, now, actor.person.id, "taster.attendance", "Taster", taster.id, { attended: came.size });
        });
        const sheet = await attendanceSheet(ctx, actor, taster.id);
        return { replaceSource: sheet.private, private: line(say.tasterText.attendanceAllSaved(came.size)) };
      },
    },
  ],
  commands: [
    {
      name: "taster",
      aliases: ["tasters"],
      usage: "taster",
      summary: "See taster sessions coming up and sign up. Facilitators: taster new adds one, taster attendance marks who came.",
      toAction(rest) {
        const word = rest.trim().toLowerCase();
        if (word === "new") return { action: "taster.new", args: {} };
        if (word === "attendance") return { action: "taster.attendance.pick", args: {} };
        return { action: "taster.list", args: {} };
      },
    },
  ],
};
