import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { createCore } from "../../../src/core.ts";
import { DAY } from "../../../src/clock.ts";
import { erasePerson, recordConsent, setPaused, updatePreferences } from "../../../src/people/index.ts";
import { createSeries, createSeriesFromTemplate, summariseAnswers, templateInput, writtenAnswers } from "../../../src/prompts/index.ts";
import { findTemplate } from "../../../src/prompts/index.ts";
import { isWesaidError } from "../../../src/errors.ts";
import type { Message } from "../../../src/messages/model.ts";
import type { PromptQuestion } from "../../../src/generated/prisma/client.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const MONDAYS_10AM = "0 10 * * 1";
const FIRST_SLOT = "2026-03-02T10:00:00Z"; // the World clock starts at 09:00 on this Monday

const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");
const promptsTo = (p: TestPerson) => p.inbox().filter((m) => isPrompt(m) && !m.summary.startsWith("A gentle reminder"));
const remindersTo = (p: TestPerson) => p.inbox().filter((m) => m.summary.startsWith("A gentle reminder"));

/** Form values for the prompt form, in question order. */
function answersFor(msg: Message | undefined, values: string[]): Record<string, string> {
  const form = findForm(msg, "prompt");
  return Object.fromEntries(form.inputs.map((input, i) => [input.id, values[i] ?? ""]));
}

async function expectRefusal(promise: Promise<unknown>, code: string, words?: string) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(isWesaidError(error) && error.code).toBe(code);
  if (words && isWesaidError(error)) expect(error.userMessage).toContain(words);
}

async function programmeWithPeople() {
  const programme = await world.programme();
  const jo = await world.person(programme, "Jo", "expert_by_experience");
  const priya = await world.person(programme, "Priya", "commissioner");
  const eve = await world.person(programme, "Eve", "evaluator");
  return { programme, fac: programme.facilitator, jo, priya, eve };
}

async function surveySeries(programme: { id: string; facilitator: TestPerson }, overrides: Parameters<typeof createSeriesFromTemplate>[4] = {}) {
  return createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: MONDAYS_10AM, ...overrides });
}

async function tickAt(when: string | Date) {
  world.clock.set(when);
  return world.tick();
}

