import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { buildDigest, digestCommandArgs, digestMessage, digestWeeksDue, median, scaleFigure, type DigestData } from "../../../src/digest/index.ts";
import { plainText } from "../../../src/messages/model.ts";
import { DAY, HOUR } from "../../../src/clock.ts";
import { recordConsent } from "../../../src/people/index.ts";
import type { Role } from "../../../src/roles.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const WEEK = new Date("2026-03-02T00:00:00Z"); // the Monday the world clock starts in
const at = (iso: string) => new Date(iso);

type Programme = Awaited<ReturnType<World["programme"]>>;

/** setupProgramme leaves createdAt to the database's own clock: put it on the test clock. */
async function startedNow(programme: Programme): Promise<void> {
  await world.prisma.programme.update({ where: { id: programme.id }, data: { createdAt: world.clock.now() } });
}

// ------------------------------------------------------------------ seeded rows, written directly

async function series(programmeId: string, title: string, options: { anonymous?: boolean; audience?: Role[] } = {}) {
  return world.prisma.promptSeries.create({
    data: {
      programmeId,
      title,
      audienceRoles: options.audience ?? ["expert_by_experience", "commissioner", "professional"],
      cron: "0 10 * * 2",
      timeZone: "Europe/London",
      anonymous: options.anonymous ?? false,
      questions: {
        create: [
          { position: 1, kind: "scale", text: "How confident do you feel about taking part?", scaleMin: 0, scaleMax: 10 },
          { position: 2, kind: "text", text: "What went well this week?" },
        ],
      },
    },
    include: { questions: { orderBy: { position: "asc" } } },
  });
}

type Answer = { person: TestPerson; role: Role; score?: number; text?: string };

/** One occurrence sent to everyone listed; those with a score or text answered. */
async function occurrence(s: Awaited<ReturnType<typeof series>>, when: Date, sentTo: { person: TestPerson; role: Role }[], answers: Answer[]) {
  const occ = await world.prisma.promptOccurrence.create({ data: { seriesId: s.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * DAY) } });
  const answeredAt = new Date(when.getTime() + 2 * HOUR);
  for (const { person, role } of sentTo) {
    const answer = answers.find((a) => a.person === person);
    const delivery = await world.prisma.promptDelivery.create({
      data: { occurrenceId: occ.id, personId: person.id, role, status: answer ? "answered" : "sent", notBefore: when, sentAt: when, answeredAt: answer ? answeredAt : null },
    });
    if (!answer) continue;
    const personId = s.anonymous ? null : person.id;
    const responseKey = `key-${delivery.id}`;
    const [scale, free] = s.questions;
    if (answer.score !== undefined) {
      await world.prisma.promptResponse.create({ data: { occurrenceId: occ.id, questionId: scale!.id, personId, role, responseKey, number: answer.score, answeredAt, updatedAt: answeredAt } });
    }
    if (answer.text !== undefined) {
      await world.prisma.promptResponse.create({ data: { occurrenceId: occ.id, questionId: free!.id, personId, role, responseKey, text: answer.text, answeredAt, updatedAt: answeredAt } });
    }
  }
  return occ;
}

async function idea(programmeId: string, p: { number: number; by: TestPerson; role: Role; createdAt: string; firstRespondedAt?: string; status?: "received" | "considering" | "agreed" | "done" | "not_possible"; dueAt?: string; ownerId?: string; closedAt?: string; changedAt?: string }) {
  const item = await world.prisma.feedbackItem.create({
    data: {
      programmeId,
      number: p.number,
      raisedById: p.by.id,
      raisedByRole: p.role,
      text: `Idea number ${p.number}`,
      createdAt: at(p.createdAt),
      firstRespondedAt: p.firstRespondedAt ? at(p.firstRespondedAt) : null,
      status: p.status ?? "received",
      dueAt: p.dueAt ? at(p.dueAt) : null,
      ownerId: p.ownerId ?? null,
      closedAt: p.closedAt ? at(p.closedAt) : null,
    },
  });
  await world.prisma.feedbackStatusChange.create({ data: { itemId: item.id, from: null, to: "received", changedAt: at(p.createdAt) } });
  if (p.status && p.status !== "received") {
    await world.prisma.feedbackStatusChange.create({ data: { itemId: item.id, from: "received", to: p.status, changedAt: at(p.changedAt ?? p.firstRespondedAt ?? p.createdAt) } });
  }
  return item;
}

