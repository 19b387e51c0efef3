import { describe, expect, it } from "vitest";
import { APPROACHES, FRAMEWORKS, LADDER_OF_PARTICIPATION, frameworkByKey } from "../../src/frameworks.ts";

describe("frameworks as data", () => {
  it("has unique framework keys and unique entry keys within each framework", () => {
    const keys = FRAMEWORKS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const framework of FRAMEWORKS) {
      const entryKeys = framework.entries.map((e) => e.key);
      expect(new Set(entryKeys).size, framework.key).toBe(entryKeys.length);
      expect(entryKeys.every((k) => /^[a-z][a-z_]*$/.test(k)), framework.key).toBe(true);
    }
  });

  it("describes every framework and entry in a non-empty, short sentence", () => {
    for (const framework of FRAMEWORKS) {
      expect(framework.name.trim(), framework.key).not.toBe("");
      expect(framework.source.trim(), framework.key).not.toBe("");
      expect(framework.description.trim(), framework.key).not.toBe("");
      expect(framework.entries.length, framework.key).toBeGreaterThan(0);
      for (const entry of framework.entries) {
        expect(entry.name.trim(), entry.key).not.toBe("");
        expect(entry.description.trim(), entry.key).toMatch(/\.$/);
        expect(entry.description.length, entry.key).toBeLessThan(160);
      }
    }
  });

  it("holds the lists the evaluations use", () => {
    const names = (key: string) => frameworkByKey(key)?.entries.map((e) => e.name);
    expect(names("double_diamond")).toEqual(["Discover", "Define", "Develop", "Deliver"]);
    expect(names("commissioning")).toEqual(["Analyse", "Plan", "Do", "Review"]);
    expect(names("scie")).toEqual(["Equality", "Diversity", "Accessibility", "Reciprocity"]);
    expect(names("gold_standard")).toEqual(["Holistic", "Resourced", "Transparent", "Inclusive", "Iterative", "Positive", "Equal", "Sustainable"]);
    expect(names("nhse_values")).toHaveLength(5);
    expect(names("gloucestershire")).toHaveLength(5);
    expect(names("cocreate_factors")).toHaveLength(6);
  });

  it("puts each rung of the ladder under doing to, doing for or doing with", () => {
    const byApproach = (approach: string) => LADDER_OF_PARTICIPATION.entries.filter((r) => r.approach === approach).map((r) => r.key);
    expect(byApproach("doing_to")).toEqual(["educating", "informing"]);
    expect(byApproach("doing_for")).toEqual(["consultation", "engagement"]);
    expect(byApproach("doing_with")).toEqual(["co_design", "co_production"]);
    expect(Object.values(APPROACHES).every((a) => a.description.length > 0)).toBe(true);
  });
});