describe("sending reflection questions on a schedule", () => {
  it("sends each person in the audience exactly one private message at the scheduled time", async () => {
    const { programme, fac, jo, priya, eve } = await programmeWithPeople();
    const series = await surveySeries(programme);
    expect(series.nextOccurrenceAt?.toISOString()).toBe(new Date(FIRST_SLOT).toISOString());

    await world.tick();
    expect(promptsTo(jo)).toHaveLength(0);

    await tickAt(FIRST_SLOT);
    for (const person of [fac, jo, priya]) expect(promptsTo(person)).toHaveLength(1);
    expect(promptsTo(eve)).toHaveLength(0);

    const msg = promptsTo(jo)[0]!;
    expect(textOf(msg)).toContain("How is co-production going?");
    expect(textOf(msg)).toContain("Please answer by");
    expect(textOf(msg)).toContain("The evaluation team sees them with your role only");
    expect(textOf(msg)).toContain("Pause all messages");
    expect(findForm(msg, "prompt").inputs.map((i) => i.kind)).toEqual(["scale", "scale", "text", "text"]);
    expect(findForm(msg, "prompt").inputs[3]).toMatchObject({ optional: true });
    findButton(msg, "Not this time");
    findButton(msg, "Pause all messages");

    // Ticking again, or from a second core on the same database, sends nothing more.
    await world.tick();
    await createCore(world.ctx).tick();
    for (const person of [fac, jo, priya]) expect(promptsTo(person)).toHaveLength(1);
    expect(await world.prisma.promptOccurrence.count()).toBe(1);
    expect(await world.prisma.promptDelivery.count()).toBe(3);
  });

  it("sends nothing twice when two cores tick at the same moment", async () => {
    const { programme, jo } = await programmeWithPeople();
    await surveySeries(programme);
    world.clock.set(FIRST_SLOT);
    const second = createCore(world.ctx);
    await Promise.all([world.tick(), second.tick(), world.tick()]);
    await second.flush();
    await world.core.flush();
    expect(promptsTo(jo)).toHaveLength(1);

    world.clock.set("2026-03-09T10:00:00Z");
    await Promise.all([second.tick(), world.tick()]);
    await second.flush();
    expect(promptsTo(jo)).toHaveLength(2);
    expect(await world.prisma.promptOccurrence.count()).toBe(2);
  });

  it("after downtime, sends only the latest slot that is still open", async () => {
    const { programme, jo } = await programmeWithPeople();
    await surveySeries(programme);
    // The service was down from Monday 2 March until Friday 20 March.
    await tickAt("2026-03-20T12:00:00Z");
    expect(promptsTo(jo)).toHaveLength(1);
    const occurrences = await world.prisma.promptOccurrence.findMany();
    expect(occurrences.map((o) => o.scheduledFor.toISOString())).toEqual(["2026-03-16T10:00:00.000Z"]);
    const series = await world.prisma.promptSeries.findFirstOrThrow();
    expect(series.nextOccurrenceAt?.toISOString()).toBe("2026-03-23T10:00:00.000Z");
  });

  it("sends nothing to people who are paused or have not agreed, and records why", async () => {
    const { programme, jo } = await programmeWithPeople();
    const noConsent = await world.person(programme, "Nadia", "professional", { consent: false });
    const paused = await world.person(programme, "Pat", "expert_by_experience");
    await setPaused(world.ctx, paused.id, true);
    await surveySeries(programme);
    await tickAt(FIRST_SLOT);

    expect(promptsTo(jo)).toHaveLength(1);
    expect(promptsTo(noConsent)).toHaveLength(0);
    expect(promptsTo(paused)).toHaveLength(0);
    const skipped = await world.prisma.promptDelivery.findMany({ where: { status: "skipped" } });
    expect(Object.fromEntries(skipped.map((d) => [d.personId, d.skippedReason]))).toEqual({ [noConsent.id]: "no_consent", [paused.id]: "paused" });

    // Someone who had not agreed is not sent them later; someone who resumes while they are open is offered them once.
    await setPaused(world.ctx, paused.id, false);
    await tickAt("2026-03-02T15:00:00Z");
    expect(promptsTo(noConsent)).toHaveLength(0);
    expect(promptsTo(paused)).toHaveLength(1);
  });

  it("waits for a person's quiet hours to end", async () => {
    const { programme, jo, priya } = await programmeWithPeople();
    await updatePreferences(world.ctx, jo.id, { quietStart: "09:30", quietEnd: "12:00" });
    await surveySeries(programme);

    await tickAt(FIRST_SLOT);
    expect(promptsTo(priya)).toHaveLength(1);
    expect(promptsTo(jo)).toHaveLength(0);
    const delivery = await world.prisma.promptDelivery.findFirstOrThrow({ where: { personId: jo.id } });
    expect(delivery).toMatchObject({ status: "pending", notBefore: new Date("2026-03-02T12:00:00Z") });

    await tickAt("2026-03-02T11:59:00Z");
    expect(promptsTo(jo)).toHaveLength(0);
    await tickAt("2026-03-02T12:00:00Z");
    expect(promptsTo(jo)).toHaveLength(1);
  });

  it("reminds gently, no more often than the person allows", async () => {
    const { programme, jo, priya } = await programmeWithPeople();
    await updatePreferences(world.ctx, jo.id, { reminderLimit: 1 });
    await surveySeries(programme, { maxReminders: 3, reminderAfterHours: 24 });
    await tickAt(FIRST_SLOT);

    await tickAt(new Date(Date.parse(FIRST_SLOT) + DAY));
    expect(remindersTo(jo)).toHaveLength(1);
    expect(remindersTo(priya)).toHaveLength(1);
    expect(textOf(remindersTo(jo)[0])).toContain("If not, that is fine");
    expect(isPrompt(remindersTo(jo)[0]!)).toBe(true);

    await tickAt(new Date(Date.parse(FIRST_SLOT) + 2 * DAY));
    await tickAt(new Date(Date.parse(FIRST_SLOT) + 3 * DAY));
    await tickAt(new Date(Date.parse(FIRST_SLOT) + 4 * DAY));
    expect(remindersTo(jo)).toHaveLength(1); // Jo's own limit
    expect(remindersTo(priya)).toHaveLength(2); // the default limit of 2, below the series' 3
  });

  it("stops for a series a facilitator pauses, and starts again from the next slot on resume", async () => {
    const { programme, fac, jo } = await programmeWithPeople();
    await surveySeries(programme);
    const menu = await fac.say("prompts");
    await fac.press(findButton(menu.private, "Pause").call);
    await tickAt(FIRST_SLOT);
    expect(promptsTo(jo)).toHaveLength(0);

    world.clock.set("2026-03-20T12:00:00Z");
    const again = await fac.say("prompts");
    expect(textOf(again.private)).toContain("(paused)");
    const resumed = await fac.press(findButton(again.private, "Resume").call);
    expect(textOf(resumed.private)).toContain("is on again");
    await world.tick();
    expect(promptsTo(jo)).toHaveLength(0); // missed slots are not sent after a resume
    await tickAt("2026-03-23T10:00:00Z");
    expect(promptsTo(jo)).toHaveLength(1);
  });
});

