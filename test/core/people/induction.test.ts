import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { recordConsent } from "../../../src/people/index.ts";
import { createTaster } from "../../../src/tasters/index.ts";
import { dueStep, inductionText, MIN_GAP_MS, WINDOW_MS } from "../../../src/induction/index.ts";
import type { Message } from "../../../src/messages/model.ts";
import { backends } from "../../support/databases.ts";

/** Late joiners catch up (issue 13, evaluation 003): a short introduction, one private message a day over their first days. */

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NAME = "Better mental health care";
const TITLES = [inductionText.aboutTitle(NAME), inductionText.decidedTitle, inductionText.ideasTitle, inductionText.comingTitle];

let world: World;

/** The introduction's messages a person received, as the number of each step, in the order they came. */
const stepsOf = (p: TestPerson): number[] => p.inbox().flatMap((m) => (TITLES.includes(m.summary) ? [TITLES.indexOf(m.summary)] : []));
const stepMessage = (p: TestPerson, step: number): Message => p.inbox().find((m) => m.summary === TITLES[step])!;

async function tickAt(iso: string) {
  world.clock.set(iso);
  await world.tick();
}

/** A programme that has been running: the facilitator shared an idea at 09:00; it is now 10:00. */
async function runningProgramme() {
  const programme = await world.programme(NAME);
  await programme.facilitator.say("suggest Meetings in the evening, after work");
  world.clock.set("2026-03-02T10:00:00Z");
  return programme;
}

describe("the induction's rule (pure)", () => {
  it("gives each step once, in order, a day apart at the soonest, only after consent and within two weeks of joining", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 4 * DAY })), fc.array(fc.integer({ min: 60_000, max: 2 * DAY }), { minLength: 1, maxLength: 80 }), (consentDelay, gaps) => {
        const joinedAt = new Date("2026-03-02T10:00:00Z");
        const consentedAt = consentDelay === null ? null : new Date(joinedAt.getTime() + consentDelay);
        const sent: { step: number; sentAt: Date }[] = [];
        let t = joinedAt.getTime();
        for (const gap of gaps) {
          t += gap;
          const step = dueStep({ joinedAt, consentedAt, sent, now: new Date(t) });
          if (step !== null) sent.push({ step, sentAt: new Date(t) });
        }
        if (!consentedAt) return sent.length === 0;
        return sent.every(
          (s, i) =>
            s.step === i &&
            s.sentAt.getTime() >= consentedAt.getTime() + i * DAY &&
            s.sentAt.getTime() - joinedAt.getTime() <= WINDOW_MS &&
            (i === 0 || s.sentAt.getTime() - sent[i - 1]!.sentAt.getTime() >= MIN_GAP_MS),
        );
      }),
    );
  });

  it("with a tick every hour, sends the four steps on the first four days", () => {
    const joinedAt = new Date("2026-03-02T10:00:00Z");
    const sent: { step: number; sentAt: Date }[] = [];
    for (let h = 0; h < 24 * 20; h++) {
      const now = new Date(joinedAt.getTime() + h * HOUR);
      const step = dueStep({ joinedAt, consentedAt: joinedAt, sent, now });
      if (step !== null) sent.push({ step, sentAt: now });
    }
    expect(sent.map((s) => (s.sentAt.getTime() - joinedAt.getTime()) / DAY)).toEqual([0, 1, 2, 3]);
  });
});

