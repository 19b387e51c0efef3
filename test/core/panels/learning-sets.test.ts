import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { HOUR } from "../../../src/clock.ts";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { createLearningSet, type SetInput } from "../../../src/panels/index.ts";
import { meetingStart, parseHowOften, planStep, type SetSchedule } from "../../../src/panels/set-rules.ts";
import { sweepSetMeetings } from "../../../src/panels/set-sweeps.ts";
import { sweepSetOffers } from "../../../src/panels/set-offers.ts";
import { sweepDebriefs, sweepPrep } from "../../../src/panels/sweeps.ts";
import { buildDigest } from "../../../src/digest/index.ts";
import { erasePerson } from "../../../src/people/index.ts";
import { exportPersonData } from "../../../src/people/my-data.ts";
import type { Block } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const received = (person: TestPerson, words: string) => person.inbox().filter((m) => textOf(m).includes(words));

/** A set of three monthly meetings from 10 March 2026, 10:00 London time (10:00 UTC), for experts by experience. */
async function setUp(options: Partial<SetInput> = {}) {
  const programme = await world.programme();
  const people = await Promise.all(["Jo", "Ali", "Sam"].map((n) => world.person(programme, n, "expert_by_experience")));
  const pro = await world.person(programme, "Kim", "professional");
  const set = await createLearningSet(world.ctx, programme.facilitator.id, {
    programmeId: programme.id,
    name: "Carers' learning set",
    purpose: "Carers learn from each other's cases.",
    first: "2026-03-10 10:00",
    howOften: "every month",
    meetings: "3",
    capacity: "2",
    audienceRoles: ["expert_by_experience"],
    ...options,
  });
  return { programme, jo: people[0]!, ali: people[1]!, sam: people[2]!, pro, set };
}

/** Two sweeps of each kind at once, then the outbox. */
async function sweepTwiceAtOnce() {
  const now = world.clock.now();
  await Promise.all([sweepSetMeetings(world.ctx, now), sweepSetMeetings(world.ctx, now)]);
  await Promise.all([sweepPrep(world.ctx, now), sweepPrep(world.ctx, now), sweepDebriefs(world.ctx, now), sweepDebriefs(world.ctx, now)]);
  await world.core.flush();
}

describe("learning set rules", () => {
  it("reads how often in plain words and keeps the local time of day across clock changes", () => {
    expect(parseHowOften("every 3 months")).toEqual({ unit: "month", interval: 3 });
    expect(parseHowOften("Four times a year")).toEqual({ unit: "month", interval: 3 });
    expect(parseHowOften("every other week")).toEqual({ unit: "week", interval: 2 });
    expect(parseHowOften("now and then")).toBeNull();
    const quarterly: SetSchedule = { kind: "every", unit: "month", interval: 3, first: "2026-01-31T10:00:00Z", count: 4 };
    // 31 January, 10:00 in London; then 30 April 10:00 British Summer Time (09:00 UTC), the last day of a shorter month.
    expect(meetingStart(quarterly, 2, "Europe/London")).toEqual(new Date("2026-04-30T09:00:00Z"));
    expect(meetingStart(quarterly, 5, "Europe/London")).toBeNull();
  });

  it("plans each meeting four weeks ahead, skips one that started while nothing ran, and stops after the last", () => {
    const schedule: SetSchedule = { kind: "dates", dates: ["2026-03-10T10:00:00Z", "2026-06-10T09:00:00Z"] };
    const set = { schedule, timeZone: "Europe/London", plannedMeetings: 0 };
    expect(planStep(set, new Date("2026-03-02T09:00:00Z"))).toEqual({ kind: "plan", number: 1, startsAt: new Date("2026-03-10T10:00:00Z"), nextDueAt: new Date("2026-05-13T09:00:00Z") });
    expect(planStep({ ...set, plannedMeetings: 1 }, new Date("2026-03-11T09:00:00Z"))).toEqual({ kind: "wait", until: new Date("2026-05-13T09:00:00Z") });
    expect(planStep(set, new Date("2026-05-20T09:00:00Z"))).toMatchObject({ kind: "plan", number: 2 });
    expect(planStep({ ...set, plannedMeetings: 2 }, new Date("2026-05-20T09:00:00Z"))).toEqual({ kind: "done" });
  });
});

