import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World } from "../support/world.ts";
import { buildDigest } from "../../src/digest/index.ts";
import fc from "fast-check";
import { DAY, HOUR } from "../../src/clock.ts";
import { PARTICIPANT_ROLES, ROLES, type Role } from "../../src/roles.ts";
import { ALL_ROLES, countBreakdown, type RoleKey } from "../../src/suppression.ts";
import { occurrenceFigures, panelFigures, participation, type Activity } from "../../src/digest/rules.ts";
import { at, count, pinnedByRule, pinnedBySums, plans, rowsIn, type Doing, type Plan, type WeekTruth } from "./suppression.attacker.ts";

/**
 * The promise: no figure evaluators or facilitators see, alone or combined
 * with the others in the same digest and last week's, pins down a group of
 * 1 to N-1 people. Many programmes with random role sizes (0, 1, N-1, N, ...)
 * and two weeks of activity go through the digest's own figure-building code;
 * two attackers then try to work out each small group:
 *  - one knows the rule and tries every count per role that would have been
 *    published exactly as it was (rows, rows of 0, "Other roles", totals);
 *  - one takes sums and differences of every published figure of both weeks
 *    (totals minus rows, this week's "so far" minus last week's).
 */

const WEEK_ONE = new Date("2026-03-02T00:00:00Z");
const weekFrom = (w: number) => new Date(WEEK_ONE.getTime() + w * 7 * DAY);
const key = (role: Role | null): RoleKey => role ?? "none";
const nothing: Doing = { answer: false, score: null, keepRole: true, idea: false, panel: false, debrief: null };

/** Rows as the digest builder reads them from the database, for one week of a plan. */
export function weekRows(plan: Plan, w: number) {
  const from = weekFrom(w);
  const asked = plan.people.map((p, i) => ({ ...p, doing: plan.weeks[w]![i]! })).filter((p) => plan.audience.includes(p.role));
  const deliveries = asked.map((p) => ({ personId: p.id, role: p.role, sentAt: new Date(from.getTime() + DAY), answeredAt: p.doing.answer ? new Date(from.getTime() + DAY + HOUR) : null }));
  const responses = asked
    .filter((p) => p.doing.answer && p.doing.score !== null)
    .map((p) => ({ questionId: "q", role: p.doing.keepRole ? p.role : null, responseKey: `key-${w}-${p.id}`, number: p.doing.score }));
  const everyone = plan.people.map((p, i) => ({ ...p, doing: plan.weeks[w]![i]! }));
  const ideas = everyone.filter((p) => p.doing.idea).map((p) => ({ raisedById: p.id, raisedByRole: p.role, createdAt: new Date(from.getTime() + 2 * DAY) }));
  const members = everyone.filter((p) => p.doing.panel).map((p) => ({ personId: p.id, role: p.role }));
  const debriefs = everyone.filter((p) => p.doing.panel && p.doing.debrief).map((p) => ({ id: `d-${w}-${p.id}`, personId: p.id, role: p.role, listenedTo: p.doing.debrief! }));
  const panelAt = new Date(from.getTime() + 3 * DAY);
  const activities: Activity[] = [
    ...deliveries.filter((d) => d.answeredAt).map((d) => ({ personId: d.personId, role: d.role, kind: "answer" as const, at: d.answeredAt! })),
    ...ideas.map((i) => ({ personId: i.raisedById, role: i.raisedByRole, kind: "suggestion" as const, at: i.createdAt })),
    ...members.map((m) => ({ personId: m.personId, role: m.role, kind: "panel" as const, at: panelAt })),
  ];
  return { deliveries, responses, ideas, members, debriefs, activities };
}