describe("answering", () => {
  it("stores answers, lets people change them until the questions close, then refuses kindly", async () => {
    const { programme, jo, priya } = await programmeWithPeople();
    await surveySeries(programme, { reminderAfterHours: 24, maxReminders: 2 });
    await tickAt(FIRST_SLOT);
    const msg = promptsTo(jo)[0];
    const form = findForm(msg, "prompt");

    world.clock.set("2026-03-02T14:00:00Z");
    const saved = await jo.press(form.submit, answersFor(msg, ["4", "7", "Meeting other carers", ""]));
    expect(saved.error).toBeUndefined();
    expect(textOf(saved.replaceSource)).toContain("Your answers are saved");
    expect(textOf(saved.replaceSource)).toContain("Meeting other carers");
    const rows = await world.prisma.promptResponse.findMany({ orderBy: { number: "asc" } });
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.personId === jo.id && r.role === "expert_by_experience")).toBe(true);
    expect(rows.map((r) => r.number)).toEqual([4, 7, null]);
    const delivery = await world.prisma.promptDelivery.findFirstOrThrow({ where: { personId: jo.id } });
    expect(delivery).toMatchObject({ status: "answered", nextReminderAt: null });
    expect(await world.prisma.contribution.count({ where: { personId: jo.id, kind: "answer", sourceRef: delivery.id } })).toBe(1);

    // Change the answers: the form comes back filled in.
    const change = await jo.press(findButton(saved.replaceSource, "Change my answers").call);
    const refilled = findForm(change.replaceSource, "prompt");
    expect(refilled.inputs.map((i) => ("initial" in i ? i.initial : undefined))).toEqual([4, 7, "Meeting other carers", undefined]);
    const changed = await jo.press(refilled.submit, answersFor(change.replaceSource, ["6", "7", "Meeting other carers", "Travel costs"]));
    expect(changed.error).toBeUndefined();
    const after = await world.prisma.promptResponse.findMany({ where: { personId: jo.id } });
    expect(after).toHaveLength(4);
    expect(after.map((r) => r.number).filter((n) => n !== null).sort()).toEqual([6, 7]);
    expect(after.find((r) => r.text === "Travel costs")).toBeDefined();
    expect(await world.prisma.contribution.count({ where: { personId: jo.id } })).toBe(1);

    // Answering stops reminders for Jo; Priya, who has not answered, still gets one.
    await tickAt("2026-03-03T10:00:00Z");
    expect(remindersTo(jo)).toHaveLength(0);
    expect(remindersTo(priya)).toHaveLength(1);

    // A late answer is still welcome before the questions close.
    world.clock.set("2026-03-09T09:30:00Z");
    const late = await priya.press(findForm(promptsTo(priya)[0], "prompt").submit, answersFor(promptsTo(priya)[0], ["8", "9", "Good progress", ""]));
    expect(late.error).toBeUndefined();

    // After closing, changes are refused and nothing stored changes.
    world.clock.set("2026-03-16T11:00:00Z");
    const tooLate = await jo.press(refilled.submit, answersFor(change.replaceSource, ["1", "1", "Too late", ""]));
    expect(tooLate.error?.code).toBe("closed");
    expect(textOf(tooLate.private)).toContain("These questions closed on");
    expect(await world.prisma.promptResponse.count({ where: { text: "Too late" } })).toBe(0);
  });

  it("lets only the person it was sent to answer, and only with consent", async () => {
    const { programme, jo, priya } = await programmeWithPeople();
    await surveySeries(programme);
    await tickAt(FIRST_SLOT);
    const msg = promptsTo(jo)[0];
    const values = answersFor(msg, ["4", "7", "Good", ""]);

    const other = await priya.press(findForm(msg, "prompt").submit, values);
    expect(other.error?.code).toBe("not_allowed");
    expect(textOf(other.private)).toContain("sent to someone else");

    await recordConsent(world.ctx, { personId: jo.id, programmeId: programme.id, participation: false, quotation: false });
    const refused = await jo.press(findForm(msg, "prompt").submit, values);
    expect(refused.error?.code).toBe("no_consent");
    expect(await world.prisma.promptResponse.count()).toBe(0);
  });

  it("refuses malformed answers with clear words and stores nothing", async () => {
    const { programme, jo } = await programmeWithPeople();
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "panel_debrief", { cron: MONDAYS_10AM });
    await surveySeries(programme, { cron: "0 10 * * 2" });
    await tickAt(FIRST_SLOT);
    await tickAt("2026-03-03T10:00:00Z");
    const [debrief, survey] = promptsTo(jo);
    const submitDebrief = (values: string[]) => jo.press(findForm(debrief, "prompt").submit, answersFor(debrief, values));
    const submitSurvey = (values: string[]) => jo.press(findForm(survey, "prompt").submit, answersFor(survey, values));

    const outOfRange = await submitSurvey(["11", "5", "Fine", ""]);
    expect(outOfRange.error?.code).toBe("invalid_input");
    expect(textOf(outOfRange.private)).toContain('"How much do you know about co-production right now?" must be at most 10');

    const notANumber = await submitSurvey(["lots", "5", "Fine", ""]);
    expect(textOf(notANumber.private)).toContain("needs a whole number from 0 to 10");

    const missing = await submitSurvey(["5", "5", "", ""]);
    expect(textOf(missing.private)).toContain('"What has gone well since we last asked?" is needed');

    const unknownOption = await submitDebrief(["Good chairing", "More time", "Sometimes", ""]);
    expect(textOf(unknownOption.private)).toContain('Please choose one of the answers for "Did you feel listened to?"');

    const nothing = await jo.press(findForm(debrief, "prompt").submit, { deliveryId: findForm(debrief, "prompt").submit.args.deliveryId! });
    expect(nothing.error?.code).toBe("invalid_input");

    expect(await world.prisma.promptResponse.count()).toBe(0);
    expect(await world.prisma.promptDelivery.count({ where: { personId: jo.id, status: "sent" } })).toBe(2);

    const ok = await submitDebrief(["Good chairing", "More time", "Partly", ""]);
    expect(ok.error).toBeUndefined();
    expect((await world.prisma.promptResponse.findMany()).map((r) => r.choices).flat()).toEqual(["Partly"]);
  });

  it("keeps names off anonymous answers so they cannot be joined back to a person", async () => {
    const { programme, jo } = await programmeWithPeople();
    const series = await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ladder_check", { cron: MONDAYS_10AM });
    expect(series.anonymous).toBe(true);
    await tickAt(FIRST_SLOT);
    const msg = promptsTo(jo)[0];
    // Only three people are asked: they are told their answers might be guessed, and no role is kept.
    expect(textOf(msg)).toContain("Your answers are kept without your name or your role");
    expect(textOf(msg)).toContain("others might guess which answers are yours");

    world.clock.set("2026-03-03T13:17:00Z");
    const values = answersFor(msg, ["We were asked what we thought", "More notice before meetings"]);
    expect((await jo.press(findForm(msg, "prompt").submit, values)).error).toBeUndefined();
    // Changing the answer replaces it rather than adding another.
    const saved = await jo.press(findForm(msg, "prompt").submit, { ...values, [Object.keys(values)[0]!]: "We helped shape it" });
    expect(saved.error).toBeUndefined();

    const responses = await world.prisma.promptResponse.findMany();
    const deliveries = await world.prisma.promptDelivery.findMany();
    expect(responses).toHaveLength(2);
    expect(responses.map((r) => r.choices).flat()).toEqual(["We helped shape it"]);
    for (const r of responses) {
      expect(r.personId).toBeNull();
      expect(r.role).toBeNull();
      const stored = JSON.stringify(r);
      for (const d of deliveries) {
        expect(stored).not.toContain(d.id);
        expect(stored).not.toContain(d.personId);
      }
      // Dated the day the questions were asked, not the day Jo answered.
      expect(r.answeredAt.toISOString()).toBe("2026-03-02T00:00:00.000Z");
      expect(r.updatedAt.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    }
    // Nothing notes that Jo answered: not the delivery, not her time given, not a setting holding the key's secret.
    const joDelivery = deliveries.find((d) => d.personId === jo.id)!;
    expect(joDelivery).toMatchObject({ status: "sent", answeredAt: null });
    expect(await world.prisma.contribution.count()).toBe(0);
    expect(await world.prisma.setting.count()).toBe(0);
  });

  it("lets people say not this time, or pause, and then stops asking", async () => {
    const { programme, jo, priya } = await programmeWithPeople();
    await surveySeries(programme, { reminderAfterHours: 24, maxReminders: 2 });
    await tickAt(FIRST_SLOT);

    const declined = await jo.press(findButton(promptsTo(jo)[0], "Not this time").call);
    expect(textOf(declined.replaceSource)).toContain("That is fine. We will not send you");
    expect((await world.prisma.promptDelivery.findFirstOrThrow({ where: { personId: jo.id } })).status).toBe("declined");

    const paused = await priya.press(findButton(promptsTo(priya)[0], "Pause all messages").call);
    expect(textOf(paused.private)).toContain("All your messages are paused");
    expect((await world.prisma.preference.findUniqueOrThrow({ where: { personId: priya.id } })).pausedAt).not.toBeNull();

    await tickAt("2026-03-03T10:00:00Z");
    await tickAt("2026-03-04T10:00:00Z");
    expect(remindersTo(jo)).toHaveLength(0);
    expect(remindersTo(priya)).toHaveLength(0);

    await tickAt("2026-03-09T10:00:00Z");
    expect(promptsTo(jo)).toHaveLength(1); // "not this time" stops this set of questions for Jo, until Jo starts it again
    expect(promptsTo(priya)).toHaveLength(1);
  });
});

