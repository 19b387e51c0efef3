import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import type { Button, Message } from "../../../src/messages/model.ts";
import type { Reply } from "../../../src/interactions.ts";

/** Changing, moving and taking out questions already in a draft: in place, by the draft's facilitators only, never losing one. */

/** Question n's button (n from 1): each question has its own row of Change, Move up, Move down, Take out. */
function questionButton(draft: Message | undefined, n: number, label: string): Button {
  const rows = (draft?.blocks ?? []).filter((b) => b.kind === "buttons" && b.buttons.some((x) => x.label === "Change"));
  const row = rows[n - 1];
  const found = row?.kind === "buttons" ? row.buttons.find((b) => b.label === label) : undefined;
  if (!found) throw new Error(`no "${label}" for question ${n} in: ${textOf(draft)}`);
  return found;
}

const questionsIn = (draft: Message | undefined) => [...textOf(draft).matchAll(/^(\d+)\. (.+?)(?: \(people can leave it out\))?$/gm)].map((m) => `${m[1]}. ${m[2]}`);

describe.each(backends())("changing questions in a draft on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  async function draftWith(fac: TestPerson, texts: string[]): Promise<Message | undefined> {
    let draft = (await fac.say("new questions")).private;
    for (const text of texts) draft = (await fac.press(findForm(draft, "draft-question").submit, { kind: "text", text, required: "yes" })).replaceSource;
    return draft;
  }

  const storedTexts = async () => {
    const row = await world.prisma.promptDraft.findFirstOrThrow();
    return (row.questions as { text: string }[]).map((q) => q.text);
  };

  it("changes a question in place with its form filled in, moves questions up and down, takes one out after asking, and starts in the new order", async () => {
    const { facilitator: fac } = await world.programme();
    let draft = await draftWith(fac, ["What went well?", "What was hrad?", "Anything else?"]);
    draft = (await fac.press(findForm(draft, "draft-question").submit, { kind: "scale", text: "How listened to did you feel?", minLabel: "Not at all", maxLabel: "Very much", required: "no" })).replaceSource;

    // "Change" puts the question's own form in the draft's place, filled in with what it says now.
    const change = (await fac.press(questionButton(draft, 4, "Change").call)).replaceSource;
    const form = findForm(change, "draft-change");
    expect(form.title).toBe("Change question 4");
    expect(Object.fromEntries(form.inputs.map((i) => [i.id, "initial" in i ? i.initial : undefined]))).toMatchObject({
      kind: "scale",
      text: "How listened to did you feel?",
      minLabel: "Not at all",
      maxLabel: "Very much",
      required: "no",
    });
    expect(textOf((await fac.press(findButton(change, "Back to the draft").call)).replaceSource)).toContain("4. How listened to did you feel?");

    // A typo mended: saved in place, the same place.
    const typo = (await fac.press(questionButton(draft, 2, "Change").call)).replaceSource;
    draft = (await fac.press(findForm(typo, "draft-change").submit, { kind: "text", text: "What was hard?", required: "yes" })).replaceSource;
    expect(questionsIn(draft)).toEqual(["1. What went well?", "2. What was hard?", "3. Anything else?", "4. How listened to did you feel?"]);
    // The same checks as adding: a choice question with one choice is refused, and nothing changes.
    const oneChoice = await fac.press(findForm(typo, "draft-change").submit, { kind: "single", text: "Pick one", choices: "Only this", required: "yes" });
    expect(textOf(oneChoice.private)).toContain("Write at least two answer choices");
    expect(await storedTexts()).toEqual(["What went well?", "What was hard?", "Anything else?", "How listened to did you feel?"]);

    // The first has no "Move up", the last no "Move down".
    expect(() => questionButton(draft, 1, "Move up")).toThrow();
    expect(() => questionButton(draft, 4, "Move down")).toThrow();
    draft = (await fac.press(questionButton(draft, 4, "Move up").call)).replaceSource;
    draft = (await fac.press(questionButton(draft, 1, "Move down").call)).replaceSource;
    expect(questionsIn(draft)).toEqual(["1. What was hard?", "2. What went well?", "3. How listened to did you feel?", "4. Anything else?"]);

    // Taking out asks first, in plain words.
    const takeOut = questionButton(draft, 4, "Take out");
    expect(takeOut.confirm).toBe("Take question 4 out of the draft? You would need to write it again to put it back.");
    draft = (await fac.press(takeOut.call)).replaceSource;
    expect(questionsIn(draft)).toEqual(["1. What was hard?", "2. What went well?", "3. How listened to did you feel?"]);

    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "every Monday at 10" })).replaceSource;
    await fac.press(findButton(draft, "Start sending").call);
    const series = await world.prisma.promptSeries.findFirstOrThrow({ include: { questions: { orderBy: { position: "asc" } } } });
    expect(series.questions.map((q) => [q.position, q.text, q.required])).toEqual([
      [0, "What was hard?", true],
      [1, "What went well?", true],
      [2, "How listened to did you feel?", false],
    ]);
  });

  it("gives a template's questions the same buttons: a starting point, changed like any other", async () => {
    const { facilitator: fac } = await world.programme();
    let draft = (await fac.press({ action: "prompts.draft.new", args: { templateKey: "ladder_check" } })).private;
    const first = questionsIn(draft)[0]!;
    const change = (await fac.press(questionButton(draft, 1, "Change").call)).replaceSource;
    expect(findForm(change, "draft-change").inputs.find((i) => i.id === "text")).toMatchObject({ initial: first.slice(3) });
    draft = (await fac.press(findForm(change, "draft-change").submit, { kind: "scale", text: "How involved did you feel this month?", required: "yes" })).replaceSource;
    expect(questionsIn(draft)[0]).toBe("1. How involved did you feel this month?");
    draft = (await fac.press(questionButton(draft, 2, "Move up").call)).replaceSource;
    expect(questionsIn(draft)[1]).toBe("2. How involved did you feel this month?");
  });

  it("refuses stale buttons, places out of range, other people and other programmes politely, and changes nothing", async () => {
    const programme = await world.programme();
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const other = (await world.programme("Housing review")).facilitator;
    const old = await draftWith(fac, ["One", "Two", "Three"]);
    const draft = (await fac.press(questionButton(old, 2, "Take out").call)).replaceSource;
    const before = await world.prisma.promptDraft.findFirstOrThrow();
    const unchanged = async (reply: Reply, code: string, words?: string) => {
      expect(reply.error?.code).toBe(code);
      expect(reply.replaceSource).toBeUndefined();
      if (words) expect(textOf(reply.private)).toContain(words);
      expect(await world.prisma.promptDraft.findFirstOrThrow()).toEqual(before);
    };

    // Buttons from the view before "Two" was taken out.
    for (const label of ["Change", "Take out", "Move up"]) await unchanged(await fac.press(questionButton(old, 2, label).call), "not_found", "That question is not in the draft any more. Nothing was changed.");
    // A "Change" form opened on a question that someone then takes out: saving it puts nothing back.
    const three = (await fac.press(questionButton(draft, 2, "Change").call)).replaceSource;
    const now = (await fac.press(questionButton(draft, 2, "Take out").call)).replaceSource;
    Object.assign(before, await world.prisma.promptDraft.findFirstOrThrow());
    await unchanged(await fac.press(findForm(three, "draft-change").submit, { kind: "text", text: "Three, mended", required: "yes" }), "not_found");
    expect(await storedTexts()).toEqual(["One"]);
    expect(questionsIn(now)).toEqual(["1. One"]);

    // A place past the end (a "Move down" from when there were more), or forged, is refused as well.
    const down = questionButton(old, 1, "Move down").call;
    await unchanged(await fac.press({ ...down, args: { ...down.args, to: "2" } }), "invalid_input", "The draft has only one question, so it cannot move.");
    await unchanged(await fac.press({ ...down, args: { ...down.args, to: "99" } }), "invalid_input", '"The place to move it to" must be at most 20.');
    await unchanged(await fac.press({ ...down, args: { ...down.args, to: "first" } }), "invalid_input", '"The place to move it to"');

    // Only the programme's facilitators: not a participant, not a facilitator elsewhere with a forged draft id.
    const change = questionButton(now, 1, "Change").call;
    await unchanged(await jo.press(change), "not_allowed");
    await unchanged(await other.press(change), "not_a_member");
    await unchanged(await other.press(questionButton(now, 1, "Take out").call), "not_a_member");
    await unchanged(await other.press({ action: "prompts.draft.replace", args: { ...change.args, kind: "text", text: "Ours now", required: "yes" } }), "not_a_member");
    await unchanged(await fac.press({ ...change, args: { ...change.args, draftId: "not-a-draft" } }), "not_found");
  });

  it("says politely that a started set is not a draft any more, and starts it once however often Start sending is pressed", async () => {
    const { facilitator: fac } = await world.programme();
    const other = (await world.programme("Housing review")).facilitator;
    let draft = await draftWith(fac, ["One", "Two"]);
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "every Monday at 10" })).replaceSource;
    const start = findButton(draft, "Start sending").call;
    const replies = await Promise.all([fac.press(start), fac.press(start)]);
    expect(await world.prisma.promptSeries.count()).toBe(1);
    expect(replies.filter((r) => textOf(r.replaceSource).includes("is set up"))).toHaveLength(1);

    for (const button of [questionButton(draft, 1, "Change"), questionButton(draft, 2, "Move up"), questionButton(draft, 1, "Take out")]) {
      const reply = await fac.press(button.call);
      expect(reply.error?.code).toBe("closed");
      expect(textOf(reply.private)).toContain('"New questions" has started, so it is not a draft any more and its questions cannot be changed here.');
    }
    // Someone from another programme holding the old button learns nothing about it.
    const stranger = await other.press(questionButton(draft, 1, "Change").call);
    expect(stranger.error?.code).toBe("not_a_member");
    expect(textOf(stranger.private)).not.toContain("New questions");
    const series = await world.prisma.promptSeries.findFirstOrThrow({ include: { questions: { orderBy: { position: "asc" } } } });
    expect(series.questions.map((q) => q.text)).toEqual(["One", "Two"]);
  });

  it("never drops a change pressed as the set starts: it is in the series, or it is refused as too late", async () => {
    const { facilitator: fac } = await world.programme();
    let draft = await draftWith(fac, ["What went wel?"]);
    draft = (await fac.press(findForm(draft, "draft-schedule").submit, { when: "every Monday at 10" })).replaceSource;
    const change = (await fac.press(questionButton(draft, 1, "Change").call)).replaceSource;
    const [, mended] = await Promise.all([fac.press(findButton(draft, "Start sending").call), fac.press(findForm(change, "draft-change").submit, { kind: "text", text: "What went well?", required: "yes" })]);
    const series = await world.prisma.promptSeries.findFirstOrThrow({ include: { questions: true } });
    if (mended.error) expect([mended.error.code, series.questions[0]!.text]).toEqual(["closed", "What went wel?"]);
    else expect(series.questions[0]!.text).toBe("What went well?");
  });

  it("loses and doubles nothing when two presses arrive at once: adds, a move with a removal, the same removal twice", async () => {
    const { facilitator: fac } = await world.programme();
    let draft = await draftWith(fac, ["A", "B", "C", "D"]);
    const add = findForm(draft, "draft-question").submit;
    await Promise.all([fac.press(add, { kind: "text", text: "E", required: "yes" }), fac.press(add, { kind: "text", text: "F", required: "yes" })]);
    expect((await storedTexts()).sort()).toEqual(["A", "B", "C", "D", "E", "F"]);

    await Promise.all([fac.press(questionButton(draft, 2, "Take out").call), fac.press({ ...questionButton(draft, 4, "Move up").call, args: { ...questionButton(draft, 4, "Move up").call.args, to: "1" } })]);
    const texts = await storedTexts();
    expect(texts.filter((t) => t !== "E" && t !== "F")).toEqual(["D", "A", "C"]);
    expect(texts).toHaveLength(5);

    draft = (await fac.press({ action: "prompts.draft.view", args: { draftId: questionButton(draft, 1, "Change").call.args.draftId! } })).replaceSource;
    const twice = questionButton(draft, 1, "Take out").call;
    const replies = await Promise.all([fac.press(twice), fac.press(twice)]);
    expect(replies.map((r) => r.error?.code ?? "done").sort()).toEqual(["done", "not_found"]);
    expect(await storedTexts()).toHaveLength(4);
    const row = await world.prisma.promptDraft.findFirstOrThrow();
    expect(new Set((row.questions as { key: string }[]).map((q) => q.key)).size).toBe(4);
    // Places stay 1 to n as the draft shows them.
    const shown = (await fac.press({ action: "prompts.draft.view", args: { draftId: row.id } })).replaceSource;
    expect(questionsIn(shown).map((q) => q.split(".")[0])).toEqual(["1", "2", "3", "4"]);
  });
});
