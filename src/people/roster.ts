import type { CoreContext } from "../context.ts";
import { ROLES, type Role } from "../roles.ts";

export type Roster = { programmeName: string; byRole: { role: Role; names: string[] }[] };

/** Who is in a programme, by role, in the order roles are listed in src/roles.ts; names sorted. */
export async function programmeRoster(ctx: CoreContext, programmeId: string): Promise<Roster> {
  const programme = await ctx.db.programme.findUniqueOrThrow({
    where: { id: programmeId },
    select: { name: true, memberships: { select: { role: true, person: { select: { displayName: true } } } } },
  });
  const byRole = ROLES.map((role) => ({
    role,
    names: programme.memberships
      .filter((m) => m.role === role)
      .map((m) => m.person.displayName)
      .sort((a, b) => a.localeCompare(b)),
  })).filter((group) => group.names.length > 0);
  return { programmeName: programme.name, byRole };
}
