import { z } from "zod";
import type { CountRow, QuoteSet, ValueRow } from "../suppression.ts";

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

/** 2: small groups hidden by complementary suppression; no cumulative figures by role. */
export const DIGEST_VERSION = 2;
/** After downtime, at most this many missed weeks are built, newest last. */
export const MAX_CATCH_UP_WEEKS = 8;

export type YesPartlyNo = { yes: number; partly: number; no: number };
export type ScaleFigure = { answers: number; mean: number | null; median: number | null };
export type ActivityKind = "answer" | "suggestion" | "taster" | "panel";
export type Continuity = { severalKinds: number | null; severalWeeks: number | null };

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
    members: number | null;
    membersByRole: CountRow[];
    debriefs: number | null;
    listenedTo: YesPartlyNo | null;
    listenedToByRole: ValueRow<YesPartlyNo>[];
  }[];
  quotes: QuoteSet & { notQuoted: number };
};

export type Window = { from: Date; weekEnd: Date; end: Date };

/** Reads a stored digest, refusing shapes this version does not know. */
export function storedDigest(data: unknown): DigestData | null {
  return z.object({ version: z.literal(DIGEST_VERSION) }).loose().safeParse(data).success ? (data as DigestData) : null;
}
