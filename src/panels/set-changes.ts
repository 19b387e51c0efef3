import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { LearningSet } from "../generated/prisma/client.ts";
import { MINUTE } from "../clock.ts";
import { tellPeople } from "../gate.ts";
import { audit } from "../audit.ts";
import { parseInput } from "../validation.ts";
import { formatWhen } from "../time.ts";
import { timeZoneOf } from "../people/index.ts";
import { holdsPlace } from "../tasters/index.ts";
import { panelSchedule } from "./rules.ts";
import { meetingStarts, parseDateList, scheduleOfSet, type SetSchedule } from "./set-rules.ts";
import { checkLink, SET_LABELS, setDetails } from "./sets.ts";
import { lockSet, offerSetPlaces } from "./set-offers.ts";
import * as say from "./set-catalogue.ts";

/**
 * Changing a learning set after it is set up: its name, purpose, the meetings still to come, how long
 * they last, where they are, how many places and how long a freed place is held. Meetings already
 * started stay as they were. Meetings already planned (a panel) move with their new times: the reminder
 * follows the new time (the panel's due time changes; the reminder's key names the time, so a meeting
 * is reminded once per time), and the reflection follows the new end. The people in the group, and
 * anyone holding an offered place, are told privately what changed. Callers have checked who may act.
 */

export const CHANGE_LABELS = { ...SET_LABELS, coming: "Meetings still to come" };

const field = z.string().max(4000).optional();
/** The "change the group" form as it arrives: text fields. */
export const changeForm = z.object({
  setId: z.string().min(1).max(100),
  name: field,
  purpose: field,
  coming: field,
  hours: field,
  capacity: field,
  location: field,
  onlineUrl: field,
  offerHoldHours: field,
});

function changeSchema(now: Date, timeZone: string) {
  return z
    .object({ ...setDetails, coming: z.string().trim().max(1000).optional() })
    .superRefine((v, c) => checkLink(v, c))
    .transform((v, c) => {
      if (!v.coming) {
        c.addIssue({ code: "custom", message: say.setText.comingNeeded, path: ["coming"] });
        return z.NEVER;
      }
      const coming = parseDateList(v.coming, timeZone);
      if (!coming) {
        c.addIssue({ code: "custom", message: say.setText.badComing, path: ["coming"] });
        return z.NEVER;
      }
      const past = coming.find((d) => d.getTime() <= now.getTime());
      if (past) {
        c.addIssue({ code: "custom", message: say.setText.comingInPast(formatWhen(past, timeZone)), path: ["coming"] });
        return z.NEVER;
      }
      return { ...v, coming };
    });
}
export type SetChangeInput = z.input<typeof changeForm>;

const dateText = (d: Date, timeZone: string) => {
  const local = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
  return local.replace(",", "");
};

/** The set as the change form shows it: meetings still to come written as the facilitator would type them. */
export async function setAsItIs(ctx: CoreContext, byId: string, set: LearningSet): Promise<say.SetNow & { timeZone: string }> {
  const now = ctx.clock.now();
  const timeZone = await timeZoneOf(ctx.db, byId);
  const coming = meetingStarts(scheduleOfSet(set), set.timeZone).filter((d) => d.getTime() > now.getTime());
  return {
    id: set.id,
    name: set.name,
    purpose: set.purpose,
    coming: coming.map((d) => dateText(d, timeZone)).join(", "),
    hours: set.meetingMinutes / 60,
    capacity: set.capacity,
    location: set.location ?? "",
    onlineUrl: set.onlineUrl ?? "",
    offerHoldHours: set.offerHoldHours,
    timeZone,
  };
}

const same = (a: Date[], b: Date[]) => a.length === b.length && a.every((d, i) => d.getTime() === b[i]!.getTime());

/** The changes people in the group are told of; times are written in each reader's own time zone. */
function changesFor(before: LearningSet, after: { name: string; meetingMinutes: number; location: string | null; onlineUrl: string | null }, held: number, was: Date[], now: Date[]) {
  return (timeZone: string): say.SetChange[] => {
    const out: say.SetChange[] = [];
    if (after.name !== before.name) out.push({ kind: "renamed", from: before.name, to: after.name });
    for (let i = 0; i < Math.max(was.length, now.length); i++) {
      const number = held + i + 1;
      const [from, to] = [was[i], now[i]];
      if (from && to && from.getTime() !== to.getTime()) out.push({ kind: "moved", number, from: formatWhen(from, timeZone), to: formatWhen(to, timeZone) });
      else if (from && !to) out.push({ kind: "calledOff", number, when: formatWhen(from, timeZone) });
      else if (!from && to) out.push({ kind: "added", number, when: formatWhen(to, timeZone) });
    }
    if (after.meetingMinutes !== before.meetingMinutes) out.push({ kind: "length", hours: after.meetingMinutes / 60 });
    if (after.location !== before.location) out.push({ kind: "place", location: after.location });
    if (after.onlineUrl !== before.onlineUrl) out.push({ kind: "link", url: after.onlineUrl });
    return out;
  };
}