describe("setting up questions", () => {
  it("lets a facilitator start a series from a template in chat, and no one else", async () => {
    const { programme, fac, jo, priya } = await programmeWithPeople();
    const denied = await jo.say("prompts");
    expect(denied.error?.code).toBe("not_allowed");

    const menu = await fac.say("prompts");
    expect(textOf(menu.private)).toContain("No questions are set up yet");
    const chosen = await fac.press(findButton(menu.private, "How involved did you feel?").call);
    const form = findForm(chosen.private, "start");
    expect(textOf(chosen.private)).toContain("How involved did you feel in the decisions made this month?");

    const values = { title: "Decisions check", schedule: MONDAYS_10AM, cron: "", timeZone: "Europe/London", audienceRoles: "expert_by_experience\nprofessional", anonymous: "yes" };
    const badCron = await fac.press(form.submit, { ...values, cron: "every monday" });
    expect(badCron.error?.code).toBe("invalid_input");
    expect(textOf(badCron.private)).toContain("When to send");
    const tooOften = await fac.press(form.submit, { ...values, cron: "*/5 * * * *" });
    expect(textOf(tooOften.private)).toContain("at most once a day");
    const badZone = await fac.press(form.submit, { ...values, timeZone: "Mars/Olympus" });
    expect(textOf(badZone.private)).toContain("time zone");
    // The form asks "when" in words, never for a cron line, and says what it could not read.
    expect(JSON.stringify(chosen.private)).not.toMatch(/cron/i);
    const olderForm = await fac.press(form.submit, { ...values, title: "Words in the cron box", cron: "every monday" });
    expect(textOf(olderForm.private)).toContain("Try words like");
    const unread = await fac.press(form.submit, { ...values, when: "whenever suits" });
    expect(unread.error).toEqual({ code: "invalid_input", field: "when" });
    expect(textOf(unread.private)).toContain('We could not read "whenever suits" as a time to send');
    const evaluators = await fac.press(form.submit, { ...values, audienceRoles: "evaluator" });
    expect(evaluators.error?.code).toBe("invalid_input");
    expect(await world.prisma.promptSeries.count()).toBe(0);

    const started = await fac.press(form.submit, values);
    expect(textOf(started.replaceSource)).toContain('"Decisions check" is set up');
    const series = await world.prisma.promptSeries.findFirstOrThrow({ include: { questions: true } });
    expect(series).toMatchObject({ title: "Decisions check", anonymous: true, templateKey: "ladder_check", cron: MONDAYS_10AM });
    expect(series.audienceRoles.sort()).toEqual(["expert_by_experience", "professional"]);
    expect(series.questions).toHaveLength(2);

    await tickAt(FIRST_SLOT);
    expect(promptsTo(jo)).toHaveLength(1);
    expect(promptsTo(priya)).toHaveLength(0);
    expect(textOf((await fac.say("prompts")).private)).toContain("Decisions check");

    // In the facilitator's own words: every other week, at each person's own clock, and said back in words.
    const again = findForm((await fac.press(findButton((await fac.say("prompts")).private, "How involved did you feel?").call)).private, "start");
    const worded = await fac.press(again.submit, { ...values, title: "Fortnightly check", when: "every other Tuesday at 9:30 wherever each person is" });
    expect(worded.error).toBeUndefined();
    expect(await world.prisma.promptSeries.findFirstOrThrow({ where: { title: "Fortnightly check" } })).toMatchObject({ cron: "30 9 * * 2", weekInterval: 2, localTime: true });
    expect(textOf((await fac.say("prompts")).private)).toContain("When: Every other Tuesday at 09:30, wherever each person is");
  });

  it("validates series made in code and checks who made them", async () => {
    const { programme, jo } = await programmeWithPeople();
    const template = findTemplate("gold_standard")!;
    const input = templateInput(template, programme.id);
    await expectRefusal(createSeries(world.ctx, programme.facilitator.id, { ...input, cron: "61 25 * * *" }), "invalid_input", "When to send");
    await expectRefusal(createSeries(world.ctx, programme.facilitator.id, { ...input, timeZone: "Nowhere/Special" }), "invalid_input", "time zone");
    await expectRefusal(createSeries(world.ctx, programme.facilitator.id, { ...input, questions: [] }), "invalid_input", "Questions");
    await expectRefusal(
      createSeries(world.ctx, programme.facilitator.id, { ...input, questions: [{ kind: "scale", text: "How?", min: 5, max: 5 }] }),
      "invalid_input",
      "lowest number",
    );
    // Who may set questions up is checked where people ask for it: the declared action.
    const byJo = await jo.press({ action: "prompts.start", args: { programmeId: programme.id, templateKey: "gold_standard" } });
    expect(byJo.error?.code).toBe("not_allowed");
    expect(await world.prisma.promptSeries.count()).toBe(0);
    await expectRefusal(createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "nope"), "not_found");

    const series = await createSeries(world.ctx, programme.facilitator.id, { ...input, timeZone: "America/New_York" });
    // 10am on the 1st of April in New York.
    expect(series.nextOccurrenceAt?.toISOString()).toBe("2026-04-01T14:00:00.000Z");
    expect(series.questions.map((q) => q.kind)).toEqual(["multi", "multi", "text"]);
    expect(series.questions[0]!.options).toContain("Equal: everyone's views counted the same");
  });
});

