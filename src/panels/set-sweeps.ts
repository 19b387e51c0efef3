import type { CoreContext } from "../context.ts";
import { MINUTE } from "../clock.ts";
import { audit } from "../audit.ts";
import { panelSchedule } from "./rules.ts";
import { planStep } from "./set-rules.ts";
import { scheduleOfSet } from "./set-rules.ts";

const BATCH = 100;

/**
 * Plans each learning set's next meeting four weeks ahead: a panel with the set's members on it, so the
 * panel sweeps send the reminder the day before and the reflection (debrief) after. The set's row is
 * claimed by its count of planned meetings, and the meeting is unique per (set, number), so two sweeps
 * at once plan it once. Returns meetings planned.
 */
export async function sweepSetMeetings(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.learningSet.findMany({ where: { planDueAt: { lte: now } }, select: { id: true }, take: BATCH });
  let planned = 0;
  for (const { id } of due) {
    await ctx.db.$transaction(async (tx) => {
      const set = await tx.learningSet.findUnique({ where: { id } });
      if (!set || !set.planDueAt || set.planDueAt.getTime() > now.getTime()) return;
      const step = planStep({ schedule: scheduleOfSet(set), timeZone: set.timeZone, plannedMeetings: set.plannedMeetings }, now);
      const claim = (data: { plannedMeetings?: number; planDueAt: Date | null }) =>
        tx.learningSet.updateMany({ where: { id, plannedMeetings: set.plannedMeetings, planDueAt: { lte: now } }, data });
      if (step.kind === "done") return void (await claim({ planDueAt: null }));
      if (step.kind === "wait") return void (await claim({ planDueAt: step.until }));
      if ((await claim({ plannedMeetings: step.number, planDueAt: step.nextDueAt })).count === 0) return;
      const endsAt = new Date(step.startsAt.getTime() + set.meetingMinutes * MINUTE);
      const { prepDueAt, debriefDueAt } = panelSchedule({ startsAt: step.startsAt, endsAt, prepPrompt: null, reminder: true });
      const made = await tx.panel.createManyAndReturn({
        data: [
          {
            programmeId: set.programmeId,
            title: `${set.name}: meeting ${step.number}`,
            purpose: set.purpose,
            startsAt: step.startsAt,
            endsAt,
            learningSetId: set.id,
            meetingNumber: step.number,
            prepDueAt,
            debriefDueAt,
            createdById: set.createdById,
            createdAt: now,
          },
        ],
        skipDuplicates: true,
      });
      const meeting = made[0];
      if (!meeting) return;
      planned++;
      const members = await tx.learningSetPlace.findMany({ where: { setId: set.id, status: "booked" } });
      await tx.panelMember.createMany({ data: members.map((m) => ({ panelId: meeting.id, personId: m.personId, role: m.role })) });
      await audit(tx, now, null, "learningset.meeting", "Panel", meeting.id, { setId: set.id, meeting: step.number });
    });
  }
  return planned;
}
