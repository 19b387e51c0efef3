import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogueFiles } from "../../scripts/readability.ts";
import { z } from "zod";
import { parseInput } from "../../src/validation.ts";

/** Every platform marks an optional field itself ("(optional)" on Slack and the playground): a label must not say it again. */
describe("form labels", () => {
  it("never say a field is optional: the platforms do", () => {
    const doubled: string[] = [];
    for (const file of catalogueFiles()) {
      const source = readFileSync(file.path, "utf8");
      for (const match of source.matchAll(/label: "([^"]*)"/g)) {
        if (/\(optional\)|leave (this|it)? ?empty|can leave/i.test(match[1]!)) doubled.push(`${file.name}: ${match[1]}`);
      }
    }
    expect(doubled).toEqual([]);
  });

  it("never show the code's own words when a choice is not one of those offered", () => {
    let sentence = "";
    try {
      parseInput(z.object({ answered: z.enum(["yes", "partly", "no"]) }), { answered: "maybe" }, { answered: "Does this answer what you said?" });
    } catch (error) {
      sentence = (error as Error).message;
    }
    expect(sentence).toContain('Please choose one of the answers for "Does this answer what you said?".');
    expect(sentence).not.toMatch(/must be one of|yes, partly, no/);
  });
});