type Cast = {
  programme: Programme;
  evaluator: TestPerson;
  experts: TestPerson[];
  fay: TestPerson;
  colm: TestPerson;
  pam: TestPerson;
  pat: TestPerson;
  everyone: TestPerson[];
  names: string[];
};

const EXPERT_NAMES = ["Aisha Khanum", "Bertie Okafor", "Cara Doyle-Ryan", "Devika Patel", "Elias Morrow"];

/** A programme with six experts (one who will not be quoted), a commissioner, two professionals and an evaluator. */
async function cast(): Promise<Cast> {
  const programme = await world.programme("Young people's drug and alcohol service");
  await startedNow(programme);
  const experts: TestPerson[] = [];
  for (const name of EXPERT_NAMES) experts.push(await world.person(programme, name, "expert_by_experience"));
  const fay = await world.person(programme, "Fay Lundqvist", "expert_by_experience", { quotation: false });
  const colm = await world.person(programme, "Colm Reidy", "commissioner");
  const pam = await world.person(programme, "Pamela Ortiz", "professional");
  const pat = await world.person(programme, "Patrick Singh", "professional");
  const evaluator = await world.person(programme, "Evelyn Novak", "evaluator");
  const everyone = [...experts, fay, colm, pam, pat, evaluator, programme.facilitator];
  const people = await world.prisma.person.findMany({ where: { id: { in: everyone.map((p) => p.id) } }, select: { displayName: true } });
  const names = people.map((p) => p.displayName);
  expect(names).toEqual(expect.arrayContaining([...EXPERT_NAMES, "Fay Lundqvist", "Colm Reidy", "Pamela Ortiz", "Patrick Singh", "Evelyn Novak"]));
  return { programme, evaluator, experts, fay, colm, pam, pat, everyone, names };
}