describe("setting up a learning set", () => {
  it("lets a facilitator set one up in chat in plain words, and refuses experts and unclear schedules", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const form = findForm((await programme.facilitator.say("learning-set new")).private, "learning-set-new");
    const values = { name: "Peer learning set", purpose: "Learn together", first: "2026-04-14 10:00", howOften: "every 3 months", capacity: "6", audienceRoles: "expert_by_experience,professional" };
    const refused = await programme.facilitator.press(form.submit, { ...values, howOften: "now and then" });
    expect(textOf(refused.private)).toContain('like "every 3 months"');
    const reply = await programme.facilitator.press(form.submit, values);
    expect(textOf(reply.replaceSource)).toContain("Peer learning set is set up");
    const set = await world.prisma.learningSet.findFirstOrThrow();
    expect(set).toMatchObject({ capacity: 6, audienceRoles: ["expert_by_experience", "professional"], meetingMinutes: 120 });
    expect(set.schedule).toEqual({ kind: "every", unit: "month", interval: 3, first: "2026-04-14T09:00:00.000Z", count: 4 });
    expect((await jo.say("learning-set new")).error?.code).toBe("not_allowed");
    expect((await jo.press(form.submit, values)).error?.code).toBe("not_allowed");
    expect(textOf((await jo.say("learning-set")).private)).toContain("Every 3 months, 4 meetings");

    await programme.facilitator.press(form.submit, { ...values, name: "On dates", howOften: "2026-05-01 10:00, 2026-06-01 10:00" });
    const dated = await world.prisma.learningSet.findFirstOrThrow({ where: { name: "On dates" } });
    expect((dated.schedule as { dates: string[] }).dates).toHaveLength(3);
  });
});

