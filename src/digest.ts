import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { CoreContext, CoreSettings } from "./context.ts";
import type { DbTx } from "./db/database.ts";
import { WesaidError } from "./errors.ts";
import type { Feature } from "./interactions.ts";
import { DAY, HOUR } from "./clock.ts";
import { authorise, consentState, membersWithRoles } from "./access.ts";
import { enqueue } from "./outbox.ts";
import { nextAllowedTime, weekStart } from "./time.ts";
import { PARTICIPANT_ROLES, ROLE_LABELS, rolesWith, type Role } from "./roles.ts";
import { breakdown, countBreakdown, labelQuotes, type CountRow, type QuoteSet, type RawQuote, type ValueRow } from "./suppression.ts";
import { parseInput } from "./validation.ts";
import * as say from "./messages/catalogue/digest.ts";

/**
 * The weekly digest: evidence for the evaluation team. It is plain JSON built
 * only by reading the loops' tables, stored once per programme and week, and
 * sent to the people who may read it (capability "digest.view").
 *
 * What it never holds: names, person ids or anything a person could be found
 * by. Breakdowns by role follow src/suppression.ts. Lists of ideas carry an
 * item number and role labels but none of the words. Words are quoted only
 * from people whose current quotation consent is yes.
 */

export const DIGEST_VERSION = 1;
/** After downtime, at most this many missed weeks are built, newest last. */
export const MAX_CATCH_UP_WEEKS = 8;
const WEEK = 7 * DAY;
const BATCH = 100;
const OPEN_STATUSES = ["received", "considering", "agreed"];

export type YesPartlyNo = { yes: number; partly: number; no: number };
export type ScaleFigure = { answers: number; mean: number | null; median: number | null };
export type ActivityKind = "answer" | "suggestion" | "taster" | "panel";
export type Continuity = { severalKinds: number; severalWeeks: number };

export type DigestData = {
  version: typeof DIGEST_VERSION;
  programme: string;
  weekStart: string;
  weekEnd: string;
  /** The moment the figures describe: the end of the week, or now for "this week so far". */
  asOf: string;
  partial: boolean;
  minGroupSize: number;
  prompts: {
    series: string;
    scheduledFor: string;
    anonymous: boolean;
    sent: number;
    answered: number;
    /** answered / sent, from 0 to 1; null when nothing was sent. */
    responseRate: number | null;
    answeredByRole: CountRow[];
    scales: { question: string; min: number; max: number; allRoles: ScaleFigure | null; byRole: ValueRow<ScaleFigure>[] }[];
  }[];
  participation: {
    people: number;
    byRole: CountRow[];
    byActivity: Record<ActivityKind, number>;
    continuity: Continuity & { peopleSoFar: number; byRole: ValueRow<Continuity>[] };
  };
  feedback: {
    newItems: number;
    newByRole: CountRow[];
    statusChanges: { number: number; from: string; to: string }[];
    firstResponse: { responded: number; medianHours: number | null };
    waitingForFirstResponse: number;
    overdue: { number: number; raisedBy: string; owner: string | null; daysOverdue: number }[];
    updatesPosted: number;
    reactions: YesPartlyNo;
    actions: { done: number; coOwned: number; coOwnedShare: number | null };
  };
  tasters: {
    signups: number;
    waitlisted: number;
    sessions: { title: string; startsAt: string; booked: number; waitlisted: number; attended: number; expectations: YesPartlyNo }[];
  };
  panels: {
    title: string;
    startsAt: string;
    members: number;
    membersByRole: CountRow[];
    debriefs: number;
    listenedTo: YesPartlyNo | null;
    listenedToByRole: ValueRow<YesPartlyNo>[];
  }[];
  quotes: QuoteSet & { notQuoted: number };
};

type Window = { from: Date; weekEnd: Date; end: Date };

// ------------------------------------------------------------------ small figures

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

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

function yesPartlyNo(answers: readonly (string | null | undefined)[]): YesPartlyNo {
  const tally: YesPartlyNo = { yes: 0, partly: 0, no: 0 };
  for (const a of answers) if (a === "yes" || a === "partly" || a === "no") tally[a]++;
  return tally;
}