/** A busy week: questions, ideas, updates, actions, a taster and a panel. */
async function seedWeek(c: Cast) {
  const [aisha, bertie, cara, devika, elias] = c.experts as [TestPerson, TestPerson, TestPerson, TestPerson, TestPerson];
  const id = c.programme.id;

  // Questions: nine asked, eight answered; Pat did not answer.
  const checkIn = await series(id, "Weekly check-in");
  const asked = [...c.experts.map((person) => ({ person, role: "expert_by_experience" as Role })), { person: c.fay, role: "expert_by_experience" as Role }, { person: c.colm, role: "commissioner" as Role }, { person: c.pam, role: "professional" as Role }, { person: c.pat, role: "professional" as Role }];
  const scores = [4, 6, 7, 8, 5];
  await occurrence(checkIn, at("2026-03-03T10:00:00Z"), asked, [
    ...c.experts.map((person, i) => ({ person, role: "expert_by_experience" as Role, score: scores[i]!, text: `The group listened to me, point ${i + 1}` })),
    { person: c.fay, role: "expert_by_experience", score: 9, text: "Private words that must not be quoted" },
    { person: c.colm, role: "commissioner", score: 2, text: "We moved the meeting to the evening" },
    { person: c.pam, role: "professional", score: 3, text: "Referrals from clinics went up" },
  ]);
  // An anonymous series: its words cannot be checked for consent, so they are never quoted.
  const pulse = await series(id, "Anonymous pulse", { anonymous: true });
  await occurrence(pulse, at("2026-03-04T10:00:00Z"), [{ person: aisha, role: "expert_by_experience" }], [{ person: aisha, role: "expert_by_experience", text: "Anonymous words that must not be quoted" }]);

  // Ideas: three new this week (first replies after 4, 24 and 12 hours), one from the week before still waiting.
  await idea(id, { number: 1, by: aisha, role: "expert_by_experience", createdAt: "2026-03-02T10:00:00Z", firstRespondedAt: "2026-03-02T14:00:00Z", status: "considering" });
  const overdue = await idea(id, { number: 2, by: bertie, role: "expert_by_experience", createdAt: "2026-03-03T09:00:00Z", firstRespondedAt: "2026-03-04T09:00:00Z", status: "agreed", dueAt: "2026-03-05T09:00:00Z", ownerId: c.colm.id });
  const done = await idea(id, { number: 3, by: c.pam, role: "professional", createdAt: "2026-03-04T12:00:00Z", firstRespondedAt: "2026-03-05T00:00:00Z", status: "done", dueAt: "2026-03-05T09:00:00Z", closedAt: "2026-03-06T09:00:00Z", changedAt: "2026-03-06T09:00:00Z" });
  await idea(id, { number: 4, by: cara, role: "expert_by_experience", createdAt: "2026-02-25T12:00:00Z" });

  // "We did": one update, two replies to it, two actions done (one shared by an expert and a commissioner).
  const update = await world.prisma.feedbackUpdate.create({ data: { programmeId: id, authorId: c.colm.id, authorRole: "commissioner", text: "We did it", postedAt: at("2026-03-06T10:00:00Z"), items: { create: [{ itemId: done.id }, { itemId: overdue.id }] } } });
  await world.prisma.feedbackReaction.create({ data: { updateId: update.id, itemId: done.id, personId: c.pam.id, answered: "yes", reactedAt: at("2026-03-06T12:00:00Z") } });
  await world.prisma.feedbackReaction.create({ data: { updateId: update.id, itemId: overdue.id, personId: bertie.id, answered: "partly", reactedAt: at("2026-03-06T13:00:00Z") } });
  await world.prisma.coOwnedAction.create({
    data: { programmeId: id, title: "Evening meetings", status: "done", createdAt: at("2026-03-02T12:00:00Z"), doneAt: at("2026-03-05T12:00:00Z"), owners: { create: [{ personId: aisha.id, role: "expert_by_experience" }, { personId: c.colm.id, role: "commissioner" }] } },
  });
  await world.prisma.coOwnedAction.create({
    data: { programmeId: id, title: "New leaflet", status: "done", createdAt: at("2026-03-02T12:00:00Z"), doneAt: at("2026-03-06T12:00:00Z"), owners: { create: [{ personId: c.colm.id, role: "commissioner" }] } },
  });

  // A taster: three booked (two came), one on the waiting list.
  await world.prisma.taster.create({
    data: {
      programmeId: id,
      title: "Art on the ward",
      whatToExpect: "Painting with a local artist",
      startsAt: at("2026-03-05T14:00:00Z"),
      endsAt: at("2026-03-05T16:00:00Z"),
      capacity: 3,
      signups: {
        create: [
          { personId: aisha.id, role: "expert_by_experience", status: "booked", queuedAt: at("2026-03-02T11:00:00Z"), attended: true, expectationsMet: "yes" },
          { personId: bertie.id, role: "expert_by_experience", status: "booked", queuedAt: at("2026-03-02T11:05:00Z"), attended: true, expectationsMet: "partly" },
          { personId: cara.id, role: "expert_by_experience", status: "booked", queuedAt: at("2026-03-02T11:10:00Z"), attended: false },
          { personId: devika.id, role: "expert_by_experience", status: "waitlisted", queuedAt: at("2026-03-02T11:15:00Z") },
        ],
      },
    },
  });

  // A panel: five experts and one commissioner; all send their thoughts afterwards.
  const panel = await world.prisma.panel.create({
    data: {
      programmeId: id,
      title: "Provider interview panel",
      startsAt: at("2026-03-06T10:00:00Z"),
      endsAt: at("2026-03-06T12:00:00Z"),
      members: { create: [...c.experts.map((m) => ({ personId: m.id, role: "expert_by_experience" as Role })), { personId: c.colm.id, role: "commissioner" }] },
    },
  });
  const listened = ["yes", "yes", "partly", "yes", "no"];
  for (const [i, member] of c.experts.entries()) {
    await world.prisma.debriefResponse.create({
      data: { panelId: panel.id, personId: member.id, role: "expert_by_experience", listenedTo: listened[i]!, wentWell: member === elias ? "Meeting each other before the interviews" : "", submittedAt: at("2026-03-06T15:00:00Z"), updatedAt: at("2026-03-06T15:00:00Z") },
    });
  }
  await world.prisma.debriefResponse.create({ data: { panelId: panel.id, personId: c.colm.id, role: "commissioner", listenedTo: "yes", couldImprove: "More time to prepare", submittedAt: at("2026-03-06T16:00:00Z"), updatedAt: at("2026-03-06T16:00:00Z") } });
  void devika;
}

