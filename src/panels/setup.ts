import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Panel } from "../generated/prisma/client.ts";
import { PLATFORMS, type Platform } from "../messenger.ts";
import { ROLES, type Role } from "../roles.ts";
import { tellPeople } from "../gate.ts";
import { audit } from "../audit.ts";
import { optionalText, parseInput, text } from "../validation.ts";
import { knownPeople, timeZoneOf } from "../people/index.ts";
import { whenField } from "../calendar/index.ts";
import { panelSchedule } from "./rules.ts";
import { inviteFor, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";

/**
 * Setting up a panel: who is on it, and telling each of them. The caller has
 * checked that the organiser may manage panels in the programme (the registry, for chat actions).
 */

export const LABELS = { title: "Name of the panel", purpose: "What is it for", startsAt: "Starts", endsAt: "Ends", members: "Who is on it", prepPrompt: "Something to think about" };

/** Someone on the panel: a person, or a person chosen in a people picker (by their platform id). */
const memberRef = z.union([
  z.object({ personId: z.string().min(1), role: z.enum(ROLES).optional() }),
  z.object({ externalId: z.string().min(1), displayName: z.string().optional(), platform: z.enum(PLATFORMS).optional(), role: z.enum(ROLES).optional() }),
]);
type MemberRef = z.infer<typeof memberRef>;

export function panelInputSchema(now: Date, timeZone: string) {
  return z
    .object({
      programmeId: z.string().min(1),
      title: text(120),
      purpose: optionalText(2000),
      startsAt: whenField(LABELS.startsAt, timeZone, say.panelText.badTime),
      endsAt: whenField(LABELS.endsAt, timeZone, say.panelText.badTime),
      members: z.array(memberRef).max(40),
      prepPrompt: optionalText(2000),
    })
    .superRefine((v, c) => {
      if (v.startsAt.getTime() <= now.getTime()) c.addIssue({ code: "custom", message: say.panelText.startInPast, path: ["startsAt"] });
      if (v.endsAt.getTime() <= v.startsAt.getTime()) c.addIssue({ code: "custom", message: say.panelText.endBeforeStart, path: ["endsAt"] });
      if (v.members.length === 0) c.addIssue({ code: "custom", message: say.panelText.noMembers, path: ["members"] });
    });
}

export type PanelInput = z.input<ReturnType<typeof panelInputSchema>>;

const field = z.string().max(4000).optional();

/** The "set up a panel" form as it arrives: text fields. Who is on it comes in the action's people (`members`). */
export const panelForm = z.object({
  programmeId: z.string().min(1).max(100).optional(),
  title: field,
  purpose: field,
  startsAt: field,
  endsAt: field,
  prepPrompt: field,
});

/** Each member as a programme member, with the role they sit on the panel in. */
async function resolveMembers(db: DbTx, programmeId: string, refs: MemberRef[], platform: Platform): Promise<{ personId: string; role: Role }[]> {
  const resolved = new Map<string, Role>();
  for (const ref of refs) {
    let personId: string;
    if ("personId" in ref) {
      personId = ref.personId;
    } else {
      const known = (await knownPeople(db, ref.platform ?? platform, [ref])).get(ref.externalId);
      if (!known) throw new WesaidError("invalid_input", say.panelText.unknownPerson(ref.displayName?.trim() || ref.externalId));
      personId = known;
    }
    const membership = await db.membership.findUnique({ where: { programmeId_personId: { programmeId, personId } }, include: { person: true } });
    if (!membership) {
      const person = await db.person.findUnique({ where: { id: personId } });
      throw new WesaidError("invalid_input", person ? say.panelText.notInProgramme(person.displayName) : say.panelText.unknownPerson(personId));
    }
    if (membership.person.erasedAt) throw new WesaidError("invalid_input", say.panelText.notInProgramme(membership.person.displayName));
    resolved.set(personId, ref.role ?? membership.role);
  }
  return [...resolved].map(([personId, role]) => ({ personId, role }));
}

export type PanelCreated = { panel: Panel; members: number; told: number };

/**
 * Sets up a panel and tells each member privately, with a calendar invite,
 * when the gate allows (not while they have paused messages). People chosen
 * by platform id are looked up on `platform`.
 */
export async function setUpPanel(ctx: CoreContext, byId: string, input: PanelInput | Record<string, unknown>, options: { platform?: Platform } = {}): Promise<PanelCreated> {
  const now = ctx.clock.now();
  const data = parseInput(panelInputSchema(now, await timeZoneOf(ctx.db, byId)), input, LABELS);
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
    const invite = inviteFor(panel, now);
    const told = await tellPeople(tx, now, { kind: "panel", programmeId: panel.programmeId, personIds: members.map((m) => m.personId) }, (personId, timeZone) => ({
      key: `panel:${panel.id}:invite:${personId}`,
      purpose: "panel.invite",
      message: say.panelInvite(viewOf(panel, members, timeZone), invite),
    }));
    await audit(tx, now, byId, "panel.create", "Panel", panel.id, { title: panel.title, members: members.length });
    return { panel, members: members.length, told: told.length };
  });
}

/** Sets up a panel (see setUpPanel) and returns it. */
export async function createPanel(ctx: CoreContext, byId: string, input: PanelInput | Record<string, unknown>, options: { platform?: Platform } = {}): Promise<Panel> {
  return (await setUpPanel(ctx, byId, input, options)).panel;
}
