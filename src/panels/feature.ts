import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Actor, Feature, Reply } from "../interactions.ts";
import type { DebriefResponse, Panel, PanelMember } from "../generated/prisma/client.ts";
import { PLATFORMS, type Platform } from "../messenger.ts";
import { ROLES, roleCan, type Role } from "../roles.ts";
import { authorise, consentState, requireMember, requireParticipation } from "../access.ts";
import { enqueue } from "../outbox.ts";
import { audit } from "../audit.ts";
import { optionalText, parseInput, text } from "../validation.ts";
import { formatDate, formatWhen, nextAllowedTime } from "../time.ts";
import { DAY } from "../clock.ts";
import { preferencesOf, recordContribution, timeZoneOf } from "../people.ts";
import { calendarInvite, eventUid } from "../calendar/ics.ts";
import { requireInSomeProgramme, whenField } from "../tasters/feature.ts";
import { whenText } from "../tasters/catalogue.ts";
import { message, para, type Message } from "../messages/model.ts";
import * as say from "./catalogue.ts";

const BATCH = 100;

// ------------------------------------------------------------------ rules (pure)

/** Members are sent the prep prompt this long before the start. */
export const PREP_BEFORE_START = DAY;
/** A debrief can be given, and changed, for this long after the panel ends. */
export const DEBRIEF_WINDOW = 14 * DAY;

export function panelSchedule(p: { startsAt: Date; endsAt: Date; prepPrompt?: string | null }): { prepDueAt: Date | null; debriefDueAt: Date } {
  return {
    prepDueAt: p.prepPrompt ? new Date(p.startsAt.getTime() - PREP_BEFORE_START) : null,
    debriefDueAt: p.endsAt,
  };
}

export function debriefClosesAt(endsAt: Date): Date {
  return new Date(endsAt.getTime() + DEBRIEF_WINDOW);
}

export function debriefWindow(now: Date, endsAt: Date): "early" | "open" | "closed" {
  if (now.getTime() < endsAt.getTime()) return "early";
  return now.getTime() <= debriefClosesAt(endsAt).getTime() ? "open" : "closed";
}

/** How many answered yes, partly and no to "did you feel listened to?". */
export function listenedCounts(responses: readonly { listenedTo: string }[]): Record<"yes" | "partly" | "no", number> {
  const counts = { yes: 0, partly: 0, no: 0 };
  for (const r of responses) if (r.listenedTo in counts) counts[r.listenedTo as keyof typeof counts]++;
  return counts;
}

// ------------------------------------------------------------------ input

const LABELS = { title: "Name of the panel", purpose: "What is it for", startsAt: "Starts", endsAt: "Ends", members: "Who is on it", prepPrompt: "Something to think about" };

const memberRef = z.union([
  z.object({ personId: z.string().min(1), role: z.enum(ROLES).optional() }),
  z.object({ externalId: z.string().min(1), platform: z.enum(PLATFORMS).optional(), role: z.enum(ROLES).optional() }),
]);
type MemberRef = z.infer<typeof memberRef>;

/** From a form: every `<@externalId>` mention in the text. From code: a list of people. */
const memberList = z.preprocess(
  (v) => (typeof v === "string" ? [...v.matchAll(/<@([^>|\s]+)(?:\|[^>]*)?>/g)].map((m) => ({ externalId: m[1] })) : v),
  z.array(memberRef).max(40),
);

export function panelInputSchema(now: Date, timeZone: string) {
  return z
    .object({
      programmeId: z.string().min(1),
      title: text(120),
      purpose: optionalText(2000),
      startsAt: whenField(LABELS.startsAt, timeZone),
      endsAt: whenField(LABELS.endsAt, timeZone),
      members: memberList,
      prepPrompt: optionalText(2000),
    })
    .superRefine((v, c) => {
      if (v.startsAt.getTime() <= now.getTime()) c.addIssue({ code: "custom", message: say.panelText.startInPast, path: ["startsAt"] });
      if (v.endsAt.getTime() <= v.startsAt.getTime()) c.addIssue({ code: "custom", message: say.panelText.endBeforeStart, path: ["endsAt"] });
      if (v.members.length === 0) c.addIssue({ code: "custom", message: say.panelText.noMembers, path: ["members"] });
    });
}

export type PanelInput = z.input<ReturnType<typeof panelInputSchema>>;

// ------------------------------------------------------------------ helpers


