import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TestPerson, World, findButton, textOf } from "../../support/world.ts";
import { TERMS, lookUp, normalise } from "../../../src/glossary/index.ts";
import { FRAMEWORKS } from "../../../src/frameworks.ts";
import { JARGON, measure } from "../../../scripts/readability.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("what is <word>", () => {
  it("explains the word from the NDTi evaluation that people did not understand, in any way they ask", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    for (const asked of ["what is outputs", "what are outputs?", "What does 'outputs' mean?", "what's an output", "define Outputs"]) {
      const words = textOf((await jo.say(asked)).private);
      expect(words, asked).toContain("The things a project makes or does");
    }
  });

  it("explains a framework and one of its steps, and says where it comes from", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ladder = textOf((await jo.say("what is the ladder of participation")).private);
    expect(ladder).toContain("Consultation: People are asked what they think, but others decide.");
    expect(ladder).toContain("Co:Create evaluation");
    const step = textOf((await jo.say("what is discover")).private);
    expect(step).toContain("Find out what is going on");
    expect(step).toContain("one step of the Double Diamond");
    // A word that is also the ladder's top rung gets its own meaning first, then the rung.
    const both = textOf((await jo.say("what is co-production")).private);
    expect(both.indexOf("work as equals")).toBeGreaterThan(-1);
    expect(both.indexOf("work as equals")).toBeLessThan(both.indexOf("one step of the Ladder of participation"));
  });

  it("offers close words when a word is misspelt, as buttons that work, and never a dead end", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const reply = (await jo.say("what is outcoms")).private;
    expect(textOf(reply)).toContain('Sorry, we do not have "outcoms" in our list of words yet.');
    expect(textOf(reply)).toContain("ask your facilitator");
    const meant = (await jo.press(findButton(reply, "Outcomes").call)).private;
    expect(textOf(meant)).toContain("What changes for people because of the work.");
    const nothing = textOf((await jo.say("what is zzzzqqq")).private);
    expect(nothing).not.toContain("Did you mean");
    expect(textOf((await jo.say("what is")).private)).toContain("Which word would you like explained?");
  });

  it("lists every word and framework step, and someone in no programme may ask too", async () => {
    // Someone who has joined nothing: the glossary needs no programme.
    const stranger = new TestPerson(world, "", "U-stranger", "local", "", "C-nowhere");
    const list = textOf((await stranger.say("glossary")).private);
    for (const term of TERMS) expect(list).toContain(term.term);
    for (const item of FRAMEWORKS.flatMap((f) => f.items)) expect(list).toContain(item.name);
    expect(textOf((await stranger.say("what is ICB")).private)).toContain("Integrated Care Board");
  });

  it("is in help", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    expect(textOf((await jo.say("help")).private)).toContain("what is <word>");
  });
});

describe("the glossary's data", () => {
  it("finds every word by its name and by every other name it has", () => {
    for (const term of TERMS) {
      for (const name of [term.term, ...(term.also ?? [])]) {
        const found = lookUp(name).found;
        expect(found?.kind === "term" && found.term.term, name).toBe(term.term);
      }
    }
    for (const item of FRAMEWORKS.flatMap((f) => f.items)) expect(lookUp(item.name).found, item.name).not.toBeNull();
  });

  it("has one meaning per word: no name is used twice", () => {
    const owner = new Map<string, string>();
    for (const term of TERMS) {
      for (const name of new Set([term.term, ...(term.also ?? [])].map((n) => normalise(n).replace(/[\s-]+/g, "")))) {
        expect(owner.get(name), `${name} is used by ${owner.get(name)} and ${term.term}`).toBeUndefined();
        owner.set(name, term.term);
      }
    }
  });

  it("explains every word on the jargon list that readability warns about", () => {
    for (const word of JARGON.filter((w) => !["utilise", "utilize", "leverage", "synergy", "paradigm", "facilitate", "commence", "endeavour", "aforementioned", "herein", "pursuant", "onboarding", "actioned", "cohort", "modality", "granular"].includes(w))) {
      expect(lookUp(word).found, word).not.toBeNull();
    }
  });

  it("keeps its meanings in plain English: short sentences, grade 6 or below, jargon only where it is itself explained", () => {
    const explained = new Set(TERMS.flatMap((t) => [t.term, ...(t.also ?? [])]).map((n) => normalise(n)));
    const meanings = [...TERMS.map((t) => t.meaning), ...FRAMEWORKS.flatMap((f) => [f.about, ...f.items.map((i) => i.meaning)])];
    const report = measure("glossary", meanings.map((m) => `export const x = ${JSON.stringify(m)};`).join("\n"));
    expect(report.longestWords, report.longest).toBeLessThanOrEqual(25);
    expect(report.grade).toBeLessThanOrEqual(6);
    const unexplained = report.jargon.filter((j) => !explained.has(j) && !explained.has(`${j}s`));
    expect(unexplained).toEqual([]);
  });
});