describe("facilitators reading answers", () => {
  const MAKE_IDEA = 'Make this a "you said" item';

  /** Answers the latest questions sent to this person with these values, in question order. */
  async function answer(person: TestPerson, values: string[]) {
    const msg = promptsTo(person).at(-1);
    const reply = await person.press(findForm(msg, "prompt").submit, answersFor(msg, values));
    expect(reply.error).toBeUndefined();
  }

  /** The button under the written answer that starts with these words. */
  function ideaButtonFor(msg: Message | undefined, words: string) {
    const blocks = msg?.blocks ?? [];
    const at = blocks.findIndex((b) => b.kind === "text" && b.text.includes(`"${words}`));
    const row = blocks[at + 1];
    const found = row?.kind === "buttons" ? row.buttons.find((b) => b.label === MAKE_IDEA) : undefined;
    if (!found) throw new Error(`no "${MAKE_IDEA}" button under ${words}`);
    return found.call;
  }

  const ideaButtons = (msg: Message | undefined) => (msg?.blocks ?? []).flatMap((b) => (b.kind === "buttons" ? b.buttons : [])).filter((b) => b.label === MAKE_IDEA);

  it("shows the latest answers by role only, and turns one into a 'you said' item the person is told about", async () => {
    const { programme, fac, jo, priya, eve } = await programmeWithPeople();
    await surveySeries(programme);
    await tickAt(FIRST_SLOT);
    await answer(jo, ["4", "7", "Meeting other carers", "Travel costs"]);
    await answer(priya, ["8", "9", "Good progress", ""]);

    const shown = (await fac.say("answers")).private;
    const words = textOf(shown);
    expect(words).toContain('Answers to "How is co-production going?"');
    expect(words).toContain("Sent to: 3 people");
    expect(words).toContain("Answered: 2 people");
    expect(words).toContain("How much do you know about co-production right now?: 2 answers. On average 6, on a scale of 0 to 10.");
    expect(words).toContain("How do you feel about co-production right now?: 2 answers. On average 8");
    // One expert and one commissioner were asked: fewer than 5 of each, so no role is named.
    expect(words).toContain('Someone: "Meeting other carers"');
    expect(words).toContain('Someone: "Travel costs"');
    expect(words).toContain('Someone: "Good progress"');
    expect(words).not.toContain("Commissioner:");
    expect(words).toContain("Names are not shown here, only roles");
    for (const name of ["Jo", "Priya", "Facilitator"]) expect(words).not.toMatch(new RegExp(`\\b${name}\\b`));
    expect(ideaButtons(shown)).toHaveLength(3);

    const made = await fac.press(ideaButtonFor(shown, "Meeting other carers"));
    expect(made.error).toBeUndefined();
    expect(textOf(made.private)).toContain("That answer is now idea #1. We have told the person who gave it.");
    const item = await world.prisma.feedbackItem.findFirstOrThrow();
    expect(item).toMatchObject({ number: 1, source: "prompt_answer", raisedById: jo.id, raisedByRole: "expert_by_experience", text: "Meeting other carers" });
    const told = jo.inbox().filter((m) => m.summary.includes("Something you said is now idea #1"));
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain('"Meeting other carers"');

    // Seen again, that answer says it is already an idea; pressing the old button twice makes nothing new.
    const again = (await fac.say("answers")).private;
    expect(textOf(again)).toContain("This is already idea #1.");
    expect(ideaButtons(again)).toHaveLength(2);
    expect((await fac.press(ideaButtonFor(shown, "Meeting other carers"))).error?.code).toBe("conflict");
    expect(await world.prisma.feedbackItem.count()).toBe(1);

    // People taking part cannot read answers here.
    for (const person of [jo, priya]) {
      const denied = await person.say("answers");
      expect(denied.error?.code).toBe("not_allowed");
      expect(textOf(denied.private)).not.toContain("Meeting other carers");
    }
    // The evaluator gets the exports' view: a made-up id, no "you said" button (test/core/coding/evaluator-answers.test.ts).
    const evaluatorView = (await eve.say("answers")).private;
    expect(textOf(evaluatorView)).toMatch(/p-[0-9a-f]{16}, Someone: "Meeting other carers"/);
    expect(ideaButtons(evaluatorView)).toHaveLength(0);
    const byButton = await jo.press({ action: "prompt.answers", args: { occurrenceId: (await world.prisma.promptOccurrence.findFirstOrThrow()).id } });
    expect(byButton.error?.code).toBe("not_allowed");
  });

  it("goes back to earlier answers, and leaves out the words of people who erased themselves", async () => {
    const { programme, fac, jo, priya } = await programmeWithPeople();
    await surveySeries(programme);
    expect(textOf((await fac.say("answers")).private)).toContain("Nobody has answered any questions yet");
    await tickAt(FIRST_SLOT);
    await answer(jo, ["4", "7", "First week words", ""]);
    await answer(priya, ["6", "6", "Priya's first week", ""]);
    await tickAt("2026-03-09T10:00:00Z");
    await tickAt("2026-03-16T10:00:00Z"); // nobody answers this one: it is skipped
    await answer(jo, ["5", "8", "Third week words", ""]);

    const latest = (await fac.say("answers")).private;
    expect(textOf(latest)).toContain("Third week words");
    expect(textOf(latest)).toContain("Asked on: 16 March 2026");
    expect(textOf(latest)).not.toContain("First week words");
    expect(() => findButton(latest, "See later answers")).toThrow();

    const earlier = (await fac.press(findButton(latest, "See earlier answers").call)).private;
    expect(textOf(earlier)).toContain("Asked on: 2 March 2026");
    expect(textOf(earlier)).toContain("First week words");
    expect(textOf(earlier)).toContain("Priya's first week");
    expect(() => findButton(earlier, "See earlier answers")).toThrow();
    expect(textOf((await fac.press(findButton(earlier, "See later answers").call)).private)).toContain("Third week words");

    await erasePerson(world.ctx, priya.id);
    const afterErasure = (await fac.press(findButton(latest, "See earlier answers").call)).private;
    expect(textOf(afterErasure)).toContain("First week words");
    expect(textOf(afterErasure)).not.toContain("Priya's first week");
    expect(ideaButtons(afterErasure)).toHaveLength(1);
    // Her numbers stay (with her role only), so the totals are still right.
    expect(textOf(afterErasure)).toContain("How much do you know about co-production right now?: 2 answers. On average 5");

    expect((await fac.press({ action: "prompt.answers", args: { occurrenceId: "nope" } })).error?.code).toBe("not_found");
    expect((await fac.press({ action: "prompt.answers", args: { seriesId: "nope" } })).error?.code).toBe("not_found");
    expect((await fac.press({ action: "prompt.answers", args: { occurrenceId: "x", offset: "-1" } })).error?.code).toBe("invalid_input");
  });

  it("asks which set of questions when there are several, and keeps anonymous answers nameless", async () => {
    const { programme, fac, jo } = await programmeWithPeople();
    await surveySeries(programme);
    await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ladder_check", { cron: MONDAYS_10AM });
    await tickAt(FIRST_SLOT);
    const [survey, ladder] = [promptsTo(jo).find((m) => m.summary.startsWith("How is co-production going?")), promptsTo(jo).find((m) => !m.summary.startsWith("How is"))];
    await jo.press(findForm(survey, "prompt").submit, answersFor(survey, ["4", "7", "Named words", ""]));
    await jo.press(findForm(ladder, "prompt").submit, answersFor(ladder, ["We were asked what we thought", "More notice before meetings"]));

    const pick = (await fac.say("answers")).private;
    expect(textOf(pick)).toContain("Which answers do you want to see?");
    const shown = (await fac.press(findButton(pick, "How involved did you feel?").call)).private;
    // Three people were asked, too few to show a role: the answer says "someone".
    expect(textOf(shown)).toContain('Someone: "More notice before meetings"');
    expect(textOf(shown)).toContain("How involved did you feel in the decisions made this month?: We were asked what we thought: 1");
    expect(textOf(shown)).toContain("These answers were anonymous");
    expect(textOf(shown)).not.toContain("Named words");

    // An idea shows its raiser's role, and this answer has none to show: the facilitator is asked to write it themselves.
    const refused = await fac.press(ideaButtonFor(shown, "More notice before meetings"));
    expect(refused.error?.code).toBe("invalid_input");
    expect(textOf(refused.private)).toContain("keeps no role");
    expect(await world.prisma.feedbackItem.count()).toBe(0);
    expect(jo.inbox().some((m) => m.summary.includes("Something you said"))).toBe(false);
  });

  it("shows at most 20 written answers in a message, with a button for the rest", async () => {
    const { programme, fac } = await programmeWithPeople();
    const people = await Promise.all(Array.from({ length: 13 }, (_, i) => world.person(programme, `Person ${i}`, "expert_by_experience")));
    await surveySeries(programme);
    await tickAt(FIRST_SLOT);
    // 12 people write two answers each and one writes one: 25 written answers.
    for (const [i, person] of people.entries()) await answer(person, ["5", "5", `Went well ${i}`, i < 12 ? `Hard part ${i}` : ""]);

    const first = (await fac.say("answers")).private;
    expect(ideaButtons(first)).toHaveLength(20);
    expect(textOf(first)).toContain("These are written answers 1 to 20 of 25.");
    expect(textOf(first)).toContain("Answered: 13 people");
    const rest = (await fac.press(findButton(first, "Show more").call)).private;
    expect(ideaButtons(rest)).toHaveLength(5);
    expect(textOf(rest)).toContain('More answers to "How is co-production going?"');
    expect(textOf(rest)).toContain("These are written answers 21 to 25 of 25.");
    expect(textOf(rest)).not.toContain("Asked on");
    expect(() => findButton(rest, "Show more")).toThrow();
    const all = [...ideaButtons(first), ...ideaButtons(rest)].map((b) => b.call.args.responseId);
    expect(new Set(all).size).toBe(25);
  });
});