function viewOf(panel: Panel, members: readonly { role: Role }[], timeZone: string): say.PanelView {
  const roles: Partial<Record<Role, number>> = {};
  for (const m of members) roles[m.role] = (roles[m.role] ?? 0) + 1;
  return { id: panel.id, title: panel.title, purpose: panel.purpose, when: whenText(panel.startsAt, panel.endsAt, timeZone), roles, hasPrep: Boolean(panel.prepPrompt) };
}

function inviteFor(panel: Panel, now: Date): string {
  return calendarInvite({ uid: eventUid("panel", panel.id), start: panel.startsAt, end: panel.endsAt, stamp: now, summary: panel.title, description: panel.purpose || undefined });
}

/** Each member as a programme member, with the role they sit on the panel in. */
async function resolveMembers(db: DbTx, programmeId: string, refs: MemberRef[], platform: Platform): Promise<{ personId: string; role: Role }[]> {
  const resolved = new Map<string, Role>();
  for (const ref of refs) {
    let personId: string;
    if ("personId" in ref) {
      personId = ref.personId;
    } else {
      const identity = await db.platformIdentity.findUnique({ where: { platform_externalId: { platform: ref.platform ?? platform, externalId: ref.externalId } } });
      if (!identity) throw new WesaidError("invalid_input", say.panelText.unknownPerson(`<@${ref.externalId}>`));
      personId = identity.personId;
    }
    const membership = await db.membership.findUnique({ where: { programmeId_personId: { programmeId, personId } }, include: { person: true } });
    if (!membership) {
      const person = await db.person.findUnique({ where: { id: personId } });
      throw new WesaidError("invalid_input", person ? say.panelText.notInProgramme(person.displayName) : say.panelText.unknownPerson(personId));
    }
    if (membership.leftAt || membership.person.erasedAt) throw new WesaidError("invalid_input", say.panelText.notInProgramme(membership.person.displayName));
    resolved.set(personId, ref.role ?? membership.role);
  }
  return [...resolved].map(([personId, role]) => ({ personId, role }));
}

// ------------------------------------------------------------------ creating

/**
 * Sets up a panel and tells each member privately, with a calendar invite.
 * Checks that `byId` may manage panels. Mentions are looked up on `platform`.
 */
export async function createPanel(ctx: CoreContext, byId: string, input: PanelInput | Record<string, unknown>, options: { platform?: Platform } = {}): Promise<Panel> {
  const now = ctx.clock.now();
  const data = parseInput(panelInputSchema(now, await timeZoneOf(ctx.db, byId)), input, LABELS);
  await requireMember(ctx.db, byId, data.programmeId, "panel.manage");
  const members = await resolveMembers(ctx.db, data.programmeId, data.members, options.platform ?? "local");
  return ctx.db.$transaction(async (tx) => {
    const panel = await tx.panel.create({
      data: {
        programmeId: data.programmeId,
        title: data.title,
        purpose: data.purpose ?? "",
        startsAt: data.startsAt,
        endsAt: data.endsAt,
        prepPrompt: data.prepPrompt ?? null,
        createdById: byId,
        createdAt: now,
        ...panelSchedule(data),
      },
    });
    await tx.panelMember.createMany({ data: members.map((m) => ({ panelId: panel.id, personId: m.personId, role: m.role })) });
    for (const member of members) {
      const pref = await preferencesOf(tx, member.personId);
      await enqueue(tx, now, {
        key: `panel:${panel.id}:invite:${member.personId}`,
        purpose: "panel.invite",
        personId: member.personId,
        programmeId: panel.programmeId,
        notBefore: nextAllowedTime(now, pref),
        message: say.panelInvite(viewOf(panel, members, pref.timeZone), inviteFor(panel, now)),
      });
    }
    await audit(tx, now, byId, "panel.create", "Panel", panel.id, { title: panel.title, members: members.length });
    return panel;
  });
}

// ------------------------------------------------------------------ debriefs

const debriefArgs = z.object({
  panelId: z.string().min(1),
  wentWell: optionalText(2000),
  couldImprove: optionalText(2000),
  listenedTo: z.enum(["yes", "partly", "no"]),
  changeNextTime: optionalText(2000),
});
const DEBRIEF_LABELS = { wentWell: "What went well?", couldImprove: "What could be better?", listenedTo: "Did you feel listened to?", changeNextTime: "Anything you would change next time?" };

async function memberOf(db: DbTx, panelId: string, personId: string): Promise<{ panel: Panel; member: PanelMember }> {
  const panel = await db.panel.findUnique({ where: { id: panelId } });
  if (!panel) throw new WesaidError("not_found", say.panelText.notFound);
  const member = await db.panelMember.findUnique({ where: { panelId_personId: { panelId, personId } } });
  if (!member) throw new WesaidError("not_allowed", say.panelText.notMember);
  return { panel, member };
}

