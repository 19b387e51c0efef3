import type { CoreSettings } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { HOUR, DAY } from "../clock.ts";
import { weekStart } from "../time.ts";
import { PARTICIPANT_ROLES, ROLE_LABELS, type Role } from "../roles.ts";
import { countBreakdown } from "../suppression.ts";
import { DIGEST_VERSION, SUPPORT_LIST, type DigestData, type IdeaSupport, type Window } from "./data.ts";
import { median, occurrenceFiguresFromCounts, openAt, panelFigures, participation, raiserLabels, round, WEEK, yesPartlyNo } from "./rules.ts";
import { quotes } from "./quotes.ts";
import { readHistory, type History } from "./history.ts";
import { finishedActions, loopMeasures, trend } from "./measures.ts";
import { readStages } from "./stages.ts";
import { activitiesBefore } from "./activities.ts";
import { promptCounts } from "./prompt-counts.ts";
import { codeCounts } from "../coding/index.ts";
import { supportFor } from "../feedback/index.ts";
import { checksForDigest } from "../member-checks/index.ts";

/** Builds the digest by reading each loop's tables. Only reads. */

const BATCH = 100;

async function prompts(db: DbTx, programmeId: string, w: Window, minGroupSize: number): Promise<DigestData["prompts"]> {
  const occurrences = await db.promptOccurrence.findMany({
    where: { series: { programmeId }, scheduledFor: { gte: w.from, lt: w.end } },
    include: { series: { select: { title: true, anonymous: true, audienceRoles: true, questions: { where: { kind: "scale" }, orderBy: { position: "asc" } } } } },
    orderBy: { scheduledFor: "asc" },
    take: BATCH,
  });
  const scaleQuestionIds = [...new Set(occurrences.flatMap((o) => o.series.questions.map((q) => q.id)))];
  const counts = await promptCounts(db, occurrences.map((o) => ({ id: o.id, anonymous: o.series.anonymous })), scaleQuestionIds, w.end);
  return occurrences.map((occurrence) => ({
    series: occurrence.series.title,
    scheduledFor: occurrence.scheduledFor.toISOString(),
    anonymous: occurrence.series.anonymous,
    ...occurrenceFiguresFromCounts({ audience: occurrence.series.audienceRoles, scaleQuestions: occurrence.series.questions, counts: counts.get(occurrence.id)! }, minGroupSize),
  }));
}

async function feedback(db: DbTx, programmeId: string, w: Window, minGroupSize: number, history: History): Promise<DigestData["feedback"]> {
  const created = await db.feedbackItem.findMany({ where: { programmeId, createdAt: { gte: w.from, lt: w.end } }, select: { id: true, raisedById: true, raisedByRole: true } });
  const changes = await db.feedbackStatusChange.findMany({
    where: { item: { programmeId }, from: { not: null }, changedAt: { gte: w.from, lt: w.end } },
    select: { from: true, to: true, item: { select: { number: true } } },
    orderBy: { changedAt: "asc" },
  });
  const responded = await db.feedbackItem.findMany({ where: { programmeId, firstRespondedAt: { gte: w.from, lt: w.end } }, select: { createdAt: true, firstRespondedAt: true } });
  const maybeOpen = await db.feedbackItem.findMany({
    where: { programmeId, createdAt: { lt: w.end }, OR: [{ closedAt: null }, { closedAt: { gte: w.end } }] },
    select: { id: true, number: true, status: true, createdAt: true, closedAt: true, dueAt: true, firstRespondedAt: true, raisedById: true, raisedByRole: true, ownerId: true },
    orderBy: { number: "asc" },
  });
  const open = maybeOpen.filter((i) => openAt(i, w.end));
  // Who raised an overdue idea is named by role only where that role's group among open ideas is shown.
  const raisedBy = raiserLabels(open, minGroupSize);
  const overdue = open.filter((i) => i.dueAt && i.dueAt < w.end);
  const ownerIds = [...new Set(overdue.map((i) => i.ownerId).filter((id): id is string => Boolean(id)))];
  const owners = await db.membership.findMany({ where: { programmeId, personId: { in: ownerIds } }, select: { personId: true, role: true } });
  const ownerRole = new Map(owners.map((o) => [o.personId, o.role]));
  const updatesPosted = await db.feedbackUpdate.count({ where: { programmeId, postedAt: { gte: w.from, lt: w.end } } });
  const reactions = await db.feedbackReaction.findMany({ where: { update: { programmeId }, reactedAt: { gte: w.from, lt: w.end } }, select: { answered: true } });
  // "We said, we did" over everything finished: co-owned actions and ideas marked done alike.
  const actions = finishedActions(history, w.from, w.end);
  const support = await ideaSupport(db, programmeId, open, w, minGroupSize);

  return {
    newItems: created.length,
    newByRole: countBreakdown(created, { roleOf: (i) => i.raisedByRole, personOf: (i) => i.raisedById ?? i.id, minGroupSize, alwaysList: PARTICIPANT_ROLES }).rows,
    statusChanges: changes.map((c) => ({ number: c.item.number, from: c.from!, to: c.to })),
    firstResponse: { responded: responded.length, medianHours: median(responded.map((i) => (i.firstRespondedAt!.getTime() - i.createdAt.getTime()) / HOUR)) },
    waitingForFirstResponse: open.filter((i) => !i.firstRespondedAt || i.firstRespondedAt >= w.end).length,
    overdue: overdue.map((i) => {
      const role = i.ownerId ? ownerRole.get(i.ownerId) : undefined;
      return { number: i.number, raisedBy: raisedBy(i), owner: role ? ROLE_LABELS[role] : null, daysOverdue: Math.floor((w.end.getTime() - i.dueAt!.getTime()) / DAY) };
    }),
    updatesPosted,
    reactions: yesPartlyNo(reactions.map((r) => r.answered)),
    actions: { done: actions.finished, coOwned: actions.coOwned, coOwnedShare: actions.coOwnedShare },
    support,
  };
}

