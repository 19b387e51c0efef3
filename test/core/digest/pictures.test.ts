import { describe, expect, it } from "vitest";
import { chartsFor, participationPoints, stageChangePoints, weDidTimePoints } from "../../../src/digest/pictures.ts";
import type { DigestData, TrendPoint } from "../../../src/digest/data.ts";

/** The digest's trend and stage figures become charts: what the charts say is what the digest holds. */

const week = (n: number) => new Date(Date.UTC(2026, 2, 2 + 7 * n)).toISOString();
const point = (n: number, over: Partial<TrendPoint>): TrendPoint => ({
  weekStart: week(n),
  participationByRole: { commissioner: null, expert_by_experience: 5 + n, professional: null, facilitator: null, evaluator: null, admin: null, all: 8 + n },
  newIdeas: 1,
  openIdeas: 2,
  overdueIdeas: 0,
  waitingForFirstReply: 0,
  medianDaysToFirstReply: 2,
  medianDaysToWeDid: null,
  p90DaysToWeDid: null,
  weDidAnsweredYesShare: null,
  coOwnedShare: null,
  tastersAttended: 0,
  panelAttendanceRate: null,
  debriefRate: null,
  responseRate: null,
  ...over,
});

function digest(): DigestData {
  return {
    weekStart: week(3),
    participation: { byRole: [] },
    feedback: { newItems: 4, firstResponse: { responded: 3, medianHours: 30 }, updatesPosted: 2, reactions: { yes: 1, partly: 0, no: 0 } },
    trend: [point(0, {}), point(1, { medianDaysToWeDid: 9, p90DaysToWeDid: 20 }), point(2, {}), point(3, { medianDaysToWeDid: 6.5, p90DaysToWeDid: 12 })],
    stages: {
      changes: [
        {
          question: "How much do you know about how services are planned?",
          min: 0,
          max: 10,
          from: "baseline",
          to: "end",
          allRoles: { people: 9, medianChange: 2 },
          byRole: [
            { label: "Expert by experience", people: 6, hidden: false, value: { people: 6, medianChange: 3 } },
            { label: "Other roles", people: null, hidden: true, value: null },
          ],
        },
      ],
      anonymousSeries: [],
    },
  } as unknown as DigestData;
}

describe("the digest's trend and stage charts", () => {
  it("takes participation from the weekly trend, every week since the start, hidden groups as gaps", () => {
    const points = participationPoints([digest()]);
    expect(points.filter((p) => p.series === "Expert by experience").map((p) => p.value)).toEqual([5, 6, 7, 8]);
    expect(points.filter((p) => p.series === "All roles together").map((p) => p.value)).toEqual([8, 9, 10, 11]);
    // A role hidden in every week is left out rather than drawn as a line of gaps.
    expect(points.some((p) => p.series === "Commissioner")).toBe(false);
  });

  it("draws the time to \"we did\" (median and 9 in 10) and the change between stages, saying the numbers in alt text", async () => {
    expect(weDidTimePoints(digest()).filter((p) => p.value !== null).map((p) => p.value)).toEqual([9, 20, 6.5, 12]);
    expect(stageChangePoints(digest())).toEqual([
      { stage: expect.stringContaining("(the start to the end)"), series: "Expert by experience", value: 3 },
      { stage: expect.stringContaining("(the start to the end)"), series: "Other roles", value: null },
      { stage: expect.stringContaining("(the start to the end)"), series: "All roles together", value: 2 },
    ]);
    const charts = await chartsFor(digest());
    const titles = charts.map((c) => c.title);
    expect(titles).toEqual(expect.arrayContaining(['Time from an idea to "we did"', "Change in 0 to 10 answers between stages (median per person)"]));
    const weDid = charts.find((c) => c.title.startsWith("Time from an idea"))!;
    expect(weDid.png.subarray(1, 4).toString()).toBe("PNG");
    expect(weDid.alt).toContain("6.5");
    expect(weDid.alt).toContain("12");
    const stages = charts.find((c) => c.title.startsWith("Change in 0 to 10"))!;
    expect(stages.alt).toContain("Expert by experience 3");
    expect(stages.alt).toMatch(/hidden/i);
  }, 60_000);

  it("leaves a chart out when it has nothing to show", async () => {
    const quiet = { ...digest(), trend: [point(0, {})], stages: { changes: [], anonymousSeries: [] } } as DigestData;
    const titles = (await chartsFor(quiet)).map((c) => c.title);
    expect(titles.some((t) => t.startsWith("Time from an idea"))).toBe(false);
    expect(titles.some((t) => t.startsWith("Change in 0 to 10"))).toBe(false);
  }, 60_000);
});
