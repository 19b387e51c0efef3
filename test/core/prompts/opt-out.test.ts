import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { DAY } from "../../../src/clock.ts";
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

describe("stopping one set of questions", () => {
  it("sends the person who stopped it nothing more, others still get it, and starting again brings it back", async () => {
    const { jo, priya, series } = await setUp({ reminderAfterHours: 24, maxReminders: 2 });
    await tickAt(FIRST_SLOT);
    const first = questionsTo(jo)[0];

    const stopped = await jo.press(findButton(first, "Stop these questions").call);
    expect(stopped.error).toBeUndefined();
    expect(textOf(stopped.private)).toContain(`We will not send you "${series.title}" again`);
    expect(textOf(stopped.private)).toContain("press Send them again");
    // Pressing it twice changes nothing and says so.
    const again = await jo.press(findButton(first, "Stop these questions").call);
    expect(textOf(again.private)).toContain(`You have already stopped "${series.title}"`);
    expect(await world.prisma.messageOptOut.count({ where: { personId: jo.id } })).toBe(1);

    // No reminder for the questions already sent, and nothing next week; Priya still gets both.
    await tickAt(new Date(Date.parse(FIRST_SLOT) + DAY));
    expect(remindersTo(jo)).toHaveLength(0);
    expect(remindersTo(priya)).toHaveLength(1);
    await tickAt(SECOND_SLOT);
    expect(questionsTo(jo)).toHaveLength(1);
    expect(questionsTo(priya)).toHaveLength(2);
    const skipped = await world.prisma.promptDelivery.findFirstOrThrow({ where: { personId: jo.id, status: "skipped" } });
    expect(skipped.skippedReason).toBe("opted_out");

    // Jo can still answer the questions already sent: stopping is about what comes next.
    expect((await jo.press(findButton(first, "Not this time").call)).error).toBeUndefined();

    const restarted = await jo.press(findButton(stopped.private, "Send them again").call);
    expect(textOf(restarted.private)).toContain(`You will get "${series.title}" again`);
    expect(textOf((await jo.press(findButton(stopped.private, "Send them again").call)).private)).toContain("nothing to change");
    await tickAt("2026-03-16T10:00:00Z");
    expect(questionsTo(jo)).toHaveLength(2);
    expect(questionsTo(priya)).toHaveLength(3);
  });

  it("stops only that set: other questions still come", async () => {
    const { programme, jo } = await setUp();
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ladder_check", { cron: MONDAYS_10AM });
    await tickAt(FIRST_SLOT);
    const survey = questionsTo(jo).find((m) => m.summary.startsWith("How is co-production going?"));
    await jo.press(findButton(survey, "Stop these questions").call);
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
