import { DAY } from "../clock.ts";
import { weekStart } from "../time.ts";
import { PARTICIPANT_ROLES, type Role } from "../roles.ts";
import { ALL_ROLES, allRolesFigure, breakdown, countBreakdown, countPeopleByRole, groupRoles, publishCounts, publishTotal, publishValues, SOMEONE, totalPeople, type PeopleByRole, type RoleKey } from "../suppression.ts";
import { MAX_CATCH_UP_WEEKS, type ActivityKind, type DigestData, type ScaleFigure, type Window, type YesPartlyNo } from "./data.ts";

/** Pure decisions and figures of the digest: no database. */

export const WEEK = 7 * DAY;
const OPEN_STATUSES = ["received", "considering", "agreed"];

export const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function scaleFigure(values: readonly number[]): ScaleFigure {
  const m = median(values);
  return {
    answers: values.length,
    mean: values.length ? round(values.reduce((a, b) => a + b, 0) / values.length) : null,
    median: m === null ? null : round(m),
  };
}

export function yesPartlyNo(answers: readonly (string | null | undefined)[]): YesPartlyNo {
  const tally: YesPartlyNo = { yes: 0, partly: 0, no: 0 };
  for (const a of answers) if (a === "yes" || a === "partly" || a === "no") tally[a]++;
  return tally;
}

export const inWindow = (at: Date | null | undefined, from: Date, to: Date) => Boolean(at && at >= from && at < to);

export type Activity = { personId: string; role: Role; kind: ActivityKind; at: Date };

/** Who took part this week, by role; and who kept taking part so far, for all roles together only (suppression rule 7). */
export function participation(all: Activity[], w: Window, minGroupSize: number): DigestData["participation"] {
  const week = all.filter((a) => inWindow(a.at, w.from, w.end));
  const peopleDoing = (kind: ActivityKind) => publishTotal(new Set(week.filter((a) => a.kind === kind).map((a) => a.personId)).size, minGroupSize);

  // Continuity: per person, the kinds of activity and the weeks they took part in so far.
  const history = new Map<string, { kinds: Set<ActivityKind>; weeks: Set<number> }>();
  for (const a of all) {
    const h = history.get(a.personId) ?? { kinds: new Set(), weeks: new Set() };
    h.kinds.add(a.kind);
    h.weeks.add(weekStart(a.at).getTime());
    history.set(a.personId, h);
  }
  const people = [...history.values()];
  const byRole = countBreakdown(week, { roleOf: (a) => a.role, personOf: (a) => a.personId, minGroupSize, alwaysList: PARTICIPANT_ROLES });

  return {
    people: byRole.people,
    byRole: byRole.rows,
    byActivity: { answer: peopleDoing("answer"), suggestion: peopleDoing("suggestion"), taster: peopleDoing("taster"), panel: peopleDoing("panel") },
    continuity: {
      peopleSoFar: publishTotal(people.length, minGroupSize),
      severalKinds: publishTotal(people.filter((p) => p.kinds.size >= 2).length, minGroupSize),
      severalWeeks: publishTotal(people.filter((p) => p.weeks.size >= 2).length, minGroupSize),
    },
  };
}

/** One asking of a question set, as the digest shows it: who answered by role, and number answers by role. */
/** How many of each role gave each value of a scale question: [value, answers] pairs. */
export type ValueCounts = Partial<Record<RoleKey, [number, number][]>>;
/** One occurrence's prompts figures before the small-group rule: counts only. */
export type OccurrenceCounts = {
  sent: number;
  /** People who answered, by role. */
  answeredBy: PeopleByRole;
  /** By scale question id; a person gives one answer to a question, so answers are people. */
  scaleValues: Map<string, ValueCounts>;
};

/** The figures of one occurrence from the rows themselves (the counts below, worked out in memory). */
export function occurrenceFigures(
  p: {
    audience: readonly Role[];
    anonymous: boolean;
    deliveries: readonly { personId: string; role: Role; sentAt: Date | null; answeredAt: Date | null }[];
    responses: readonly { questionId: string; role: Role | null; responseKey: string; number: number | null }[];
    scaleQuestions: readonly { id: string; text: string; scaleMin: number; scaleMax: number }[];
  },
  end: Date,
  minGroupSize: number,
): Pick<DigestData["prompts"][number], "sent" | "answered" | "responseRate" | "answeredByRole" | "scales"> {
  // Anonymous answers leave no mark on the delivery: one person's answers share a key, so keys count people.
  const answered: { personId: string; role: Role | null }[] = p.anonymous
    ? [...new Map(p.responses.map((r) => [r.responseKey, { personId: r.responseKey, role: r.role }])).values()]
    : p.deliveries.filter((d) => d.answeredAt && d.answeredAt < end);
  const scaleValues = new Map<string, ValueCounts>();
  for (const q of p.scaleQuestions) {
    const tally = new Map<RoleKey, Map<number, number>>();
    for (const r of p.responses) {
      if (r.questionId !== q.id || r.number === null) continue;
      const values = tally.get(r.role ?? "none") ?? new Map<number, number>();
      tally.set(r.role ?? "none", values.set(r.number, (values.get(r.number) ?? 0) + 1));
    }
    scaleValues.set(q.id, Object.fromEntries([...tally].map(([role, values]) => [role, [...values]])));
  }
  const counts: OccurrenceCounts = {
    sent: p.deliveries.filter((d) => d.sentAt && d.sentAt < end).length,
    answeredBy: countPeopleByRole(answered, (d) => d.role, (d) => d.personId),
    scaleValues,
  };
  return occurrenceFiguresFromCounts({ audience: p.audience, scaleQuestions: p.scaleQuestions, counts }, minGroupSize);
}

