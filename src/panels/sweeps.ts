import type { CoreContext } from "../context.ts";
import { recipients, tellPeople } from "../gate.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import { formatDate } from "../time.ts";
import { debriefClosesAt, debriefWindow, prepStillUseful } from "./rules.ts";
import { inviteFor, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";
import * as setSay from "./set-catalogue.ts";

/** Scheduled work: each finds what is due at `now`, claims it, and asks the gate once per panel. */

const BATCH = 100;

/** The day before: the prep prompt (or a learning set's reminder) to each member, when the gate allows, while still before the start. Returns panels claimed. */
export async function sweepPrep(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.panel.findMany({ where: { prepDueAt: { lte: now } }, select: { id: true }, take: BATCH });
  let claimed = 0;
  for (const { id } of due) {
    await ctx.db.$transaction(async (tx) => {
      const claim = await tx.panel.updateMany({ where: { id, prepDueAt: { lte: now } }, data: { prepDueAt: null } });
      if (claim.count === 0) return;
      claimed++;
      const panel = await tx.panel.findUniqueOrThrow({ where: { id }, include: { members: true, learningSet: { select: { location: true, onlineUrl: true } } } });
      const reminder = Boolean(panel.learningSetId);
      if ((!panel.prepPrompt && !reminder) || !prepStillUseful(now, panel.startsAt)) return;
      const decisions = await recipients(tx, now, { kind: "panel", programmeId: panel.programmeId, personIds: panel.members.map((m) => m.personId) });
      const items: Outgoing[] = [];
      for (const [personId, decision] of decisions) {
        if (!decision.send || !prepStillUseful(decision.at, panel.startsAt)) continue;
        items.push({
          // A set's meeting is reminded once per time it is at: moved, it is reminded again for its new time, never twice for one.
          key: reminder ? `learningset:${panel.learningSetId}:reminder:${panel.startsAt.getTime()}:${personId}` : `panel:${panel.id}:prep:${personId}`,
          purpose: reminder ? "learningset.reminder" : "panel.prep",
          personId,
          programmeId: panel.programmeId,
          notBefore: decision.at,
          message: reminder
            ? setSay.setReminder(viewOf(panel, panel.members, decision.timeZone), inviteFor(panel, now, panel.learningSet), panel.learningSet!)
            : say.prepPrompt(viewOf(panel, panel.members, decision.timeZone), panel.prepPrompt!),
        });
      }
      await enqueue(tx, now, ...items);
    });
  }
  return claimed;
}

/**
 * When a panel ends: the debrief form to each member, when the gate allows (it
 * asks only people who agreed to take part: answers cannot be stored without
 * agreement). Returns panels claimed.
 */
export async function sweepDebriefs(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.panel.findMany({ where: { debriefDueAt: { lte: now } }, select: { id: true }, take: BATCH });
  let claimed = 0;
  for (const { id } of due) {
    await ctx.db.$transaction(async (tx) => {
      const claim = await tx.panel.updateMany({ where: { id, debriefDueAt: { lte: now } }, data: { debriefDueAt: null } });
      if (claim.count === 0) return;
      claimed++;
      const panel = await tx.panel.findUniqueOrThrow({ where: { id }, include: { members: true } });
      if (debriefWindow(now, panel.endsAt) !== "open") return;
      await tellPeople(tx, now, { kind: "followup", programmeId: panel.programmeId, personIds: panel.members.map((m) => m.personId) }, (personId, timeZone) => ({
        key: `panel:${panel.id}:debrief:${personId}`,
        purpose: "panel.debrief",
        message: say.debriefForm(viewOf(panel, panel.members, timeZone), { closes: formatDate(debriefClosesAt(panel.endsAt), timeZone) }),
      }));
    });
  }
  return claimed;
}
