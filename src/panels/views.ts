import type { CoreContext } from "../context.ts";
import type { Actor, Reply } from "../interactions.ts";
import type { Panel } from "../generated/prisma/client.ts";
import { roleCan, type Role } from "../roles.ts";
import { formatWhen } from "../time.ts";
import { timeZoneOf } from "../people/index.ts";
import { calendarInvite, eventUid, whenText } from "../calendar/index.ts";
import { message, para, type Message } from "../messages/model.ts";
import { DEBRIEF_WINDOW, debriefWindow } from "./rules.ts";
import * as say from "./catalogue.ts";

/** Reply builders: what a person sees about panels, as messages. */

export const line = (words: string): Message => message(words, para(words));

/** A panel as its members see it: who is on it by role only, never by name. */
export function viewOf(panel: Panel, members: readonly { role: Role }[], timeZone: string): say.PanelView {
  const roles: Partial<Record<Role, number>> = {};
  for (const m of members) roles[m.role] = (roles[m.role] ?? 0) + 1;
  return { id: panel.id, title: panel.title, purpose: panel.purpose, when: whenText(panel.startsAt, panel.endsAt, timeZone), roles, hasPrep: Boolean(panel.prepPrompt), meeting: Boolean(panel.learningSetId) };
}

/** A panel's calendar invite; a learning set's meeting says where it meets. Its sequence rises with each invite, so a moved meeting's replaces the old one. */
export function inviteFor(panel: Panel, now: Date, where?: { location: string | null; onlineUrl: string | null } | null): string {
  return calendarInvite({
    uid: eventUid("panel", panel.id),
    start: panel.startsAt,
    end: panel.endsAt,
    stamp: now,
    summary: panel.title,
    description: panel.purpose || undefined,
    location: where?.location ?? undefined,
    url: where?.onlineUrl ?? undefined,
    sequence: where ? Math.max(0, Math.floor((now.getTime() - panel.createdAt.getTime()) / 1000)) : undefined,
  });
}

function managedProgrammeIds(actor: Actor): string[] {
  return actor.memberships.filter((m) => roleCan(m.role, "panel.manage")).map((m) => m.programmeId);
}

/** The panels an organiser ran lately, in every programme where they manage panels. */
export async function recentPanels(ctx: CoreContext, actor: Actor, timeZone: string) {
  const panels = await ctx.db.panel.findMany({ where: { programmeId: { in: managedProgrammeIds(actor) } }, orderBy: { startsAt: "desc" }, take: 20 });
  return panels.map((p) => ({ id: p.id, title: p.title, when: formatWhen(p.startsAt, timeZone) }));
}

/** The panels the person is on (and, for organisers, the ones they run). */
export async function panelsList(ctx: CoreContext, actor: Actor): Promise<Reply> {
  const now = ctx.clock.now();
  const timeZone = await timeZoneOf(ctx.db, actor.person.id);
  const memberships = await ctx.db.panelMember.findMany({
    where: { personId: actor.person.id, panel: { endsAt: { gt: new Date(now.getTime() - DEBRIEF_WINDOW) } } },
    include: { panel: { include: { members: true } } },
    orderBy: { panel: { startsAt: "asc" } },
    take: 20,
  });
  const mine = memberships.map(({ panel }) => ({ view: viewOf(panel, panel.members, timeZone), debriefOpen: debriefWindow(now, panel.endsAt) === "open" }));
  const canManage = managedProgrammeIds(actor).length > 0;
  return { private: say.panelList({ mine, organised: canManage ? await recentPanels(ctx, actor, timeZone) : [], canManage }) };
}
