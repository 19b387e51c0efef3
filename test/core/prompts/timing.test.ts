import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { World, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { createCore } from "../../../src/core.ts";
import { setPaused, updatePreferences } from "../../../src/people/index.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import { EARLIEST_ZONE, personDueAt, wallClockAt } from "../../../src/prompts/local-time.ts";
import { planStage } from "../../../src/prompts/stages-schedule.ts";
import { buildDigest } from "../../../src/digest/index.ts";
import { isWesaidError } from "../../../src/errors.ts";
import type { Message } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt") && !m.summary.startsWith("A gentle reminder");
const promptsTo = (p: TestPerson) => p.inbox().filter(isPrompt);
async function tickAt(when: string) {
  world.clock.set(when);
  await world.tick();
}

const ZONES = ["Europe/London", "Asia/Tokyo", "America/New_York", "Pacific/Apia", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"];
const sameClock = (a: ReturnType<typeof wallClockAt>, b: ReturnType<typeof wallClockAt>) => JSON.stringify(a) === JSON.stringify(b);

describe("when each person is due a local-time slot (pure)", () => {
  it("is their own clock showing the slot's day and time, never before the occurrence opens, and within the day-line span", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.constantFrom(...ZONES),
        (at, zone) => {
          const slot = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
          const due = personDueAt(slot, EARLIEST_ZONE, zone);
          expect(due.getTime()).toBeGreaterThanOrEqual(slot.getTime());
          expect(due.getTime() - slot.getTime()).toBeLessThanOrEqual(26 * 3_600_000 + 24 * 3_600_000);
          const wanted = wallClockAt(slot, EARLIEST_ZONE);
          const shown = wallClockAt(due, zone);
          // The clock shows the slot's time, unless the clocks jumped past it (then just after the jump, within a day).
          if (!sameClock(wanted, shown)) {
            const back = new Date(due.getTime() - 60_000);
            expect(sameClock(wallClockAt(back, zone), wanted)).toBe(false);
            expect(due.getTime() - slot.getTime()).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("handles clocks going forward and back, and a country crossing the date line", () => {
    // London, 29 March 2026: 01:30 does not exist; asked at 02:30 BST, just after the jump.
    expect(personDueAt(new Date("2026-03-28T11:30:00Z"), EARLIEST_ZONE, "Europe/London").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // London, 25 October 2026: 01:30 happens twice; asked the first time.
    expect(personDueAt(new Date("2026-10-24T11:30:00Z"), EARLIEST_ZONE, "Europe/London").toISOString()).toBe("2026-10-25T00:30:00.000Z");
    // A Monday at 10:00 is Monday 10:00 in Tokyo and in New York, whatever the clocks did.
    const monday = new Date("2026-03-08T20:00:00Z"); // Monday 9 March 10:00 at UTC+14
    expect(personDueAt(monday, EARLIEST_ZONE, "Asia/Tokyo").toISOString()).toBe("2026-03-09T01:00:00.000Z");
    expect(personDueAt(monday, EARLIEST_ZONE, "America/New_York").toISOString()).toBe("2026-03-09T14:00:00.000Z");
    // Samoa skipped Friday 30 December 2011: asked on the Saturday, at the same time.
    expect(wallClockAt(personDueAt(new Date("2011-12-29T20:00:00Z"), EARLIEST_ZONE, "Pacific/Apia"), "Pacific/Apia")).toMatchObject({ day: 31, hour: 10 });
  });
});

describe("a series at each person's local time", () => {
  it("asks Tokyo, London and New York members at 10:00 their own time, from one occurrence, once each", async () => {
    const programme = await world.programme();
    const tokyo = await world.person(programme, "Aiko", "expert_by_experience");
    const london = await world.person(programme, "Jo", "expert_by_experience");
    const newYork = await world.person(programme, "Sam", "commissioner");
    const unknown = await world.person(programme, "Uma", "professional");
    await updatePreferences(world.ctx, tokyo.id, { timeZone: "Asia/Tokyo" });
    await updatePreferences(world.ctx, london.id, { timeZone: "Europe/London" });
    await updatePreferences(world.ctx, newYork.id, { timeZone: "America/New_York" });
    await world.prisma.preference.deleteMany({ where: { personId: unknown.id } });
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", timeZone: "Europe/Paris", localTime: true });

    await tickAt("2026-03-08T20:00:00Z"); // Monday 10:00 reaches UTC+14: the occurrence opens, nobody is due yet
    expect(await world.prisma.promptOccurrence.count()).toBe(1);
    for (const p of [tokyo, london, newYork, unknown]) expect(promptsTo(p)).toHaveLength(0);

    await tickAt("2026-03-09T01:00:00Z"); // 10:00 in Tokyo
    expect(promptsTo(tokyo)).toHaveLength(1);
    expect(promptsTo(london)).toHaveLength(0);

    await tickAt("2026-03-09T09:00:00Z"); // 10:00 in Paris: the series' zone, for someone whose zone we do not know
    expect(promptsTo(unknown)).toHaveLength(1);
    expect(promptsTo(london)).toHaveLength(0);

    await tickAt("2026-03-09T10:00:00Z"); // 10:00 in London
    expect(promptsTo(london)).toHaveLength(1);
    expect(promptsTo(newYork)).toHaveLength(0);

    await tickAt("2026-03-09T14:00:00Z"); // 10:00 in New York (daylight saving began there the day before)
    await createCore(world.ctx).tick();
    await world.tick();
    for (const p of [tokyo, london, newYork, unknown]) expect(promptsTo(p)).toHaveLength(1);
    expect(await world.prisma.promptOccurrence.count()).toBe(1);
  });
});

describe("questions that opened while a person was paused", () => {
  async function pausedThroughOpening() {
    const programme = await world.programme();
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    await setPaused(world.ctx, pat.id, true);
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", closeAfterHours: 48 });
    await tickAt("2026-03-02T10:00:00Z");
    expect(promptsTo(pat)).toHaveLength(0);
    return pat;
  }

  it("are offered once when they resume while the questions are still open", async () => {
    const pat = await pausedThroughOpening();
    world.clock.set("2026-03-03T11:00:00Z");
    expect(await setPaused(world.ctx, pat.id, false)).toBe(true);
    expect(await setPaused(world.ctx, pat.id, false)).toBe(false);
    await world.tick();
    await world.tick();
    expect(promptsTo(pat)).toHaveLength(1);
    expect(textOf(promptsTo(pat)[0]!)).toContain("Please answer by");

    // Pausing and resuming again does not send them twice.
    await setPaused(world.ctx, pat.id, true);
    await setPaused(world.ctx, pat.id, false);
    await world.tick();
    expect(promptsTo(pat)).toHaveLength(1);
  });

  it("come once, without the reminders missed in the pause stacked on top; a reminder follows the usual time later", async () => {
    const programme = await world.programme();
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    const kim = await world.person(programme, "Kim", "expert_by_experience");
    await setPaused(world.ctx, pat.id, true);
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", closeAfterHours: 96, reminderAfterHours: 24, maxReminders: 2 });
    await tickAt("2026-03-02T10:00:00Z"); // Kim is asked; Pat, paused, is not
    expect(promptsTo(kim)).toHaveLength(1);
    await setPaused(world.ctx, kim.id, true);
    await tickAt("2026-03-03T10:00:00Z"); // Kim's first reminder would be due: the pause stops it
    await tickAt("2026-03-04T11:00:00Z");
    const reminders = (p: TestPerson) => p.inbox().filter((m) => m.summary.startsWith("A gentle reminder"));
    expect(reminders(kim)).toHaveLength(0);

    await setPaused(world.ctx, pat.id, false);
    await setPaused(world.ctx, kim.id, false);
    await world.tick();
    await world.tick();
    // Pat gets the question once, Kim nothing at once: no reminders stacked.
    expect(promptsTo(pat)).toHaveLength(1);
    expect(reminders(pat)).toHaveLength(0);
    expect(promptsTo(kim)).toHaveLength(1);
    expect(reminders(kim)).toHaveLength(0);

    await tickAt("2026-03-05T11:00:00Z"); // a day after resuming: one gentle reminder each
    expect(reminders(pat)).toHaveLength(1);
    expect(reminders(kim)).toHaveLength(1);
  });

  it("are not offered when they resume after the questions closed", async () => {
    const pat = await pausedThroughOpening();
    world.clock.set("2026-03-04T11:00:00Z");
    await setPaused(world.ctx, pat.id, false);
    await world.tick();
    expect(promptsTo(pat)).toHaveLength(0);
  });
});

/** Answers the person's `index`th prompt with `number` on its scales. */
async function answer(person: TestPerson, index: number, number: string) {
  const deliveries = await world.prisma.promptDelivery.findMany({ where: { personId: person.id }, orderBy: { createdAt: "asc" } });
  const form = findForm(promptsTo(person)[index], "prompt");
  const reply = await person.press({ action: "prompt.answer", args: { deliveryId: deliveries[index]!.id } }, Object.fromEntries(form.inputs.map((input) => [input.id, input.kind === "scale" ? number : "It went well."])));
  expect(JSON.stringify(reply)).toContain("saved");
}

describe("a staged survey: start, mid-point and end on set dates", () => {
  it("opens one occurrence on each date, says which stage it is, and the digest compares the stages", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const series = await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", {
      baselineAt: "2026-03-03 10:00",
      midpointAt: "2026-06-02 10:00",
      endAt: "2026-09-01 10:00",
      anonymous: false,
    });
    expect(series.nextOccurrenceAt?.toISOString()).toBe("2026-03-03T10:00:00.000Z");

    await tickAt("2026-03-03T10:00:00Z");
    expect(promptsTo(jo)).toHaveLength(1);
    expect(textOf(promptsTo(jo)[0]!)).toContain("This is the start survey.");
    await answer(jo, 0, "3");
    await tickAt("2026-04-07T10:00:00Z"); // nothing repeats between stages
    expect(promptsTo(jo)).toHaveLength(1);

    await tickAt("2026-06-02T09:00:00Z"); // 10:00 in London (summer time)
    expect(promptsTo(jo)).toHaveLength(2);
    expect(textOf(promptsTo(jo)[1]!)).toContain("This is the mid-point survey.");
    await answer(jo, 1, "7");

    const occurrences = await world.prisma.promptOccurrence.findMany({ orderBy: { scheduledFor: "asc" } });
    expect(occurrences.map((o) => o.stage)).toEqual(["baseline", "midpoint"]);

    // Jo answered both: the digest pairs the start with the mid-point, from the occurrences' own stages.
    const digest = await buildDigest(world.prisma, world.ctx.settings, programme.id, new Date("2026-06-08T00:00:00Z"));
    expect(digest.stages.changes.some((c) => c.from === "baseline" && c.to === "midpoint")).toBe(true);
  }, 120_000);

  it("refuses stage dates in the past or out of order, in plain words", async () => {
    const programme = await world.programme();
    const attempt = (overrides: Record<string, string>) =>
      createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", overrides).then(() => null, (e: unknown) => e);
    const past = await attempt({ baselineAt: "2026-03-01 10:00" });
    expect(isWesaidError(past) && past.userMessage).toBe("Each survey date must be in the future.");
    const backwards = await attempt({ baselineAt: "2026-06-01 10:00", midpointAt: "2026-04-01 10:00" });
    expect(isWesaidError(backwards) && backwards.userMessage).toContain("Put the survey dates in order");
    const unreadable = await attempt({ endAt: "next spring" });
    expect(isWesaidError(unreadable) && unreadable.userMessage).toContain("We could not read");
  });

  it("sends only the latest missed stage after downtime, and only while it is open (pure)", () => {
    const openings = [
      { stage: "baseline" as const, at: new Date("2026-03-03T10:00:00Z") },
      { stage: "midpoint" as const, at: new Date("2026-06-02T09:00:00Z") },
    ];
    expect(planStage(openings, 168, openings[0]!.at, new Date("2026-06-03T00:00:00Z"))).toMatchObject({ kind: "create", stage: "midpoint", nextOccurrenceAt: null });
    expect(planStage(openings, 168, openings[0]!.at, new Date("2026-03-20T00:00:00Z"))).toMatchObject({ kind: "skip", nextOccurrenceAt: openings[1]!.at });
    expect(planStage(openings, 168, null, new Date("2026-12-01T00:00:00Z"))).toEqual({ kind: "not_due" });
  });
});