/** "This matters to me too" on the ideas open at the end of the week. */
async function ideaSupport(db: DbTx, programmeId: string, open: { id: string; number: number }[], w: Window, minGroupSize: number): Promise<IdeaSupport> {
  const support = await supportFor(db, open.map((i) => i.id), w.end);
  const supported = open
    .map((i) => ({ number: i.number, supporters: support.get(i.id)!.followers }))
    .filter((i) => i.supporters > 0)
    .sort((a, b) => b.supporters - a.supporters || a.number - b.number);
  const people = [...support.values()].flatMap((s) => s.people);
  return {
    ideas: supported.slice(0, SUPPORT_LIST),
    ideasWithSupport: supported.length,
    followsThisWeek: await db.ideaFollower.count({ where: { item: { programmeId }, followedAt: { gte: w.from, lt: w.end } } }),
    supportersByRole: countBreakdown(people, { roleOf: (p) => p.role, personOf: (p) => p.personId, minGroupSize }).rows,
  };
}

// ------------------------------------------------------------------ tasters and panels

async function tasters(db: DbTx, programmeId: string, w: Window): Promise<DigestData["tasters"]> {
  const signups = await db.tasterSignup.findMany({ where: { taster: { programmeId }, queuedAt: { gte: w.from, lt: w.end } }, select: { status: true } });
  const sessions = await db.taster.findMany({
    where: { programmeId, cancelledAt: null, startsAt: { gte: w.from, lt: w.weekEnd } },
    include: { signups: { select: { status: true, attended: true, expectationsMet: true } } },
    orderBy: { startsAt: "asc" },
    take: BATCH,
  });
  return {
    signups: signups.length,
    waitlisted: signups.filter((s) => s.status === "waitlisted").length,
    sessions: sessions.map((t) => ({
      title: t.title,
      startsAt: t.startsAt.toISOString(),
      booked: t.signups.filter((s) => s.status === "booked").length,
      waitlisted: t.signups.filter((s) => s.status === "waitlisted").length,
      attended: t.signups.filter((s) => s.attended === true).length,
      expectations: yesPartlyNo(t.signups.map((s) => s.expectationsMet)),
    })),
  };
}

async function panels(db: DbTx, programmeId: string, w: Window, minGroupSize: number): Promise<DigestData["panels"]> {
  const list = await db.panel.findMany({
    where: { programmeId, OR: [{ startsAt: { gte: w.from, lt: w.weekEnd } }, { debriefs: { some: { submittedAt: { gte: w.from, lt: w.end } } } }] },
    include: { members: { select: { personId: true, role: true } }, debriefs: { where: { submittedAt: { lt: w.end } }, select: { id: true, personId: true, role: true, listenedTo: true } } },
    orderBy: { startsAt: "asc" },
    take: BATCH,
  });
  return list.map((panel) => ({
    title: panel.title,
    startsAt: panel.startsAt.toISOString(),
    ...panelFigures(panel.members, panel.debriefs, minGroupSize),
  }));
}

/**
 * Builds the digest of one programme for the week [weekStart, weekStart + 7
 * days), as plain JSON. Only reads. `asOf` (default: the end of the week)
 * builds "the week so far": nothing after it is counted. `span`, when given,
 * runs each part, so it can be timed (bench/digest.ts).
 */
export async function buildDigest(
  db: DbTx,
  settings: CoreSettings,
  programmeId: string,
  week: Date,
  options: { asOf?: Date; span?: <T>(name: string, read: () => Promise<T> | T) => Promise<T> } = {},
): Promise<DigestData> {
  const from = weekStart(week);
  const weekEnd = new Date(from.getTime() + WEEK);
  const end = options.asOf && options.asOf < weekEnd ? options.asOf : weekEnd;
  const w: Window = { from, weekEnd, end };
  const min = settings.minGroupSize;
  const part = options.span ?? (<T>(_name: string, read: () => Promise<T> | T) => Promise.resolve(read()));
  const programme = await part("programme", () => db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { name: true, createdAt: true } }));
  const history = await part("history", () => readHistory(db, programmeId, end));
  const activities = await part("activities", () => activitiesBefore(db, programmeId, end));
  return {
    version: DIGEST_VERSION,
    programme: programme.name,
    weekStart: from.toISOString(),
    weekEnd: weekEnd.toISOString(),
    asOf: end.toISOString(),
    partial: end < weekEnd,
    minGroupSize: min,
    prompts: await part("prompts", () => prompts(db, programmeId, w, min)),
    participation: await part("participation", () => participation(activities, w, min)),
    feedback: await part("feedback", () => feedback(db, programmeId, w, min, history)),
    tasters: await part("tasters", () => tasters(db, programmeId, w)),
    panels: await part("panels", () => panels(db, programmeId, w, min)),
    quotes: await part("quotes", () => quotes(db, settings, programmeId, w)),
    measures: await part("measures", () => loopMeasures(history, w, min)),
    trend: await part("trend", () => trend(history, activities, programme.createdAt < from ? programme.createdAt : from, w, min)),
    stages: await part("stages", () => readStages(db, programmeId, end, min)),
    codes: await part("codes", () => codeCounts(db, programmeId, end, min)),
    memberChecks: await part("member checks", () => checksForDigest(db, programmeId, w, min)),
  };
}