const inWindow = (at: Date | null | undefined, from: Date, to: Date) => Boolean(at && at >= from && at < to);

// ------------------------------------------------------------------ who took part

type Activity = { personId: string; role: Role; kind: ActivityKind; at: Date };

/** Everything people did in the programme before `end`, from each loop's own table. */
async function activitiesBefore(db: DbTx, programmeId: string, end: Date): Promise<Activity[]> {
  const deliveries = await db.promptDelivery.findMany({
    where: { occurrence: { series: { programmeId } }, answeredAt: { lt: end } },
    select: { personId: true, role: true, answeredAt: true },
  });
  // Anonymous answers have no person; their delivery (which has one) counts them instead.
  const answers = await db.promptResponse.findMany({
    where: { occurrence: { series: { programmeId } }, personId: { not: null }, answeredAt: { lt: end } },
    select: { personId: true, role: true, answeredAt: true },
  });
  const ideas = await db.feedbackItem.findMany({
    where: { programmeId, raisedById: { not: null }, createdAt: { lt: end } },
    select: { raisedById: true, raisedByRole: true, createdAt: true },
  });
  const tasters = await db.tasterSignup.findMany({
    where: { taster: { programmeId, startsAt: { lt: end } }, attended: true },
    select: { personId: true, role: true, taster: { select: { startsAt: true } } },
  });
  // A panel member counts unless marked absent: attendance is not always recorded.
  const panelists = await db.panelMember.findMany({
    where: { panel: { programmeId, startsAt: { lt: end } }, NOT: { attended: false } },
    select: { personId: true, role: true, panel: { select: { startsAt: true } } },
  });
  const debriefs = await db.debriefResponse.findMany({
    where: { panel: { programmeId }, personId: { not: null }, submittedAt: { lt: end } },
    select: { personId: true, role: true, submittedAt: true },
  });
  return [
    ...deliveries.map((d) => ({ personId: d.personId, role: d.role, kind: "answer" as const, at: d.answeredAt! })),
    ...answers.map((a) => ({ personId: a.personId!, role: a.role, kind: "answer" as const, at: a.answeredAt })),
    ...ideas.map((i) => ({ personId: i.raisedById!, role: i.raisedByRole, kind: "suggestion" as const, at: i.createdAt })),
    ...tasters.map((t) => ({ personId: t.personId, role: t.role, kind: "taster" as const, at: t.taster.startsAt })),
    ...panelists.map((p) => ({ personId: p.personId, role: p.role, kind: "panel" as const, at: p.panel.startsAt })),
    ...debriefs.map((d) => ({ personId: d.personId!, role: d.role, kind: "panel" as const, at: d.submittedAt })),
  ];
}

function participation(all: Activity[], w: Window, minGroupSize: number): DigestData["participation"] {
  const week = all.filter((a) => inWindow(a.at, w.from, w.end));
  const peopleDoing = (kind: ActivityKind) => new Set(week.filter((a) => a.kind === kind).map((a) => a.personId)).size;

  // Continuity: per person, the kinds of activity and the weeks they took part in so far.
  const history = new Map<string, { role: Role; kinds: Set<ActivityKind>; weeks: Set<number> }>();
  for (const a of all) {
    const h = history.get(a.personId) ?? { role: a.role, kinds: new Set(), weeks: new Set() };
    h.kinds.add(a.kind);
    h.weeks.add(weekStart(a.at).getTime());
    history.set(a.personId, h);
  }
  const people = [...history].map(([personId, h]) => ({ personId, role: h.role, severalKinds: h.kinds.size >= 2, severalWeeks: h.weeks.size >= 2 }));
  const count = (list: typeof people): Continuity => ({ severalKinds: list.filter((p) => p.severalKinds).length, severalWeeks: list.filter((p) => p.severalWeeks).length });

  return {
    people: new Set(week.map((a) => a.personId)).size,
    byRole: countBreakdown(week, { roleOf: (a) => a.role, personOf: (a) => a.personId, minGroupSize, alwaysList: PARTICIPANT_ROLES }),
    byActivity: { answer: peopleDoing("answer"), suggestion: peopleDoing("suggestion"), taster: peopleDoing("taster"), panel: peopleDoing("panel") },
    continuity: {
      peopleSoFar: people.length,
      ...count(people),
      byRole: breakdown(people, { roleOf: (p) => p.role, personOf: (p) => p.personId, minGroupSize, summarise: count }).rows,
    },
  };
}

