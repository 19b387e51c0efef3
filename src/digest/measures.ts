import { DAY } from "../clock.ts";
import { weekStart } from "../time.ts";
import { PARTICIPANT_ROLES, ROLE_LABELS, type Role } from "../roles.ts";
import { ALL_ROLES, breakdown, countBreakdown } from "../suppression.ts";
import { isCoOwned } from "../feedback/index.ts";
import type { AgeBands, DaysFigure, LoopMeasures, PanelRates, TasterFunnel, TrendPoint, WeDidAnswered, Window } from "./data.ts";
import type { History, IdeaHistory } from "./history.ts";
import { inWindow, median, round, WEEK, yesPartlyNo, type Activity } from "./rules.ts";

/** The loop measures and the trend, worked out in memory from the programme's history. Pure. */

const OPEN = new Set(["received", "considering", "agreed"]);
const CLOSED = new Set(["done", "not_possible"]);

/** The 90th percentile by nearest rank: the smallest value with at least 90% of values at or below it. */
export function percentile90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
}

export function daysFigure(days: readonly number[]): DaysFigure {
  const m = median(days);
  const p = percentile90(days);
  return { ideas: days.length, median: m === null ? null : round(m), p90: p === null ? null : round(p) };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const share = (part: number, whole: number) => (whole ? round(part / whole, 3) : null);
const daysBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY;

/** An idea's status just before `at`, from its history (or, with no history kept, from its close). */
export function statusAt(idea: IdeaHistory, at: Date): string | null {
  if (idea.createdAt >= at) return null;
  let status: string | null = null;
  for (const c of idea.changes) if (c.at < at) status = c.to;
  if (status) return status;
  if (idea.changes.length) return "received";
  return idea.closedAt && idea.closedAt < at ? idea.status : "received";
}

export const isOpenAt = (idea: IdeaHistory, at: Date) => OPEN.has(statusAt(idea, at) ?? "");

/** When each idea was first done: by a "we did" update that said so, or marked done some other way. */
function firstWeDid(h: History): Map<string, Date> {
  const first = new Map<string, Date>();
  const keep = (itemId: string, at: Date) => {
    const seen = first.get(itemId);
    if (!seen || at < seen) first.set(itemId, at);
  };
  for (const l of h.updateLinks) if (l.outcome === "done") keep(l.itemId, l.postedAt);
  for (const i of h.ideas) for (const c of i.changes) if (c.to === "done") keep(i.id, c.at);
  return first;
}

function ideaStates(h: History, at: Date) {
  const open = h.ideas.filter((i) => isOpenAt(i, at));
  const byAge: AgeBands = { underOneWeek: 0, oneToFourWeeks: 0, overFourWeeks: 0 };
  for (const i of open) {
    const age = at.getTime() - i.createdAt.getTime();
    if (age < WEEK) byAge.underOneWeek++;
    else if (age <= 4 * WEEK) byAge.oneToFourWeeks++;
    else byAge.overFourWeeks++;
  }
  return {
    open: open.length,
    openByAge: byAge,
    overdue: open.filter((i) => i.dueAt && i.dueAt < at).length,
    waitingForFirstReply: open.filter((i) => !i.firstRespondedAt || i.firstRespondedAt >= at).length,
  };
}

/** Days to a first reply, and to "we did", for ideas that reached it in [from, to). */
function timesTo(h: History, weDid: Map<string, Date>, from: Date, to: Date) {
  const firstReply = h.ideas.filter((i) => inWindow(i.firstRespondedAt, from, to)).map((i) => daysBetween(i.createdAt, i.firstRespondedAt!));
  const done = h.ideas.filter((i) => inWindow(weDid.get(i.id), from, to)).map((i) => daysBetween(i.createdAt, weDid.get(i.id)!));
  return { firstReply, done };
}

/** What the raisers said of the ideas answered by updates posted in [from, to), as of `end`. */
function weDidAnswered(h: History, from: Date, to: Date, end: Date): WeDidAnswered {
  const raiser = new Map(h.ideas.map((i) => [i.id, i.raisedById]));
  const asked = h.updateLinks.filter((l) => inWindow(l.postedAt, from, to) && raiser.get(l.itemId) && raiser.get(l.itemId) !== l.authorId);
  const said = new Map(h.reactions.filter((r) => r.reactedAt < end).map((r) => [`${r.updateId}:${r.itemId}:${r.personId}`, r.answered]));
  const answers = asked.map((l) => said.get(`${l.updateId}:${l.itemId}:${raiser.get(l.itemId)}`));
  const tally = yesPartlyNo(answers);
  const noReply = asked.length - tally.yes - tally.partly - tally.no;
  const n = asked.length;
  return {
    ...tally,
    noReply,
    asked: n,
    shares: n ? { yes: round(tally.yes / n, 3), partly: round(tally.partly / n, 3), no: round(tally.no / n, 3), noReply: round(noReply / n, 3) } : null,
  };
}

/**
 * Finished actions in [from, to): done co-owned actions, and ideas marked done
 * that no done co-owned action answers (those are counted once, as the action).
 */
export function finishedActions(h: History, from: Date, to: Date): LoopMeasures["actions"] {
  const actions = h.actions.filter((a) => inWindow(a.doneAt, from, to));
  const viaAction = new Set(h.actions.flatMap((a) => (a.itemId ? [a.itemId] : [])));
  const ideasDone = h.ideas.filter((i) => !viaAction.has(i.id) && i.changes.some((c) => c.to === "done" && inWindow(c.at, from, to))).length;
  const coOwned = actions.filter((a) => isCoOwned(a.ownerRoles)).length;
  const finished = actions.length + ideasDone;
  return { finished, coOwned, coOwnedShare: share(coOwned, finished) };
}

function tasterFunnel(h: History, from: Date, to: Date): TasterFunnel {
  const sessions = h.tasters.filter((t) => inWindow(t.startsAt, from, to));
  const signups = sessions.flatMap((t) => t.signups);
  const again = { yes: 0, maybe: 0, no: 0 };
  for (const s of signups) if (s.wouldTakePart === "yes" || s.wouldTakePart === "maybe" || s.wouldTakePart === "no") again[s.wouldTakePart]++;
  return {
    sessions: sessions.length,
    invited: sessions.reduce((sum, t) => sum + h.memberships.filter((m) => t.audienceRoles.includes(m.role) && m.joinedAt < t.startsAt).length, 0),
    signedUp: signups.length,
    waiting: signups.filter((s) => s.status === "waitlisted").length,
    offered: signups.filter((s) => s.offeredAt).length,
    offerExpired: signups.filter((s) => s.status === "expired").length,
    attended: signups.filter((s) => s.attended === true).length,
    expectations: yesPartlyNo(signups.map((s) => s.expectationsMet)),
    wouldTakePartAgain: again,
  };
}

type Seat = { panelId: string; personId: string; role: Role; attended: boolean; debriefed: boolean };

/** A panel member counts as there unless marked absent, as in "who took part" (attendance is not always recorded). */
function seats(h: History, from: Date, to: Date): Seat[] {
  return h.panels
    .filter((p) => inWindow(p.startsAt, from, to))
    .flatMap((p) => p.members.map((m) => ({ panelId: p.id, personId: m.personId, role: m.role, attended: m.attended !== false, debriefed: p.debriefers.has(m.personId) })));
}

function panelRates(list: readonly Seat[]): PanelRates {
  const attended = list.filter((s) => s.attended).length;
  const debriefed = list.filter((s) => s.debriefed).length;
  return { members: list.length, attended, debriefed, attendanceRate: share(attended, list.length), debriefRate: share(debriefed, attended) };
}

/** The loop measures of the week w, as at w.end. */
export function loopMeasures(h: History, w: Window, minGroupSize: number): LoopMeasures {
  const weDid = firstWeDid(h);
  const week = timesTo(h, weDid, w.from, w.end);
  const ever = timesTo(h, weDid, new Date(0), w.end);
  const reactions = h.reactions.filter((r) => inWindow(r.reactedAt, w.from, w.end));
  const reopened = h.ideas.filter((i) => i.changes.some((c) => c.from && CLOSED.has(c.from) && OPEN.has(c.to) && inWindow(c.at, w.from, w.end))).length;
  const panelSeats = seats(h, w.from, w.end);
  const panels = breakdown(panelSeats, { roleOf: (s) => s.role, personOf: (s) => s.personId, minGroupSize, summarise: panelRates });
  return {
    ideas: {
      ...ideaStates(h, w.end),
      daysToFirstReply: daysFigure(week.firstReply),
      daysToWeDid: daysFigure(week.done),
      daysToFirstReplySoFar: daysFigure(ever.firstReply),
      daysToWeDidSoFar: daysFigure(ever.done),
      notAnswered: { partly: reactions.filter((r) => r.answered === "partly").length, no: reactions.filter((r) => r.answered === "no").length, reopened },
    },
    weDidAnswered: weDidAnswered(h, w.from, w.end, w.end),
    actions: finishedActions(h, w.from, w.end),
    tasterFunnel: tasterFunnel(h, w.from, w.end),
    panelsByRole: { rows: panels.rows, allRoles: panels.allRoles },
  };
}

/** People taking part per participant role and all together, with the digest's suppression: a role not shown on its own is null. */
function participationByRole(activities: readonly Activity[], minGroupSize: number): TrendPoint["participationByRole"] {
  const { rows, people } = countBreakdown(activities, { roleOf: (a) => a.role, personOf: (a) => a.personId, minGroupSize });
  const together = rows.some((r) => r.label === ALL_ROLES);
  const byRole = Object.fromEntries(PARTICIPANT_ROLES.map((role) => [role, together ? null : (rows.find((r) => r.label === ROLE_LABELS[role])?.people ?? 0)]));
  return { ...byRole, all: people } as TrendPoint["participationByRole"];
}

/**
 * One point per week from the programme's first week to the week of w, each
 * worked out as that week's digest would have been at its end (this week: at w.end).
 */
export function trend(h: History, activities: readonly Activity[], programmeStart: Date, w: Window, minGroupSize: number): TrendPoint[] {
  const weDid = firstWeDid(h);
  const points: TrendPoint[] = [];
  const byWeek = new Map<number, Activity[]>();
  for (const a of activities) {
    const key = weekStart(a.at).getTime();
    const list = byWeek.get(key);
    if (list) list.push(a);
    else byWeek.set(key, [a]);
  }
  for (let start = weekStart(programmeStart).getTime(); start <= w.from.getTime(); start += WEEK) {
    const from = new Date(start);
    const end = start === w.from.getTime() ? w.end : new Date(start + WEEK);
    const states = ideaStates(h, end);
    const times = timesTo(h, weDid, from, end);
    const sent = h.deliveries.filter((d) => inWindow(d.scheduledFor, from, end));
    const panel = panelRates(seats(h, from, end));
    const weekActivities = byWeek.get(start) ?? [];
    points.push({
      weekStart: from.toISOString(),
      participationByRole: participationByRole(weekActivities.filter((a) => a.at < end), minGroupSize),
      newIdeas: h.ideas.filter((i) => inWindow(i.createdAt, from, end)).length,
      openIdeas: states.open,
      overdueIdeas: states.overdue,
      waitingForFirstReply: states.waitingForFirstReply,
      medianDaysToFirstReply: daysFigure(times.firstReply).median,
      medianDaysToWeDid: daysFigure(times.done).median,
      p90DaysToWeDid: daysFigure(times.done).p90,
      weDidAnsweredYesShare: weDidAnswered(h, from, end, end).shares?.yes ?? null,
      coOwnedShare: finishedActions(h, from, end).coOwnedShare,
      tastersAttended: tasterFunnel(h, from, end).attended,
      panelAttendanceRate: panel.attendanceRate,
      debriefRate: panel.debriefRate,
      responseRate: share(sum(sent.map((d) => d.answered)), sum(sent.map((d) => d.sent))),
    });
  }
  return points;
}
