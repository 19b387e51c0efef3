import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { LearningSet } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { tellPeople } from "../gate.ts";
import { audit } from "../audit.ts";
import { optionalText, parseInput, text } from "../validation.ts";
import { formatWhen } from "../time.ts";
import { timeZoneOf } from "../people/index.ts";
import { audienceText, DEFAULT_OFFER_HOLD_HOURS, holdsPlace, offerHoldHoursField, placesLeft, roleList, signupOutcome, waitlistPosition } from "../tasters/index.ts";
import { whenField } from "../calendar/index.ts";
import { DEFAULT_MEETING_MINUTES, DEFAULT_MEETINGS, meetingStarts, parseDateList, parseHowOften, scheduleOfSet, setOpen, type SetSchedule } from "./set-rules.ts";
import { addToComingMeetings, asSignups, lockSet, offerSetPlaces } from "./set-offers.ts";
import * as say from "./set-catalogue.ts";

/**
 * Action learning sets: setting one up, and people's places in it. Places follow the taster rules
 * (booked while there is room, then a waiting list, first come first served) behind the set's row lock.
 * Members are kept on the set's meetings still to come, so the panel sweeps remind and debrief them.
 * Callers have checked who may act (the registry).
 */

export const SET_LABELS = {
  name: "Name of the group",
  purpose: "What is it for",
  first: "First meeting",
  howOften: "How often",
  meetings: "How many meetings",
  hours: "How long is each meeting",
  capacity: "How many people can be in the group",
  location: "Where it meets",
  onlineUrl: "Online link",
  offerHoldHours: "Hold a freed place for",
  audienceRoles: "Who may join",
};

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** The fields a set is created with and can be changed later: checked the same way both times. */
export const setDetails = {
  name: text(120),
  purpose: optionalText(2000),
  hours: z.preprocess(blankToUndefined, z.coerce.number().min(0.25).max(12).optional()),
  capacity: z.coerce.number().int().min(2).max(100),
  location: optionalText(300),
  onlineUrl: optionalText(500),
  offerHoldHours: offerHoldHoursField,
};

/** An online link must be a web address; checked for a new set and a changed one. */
export function checkLink(v: { onlineUrl?: string }, c: z.RefinementCtx): void {
  if (v.onlineUrl && !/^https?:\/\/\S+$/i.test(v.onlineUrl)) c.addIssue({ code: "custom", message: say.setText.badLink, path: ["onlineUrl"] });
}

export function setInputSchema(now: Date, timeZone: string) {
  return z
    .object({
      programmeId: z.string().min(1),
      ...setDetails,
      first: whenField(SET_LABELS.first, timeZone, say.setText.badTime),
      howOften: text(1000),
      meetings: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(52).optional()),
      audienceRoles: roleList,
    })
    .superRefine((v, c) => {
      checkLink(v, c);
      if (v.first.getTime() <= now.getTime()) c.addIssue({ code: "custom", message: say.setText.inPast, path: ["first"] });
      if (!parseHowOften(v.howOften) && !parseDateList(v.howOften, timeZone)) c.addIssue({ code: "custom", message: say.setText.badHowOften, path: ["howOften"] });
    });
}
export type SetInput = z.input<ReturnType<typeof setInputSchema>>;

const field = z.string().max(4000).optional();
/** The "set up a learning set" form as it arrives: text fields. */
export const setForm = z.object({
  programmeId: z.string().min(1).max(100).optional(),
  name: field,
  purpose: field,
  first: field,
  howOften: field,
  meetings: field,
  hours: field,
  capacity: field,
  location: field,
  onlineUrl: field,
  offerHoldHours: field,
  audienceRoles: field,
});