// ------------------------------------------------------------------ questions

async function prompts(db: DbTx, programmeId: string, w: Window, minGroupSize: number): Promise<DigestData["prompts"]> {
  const occurrences = await db.promptOccurrence.findMany({
    where: { series: { programmeId }, scheduledFor: { gte: w.from, lt: w.end } },
    include: { series: { select: { title: true, anonymous: true, audienceRoles: true, questions: { orderBy: { position: "asc" } } } } },
    orderBy: { scheduledFor: "asc" },
    take: BATCH,
  });
  const result: DigestData["prompts"] = [];
  for (const occurrence of occurrences) {
    const deliveries = await db.promptDelivery.findMany({ where: { occurrenceId: occurrence.id }, select: { personId: true, role: true, sentAt: true, answeredAt: true } });
    const responses = await db.promptResponse.findMany({ where: { occurrenceId: occurrence.id, answeredAt: { lt: w.end } }, select: { questionId: true, role: true, responseKey: true, number: true } });
    const sent = deliveries.filter((d) => d.sentAt && d.sentAt < w.end);
    const answered = deliveries.filter((d) => d.answeredAt && d.answeredAt < w.end);
    result.push({
      series: occurrence.series.title,
      scheduledFor: occurrence.scheduledFor.toISOString(),
      anonymous: occurrence.series.anonymous,
      sent: sent.length,
      answered: answered.length,
      responseRate: sent.length ? round(answered.length / sent.length, 3) : null,
      answeredByRole: countBreakdown(answered, { roleOf: (d) => d.role, personOf: (d) => d.personId, minGroupSize, alwaysList: occurrence.series.audienceRoles }),
      scales: occurrence.series.questions
        .filter((q) => q.kind === "scale")
        .map((q) => {
          const numbers = responses.filter((r) => r.questionId === q.id && r.number !== null);
          const figures = breakdown(numbers, { roleOf: (r) => r.role, personOf: (r) => r.responseKey, minGroupSize, summarise: (rs) => scaleFigure(rs.map((r) => r.number!)) });
          return { question: q.text, min: q.scaleMin, max: q.scaleMax, allRoles: figures.allRoles, byRole: figures.rows };
        }),
    });
  }
  return result;
}

// ------------------------------------------------------------------ ideas and what we did

function openAt(item: { status: string; createdAt: Date; closedAt: Date | null }, at: Date): boolean {
  if (item.createdAt >= at) return false;
  return item.closedAt ? item.closedAt >= at : OPEN_STATUSES.includes(item.status);
}

