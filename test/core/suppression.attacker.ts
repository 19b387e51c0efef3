import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { PARTICIPANT_ROLES, ROLE_LABELS, ROLES, type Role } from "../../src/roles.ts";
import { groupRoles, publishCounts, ROLE_NOT_KEPT, type CountRow, type PeopleByRole, type RoleKey } from "../../src/suppression.ts";

/**
 * The attacker of the small-group property test, and the programmes it is
 * tried on. Helpers only: the test is suppression.property.test.ts.
 */

// ------------------------------------------------------------------ programmes

export type Listened = "yes" | "partly" | "no";
/** What one person did in one week. `keepRole: false` stores their number answer without a role (null). */
export type Doing = { answer: boolean; score: number | null; keepRole: boolean; idea: boolean; panel: boolean; debrief: Listened | null };
export type Plan = { min: number; people: { id: string; role: Role }[]; audience: Role[]; weeks: [Doing[], Doing[]] };

/** Role sizes are drawn to sit on the edges: 0, 1, N-1, N, N+1, and anything up to 2N. */
const size = (min: number) => fc.oneof(fc.constantFrom(0, 1, min - 1, min, min + 1), fc.integer({ min: 0, max: 2 * min }));
const doing = fc.record({
  answer: fc.boolean(),
  score: fc.option(fc.integer({ min: 0, max: 10 })),
  keepRole: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  idea: fc.boolean(),
  panel: fc.boolean(),
  debrief: fc.option(fc.constantFrom<Listened>("yes", "partly", "no")),
});

export const plans = fc
  .record({
    min: fc.constantFrom(3, 5),
    audience: fc.subarray([...PARTICIPANT_ROLES], { minLength: 1 }),
  })
  .chain(({ min, audience }) =>
    fc.tuple(...ROLES.map(() => size(min))).chain((sizes) => {
      const people = ROLES.flatMap((role, r) => Array.from({ length: sizes[r]! }, (_, i) => ({ id: `${role}-${i}`, role })));
      const week = fc.array(doing, { minLength: people.length, maxLength: people.length });
      return fc.tuple(week, week).map((weeks): Plan => ({ min, people, audience, weeks }));
    }),
  );

// ------------------------------------------------------------------ what is true

/** The true count of people per role for each published breakdown, by its path in the digest. */
export type Truth = { byRole: PeopleByRole; possible: RoleKey[]; alwaysList: Role[]; total?: string; cumulative?: boolean };
export type WeekTruth = { breakdowns: Record<string, Truth>; soFar: PeopleByRole };

export function count<I>(items: readonly I[], key: (i: I) => RoleKey): PeopleByRole {
  const out: PeopleByRole = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

// ------------------------------------------------------------------ reading a digest as the attacker does

const KEYS: RoleKey[] = [...ROLES, "none"];
/** The role a row is about, or undefined for a row of several roles ("All roles together", or an older "Other roles"). */
const roleOfLabel = (label: string): RoleKey | undefined => (label === ROLE_NOT_KEPT ? "none" : ROLES.find((r) => ROLE_LABELS[r] === label));
const isRows = (v: unknown): v is CountRow[] => Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === "object" && "label" in r && "hidden" in r && "people" in r);

/** Every list of rows by role in a published digest, by path ("prompts.0.answeredByRole"). */
export function rowsIn(value: unknown, path = ""): Record<string, CountRow[]> {
  if (isRows(value)) return { [path]: value.map((r) => ({ label: r.label, people: r.people, hidden: r.hidden })) };
  if (!value || typeof value !== "object") return {};
  return Object.assign({}, ...Object.entries(value).map(([k, v]) => rowsIn(v, path ? `${path}.${k}` : k)));
}

export function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}

// ------------------------------------------------------------------ attacker 1: knows the rule, tries the possibilities

/**
 * For one breakdown: the small groups (1 to N-1 people) whose count is the
 * same in every count per role that the rule would have published exactly as
 * it was (rows, rows of 0, total), so the attacker would know it. Tries small
 * changes first (a person moved between two roles, one more or fewer), then
 * every split of the total, up to a budget; past the budget it counts as pinned.
 */
