import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser } from "../support/fake-teams.ts";

/** Writing a set of questions in chat, end to end through Teams: the real CloudAdapter, cards read and actions sent as Teams does. */
let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unexpected()).toEqual([]);
  expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
});

function inputsOf(card: any): any[] {
  const found: any[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (String(node.type).startsWith("Input.")) found.push(node);
    Object.values(node).forEach(visit);
  };
  visit(card);
  return found;
}

describe("question sets written in Teams", () => {
  it("a facilitator adds questions on the draft card, previews them as Adaptive Card choice sets, schedules in words and starts", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.send(world.build.say(fac, "new questions"));
    const first = world.messageWith(fac.chat, "There are no questions yet.");
    let card = FakeTeams.card(first);

    const act = async (title: string, values: Record<string, string>) => {
      const response = await world.send(world.build.execute(fac, findAction(card, title), values, { replyToId: first.id }));
      expect(response.body.statusCode).toBe(200);
      card = response.body.value;
      return card;
    };
    await act("Add", { kind: "single", text: "Did the meeting time suit you?", choices: "Yes\nNo\nSometimes", required: "yes" });
    await act("Add", { kind: "multi", text: "What helped you take part?", choices: "Easy read papers\nPaid travel", required: "no" });
    expect(cardText(card)).toContain("2. What helped you take part? (people can leave it out)");

    // The preview takes the draft card's place (the invoke answers with it), as Slack updates the message: no new card in the chat.
    const cardsBefore = world.cards(fac.chat).length;
    const preview = await act("Preview", {});
    expect(cardText(preview)).toContain("This is what people will see");
    const choiceSets = inputsOf(preview).filter((i) => i.type === "Input.ChoiceSet");
    expect(choiceSets.map((c) => Boolean(c.isMultiSelect))).toEqual([false, true]);
    expect(choiceSets[1].choices.map((c: any) => c.title)).toEqual(["Easy read papers", "Paid travel"]);
    await act("Back to the draft", {});
    expect(cardText(card)).toContain("2. What helped you take part?");
    expect(world.cards(fac.chat)).toHaveLength(cardsBefore);

    await act("Save", { when: "weekdays at 4pm" });
    expect(cardText(card)).toContain("Every weekday (Monday to Friday) at 16:00, London time");
    await act("Start sending", {});
    expect(cardText(card)).toContain('"New questions" is set up');
    const series = await world.db.promptSeries.findFirstOrThrow({ include: { questions: { orderBy: { position: "asc" } } } });
    expect(series).toMatchObject({ cron: "0 16 * * 1-5" });
    expect(series.questions.map((q) => q.options)).toEqual([["Yes", "No", "Sometimes"], ["Easy read papers", "Paid travel"]]);
  });

  it("a facilitator changes a question on a card filled in with it, moves it down and takes one out after the card asks first", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.send(world.build.say(fac, "new questions"));
    const first = world.messageWith(fac.chat, "There are no questions yet.");
    let card = FakeTeams.card(first);
    const act = async (title: string, values: Record<string, string> = {}) => {
      const response = await world.send(world.build.execute(fac, findAction(card, title), values, { replyToId: first.id }));
      expect(response.body.statusCode).toBe(200);
      card = response.body.value;
      return card;
    };
    await act("Add", { kind: "text", text: "What was hrad?", required: "yes" });
    await act("Add", { kind: "text", text: "What went well?", required: "yes" });

    // "Change" answers with the question's own form in the draft card's place, filled in with what it says now.
    const cardsBefore = world.cards(fac.chat).length;
    await act("Change");
    expect(cardText(card)).toContain("Change question 1");
    expect(inputsOf(card).find((i) => i.id === "text")?.value).toBe("What was hrad?");
    await act("Save", { kind: "text", text: "What was hard?", required: "yes" });
    expect(cardText(card)).toContain("1. What was hard?");

    await act("Move down");
    expect(cardText(card)).toMatch(/1\. What went well\?[\s\S]*2\. What was hard\?/);
    // Adaptive Cards have no confirm dialog: "Take out" opens a small card that asks first.
    const asks = findAction(card, "Take out", "Action.ShowCard");
    expect(cardText(asks.card)).toContain("Take question 1 out of the draft?");
    await act("Take out");
    expect(cardText(card)).toContain("1. What was hard?");
    expect(cardText(card)).not.toContain("What went well?");
    expect(world.cards(fac.chat)).toHaveLength(cardsBefore);
    const draft = await world.db.promptDraft.findFirstOrThrow();
    expect((draft.questions as { text: string }[]).map((q) => q.text)).toEqual(["What was hard?"]);
  });
});
