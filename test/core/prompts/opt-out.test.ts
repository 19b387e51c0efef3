import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { DAY, HOUR } from "../../../src/clock.ts";
import { updatePreferences } from "../../../src/people/index.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import type { Message } from "../../../src/messages/model.ts";

/** Stopping one set of questions, and pausing everything: what each person is (not) sent. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const MONDAYS_10AM = "0 10 * * 1";
const FIRST_SLOT = "2026-03-02T10:00:00Z"; // the World clock starts at 09:00 on this Monday
const SECOND_SLOT = "2026-03-09T10:00:00Z";

const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");
const questionsTo = (p: TestPerson) => p.inbox().filter((m) => isPrompt(m) && !m.summary.startsWith("A gentle reminder"));
const remindersTo = (p: TestPerson) => p.inbox().filter((m) => m.summary.startsWith("A gentle reminder"));

async function tickAt(when: string | Date) {
  world.clock.set(when);
  return world.tick();
}

async function setUp(overrides: Parameters<typeof createSeriesFromTemplate>[4] = {}) {
  const programme = await world.programme();
  const jo = await world.person(programme, "Jo", "expert_by_experience");
  const priya = await world.person(programme, "Priya", "commissioner");
  const series = await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: MONDAYS_10AM, ...overrides });
  return { programme, jo, priya, series };
}

describe("Not this time: stopping one set of questions", () => {
  it("stops that series and its reminders for that person only, says so, and prefs starts it again", async () => {
    const { jo, priya, series } = await setUp({ reminderAfterHours: 24, maxReminders: 2 });
    await tickAt(FIRST_SLOT);
    const first = questionsTo(jo)[0];
    // What the message promises before they press it.
    expect(textOf(first)).toContain("Press Not this time to stop getting these questions. You can start them again in prefs.");

    const declined = await jo.press(findButton(first, "Not this time").call);
    expect(declined.error).toBeUndefined();
    expect(textOf(declined.replaceSource)).toContain(`We will not send you "${series.title}" again, and no reminders. Your other messages still come.`);
    expect(textOf(declined.replaceSource)).toContain("type prefs");
    findButton(declined.replaceSource, "Send them again");
    expect((await world.prisma.promptDelivery.findFirstOrThrow({ where: { personId: jo.id } })).status).toBe("declined");
    expect(await world.prisma.messageOptOut.count({ where: { personId: jo.id } })).toBe(1);
    expect(await world.prisma.messageOptOut.count({ where: { personId: priya.id } })).toBe(0);

    // No reminder for the questions already sent, and nothing next week; Priya still gets both.
    await tickAt(new Date(Date.parse(FIRST_SLOT) + DAY));
    expect(remindersTo(jo)).toHaveLength(0);
    expect(remindersTo(priya)).toHaveLength(1);
    await tickAt(SECOND_SLOT);
    expect(questionsTo(jo)).toHaveLength(1);
    expect(questionsTo(priya)).toHaveLength(2);
    const skipped = await world.prisma.promptDelivery.findFirstOrThrow({ where: { personId: jo.id, status: "skipped" } });
    expect(skipped.skippedReason).toBe("opted_out");
    expect(await world.prisma.outboxMessage.count({ where: { personId: jo.id, purpose: { startsWith: "prompt." } } })).toBe(1);

    // prefs lists the stopped series with a way to start it again.
    const prefs = await jo.say("prefs");
    expect(textOf(prefs.private)).toContain(`"${series.title}": you stopped these.`);
    const restarted = await jo.press(findButton(prefs.private, "Send them again").call);
    expect(textOf(restarted.private)).toContain(`You will get "${series.title}" again`);
    expect(await world.prisma.messageOptOut.count({ where: { personId: jo.id } })).toBe(0);
    expect(textOf((await jo.press(findButton(prefs.private, "Send them again").call)).private)).toContain("nothing to change");
    const prefsAfter = await jo.say("prefs");
    expect(textOf(prefsAfter.private)).toContain(`"${series.title}": you get these.`);
    findButton(prefsAfter.private, "Stop these questions");

    await tickAt("2026-03-16T10:00:00Z");
    expect(questionsTo(jo)).toHaveLength(2);
    expect(questionsTo(priya)).toHaveLength(3);
  });

  it("on anonymous questions, stops the set from the next round without marking this one, so nothing shows who said no", async () => {
    const { jo, priya, series } = await setUp({ anonymous: true, reminderAfterHours: 24, maxReminders: 1 });
    await tickAt(FIRST_SLOT);
    const declined = await jo.press(findButton(questionsTo(jo)[0]!, "Not this time").call);
    expect(declined.error).toBeUndefined();
    expect(textOf(declined.replaceSource)).toContain(`We will not send you "${series.title}" again.`);
    expect(textOf(declined.replaceSource)).toContain("you may still get a reminder about it");

    // This round: Jo's copy looks like everyone else's, and nothing dated in the round names Jo.
    const copies = await world.prisma.promptDelivery.findMany({ where: { occurrence: { seriesId: series.id } } });
    expect(new Set(copies.map((d) => d.status))).toEqual(new Set(["sent"]));
    const round = await world.prisma.promptOccurrence.findFirstOrThrow({ where: { seriesId: series.id } });
    const stop = await world.prisma.messageOptOut.findFirstOrThrow({ where: { personId: jo.id } });
    expect(stop.createdAt.getTime()).toBeGreaterThan(round.closesAt.getTime());
    expect(await world.prisma.auditEntry.count({ where: { actorId: jo.id, action: "prompt.series.stop" } })).toBe(0);

    // The next round: Priya gets it, Jo does not; prefs shows it stopped, with a way back.
    await tickAt(SECOND_SLOT);
    expect(questionsTo(jo)).toHaveLength(1);
    expect(questionsTo(priya)).toHaveLength(2);
    expect(textOf((await jo.say("prefs")).private)).toContain(`"${series.title}": you stopped these.`);
  });

  it("a reminder already waiting to go out is not sent after Not this time", async () => {
    const { jo, priya } = await setUp({ reminderAfterHours: 24, maxReminders: 2 });
    await tickAt(FIRST_SLOT);
    // The platform is busy when the reminder is due, so it waits in the outbox for a retry.
    world.messenger.throttleNext = 2; // Jo's and Priya's
    await tickAt(new Date(Date.parse(FIRST_SLOT) + DAY));
    const waiting = await world.prisma.outboxMessage.findFirstOrThrow({ where: { personId: jo.id, purpose: "prompt.reminder" } });
    expect(waiting.status).toBe("pending");

    await jo.press(findButton(questionsTo(jo)[0], "Not this time").call);
    await tickAt(new Date(Date.parse(FIRST_SLOT) + DAY + HOUR));
    expect(remindersTo(jo)).toHaveLength(0);
    expect(remindersTo(priya)).toHaveLength(1);
    expect((await world.prisma.outboxMessage.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("withheld");
  });

  it("Stop these questions in prefs stops a series the person gets; pressing it twice changes nothing", async () => {
    const { jo, series } = await setUp();
    const prefs = await jo.say("prefs");
    expect(textOf(prefs.private)).toContain(`"${series.title}": you get these.`);
    const stopped = await jo.press(findButton(prefs.private, "Stop these questions").call);
    expect(textOf(stopped.private)).toContain(`We will not send you "${series.title}" again`);
    const again = await jo.press(findButton(prefs.private, "Stop these questions").call);
    expect(textOf(again.private)).toContain(`You have already stopped "${series.title}"`);
    expect(await world.prisma.messageOptOut.count({ where: { personId: jo.id } })).toBe(1);
    await tickAt(FIRST_SLOT);
    expect(questionsTo(jo)).toHaveLength(0);
  });

  it("stops only that set: other questions still come", async () => {
    const { programme, jo } = await setUp();
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ladder_check", { cron: MONDAYS_10AM });
    await tickAt(FIRST_SLOT);
    const survey = questionsTo(jo).find((m) => m.summary.startsWith("How is co-production going?"));
    await jo.press(findButton(survey, "Not this time").call);
    await tickAt(SECOND_SLOT);
    const titles = questionsTo(jo).map((m) => m.summary);
    expect(titles.filter((t) => t.startsWith("How is co-production going?"))).toHaveLength(1);
    expect(titles.filter((t) => t.startsWith("How involved did you feel?"))).toHaveLength(2);
  });

  it("is only for members of the programme the questions belong to", async () => {
    const { series } = await setUp();
    const other = await world.programme("Another programme");
    const stranger = await world.person(other, "Sam", "expert_by_experience");
    const refused = await stranger.press({ action: "prompt.series.stop", args: { seriesId: series.id } });
    expect(refused.error?.code).toBe("not_a_member");
    expect((await stranger.press({ action: "prompt.series.stop", args: { seriesId: "nope" } })).error?.code).toBe("not_found");
    expect(await world.prisma.messageOptOut.count()).toBe(0);
  });
});

describe("a paused person gets none of this loop's messages", () => {
  it("questions: none while paused, whether paused before the slot or while they wait for quiet hours to end", async () => {
    const { programme, jo, priya } = await setUp();
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    await updatePreferences(world.ctx, pat.id, { quietStart: "09:30", quietEnd: "12:00" });
    expect((await jo.say("pause")).error).toBeUndefined();

    await tickAt(FIRST_SLOT);
    expect(questionsTo(priya)).toHaveLength(1);
    expect(questionsTo(jo)).toHaveLength(0);
    expect(questionsTo(pat)).toHaveLength(0); // waiting for 12:00

    await pat.say("pause");
    await tickAt("2026-03-02T12:00:00Z");
    expect(questionsTo(pat)).toHaveLength(0);
    const reasons = await world.prisma.promptDelivery.findMany({ where: { personId: { in: [jo.id, pat.id] } } });
    expect(reasons.map((d) => [d.status, d.skippedReason])).toEqual([
      ["skipped", "paused"],
      ["skipped", "paused"],
    ]);
  });

  it("reminders: none once paused, even for questions sent before", async () => {
    const { jo, priya } = await setUp({ reminderAfterHours: 24, maxReminders: 2 });
    await tickAt(FIRST_SLOT);
    expect(questionsTo(jo)).toHaveLength(1);
    await jo.say("pause");

    await tickAt(new Date(Date.parse(FIRST_SLOT) + DAY));
    await tickAt(new Date(Date.parse(FIRST_SLOT) + 2 * DAY));
    expect(remindersTo(jo)).toHaveLength(0);
    expect(remindersTo(priya)).toHaveLength(2);
    expect(await world.prisma.outboxMessage.count({ where: { personId: jo.id, purpose: "prompt.reminder" } })).toBe(0);
  });
});
