import { z } from "zod";
import type { Role } from "../roles.ts";
import type { CountRow, QuoteSet, ValueRow } from "../suppression.ts";
import type { CodeCount } from "../coding/index.ts";
import type { DigestCheck } from "../member-checks/index.ts";

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

/**
 * 2: small groups hidden by complementary suppression; no cumulative figures by role.
 * 3: adds `measures` (the loop measures), `trend` (one point per week) and `stages`
 *    (before/after change); feedback.actions.coOwnedShare is over all finished actions.
 * 4: adds feedback.support (how many people said an open idea matters to them too).
 */
export const DIGEST_VERSION = 4;
/** Stored versions storedDigest can still show (missing parts are filled with empty ones). */
const READABLE_VERSIONS = [2, 3, 4] as const;
/** The most-supported open ideas listed in a digest. */
export const SUPPORT_LIST = 10;
/** After downtime, at most this many missed weeks are built, newest last. */
export const MAX_CATCH_UP_WEEKS = 8;

export type YesPartlyNo = { yes: number; partly: number; no: number };
export type ScaleFigure = { answers: number; mean: number | null; median: number | null };
export type ActivityKind = "answer" | "suggestion" | "taster" | "panel";
export type Continuity = { severalKinds: number | null; severalWeeks: number | null };

/** Ideas by how long they have been open at the end of the week. */
export type AgeBands = { underOneWeek: number; oneToFourWeeks: number; overFourWeeks: number };
/**
 * Days between two moments over a set of ideas: how many ideas, the middle
 * value and the 90th percentile (nearest rank), to one decimal place.
 */
export type DaysFigure = { ideas: number; median: number | null; p90: number | null };
/** What the people who raised ideas said of the "we did" updates: one per idea answered by an update. */
/**
 * "This matters to me too" for the week. A count per idea is not by role, so it is
 * shown as it is; who follows open ideas is by role, so follows the small-group rule.
 */
export type IdeaSupport = {
  /** Open ideas at the end of the week with at least one supporter: most supported first, then by number; at most SUPPORT_LIST. */
  ideas: { number: number; supporters: number }[];
  /** Open ideas with at least one supporter (the list may be cut short). */
  ideasWithSupport: number;
  /** Times someone said an idea matters to them too during the week (and still does). */
  followsThisWeek: number;
  /** The people who follow at least one open idea, by their role when they followed it. */
  supportersByRole: CountRow[];
};
export type WeDidAnswered = YesPartlyNo & {
  /** Ideas answered by an update whose raiser was asked and has not said. */
  noReply: number;
  /** yes + partly + no + noReply. */
  asked: number;
  /** Each answer as a share of `asked` (0 to 1); null when nobody was asked. */
  shares: { yes: number; partly: number; no: number; noReply: number } | null;
};
/** Taster sessions from invitation to "would take part again". */
export type TasterFunnel = {
  sessions: number;
  /** Members in the sessions' audience roles when they took place (everyone who was offered the chance to sign up). */
  invited: number;
  signedUp: number;
  /** Still on a waiting list. */
  waiting: number;
  offered: number;
  offerExpired: number;
  attended: number;
  expectations: YesPartlyNo;
  wouldTakePartAgain: { yes: number; maybe: number; no: number };
};
/** A panel figure for one group of roles: rates are from 0 to 1, null when nobody was on a panel. */
export type PanelRates = { members: number; attended: number; debriefed: number; attendanceRate: number | null; debriefRate: number | null };
export type Stage = "baseline" | "midpoint" | "end";
/**
 * The change in each person's answer between two stages: the median of (later - earlier) over `people`.
 * No mean: as more people answer at a later stage, two weeks' means would give the newcomer's own change away.
 */
export type ChangeFigure = { people: number; medianChange: number | null };

/** The loop measures for the week (flows: what happened in it; states: as at its end). */
export type LoopMeasures = {
  ideas: {
    open: number;
    openByAge: AgeBands;
    overdue: number;
    waitingForFirstReply: number;
    /** Ideas whose first reply came this week: days from "you said" to that reply. */
    daysToFirstReply: DaysFigure;
    /** Ideas first done this week (by a "we did" update, or marked done): days from "you said" to it. */
    daysToWeDid: DaysFigure;
    /** The same over every idea so far (all roles together). */
    daysToFirstReplySoFar: DaysFigure;
    daysToWeDidSoFar: DaysFigure;
    /** Answers given this week saying an update only partly answered an idea, or did not; and ideas reopened because of them. */
    notAnswered: { partly: number; no: number; reopened: number };
  };
  /** For ideas answered by updates posted this week. */
  weDidAnswered: WeDidAnswered;
  /** Finished this week: done co-owned actions and ideas marked done; co-owned ones over all of them. */
  actions: { finished: number; coOwned: number; coOwnedShare: number | null };
  /** Taster sessions that took place this week. */
  tasterFunnel: TasterFunnel;
  /** Panels that took place this week, by role of the members (small groups hidden). */
  panelsByRole: { rows: ValueRow<PanelRates>[]; allRoles: PanelRates | null };
};