function requireDebriefOpen(panel: Panel, now: Date, timeZone: string): void {
  const state = debriefWindow(now, panel.endsAt);
  if (state === "early") throw new WesaidError("closed", say.panelText.tooEarly);
  if (state === "closed") throw new WesaidError("closed", say.panelText.windowClosed(formatDate(debriefClosesAt(panel.endsAt), timeZone)));
}

/** Stores (or changes) a member's debrief. One per member; changeable until the window closes. */
export async function saveDebrief(ctx: CoreContext, personId: string, raw: unknown): Promise<{ panel: Panel; response: DebriefResponse }> {
  const input = parseInput(debriefArgs, raw, DEBRIEF_LABELS);
  const now = ctx.clock.now();
  const { panel, member } = await memberOf(ctx.db, input.panelId, personId);
  requireDebriefOpen(panel, now, await timeZoneOf(ctx.db, personId));
  await requireParticipation(ctx, personId, panel.programmeId);
  const answer = { wentWell: input.wentWell ?? "", couldImprove: input.couldImprove ?? "", listenedTo: input.listenedTo, changeNextTime: input.changeNextTime ?? "" };
  const response = await ctx.db.$transaction(async (tx) => {
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
  return { panel, response };
}

/** What organisers see: counts, and words by role only from people who agreed to be quoted. */
export async function panelSummaryFor(ctx: CoreContext, panelId: string) {
  const panel = await ctx.db.panel.findUnique({ where: { id: panelId }, include: { members: true, debriefs: true } });
  if (!panel) throw new WesaidError("not_found", say.panelText.notFound);
  const quotes: say.SummaryQuote[] = [];
  let notQuoted = 0;
  for (const r of panel.debriefs) {
    const hasWords = Boolean(r.wentWell || r.couldImprove || r.changeNextTime);
    if (!hasWords) continue;
    const consent = r.personId ? await consentState(ctx.db, r.personId, panel.programmeId, ctx.settings.consentPolicyVersion) : null;
    if (consent?.quotation !== true) {
      notQuoted++;
      continue;
    }
    quotes.push({ debriefId: r.id, role: r.role, wentWell: r.wentWell, couldImprove: r.couldImprove, changeNextTime: r.changeNextTime });
  }
  // Grouped by role, not in the order people answered, so the order gives nobody away.
  quotes.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.debriefId.localeCompare(b.debriefId));
  return { panel, members: panel.members.length, responded: panel.debriefs.length, listened: listenedCounts(panel.debriefs), quotes, notQuoted };
}

// ------------------------------------------------------------------ scheduled work

/** The day before: the prep prompt to each member, outside quiet hours. Returns panels claimed. */
export async function sweepPrep(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.panel.findMany({ where: { prepDueAt: { lte: now } }, select: { id: true }, take: BATCH });
  let claimed = 0;
  for (const { id } of due) {
    await ctx.db.$transaction(async (tx) => {
      const claim = await tx.panel.updateMany({ where: { id, prepDueAt: { lte: now } }, data: { prepDueAt: null } });
      if (claim.count === 0) return;
      claimed++;
      const panel = await tx.panel.findUniqueOrThrow({ where: { id }, include: { members: true } });
      if (!panel.prepPrompt || now.getTime() >= panel.startsAt.getTime()) return;
      for (const member of panel.members) {
        const pref = await preferencesOf(tx, member.personId);
        if (pref.pausedAt) continue;
        const sendAt = nextAllowedTime(now, pref);
        if (sendAt.getTime() >= panel.startsAt.getTime()) continue;
        await enqueue(tx, now, {
          key: `panel:${panel.id}:prep:${member.personId}`,
          purpose: "panel.prep",
          personId: member.personId,
          programmeId: panel.programmeId,
          notBefore: sendAt,
          message: say.prepPrompt(viewOf(panel, panel.members, pref.timeZone), panel.prepPrompt),
        });
      }
    });
  }
  return claimed;
}

/** When a panel ends: the debrief form to each member who agreed to take part. Returns panels claimed. */
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
      for (const member of panel.members) {
        const pref = await preferencesOf(tx, member.personId);
        if (pref.pausedAt) continue;
        // Answers cannot be stored without agreement, so we do not ask for them.
        const consent = await consentState(tx, member.personId, panel.programmeId, ctx.settings.consentPolicyVersion);
        if (consent.participation !== true) continue;
        await enqueue(tx, now, {
          key: `panel:${panel.id}:debrief:${member.personId}`,
          purpose: "panel.debrief",
          personId: member.personId,
          programmeId: panel.programmeId,
          notBefore: nextAllowedTime(now, pref),
          message: say.debriefForm(viewOf(panel, panel.members, pref.timeZone), { closes: formatDate(debriefClosesAt(panel.endsAt), pref.timeZone) }),
        });
      }
    });
  }
  return claimed;
}

