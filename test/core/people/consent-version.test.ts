import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { createTaster } from "../../../src/tasters/index.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import { recordConsent, setPaused } from "../../../src/people/index.ts";
import type { Message } from "../../../src/messages/model.ts";

/**
 * The promise: when a programme's consent words change, every member is asked
 * again, once; until they answer, wesaid sends them nothing but that question
 * and stores nothing they send; once they say yes, things flow again.
 */

const NEW_WORDS = "We keep your answers and ideas for two years. Only the team running this programme sees your name.";
const isRequest = (m: Message) => m.summary.startsWith("The words about what we keep have changed");

describe.each(backends())("new consent words on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  /** A programme with members in every state, things under way, and the words changed late on Monday evening. */
  async function mixedProgramme() {
    const programme = await world.programme();
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience", { consent: false });
    await recordConsent(world.ctx, { personId: sam.id, programmeId: programme.id, participation: false, quotation: false });
    const kim = await world.person(programme, "Kim", "professional", { consent: false });
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    const lee = await world.person(programme, "Lee", "professional");
    const eve = await world.person(programme, "Eve", "evaluator");
    const priya = await world.person(programme, "Priya", "commissioner");
    await lee.say("withdraw");
    await setPaused(world.ctx, pat.id, true);

    // Under way: a weekly question set from Wednesday, a taster Jo and Priya booked, Jo's idea.
    await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 3", timeZone: "Europe/London" });
    const taster = await createTaster(world.ctx, fac.id, {
      programmeId: programme.id,
      title: "Drawing together",
      whatToExpect: "We will sit in a circle and try some drawing.",
      audienceRoles: [],
      startsAt: new Date("2026-03-06T14:00:00Z"),
      endsAt: new Date("2026-03-06T16:00:00Z"),
      location: "The Hub",
      capacity: 10,
    });
    await jo.press({ action: "taster.signup", args: { tasterId: taster.id } });
    await priya.press({ action: "taster.signup", args: { tasterId: taster.id } });
    await jo.say("suggest A quiet room before meetings");

    // 23:00: news for Jo waits for the end of her quiet hours; then the words change.
    world.clock.set("2026-03-02T23:00:00Z");
    expect((await priya.press({ action: "feedback.status", args: { item: "#1", status: "agreed", programmeId: programme.id } })).error).toBeUndefined();
    expect(await world.prisma.outboxMessage.count({ where: { personId: jo.id, status: "pending" } })).toBeGreaterThan(0);
    const people = { fac, jo, sam, kim, pat, lee, eve, priya };
    const before = new Map(Object.values(people).map((p) => [p.id, p.inbox().length]));
    const preview = await fac.say(`consent-words ${NEW_WORDS}`);
    expect(textOf(preview.private)).toContain("all 8 people in the programme are asked again");
    expect(await world.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).toMatchObject({ consentVersion: 1 });
    const saved = await fac.press(findButton(preview.private, "Yes, change the words").call);
    expect(textOf(saved.private)).toContain("saved as version 2");
    const since = (p: TestPerson) => p.inbox().slice(before.get(p.id));
    return { programme, taster, people, since };
  }

  /** Runs the scheduler through the following week: questions, reminders, the taster reminder, the weekly digest. */
  async function runTheWeek() {
    for (const when of ["2026-03-03T08:00:00Z", "2026-03-04T10:00:00Z", "2026-03-05T14:00:00Z", "2026-03-06T10:00:00Z", "2026-03-07T10:00:00Z", "2026-03-09T09:00:00Z"]) {
      world.clock.set(when);
      await world.tick();
      await world.tick();
    }
  }

  it("asks every member once, sends them nothing else, and holds back what was queued", async () => {
    const { programme, people, since } = await mixedProgramme();
    const { pat, ...reachable } = people;
    await runTheWeek();

    for (const [name, person] of Object.entries(reachable)) {
      const got = since(person);
      expect(got.map((m) => m.summary), name).toHaveLength(1);
      expect(isRequest(got[0]!), name).toBe(true);
      expect(textOf(got[0])).toContain(NEW_WORDS);
      expect(textOf(got[0])).toContain("Until you do, we will not send you anything else");
    }
    // Paused: nothing at all, until they resume; then the question, once.
    expect(since(pat)).toEqual([]);
    await pat.say("resume");
    await world.tick();
    await world.tick();
    expect(since(pat).map(isRequest)).toEqual([true]);

    // The prompt and the taster reminder were decided by the gate, which held them; the news queued for Jo was held back, with the reason.
    const deliveries = await world.prisma.promptDelivery.findMany({ where: { personId: { in: Object.values(people).map((p) => p.id) } } });
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.status === "skipped")).toBe(true);
    const held = await world.prisma.outboxMessage.findMany({ where: { personId: people.jo.id, status: "withheld" } });
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((m) => m.lastError?.includes("consent words changed"))).toBe(true);
    // One question per person and version, however often the sweep runs.
    const requests = await world.prisma.outboxMessage.findMany({ where: { purpose: "people.consent_request", programmeId: programme.id } });
    expect(requests).toHaveLength(Object.keys(people).length);
    expect(new Set(requests.map((r) => r.personId)).size).toBe(Object.keys(people).length);
  });

  it("stores nothing a member sends until they answer, offering the question again; then things flow", async () => {
    const { programme, taster, people, since } = await mixedProgramme();
    const { jo, sam } = people;
    world.clock.set("2026-03-03T08:00:00Z");
    await world.tick();
    const counts = async () => ({
      ideas: await world.prisma.feedbackItem.count(),
      signups: await world.prisma.tasterSignup.count({ where: { personId: { in: [jo.id, sam.id] }, status: { not: "cancelled" } } }),
      consents: await world.prisma.consentRecord.count({ where: { personId: jo.id } }),
    });
    const before = await counts();

    const idea = await jo.say("suggest Evening sessions");
    expect(idea.error?.code).toBe("no_consent");
    expect(textOf(idea.private)).toContain("The words about what we keep have changed");
    const again = await jo.press(findButton(idea.private, "Answer the question again").call);
    expect(textOf(again.private)).toContain(NEW_WORDS);
    expect((await sam.press({ action: "taster.signup", args: { tasterId: taster.id } })).error?.code).toBe("no_consent");
    // An answer to the old words (the welcome's form) is not taken as an answer to the new ones.
    const welcome = jo.inbox().find((m) => m.summary.startsWith("Welcome to"));
    const old = await jo.press(findForm(welcome, "consent").submit, { participation: "yes", quotation: "yes" });
    expect(textOf(old.replaceSource)).toContain(NEW_WORDS);
    expect(await counts()).toEqual(before);

    // Jo says yes to the new words: her idea is stored and the next questions reach her; Sam, who has not answered, still gets nothing.
    const request = since(jo).find(isRequest);
    await jo.press(findForm(request, "consent").submit, { participation: "yes", quotation: "no" });
    expect((await jo.say("suggest Evening sessions")).error).toBeUndefined();
    expect(await world.prisma.feedbackItem.count()).toBe(before.ideas + 1);
    const samBefore = since(sam).length;
    world.clock.set("2026-03-04T10:00:00Z");
    await world.tick();
    await world.tick();
    expect(since(jo).some((m) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt"))).toBe(true);
    expect(since(sam)).toHaveLength(samBefore);
    const record = await world.prisma.consentRecord.findFirstOrThrow({ where: { personId: jo.id, programmeId: programme.id, kind: "participation" }, orderBy: { recordedAt: "desc" } });
    expect(record).toMatchObject({ granted: true, policyVersion: 2 });
  });

  it("lets only organisers change the words, and shows them the words in force", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    expect((await jo.say(`consent-words ${NEW_WORDS}`)).error?.code).toBe("not_allowed");
    const shown = await programme.facilitator.say("consent-words");
    expect(textOf(shown.private)).toContain("version 1");
    expect(textOf(shown.private)).toContain("We store your answers, ideas and sign-ups");
    expect(await world.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).toMatchObject({ consentVersion: 1 });
  });
});