async function feedback(db: DbTx, programmeId: string, w: Window, minGroupSize: number): Promise<DigestData["feedback"]> {
  const created = await db.feedbackItem.findMany({ where: { programmeId, createdAt: { gte: w.from, lt: w.end } }, select: { id: true, raisedById: true, raisedByRole: true } });
  const changes = await db.feedbackStatusChange.findMany({
    where: { item: { programmeId }, from: { not: null }, changedAt: { gte: w.from, lt: w.end } },
    select: { from: true, to: true, item: { select: { number: true } } },
    orderBy: { changedAt: "asc" },
  });
  const responded = await db.feedbackItem.findMany({ where: { programmeId, firstRespondedAt: { gte: w.from, lt: w.end } }, select: { createdAt: true, firstRespondedAt: true } });
  const maybeOpen = await db.feedbackItem.findMany({
    where: { programmeId, createdAt: { lt: w.end }, OR: [{ closedAt: null }, { closedAt: { gte: w.end } }] },
    select: { number: true, status: true, createdAt: true, closedAt: true, dueAt: true, firstRespondedAt: true, raisedByRole: true, ownerId: true },
    orderBy: { number: "asc" },
  });
  const open = maybeOpen.filter((i) => openAt(i, w.end));
  const overdue = open.filter((i) => i.dueAt && i.dueAt < w.end);
  const ownerIds = [...new Set(overdue.map((i) => i.ownerId).filter((id): id is string => Boolean(id)))];
  const owners = await db.membership.findMany({ where: { programmeId, personId: { in: ownerIds } }, select: { personId: true, role: true } });
  const ownerRole = new Map(owners.map((o) => [o.personId, o.role]));
  const updatesPosted = await db.feedbackUpdate.count({ where: { programmeId, postedAt: { gte: w.from, lt: w.end } } });
  const reactions = await db.feedbackReaction.findMany({ where: { update: { programmeId }, reactedAt: { gte: w.from, lt: w.end } }, select: { answered: true } });
  const actions = await db.coOwnedAction.findMany({
    where: { programmeId, status: "done", doneAt: { gte: w.from, lt: w.end } },
    select: { owners: { select: { role: true } } },
  });
  // "We said, we did": an action owned jointly by an expert by experience and someone in another role.
  const coOwned = actions.filter((a) => a.owners.some((o) => o.role === "expert_by_experience") && a.owners.some((o) => o.role !== "expert_by_experience")).length;

  return {
    newItems: created.length,
    newByRole: countBreakdown(created, { roleOf: (i) => i.raisedByRole, personOf: (i) => i.raisedById ?? i.id, minGroupSize, alwaysList: PARTICIPANT_ROLES }),
    statusChanges: changes.map((c) => ({ number: c.item.number, from: c.from!, to: c.to })),
    firstResponse: { responded: responded.length, medianHours: median(responded.map((i) => (i.firstRespondedAt!.getTime() - i.createdAt.getTime()) / HOUR)) },
    waitingForFirstResponse: open.filter((i) => !i.firstRespondedAt || i.firstRespondedAt >= w.end).length,
    overdue: overdue.map((i) => {
      const role = i.ownerId ? ownerRole.get(i.ownerId) : undefined;
      return { number: i.number, raisedBy: ROLE_LABELS[i.raisedByRole], owner: role ? ROLE_LABELS[role] : null, daysOverdue: Math.floor((w.end.getTime() - i.dueAt!.getTime()) / DAY) };
    }),
    updatesPosted,
    reactions: yesPartlyNo(reactions.map((r) => r.answered)),
    actions: { done: actions.length, coOwned, coOwnedShare: actions.length ? round(coOwned / actions.length, 3) : null },
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
  return list.map((panel) => {
    const listened = breakdown(panel.debriefs, { roleOf: (d) => d.role, personOf: (d) => d.personId ?? d.id, minGroupSize, summarise: (ds) => yesPartlyNo(ds.map((d) => d.listenedTo)) });
    return {
      title: panel.title,
      startsAt: panel.startsAt.toISOString(),
      members: panel.members.length,
      membersByRole: countBreakdown(panel.members, { roleOf: (m) => m.role, personOf: (m) => m.personId, minGroupSize }),
      debriefs: panel.debriefs.length,
      listenedTo: listened.allRoles,
      listenedToByRole: listened.rows,
    };
  });
}

// ------------------------------------------------------------------ quotes

async function quotes(db: DbTx, settings: CoreSettings, programmeId: string, w: Window): Promise<DigestData["quotes"]> {
  // Anonymous series store answers without a person, so their quotation
  // consent cannot be checked: those answers are never quoted (counted in notQuoted).
  const answers = await db.promptResponse.findMany({
    where: { occurrence: { series: { programmeId } }, text: { not: null }, answeredAt: { gte: w.from, lt: w.end } },
    select: { personId: true, role: true, text: true, questionId: true },
  });
  const questionIds = [...new Set(answers.map((a) => a.questionId))];
  const questions = new Map((await db.promptQuestion.findMany({ where: { id: { in: questionIds } }, select: { id: true, text: true } })).map((q) => [q.id, q.text]));
  const debriefs = await db.debriefResponse.findMany({
    where: { panel: { programmeId }, submittedAt: { gte: w.from, lt: w.end } },
    select: { personId: true, role: true, wentWell: true, couldImprove: true, changeNextTime: true },
  });

  const candidates: (Omit<RawQuote, "speaker"> & { personId: string | null })[] = [
    ...answers.map((a) => ({ personId: a.personId, role: a.role, text: a.text!.trim(), source: say.quoteSources.answering(questions.get(a.questionId) ?? "") })),
    ...debriefs.flatMap((d) =>
      (
        [
          [d.wentWell, say.quoteSources.wentWell],
          [d.couldImprove, say.quoteSources.couldImprove],
          [d.changeNextTime, say.quoteSources.changeNextTime],
        ] as const
      ).map(([text, source]) => ({ personId: d.personId, role: d.role, text: text.trim(), source })),
    ),
  ].filter((c) => c.text.length > 0);

  const speakers = [...new Set(candidates.map((c) => c.personId).filter((id): id is string => Boolean(id)))];
  const consenting = new Set<string>();
  for (const personId of speakers) {
    const consent = await consentState(db, personId, programmeId, settings.consentPolicyVersion);
    if (consent.quotation === true) consenting.add(personId);
  }
  const quotable: RawQuote[] = candidates
    .filter((c) => c.personId && consenting.has(c.personId))
    .map((c) => ({ role: c.role, speaker: c.personId!, text: c.text, source: c.source }));
  return { ...labelQuotes(quotable, settings.minGroupSize), notQuoted: candidates.length - quotable.length };
}

// ------------------------------------------------------------------ the digest

/**
 * Builds the digest of one programme for the week [weekStart, weekStart + 7
 * days), as plain JSON. Only reads. `asOf` (default: the end of the week)
 * builds "the week so far": nothing after it is counted.
 */
export async function buildDigest(db: DbTx, settings: CoreSettings, programmeId: string, week: Date, options: { asOf?: Date } = {}): Promise<DigestData> {
  const from = weekStart(week);
  const weekEnd = new Date(from.getTime() + WEEK);
  const end = options.asOf && options.asOf < weekEnd ? options.asOf : weekEnd;
  const w: Window = { from, weekEnd, end };
  const min = settings.minGroupSize;
  const programme = await db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { name: true } });
  return {
    version: DIGEST_VERSION,
    programme: programme.name,
    weekStart: from.toISOString(),
    weekEnd: weekEnd.toISOString(),
    asOf: end.toISOString(),
    partial: end < weekEnd,
    minGroupSize: min,
    prompts: await prompts(db, programmeId, w, min),
    participation: participation(await activitiesBefore(db, programmeId, end), w, min),
    feedback: await feedback(db, programmeId, w, min),
    tasters: await tasters(db, programmeId, w),
    panels: await panels(db, programmeId, w, min),
    quotes: await quotes(db, settings, programmeId, w),
  };
}

