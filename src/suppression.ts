import { ROLE_LABELS, ROLES, type Role } from "./roles.ts";

/**
 * Small-group suppression: the one rule for every breakdown by role that
 * evaluators or facilitators see (the weekly digest, the facilitators' answer
 * view, panel summaries). README "Small groups" says the same in plain English.
 *
 * N is settings.minGroupSize (5 unless changed). A "group" is the distinct
 * people of one role who did the thing being counted (not rows or answers).
 * Answers stored without a role (null) count as one more group, "Role not kept".
 *
 * 1. When every role has either nobody or N or more people, each is shown
 *    under its own label, and roles that were asked and have nobody are
 *    shown as 0 (an empty group cannot be recognised).
 * 2. When any role has 1 to N-1 people, no role is shown at all: only one
 *    group, "All roles together", with no rows of 0 (complementary
 *    suppression taken to its end: the other roles are hidden with the small
 *    one, because putting small roles together as "Other roles" beside shown
 *    roles can still be split when the reader knows which roles were asked).
 * 3. If all the people together are fewer than N, that one group is hidden
 *    too: no count, no figures, only "fewer than N".
 * 4. A total is only ever the sum of the rows shown beside it, so total minus
 *    rows tells nothing new.
 * 5. Figures for a group (averages, yes/partly/no counts) are worked out from
 *    everyone in it; a figure across all roles is given whenever the
 *    breakdown is not hidden.
 * 6. Counts that build up week by week (people so far) are shown for all
 *    roles together only, never by role, so taking last week's figure from
 *    this week's cannot single out the few new people of one role.
 * 7. Quotes carry their role only under rule 1 (every quoted role has N or
 *    more people quoted); otherwise they say "Someone". When fewer than N
 *    people are quoted in all, no quotes are shown.
 * 8. Single answers (the facilitators' answer view, panel summaries) carry
 *    their role only when N or more people of that role were asked, and
 *    "Someone" otherwise, or when the role was not kept (null).
 *
 * Everything here is pure: plain data in, plain data out.
 */

/** The one group shown when any role is small (rule 2). */
export const ALL_ROLES = "All roles together";
/** How an answer is labelled when its role would point at fewer than N people. */
export const SOMEONE = "Someone";
/** The group of answers whose role was not kept (stored as null). */
export const ROLE_NOT_KEPT = "Role not kept";

/** A role, or "none" for answers stored without one: such answers form a group of their own. */
export type RoleKey = Role | "none";
const KEYS: readonly RoleKey[] = [...ROLES, "none"];
const labelOf = (key: RoleKey) => (key === "none" ? ROLE_NOT_KEPT : ROLE_LABELS[key]);
const keyOf = (role: Role | null): RoleKey => role ?? "none";

/** How a set of roles is shown. `people` is the true count: never publish it for a hidden group. */
export type RoleGroup = { label: string; roles: RoleKey[]; people: number; hidden: boolean };

/** A group as published: a hidden group has no count and no figure. */
export type CountRow = { label: string; people: number | null; hidden: boolean };
export type ValueRow<T> = CountRow & { value: T | null };

export type PeopleByRole = Partial<Record<RoleKey, number>>;

/**
 * Decides the groups for a breakdown (rules 1 to 3). `alwaysList` names roles
 * shown as 0 when nobody of them took part, so a reader sees who was asked.
 */
export function groupRoles(people: PeopleByRole, minGroupSize: number, alwaysList: readonly Role[] = []): RoleGroup[] {
  const count = (role: RoleKey) => people[role] ?? 0;
  const present = KEYS.filter((r) => count(r) > 0);
  const total = present.reduce((sum, role) => sum + count(role), 0);
  if (present.some((r) => count(r) < minGroupSize)) return [{ label: ALL_ROLES, roles: present, people: total, hidden: total < minGroupSize }];
  return KEYS.flatMap((role): RoleGroup[] =>
    count(role) > 0 || (role !== "none" && alwaysList.includes(role)) ? [{ label: labelOf(role), roles: [role], people: count(role), hidden: false }] : [],
  );
}

export function publishCounts(groups: RoleGroup[]): CountRow[] {
  return groups.map((g) => ({ label: g.label, people: g.hidden ? null : g.people, hidden: g.hidden }));
}

/** Publishes each group with a figure worked out over all of its roles together (rule 5). */
export function publishValues<T>(groups: RoleGroup[], valueOf: (roles: RoleKey[]) => T): ValueRow<T>[] {
  return groups.map((g) => (g.hidden ? { label: g.label, people: null, hidden: true, value: null } : { label: g.label, people: g.people, hidden: false, value: valueOf(g.roles) }));
}

