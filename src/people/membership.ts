import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { Platform } from "../messenger.ts";
import type { Membership } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { enqueue } from "../outbox.ts";
import { tellPeople } from "../gate.ts";
import { audit } from "../audit.ts";
import { withholdQueued, WITHHELD } from "./consent.ts";
import * as say from "./catalogue.ts";

/**
 * Programmes and who is in them: setting one up, joining, being given a role.
 * Callers have checked who may do it (the registry, for chat actions).
 */

export async function setupProgramme(
  ctx: CoreContext,
  input: { name: string; description?: string; facilitatorId: string; channel?: { platform: Platform; externalId: string; name?: string; address?: unknown } },
) {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    if (input.channel) {
      const linked = await tx.programmeChannel.findUnique({
        where: { platform_externalId: { platform: input.channel.platform, externalId: input.channel.externalId } },
        include: { programme: true },
      });
      if (linked) throw new WesaidError("conflict", say.joinText.channelAlreadyLinked(linked.programme.name));
    }
    const programme = await tx.programme.create({ data: { name: input.name, description: input.description ?? "", consentText: say.peopleText.whatWeStore, createdAt: now } });
    if (input.channel) {
      const channel = await tx.programmeChannel.create({
        data: {
          programmeId: programme.id,
          platform: input.channel.platform,
          externalId: input.channel.externalId,
          name: input.channel.name ?? "",
          address: (input.channel.address as object | undefined) ?? undefined,
        },
      });
      await enqueue(tx, now, {
        key: `programme:${programme.id}:announce:${channel.id}`,
        purpose: "programme.announce",
        channelId: channel.id,
        programmeId: programme.id,
        message: say.channelAnnouncement({ programmeName: programme.name }),
      });
    }
    await addMember(tx, ctx, { programmeId: programme.id, personId: input.facilitatorId, role: "facilitator", now });
    await audit(tx, now, input.facilitatorId, "programme.setup", "Programme", programme.id, { name: input.name });
    return programme;
  });
}

/** Whether any programme exists yet in this installation. */
export async function anyProgramme(db: DbTx): Promise<boolean> {
  return (await db.programme.findFirst({ select: { id: true } })) !== null;
}

/**
 * Adds a member (once) and queues the welcome, if the gate lets us
 * message them (a paused person is not sent it). Returns the membership and whether it is new.
 */
export async function addMember(
  tx: DbTx,
  _ctx: CoreContext,
  p: { programmeId: string; personId: string; role: Role; now: Date },
): Promise<{ membership: Membership; created: boolean }> {
  const existing = await tx.membership.findUnique({ where: { programmeId_personId: { programmeId: p.programmeId, personId: p.personId } } });
  if (existing) return { membership: existing, created: false };
  const membership = await tx.membership.create({ data: { programmeId: p.programmeId, personId: p.personId, role: p.role, joinedAt: p.now } });
  const programme = await tx.programme.findUniqueOrThrow({ where: { id: p.programmeId } });
  const told = await tellPeople(tx, p.now, { kind: "welcome", programmeId: p.programmeId, personIds: [p.personId] }, () => ({
    key: `welcome:${membership.id}:${p.now.getTime()}`,
    purpose: "people.welcome",
    message: say.welcome({
      programmeName: programme.name,
      description: programme.description,
      role: p.role,
      programmeId: programme.id,
      policyVersion: programme.consentVersion,
      consentText: programme.consentText,
      supportText: programme.supportText,
    }),
  }));
  if (told.length) await tx.membership.update({ where: { id: membership.id }, data: { welcomedAt: p.now } });
  return { membership, created: true };
}

export async function joinProgramme(ctx: CoreContext, p: { personId: string; programmeId: string; role: Role }) {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const result = await addMember(tx, ctx, { ...p, now });
    if (result.created) await audit(tx, now, p.personId, "member.join", "Membership", result.membership.id, { role: p.role });
    return result;
  });
}

/** Adds someone with a role, or changes their role. */
export async function assignRole(ctx: CoreContext, p: { programmeId: string; personId: string; role: Role; byId: string }) {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const result = await addMember(tx, ctx, { programmeId: p.programmeId, personId: p.personId, role: p.role, now });
    if (!result.created && result.membership.role !== p.role) {
      await tx.membership.update({ where: { id: result.membership.id }, data: { role: p.role } });
    }
    await audit(tx, now, p.byId, "member.role", "Membership", result.membership.id, { role: p.role });
    return result.membership;
  });
}

/**
 * Leaves a programme without erasing anything: the membership ends, so the gate
 * sends them nothing more from it and messages already queued are held back.
 * What they told us stays, under the choices they made; they can join again.
 * The last facilitator of a programme with other members cannot leave it unled.
 */
export async function leaveProgramme(ctx: CoreContext, p: { personId: string; programmeId: string }): Promise<{ programmeName: string }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const membership = await tx.membership.findUnique({ where: { programmeId_personId: p }, include: { programme: { select: { name: true } } } });
    if (!membership) throw new WesaidError("not_a_member", say.leaveText.notInIt);
    if (membership.role === "facilitator") {
      const [facilitators, members] = await Promise.all([
        tx.membership.count({ where: { programmeId: p.programmeId, role: "facilitator" } }),
        tx.membership.count({ where: { programmeId: p.programmeId } }),
      ]);
      if (facilitators === 1 && members > 1) throw new WesaidError("conflict", say.leaveText.lastFacilitator);
    }
    await tx.membership.delete({ where: { id: membership.id } });
    const withheld = await withholdQueued(tx, { programmeId: p.programmeId, personIds: [p.personId], reason: WITHHELD.left });
    await audit(tx, now, p.personId, "member.leave", "Membership", membership.id, { programmeId: p.programmeId, role: membership.role, withheld });
    return { programmeName: membership.programme.name };
  });
}
