import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { buildDigest } from "../digest/index.ts";
import { erasePerson } from "../people/index.ts";
import { weekStart } from "../time.ts";
import { bulkInsert } from "./bulk-insert.ts";
import { seededRandom } from "./random.ts";
import { planIdeas, planPanels, planTasters } from "./synthetic-loops.ts";
import { emptyRows, historyStart, planPeople, planPrompts, WEEK, type Plan, type Rows } from "./synthetic-plan.ts";

/**
 * A realistic synthetic programme for tests, the demo and benchmarks: people
 * in the roles' usual proportions over many weeks, every loop, with consent
 * refusals, pauses, an anonymous series and erasures.
 *
 * Which path is which: the history is planned in memory (pure, from the seed
 * and the clock's `now`, in synthetic-plan.ts and synthetic-loops.ts) in the
 * shapes the loops write, then bulk-inserted a table at a time (bulk-insert.ts), so 1,000
 * people and 100,000 answers take seconds. Going through each loop's actions instead
 * would send and schedule for every week of the past. The erasures do go
 * through the people loop's own erasePerson, so they remove exactly what a
 * real "forget me" removes. Figures are deterministic for a seed; row ids are not.
 */

export type SyntheticOptions = {
  people: number;
  weeks: number;
  seed: number;
  /** Add the history to this programme (the demo's) instead of a new one. */
  programmeId?: string;
  /** Platform and externalId prefix of the made-up people's identities. */
  platform?: string;
  prefix?: string;
  /** Erase about 2% of the people at the end, through the people loop (default true; each erasure takes a few seconds). */
  erase?: boolean;
  /** Questions in the weekly check-in (default 2): 1,000 people over 12 weeks with 16 give about 100,000 answers. */
  checkInQuestions?: number;
  /** Store the digests of the weeks that have ended (as if sent), so the weekly sweep does not send them all at once. */
  storeDigests?: boolean;
};

export type SyntheticSummary = {
  programmeId: string;
  start: Date;
  people: number;
  refused: number;
  paused: number;
  erased: number;
  answers: number;
  ideas: number;
  tasters: number;
  panels: number;
  digests: number;
  /** Seconds taken to insert the rows, to erase, and to build the stored digests. */
  seconds: { insert: number; erase: number; digests: number };
};

/** Plans the history without touching the database: every row, in insertion order. */
export function planProgramme(o: SyntheticOptions & { programmeId: string; now: Date; minGroupSize: number; answerSecret: string; policyVersion?: number }): Plan {
  if (o.people < 10) throw new Error("a synthetic programme needs at least 10 people, so every role has someone");
  if (o.weeks < 1) throw new Error("a synthetic programme needs at least 1 week");
  const plan: Plan = {
    programmeId: o.programmeId, start: historyStart(o.now, o.weeks), now: o.now, weeks: o.weeks, minGroupSize: o.minGroupSize, answerSecret: o.answerSecret,
    policyVersion: o.policyVersion ?? 1, platform: o.platform ?? "local", prefix: o.prefix ?? `synthetic-${o.seed}`, random: seededRandom(o.seed), rows: emptyRows(), people: [],
    checkInQuestions: Math.max(2, o.checkInQuestions ?? 2),
  };
  planPeople(plan, o.people);
  planPrompts(plan);
  planIdeas(plan);
  planTasters(plan);
  planPanels(plan);
  return plan;
}

/** Seconds since it was made, or since it was last asked. */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = Math.round((now - last) / 100) / 10;
    last = now;
    return seconds;
  };
}

/** The planned rows' tables, parents before children. */
const TABLES: [keyof Rows, string][] = [
  ["persons", "Person"], ["identities", "PlatformIdentity"], ["memberships", "Membership"], ["consents", "ConsentRecord"], ["preferences", "Preference"],
  ["series", "PromptSeries"], ["questions", "PromptQuestion"], ["occurrences", "PromptOccurrence"], ["deliveries", "PromptDelivery"], ["responses", "PromptResponse"],
  ["items", "FeedbackItem"], ["statusChanges", "FeedbackStatusChange"], ["updates", "FeedbackUpdate"], ["updateItems", "FeedbackUpdateItem"], ["reactions", "FeedbackReaction"],
  ["actions", "CoOwnedAction"], ["coOwners", "CoOwner"], ["tasters", "Taster"], ["signups", "TasterSignup"], ["panels", "Panel"], ["panelMembers", "PanelMember"],
  ["debriefs", "DebriefResponse"],
];

/** Inserts the planned rows, parents before children, a statement a chunk (src/demo/bulk-insert.ts). */
async function insertRows(db: DbTx, rows: Rows): Promise<void> {
  for (const [name, table] of TABLES) await bulkInsert(db, table, rows[name]);
}

/**
 * Generates the programme's history in the configured database, ending at the
 * clock's `now`: `weeks` weeks, the last one being the current week.
 */
export async function generateProgramme(ctx: CoreContext, options: SyntheticOptions): Promise<SyntheticSummary> {
  const now = ctx.clock.now();
  const start = historyStart(now, options.weeks);
  const programmeId =
    options.programmeId ??
    (
      await ctx.db.programme.create({
        data: {
          name: `Synthetic programme (seed ${options.seed})`,
          description: "Made-up people and history for tests, the demo and benchmarks.",
          createdAt: start,
          channels: { create: { platform: options.platform ?? "local", externalId: `${options.prefix ?? `synthetic-${options.seed}`}-channel`, name: "synthetic-programme" } },
        },
      })
    ).id;
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { createdAt: true, consentVersion: true, lastItemNumber: true } });
  if (programme.lastItemNumber > 0) throw new Error("synthetic history goes into a programme before its first idea (ideas are numbered from #1)");
  const plan = planProgramme({ ...options, programmeId, now, minGroupSize: ctx.settings.minGroupSize, answerSecret: ctx.settings.answerSecret, policyVersion: programme.consentVersion });
  const timer = stopwatch();
  await insertRows(ctx.db, plan.rows);
  const insert = timer();
  await ctx.db.programme.update({
    where: { id: programmeId },
    data: { lastItemNumber: plan.rows.items.length, ...(programme.createdAt > start ? { createdAt: start } : {}) },
  });
  const erased = options.erase === false ? [] : plan.people.filter((p) => p.erase);
  for (const person of erased) await erasePerson(ctx, person.id);
  const erase = timer();

  let digests = 0;
  if (options.storeDigests) {
    for (let week = weekStart(start); week.getTime() + WEEK <= now.getTime(); week = new Date(week.getTime() + WEEK)) {
      const data = await buildDigest(ctx.db, ctx.settings, programmeId, week);
      const stored = await ctx.db.digest.createMany({ data: [{ programmeId, weekStart: week, generatedAt: new Date(week.getTime() + WEEK), data: data as object }], skipDuplicates: true });
      digests += stored.count;
    }
  }
  return {
    programmeId,
    start,
    people: plan.people.length,
    refused: plan.people.filter((p) => p.refused).length,
    paused: plan.people.filter((p) => p.pausedAt).length,
    erased: erased.length,
    answers: plan.rows.responses.length,
    ideas: plan.rows.items.length,
    tasters: plan.rows.tasters.length,
    panels: plan.rows.panels.length,
    digests,
    seconds: { insert, erase, digests: timer() },
  };
}
