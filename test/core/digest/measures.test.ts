import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { buildDigest, digestMessage } from "../../../src/digest/index.ts";
import { storedDigest } from "../../../src/digest/data.ts";
import { plainText } from "../../../src/messages/model.ts";
import type { Role } from "../../../src/roles.ts";

/**
 * The loop measures and the trend, against figures this file works out itself
 * from the plan it acts out (never by calling the digest's own code).
 */

const DAY_MS = 86_400_000;
const t = (iso: string) => new Date(iso);
const days = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY_MS;
const r1 = (n: number) => Math.round(n * 10) / 10;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
function middle(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
/** Nearest rank: the value with at least 90% of the values at or below it. */
function ninetieth(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  for (let k = 1; k <= s.length; k++) if (k / s.length >= 0.9) return s[k - 1]!;
  return null;
}
const figure = (values: number[]) => ({ ideas: values.length, median: values.length ? r1(middle(values)!) : null, p90: values.length ? r1(ninetieth(values)!) : null });

/** Each idea's life, in the order it happens. `who` names a person in the cast below. */
type Plan = {
  who: string;
  raised: string;
  considered?: string;
  assign?: { at: string; days: number };
  update?: { at: string; outcome: "done" | "working" };
  reaction?: { at: string; answered: "yes" | "partly" | "no"; comment?: string };
};

// Weeks start on Mondays: 9 Feb (the programme starts), 16 Feb, 23 Feb, 2 Mar, 9 Mar, 16 Mar (the digest's week).
const PLAN: Plan[] = [
  { who: "E6", raised: "2026-02-10T10:00:00Z" },
  { who: "E1", raised: "2026-03-02T10:00:00Z", considered: "2026-03-02T14:00:00Z", update: { at: "2026-03-04T10:00:00Z", outcome: "done" }, reaction: { at: "2026-03-04T12:00:00Z", answered: "yes" } },
  { who: "E2", raised: "2026-03-03T10:00:00Z", considered: "2026-03-04T10:00:00Z", update: { at: "2026-03-10T10:00:00Z", outcome: "done" }, reaction: { at: "2026-03-10T12:00:00Z", answered: "partly", comment: "Only on weekdays" } },
  { who: "E3", raised: "2026-03-04T10:00:00Z", update: { at: "2026-03-11T10:00:00Z", outcome: "working" }, reaction: { at: "2026-03-11T15:00:00Z", answered: "no" } },
  { who: "E4", raised: "2026-03-05T10:00:00Z", considered: "2026-03-06T10:00:00Z", update: { at: "2026-03-11T10:00:00Z", outcome: "done" } },
  { who: "E5", raised: "2026-03-06T10:00:00Z", considered: "2026-03-09T10:00:00Z", assign: { at: "2026-03-09T10:30:00Z", days: 3 }, update: { at: "2026-03-17T10:00:00Z", outcome: "done" }, reaction: { at: "2026-03-17T11:00:00Z", answered: "yes" } },
  { who: "E6", raised: "2026-03-09T10:00:00Z", considered: "2026-03-09T12:00:00Z" },
  { who: "P1", raised: "2026-03-10T10:00:00Z" },
  { who: "P2", raised: "2026-03-11T10:00:00Z", considered: "2026-03-16T10:00:00Z" },
  { who: "P3", raised: "2026-03-16T10:00:00Z", update: { at: "2026-03-18T10:00:00Z", outcome: "done" }, reaction: { at: "2026-03-18T12:00:00Z", answered: "yes" } },
  { who: "E1", raised: "2026-03-17T10:00:00Z", considered: "2026-03-17T16:00:00Z" },
  { who: "E2", raised: "2026-03-18T10:00:00Z" },
  { who: "C2", raised: "2026-03-19T10:00:00Z", update: { at: "2026-03-20T10:00:00Z", outcome: "done" } },
];
const PROGRAMME_START = t("2026-02-09T08:00:00Z");
const WEEKS = ["2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"].map((d) => t(`${d}T00:00:00Z`));
const DIGEST_WEEK = WEEKS.at(-1)!;
const weekEnd = (start: Date) => new Date(start.getTime() + 7 * DAY_MS);
const inWeek = (at: Date | undefined, start: Date) => Boolean(at && at >= start && at < weekEnd(start));

// ------------------------------------------------------------------ the expected figures, from the plan

const firstReplyAt = (p: Plan) => [p.considered, p.update?.at].filter((x): x is string => Boolean(x)).map(t).sort((a, b) => a.getTime() - b.getTime())[0];
const weDidAt = (p: Plan) => (p.update?.outcome === "done" ? t(p.update.at) : undefined);
const reopenedAt = (p: Plan) => (p.update?.outcome === "done" && p.reaction && p.reaction.answered !== "yes" ? t(p.reaction.at) : undefined);
/** Open at `at`: raised before it, and not closed by a done update (unless reopened since). */
function openAt(p: Plan, at: Date): boolean {
  if (t(p.raised) >= at) return false;
  const done = weDidAt(p);
  if (!done || done >= at) return true;
  const back = reopenedAt(p);
  return Boolean(back && back < at);
}
const dueAt = (p: Plan) => (p.assign ? new Date(t(p.assign.at).getTime() + p.assign.days * DAY_MS) : undefined);

function expectedWeek(start: Date) {
  const end = weekEnd(start);
  const open = PLAN.filter((p) => openAt(p, end));
  return {
    open,
    overdue: open.filter((p) => dueAt(p) && dueAt(p)! < end).length,
    waiting: open.filter((p) => !firstReplyAt(p) || firstReplyAt(p)! >= end).length,
    toFirstReply: PLAN.filter((p) => inWeek(firstReplyAt(p), start)).map((p) => days(t(p.raised), firstReplyAt(p)!)),
    toWeDid: PLAN.filter((p) => inWeek(weDidAt(p), start)).map((p) => days(t(p.raised), weDidAt(p)!)),
    newIdeas: PLAN.filter((p) => inWeek(t(p.raised), start)).length,
    // Asked: ideas answered by an update that week (all raised by someone other than the poster).
    asked: PLAN.filter((p) => p.update && inWeek(t(p.update.at), start)),
  };
}

// ------------------------------------------------------------------ acting the plan out through the core

type Cast = { programme: Awaited<ReturnType<World["programme"]>>; priya: TestPerson; people: Record<string, TestPerson>; roles: Record<string, Role> };

async function castFor(world: World): Promise<Cast> {
  world.clock.set("2026-02-09T08:30:00Z");
  const programme = await world.programme("Recovery college");
  await world.prisma.programme.update({ where: { id: programme.id }, data: { createdAt: PROGRAMME_START } });
  const priya = await world.person(programme, "Priya Commissioner", "commissioner");
  const people: Record<string, TestPerson> = {};
  const roles: Record<string, Role> = {};
  const add = async (key: string, role: Role) => {
    people[key] = await world.person(programme, `Person ${key}`, role);
    roles[key] = role;
  };
  for (const n of [1, 2, 3, 4, 5, 6]) await add(`E${n}`, "expert_by_experience");
  for (const n of [1, 2, 3, 4, 5]) await add(`P${n}`, "professional");
  await add("C2", "commissioner");
  await world.prisma.membership.updateMany({ where: { programmeId: programme.id }, data: { joinedAt: PROGRAMME_START } });
  return { programme, priya, people, roles };
}

async function actOut(world: World, c: Cast): Promise<void> {
  type Step = { at: string; run: () => Promise<unknown> };
  const steps: Step[] = [];
  const itemId = async (n: number) => (await world.prisma.feedbackItem.findUniqueOrThrow({ where: { programmeId_number: { programmeId: c.programme.id, number: n } } })).id;
  const ok = async (reply: Promise<{ error?: unknown; private?: unknown }>) => expect((await reply).error).toBeUndefined();
  PLAN.forEach((p, i) => {
    const n = i + 1;
    const raiser = c.people[p.who]!;
    steps.push({ at: p.raised, run: () => ok(raiser.say(`suggest Idea number ${n}`)) });
    if (p.considered) steps.push({ at: p.considered, run: () => ok(c.priya.press({ action: "feedback.status", args: { item: String(n), status: "considering" } })) });
    if (p.assign) steps.push({ at: p.assign.at, run: () => ok(c.priya.press({ action: "feedback.assign", args: { item: String(n), ownerExternalId: "me", dueInDays: String(p.assign!.days) } })) });
    if (p.reaction) {
      const reaction = p.reaction;
      steps.push({
        at: reaction.at,
        run: async () => {
          const id = await itemId(n);
          const link = await world.prisma.feedbackUpdateItem.findFirstOrThrow({ where: { itemId: id } });
          await ok(raiser.press({ action: "feedback.react", args: { updateId: link.updateId, itemId: id, answered: reaction.answered, ...(reaction.comment ? { comment: reaction.comment } : {}) } }));
        },
      });
    }
  });
  // Updates posted at the same moment go out together, as one update: "update #4 still #3 ...".
  const byTime = new Map<string, { done: number[]; working: number[] }>();
  PLAN.forEach((p, i) => {
    if (!p.update) return;
    const u = byTime.get(p.update.at) ?? { done: [], working: [] };
    (p.update.outcome === "done" ? u.done : u.working).push(i + 1);
    byTime.set(p.update.at, u);
  });
  for (const [at, u] of byTime) {
    const numbers = `${u.done.map((n) => `#${n}`).join(" ")}${u.working.length ? ` still ${u.working.map((n) => `#${n}`).join(" ")}` : ""}`;
    steps.push({ at, run: () => ok(c.priya.say(`update ${numbers} We did something about it`)) });
  }
  steps.sort((a, b) => t(a.at).getTime() - t(b.at).getTime());
  for (const step of steps) {
    world.clock.set(step.at);
    await step.run();
    // PGlite answers through microtasks only: give vitest's worker a turn (see World.reset).
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// ------------------------------------------------------------------ taster, panel and a joint action in the digest's week

async function seedWeekThree(world: World, c: Cast) {
  const E = (n: number) => c.people[`E${n}`]!;
  const P = (n: number) => c.people[`P${n}`]!;
  await world.prisma.taster.create({
    data: {
      programmeId: c.programme.id,
      title: "Cooking together",
      whatToExpect: "Cook and eat a meal",
      audienceRoles: ["expert_by_experience", "professional"],
      startsAt: t("2026-03-18T14:00:00Z"),
      endsAt: t("2026-03-18T16:00:00Z"),
      capacity: 4,
      signups: {
        create: [
          { personId: E(1).id, role: "expert_by_experience", status: "booked", queuedAt: t("2026-03-16T09:00:00Z"), attended: true, expectationsMet: "yes", wouldTakePart: "yes" },
          { personId: E(2).id, role: "expert_by_experience", status: "booked", queuedAt: t("2026-03-16T09:01:00Z"), attended: true, expectationsMet: "partly", wouldTakePart: "maybe" },
          { personId: E(3).id, role: "expert_by_experience", status: "booked", queuedAt: t("2026-03-16T09:02:00Z"), attended: false },
          { personId: E(4).id, role: "expert_by_experience", status: "expired", queuedAt: t("2026-03-16T09:03:00Z"), offeredAt: t("2026-03-17T09:00:00Z") },
          { personId: E(5).id, role: "expert_by_experience", status: "waitlisted", queuedAt: t("2026-03-16T09:04:00Z") },
          { personId: P(1).id, role: "professional", status: "booked", queuedAt: t("2026-03-16T09:05:00Z"), offeredAt: t("2026-03-17T09:00:00Z"), attended: true, expectationsMet: "no", wouldTakePart: "no" },
        ],
      },
    },
  });
  // Five experts and five professionals; one of each marked absent; three experts and four professionals sent their thoughts.
  const absent = new Set([E(5).id, P(5).id]);
  const members = [1, 2, 3, 4, 5].flatMap((n) => [
    { personId: E(n).id, role: "expert_by_experience" as Role },
    { personId: P(n).id, role: "professional" as Role },
  ]);
  const panel = await world.prisma.panel.create({
    data: {
      programmeId: c.programme.id,
      title: "Staff interviews",
      startsAt: t("2026-03-19T10:00:00Z"),
      endsAt: t("2026-03-19T12:00:00Z"),
      members: { create: members.map((m) => ({ ...m, attended: absent.has(m.personId) ? false : m.personId === E(1).id ? true : null })) },
    },
  });
  for (const [person, role] of [[E(1), "expert_by_experience"], [E(2), "expert_by_experience"], [E(3), "expert_by_experience"], [P(1), "professional"], [P(2), "professional"], [P(3), "professional"], [P(4), "professional"]] as const) {
    await world.prisma.debriefResponse.create({ data: { panelId: panel.id, personId: person.id, role, listenedTo: "yes", submittedAt: t("2026-03-19T15:00:00Z"), updatedAt: t("2026-03-19T15:00:00Z") } });
  }
  // A joint action for idea #11, set up and marked done in chat by its owners.
  world.clock.set("2026-03-19T11:00:00Z");
  const made = await c.priya.say(`together #11 Open the café on Sundays with <@${E(1).externalId}|Expert One>`);
  expect(made.error).toBeUndefined();
  world.clock.set("2026-03-19T12:00:00Z");
  const invite = E(1).inbox().find((m) => textOf(m).includes("Open the café on Sundays"));
  expect((await E(1).press(findButton(invite, "It is done").call)).error).toBeUndefined();
}

// ------------------------------------------------------------------ the tests

describe.each(backends())("loop measures and change over time (%s)", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("counts open, late and waiting ideas, times to a first reply and to 'we did', and what raisers said, as worked out from the plan", { timeout: 120_000 }, async () => {
    const c = await castFor(world);
    await actOut(world, c);
    await seedWeekThree(world, c);
    const d = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, DIGEST_WEEK);
    const m = d.measures!;
    const x = expectedWeek(DIGEST_WEEK);
    const end = weekEnd(DIGEST_WEEK);
    const age = (p: Plan) => days(t(p.raised), end);

    expect(m.ideas.open).toBe(x.open.length);
    expect(m.ideas.openByAge).toEqual({
      underOneWeek: x.open.filter((p) => age(p) < 7).length,
      oneToFourWeeks: x.open.filter((p) => age(p) >= 7 && age(p) <= 28).length,
      overFourWeeks: x.open.filter((p) => age(p) > 28).length,
    });
    expect(m.ideas.openByAge.overFourWeeks).toBe(1);
    expect(m.ideas.overdue).toBe(x.overdue);
    expect(m.ideas.waitingForFirstReply).toBe(x.waiting);
    expect(m.ideas.daysToFirstReply).toEqual(figure(x.toFirstReply));
    expect(m.ideas.daysToWeDid).toEqual(figure(x.toWeDid));
    const all = PLAN.filter((p) => firstReplyAt(p)).map((p) => days(t(p.raised), firstReplyAt(p)!));
    const allDone = PLAN.filter((p) => weDidAt(p)).map((p) => days(t(p.raised), weDidAt(p)!));
    expect(m.ideas.daysToFirstReplySoFar).toEqual(figure(all));
    expect(m.ideas.daysToWeDidSoFar).toEqual(figure(allDone));
    expect(m.ideas.daysToWeDidSoFar.ideas).toBe(6);

    // What the raisers said of this week's updates: each reaction given before the week ended, else no reply.
    const said = x.asked.map((p) => p.reaction?.answered);
    const tally = { yes: said.filter((s) => s === "yes").length, partly: said.filter((s) => s === "partly").length, no: said.filter((s) => s === "no").length };
    const noReply = said.filter((s) => !s).length;
    expect(m.weDidAnswered).toEqual({
      ...tally,
      noReply,
      asked: x.asked.length,
      shares: { yes: r3(tally.yes / x.asked.length), partly: r3(tally.partly / x.asked.length), no: r3(tally.no / x.asked.length), noReply: r3(noReply / x.asked.length) },
    });
    // Partly and no this week: none (they came in the week before); last week had one reopened.
    expect(m.ideas.notAnswered).toEqual({ partly: 0, no: 0, reopened: 0 });

    // Finished this week: the ideas marked done, and the joint action (which answers no idea that was done).
    const doneIdeas = PLAN.filter((p) => inWeek(weDidAt(p), DIGEST_WEEK)).length;
    expect(m.actions).toEqual({ finished: doneIdeas + 1, coOwned: 1, coOwnedShare: r3(1 / (doneIdeas + 1)) });
    expect(d.feedback.actions).toEqual({ done: doneIdeas + 1, coOwned: 1, coOwnedShare: r3(1 / (doneIdeas + 1)) });
    expect(d.feedback.waitingForFirstResponse).toBe(x.waiting);

    // The taster: 6 experts and 5 professionals could sign up.
    expect(m.tasterFunnel).toEqual({
      sessions: 1,
      invited: 11,
      signedUp: 6,
      waiting: 1,
      offered: 2,
      offerExpired: 1,
      attended: 3,
      expectations: { yes: 1, partly: 1, no: 1 },
      wouldTakePartAgain: { yes: 1, maybe: 1, no: 1 },
    });
    // The panel, by role: five of each role, so both are shown.
    expect(m.panelsByRole.rows).toEqual([
      { label: "Expert by experience", people: 5, hidden: false, value: { members: 5, attended: 4, debriefed: 3, attendanceRate: 0.8, debriefRate: 0.75 } },
      { label: "Professional", people: 5, hidden: false, value: { members: 5, attended: 4, debriefed: 4, attendanceRate: 0.8, debriefRate: 1 } },
    ]);
    expect(m.panelsByRole.allRoles).toEqual({ members: 10, attended: 8, debriefed: 7, attendanceRate: 0.8, debriefRate: 0.875 });

    const text = plainText(digestMessage(d, { programmeId: c.programme.id }));
    expect(text).toContain(`Open ideas at the end of the week: ${x.open.length}`);
    expect(text).toContain("Panels this week, by role: Expert by experience (5 people): 4 of 5 came (80%), 3 sent their thoughts (75%)");
  });

  it("gives one point per week since the programme began, each as that week ended", { timeout: 120_000 }, async () => {
    const c = await castFor(world);
    await actOut(world, c);
    await seedWeekThree(world, c);
    const d = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, DIGEST_WEEK);
    expect(d.trend.map((p) => p.weekStart)).toEqual(WEEKS.map((w) => w.toISOString()));
    for (const [i, week] of WEEKS.entries()) {
      const x = expectedWeek(week);
      const point = d.trend[i]!;
      const answered = x.asked.filter((p) => p.reaction && t(p.reaction.at) < weekEnd(week));
      expect(point, week.toISOString()).toMatchObject({
        newIdeas: x.newIdeas,
        openIdeas: x.open.length,
        overdueIdeas: x.overdue,
        waitingForFirstReply: x.waiting,
        medianDaysToFirstReply: x.toFirstReply.length ? r1(middle(x.toFirstReply)!) : null,
        medianDaysToWeDid: x.toWeDid.length ? r1(middle(x.toWeDid)!) : null,
        p90DaysToWeDid: x.toWeDid.length ? r1(ninetieth(x.toWeDid)!) : null,
        weDidAnsweredYesShare: x.asked.length ? r3(answered.filter((p) => p.reaction!.answered === "yes").length / x.asked.length) : null,
      });
    }
    // Who took part, by role: the week of 2 March had five experts raising ideas (each shown);
    // the week of 9 March one expert and two professionals (fewer than 5 in all: nothing shown).
    expect(d.trend[3]!.participationByRole).toEqual({ commissioner: 0, expert_by_experience: 5, professional: 0, facilitator: 0, all: 5 });
    expect(d.trend[4]!.participationByRole).toEqual({ commissioner: null, expert_by_experience: null, professional: null, facilitator: null, all: null });
    // The digest's week: four experts, four professionals and a commissioner: roles held back, all 9 shown.
    expect(d.trend[5]!.participationByRole).toEqual({ commissioner: null, expert_by_experience: null, professional: null, facilitator: null, all: 9 });
    expect(d.trend[5]!.coOwnedShare).toBe(d.measures!.actions.coOwnedShare);
    expect(d.trend[5]!.panelAttendanceRate).toBe(0.8);
    // The week an update only partly answered an idea: counted, and the idea opened again.
    const week2 = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, WEEKS[4]!);
    expect(week2.measures!.ideas.notAnswered).toEqual({ partly: 1, no: 1, reopened: 1 });
    expect(week2.trend).toHaveLength(5);
    expect(plainText(digestMessage(week2, { programmeId: c.programme.id }))).toContain("Ideas opened again: 1.");
    const text = plainText(digestMessage(d, { programmeId: c.programme.id }));
    expect(text).toContain("Change over time");
    expect(text).toContain(`• Week from 2 March 2026: 5 people took part; ${expectedWeek(WEEKS[3]!).newIdeas} new ideas`);
  });
});

describe("digests stored before the measures", () => {
  let world: World;
  beforeAll(async () => {
    world = await World.open();
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("are still shown, without the newer parts", async () => {
    const programme = await world.programme();
    const evaluator = await world.person(programme, "Eva Evaluator", "evaluator");
    const current = await buildDigest(world.prisma, world.ctx.settings, programme.id, t("2026-02-23T00:00:00Z"));
    const older: Record<string, unknown> = { ...current, version: 2 };
    for (const newer of ["measures", "trend", "stages"]) delete older[newer];
    await world.prisma.digest.create({ data: { programmeId: programme.id, weekStart: t("2026-02-23T00:00:00Z"), generatedAt: world.clock.now(), data: older as object } });
    expect(storedDigest(older)).toMatchObject({ version: 2, measures: null, trend: [] });
    expect(storedDigest({ ...older, version: 1 })).toBeNull();
    const reply = await evaluator.say("digest");
    expect(reply.error).toBeUndefined();
    expect(textOf(reply.private)).toContain("Who took part");
    expect(textOf(reply.private)).not.toContain("Change over time");
  });
});
