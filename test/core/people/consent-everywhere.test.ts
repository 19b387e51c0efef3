import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf } from "../../support/world.ts";
import { recordConsent } from "../../../src/people/index.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";

/** Saying no is one step, honoured at once and reversible; consent covers what others store about a person too; my-data shows every choice. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const isPrompt = (m: { blocks: { kind: string; id?: string }[] }) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");

describe("withdrawing", () => {
  it("is one command, honoured at once: queued messages are held back with the reason, later ones are not sent, nothing more is stored", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    await jo.say("suggest A quiet room before meetings");
    // 23:00: news about her idea waits for the end of her quiet hours.
    world.clock.set("2026-03-02T23:00:00Z");
    await priya.press({ action: "feedback.status", args: { item: "#1", status: "agreed", programmeId: programme.id } });
    const queued = await world.prisma.outboxMessage.findMany({ where: { personId: jo.id, status: "pending" } });
    expect(queued.length).toBeGreaterThan(0);

    const reply = await jo.say("withdraw");
    expect(textOf(reply.private)).toContain("You are no longer taking part");
    const held = await world.prisma.outboxMessage.findMany({ where: { id: { in: queued.map((q) => q.id) } } });
    expect(held.map((m) => [m.status, m.lastError])).toEqual(queued.map(() => ["withheld", "the person said no to taking part"]));

    const inboxBefore = jo.inbox().length;
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 3", timeZone: "Europe/London" });
    await priya.press({ action: "feedback.status", args: { item: "#1", status: "done", programmeId: programme.id } });
    for (const when of ["2026-03-03T08:00:00Z", "2026-03-04T10:00:00Z", "2026-03-06T10:00:00Z"]) {
      world.clock.set(when);
      await world.tick();
    }
    expect(jo.inbox().slice(inboxBefore)).toEqual([]);
    const refused = await jo.say("suggest Evening sessions");
    expect(refused.error?.code).toBe("no_consent");
    expect(findButton(refused.private, "Answer the question again")).toBeDefined();
    expect(await world.prisma.feedbackItem.count()).toBe(1);
    expect(textOf((await jo.say("withdraw")).private)).toContain("not taking part at the moment");
  });

  it("is undone by saying yes again: messages and storing start again", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await jo.say("withdraw");
    const question = await jo.say("consent");
    expect(textOf(question.private)).toContain("We store your answers, ideas and sign-ups");
    const saved = await jo.press(findForm(question.private, "consent").submit, { participation: "yes", quotation: "no" });
    expect(textOf(saved.replaceSource)).toContain("Your choices are saved");
    expect((await jo.say("suggest Evening sessions")).error).toBeUndefined();
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 3", timeZone: "Europe/London" });
    world.clock.set("2026-03-04T10:00:00Z");
    await world.tick();
    expect(jo.inbox().filter(isPrompt)).toHaveLength(1);
  });

  it("can be done with a button in prefs, and answering no in the form does the same", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience");
    const prefs = await jo.say("prefs");
    await jo.press(findButton(prefs.private, "Stop taking part").call);
    const form = findForm((await sam.say("prefs")).private, "consent");
    await sam.press(form.submit, { participation: "no", quotation: "no" });
    for (const person of [jo, sam]) {
      const newest = await world.prisma.consentRecord.findFirstOrThrow({ where: { personId: person.id, kind: "participation" }, orderBy: { recordedAt: "desc" } });
      expect(newest.granted).toBe(false);
      expect((await person.say("suggest Something")).error?.code).toBe("no_consent");
    }
  });
});

describe("consent for what others store about a person", () => {
  it("does not name someone on a shared action, nor make their answer an idea, unless they say yes to taking part now", async () => {
    const programme = await world.programme();
    const priya = await world.person(programme, "Priya", "commissioner");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience");
    await recordConsent(world.ctx, { personId: sam.id, programmeId: programme.id, participation: false, quotation: false });
    const named = await priya.say(`together Rewrite the leaflet with <@${jo.externalId}> <@${sam.externalId}>`);
    expect(named.error?.code).toBe("no_consent");
    expect(textOf(named.private)).toContain("Sam has not said yes to taking part");
    expect(await world.prisma.coOwnedAction.count()).toBe(0);
    expect((await priya.say(`together Rewrite the leaflet with <@${jo.externalId}>`)).error).toBeUndefined();

    // Jo's answer, then Jo withdraws: an organiser cannot turn her words into an idea in her name.
    const series = await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", timeZone: "Europe/London" });
    const occurrence = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: world.clock.now(), closesAt: new Date("2026-03-09T09:00:00Z") } });
    const answer = await world.prisma.promptResponse.create({
      data: { occurrenceId: occurrence.id, questionId: "q1", personId: jo.id, role: "expert_by_experience", responseKey: "k1", text: "More evening sessions", answeredAt: world.clock.now(), updatedAt: world.clock.now() },
    });
    await jo.say("withdraw");
    const made = await programme.facilitator.press({ action: "feedback.from_answer", args: { responseId: answer.id } });
    expect(made.error?.code).toBe("no_consent");
    expect(await world.prisma.feedbackItem.count()).toBe(0);
  });
});

describe("my-data", () => {
  it("shows each consent choice, with its version and date, in plain words", async () => {
    const programme = await world.programme("Mental health review");
    const jo = await world.person(programme, "Jo", "expert_by_experience", { quotation: false });
    world.clock.set("2026-03-05T10:00:00Z");
    await jo.say("withdraw");
    const data = textOf((await jo.say("my-data")).private);
    expect(data).toContain("2 March 2026, Mental health review: you said yes to us storing what you tell us, and no to being quoted (version 1 of the words).");
    expect(data).toContain("5 March 2026, Mental health review: you said no to us storing what you tell us, and no to being quoted (version 1 of the words).");
  });
});
