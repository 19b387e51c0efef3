import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { LearningSet, LearningSetPlace } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { recipient } from "../gate.ts";
import { enqueue } from "../outbox.ts";
import { audit } from "../audit.ts";
import { optionalText, parseInput, text } from "../validation.ts";
import { formatWhen } from "../time.ts";
import { timeZoneOf } from "../people/index.ts";
import { audienceText, roleList, signupOutcome, waitingQueue, waitlistPosition } from "../tasters/index.ts";
import { whenField } from "../calendar/index.ts";
import { DEFAULT_MEETING_MINUTES, DEFAULT_MEETINGS, meetingStarts, parseDateList, parseHowOften, setOpen, setSchedule, type SetSchedule } from "./set-rules.ts";
import * as say from "./set-catalogue.ts";

/**
 * Action learning sets: setting one up, and people's places in it. Places follow the taster rules
 * (booked while there is room, then a waiting list, first come first served) behind the set's row lock.
 * Members are kept on the set's meetings still to come, so the panel sweeps remind and debrief them.
 * Callers have checked who may act (the registry).
 */

export const SET_LABELS = { name: "Name of the group", purpose: "What is it for", first: "First meeting", howOften: "How often", meetings: "How many meetings", hours: "How long is each meeting", capacity: "How many people can be in the group", audienceRoles: "Who may join" };

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export function setInputSchema(now: Date, timeZone: string) {
  return z
    .object({
      programmeId: z.string().min(1),
      name: text(120),
      purpose: optionalText(2000),
      first: whenField(SET_LABELS.first, timeZone, say.setText.badTime),
      howOften: text(1000),
      meetings: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(52).optional()),
      hours: z.preprocess(blankToUndefined, z.coerce.number().min(0.25).max(12).optional()),
      capacity: z.coerce.number().int().min(2).max(100),
      audienceRoles: roleList,
    })
    .superRefine((v, c) => {
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

export const scheduleOfSet = (set: LearningSet): SetSchedule => setSchedule.parse(set.schedule);

async function lockSet(tx: DbTx, id: string): Promise<LearningSet> {
  await tx.$queryRaw`SELECT "id" FROM "LearningSet" WHERE "id" = ${id} FOR UPDATE`;
  const set = await tx.learningSet.findUnique({ where: { id } });
  if (!set) throw new WesaidError("not_found", say.setText.notFound);
  return set;
}

const asSignups = (places: LearningSetPlace[]) => places.map((p) => ({ ...p, id: p.personId }));

/** Puts a member on the set's meetings still to come (the panel sweeps then remind and debrief them). */
async function addToComingMeetings(tx: DbTx, setId: string, place: { personId: string; role: Role }, now: Date): Promise<void> {
  const coming = await tx.panel.findMany({ where: { learningSetId: setId, startsAt: { gt: now } }, select: { id: true } });
  await tx.panelMember.createMany({ data: coming.map((p) => ({ panelId: p.id, personId: place.personId, role: place.role })), skipDuplicates: true });
}

export type JoinResult = { outcome: "booked" | "already" } | { outcome: "waitlisted" | "already_waiting"; position: number };

/** Joins the group if there is room and nobody is waiting, else the waiting list. */
export async function joinLearningSet(ctx: CoreContext, p: { personId: string; role: Role; setId: string }): Promise<JoinResult & { set: LearningSet }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, p.setId);
    if (!setOpen(scheduleOfSet(set), set.timeZone, now)) throw new WesaidError("closed", say.setText.closed);
    if (set.audienceRoles.length > 0 && !set.audienceRoles.includes(p.role)) throw new WesaidError("not_allowed", say.setText.wrongRole(audienceText(set.audienceRoles)));
    const places = asSignups(await tx.learningSetPlace.findMany({ where: { setId: set.id } }));
    const mine = places.find((s) => s.personId === p.personId);
    if (mine?.status === "booked") return { set, outcome: "already" };
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
 * Leaves the group (or its waiting list). A place freed goes to the first person waiting, who is told
 * (through the gate) and can give it up the same way. Meetings already held keep the person on them,
 * so a reflection still open can be answered.
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
    if (mine.status === "booked") await offerFreedPlace(tx, set, now);
    return set;
  });
}

async function offerFreedPlace(tx: DbTx, set: LearningSet, now: Date): Promise<void> {
  const places = asSignups(await tx.learningSetPlace.findMany({ where: { setId: set.id } }));
  const booked = places.filter((s) => s.status === "booked").length;
  const next = waitingQueue(places)[0];
  if (!next || booked >= set.capacity) return;
  await tx.learningSetPlace.update({ where: { setId_personId: { setId: set.id, personId: next.personId } }, data: { status: "booked" } });
  await addToComingMeetings(tx, set.id, next, now);
  await audit(tx, now, null, "learningset.place_freed", "LearningSet", set.id);
  const decision = await recipient(tx, now, { kind: "panel", programmeId: set.programmeId, personId: next.personId });
  if (!decision.send) return;
  await enqueue(tx, now, {
    key: `learningset:${set.id}:freed:${next.personId}:${now.getTime()}`,
    purpose: "learningset.freed",
    personId: next.personId,
    programmeId: set.programmeId,
    notBefore: decision.at,
    message: say.placeFreed({ name: set.name, setId: set.id }),
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
      waiting: places.filter((s) => s.status === "waitlisted").length,
      mine: mine ? (mine.status === "booked" ? { status: "booked" } : { status: "waitlisted", position: waitlistPosition(places, mine.id) }) : null,
      open: setOpen(schedule, set.timeZone, now),
    };
  });
}
