import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf } from "../../support/world.ts";
import { createCore } from "../../../src/core.ts";
import type { Message } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");

async function programmeWithPeople() {
  const programme = await world.programme();
  const jo = await world.person(programme, "Jo", "expert_by_experience");
  const priya = await world.person(programme, "Priya", "commissioner");
  return { programme, fac: programme.facilitator, jo, priya };
}

const QUESTIONS: Record<string, string>[] = [
  { kind: "text", text: "What went well this week?", required: "yes" },
  { kind: "scale", text: "How listened to did you feel?", minLabel: "Not at all", maxLabel: "Very much", required: "yes" },
  { kind: "single", text: "Did the meeting time suit you?", choices: "Yes\nNo\nSometimes", required: "yes" },
  { kind: "multi", text: "What helped you take part?", choices: "Easy read papers\nPaid travel\nA buddy", required: "no" },
];

describe("writing a set of questions in chat", () => {
  it("adds questions of each kind one by one, previews them as people will see them, schedules in words, chooses roles and starts", async () => {
    const { fac, jo, priya } = await programmeWithPeople();
    expect((await jo.say("new questions")).error?.code).toBe("not_allowed");

    let draft = (await fac.say("new questions")).private;
    expect(textOf(draft)).toContain("There are no questions yet.");
    for (const q of QUESTIONS) draft = (await fac.press(findForm(draft, "draft-question").submit, q)).replaceSource;
    expect(textOf(draft)).toContain("4. What helped you take part? (people can leave it out)");
    expect(textOf(draft)).toContain("0 is Not at all, 10 is Very much");
    expect(textOf(draft)).toContain("Yes; No; Sometimes");

    // The preview is the participants' own message: the same form, inputs of the four kinds.
    const preview = (await fac.press(findButton(draft, "Preview").call)).replaceSource;
    const form = findForm(preview, "prompt");
    expect(form.inputs.map((i) => i.kind)).toEqual(["text", "scale", "single", "multi"]);
    expect(form.inputs[1]).toMatchObject({ min: 0, max: 10, minLabel: "Not at all", maxLabel: "Very much" });
    expect(form.inputs[3]).toMatchObject({ optional: true, options: [{ value: "Easy read papers" }, { value: "Paid travel" }, { value: "A buddy" }] });
    const tried = await fac.press(form.submit, Object.fromEntries(form.inputs.map((i, n) => [i.id, ["Lots", "7", "Sometimes", "Paid travel\nA buddy"][n]!])));
    expect(textOf(tried.private)).toContain("Paid travel; A buddy");
    const badTry = await fac.press(form.submit, { [form.inputs[1]!.id]: "11" });
    expect(badTry.error?.code).toBe("invalid_input");
    // The preview stood in place of the draft: its way back puts the draft there again.
    expect(textOf((await fac.press(findButton(preview, "Back to the draft").call)).replaceSource)).toContain("4. What helped you take part?");

    // Not ready without a schedule: no start button, and a note says what is missing.
    expect(textOf(draft)).toContain("Choose when to send the questions.");
    expect(() => findButton(draft, "Start sending")).toThrow();

    const unreadable = await fac.press(findForm(draft, "draft-schedule").submit, { when: "0 10 * * 1" });
    expect(unreadable.error?.code).toBe("invalid_input");
    expect(textOf(unreadable.private)).toContain('"every other Monday at 10:30"');
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "every other Monday at 10:30" })).replaceSource;
    expect(textOf(draft)).toContain("Every other Monday at 10:30, London time");
    expect(textOf(draft)).not.toMatch(/\* \*/);

    const noRoles = await fac.press(findForm(draft, "draft-details").submit, { title: "Weekly check", audienceRoles: "", anonymous: "no" });
    expect(noRoles.error?.code).toBe("invalid_input");
    expect(textOf(noRoles.private)).toContain("Who gets the questions");
    draft = (await fac.press(findForm(draft, "draft-details").submit, { title: "Weekly check", intro: "", audienceRoles: "expert_by_experience", anonymous: "no" })).replaceSource;
    expect(textOf(draft)).toContain("Draft: Weekly check");
    expect(textOf(draft)).toContain("Expert by experience");

    const started = await fac.press(findButton(draft, "Start sending").call);
    expect(textOf(started.replaceSource)).toContain('"Weekly check" is set up');
    expect(await world.prisma.promptDraft.count()).toBe(0);
    const series = await world.prisma.promptSeries.findFirstOrThrow({ include: { questions: { orderBy: { position: "asc" } } } });
    expect(series).toMatchObject({ title: "Weekly check", weekInterval: 2, once: false, audienceRoles: ["expert_by_experience"] });
    expect(series.questions.map((q) => [q.kind, q.options])).toEqual([
      ["text", []],
      ["scale", []],
      ["single", ["Yes", "No", "Sometimes"]],
      ["multi", ["Easy read papers", "Paid travel", "A buddy"]],
    ]);
    expect(textOf((await fac.say("prompts")).private)).toContain("Every other Monday at 10:30, London time");

    // Sent on the first slot to the chosen role only, and not again the next week.
    world.clock.set(series.nextOccurrenceAt!);
    await world.tick();
    expect(jo.inbox().filter(isPrompt)).toHaveLength(1);
    expect(priya.inbox().filter(isPrompt)).toHaveLength(0);
    world.clock.set(new Date(series.nextOccurrenceAt!.getTime() + 7 * 86_400_000));
    await world.tick();
    expect(jo.inbox().filter(isPrompt)).toHaveLength(1);
    world.clock.set(new Date(series.nextOccurrenceAt!.getTime() + 14 * 86_400_000));
    await world.tick();
    expect(jo.inbox().filter(isPrompt)).toHaveLength(2);
  });

  it("keeps a half-written draft across a restart, and checks each question politely", async () => {
    const { programme, fac } = await programmeWithPeople();
    const draft = (await fac.say("new questions")).private;
    const add = findForm(draft, "draft-question").submit;
    const oneChoice = await fac.press(add, { kind: "single", text: "Pick one", choices: "Only this", required: "yes" });
    expect(textOf(oneChoice.private)).toContain("Write at least two answer choices, one on each line.");
    const noText = await fac.press(add, { kind: "text", text: " ", required: "yes" });
    expect(noText.error?.code).toBe("invalid_input");
    await fac.press(add, { kind: "text", text: "What should we change?", required: "yes" });

    // A second core on the same database (as after a restart) finds the draft in the menu and carries on.
    await createCore(world.ctx).tick();
    const menu = (await fac.say("prompts")).private;
    expect(textOf(menu)).toContain("Draft not started yet: New questions");
    const again = (await fac.press(findButton(menu, "Carry on writing").call)).replaceSource;
    expect(textOf(again)).toContain("1. What should we change?");
    const removed = (await fac.press(findButton(again, "Take out").call)).replaceSource;
    expect(textOf(removed)).toContain("There are no questions yet.");
    expect(programme.id).toBeTruthy();
  });

  it("copies a template's questions into a draft as a starting point, leaving the template as it is", async () => {
    const { fac } = await programmeWithPeople();
    const menu = (await fac.say("prompts")).private;
    const buttonsForLadder = menu!.blocks.flatMap((b) => (b.kind === "buttons" ? b.buttons : [])).filter((b) => b.call.args.templateKey === "ladder_check");
    const copy = buttonsForLadder.find((b) => b.label === "Start from this template")!;
    let draft = (await fac.press(copy.call)).private;
    expect(textOf(draft)).toContain('Started from the template "How involved did you feel?"');
    expect(textOf(draft)).toContain("1. How involved did you feel in the decisions made this month?");
    expect(textOf(draft)).toContain("Anonymous");
    draft = (await fac.press(findForm(draft, "draft-question").submit, { kind: "scale", text: "How hopeful are you?", required: "yes" })).replaceSource;
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "first Tuesday of the month at 9" })).replaceSource;
    expect(textOf(draft)).toContain("The first Tuesday of each month at 09:00, London time");
    await fac.press(findButton(draft, "Start sending").call);
    const series = await world.prisma.promptSeries.findFirstOrThrow({ include: { questions: true } });
    expect(series).toMatchObject({ templateKey: "ladder_check", anonymous: true, cron: "0 9 * * 2#1" });
    expect(series.questions).toHaveLength(3);
    const { findTemplate } = await import("../../../src/prompts/index.ts");
    expect(findTemplate("ladder_check")!.questions).toHaveLength(2);
  });

  it("says whose clock in plain words: at 10 wherever each person is, or at 10 in a named place, shown back and kept when it starts", async () => {
    const { fac, jo } = await programmeWithPeople();
    jo.platformTimeZone = "Asia/Tokyo";
    await jo.say("help");
    let draft = (await fac.say("new questions")).private;
    draft = (await fac.press(findForm(draft, "draft-question").submit, { kind: "text", text: "Anything to add?", required: "yes" })).replaceSource;
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "every Monday at 10 Tokyo time" })).replaceSource;
    expect(textOf(draft)).toContain("Every Monday at 10:00, Tokyo time");
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "every Monday at 10 wherever each person is" })).replaceSource;
    expect(textOf(draft)).toContain("Every Monday at 10:00, wherever each person is");
    const unreadable = await fac.press(findForm(draft, "draft-schedule").submit, { when: "every Monday at 10 Narnia time" });
    expect(textOf(unreadable.private)).toContain("wherever each person is");
    await fac.press(findButton(draft, "Start sending").call);
    const series = await world.prisma.promptSeries.findFirstOrThrow();
    expect(series).toMatchObject({ localTime: true, timeZone: "Asia/Tokyo", cron: "0 10 * * 1" });
    expect(textOf((await fac.say("prompts")).private)).toContain("Every Monday at 10:00, wherever each person is");

    // Jo, whose platform says Tokyo, is asked at 10:00 Tokyo time on Monday 9 March.
    world.clock.set("2026-03-08T20:00:00Z");
    await world.tick();
    world.clock.set("2026-03-09T01:00:00Z");
    await world.tick();
    expect(jo.inbox().filter(isPrompt)).toHaveLength(1);
  });

  it("sends a once-only set one time, and clears who wrote a draft when they are erased", async () => {
    const { fac, jo } = await programmeWithPeople();
    let draft = (await fac.say("new questions")).private;
    draft = (await fac.press(findForm(draft, "draft-question").submit, { kind: "text", text: "Anything to add?", required: "yes" })).replaceSource;
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "once on 12 March at 10" })).replaceSource;
    expect(textOf(draft)).toContain("Once, on 12 March at 10:00, London time");
    await fac.press(findButton(draft, "Start sending").call);
    const series = await world.prisma.promptSeries.findFirstOrThrow();
    expect(series.once).toBe(true);
    world.clock.set(series.nextOccurrenceAt!);
    await world.tick();
    expect(jo.inbox().filter(isPrompt)).toHaveLength(1);
    expect((await world.prisma.promptSeries.findFirstOrThrow()).nextOccurrenceAt).toBeNull();
    // Nothing more is planned: the sweep finds no slot for it, next year or ever.
    expect(await world.prisma.promptSeries.count({ where: { nextOccurrenceAt: { not: null } } })).toBe(0);

    await fac.say("new questions");
    const { erasePerson } = await import("../../../src/people/index.ts");
    await erasePerson(world.ctx, fac.id);
    expect((await world.prisma.promptDraft.findFirstOrThrow()).createdById).toBeNull();
  });
});
