import { roleCan, SELF_CHOSEN_ROLES, type Role } from "../roles.ts";

/**
 * Who may set up a programme: anyone may set up the first one of an
 * installation; after that, only someone whose role in some programme has
 * "programme.setup" (facilitators and admins).
 */
export function maySetUpProgramme(p: { programmesExist: boolean; rolesHeld: readonly Role[] }): boolean {
  return !p.programmesExist || p.rolesHeld.some((role) => roleCan(role, "programme.setup"));
}

/** Roles a person may choose for themselves when joining. */
export function maySelfChoose(role: Role): boolean {
  return SELF_CHOSEN_ROLES.includes(role);
}