describe("summing up answers (pure)", () => {
  const q = (id: string, kind: string, position: number, extra: Partial<PromptQuestion> = {}) =>
    ({ id, kind, position, text: `Question ${id}`, help: "", options: [], scaleMin: 0, scaleMax: 10, minLabel: "", maxLabel: "", required: true, seriesId: "s", ...extra }) as PromptQuestion;
  const r = (id: string, questionId: string, value: Partial<{ text: string | null; number: number | null; choices: string[] }>, day = 1) => ({
    id,
    questionId,
    role: "professional" as const,
    text: value.text ?? null,
    number: value.number ?? null,
    choices: value.choices ?? [],
    answeredAt: new Date(Date.UTC(2026, 2, day)),
  });

  it("averages scales, counts choices, and orders written answers by question, leaving out erased words", () => {
    const questions = [q("b", "text", 2), q("a", "scale", 1), q("c", "single", 3, { options: ["Yes", "No"] }), q("d", "text", 4)];
    const responses = [r("1", "a", { number: 3 }), r("2", "a", { number: 4 }), r("3", "c", { choices: ["Yes"] }), r("4", "d", { text: "later" }), r("5", "b", { text: "second" }, 2), r("6", "b", { text: "first" }), r("7", "b", { text: null })];
    expect(summariseAnswers(questions, responses)).toEqual([
      { kind: "scale", question: "Question a", count: 2, average: 3.5, min: 0, max: 10 },
      { kind: "choice", question: "Question c", count: 1, counts: [["Yes", 1]] },
    ]);
    expect(writtenAnswers(questions, responses).map((a) => a.text)).toEqual(["first", "second", "later"]);
  });
});