/** What is true about a week, for the attackers' answers to be checked against. */
export function weekTruth(plan: Plan, w: number): WeekTruth {
  const rows = weekRows(plan, w);
  const soFar = new Map<string, Role>();
  for (let week = 0; week <= w; week++) for (const a of weekRows(plan, week).activities) soFar.set(a.personId, a.role);
  const weekPeople = new Map(rows.activities.map((a) => [a.personId, a.role]));
  const audience: RoleKey[] = [...plan.audience];
  return {
    soFar: count([...soFar.values()], (r) => r),
    breakdowns: {
      "prompts.0.answeredByRole": { byRole: count(rows.deliveries.filter((d) => d.answeredAt), (d) => d.role), possible: audience, alwaysList: plan.audience, total: "prompts.0.answered" },
      "prompts.0.scales.0.byRole": { byRole: count(rows.responses, (r) => key(r.role)), possible: [...audience, "none"], alwaysList: [], total: "prompts.0.scales.0.allRoles.answers" },
      "feedback.newByRole": { byRole: count(rows.ideas, (i) => i.raisedByRole), possible: [...ROLES], alwaysList: [...PARTICIPANT_ROLES], total: "feedback.newItems" },
      "panels.0.membersByRole": { byRole: count(rows.members, (m) => m.role), possible: [...ROLES], alwaysList: [], total: "panels.0.members" },
      // The loop measures' panel figures by role (one panel a week, so one seat a person).
      "measures.panelsByRole.rows": { byRole: count(rows.members, (m) => m.role), possible: [...ROLES], alwaysList: [], total: "measures.panelsByRole.allRoles.members" },
      "panels.0.listenedToByRole": { byRole: count(rows.debriefs, (d) => d.role), possible: [...ROLES], alwaysList: [], total: "panels.0.debriefs" },
      "participation.byRole": { byRole: count([...weekPeople.values()], (r) => r), possible: [...ROLES], alwaysList: [...PARTICIPANT_ROLES], total: "participation.people" },
    },
  };
}

/** The figures of one week's digest, from the digest's own building code (src/digest/rules.ts, src/suppression.ts). */
function weekFigures(plan: Plan, w: number) {
  const from = weekFrom(w);
  const end = weekFrom(w + 1);
  const rows = weekRows(plan, w);
  const all = [0, 1].filter((week) => week <= w).flatMap((week) => weekRows(plan, week).activities);
  const scaleQuestions = [{ id: "q", text: "How confident do you feel?", scaleMin: 0, scaleMax: 10 }];
  return {
    prompts: [occurrenceFigures({ audience: plan.audience, anonymous: false, deliveries: rows.deliveries, responses: rows.responses, scaleQuestions }, end, plan.min)],
    feedback: {
      newItems: rows.ideas.length,
      newByRole: countBreakdown(rows.ideas, { roleOf: (i) => i.raisedByRole, personOf: (i) => i.raisedById, minGroupSize: plan.min, alwaysList: PARTICIPANT_ROLES }).rows,
    },
    panels: [panelFigures(rows.members, rows.debriefs, plan.min)],
    participation: participation(all, { from, weekEnd: end, end }, plan.min),
  };
}

/** Runs both attackers on two published weeks; what they pinned down, with where. */
export function attack(plan: Plan, digests: [unknown, unknown]): string[] {
  const truths = [weekTruth(plan, 0), weekTruth(plan, 1)];
  const found: string[] = [];
  digests.forEach((digest, w) => {
    for (const [path, rows] of Object.entries(rowsIn(digest))) {
      const truth = truths[w]!.breakdowns[path];
      if (!truth) throw new Error(`the attacker does not know what ${path} counts: add it to weekTruth`);
      const total = truth.total ? at(digest, truth.total) : undefined;
      const pinned = (() => {
        try {
          return pinnedByRule(rows, typeof total === "number" ? total : null, truth, plan.min);
        } catch (error) {
          throw new Error(`week ${w + 1}, ${path}: ${String(error)}`);
        }
      })();
      for (const role of pinned) found.push(`week ${w + 1}, ${path}: ${role} = ${truth.byRole[role]} (from ${JSON.stringify(rows)}, total ${total}, truly ${JSON.stringify(truth.byRole)})`);
    }
  });
  found.push(...pinnedBySums(digests.map((digest, w) => ({ digest, truth: truths[w]! })), plan.min));
  return found;
}