export function pinnedByRule(rows: CountRow[], total: number | null, truth: Truth, min: number): RoleKey[] {
  const published = (x: PeopleByRole) => publishCounts(groupRoles(x, min, truth.alwaysList));
  const sumOf = (x: PeopleByRole) => KEYS.reduce((a, r) => a + (x[r] ?? 0), 0);
  const consistent = (x: PeopleByRole) => (total === null || sumOf(x) === total) && isDeepStrictEqual(published(x), rows);
  if (!consistent(truth.byRole)) throw new Error(`the published rows ${JSON.stringify(rows)} do not follow from ${JSON.stringify(truth.byRole)}`);
  const targets = truth.possible.filter((r) => (truth.byRole[r] ?? 0) >= 1 && (truth.byRole[r] ?? 0) < min);
  return targets.filter((t) => !otherCount(t));

  function otherCount(t: RoleKey): boolean {
    const x0 = truth.byRole;
    for (const d of [1, -1, 2, -2]) {
      if (consistent({ ...x0, [t]: (x0[t] ?? 0) + d })) return true;
      for (const r of truth.possible) {
        if (r === t) continue;
        const x = { ...x0, [t]: (x0[t] ?? 0) + d, [r]: (x0[r] ?? 0) - d };
        if (x[t]! >= 0 && x[r]! >= 0 && consistent(x)) return true;
      }
    }
    // Every split of the same total, within a budget.
    let budget = 200_000;
    const free = truth.possible;
    const fill = (i: number, left: number, x: PeopleByRole): boolean => {
      if (--budget < 0) return false;
      if (i === free.length - 1) {
        const y = { ...x, [free[i]!]: left };
        return (y[t] ?? 0) !== (x0[t] ?? 0) && consistent(y);
      }
      for (let v = 0; v <= left; v++) if (fill(i + 1, left - v, { ...x, [free[i]!]: v })) return true;
      return false;
    };
    return fill(0, sumOf(x0), {});
  }
}


// ------------------------------------------------------------------ attacker 2: sums and differences across both weeks

type Equation = Map<string, number>;

/**
 * Writes every published figure of both weeks as a linear equation over the
 * true counts (x:week:path:role, people so far C:week:role, new people
 * N:role = C:2:role - C:1:role), then asks which small counts are fixed by
 * some sum or difference of them: those whose unit vector lies in the span.
 */
export function pinnedBySums(weeks: { digest: unknown; truth: WeekTruth }[], min: number): string[] {
  const equations: Equation[] = [];
  const small: string[] = [];
  const isSmall = (n: number) => n >= 1 && n < min;
  weeks.forEach(({ digest, truth }, w) => {
    for (const [path, rows] of Object.entries(rowsIn(digest))) {
      const t = truth.breakdowns[path];
      if (!t) throw new Error(`the attacker does not know what ${path} counts: add it to the truth`);
      // A figure built up week by week counts the same people as "so far": C:week:role.
      const v = (r: RoleKey) => (t.cumulative ? `C:${w}:${r}` : `x:${w}:${path}:${r}`);
      if (!t.cumulative) for (const r of t.possible) if (isSmall(t.byRole[r] ?? 0)) small.push(v(r));
      const named = new Set<RoleKey>();
      for (const row of rows) {
        const role = roleOfLabel(row.label);
        if (!role) continue;
        named.add(role);
        equations.push(new Map([[v(role), 1], ["=", row.people!]]));
      }
      const other = rows.find((r) => !roleOfLabel(r.label) && !r.hidden);
      if (other) equations.push(new Map([...t.possible.filter((r) => !named.has(r)).map((r): [string, number] => [v(r), 1]), ["=", other.people!]]));
      const total = t.total ? at(digest, t.total) : null;
      if (typeof total === "number") equations.push(new Map([...t.possible.map((r): [string, number] => [v(r), 1]), ["=", total]]));
    }
    const soFar = at(digest, "participation.continuity.peopleSoFar");
    if (typeof soFar === "number") equations.push(new Map([...ROLES.map((r): [string, number] => [`C:${w}:${r}`, 1]), ["=", soFar]]));
    for (const r of ROLES) if (isSmall(truth.soFar[r] ?? 0)) small.push(`C:${w}:${r}`);
  });
  for (const r of weeks.length === 2 ? ROLES : []) {
    equations.push(new Map([[`C:1:${r}`, 1], [`C:0:${r}`, -1], [`N:${r}`, -1], ["=", 0]]));
    if (isSmall((weeks[1]!.truth.soFar[r] ?? 0) - (weeks[0]!.truth.soFar[r] ?? 0))) small.push(`N:${r}`);
  }
  const names = [...new Set(equations.flatMap((e) => [...e.keys()]).filter((k) => k !== "="))];
  const matrix = equations.map((e) => names.map((n) => e.get(n) ?? 0));
  const base = rank(matrix);
  return small.filter((target) => {
    const i = names.indexOf(target);
    if (i < 0) return false;
    return rank([...matrix, names.map((_, j) => (j === i ? 1 : 0))]) === base;
  });
}

function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) < 1e-9) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let j = c; j < cols; j++) m[i]![j]! -= f * m[r]![j]!;
    }
    r++;
  }
  return r;
}
