import { DAY } from "../clock.ts";
import { weekStart } from "../time.ts";
import { PARTICIPANT_ROLES, type Role } from "../roles.ts";
import { ALL_ROLES, breakdown, countBreakdown, countPeopleByRole, groupRoles, publishTotal, SOMEONE } from "../suppression.ts";
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
export function occurrenceFigures(
  p: {
    audience: readonly Role[];
    deliveries: readonly { personId: string; role: Role; sentAt: Date | null; answeredAt: Date | null }[];
    responses: readonly { questionId: string; role: Role | null; responseKey: string; number: number | null }[];
    scaleQuestions: readonly { id: string; text: string; scaleMin: number; scaleMax: number }[];
  },
  end: Date,
  minGroupSize: number,
): Pick<DigestData["prompts"][number], "sent" | "answered" | "responseRate" | "answeredByRole" | "scales"> {
  const sent = p.deliveries.filter((d) => d.sentAt && d.sentAt < end);
  const answered = p.deliveries.filter((d) => d.answeredAt && d.answeredAt < end);
  const who = countBreakdown(answered, { roleOf: (d) => d.role, personOf: (d) => d.personId, minGroupSize, alwaysList: p.audience });
  return {
    sent: sent.length,
    answered: who.people,
    responseRate: who.people !== null && sent.length ? round(who.people / sent.length, 3) : null,
    answeredByRole: who.rows,
    scales: p.scaleQuestions.map((q) => {
      const numbers = p.responses.filter((r) => r.questionId === q.id && r.number !== null);
      const figures = breakdown(numbers, { roleOf: (r) => r.role, personOf: (r) => r.responseKey, minGroupSize, summarise: (rs) => scaleFigure(rs.map((r) => r.number!)) });
      return { question: q.text, min: q.scaleMin, max: q.scaleMax, allRoles: figures.allRoles, byRole: figures.rows };
    }),
  };
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
