import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf } from "../../support/world.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import type { Message } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const CONTACTS = "Talk to Sam Jones on 01234 567890, Monday to Friday, 9 to 5. Or ask at the Carers' Centre.";
const NATIONAL = "Samaritans free on 116 123";

describe("support contacts", () => {
  it("are set by the facilitator and offered in the welcome, on asking, in help and when someone pauses", async () => {
    const programme = await world.programme("Carers' support review");
    const fac = programme.facilitator;
    const early = await world.person(programme, "Ann", "expert_by_experience");
    // Before the facilitator writes any, people still get the national numbers, and are told why.
    const before = textOf((await early.say("support")).private);
    expect(before).toContain(NATIONAL);
    expect(before).toContain("has not added their own support contacts yet");
    expect(textOf((await fac.say("support-words")).private)).toContain("No support contacts are set yet");

    expect(textOf((await fac.say(`support-words ${CONTACTS}`)).private)).toContain("Saved.");
    expect(textOf((await fac.say("support-words")).private)).toContain(CONTACTS);

    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const welcome = textOf(jo.inbox().find((m) => m.summary.startsWith("Welcome"))!);
    expect(welcome).toContain("If you need support");
    expect(welcome).toContain(CONTACTS);
    expect(welcome).toContain("not a person");

    expect(textOf((await jo.say("support")).private)).toContain(CONTACTS);
    expect(textOf((await jo.say("help")).private)).toContain("Type support to see who can help.");
    const paused = textOf((await jo.say("pause")).private);
    expect(paused).toContain(CONTACTS);
    expect(paused).toContain(NATIONAL);
  });

  it("only organisers change them; someone in no programme still gets the national numbers", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    expect((await jo.say(`support-words ${CONTACTS}`)).error?.code).toBe("not_allowed");
    expect(textOf((await jo.say("support")).private)).not.toContain(CONTACTS);
    await programme.facilitator.say(`support-words ${CONTACTS}`);
    await programme.facilitator.press({ action: "programme.support_words", args: { programmeId: programme.id, clear: "yes" } });
    expect(textOf((await jo.say("support")).private)).not.toContain(CONTACTS);
  });

  it("come after answers to a set of questions marked as about a hard topic, and only then", async () => {
    const programme = await world.programme("Carers' support review");
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await fac.say(`support-words ${CONTACTS}`);
    const series = await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 1" });

    const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");
    const answer = async () => {
      const msg = jo.inbox().filter(isPrompt).at(-1)!;
      const form = findForm(msg, "prompt");
      return jo.press(form.submit, Object.fromEntries(form.inputs.map((input, i) => [input.id, ["4", "7", "Meeting other carers", ""][i] ?? ""])));
    };

    world.clock.set("2026-03-02T10:00:00Z");
    await world.tick();
    const plain = await answer();
    expect(textOf(plain.replaceSource)).toContain("Your answers are saved");
    expect(textOf(plain.private)).not.toContain(CONTACTS);

    const menu = (await fac.say("prompts")).private;
    expect(textOf(menu)).toContain("Hard topic: No");
    const marked = await fac.press(findButton(menu, "Mark as a hard topic").call);
    expect(textOf(marked.private)).toContain("marked as a hard topic");
    expect(textOf(marked.replaceSource)).toContain("Hard topic: Yes");
    expect(series.id).toBeTruthy();

    world.clock.set("2026-03-09T10:00:00Z");
    await world.tick();
    const hard = await answer();
    expect(textOf(hard.replaceSource)).toContain("Your answers are saved");
    expect(textOf(hard.private)).toContain(CONTACTS);
    expect(textOf(hard.private)).toContain(NATIONAL);

    // An expert by experience cannot mark a set of questions.
    expect((await jo.press({ action: "prompts.series.hard_topic", args: { seriesId: series.id, hard: "no" } })).error?.code).toBe("not_allowed");
  });
});