describe("small groups cannot be worked out from a digest", () => {
  it("no group of 1 to N-1 people is pinned down by any published figure, alone or with the others and last week's", () => {
    fc.assert(
      fc.property(plans, (plan) => {
        expect(attack(plan, [weekFigures(plan, 0), weekFigures(plan, 1)])).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("the sums attacker does find a small group when a total stands beside shown rows and a hidden one (so the test can fail)", () => {
    // 6 experts and 1 professional answered; the old rule showed "Expert 6, Other roles: fewer than 5" beside "7 answered".
    const plan: Plan = {
      min: 5,
      audience: ["expert_by_experience", "professional"],
      people: [...Array.from({ length: 6 }, (_, i) => ({ id: `e${i}`, role: "expert_by_experience" as Role })), { id: "p0", role: "professional" }],
      weeks: [Array(7).fill(nothing).map((d) => ({ ...d, answer: true })), Array(7).fill(nothing)],
    };
    const old = { prompts: [{ answered: 7, answeredByRole: [{ label: "Expert by experience", people: 6, hidden: false }, { label: "Other roles", people: null, hidden: true }] }] };
    const truths = [weekTruth(plan, 0), weekTruth(plan, 1)];
    expect(pinnedBySums([{ digest: old, truth: truths[0]! }], 5)).toEqual(["x:0:prompts.0.answeredByRole:professional"]);
    // The same week today: no roles, only the 7 together, and neither attacker finds anything.
    expect(weekFigures(plan, 0).prompts[0]!.answeredByRole).toEqual([{ label: ALL_ROLES, people: 7, hidden: false }]);
    expect(attack(plan, [weekFigures(plan, 0), weekFigures(plan, 1)])).toEqual([]);
  });

  it("the rule attacker does find a small group when the rows would give it away (so the test can fail)", () => {
    // Had the rule shown "Expert 6, Professional 1", the professional's count is on the page: the attacker must say so.
    const truth = { byRole: { expert_by_experience: 6, professional: 1 }, possible: ["expert_by_experience", "professional"] as RoleKey[], alwaysList: [] };
    const shown = [{ label: "Expert by experience", people: 6, hidden: false }, { label: "Professional", people: 1, hidden: false }];
    expect(() => pinnedByRule(shown, 7, truth, 5)).toThrow("do not follow");
    // And with four roles asked, all at N-1 but one: today's rule shows only the total, which splits many ways.
    const many = { byRole: { commissioner: 4, professional: 4, expert_by_experience: 5 }, possible: ["commissioner", "professional", "expert_by_experience"] as RoleKey[], alwaysList: [] };
    expect(pinnedByRule([{ label: ALL_ROLES, people: 13, hidden: false }], 13, many, 5)).toEqual([]);
  });

  it("the attackers do find a new small group when a build-up figure is published by role (so the test can fail)", () => {
    // Week 1: 5 experts took part; week 2: 1 professional more. "So far" by role in both weeks gives the professional away.
    const plan: Plan = {
      min: 5,
      audience: ["expert_by_experience"],
      people: [...Array.from({ length: 5 }, (_, i) => ({ id: `e${i}`, role: "expert_by_experience" as Role })), { id: "p0", role: "professional" }],
      weeks: [[...Array(5).fill({ ...nothing, idea: true }), nothing], Array(6).fill({ ...nothing, idea: true })],
    };
    const soFar = (n: number | null) => ({ participation: { continuity: { peopleSoFar: n } } });
    const totalsOnly = (w: number) => ({ ...weekTruth(plan, w), breakdowns: {} });
    expect(pinnedBySums([{ digest: soFar(5), truth: totalsOnly(0) }, { digest: soFar(6), truth: totalsOnly(1) }], 5)).toEqual([]);
    // "Experts so far: 5, then 5" beside the totals, as the old digest's continuity by role had it: the new professional is pinned.
    const withRoles = (n: number) => ({ ...soFar(n), soFarByRole: [{ label: "Expert by experience", people: 5, hidden: false }, { label: "Other roles", people: null, hidden: true }] });
    const possible: RoleKey[] = ["expert_by_experience", "professional"];
    const byRole = (w: number) => ({ ...weekTruth(plan, w), breakdowns: { soFarByRole: { byRole: weekTruth(plan, w).soFar, possible, alwaysList: [], cumulative: true, total: "participation.continuity.peopleSoFar" } } });
    const found = pinnedBySums([{ digest: withRoles(5), truth: byRole(0) }, { digest: withRoles(6), truth: byRole(1) }], 5);
    expect(found).toEqual(["C:1:professional", "N:professional"]);
  });
});

describe("the same through the digest builder and a real database", () => {
  let world: World;
  beforeAll(async () => {
    world = await World.open();
  });
  afterAll(() => world.close());

  /** Writes a plan's two weeks as the loops would have stored them. */
  async function seed(plan: Plan): Promise<string> {
    const programme = await world.prisma.programme.create({ data: { name: "Property programme", createdAt: WEEK_ONE } });
    const ids = new Map(plan.people.map((p) => [p.id, randomUUID()]));
    await world.prisma.person.createMany({ data: plan.people.map((p) => ({ id: ids.get(p.id)!, displayName: `Person ${p.id}` })) });
    await world.prisma.membership.createMany({ data: plan.people.map((p) => ({ programmeId: programme.id, personId: ids.get(p.id)!, role: p.role })) });
    const series = await world.prisma.promptSeries.create({
      data: { programmeId: programme.id, title: "Check-in", audienceRoles: plan.audience, cron: "0 10 * * 2", timeZone: "Europe/London", questions: { create: [{ position: 1, kind: "scale", text: "How confident do you feel?", scaleMin: 0, scaleMax: 10 }] } },
      include: { questions: true },
    });
    for (const w of [0, 1]) {
      const rows = weekRows(plan, w);
      const from = weekFrom(w);
      const occurrence = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: new Date(from.getTime() + DAY), closesAt: new Date(from.getTime() + 6 * DAY) } });
      await world.prisma.promptDelivery.createMany({
        data: rows.deliveries.map((d) => ({ occurrenceId: occurrence.id, personId: ids.get(d.personId)!, role: d.role, status: d.answeredAt ? "answered" : "sent", notBefore: d.sentAt, sentAt: d.sentAt, answeredAt: d.answeredAt })),
      });
      const answeredAt = new Date(from.getTime() + DAY + HOUR);
      await world.prisma.promptResponse.createMany({
        data: rows.responses.map((r) => ({ occurrenceId: occurrence.id, questionId: series.questions[0]!.id, personId: ids.get(r.responseKey.split("-").slice(2).join("-"))!, role: r.role!, responseKey: r.responseKey, number: r.number, answeredAt, updatedAt: answeredAt })),
      });
      const last = await world.prisma.feedbackItem.count({ where: { programmeId: programme.id } });
      await world.prisma.feedbackItem.createMany({ data: rows.ideas.map((i, n) => ({ programmeId: programme.id, number: last + n + 1, raisedById: ids.get(i.raisedById)!, raisedByRole: i.raisedByRole, text: "An idea", createdAt: i.createdAt })) });
      const startsAt = new Date(from.getTime() + 3 * DAY);
      const panel = await world.prisma.panel.create({ data: { programmeId: programme.id, title: `Panel ${w + 1}`, startsAt, endsAt: new Date(startsAt.getTime() + HOUR) } });
      await world.prisma.panelMember.createMany({ data: rows.members.map((m) => ({ panelId: panel.id, personId: ids.get(m.personId)!, role: m.role })) });
      const submittedAt = new Date(startsAt.getTime() + 2 * HOUR);
      await world.prisma.debriefResponse.createMany({ data: rows.debriefs.map((d) => ({ panelId: panel.id, personId: ids.get(d.personId!)!, role: d.role, listenedTo: d.listenedTo, submittedAt, updatedAt: submittedAt })) });
    }
    return programme.id;
  }

  it("no group of 1 to N-1 people is pinned down in two weeks of stored digests", async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (drawn) => {
        // Today every stored answer keeps its role; N is the configured one.
        const plan: Plan = { ...drawn, min: world.ctx.settings.minGroupSize, weeks: drawn.weeks.map((w) => w.map((d) => ({ ...d, keepRole: true }))) as Plan["weeks"] };
        await world.reset();
        const programmeId = await seed(plan);
        const digests = [await buildDigest(world.prisma, world.ctx.settings, programmeId, weekFrom(0)), await buildDigest(world.prisma, world.ctx.settings, programmeId, weekFrom(1))];
        expect(digests[1]!.prompts).toHaveLength(1);
        expect(attack(plan, [digests[0], digests[1]])).toEqual([]);
      }),
      // About a second a run; no shrinking on a database (the pure test above shrinks the same plans).
      { numRuns: 4, endOnFailure: true },
    );
  }, 90_000);
});