export type SetChanged = { set: LearningSet; told: number; changed: boolean };

/** Saves a facilitator's changes to a set (see above). Refuses fewer places than people holding one: nobody is dropped. */
export async function changeLearningSet(ctx: CoreContext, byId: string, setId: string, input: SetChangeInput | Record<string, unknown>): Promise<SetChanged> {
  const now = ctx.clock.now();
  const timeZone = await timeZoneOf(ctx.db, byId);
  const data = parseInput(changeSchema(now, timeZone), input, CHANGE_LABELS);
  return ctx.db.$transaction(async (tx) => {
    const set = await lockSet(tx, setId);
    if (set.endedAt) throw new WesaidError("closed", say.setText.alreadyEnded(set.name));
    const places = await tx.learningSetPlace.findMany({ where: { setId: set.id } });
    const holding = places.filter((p) => holdsPlace(p.status)).length;
    if (data.capacity < holding) throw new WesaidError("invalid_input", say.setText.tooSmall(holding));

    const starts = meetingStarts(scheduleOfSet(set), set.timeZone);
    const held = starts.filter((d) => d.getTime() <= now.getTime());
    const was = starts.slice(held.length);
    const coming = data.coming.slice(0, 52 - held.length);
    const schedule: SetSchedule = same(was, coming) ? scheduleOfSet(set) : { kind: "dates", dates: [...held, ...coming].map((d) => d.toISOString()) };
    const meetingMinutes = data.hours ? Math.round(data.hours * 60) : set.meetingMinutes;
    const after = { name: data.name, purpose: data.purpose ?? "", meetingMinutes, location: data.location ?? null, onlineUrl: data.onlineUrl ?? null };

    // Meetings already planned, in time order, take the new times in order; any left over are called off.
    const planned = await tx.panel.findMany({ where: { learningSetId: set.id, startsAt: { gt: now } }, orderBy: { startsAt: "asc" } });
    for (const [i, panel] of planned.entries()) {
      const startsAt = coming[i];
      if (!startsAt) {
        await tx.panel.delete({ where: { id: panel.id } });
        continue;
      }
      const endsAt = new Date(startsAt.getTime() + meetingMinutes * MINUTE);
      const moved = startsAt.getTime() !== panel.startsAt.getTime();
      const due = panelSchedule({ startsAt, endsAt, reminder: true });
      await tx.panel.update({
        where: { id: panel.id },
        data: {
          title: `${after.name}: meeting ${panel.meetingNumber}`,
          purpose: after.purpose,
          startsAt,
          endsAt,
          debriefDueAt: due.debriefDueAt,
          // Unmoved, a reminder already sent stays sent; moved, it is due again for the new time.
          ...(moved ? { prepDueAt: due.prepDueAt } : {}),
        },
      });
    }
    const updated = await tx.learningSet.update({
      where: { id: set.id },
      data: {
        ...after,
        schedule,
        capacity: data.capacity,
        offerHoldHours: data.offerHoldHours ?? set.offerHoldHours,
        plannedMeetings: held.length + Math.min(planned.length, coming.length),
        // The planning sweep looks again at once, with the new times.
        planDueAt: now,
      },
    });
    if (updated.capacity > set.capacity) await offerSetPlaces(tx, updated, now);

    const changes = changesFor(set, after, held.length, was, coming);
    const kinds = changes("UTC").map((c) => c.kind);
    const inIt = places.filter((p) => holdsPlace(p.status)).map((p) => p.personId);
    const told =
      kinds.length === 0
        ? []
        : await tellPeople(tx, now, { kind: "panel", programmeId: set.programmeId, personIds: inIt }, (personId, zone) => ({
            key: `learningset:${set.id}:changed:${now.getTime()}:${personId}`,
            purpose: "learningset.changed",
            message: say.setChanged({ name: after.name, changes: changes(zone) }),
          }));
    await audit(tx, now, byId, "learningset.change", "LearningSet", set.id, { changes: kinds, capacity: data.capacity });
    return { set: updated, told: told.length, changed: kinds.length > 0 };
  });
}