/** Reads a stored digest, refusing shapes this version does not know. */
export function storedDigest(data: unknown): DigestData | null {
  return z.object({ version: z.literal(DIGEST_VERSION) }).loose().safeParse(data).success ? (data as DigestData) : null;
}

// ------------------------------------------------------------------ the weekly sweep

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

/** Who gets the digest: members who may read it and have not paused, each at their first moment outside quiet hours. */
async function digestReaders(tx: DbTx, programmeId: string, now: Date): Promise<{ personId: string; notBefore: Date }[]> {
  const members = await membersWithRoles(tx, programmeId, rolesWith("digest.view"));
  const prefs = new Map((await tx.preference.findMany({ where: { personId: { in: members.map((m) => m.personId) } } })).map((p) => [p.personId, p]));
  return members
    .filter((m) => !prefs.get(m.personId)?.pausedAt)
    .map((m) => {
      const pref = prefs.get(m.personId);
      return { personId: m.personId, notBefore: pref ? nextAllowedTime(now, pref) : now };
    });
}

/** Builds, claims and sends one week's digest. False when it was already there. */
export async function storeAndSendDigest(ctx: CoreContext, programmeId: string, week: Date, now: Date): Promise<boolean> {
  const data = await buildDigest(ctx.db, ctx.settings, programmeId, week);
  const id = randomUUID();
  return ctx.db.$transaction(async (tx) => {
    // The unique (programmeId, weekStart) is the claim: a second builder inserts nothing.
    const claim = await tx.digest.createMany({ data: [{ id, programmeId, weekStart: weekStart(week), generatedAt: now, data: data as object }], skipDuplicates: true });
    if (claim.count === 0) return false;
    const message = say.digestMessage(data, { programmeId });
    const readers = await digestReaders(tx, programmeId, now);
    await enqueue(
      tx,
      now,
      ...readers.map((r) => ({ key: `digest:${id}:${r.personId}`, purpose: "digest.weekly", personId: r.personId, programmeId, message, notBefore: r.notBefore })),
    );
    return true;
  });
}