/**
 * One week of the trend, from the week the programme started to this one.
 * Counts of ideas are states at the week's end; the rest are what happened in the week.
 */
export type TrendPoint = {
  weekStart: string;
  /**
   * People who took part that week: per participant role, and "all". null where
   * it is held back: fewer than minGroupSize, or a role not shown on its own that week.
   */
  participationByRole: Record<Role | "all", number | null>;
  newIdeas: number;
  openIdeas: number;
  overdueIdeas: number;
  waitingForFirstReply: number;
  medianDaysToFirstReply: number | null;
  medianDaysToWeDid: number | null;
  p90DaysToWeDid: number | null;
  /** Share of ideas answered by that week's updates whose raiser said "yes" (0 to 1). */
  weDidAnsweredYesShare: number | null;
  coOwnedShare: number | null;
  tastersAttended: number;
  panelAttendanceRate: number | null;
  debriefRate: number | null;
  /** People who answered over people asked, for questions sent that week (named series only). */
  responseRate: number | null;
};

/** NDTi-style before and after: the change in each person's 0-10 answers between stages, by role. */
export type StageChanges = {
  changes: {
    question: string;
    min: number;
    max: number;
    from: Stage;
    to: Stage;
    allRoles: ChangeFigure | null;
    byRole: ValueRow<ChangeFigure>[];
  }[];
  /** Titles of series marked with a stage that are answered without names: their answers cannot be paired. */
  anonymousSeries: string[];
};

export type DigestData = {
  /** DIGEST_VERSION when built now; 2 for digests stored before the measures, trend and stages. */
  version: (typeof READABLE_VERSIONS)[number];
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
    /** People who answered; null means "fewer than minGroupSize" (so are the other nullable counts). */
    answered: number | null;
    /** answered / sent, from 0 to 1; null when nothing was sent or fewer than minGroupSize answered. */
    responseRate: number | null;
    answeredByRole: CountRow[];
    scales: { question: string; min: number; max: number; allRoles: ScaleFigure | null; byRole: ValueRow<ScaleFigure>[] }[];
  }[];
  participation: {
    people: number | null;
    byRole: CountRow[];
    byActivity: Record<ActivityKind, number | null>;
    /** Built up week by week, so for all roles together only. */
    continuity: Continuity & { peopleSoFar: number | null };
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
    /** done: all finished actions (done co-owned actions and ideas marked done); coOwnedShare = coOwned / done. */
    actions: { done: number; coOwned: number; coOwnedShare: number | null };
    /** Filled with an empty one for digests stored before version 4. */
    support: IdeaSupport;
  };
  /** null in digests stored before version 3. */
  measures: LoopMeasures | null;
  trend: TrendPoint[];
  stages: StageChanges;
  tasters: {
    signups: number;
    waitlisted: number;
    sessions: { title: string; startsAt: string; booked: number; waitlisted: number; attended: number; expectations: YesPartlyNo }[];
  };
  panels: {
    title: string;
    startsAt: string;
    members: number | null;
    membersByRole: CountRow[];
    debriefs: number | null;
    listenedTo: YesPartlyNo | null;
    listenedToByRole: ValueRow<YesPartlyNo>[];
  }[];
  quotes: QuoteSet & { notQuoted: number };
  /** Theme codes given so far, by the role of the people whose words were coded (src/coding); absent in older digests. */
  codes: CodeCount[];
  /** Member checks sent this week or still open: asked, yes / partly / no / no reply by role (src/member-checks); absent in older digests. */
  memberChecks: DigestCheck[];
};

export type Window = { from: Date; weekEnd: Date; end: Date };

/** Reads a stored digest, refusing shapes this version does not know. Older ones show without the newer parts. */
export function storedDigest(data: unknown): DigestData | null {
  const parsed = z.object({ version: z.union(READABLE_VERSIONS.map((v) => z.literal(v))) }).loose().safeParse(data);
  if (!parsed.success) return null;
  const d = data as Partial<DigestData> & Pick<DigestData, "weekStart">;
  const feedback = d.feedback ? { ...d.feedback, support: d.feedback.support ?? NO_SUPPORT } : d.feedback;
  return { ...d, feedback, codes: d.codes ?? [], memberChecks: d.memberChecks ?? [], measures: d.measures ?? null, trend: d.trend ?? [], stages: d.stages ?? { changes: [], anonymousSeries: [] } } as DigestData;
}

const NO_SUPPORT: IdeaSupport = { ideas: [], ideasWithSupport: 0, followsThisWeek: 0, supportersByRole: [] };