function expectNothingPersonal(json: string, c: Cast) {
  for (const name of c.names) expect(json, name).not.toContain(name);
  for (const person of c.everyone) {
    expect(json).not.toContain(person.id);
    expect(json).not.toContain(person.externalId);
  }
}

// ------------------------------------------------------------------ pure parts

describe("digest scheduling and figures", () => {
  it("is due for each ended week since the programme began, at most the last 8, oldest first", () => {
    const created = at("2026-03-04T10:00:00Z"); // a Wednesday
    expect(digestWeeksDue(at("2026-03-08T23:59:00Z"), created, [])).toEqual([]);
    expect(digestWeeksDue(at("2026-03-09T00:00:00Z"), created, [])).toEqual([at("2026-03-02T00:00:00Z")]);
    expect(digestWeeksDue(at("2026-03-25T12:00:00Z"), created, [at("2026-03-09T00:00:00Z")])).toEqual([at("2026-03-02T00:00:00Z"), at("2026-03-16T00:00:00Z")]);
    const longAgo = digestWeeksDue(at("2026-03-25T12:00:00Z"), at("2025-01-01T00:00:00Z"), []);
    expect(longAgo).toHaveLength(8);
    expect(longAgo.at(-1)).toEqual(at("2026-03-16T00:00:00Z"));
  });

  it("works out medians and averages", () => {
    expect(median([])).toBeNull();
    expect(median([4, 24, 12])).toBe(12);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(scaleFigure([4, 6, 7, 8, 5])).toEqual({ answers: 5, mean: 6, median: 6 });
  });

  it("reads what people type after digest", () => {
    expect(digestCommandArgs("")).toEqual({});
    expect(digestCommandArgs("this week")).toEqual({ week: "current" });
    expect(digestCommandArgs("current")).toEqual({ week: "current" });
    expect(digestCommandArgs("last")).toEqual({});
    expect(digestCommandArgs("yesterday")).toEqual({ week: "yesterday" });
  });
});

// ------------------------------------------------------------------ building