// ------------------------------------------------------------------ chat actions and commands

const panelArgs = z.object({ panelId: z.string().min(1) });
const line = (words: string): Message => message(words, para(words));

function managedProgrammeIds(actor: Actor): string[] {
  return actor.memberships.filter((m) => !m.leftAt && roleCan(m.role, "panel.manage")).map((m) => m.programmeId);
}

async function recentPanels(ctx: CoreContext, actor: Actor, timeZone: string) {
  const panels = await ctx.db.panel.findMany({ where: { programmeId: { in: managedProgrammeIds(actor) } }, orderBy: { startsAt: "desc" }, take: 20 });
  return panels.map((p) => ({ id: p.id, title: p.title, when: formatWhen(p.startsAt, timeZone) }));
}

async function listPanels(ctx: CoreContext, actor: Actor): Promise<Reply> {
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

export const panelsFeature: Feature = {
  name: "panels",
  sweeps: [
    { name: "panels.prep", run: sweepPrep },
    { name: "panels.debriefs", run: sweepDebriefs },
  ],
  actions: [
    { action: "panel.list", run: (ctx, actor) => listPanels(ctx, actor) },
    {
      action: "panel.new",
      async run(ctx, actor, args) {
        const membership = authorise(actor, "panel.manage", args.programmeId);
        return { private: say.newPanelForm({ programmeId: membership.programmeId, timeZone: await timeZoneOf(ctx.db, actor.person.id) }) };
      },
    },
    {
      action: "panel.create",
      async run(ctx, actor, args) {
        const membership = authorise(actor, "panel.manage", args.programmeId);
        const panel = await createPanel(ctx, actor.person.id, { ...args, programmeId: membership.programmeId }, { platform: actor.platform });
        const members = await ctx.db.panelMember.count({ where: { panelId: panel.id } });
        return { replaceSource: line(say.panelText.created(panel.title, members)) };
      },
    },
    {
      action: "panel.debrief.form",
      async run(ctx, actor, args) {
        const { panelId } = parseInput(panelArgs, args);
        const now = ctx.clock.now();
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        const { panel } = await memberOf(ctx.db, panelId, actor.person.id);
        requireDebriefOpen(panel, now, timeZone);
        const members = await ctx.db.panelMember.findMany({ where: { panelId } });
        const existing = await ctx.db.debriefResponse.findFirst({ where: { panelId, personId: actor.person.id } });
        return { private: say.debriefForm(viewOf(panel, members, timeZone), { closes: formatDate(debriefClosesAt(panel.endsAt), timeZone), initial: existing ?? undefined }) };
      },
    },
    {
      action: "panel.debrief",
      async run(ctx, actor, args) {
        const { panel, response } = await saveDebrief(ctx, actor.person.id, args);
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        return { replaceSource: say.debriefSaved({ panelId: panel.id, title: panel.title, answer: response, closes: formatDate(debriefClosesAt(panel.endsAt), timeZone) }) };
      },
    },
    {
      action: "panel.summary",
      async run(ctx, actor, args) {
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        if (!args.panelId) {
          requireInSomeProgramme(actor, "panel.manage");
          return { private: say.summaryPick({ panels: await recentPanels(ctx, actor, timeZone) }) };
        }
        const { panelId } = parseInput(panelArgs, args);
        const panel = await ctx.db.panel.findUnique({ where: { id: panelId } });
        if (!panel) throw new WesaidError("not_found", say.panelText.notFound);
        authorise(actor, "panel.manage", panel.programmeId);
        const summary = await panelSummaryFor(ctx, panelId);
        return { private: say.panelSummary({ ...summary, title: panel.title, when: whenText(panel.startsAt, panel.endsAt, timeZone) }) };
      },
    },
  ],
  commands: [
    {
      name: "panel",
      aliases: ["panels"],
      usage: "panel",
      summary: "See the panels you are on. Organisers: panel new sets one up, panel summary shows how one went.",
      toAction(rest) {
        const word = rest.trim().toLowerCase();
        if (word === "new") return { action: "panel.new", args: {} };
        if (word === "summary") return { action: "panel.summary", args: {} };
        return { action: "panel.list", args: {} };
      },
    },
  ],
};
