import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { DebriefResponse, Panel, PanelMember } from "../generated/prisma/client.ts";
import { ROLE_LABELS, ROLES, type Role } from "../roles.ts";
import { answerLabeller, countPeopleByRole, SOMEONE } from "../suppression.ts";
import { audit } from "../audit.ts";
import { optionalText } from "../validation.ts";
import { formatDate } from "../time.ts";
import { recordContribution } from "../people/index.ts";
import { debriefClosesAt, debriefWindow, listenedCounts } from "./rules.ts";
import * as say from "./catalogue.ts";

/**
 * Debriefs: what members say after a panel, and what organisers see of it.
 * The caller has checked consent (the registry, for the answer) and the organiser's role (for the summary).
 */

export const debriefArgs = z.object({
  panelId: z.string().min(1).max(100),
  wentWell: optionalText(2000),
  couldImprove: optionalText(2000),
  listenedTo: z.enum(["yes", "partly", "no"]),
  changeNextTime: optionalText(2000),
});
export type DebriefInput = z.output<typeof debriefArgs>;
export const DEBRIEF_LABELS = { wentWell: "What went well?", couldImprove: "What could be better?", listenedTo: "Did you feel listened to?", changeNextTime: "Anything you would change next time?" };

/** The person's place on the panel; only people on it answer its debrief. */
export async function memberOf(db: DbTx, panel: Panel, personId: string): Promise<PanelMember> {
  const member = await db.panelMember.findUnique({ where: { panelId_personId: { panelId: panel.id, personId } } });
  if (!member) throw new WesaidError("not_allowed", say.panelText.notMember);
  return member;
}

export function requireDebriefOpen(panel: Panel, now: Date, timeZone: string): void {
  const state = debriefWindow(now, panel.endsAt);
  if (state === "early") throw new WesaidError("closed", say.panelText.tooEarly);
  if (state === "closed") throw new WesaidError("closed", say.panelText.windowClosed(formatDate(debriefClosesAt(panel.endsAt), timeZone)));
}

/** Stores (or changes) a member's debrief. One per member; changeable until the window closes. */
export async function saveDebrief(ctx: CoreContext, personId: string, panel: Panel, input: DebriefInput, timeZone: string): Promise<DebriefResponse> {
  const now = ctx.clock.now();
  const member = await memberOf(ctx.db, panel, personId);
  requireDebriefOpen(panel, now, timeZone);
  const answer = { wentWell: input.wentWell ?? "", couldImprove: input.couldImprove ?? "", listenedTo: input.listenedTo, changeNextTime: input.changeNextTime ?? "" };
  return ctx.db.$transaction(async (tx) => {
    const existing = await tx.debriefResponse.findFirst({ where: { panelId: panel.id, personId } });
    const saved = existing
      ? await tx.debriefResponse.update({ where: { id: existing.id }, data: { ...answer, updatedAt: now } })
      : await tx.debriefResponse.create({ data: { panelId: panel.id, personId, role: member.role, ...answer, submittedAt: now, updatedAt: now } });
    const sourceRef = `panel:${panel.id}`;
    await recordContribution(tx, ctx.settings, { personId, programmeId: panel.programmeId, kind: "panel", sourceRef, occurredAt: panel.startsAt });
    await recordContribution(tx, ctx.settings, { personId, programmeId: panel.programmeId, kind: "debrief", sourceRef, occurredAt: now });
    await audit(tx, now, personId, existing ? "panel.debrief.change" : "panel.debrief", "DebriefResponse", saved.id);
    return saved;
  });
}

/**
 * What organisers see: counts, and words from people who agreed to be quoted, labelled with
 * their role only where N or more people of that role are on the panel, otherwise "Someone".
 */
export async function panelSummaryFor(ctx: CoreContext, panelId: string) {
  const panel = await ctx.db.panel.findUnique({ where: { id: panelId }, include: { members: true, debriefs: true } });
  if (!panel) throw new WesaidError("not_found", say.panelText.notFound);
  const labelOf = answerLabeller(countPeopleByRole(panel.members, (m) => m.role, (m) => m.personId), ctx.settings.minGroupSize);
  const quotable = await quotablePeople(ctx, panel.programmeId, panel.debriefs.flatMap((r) => (r.personId ? [r.personId] : [])));
  const quotes: say.SummaryQuote[] = [];
  let notQuoted = 0;
  for (const r of panel.debriefs as (DebriefResponse & { role: Role | null })[]) {
    const hasWords = Boolean(r.wentWell || r.couldImprove || r.changeNextTime);
    if (!hasWords) continue;
    if (!r.personId || !quotable.has(r.personId)) {
      notQuoted++;
      continue;
    }
    quotes.push({ debriefId: r.id, label: labelOf(r.role), wentWell: r.wentWell, couldImprove: r.couldImprove, changeNextTime: r.changeNextTime });
  }
  // Grouped by label ("Someone" last), not in the order people answered, so the order gives nobody away.
  const order = (label: string) => (label === SOMEONE ? ROLES.length : ROLES.findIndex((role) => ROLE_LABELS[role] === label));
  quotes.sort((a, b) => order(a.label) - order(b.label) || a.debriefId.localeCompare(b.debriefId));
  return { panel, members: panel.members.length, responded: panel.debriefs.length, listened: listenedCounts(panel.debriefs), quotes, notQuoted };
}

/** Who, of these people, agreed to be quoted: the newest quotation choice of each, in one query. */
async function quotablePeople(ctx: CoreContext, programmeId: string, personIds: string[]): Promise<Set<string>> {
  const records = await ctx.db.consentRecord.findMany({ where: { programmeId, personId: { in: personIds }, kind: "quotation" }, orderBy: { recordedAt: "desc" } });
  const newest = new Map<string, boolean>();
  for (const r of records) if (!newest.has(r.personId)) newest.set(r.personId, r.granted);
  return new Set([...newest].filter(([, granted]) => granted).map(([personId]) => personId));
}