describe("places in a learning set", () => {
  it("takes members up to the limit, then a waiting list; leaving offers the place to the first person waiting, who takes it", async () => {
    const { jo, ali, sam, pro, set } = await setUp();
    const list = (await jo.say("learning-set")).private;
    expect(textOf(list)).toContain("2 of 2 places free");
    await jo.press(findButton(list, "Join the group").call);
    expect(textOf((await ali.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("You are in Carers' learning set");
    expect(textOf((await sam.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("number 1 on the waiting list");
    expect(textOf((await sam.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("already on the waiting list");
    expect(textOf((await pro.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("for: Expert by experience");

    await jo.press(findButton((await jo.say("learning-set")).private, "Leave the group").call);
    await world.core.flush();
    const offers = received(sam, "A place came free in Carers' learning set");
    expect(offers).toHaveLength(1);
    // Held for a day, as a taster's freed place is.
    expect(textOf(offers[0])).toContain("until");
    expect(await world.prisma.learningSetPlace.findUniqueOrThrow({ where: { setId_personId: { setId: set.id, personId: sam.id } } })).toMatchObject({
      status: "offered",
      offerExpiresAt: new Date(world.clock.now().getTime() + 24 * HOUR),
    });
    expect(textOf((await sam.say("learning-set")).private)).toContain("A place is being held for you.");
    expect(textOf((await sam.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("being held for you");
    expect((await exportPersonData(world.prisma, sam.id)).learningSets).toEqual([expect.objectContaining({ status: "offered a place" })]);
    const took = await sam.press(findButton(offers[0]!, "Yes, I want the place").call);
    expect(textOf(took.replaceSource)).toContain("The place is yours");
    const places = await world.prisma.learningSetPlace.findMany({ orderBy: { queuedAt: "asc" } });
    expect(places.map((p) => [p.personId, p.status])).toEqual([[ali.id, "booked"], [sam.id, "booked"]]);
    expect(textOf((await sam.say("learning-set")).private)).toContain("You are in this group.");
    expect(textOf((await sam.press(findButton(offers[0]!, "Yes, I want the place").call)).private)).toContain("already in");
  });

  it("an offer nobody answers ends after a day, once however many sweeps run, and goes to the next person, who can turn it down", async () => {
    const { programme, jo, ali, sam, set } = await setUp();
    const lee = await world.person(programme, "Lee", "expert_by_experience");
    for (const p of [jo, ali, sam, lee]) {
      await p.press({ action: "learningset.join", args: { setId: set.id } });
      world.clock.advance(60_000);
    }
    await jo.press({ action: "learningset.leave", args: { setId: set.id } });
    await world.core.flush();
    expect(received(sam, "A place came free")).toHaveLength(1);
    expect(received(lee, "A place came free")).toHaveLength(0);

    world.clock.advance(23 * HOUR);
    expect(await sweepSetOffers(world.ctx, world.clock.now())).toBe(0);
    world.clock.advance(HOUR);
    const ended = await Promise.all([sweepSetOffers(world.ctx, world.clock.now()), sweepSetOffers(world.ctx, world.clock.now())]);
    expect(ended[0] + ended[1]).toBe(1);
    await world.core.flush();
    expect(received(sam, "has gone to someone else")).toHaveLength(1);
    expect(received(lee, "A place came free")).toHaveLength(1);
    expect(await world.prisma.learningSetPlace.count({ where: { personId: sam.id } })).toBe(0);
    // Pressed too late: the place has already moved on.
    expect(textOf((await sam.press(findButton(received(sam, "A place came free")[0]!, "Yes, I want the place").call)).private)).toContain("has ended");

    const no = await lee.press(findButton(received(lee, "A place came free")[0]!, "No, thank you").call);
    expect(textOf(no.replaceSource)).toContain("offered the place to the next person");
    expect(await world.prisma.learningSetPlace.count({ where: { personId: lee.id } })).toBe(0);
    expect(textOf((await sam.say("learning-set")).private)).toContain("1 of 2 places free");
    expect(textOf((await sam.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("You are in Carers' learning set");
  });

  it("an offer pressed after its day but before the sweep ran goes to the next person straight away", async () => {
    const { programme, jo, ali, sam, set } = await setUp();
    const lee = await world.person(programme, "Lee", "expert_by_experience");
    for (const p of [jo, ali, sam, lee]) {
      await p.press({ action: "learningset.join", args: { setId: set.id } });
      world.clock.advance(60_000);
    }
    await ali.press({ action: "learningset.leave", args: { setId: set.id } });
    await world.core.flush();
    world.clock.advance(25 * HOUR);
    const late = await sam.press(findButton(received(sam, "A place came free")[0]!, "Yes, I want the place").call);
    expect(textOf(late.private)).toContain("has gone to someone else");
    await world.core.flush();
    expect(received(lee, "A place came free")).toHaveLength(1);
    expect(await sweepSetOffers(world.ctx, world.clock.now())).toBe(0);
  });
});

describe("ending a learning set early", () => {
  it("calls off the meetings not yet held, plans no more, and tells members and people waiting once", async () => {
    const { programme, jo, ali, sam, set } = await setUp();
    for (const p of [jo, ali, sam]) await p.press({ action: "learningset.join", args: { setId: set.id } });
    world.clock.set("2026-03-05T09:00:00Z");
    await sweepTwiceAtOnce();
    expect(await world.prisma.panel.count({ where: { learningSetId: set.id } })).toBe(1);

    expect((await jo.press({ action: "learningset.end", args: { setId: set.id } })).error?.code).toBe("not_allowed");
    const button = findButton((await programme.facilitator.say("learning-set")).private, "End this group early");
    expect(button.confirm).toContain("No more meetings");
    expect(textOf((await programme.facilitator.press(button.call)).replaceSource)).toContain("Carers' learning set has ended");
    expect(textOf((await programme.facilitator.press(button.call)).private)).toContain("already ended");
    await world.core.flush();
    for (const p of [jo, ali]) expect(received(p, "There will be no more meetings")).toHaveLength(1);
    expect(received(sam, "you are off its waiting list")).toHaveLength(1);
    expect(await world.prisma.panel.count({ where: { learningSetId: set.id } })).toBe(0);

    world.clock.set("2026-04-09T10:00:00Z");
    await sweepTwiceAtOnce();
    expect(await world.prisma.panel.count({ where: { learningSetId: set.id } })).toBe(0);
    expect(received(jo, "Reminder:")).toHaveLength(0);
    const list = textOf((await sam.say("learning-set")).private);
    expect(list).toContain("This group has ended.");
    expect(list).not.toContain("Join");
    expect(textOf((await sam.press({ action: "learningset.join", args: { setId: set.id } })).private)).toContain("has ended");
    await jo.press({ action: "learningset.leave", args: { setId: set.id } });
    await world.core.flush();
    expect(sam.inbox().filter((m) => textOf(m).includes("A place came free"))).toHaveLength(0);
  });
});

describe("meetings", () => {
  it("reminds members before each of several meetings and asks each for a reflection after it, once, however many sweeps run", async () => {
    const { jo, ali, sam, set } = await setUp();
    for (const p of [jo, ali]) await p.press({ action: "learningset.join", args: { setId: set.id } });
    await sam.press({ action: "learningset.join", args: { setId: set.id } });
    await ali.say("pause");

    const meetings = [
      { n: 1, start: "2026-03-10T10:00:00Z" },
      { n: 2, start: "2026-04-10T09:00:00Z" },
      { n: 3, start: "2026-05-10T09:00:00Z" },
    ];
    for (const { n, start } of meetings) {
      const startsAt = new Date(start);
      world.clock.set(new Date(startsAt.getTime() - 23 * 3600_000));
      await sweepTwiceAtOnce();
      await sweepTwiceAtOnce();
      const title = `Carers' learning set: meeting ${n}`;
      expect(received(jo, `Reminder: ${title}`)).toHaveLength(1);
      expect(received(ali, `Reminder: ${title}`)).toHaveLength(0); // paused
      expect(received(sam, `Reminder: ${title}`)).toHaveLength(0); // waiting

      world.clock.set(new Date(startsAt.getTime() + 2 * 3600_000 + 60_000));
      await sweepTwiceAtOnce();
      await sweepTwiceAtOnce();
      const asked = received(jo, `Time to reflect on ${title}`);
      expect(asked).toHaveLength(1);
      const form = findForm(asked[0]!, "panel-debrief");
      const saved = await jo.press(form.submit, { wentWell: `Meeting ${n} was honest`, listenedTo: "yes" });
      expect(textOf(saved.replaceSource)).toContain("Your answer is saved");
    }
    expect(await world.prisma.panel.count({ where: { learningSetId: set.id } })).toBe(3);
    const reflections = await world.prisma.debriefResponse.findMany({ include: { panel: true }, orderBy: { submittedAt: "asc" } });
    expect(reflections.map((r) => [r.panel.meetingNumber, r.wentWell])).toEqual([[1, "Meeting 1 was honest"], [2, "Meeting 2 was honest"], [3, "Meeting 3 was honest"]]);
    world.clock.set("2026-06-30T09:00:00Z");
    await sweepTwiceAtOnce();
    expect(await world.prisma.learningSet.findUniqueOrThrow({ where: { id: set.id } })).toMatchObject({ plannedMeetings: 3, planDueAt: null });
  });

  it("gives evaluators the reflections in the weekly digest and the debriefs export, marked as the learning set's, by role only", async () => {
    const { programme, jo, ali, set } = await setUp({ capacity: "6" });
    const evaluator = await world.person(programme, "Eve", "evaluator");
    for (const p of [jo, ali]) await p.press({ action: "learningset.join", args: { setId: set.id } });
    world.clock.set("2026-03-05T09:00:00Z");
    await sweepTwiceAtOnce();
    world.clock.set("2026-03-10T12:01:00Z");
    await sweepTwiceAtOnce();
    await jo.press(findForm(received(jo, "Time to reflect")[0]!, "panel-debrief").submit, { wentWell: "We listened well", listenedTo: "partly" });
    const reply = await evaluator.say("export debriefs csv");
    const file = reply.private?.blocks.find((b): b is Extract<Block, { kind: "file" }> => b.kind === "file");
    const rows = parse(file!.content.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ panel_kind: "learning_set", learning_set: "Carers' learning set", meeting_number: "1", role: "Someone", listened_to: "partly" })]);
    expect(JSON.stringify(rows)).not.toContain("Jo");
    const digest = await buildDigest(world.prisma, world.ctx.settings, programme.id, new Date("2026-03-09T00:00:00Z"));
    expect(digest.panels).toEqual([expect.objectContaining({ title: "Carers' learning set: meeting 1", startsAt: "2026-03-10T10:00:00.000Z" })]);
  });
});

describe("data protection", () => {
  it("shows a person their places in my-data; forget-me removes them and offers the place to the first person waiting", async () => {
    const { programme, jo, ali, sam, set } = await setUp();
    for (const p of [jo, ali, sam]) await p.press({ action: "learningset.join", args: { setId: set.id } });
    world.clock.set("2026-03-05T09:00:00Z");
    await sweepTwiceAtOnce();
    expect((await exportPersonData(world.prisma, sam.id)).learningSets).toEqual([expect.objectContaining({ learningSet: "Carers' learning set", status: "waiting" })]);
    await erasePerson(world.ctx, jo.id);
    expect(await world.prisma.learningSetPlace.count({ where: { personId: jo.id } })).toBe(0);
    expect(await world.prisma.panelMember.count({ where: { personId: jo.id } })).toBe(0);
    const places = await world.prisma.learningSetPlace.findMany();
    expect(places.map((p) => [p.personId, p.status]).sort()).toEqual([[ali.id, "booked"], [sam.id, "offered"]].sort());
    await world.core.flush();
    expect(received(sam, "A place came free")).toHaveLength(1);
    await sam.press(findButton(received(sam, "A place came free")[0]!, "Yes, I want the place").call);
    expect(await world.prisma.panelMember.count({ where: { personId: sam.id } })).toBe(1);
    // Forgetting someone holding an offer moves the place on too.
    const lee = await world.person(programme, "Lee", "expert_by_experience");
    await lee.press({ action: "learningset.join", args: { setId: set.id } });
    await ali.press({ action: "learningset.leave", args: { setId: set.id } });
    await world.core.flush();
    const offered = await world.prisma.learningSetPlace.findUniqueOrThrow({ where: { setId_personId: { setId: set.id, personId: lee.id } } });
    expect(offered.offeredAt).not.toBeNull();
    await erasePerson(world.ctx, lee.id);
    expect(await world.prisma.learningSetPlace.count({ where: { personId: lee.id } })).toBe(0);
  });

  it("asks for agreement before storing a sign-up", async () => {
    const { programme, set } = await setUp();
    const newcomer = await world.person(programme, "Lee", "expert_by_experience", { consent: false });
    const reply = await newcomer.press({ action: "learningset.join", args: { setId: set.id } });
    expect(reply.error).toBeDefined();
    expect(await world.prisma.learningSetPlace.count()).toBe(0);
  });
});


// The embedded database runs one statement at a time; PostgreSQL really runs the two at once.
describe.runIf(process.env.WESAID_TEST_POSTGRES_URL)("at the same moment, on postgres", () => {
  let pg: World;
  beforeAll(async () => {
    pg = await World.open("postgres");
  });
  afterAll(() => pg?.close());

  it("two sweeps plan and remind once; two people asking for the last place get one place and one waiting", async () => {
    const programme = await pg.programme();
    const [jo, ali, sam] = await Promise.all(["Jo", "Ali", "Sam"].map((n) => pg.person(programme, n, "expert_by_experience")));
    const set = await createLearningSet(pg.ctx, programme.facilitator.id, { programmeId: programme.id, name: "Pair set", first: "2026-03-10 10:00", howOften: "every month", capacity: 2, audienceRoles: [] });
    await jo!.press({ action: "learningset.join", args: { setId: set.id } });
    await Promise.all([ali!, sam!].map((p) => p.press({ action: "learningset.join", args: { setId: set.id } })));
    const statuses = (await pg.prisma.learningSetPlace.findMany()).map((p) => p.status).sort();
    expect(statuses).toEqual(["booked", "booked", "waitlisted"]);

    const now = pg.clock.now();
    await Promise.all([sweepSetMeetings(pg.ctx, now), sweepSetMeetings(pg.ctx, now), sweepSetMeetings(pg.ctx, now)]);
    expect(await pg.prisma.panel.count({ where: { learningSetId: set.id } })).toBe(1);
    pg.clock.set(new Date(Date.parse("2026-03-10T10:00:00Z") - 20 * HOUR));
    const at = pg.clock.now();
    await Promise.all([sweepPrep(pg.ctx, at), sweepPrep(pg.ctx, at)]);
    await pg.core.flush();
    expect(jo!.inbox().filter((m) => textOf(m).includes("Reminder: Pair set: meeting 1"))).toHaveLength(1);
  });

  it("three offer sweeps at once end an offer once and offer the place to the next person once", async () => {
    const programme = await pg.programme();
    const [jo, ali, sam, lee] = await Promise.all(["Jo", "Ali", "Sam", "Lee"].map((n) => pg.person(programme, n, "expert_by_experience")));
    const set = await createLearningSet(pg.ctx, programme.facilitator.id, { programmeId: programme.id, name: "Offer set", first: "2026-04-10 10:00", howOften: "every month", capacity: 2, audienceRoles: [] });
    for (const p of [jo!, ali!, sam!, lee!]) {
      await p.press({ action: "learningset.join", args: { setId: set.id } });
      pg.clock.advance(60_000);
    }
    await jo!.press({ action: "learningset.leave", args: { setId: set.id } });
    pg.clock.advance(25 * HOUR);
    const at = pg.clock.now();
    const ended = await Promise.all([sweepSetOffers(pg.ctx, at), sweepSetOffers(pg.ctx, at), sweepSetOffers(pg.ctx, at)]);
    expect(ended.reduce((a, b) => a + b, 0)).toBe(1);
    await pg.core.flush();
    const got = (p: TestPerson, words: string) => p.inbox().filter((m) => textOf(m).includes(words)).length;
    expect([got(sam!, "A place came free"), got(sam!, "has gone to someone else"), got(lee!, "A place came free")]).toEqual([1, 1, 1]);
    expect((await pg.prisma.learningSetPlace.findMany({ where: { setId: set.id } })).map((p) => p.status).sort()).toEqual(["booked", "offered"]);
  });
});