export async function sendWeeklyDigests(ctx: CoreContext, now: Date): Promise<number> {
  const thisWeek = weekStart(now);
  const lastWeek = new Date(thisWeek.getTime() - WEEK);
  const earliest = new Date(thisWeek.getTime() - MAX_CATCH_UP_WEEKS * WEEK);
  // Weeks are built oldest first, so a programme with last week's digest is up to date.
  const programmes = await ctx.db.programme.findMany({
    where: { createdAt: { lt: thisWeek }, digests: { none: { weekStart: lastWeek } } },
    select: { id: true, createdAt: true, digests: { where: { weekStart: { gte: earliest } }, select: { weekStart: true } } },
    orderBy: { createdAt: "asc" },
    take: BATCH,
  });
  let built = 0;
  for (const programme of programmes) {
    for (const week of digestWeeksDue(now, programme.createdAt, programme.digests.map((d) => d.weekStart))) {
      try {
        if (await storeAndSendDigest(ctx, programme.id, week, now)) built++;
      } catch (error) {
        // One programme's failure must not hold up the others; it is tried again next tick.
        ctx.log.error("could not build a weekly digest", { programmeId: programme.id, week: week.toISOString(), error: error instanceof Error ? error.stack : String(error) });
        break;
      }
    }
  }
  return built;
}

// ------------------------------------------------------------------ chat

const showArgs = z.object({
  programmeId: z.string().min(1).optional(),
  week: z.enum(["current", "last"]).default("last"),
});

/** "digest", "digest current", "digest this week", "digest last". */
export function digestCommandArgs(rest: string): Record<string, string> {
  const words = rest.trim().toLowerCase();
  if (words === "" || /^(last|latest)\b/.test(words)) return {};
  if (/^(current|now|this|so far)\b/.test(words)) return { week: "current" };
  return { week: words };
}

export const digestFeature: Feature = {
  name: "digest",
  actions: [
    {
      action: "digest.show",
      async run(ctx, actor, args) {
        const input = parseInput(showArgs, args, { week: "Week" });
        const { programmeId } = authorise(actor, "digest.view", input.programmeId);
        if (input.week === "current") {
          const now = ctx.clock.now();
          return { private: say.digestMessage(await buildDigest(ctx.db, ctx.settings, programmeId, weekStart(now), { asOf: now }), { programmeId }) };
        }
        const latest = await ctx.db.digest.findFirst({ where: { programmeId }, orderBy: { weekStart: "desc" } });
        if (!latest) return { private: say.noDigestYet({ programmeId }) };
        const data = storedDigest(latest.data);
        if (!data) throw new WesaidError("not_found", say.digestText.unreadable);
        return { private: say.digestMessage(data, { programmeId }) };
      },
    },
  ],
  commands: [
    {
      name: "digest",
      aliases: ["summary"],
      usage: "digest [this week]",
      summary: "See the latest weekly summary for the evaluation team, or this week so far.",
      capability: "digest.view",
      toAction: (rest) => ({ action: "digest.show", args: digestCommandArgs(rest) }),
    },
  ],
  sweeps: [{ name: "digest.weekly", run: sendWeeklyDigests }],
};