/** The figures of one occurrence from its counts (src/digest/prompt-counts.ts), under the small-group rule. */
export function occurrenceFiguresFromCounts(
  p: { audience: readonly Role[]; scaleQuestions: readonly { id: string; text: string; scaleMin: number; scaleMax: number }[]; counts: OccurrenceCounts },
  minGroupSize: number,
): Pick<DigestData["prompts"][number], "sent" | "answered" | "responseRate" | "answeredByRole" | "scales"> {
  const { sent } = p.counts;
  const who = groupRoles(p.counts.answeredBy, minGroupSize, p.audience);
  const people = totalPeople(who);
  return {
    sent,
    answered: people,
    responseRate: people !== null && sent ? round(people / sent, 3) : null,
    answeredByRole: publishCounts(who),
    scales: p.scaleQuestions.map((q) => {
      const values = p.counts.scaleValues.get(q.id) ?? {};
      const answersBy = Object.fromEntries(
        Object.entries(values).map(([role, pairs]) => [role, pairs!.reduce((sum, [, n]) => sum + n, 0)]).filter(([, n]) => (n as number) > 0),
      ) as PeopleByRole;
      const groups = groupRoles(answersBy, minGroupSize);
      const figure = (roles: readonly RoleKey[]) => scaleFigureFromCounts(roles.flatMap((role) => values[role] ?? []));
      return {
        question: q.text,
        min: q.scaleMin,
        max: q.scaleMax,
        allRoles: allRolesFigure(groups, () => figure(Object.keys(values) as RoleKey[])),
        byRole: publishValues(groups, figure),
      };
    }),
  };
}

/** scaleFigure from how many gave each value, without listing every answer. */
export function scaleFigureFromCounts(pairs: readonly (readonly [number, number])[]): ScaleFigure {
  const sorted = [...pairs].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const answers = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (answers === 0) return { answers: 0, mean: null, median: null };
  // The value at (0-based) position i in the sorted answers.
  const at = (i: number) => {
    let seen = 0;
    for (const [value, n] of sorted) if ((seen += n) > i) return value;
    throw new Error("position past the answers");
  };
  const mid = Math.floor(answers / 2);
  const m = answers % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  return { answers, mean: round(sorted.reduce((sum, [v, n]) => sum + v * n, 0) / answers), median: round(m) };
}

/** A panel as the digest shows it: members by role, and whether they felt listened to, by role. */
export function panelFigures(
  members: readonly { personId: string; role: Role }[],
  debriefs: readonly { id: string; personId: string | null; role: Role | null; listenedTo: string }[],
  minGroupSize: number,
): Pick<DigestData["panels"][number], "members" | "membersByRole" | "debriefs" | "listenedTo" | "listenedToByRole"> {
  const onIt = countBreakdown(members, { roleOf: (m) => m.role, personOf: (m) => m.personId, minGroupSize });
  const listened = breakdown(debriefs, { roleOf: (d) => d.role, personOf: (d) => d.personId ?? d.id, minGroupSize, summarise: (ds) => yesPartlyNo(ds.map((d) => d.listenedTo)) });
  return { members: onIt.people, membersByRole: onIt.rows, debriefs: listened.people, listenedTo: listened.allRoles, listenedToByRole: listened.rows };
}

/**
 * The label for who raised an idea: the group its raiser's role falls in among
 * everyone who raised the ideas listed: its role when every role there has N or more people, else "someone".
 */
export function raiserLabels<I extends { raisedById: string | null; raisedByRole: Role | null; number: number }>(items: readonly I[], minGroupSize: number): (item: I) => string {
  const groups = groupRoles(countPeopleByRole(items, (i) => i.raisedByRole, (i) => i.raisedById ?? `idea-${i.number}`), minGroupSize);
  return (item) => {
    const group = groups.find((g) => g.roles.includes(item.raisedByRole ?? "none"));
    return !group || group.hidden || group.label === ALL_ROLES ? SOMEONE.toLowerCase() : group.label;
  };
}

export function openAt(item: { status: string; createdAt: Date; closedAt: Date | null }, at: Date): boolean {
  if (item.createdAt >= at) return false;
  return item.closedAt ? item.closedAt >= at : OPEN_STATUSES.includes(item.status);
}

/**
 * The weeks whose digest is due at `now`, oldest first: weeks that have ended,
 * that the programme existed in, that have no digest yet, and no more than
 * the last `maxWeeks` (so a long outage does not flood anyone).
 */
export function digestWeeksDue(now: Date, programmeCreatedAt: Date, existing: readonly Date[], maxWeeks = MAX_CATCH_UP_WEEKS): Date[] {
  const current = weekStart(now).getTime();
  const first = weekStart(programmeCreatedAt).getTime();
  const have = new Set(existing.map((d) => d.getTime()));
  const due: Date[] = [];
  for (let back = maxWeeks; back >= 1; back--) {
    const start = current - back * WEEK;
    if (start >= first && !have.has(start)) due.push(new Date(start));
  }
  return due;
}

/** "digest", "digest current", "digest this week", "digest last". */
export function digestCommandArgs(rest: string): Record<string, string> {
  const words = rest.trim().toLowerCase();
  if (words === "" || /^(last|latest)\b/.test(words)) return {};
  if (/^(current|now|this|so far)\b/.test(words)) return { week: "current" };
  return { week: words };
}
