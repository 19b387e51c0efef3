import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf } from "../../support/world.ts";
import { pseudonym } from "../../../src/evidence/index.ts";
import type { Message } from "../../../src/messages/model.ts";
import { cast } from "./cast.ts";

/**
 * Evaluators open the answers view: no names or platform ids, a pseudonymous id (the exports' own),
 * roles only where N or more were asked, words only with quoting consent, and a Code button on each.
 */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const codeButtons = (m: Message | undefined) => (m?.blocks ?? []).flatMap((b) => (b.kind === "buttons" ? b.buttons : [])).filter((b) => b.label === "Code");
const NAMES = ["Ada", "Bea", "Cal", "Dot", "Eli", "Pat", "Raj", "Quill", "Marsh"];

describe("the evaluators' answers view", () => {
  it("shows words only from people who agreed to be quoted, by pseudonymous id and role, with a Code button on each", async () => {
    // Bea (an expert) and Raj (a professional) did not agree to be quoted.
    const c = await cast(world, "Mental health services review", { notQuoted: ["Bea Marsh", "Raj Bell"] });
    const reply = await c.evaluator.say("answers");
    expect(reply.error).toBeUndefined();
    const text = textOf(reply.private);
    for (const name of NAMES) expect(text).not.toContain(name);
    for (const [person] of c.people) expect(text).not.toContain(person.id);

    // Seven answered; five may be quoted: four experts (five were asked: their role is shown), one professional (two asked: "Someone").
    const secret = world.ctx.settings.answerSecret;
    const id = (i: number) => pseudonym(secret, c.programme.id, c.people[i]![0].id);
    for (const i of [0, 2, 3, 4]) expect(text).toContain(`${id(i)}, Expert by experience: "Answer ${i} about the waiting room"`);
    expect(text).toContain(`${id(5)}, Someone: "Answer 5 about the waiting room"`);
    for (const i of [1, 6]) {
      expect(text).not.toContain(`Answer ${i} about`);
      expect(text).not.toContain(id(i));
    }
    expect(text).toContain("2 written answers are not shown, because the person did not agree to be quoted");
    expect(text).toContain("Sent to: 7 people");
    expect(codeButtons(reply.private)).toHaveLength(5);
    expect(text).not.toContain('Make this a "you said" item');

    // The Code button opens the choice of codes with the words, and the code is saved.
    const picker = await c.evaluator.press(codeButtons(reply.private)[0]!.call);
    expect(textOf(picker.private)).toContain('"Answer 0 about the waiting room"');
    const form = findForm(picker.private, "coding");
    const input = form.inputs[0]!;
    if (input.kind !== "multi") throw new Error("not a multi-choice");
    const equality = input.options.find((o) => o.label === "SCIE principles: Equality")!.value;
    const saved = await c.evaluator.press(form.submit, { codes: equality });
    expect(textOf(saved.private)).toContain("Saved. This answer has 1 code.");
    expect(await world.prisma.codeAssignment.count({ where: { targetId: c.answers[0]!.id } })).toBe(1);

    // Coding by id an answer whose words may not be quoted: codes can be given, the words stay hidden.
    const hidden = await c.evaluator.say(`code answer ${c.answers[1]!.id}`);
    expect(textOf(hidden.private)).toContain("Codes for this answer");
    expect(textOf(hidden.private)).not.toContain("Answer 1 about");
    expect(textOf(hidden.private)).toContain("The words are not shown, because the person did not agree to be quoted");
    // "code answers" opens the same view.
    expect(textOf((await c.evaluator.say("code answers")).private)).toBe(text);
    expect(await world.prisma.auditEntry.count({ where: { action: "read.answers" } })).toBeGreaterThanOrEqual(2);
  });

  it("leaves the facilitators' view as it was: every written answer by role, with the 'you said' button", async () => {
    const c = await cast(world, "Mental health services review", { notQuoted: ["Bea Marsh"] });
    const reply = await c.facilitator.say("answers");
    const text = textOf(reply.private);
    expect(text).toContain('Expert by experience: "Answer 1 about the waiting room"');
    expect(text).not.toContain("p-");
    expect(findButton(reply.private, 'Make this a "you said" item')).toBeDefined();
    expect(codeButtons(reply.private)).toHaveLength(7);
    // The facilitator's Code button still shows the words.
    expect(textOf((await c.facilitator.say(`code answer ${c.answers[1]!.id}`)).private)).toContain("Answer 1 about");
  });

  it("shows evaluators no words from an anonymous set of questions", async () => {
    const c = await cast(world);
    await world.prisma.promptSeries.updateMany({ where: { programmeId: c.programme.id }, data: { anonymous: true } });
    const text = textOf((await c.evaluator.say("answers")).private);
    expect(text).not.toContain("about the waiting room");
    expect(text).toContain("7 written answers are not shown");
    expect(text).toContain("No written answers can be shown");
  });

  it("is refused to people taking part", async () => {
    const c = await cast(world);
    const reply = await c.people[0]![0].say("answers");
    expect(reply.error?.code).toBe("not_allowed");
  });
});