/** A figure across all roles, or null when the breakdown is hidden (rule 3). */
export function allRolesFigure<T>(groups: RoleGroup[], value: () => T): T | null {
  return groups.some((g) => g.hidden) ? null : value();
}

/** The number of people in a breakdown, or null when it is hidden (rule 3). */
export function totalPeople(groups: RoleGroup[]): number | null {
  return groups.some((g) => g.hidden) ? null : groups.reduce((sum, g) => sum + g.people, 0);
}

/** A count of people not split by role: shown when 0 or N or more, otherwise null ("fewer than N"). */
export function publishTotal(people: number, minGroupSize: number): number | null {
  return people > 0 && people < minGroupSize ? null : people;
}

/** Counts distinct people per role in a list of things people did. A null role (not kept) is counted as "none". */
export function countPeopleByRole<I>(items: readonly I[], roleOf: (item: I) => Role | null, personOf: (item: I) => string): PeopleByRole {
  const seen = new Map<RoleKey, Set<string>>();
  for (const item of items) {
    const role = keyOf(roleOf(item));
    const people = seen.get(role) ?? new Set<string>();
    people.add(personOf(item));
    seen.set(role, people);
  }
  return Object.fromEntries([...seen].map(([role, people]) => [role, people.size])) as PeopleByRole;
}

type BreakdownOptions<I> = { roleOf: (item: I) => Role | null; personOf: (item: I) => string; minGroupSize: number; alwaysList?: readonly Role[] };

/**
 * The whole rule in one call for a list of things people did: groups the
 * people by role, then publishes a figure per group from that group's items.
 * Items whose role was not kept (null) are a group of their own, "Role not kept".
 */
export function breakdown<I, T>(
  items: readonly I[],
  p: BreakdownOptions<I> & { summarise: (items: I[]) => T },
): { groups: RoleGroup[]; rows: ValueRow<T>[]; allRoles: T | null; people: number | null } {
  const groups = groupRoles(countPeopleByRole(items, p.roleOf, p.personOf), p.minGroupSize, p.alwaysList);
  const rows = publishValues(groups, (roles) => p.summarise(items.filter((i) => roles.includes(keyOf(p.roleOf(i))))));
  return { groups, rows, allRoles: allRolesFigure(groups, () => p.summarise([...items])), people: totalPeople(groups) };
}

/** Distinct people per role, published under the rule, with the total that goes beside the rows. */
export function countBreakdown<I>(items: readonly I[], p: BreakdownOptions<I>): { rows: CountRow[]; people: number | null } {
  const groups = groupRoles(countPeopleByRole(items, p.roleOf, p.personOf), p.minGroupSize, p.alwaysList);
  return { rows: publishCounts(groups), people: totalPeople(groups) };
}

// ------------------------------------------------------------------ single answers and quotes

/**
 * Rule 8: a labeller for single answers. `asked` is how many people of each
 * role were asked (sent the question, or on the panel).
 */
export function answerLabeller(asked: PeopleByRole, minGroupSize: number): (role: Role | null) => string {
  return (role) => (role && (asked[role] ?? 0) >= minGroupSize ? ROLE_LABELS[role] : SOMEONE);
}

/** `speaker` tells people apart for counting only; it is never published. */
export type RawQuote = { role: Role | null; speaker: string; text: string; source: string };
export type ShownQuote = { label: string; text: string; source: string };
export type QuoteSet = { withheld: boolean; quotes: ShownQuote[] };

/** Labels quotes by role under rule 1, "Someone" under rule 2, or withholds them all (rule 7). */
export function labelQuotes(quotes: readonly RawQuote[], minGroupSize: number): QuoteSet {
  if (quotes.length === 0) return { withheld: false, quotes: [] };
  const groups = groupRoles(countPeopleByRole(quotes, (q) => q.role, (q) => q.speaker), minGroupSize);
  if (groups.some((g) => g.hidden)) return { withheld: true, quotes: [] };
  const labelFor = (role: Role | null) => {
    const label = groups.find((g) => g.roles.includes(keyOf(role)))!.label;
    return label === ALL_ROLES ? SOMEONE : label;
  };
  const order = (label: string) => (label === SOMEONE ? KEYS.length : KEYS.findIndex((r) => labelOf(r) === label));
  // Sorted by label, source and text, never by who or when, so the order gives nobody away.
  return {
    withheld: false,
    quotes: quotes
      .map((q) => ({ label: labelFor(q.role), text: q.text, source: q.source }))
      .sort((a, b) => order(a.label) - order(b.label) || a.source.localeCompare(b.source) || a.text.localeCompare(b.text)),
  };
}
