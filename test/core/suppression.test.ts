import { describe, expect, it } from "vitest";
import {
  OTHER_ROLES,
  allRolesFigure,
  breakdown,
  countBreakdown,
  groupRoles,
  labelQuotes,
  publishCounts,
  publishValues,
  type RawQuote,
} from "../../src/suppression.ts";
import type { Role } from "../../src/roles.ts";

describe("grouping roles for a breakdown", () => {
  it("shows a group of exactly 5 and hides a group of 4", () => {
    expect(publishCounts(groupRoles({ expert_by_experience: 5 }, 5))).toEqual([{ label: "Expert by experience", people: 5, hidden: false }]);
    expect(publishCounts(groupRoles({ expert_by_experience: 4 }, 5))).toEqual([{ label: OTHER_ROLES, people: null, hidden: true }]);
  });

  it("merges two small groups that together reach 5 into Other roles, and shows it", () => {
    const groups = groupRoles({ commissioner: 3, professional: 2, expert_by_experience: 9 }, 5);
    expect(groups).toEqual([
      { label: "Expert by experience", roles: ["expert_by_experience"], people: 9, hidden: false },
      { label: OTHER_ROLES, roles: ["commissioner", "professional"], people: 5, hidden: false },
    ]);
  });

  it("hides everything when every group is small and together still below 5", () => {
    const rows = publishCounts(groupRoles({ commissioner: 1, professional: 2, expert_by_experience: 1 }, 5));
    expect(rows).toEqual([{ label: OTHER_ROLES, people: null, hidden: true }]);
  });

  it("shows zero counts for roles that were asked, and leaves out roles that were not", () => {
    const rows = publishCounts(groupRoles({ expert_by_experience: 6 }, 5, ["commissioner", "expert_by_experience"]));
    expect(rows).toEqual([
      { label: "Commissioner", people: 0, hidden: false },
      { label: "Expert by experience", people: 6, hidden: false },
    ]);
  });

  it("follows the configured threshold", () => {
    expect(publishCounts(groupRoles({ professional: 3 }, 3))).toEqual([{ label: "Professional", people: 3, hidden: false }]);
    expect(publishCounts(groupRoles({ professional: 3 }, 10))).toEqual([{ label: OTHER_ROLES, people: null, hidden: true }]);
  });
});

describe("figures for groups", () => {
  type Answer = { person: string; role: Role; score: number };
  const answers: Answer[] = [
    ...["a", "b", "c", "d", "e"].map((person, i) => ({ person, role: "expert_by_experience" as Role, score: 5 + i })),
    { person: "f", role: "commissioner", score: 1 },
    { person: "g", role: "professional", score: 2 },
  ];
  const mean = (list: Answer[]) => list.reduce((s, a) => s + a.score, 0) / list.length;

  it("gives a hidden group no count and no figure, and gives no all-roles figure beside it", () => {
    const result = breakdown(answers, { roleOf: (a) => a.role, personOf: (a) => a.person, minGroupSize: 5, summarise: mean });
    expect(result.rows).toEqual([
      { label: "Expert by experience", people: 5, hidden: false, value: 7 },
      { label: OTHER_ROLES, people: null, hidden: true, value: null },
    ]);
    // The all-roles average minus the experts' would give the hidden pair's answers away.
    expect(result.allRoles).toBeNull();
  });

  it("works out a merged group's figure over all of its roles together", () => {
    const more = [...answers, ...["h", "i", "j"].map((person) => ({ person, role: "commissioner" as Role, score: 3 }))];
    const groups = groupRoles({ expert_by_experience: 5, commissioner: 4, professional: 1 }, 5);
    const rows = publishValues(groups, (roles) => mean(more.filter((a) => roles.includes(a.role))));
    expect(rows[1]).toEqual({ label: OTHER_ROLES, people: 5, hidden: false, value: (1 + 2 + 3 * 3) / 5 });
    expect(allRolesFigure(groups, () => mean(more))).toBeCloseTo(mean(more));
  });

  it("counts people, not answers: one person answering five times is one person", () => {
    const repeated = Array.from({ length: 5 }, () => ({ person: "same", role: "professional" as Role }));
    expect(countBreakdown(repeated, { roleOf: (a) => a.role, personOf: (a) => a.person, minGroupSize: 5 })).toEqual([{ label: OTHER_ROLES, people: null, hidden: true }]);
  });
});

describe("quotes", () => {
  const quote = (speaker: string, role: Role, text = `words of ${speaker}`): RawQuote => ({ speaker, role, text, source: "How did it go?" });

  it("labels a role's quotes by role when 5 or more of that role are quoted", () => {
    const set = labelQuotes(["a", "b", "c", "d", "e"].map((s) => quote(s, "expert_by_experience")), 5);
    expect(set.withheld).toBe(false);
    expect(set.quotes.map((q) => q.label)).toEqual(Array(5).fill("Expert by experience"));
  });

  it("labels quotes from a role below the threshold as Other roles", () => {
    const set = labelQuotes([...["a", "b", "c", "d", "e"].map((s) => quote(s, "expert_by_experience")), quote("f", "commissioner", "from the only commissioner")], 5);
    expect(set.quotes.find((q) => q.text === "from the only commissioner")?.label).toBe(OTHER_ROLES);
    expect(set.quotes.filter((q) => q.label === "Expert by experience")).toHaveLength(5);
    // Other roles come last, so the order does not follow who spoke when.
    expect(set.quotes.at(-1)?.label).toBe(OTHER_ROLES);
  });

  it("withholds every quote when fewer than 5 people are quoted in all", () => {
    const set = labelQuotes(["a", "b", "c", "d"].map((s) => quote(s, "expert_by_experience")), 5);
    expect(set).toEqual({ withheld: true, quotes: [] });
    const oneVoice = labelQuotes(Array.from({ length: 6 }, (_, i) => quote("same", "professional", `point ${i}`)), 5);
    expect(oneVoice.withheld).toBe(true);
  });

  it("shows quotes from four small roles that together reach 5 speakers, all as Other roles", () => {
    const set = labelQuotes([quote("a", "commissioner"), quote("b", "commissioner"), quote("c", "professional"), quote("d", "professional"), quote("e", "facilitator")], 5);
    expect(set.withheld).toBe(false);
    expect(new Set(set.quotes.map((q) => q.label))).toEqual(new Set([OTHER_ROLES]));
  });

  it("never publishes who spoke", () => {
    const set = labelQuotes(["p-1", "p-2", "p-3", "p-4", "p-5"].map((s) => quote(s, "expert_by_experience", "same words")), 5);
    expect(JSON.stringify(set)).not.toContain("p-1");
    expect(Object.keys(set.quotes[0]!)).toEqual(["label", "text", "source"]);
  });

  it("is not withheld when there is nothing to quote", () => {
    expect(labelQuotes([], 5)).toEqual({ withheld: false, quotes: [] });
  });
});
