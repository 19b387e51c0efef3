import { describe, expect, it } from "vitest";
import {
  ALL_ROLES,
  allRolesFigure,
  breakdown,
  answerLabeller,
  countBreakdown,
  groupRoles,
  labelQuotes,
  publishCounts,
  publishTotal,
  publishValues,
  ROLE_NOT_KEPT,
  SOMEONE,
  totalPeople,
  type RawQuote,
} from "../../src/suppression.ts";
import type { Role } from "../../src/roles.ts";

const together = (people: number | null) => ({ label: ALL_ROLES, people, hidden: people === null });

describe("grouping roles for a breakdown", () => {
  it("shows a group of exactly 5 and hides a group of 4", () => {
    expect(publishCounts(groupRoles({ expert_by_experience: 5 }, 5))).toEqual([{ label: "Expert by experience", people: 5, hidden: false }]);
    expect(publishCounts(groupRoles({ expert_by_experience: 4 }, 5))).toEqual([together(null)]);
  });

  it("shows every role when each has 5 or more, with rows of 0 for roles asked", () => {
    const groups = groupRoles({ expert_by_experience: 9, professional: 5 }, 5, ["commissioner", "expert_by_experience", "professional"]);
    expect(publishCounts(groups)).toEqual([
      { label: "Commissioner", people: 0, hidden: false },
      { label: "Expert by experience", people: 9, hidden: false },
      { label: "Professional", people: 5, hidden: false },
    ]);
    expect(totalPeople(groups)).toBe(14);
  });

  it("shows no role at all when any role has 1 to 4, so nothing can be subtracted or split", () => {
    // Old rule: "Expert 9, Professional 5, Other roles: fewer than 5" beside a total of 15 gave the commissioner away.
    const groups = groupRoles({ commissioner: 1, professional: 5, expert_by_experience: 9 }, 5, ["commissioner", "expert_by_experience", "professional", "facilitator"]);
    expect(publishCounts(groups)).toEqual([together(15)]);
    expect(totalPeople(groups)).toBe(15);
    // Two roles of 4 put together as "Other roles" beside the rest could only be split one way (4 and 4).
    expect(publishCounts(groupRoles({ commissioner: 4, professional: 4, expert_by_experience: 9 }, 5))).toEqual([together(17)]);
  });

  it("shows nothing but 'fewer than 5', not even rows of 0 or a total, when fewer than 5 people in all", () => {
    const groups = groupRoles({ professional: 3 }, 5, ["commissioner", "expert_by_experience", "professional"]);
    expect(publishCounts(groups)).toEqual([together(null)]);
    expect(totalPeople(groups)).toBeNull();
    const rows = publishCounts(groupRoles({ commissioner: 1, professional: 2, expert_by_experience: 1 }, 5));
    expect(rows).toEqual([together(null)]);
    expect(publishTotal(4, 5)).toBeNull();
    expect(publishTotal(0, 5)).toBe(0);
    expect(publishTotal(5, 5)).toBe(5);
  });

  it("counts answers whose role was not kept as a group of their own", () => {
    const items = [...["a", "b", "c", "d", "e"].map((p) => ({ p, role: null })), { p: "f", role: "commissioner" as Role }];
    const { rows, people } = countBreakdown(items, { roleOf: (i) => i.role, personOf: (i) => i.p, minGroupSize: 5 });
    expect(rows).toEqual([together(6)]);
    expect(people).toBe(6);
    expect(countBreakdown(items.slice(0, 5), { roleOf: (i) => i.role, personOf: (i) => i.p, minGroupSize: 5 }).rows).toEqual([{ label: ROLE_NOT_KEPT, people: 5, hidden: false }]);
  });

  it("follows the configured threshold", () => {
    expect(publishCounts(groupRoles({ professional: 3 }, 3))).toEqual([{ label: "Professional", people: 3, hidden: false }]);
    expect(publishCounts(groupRoles({ professional: 3 }, 10))).toEqual([together(null)]);
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

  it("never shows a figure for fewer than 5: with a small role there is one figure for everyone", () => {
    const result = breakdown(answers, { roleOf: (a) => a.role, personOf: (a) => a.person, minGroupSize: 5, summarise: mean });
    // Experts' 7 beside an all-roles 5.57 would give the commissioner and professional's answers away.
    expect(result.rows).toEqual([{ ...together(7), value: mean(answers) }]);
    expect(result.allRoles).toBe(mean(answers));
    expect(result.people).toBe(7);
  });

  it("gives a hidden breakdown no count, no figure and no all-roles figure", () => {
    const result = breakdown(answers.slice(5), { roleOf: (a) => a.role, personOf: (a) => a.person, minGroupSize: 5, summarise: mean });
    expect(result.rows).toEqual([{ ...together(null), value: null }]);
    expect(result.allRoles).toBeNull();
    expect(result.people).toBeNull();
  });

  it("works out each shown role's figure from its own answers, and the all-roles figure from all", () => {
    const more = [...answers.slice(0, 5), ...["h", "i", "j", "k", "l"].map((person) => ({ person, role: "commissioner" as Role, score: 3 }))];
    const groups = groupRoles({ expert_by_experience: 5, commissioner: 5 }, 5);
    const rows = publishValues(groups, (roles) => mean(more.filter((a) => roles.includes(a.role))));
    expect(rows).toEqual([
      { label: "Commissioner", people: 5, hidden: false, value: 3 },
      { label: "Expert by experience", people: 5, hidden: false, value: 7 },
    ]);
    expect(allRolesFigure(groups, () => mean(more))).toBe(5);
  });

  it("counts people, not answers: one person answering five times is one person", () => {
    const repeated = Array.from({ length: 5 }, () => ({ person: "same", role: "professional" as Role }));
    expect(countBreakdown(repeated, { roleOf: (a) => a.role, personOf: (a) => a.person, minGroupSize: 5 })).toEqual({ rows: [together(null)], people: null });
  });
});

describe("quotes", () => {
  const quote = (speaker: string, role: Role, text = `words of ${speaker}`): RawQuote => ({ speaker, role, text, source: "How did it go?" });

  it("labels a role's quotes by role when 5 or more of that role are quoted", () => {
    const set = labelQuotes(["a", "b", "c", "d", "e"].map((s) => quote(s, "expert_by_experience")), 5);
    expect(set.withheld).toBe(false);
    expect(set.quotes.map((q) => q.label)).toEqual(Array(5).fill("Expert by experience"));
  });

  it("says Someone on every quote when any quoted role has fewer than 5 people", () => {
    const experts = ["a", "b", "c", "d", "e"].map((s) => quote(s, "expert_by_experience"));
    const set = labelQuotes([...experts, quote("f", "commissioner", "from the only commissioner")], 5);
    expect(new Set(set.quotes.map((q) => q.label))).toEqual(new Set([SOMEONE]));
    const professionals = ["p", "q", "r", "s", "t"].map((s) => quote(s, "professional"));
    expect(new Set(labelQuotes([...experts, ...professionals], 5).quotes.map((q) => q.label))).toEqual(new Set(["Expert by experience", "Professional"]));
  });

  it("withholds every quote when fewer than 5 people are quoted in all", () => {
    const set = labelQuotes(["a", "b", "c", "d"].map((s) => quote(s, "expert_by_experience")), 5);
    expect(set).toEqual({ withheld: true, quotes: [] });
    const oneVoice = labelQuotes(Array.from({ length: 6 }, (_, i) => quote("same", "professional", `point ${i}`)), 5);
    expect(oneVoice.withheld).toBe(true);
  });

  it("shows quotes from four small roles that together reach 5 speakers, all as Someone", () => {
    const set = labelQuotes([quote("a", "commissioner"), quote("b", "commissioner"), quote("c", "professional"), quote("d", "professional"), quote("e", "facilitator")], 5);
    expect(set.withheld).toBe(false);
    expect(new Set(set.quotes.map((q) => q.label))).toEqual(new Set([SOMEONE]));
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

describe("single answers", () => {
  it("name a role only where 5 or more of it were asked, and say Someone otherwise or when the role was not kept", () => {
    const label = answerLabeller({ expert_by_experience: 5, commissioner: 4 }, 5);
    expect(label("expert_by_experience")).toBe("Expert by experience");
    expect(label("commissioner")).toBe(SOMEONE);
    expect(label("professional")).toBe(SOMEONE);
    expect(label(null)).toBe(SOMEONE);
  });
});
