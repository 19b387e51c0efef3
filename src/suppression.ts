import { ROLE_LABELS, ROLES, type Role } from "./roles.ts";

/**
 * Small-group suppression: the one rule for every breakdown by role that the
 * evaluation team sees (the weekly digest and anything built like it).
 *
 * N is settings.minGroupSize (5 unless changed). A "group" is the distinct
 * people of one role who did the thing being counted (not rows or answers).
 *
 * 1. A role with N or more people is shown under its own label.
 * 2. A role with nobody in it is shown as 0: an empty group cannot be recognised.
 * 3. Roles with 1 to N-1 people are combined into one group, "Other roles".
 *    If that combined group has N or more people it is shown; if not, it is
 *    hidden: no count and no figures, only "fewer than N".
 * 4. Figures for a group (averages, yes/partly/no counts) are worked out from
 *    the answers of everyone in the group as shown, so "Other roles" gets one
 *    figure for all of it and a hidden group gets none.
 * 5. A figure across all roles is given only when no group is hidden, because
 *    "all roles" minus the shown groups would give the hidden group's figure
 *    away. Counts of how many people took part are always shown in total:
 *    they say nothing about what anyone said.
 * 6. Quotes: a quote carries its role's label when N or more people of that
 *    role are quoted, and "Other roles" when fewer are. When fewer than N
 *    people are quoted in all, no quotes are shown.
 *
 * Everything here is pure: plain data in, plain data out.
 */

export const OTHER_ROLES = "Other roles";

/** How a set of roles is shown. `people` is the true count: never publish it for a hidden group. */
export type RoleGroup = { label: string; roles: Role[]; people: number; hidden: boolean };

/** A group as published: a hidden group has no count and no figure. */
export type CountRow = { label: string; people: number | null; hidden: boolean };
export type ValueRow<T> = CountRow & { value: T | null };

export type PeopleByRole = Partial<Record<Role, number>>;

/**
 * Decides the groups for a breakdown. `alwaysList` names roles shown even with
 * nobody in them (as 0), so a reader sees who was asked and did not take part.
 */
export function groupRoles(people: PeopleByRole, minGroupSize: number, alwaysList: readonly Role[] = []): RoleGroup[] {
  const shown: RoleGroup[] = [];
  const small: Role[] = [];
  for (const role of ROLES) {
    const count = people[role] ?? 0;
    if (count === 0) {
      if (alwaysList.includes(role)) shown.push({ label: ROLE_LABELS[role], roles: [role], people: 0, hidden: false });
    } else if (count >= minGroupSize) {
      shown.push({ label: ROLE_LABELS[role], roles: [role], people: count, hidden: false });
    } else {
      small.push(role);
    }
  }
  if (small.length > 0) {
    const combined = small.reduce((sum, role) => sum + (people[role] ?? 0), 0);
    shown.push({ label: OTHER_ROLES, roles: small, people: combined, hidden: combined < minGroupSize });
  }
  return shown;
}

export function publishCounts(groups: RoleGroup[]): CountRow[] {
  return groups.map((g) => ({ label: g.label, people: g.hidden ? null : g.people, hidden: g.hidden }));
}

/** Publishes each group with a figure worked out over all of its roles together (rule 4). */
export function publishValues<T>(groups: RoleGroup[], valueOf: (roles: Role[]) => T): ValueRow<T>[] {
  return groups.map((g) => (g.hidden ? { label: g.label, people: null, hidden: true, value: null } : { label: g.label, people: g.people, hidden: false, value: valueOf(g.roles) }));
}

/** A figure across all roles, or null when showing it would give a hidden group away (rule 5). */
export function allRolesFigure<T>(groups: RoleGroup[], value: () => T): T | null {
  return groups.some((g) => g.hidden) ? null : value();
}

/** Counts distinct people per role in a list of things people did. */
export function countPeopleByRole<I>(items: readonly I[], roleOf: (item: I) => Role, personOf: (item: I) => string): PeopleByRole {
  const seen = new Map<Role, Set<string>>();
  for (const item of items) {
    const role = roleOf(item);
    const people = seen.get(role) ?? new Set<string>();
    people.add(personOf(item));
    seen.set(role, people);
  }
  return Object.fromEntries([...seen].map(([role, people]) => [role, people.size])) as PeopleByRole;
}

/**
 * The whole rule in one call for a list of things people did: groups the
 * people by role, then publishes a figure per group from that group's items.
 */
export function breakdown<I, T>(
  items: readonly I[],
  p: {
    roleOf: (item: I) => Role;
    personOf: (item: I) => string;
    minGroupSize: number;
    alwaysList?: readonly Role[];
    summarise: (items: I[]) => T;
  },
): { groups: RoleGroup[]; rows: ValueRow<T>[]; allRoles: T | null } {
  const groups = groupRoles(countPeopleByRole(items, p.roleOf, p.personOf), p.minGroupSize, p.alwaysList);
  const rows = publishValues(groups, (roles) => p.summarise(items.filter((i) => roles.includes(p.roleOf(i)))));
  return { groups, rows, allRoles: allRolesFigure(groups, () => p.summarise([...items])) };
}

/** Distinct people per role, published under the rule. */
export function countBreakdown<I>(items: readonly I[], p: { roleOf: (item: I) => Role; personOf: (item: I) => string; minGroupSize: number; alwaysList?: readonly Role[] }): CountRow[] {
  return publishCounts(groupRoles(countPeopleByRole(items, p.roleOf, p.personOf), p.minGroupSize, p.alwaysList));
}

// ------------------------------------------------------------------ quotes

/** `speaker` tells people apart for counting only; it is never published. */
export type RawQuote = { role: Role; speaker: string; text: string; source: string };
export type ShownQuote = { label: string; text: string; source: string };
export type QuoteSet = { withheld: boolean; quotes: ShownQuote[] };

/** Labels quotes by role, or "Other roles", or withholds them all (rule 6). */
export function labelQuotes(quotes: readonly RawQuote[], minGroupSize: number): QuoteSet {
  if (quotes.length === 0) return { withheld: false, quotes: [] };
  const byRole = countPeopleByRole(quotes, (q) => q.role, (q) => q.speaker);
  const speakers = new Set(quotes.map((q) => q.speaker)).size;
  if (speakers < minGroupSize) return { withheld: true, quotes: [] };
  const labelFor = (role: Role) => ((byRole[role] ?? 0) >= minGroupSize ? ROLE_LABELS[role] : OTHER_ROLES);
  const order = (label: string) => (label === OTHER_ROLES ? ROLES.length : ROLES.findIndex((r) => ROLE_LABELS[r] === label));
  // Sorted by label, source and text, never by who or when, so the order gives nobody away.
  return {
    withheld: false,
    quotes: quotes
      .map((q) => ({ label: labelFor(q.role), text: q.text, source: q.source }))
      .sort((a, b) => order(a.label) - order(b.label) || a.source.localeCompare(b.source) || a.text.localeCompare(b.text)),
  };
}
