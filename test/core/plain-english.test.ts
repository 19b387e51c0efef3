import { describe, expect, it } from "vitest";
import { measure, measureCatalogue, JARGON } from "../../scripts/readability.ts";

// Every sentence a participant reads lives in a catalogue: src/<loop>/catalogue.ts, or src/messages/catalogue for shared words. NHS
// guidance aims at a reading age of about 9: short sentences, common words.
describe("the message catalogue is in plain English", () => {
  const reports = measureCatalogue();

  it("covers every feature's catalogue", () => {
    expect(reports.map((r) => r.file)).toEqual(expect.arrayContaining(["people.ts", "prompts.ts", "feedback.ts", "tasters.ts", "panels.ts", "digest.ts"]));
    for (const r of reports) expect(r.sentences, r.file).toBeGreaterThan(5);
  });

  it.each(reports.map((r) => [r.file, r] as const))("%s: Flesch-Kincaid grade 5 or below, no sentence over 25 words", (_file, r) => {
    expect(r.grade).toBeLessThanOrEqual(5);
    expect(r.longestWords, r.longest).toBeLessThanOrEqual(25);
  });

  it("uses none of the jargon the evaluations warn about", () => {
    expect(reports.flatMap((r) => r.jargon.map((j) => `${r.file}: ${j}`))).toEqual([]);
  });

  it("would notice hard text (the measure itself works)", () => {
    const hard = measure(
      "hard.ts",
      `export const t = "Stakeholders should utilise the aforementioned deliverables to operationalise multidisciplinary commissioning frameworks, notwithstanding organisational considerations and interdependencies across the integrated care system.";`,
    );
    expect(hard.grade).toBeGreaterThan(12);
    expect(hard.jargon).toEqual(expect.arrayContaining(["utilise", "aforementioned", "stakeholder", "deliverable"]));
    expect(JARGON).toContain("outputs");
  });
});