describe("building the weekly digest", () => {
  it("counts answers, ideas, sessions and panels correctly, with no role shown beside a small one", async () => {
    const c = await cast();
    await seedWeek(c);
    const d = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, WEEK);

    expect(d).toMatchObject({ programme: "Young people's drug and alcohol service", weekStart: "2026-03-02T00:00:00.000Z", weekEnd: "2026-03-09T00:00:00.000Z", partial: false, minGroupSize: 5 });

    // Questions: 8 of 9 answered; 1 commissioner and 1 professional among them, so no role is shown:
    // "Expert 6" beside "8 answered" would give the other two away.
    const [checkIn, pulse] = d.prompts;
    const together = (people: number | null) => ({ label: "All roles together", people, hidden: people === null });
    expect(checkIn).toMatchObject({ series: "Weekly check-in", sent: 9, answered: 8, responseRate: 0.889 });
    expect(checkIn!.answeredByRole).toEqual([together(8)]);
    expect(checkIn!.scales[0]).toEqual({
      question: "How confident do you feel about taking part?",
      min: 0,
      max: 10,
      allRoles: { answers: 8, mean: 5.5, median: 5.5 },
      byRole: [{ ...together(8), value: { answers: 8, mean: 5.5, median: 5.5 } }],
    });
    // One person answered the pulse: fewer than 5, so not even how many.
    expect(pulse).toMatchObject({ series: "Anonymous pulse", anonymous: true, sent: 1, answered: null, responseRate: null, answeredByRole: [together(null)] });

    // Ideas and what we did.
    const f = d.feedback;
    expect(f.newItems).toBe(3);
    // Three people raised them: no rows of 0 either, which would say which roles the three were.
    expect(f.newByRole).toEqual([together(null)]);
    expect(f.statusChanges).toEqual([
      { number: 1, from: "received", to: "considering" },
      { number: 2, from: "received", to: "agreed" },
      { number: 3, from: "received", to: "done" },
    ]);
    expect(f.firstResponse).toEqual({ responded: 3, medianHours: 12 });
    expect(f.waitingForFirstResponse).toBe(1);
    // Fewer than 5 people raised the open ideas, so who raised one is not named by role.
    expect(f.overdue).toEqual([{ number: 2, raisedBy: "someone", owner: "Commissioner", daysOverdue: 3 }]);
    expect(f.updatesPosted).toBe(1);
    expect(f.reactions).toEqual({ yes: 1, partly: 1, no: 0 });
    // Finished: the two actions and idea #3 marked done; only "Evening meetings" was co-owned.
    expect(f.actions).toEqual({ done: 3, coOwned: 1, coOwnedShare: 0.333 });

    // Tasters and panels.
    expect(d.tasters).toEqual({
      signups: 4,
      waitlisted: 1,
      sessions: [{ title: "Art on the ward", startsAt: "2026-03-05T14:00:00.000Z", booked: 3, waitlisted: 1, attended: 2, expectations: { yes: 1, partly: 1, no: 0 } }],
    });
    expect(d.panels).toEqual([
      {
        title: "Provider interview panel",
        startsAt: "2026-03-06T10:00:00.000Z",
        members: 6,
        // Five experts and one commissioner: the experts' own figure beside everyone's would give the commissioner's answer away.
        membersByRole: [together(6)],
        debriefs: 6,
        listenedTo: { yes: 4, partly: 1, no: 1 },
        listenedToByRole: [{ ...together(6), value: { yes: 4, partly: 1, no: 1 } }],
      },
    ]);

    // Who took part, and who kept taking part.
    // Counts of fewer than 5 people are "fewer than 5" (null); build-up figures are for all roles together only.
    expect(d.participation).toEqual({
      people: 8,
      byRole: [together(8)],
      byActivity: { answer: 8, suggestion: null, taster: null, panel: 6 },
      continuity: { peopleSoFar: 8, severalKinds: 7, severalWeeks: null },
    });
  });

  it("quotes only people who agreed, by role only, and never names or ids anywhere", async () => {
    const c = await cast();
    await seedWeek(c);
    const d = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, WEEK);

    const texts = d.quotes.quotes.map((q) => q.text);
    expect(d.quotes.withheld).toBe(false);
    expect(texts).toContain("The group listened to me, point 1");
    expect(texts).toContain("Meeting each other before the interviews");
    expect(texts).not.toContain("Private words that must not be quoted");
    expect(texts).not.toContain("Anonymous words that must not be quoted");
    expect(d.quotes.notQuoted).toBe(2);
    // Five experts are quoted, but also one commissioner and one professional: a role label would point at them, so none is shown.
    expect(new Set(d.quotes.quotes.map((q) => q.label))).toEqual(new Set(["Someone"]));
    expect(d.quotes.quotes.find((q) => q.text === "More time to prepare")).toMatchObject({ label: "Someone", source: "after a panel, on what could be better" });

    const json = JSON.stringify(d);
    expectNothingPersonal(json, c);
    expect(json).not.toContain("Private words");
    expectNothingPersonal(plainText(digestMessage(d, { programmeId: c.programme.id })), c);

    // Someone who later says no to being quoted is no longer quoted.
    world.clock.advanceMinutes(5);
    await recordConsent(world.ctx, { personId: c.colm.id, programmeId: c.programme.id, participation: true, quotation: false });
    const after = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, WEEK);
    expect(after.quotes.quotes.map((q) => q.text)).not.toContain("We moved the meeting to the evening");
  });

  it("shows each role, with rows of 0 for roles asked, when every role taking part has 5 or more people", async () => {
    const programme = await world.programme();
    await startedNow(programme);
    const experts: TestPerson[] = [];
    const professionals: TestPerson[] = [];
    for (const n of [1, 2, 3, 4, 5]) experts.push(await world.person(programme, `Expert ${n}`, "expert_by_experience"));
    for (const n of [1, 2, 3, 4, 5]) professionals.push(await world.person(programme, `Professional ${n}`, "professional"));
    const s = await series(programme.id, "Check-in");
    const asked = [...experts.map((person) => ({ person, role: "expert_by_experience" as Role })), ...professionals.map((person) => ({ person, role: "professional" as Role }))];
    await occurrence(s, at("2026-03-03T10:00:00Z"), asked, asked.map((a, i) => ({ ...a, score: a.role === "professional" ? 2 : 8, text: `Words number ${i}` })));
    const d = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
    expect(d.prompts[0]!.answeredByRole).toEqual([
      { label: "Commissioner", people: 0, hidden: false },
      { label: "Expert by experience", people: 5, hidden: false },
      { label: "Professional", people: 5, hidden: false },
    ]);
    expect(d.prompts[0]!.scales[0]!.byRole.map((r) => [r.label, r.value?.mean])).toEqual([
      ["Expert by experience", 8],
      ["Professional", 2],
    ]);
    expect(d.prompts[0]!.scales[0]!.allRoles?.mean).toBe(5);
    expect(d.participation.byRole.filter((r) => r.people)).toEqual([
      { label: "Expert by experience", people: 5, hidden: false },
      { label: "Professional", people: 5, hidden: false },
    ]);
    expect(new Set(d.quotes.quotes.map((q) => q.label))).toEqual(new Set(["Expert by experience", "Professional"]));
    const text = plainText(digestMessage(d, { programmeId: programme.id }));
    expect(text).toContain("Who answered: Commissioner 0; Expert by experience 5; Professional 5.");
  });

  it("withholds all quotes when fewer than 5 consenting people wrote something", async () => {
    const programme = await world.programme();
    await startedNow(programme);
    const people = [];
    for (const name of ["Ann One", "Ann Two", "Ann Three", "Ann Four"]) people.push(await world.person(programme, name, "expert_by_experience"));
    const s = await series(programme.id, "Check-in");
    const asked = people.map((person) => ({ person, role: "expert_by_experience" as Role }));
    await occurrence(s, at("2026-03-03T10:00:00Z"), asked, people.map((person, i) => ({ person, role: "expert_by_experience" as Role, text: `Something I noticed ${i}` })));
    const d = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
    expect(d.quotes).toEqual({ withheld: true, quotes: [], notQuoted: 0 });
    expect(textOf(digestMessage(d, { programmeId: programme.id }))).toContain("Fewer than 5 people who agreed to be quoted");
  });

  it("reads as plain English with the headings and the note about small groups", async () => {
    const c = await cast();
    await seedWeek(c);
    const text = plainText(digestMessage(await buildDigest(world.prisma, world.ctx.settings, c.programme.id, WEEK), { programmeId: c.programme.id }));
    for (const h of ["Questions", "Ideas and what we did", "Taster sessions", "Panels", "Who took part", "In their words"]) expect(text).toContain(h);
    expect(text).toContain("8 of 9 people answered (89%)");
    expect(text).toContain("The middle time to a first reply was about 12 hours.");
    expect(text).toContain('"Meeting each other before the interviews" (Someone, after a panel, on what went well)');
    expect(text).toContain("Who answered: roles not shown, because a role had fewer than 5 people.");
    expect(text).toContain("Fewer than 5 people answered (1 person was asked).");
    expect(text).toContain("Shared ideas: fewer than 5.");
    expect(text).toContain("#2: raised by someone, looked after by Commissioner, 3 days late");
    expect(text).toContain("Roles are shown only when every role has 5 or more people");
  });
});