/** "every 3 months" from the first meeting, or the first meeting and the dates listed. */
function scheduleOf(data: { first: Date; howOften: string; meetings?: number }, timeZone: string): SetSchedule {
  const repeat = parseHowOften(data.howOften);
  if (repeat) return { kind: "every", ...repeat, first: data.first.toISOString(), count: data.meetings ?? DEFAULT_MEETINGS };
  const later = (parseDateList(data.howOften, timeZone) ?? []).filter((d) => d.getTime() > data.first.getTime());
  return { kind: "dates", dates: [data.first, ...later].slice(0, 52).map((d) => d.toISOString()) };
}

/** Sets up a learning set. Its meetings are planned by the sweep (set-sweeps.ts), four weeks ahead of each. */
export async function createLearningSet(ctx: CoreContext, byId: string, input: SetInput | Record<string, unknown>): Promise<LearningSet> {
  const now = ctx.clock.now();
  const timeZone = await timeZoneOf(ctx.db, byId);
  const data = parseInput(setInputSchema(now, timeZone), input, SET_LABELS);
  return ctx.db.$transaction(async (tx) => {
    const set = await tx.learningSet.create({
      data: {
        programmeId: data.programmeId,
        name: data.name,
        purpose: data.purpose ?? "",
        schedule: scheduleOf(data, timeZone),
        meetingMinutes: data.hours ? Math.round(data.hours * 60) : DEFAULT_MEETING_MINUTES,
        capacity: data.capacity,
        location: data.location ?? null,
        onlineUrl: data.onlineUrl ?? null,
        offerHoldHours: data.offerHoldHours ?? DEFAULT_OFFER_HOLD_HOURS,
        audienceRoles: data.audienceRoles,
        timeZone,
        createdById: byId,
        createdAt: now,
        planDueAt: now,
      },
    });
    await audit(tx, now, byId, "learningset.create", "LearningSet", set.id, { name: set.name, capacity: set.capacity });
    return set;
  });
}

export { scheduleOfSet };

export type JoinResult = { outcome: "booked" | "already" | "offered" } | { outcome: "waitlisted" | "already_waiting"; position: number };

/** Joins the group if there is room and nobody is waiting, else the waiting list. */
export async function joinLearningSet(ctx: CoreContext, p: { personId: string; role: Role; setId: string }): Promise<JoinResult & { set: LearningSet }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, p.setId);
    if (set.endedAt) throw new WesaidError("closed", say.setText.ended(set.name));
    if (!setOpen(scheduleOfSet(set), set.timeZone, now)) throw new WesaidError("closed", say.setText.closed);
    if (set.audienceRoles.length > 0 && !set.audienceRoles.includes(p.role)) throw new WesaidError("not_allowed", say.setText.wrongRole(audienceText(set.audienceRoles)));
    const places = asSignups(await tx.learningSetPlace.findMany({ where: { setId: set.id } }));
    const mine = places.find((s) => s.personId === p.personId);
    if (mine?.status === "booked") return { set, outcome: "already" };
    if (mine?.status === "offered") return { set, outcome: "offered" };
    if (mine) return { set, outcome: "already_waiting", position: waitlistPosition(places, mine.id) };
    const status = signupOutcome(set.capacity, places);
    await tx.learningSetPlace.create({ data: { setId: set.id, personId: p.personId, role: p.role, status, queuedAt: now } });
    await audit(tx, now, p.personId, "learningset.join", "LearningSet", set.id, { status });
    if (status === "booked") {
      await addToComingMeetings(tx, set.id, p, now);
      return { set, outcome: "booked" };
    }
    const after = asSignups(await tx.learningSetPlace.findMany({ where: { setId: set.id } }));
    return { set, outcome: "waitlisted", position: waitlistPosition(after, p.personId) };
  });
}

/**
 * Leaves the group (or its waiting list, or an offer). A place freed is offered to the first person
 * waiting (set-offers.ts). Meetings already held keep the person on them, so a reflection still open
 * can be answered.
 */