describe.each(backends())("the induction on %s", (backend) => {
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("sends a late joiner each step once, in order, a day apart, with what is current when each goes", async () => {
    const programme = await runningProgramme();
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience", { consent: false });
    await tickAt("2026-03-02T10:30:00Z");
    expect(stepsOf(jo)).toEqual([]); // nothing before they agree

    world.clock.set("2026-03-02T11:00:00Z");
    await recordConsent(world.ctx, { personId: jo.id, programmeId: programme.id, participation: true, quotation: false });
    await world.tick();
    await world.tick();
    expect(stepsOf(jo)).toEqual([0]);
    const about = textOf(stepMessage(jo, 0));
    expect(about).toContain("You joined after the programme started");
    expect(about).toContain("They plan and pay for local health and care services");
    expect(stepsOf(fac)).toEqual([]); // the facilitator was there from the start

    // After step 0 went out, a "we did": step 1, a day later, has it.
    world.clock.set("2026-03-02T15:00:00Z");
    await fac.say("update #1 Meetings now start at 6pm");
    await tickAt("2026-03-03T09:00:00Z");
    expect(stepsOf(jo)).toEqual([0]); // not yet a day since they agreed
    await tickAt("2026-03-03T11:00:00Z");
    expect(stepsOf(jo)).toEqual([0, 1]);
    expect(textOf(stepMessage(jo, 1))).toContain("Meetings now start at 6pm");
    expect(textOf(stepMessage(jo, 1))).toContain("1 idea has been done so far.");

    // A new idea is open by day 2; the done one is not offered. Following it works.
    world.clock.set("2026-03-03T12:00:00Z");
    await fac.say("suggest A quiet room at every meeting");
    await tickAt("2026-03-04T11:00:00Z");
    expect(stepsOf(jo)).toEqual([0, 1, 2]);
    const ideas = stepMessage(jo, 2);
    expect(textOf(ideas)).toContain("A quiet room at every meeting");
    expect(textOf(ideas)).not.toContain("Meetings in the evening");
    const follow = await jo.press(findButton(ideas, "#2 matters to me too").call);
    expect(follow.error).toBeUndefined();
    expect(await world.prisma.ideaFollower.count({ where: { personId: jo.id } })).toBe(1);

    // A taster set up on day 2 is in step 3, with a sign-up that works.
    world.clock.set("2026-03-04T13:00:00Z");
    const taster = await createTaster(world.ctx, fac.id, {
      programmeId: programme.id,
      title: "Drawing together",
      whatToExpect: "We will sit in a circle and try some drawing.",
      audienceRoles: [],
      startsAt: new Date("2026-03-12T14:00:00Z"),
      endsAt: new Date("2026-03-12T16:00:00Z"),
      location: "The Hub",
      capacity: 10,
    });
    await tickAt("2026-03-05T11:00:00Z");
    expect(stepsOf(jo)).toEqual([0, 1, 2, 3]);
    const coming = stepMessage(jo, 3);
    expect(textOf(coming)).toContain("Drawing together");
    expect((await jo.press(findButton(coming, "Sign up: Drawing together").call)).error).toBeUndefined();
    expect(await world.prisma.tasterSignup.findFirst({ where: { tasterId: taster.id, personId: jo.id } })).toMatchObject({ status: "booked" });

    for (const day of ["06", "08", "12"]) await tickAt(`2026-03-${day}T11:00:00Z`);
    expect(stepsOf(jo)).toEqual([0, 1, 2, 3]);
  });

  it("sends nothing more after Stop the introduction or leaving, and nothing while paused", async () => {
    const programme = await runningProgramme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ann = await world.person(programme, "Ann", "professional");
    const bo = await world.person(programme, "Bo", "expert_by_experience");
    await world.tick();
    for (const p of [jo, ann, bo]) expect(stepsOf(p)).toEqual([0]);

    const stop = await jo.press(findButton(stepMessage(jo, 0), inductionText.stopLabel).call);
    expect(textOf(stop.private)).toContain("We will not send you any more of the introduction");
    const ask = await ann.say("leave");
    await ann.press(findButton(ask.private, "Yes, leave").call);
    await bo.say("pause");
    for (const day of ["03", "04", "05", "06"]) await tickAt(`2026-03-${day}T11:00:00Z`);
    for (const p of [jo, ann, bo]) expect(stepsOf(p)).toEqual([0]);

    // Resumed within the first two weeks, Bo picks up where the introduction stopped, one step a day.
    await bo.say("resume");
    await world.tick();
    await world.tick();
    expect(stepsOf(bo)).toEqual([0, 1]);
    expect(stepsOf(jo)).toEqual([0]);
  });

  it("waits for the end of quiet hours, and two sweeps at the same moment send a step once", async () => {
    const programme = await runningProgramme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await Promise.all([world.tick(), world.tick()]);
    expect(stepsOf(jo)).toEqual([0]);
    world.clock.set("2026-03-03T22:30:00Z"); // step 1 is due, but it is night: queued for the morning
    await Promise.all([world.tick(), world.tick(), world.tick()]);
    expect(stepsOf(jo)).toEqual([0]);
    expect(await world.prisma.inductionStep.count({ where: { personId: jo.id } })).toBe(2);
    await tickAt("2026-03-04T08:01:00Z");
    expect(stepsOf(jo)).toEqual([0, 1]);
    expect(await world.prisma.outboxMessage.count({ where: { personId: jo.id, purpose: "induction.step" } })).toBe(2);
  });

  it("is for people who join a programme already running, and a facilitator can turn it off and on", async () => {
    const programme = await world.programme(NAME);
    const jo = await world.person(programme, "Jo", "expert_by_experience"); // before anything happened
    world.clock.set("2026-03-02T10:00:00Z");
    await programme.facilitator.say("suggest Meetings in the evening, after work");
    expect(textOf((await jo.say("induction off")).private)).not.toContain("will not get the introduction");
    expect(textOf((await programme.facilitator.say("induction off")).private)).toContain(`New members of ${NAME} will not get the introduction`);
    world.clock.set("2026-03-02T11:00:00Z");
    const ann = await world.person(programme, "Ann", "professional");
    await tickAt("2026-03-03T11:00:00Z");
    expect(stepsOf(jo)).toEqual([]);
    expect(stepsOf(ann)).toEqual([]);
    expect(textOf((await programme.facilitator.say("induction on")).private)).toContain("will get the introduction");
    await world.tick();
    expect(stepsOf(ann)).toEqual([0]);
    expect(stepsOf(jo)).toEqual([]);
  });

  it("counts nothing dated before the programme's set-up (history brought in with it, as in the demo)", async () => {
    const programme = await runningProgramme(); // an idea at 09:00
    await world.prisma.programme.update({ where: { id: programme.id }, data: { createdAt: new Date("2026-03-02T09:30:00Z") } });
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await world.tick();
    expect(stepsOf(jo)).toEqual([]);
  });

  it("shows the steps sent in my-data, and forget-me deletes them", async () => {
    const programme = await runningProgramme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await world.tick();
    const data = (await jo.say("my-data")).private!;
    const file = data.blocks.find((b) => b.kind === "file");
    expect(file && "content" in file ? file.content : textOf(data)).toContain("introductionSent");
    const confirm = await jo.say("forget-me");
    await jo.press(findButton(confirm.private, "Yes, delete everything").call);
    expect(await world.prisma.inductionStep.count()).toBe(0);
    expect(await world.prisma.outboxMessage.count({ where: { key: { contains: jo.id } } })).toBe(0);
  });
});
