import type { DbTx } from "./db/database.ts";
import { WesaidError } from "./errors.ts";
import type { Actor } from "./interactions.ts";
import type { Membership } from "./generated/prisma/client.ts";
import { CAPABILITIES, ROLE_LABELS, roleCan, type Capability } from "./roles.ts";
import { accessText } from "./messages/catalogue/access.ts";

/**
 * The membership an action acts in: the programme named in the action, else
 * the programme of the channel it came from, else the person's only programme.
 */
export function membershipFor(actor: Actor, programmeId?: string): Membership {
  const active = actor.memberships;
  const wanted = programmeId ?? actor.channelProgrammeId;
  if (wanted) {
    const membership = active.find((m) => m.programmeId === wanted);
    if (!membership) throw new WesaidError("not_a_member", accessText.notAMemberOfThis);
    return membership;
  }
  if (active.length === 1) return active[0]!;
  if (active.length === 0) throw new WesaidError("not_a_member", accessText.notAMemberYet);
  throw new WesaidError("choose_programme", accessText.chooseProgramme, { programmeIds: active.map((m) => m.programmeId) });
}

export function requireCapability(membership: Membership, capability: Capability): void {
  if (roleCan(membership.role, capability)) return;
  const allowed = (CAPABILITIES[capability] as readonly Membership["role"][]).map((r) => ROLE_LABELS[r]);
  throw new WesaidError("not_allowed", accessText.notAllowed(allowed));
}

export type ConsentState = {
  participation: boolean | null;
  quotation: boolean | null;
  /** The newest answer was to the programme's current consent words. */
  upToDate: boolean;
  /** The programme's current consent version. */
  version: number;
};

/**
 * The consent in force: the newest record of each kind, and whether it answers
 * the programme's current consent words. null means never asked or answered.
 */
export async function consentState(db: DbTx, personId: string, programmeId: string): Promise<ConsentState> {
  const [programme, records] = await Promise.all([
    db.programme.findUnique({ where: { id: programmeId }, select: { consentVersion: true } }),
    db.consentRecord.findMany({ where: { personId, programmeId }, orderBy: { recordedAt: "desc" } }),
  ]);
  const version = programme?.consentVersion ?? 1;
  const participation = records.find((r) => r.kind === "participation");
  const quotation = records.find((r) => r.kind === "quotation");
  return {
    participation: participation?.granted ?? null,
    quotation: quotation?.granted ?? null,
    upToDate: (participation?.policyVersion ?? 0) >= version,
    version,
  };
}

/** People in a programme who hold one of these roles and have not been erased. */
export async function membersWithRoles(db: DbTx, programmeId: string, roles: readonly Membership["role"][]): Promise<Membership[]> {
  return db.membership.findMany({ where: { programmeId, role: { in: [...roles] }, person: { erasedAt: null } } });
}

/**
 * For actions over all of a person's programmes (a list to choose from): a programme
 * where their role has this capability, else any of theirs (so the check refuses
 * and names the roles that may), else none (so it says they are not a member).
 */
export function programmeWhereCan(actor: Actor, capability: Capability): string | undefined {
  return (actor.memberships.find((m) => roleCan(m.role, capability)) ?? actor.memberships[0])?.programmeId;
}