// ------------------------------------------------------------------ storing and sending

describe("the weekly sweep", () => {
  it("stores one digest when the week ends and sends it to evaluators, facilitators and admins only, once", async () => {
    const c = await cast();
    await seedWeek(c);
    const admin = await world.person(c.programme, "Ada Admin", "admin");
    const pausedAdmin = await world.person(c.programme, "Paul Paused", "admin");
    await world.prisma.preference.update({ where: { personId: pausedAdmin.id }, data: { pausedAt: world.clock.now() } });
    world.messenger.clear();

    await world.tick();
    expect(await world.prisma.digest.count()).toBe(0);

    world.clock.set("2026-03-09T09:00:00Z");
    await world.tick();
    const stored = await world.prisma.digest.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.weekStart).toEqual(WEEK);
    expectNothingPersonal(JSON.stringify(stored[0]!.data), c);

    for (const reader of [c.evaluator, c.programme.facilitator, admin]) {
      const digests = reader.inbox().filter((m) => m.summary.includes("weekly summary"));
      expect(digests, reader.externalId).toHaveLength(1);
      expect(textOf(digests[0])).toContain("Who took part");
    }
    for (const other of [...c.experts, c.fay, c.colm, c.pam, c.pat, pausedAdmin]) {
      expect(other.inbox().some((m) => m.summary.includes("weekly summary")), other.externalId).toBe(false);
    }
    const outbox = await world.prisma.outboxMessage.findMany({ where: { purpose: "digest.weekly" } });
    expect(outbox.map((o) => o.key).sort()).toEqual([c.evaluator, c.programme.facilitator, admin].map((p) => `digest:${stored[0]!.id}:${p.id}`).sort());

    // Ticking again, now or later in the week, sends nothing twice.
    const sent = world.messenger.sent.length;
    await world.tick();
    world.clock.advanceHours(30);
    await world.tick();
    expect(world.messenger.sent.length).toBe(sent);
    expect(await world.prisma.digest.count()).toBe(1);
  });

  it("waits for the end of quiet hours before sending", async () => {
    const programme = await world.programme();
    await startedNow(programme);
    const evaluator = await world.person(programme, "Quiet Evaluator", "evaluator");
    world.clock.set("2026-03-09T00:05:00Z");
    await world.tick();
    expect(await world.prisma.digest.count()).toBe(1);
    expect(evaluator.inbox().some((m) => m.summary.includes("weekly summary"))).toBe(false);
    world.clock.set("2026-03-09T08:00:00Z");
    await world.tick();
    expect(evaluator.inbox().filter((m) => m.summary.includes("weekly summary"))).toHaveLength(1);
  });

  it("sends nothing to a reader who has paused, now or later", async () => {
    const programme = await world.programme();
    await startedNow(programme);
    const reader = await world.person(programme, "Eve Evaluator", "evaluator");
    const paused = await world.person(programme, "Paused Evaluator", "evaluator");
    expect(textOf((await paused.say("pause")).private)).toContain("Messages are paused");
    world.clock.set("2026-03-09T09:00:00Z");
    await world.tick();
    expect(reader.inbox().filter((m) => m.summary.includes("weekly summary"))).toHaveLength(1);
    expect(paused.inbox().some((m) => m.summary.includes("weekly summary"))).toBe(false);
    expect(await world.prisma.outboxMessage.count({ where: { purpose: "digest.weekly", personId: paused.id } })).toBe(0);
  });

  it("catches up after three missed weeks with three digests, oldest first", async () => {
    const programme = await world.programme();
    await startedNow(programme);
    const evaluator = await world.person(programme, "Catch Up Evaluator", "evaluator");
    world.clock.set("2026-03-23T09:00:00Z");
    await world.tick();
    const weeks = (await world.prisma.digest.findMany({ orderBy: { weekStart: "asc" } })).map((d) => d.weekStart.toISOString());
    expect(weeks).toEqual(["2026-03-02T00:00:00.000Z", "2026-03-09T00:00:00.000Z", "2026-03-16T00:00:00.000Z"]);
    expect(evaluator.inbox().filter((m) => m.summary.includes("weekly summary"))).toHaveLength(3);
    await world.tick();
    expect(await world.prisma.digest.count()).toBe(3);
  });

  it("builds no more than the last 8 weeks after a long outage", async () => {
    const programme = await world.programme();
    await world.prisma.programme.update({ where: { id: programme.id }, data: { createdAt: at("2025-06-01T00:00:00Z") } });
    await world.tick();
    expect(await world.prisma.digest.count()).toBe(8);
  }, 120_000); // eight weeks built with their charts: slow on a loaded machine
});

