import type { Role } from "./generated/prisma/enums.ts";

export type { Role };

export const ROLES = ["commissioner", "expert_by_experience", "professional", "facilitator", "evaluator", "admin"] as const satisfies readonly Role[];

/** How a role is named to people, and in role-only attributions. */
export const ROLE_LABELS: Record<Role, string> = {
  commissioner: "Commissioner",
  expert_by_experience: "Expert by experience",
  professional: "Professional",
  facilitator: "Facilitator",
  evaluator: "Evaluator",
  admin: "Admin",
};

const ROLE_IN_BRACKETS = new RegExp(`\\s*\\((?:${Object.values(ROLE_LABELS).join("|")})\\)\\s*$`, "i");

/**
 * The one rule for a name shown with a role. Some names already carry one
 * ("Sam (expert by experience)", as the playground's people do): it is dropped,
 * so a view that adds the role (or shows it beside the name) never says it twice.
 */
export function nameWithoutRole(name: string): string {
  return name.replace(ROLE_IN_BRACKETS, "") || name;
}

/** "Sam (Expert by experience)": the name, then its role once. */
export function nameWithRole(name: string, role: Role): string {
  return `${nameWithoutRole(name)} (${ROLE_LABELS[role]})`;
}

/** Roles a person may choose for themselves when joining; others are given by a facilitator. */
export const SELF_CHOSEN_ROLES: readonly Role[] = ["expert_by_experience", "professional"];

/** The people whose voices the programme gathers (evaluators and admins observe). */
export const PARTICIPANT_ROLES: readonly Role[] = ["commissioner", "expert_by_experience", "professional", "facilitator"];

const EVERYONE: readonly Role[] = ROLES;
const ORGANISERS: readonly Role[] = ["facilitator", "admin"];

/** Who may do what. Data, not code: change a row here to change a permission. */
export const CAPABILITIES = {
  "programme.setup": ORGANISERS,
  "member.assign_role": ORGANISERS,
  "consent.change": ORGANISERS,
  "prompt.manage": ORGANISERS,
  "prompt.answer": PARTICIPANT_ROLES,
  "feedback.suggest": EVERYONE,
  "feedback.manage": ["commissioner", "facilitator", "admin"],
  "feedback.update": ["commissioner", "facilitator", "admin"],
  "feedback.from_answer": ORGANISERS,
  "action.create": ["commissioner", "facilitator", "admin"],
  "taster.manage": ORGANISERS,
  "taster.attendance": ["facilitator", "admin", "professional"],
  "taster.signup": EVERYONE,
  "panel.manage": ["commissioner", "facilitator", "admin"],
  "digest.view": ["evaluator", "facilitator", "admin"],
  "evidence.export": ["evaluator", "admin"],
  "membercheck.send": ["evaluator", "facilitator", "admin"],
  "membercheck.answer": PARTICIPANT_ROLES,
  "coding.code": ["evaluator", "facilitator", "admin"],
  // Organisers read every written answer by role; evaluators get the exports' view (src/prompts/evaluator-answers.ts).
  "answers.read": ["evaluator", "facilitator", "admin"],
  "reports.unreachable": ORGANISERS,
  "people.check_in": ORGANISERS,
  // Turning the introduction for late joiners on or off.
  "induction.manage": ORGANISERS,
  // Rates for time given, and the totals by role and by person they are paid from.
  "recognition.manage": ORGANISERS,
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function roleCan(role: Role, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}

export function rolesWith(capability: Capability): Role[] {
  return [...CAPABILITIES[capability]];
}
