import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allButtons, findButton, SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

/** Writing a set of questions in chat, end to end through Slack: the real Bolt app, modals filled in as a person would. */
let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start();
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const CHANNEL = { channel: "C0COPROD", name: "co-production" };
const fac: SlackUser = { id: "U0FAC", name: "Sam Facilitator" };

describe("question sets written in Slack", () => {
  it("a facilitator writes questions in modals (choose one, choose any, 0 to 10), sees the preview as Block Kit radio buttons and checkboxes, schedules in words and starts", async () => {
    await world.slash(fac, "setup Young people's mental health", CHANNEL);
    const draft = await world.slash(fac, "new questions");
    expect(textOfVisible(draft.ephemeral!)).toContain("There are no questions yet.");

    const add = async (values: Record<string, string | string[]>) => {
      const modal = await world.openForm(fac, world.lastPrivate(fac), "Add a question");
      expect((await world.submit(fac, modal, values)).status).toBe(200);
    };
    await add({ kind: "Choose one", text: "Did the meeting time suit you?", choices: "Yes\nNo\nSometimes" });
    await add({ kind: "Choose any", text: "What helped you take part?", choices: "Easy read papers\nPaid travel" });
    await add({ kind: "A number from 0 to 10", text: "How listened to did you feel?", minLabel: "Not at all", maxLabel: "Very much" });
    expect(textOfVisible(world.lastPrivate(fac))).toContain("3. How listened to did you feel?");

    await world.press(fac, world.lastPrivate(fac), "Preview");
    const preview = await world.openForm(fac, world.lastPrivate(fac), "Answer the questions");
    const elements = (preview.view.blocks as { type: string; element?: { type: string } }[]).filter((b) => b.type === "input").map((b) => b.element!.type);
    expect(elements).toEqual(["radio_buttons", "checkboxes", expect.stringMatching(/static_select|radio_buttons/)]);
    await world.press(fac, world.lastPrivate(fac), "Back to the draft");

    const when = await world.openForm(fac, world.lastPrivate(fac), "Choose when");
    await world.submit(fac, when, { when: "every other Monday at 10:30" });
    const ready = world.lastPrivate(fac);
    expect(textOfVisible(ready)).toContain("Every other Monday at 10:30, London time");
    expect(allButtons(ready.blocks).map((b) => b.text.text)).toContain("Start sending");
    await world.press(fac, ready, "Start sending");
    expect(textOfVisible(world.lastPrivate(fac))).toContain('"New questions" is set up');
    const series = await world.db.promptSeries.findFirstOrThrow({ include: { questions: { orderBy: { position: "asc" } } } });
    expect(series).toMatchObject({ weekInterval: 2 });
    expect(series.questions.map((q) => q.kind)).toEqual(["single", "multi", "scale"]);
  });

  it("a facilitator mends a typo in a modal filled in with the question, moves it down and takes one out after Slack's own confirmation", async () => {
    await world.slash(fac, "setup Young people's mental health", CHANNEL);
    await world.slash(fac, "new questions");
    for (const text of ["What was hrad?", "What went well?"]) await world.submit(fac, await world.openForm(fac, world.lastPrivate(fac), "Add a question"), { text });

    // "Change" puts the question's form in the draft's place; its modal starts with what the question says.
    await world.press(fac, world.lastPrivate(fac), "Change");
    const modal = await world.openForm(fac, world.lastPrivate(fac), "Change question 1");
    const inputs = (modal.view.blocks as { type: string; element?: { initial_value?: string } }[]).filter((b) => b.type === "input");
    expect(inputs.map((b) => b.element?.initial_value)).toContain("What was hrad?");
    expect((await world.submit(fac, modal, { text: "What was hard?" })).status).toBe(200);
    expect(textOfVisible(world.lastPrivate(fac))).toContain("1. What was hard?");

    await world.press(fac, world.lastPrivate(fac), "Move down");
    const moved = textOfVisible(world.lastPrivate(fac));
    expect(moved.indexOf("1. What went well?")).toBeGreaterThan(-1);
    expect(moved.indexOf("2. What was hard?")).toBeGreaterThan(moved.indexOf("1. What went well?"));

    const takeOut = findButton(world.lastPrivate(fac).blocks, "Take out");
    expect((takeOut.confirm as { text?: { text?: string } } | undefined)?.text?.text).toContain("Take question 1 out of the draft?");
    await world.press(fac, world.lastPrivate(fac), "Take out");
    expect(textOfVisible(world.lastPrivate(fac))).toContain("1. What was hard?");
    expect(textOfVisible(world.lastPrivate(fac))).not.toContain("What went well?");
    const draft = await world.db.promptDraft.findFirstOrThrow();
    expect((draft.questions as { text: string }[]).map((q) => q.text)).toEqual(["What was hard?"]);
  });
});