// ------------------------------------------------------------------ chat

describe("asking for the digest in chat", () => {
  it("refuses people who may not read it, politely", async () => {
    const programme = await world.programme();
    const expert = await world.person(programme, "Jo Expert", "expert_by_experience");
    const reply = await expert.say("digest");
    expect(reply.error?.code).toBe("not_allowed");
    expect(textOf(reply.private)).toContain("Sorry, only people in these roles can do that: Evaluator, Facilitator, Admin.");
    expect(textOf((await expert.say("help")).private)).not.toContain("digest");
  });

  it("shows the latest stored digest, or this week so far on request", async () => {
    const c = await cast();
    const none = await c.evaluator.say("digest");
    expect(textOf(none.private)).toContain("There is no weekly summary yet");

    await seedWeek(c);
    world.clock.set("2026-03-09T09:00:00Z");
    await world.tick();
    const latest = await c.evaluator.say("digest");
    expect(latest.private?.summary).toContain("weekly summary for the week from 2 March 2026");
    expect(textOf(latest.private)).toContain("8 of 9 people answered");

    // The evaluator may export the week's answers from it; a facilitator, who may read but not export, is not offered the button.
    expect(findButton(latest.private, "Export answers (CSV)").call).toMatchObject({ action: "evidence.export", args: { what: "answers", format: "csv", from: "2026-03-02", to: "2026-03-08" } });
    expect(textOf((await c.programme.facilitator.say("digest")).private)).not.toContain("Export answers");

    // This week so far is built on request and not stored.
    const soFar = await c.evaluator.press(findButton(latest.private, "See this week so far").call);
    expect(soFar.private?.summary).toContain("this week so far");
    expect(textOf(soFar.private)).toContain("No questions were sent this week.");
    expect(await world.prisma.digest.count()).toBe(1);

    const typed = await c.programme.facilitator.say("digest this week");
    expect(typed.private?.summary).toContain("this week so far");

    const bad = await c.evaluator.say("digest yesterday");
    expect(bad.error?.code).toBe("invalid_input");
    expect(textOf(bad.private)).toContain('Please choose one of the answers for "Week".');
  });
});

export type { DigestData };