export async function leaveLearningSet(ctx: CoreContext, p: { personId: string; setId: string }): Promise<LearningSet> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, p.setId);
    const mine = await tx.learningSetPlace.findUnique({ where: { setId_personId: { setId: set.id, personId: p.personId } } });
    if (!mine) throw new WesaidError("not_found", say.setText.notIn);
    await tx.learningSetPlace.delete({ where: { setId_personId: { setId: set.id, personId: p.personId } } });
    await tx.panelMember.deleteMany({ where: { personId: p.personId, panel: { learningSetId: set.id, startsAt: { gt: now } } } });
    await audit(tx, now, p.personId, "learningset.leave", "LearningSet", set.id);
    if (holdsPlace(mine.status)) await offerSetPlaces(tx, set, now);
    return set;
  });
}

/** The sets of the person's programmes, with their own place in each. */
export async function setViews(ctx: CoreContext, personId: string, programmeIds: string[], timeZone: string): Promise<say.SetView[]> {
  const now = ctx.clock.now();
  const sets = await ctx.db.learningSet.findMany({ where: { programmeId: { in: programmeIds } }, include: { places: true }, orderBy: { createdAt: "asc" }, take: 50 });
  return sets.map((set) => {
    const schedule = scheduleOfSet(set);
    const starts = meetingStarts(schedule, set.timeZone);
    const next = starts.find((d) => d.getTime() > now.getTime());
    const places = asSignups(set.places);
    const mine = places.find((s) => s.personId === personId);
    return {
      id: set.id,
      programmeId: set.programmeId,
      name: set.name,
      purpose: set.purpose,
      howOften:
        schedule.kind === "every"
          ? say.howOftenText(schedule)
          : say.howOftenText({ count: starts.length, dates: starts.map((d) => formatWhen(d, timeZone)) }),
      nextMeeting: next ? formatWhen(next, timeZone) : null,
      audience: audienceText(set.audienceRoles),
      capacity: set.capacity,
      members: places.filter((s) => s.status === "booked").length,
      placesLeft: placesLeft(set.capacity, places),
      waiting: places.filter((s) => s.status === "waitlisted").length,
      mine: !mine ? null : mine.status === "waitlisted" ? { status: "waitlisted", position: waitlistPosition(places, mine.id) } : { status: mine.status === "offered" ? "offered" : "booked" },
      open: setOpen(schedule, set.timeZone, now, set.endedAt),
      ended: set.endedAt !== null,
    };
  });
}

/**
 * Ends a set early: no more meetings are planned (those planned but not yet held are called off), nobody
 * can join, and everyone in it, offered a place or waiting is told once. Meetings held keep their reflections.
 */
export async function endLearningSet(ctx: CoreContext, byId: string, setId: string): Promise<LearningSet> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, setId);
    const claim = await tx.learningSet.updateMany({ where: { id: set.id, endedAt: null }, data: { endedAt: now, planDueAt: null } });
    if (claim.count === 0) throw new WesaidError("already_done", say.setText.alreadyEnded(set.name));
    const calledOff = await tx.panel.deleteMany({ where: { learningSetId: set.id, startsAt: { gt: now } } });
    const places = await tx.learningSetPlace.findMany({ where: { setId: set.id } });
    await tx.learningSetPlace.deleteMany({ where: { setId: set.id, status: { not: "booked" } } });
    const wasIn = new Map(places.map((p) => [p.personId, p.status === "booked"]));
    await tellPeople(tx, now, { kind: "panel", programmeId: set.programmeId, personIds: places.map((p) => p.personId) }, (personId) => ({
      key: `learningset:${set.id}:ended:${personId}`,
      purpose: "learningset.ended",
      message: say.setEnded({ name: set.name, member: wasIn.get(personId) ?? false }),
    }));
    await audit(tx, now, byId, "learningset.end", "LearningSet", set.id, { meetingsCalledOff: calledOff.count });
    return { ...set, endedAt: now, planDueAt: null };
  });
}
