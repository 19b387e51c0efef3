import { describe, expect, it } from "vitest";
import { bars, stageBars, weeklyLines } from "../../../src/digest/charts.ts";

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const participation = [
  { week: "2 Nov", series: "Expert by experience", value: 4 },
  { week: "9 Nov", series: "Expert by experience", value: 6 },
  { week: "16 Nov", series: "Expert by experience", value: null },
  { week: "23 Nov", series: "Expert by experience", value: 5 },
  { week: "2 Nov", series: "Professional", value: 7 },
  { week: "9 Nov", series: "Professional", value: 8 },
  { week: "16 Nov", series: "Professional", value: 6 },
  { week: "23 Nov", series: "Professional", value: 9 },
];

describe("the digest's charts", () => {
  it("draws participation over the weeks as a PNG whose alt text says every number, and says where a figure is hidden", async () => {
    const chart = await weeklyLines("People taking part, by role", participation, { yTitle: "People" });
    expect(chart.png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(pngSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
    expect(chart.width).toBeGreaterThan(600);
    expect(chart.height).toBeGreaterThan(300);
    // Small enough to sit in a chat message's outbox row.
    expect(chart.png.length).toBeLessThan(60_000);
    expect(chart.alt).toContain("over 4 weeks");
    expect(chart.alt).toContain("Expert by experience 4, 6, hidden, 5");
    expect(chart.alt).toContain("Professional 7, 8, 6, 9");
    expect(chart.alt).toMatch(/hidden means fewer people .* gap/i);
    expect(chart.table.head).toEqual(["Week starting", "Expert by experience", "Professional"]);
    expect(chart.table.rows[2]).toEqual(["16 Nov", "hidden", "6"]);
  });

  it("says nothing about hidden figures when none are hidden", async () => {
    const chart = await weeklyLines("Time to a first reply", [{ week: "2 Nov", series: "Median days", value: 1.5 }], { yTitle: "Days" });
    expect(chart.alt).toBe("Time to a first reply over 1 week (2 Nov): Median days 1.5.");
  });

  it("draws the idea funnel as labelled bars in the order given", async () => {
    const chart = await bars("Ideas", [{ label: "Ideas raised", value: 12 }, { label: "Ideas replied to", value: 9 }, { label: "Said it answered them", value: null }], { xTitle: "Number" });
    expect(chart.png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(chart.alt).toMatch(/^Ideas: Ideas raised 12, Ideas replied to 9, Said it answered them hidden\. Hidden means/);
    expect(chart.table.rows).toEqual([["Ideas raised", "12"], ["Ideas replied to", "9"], ["Said it answered them", "hidden"]]);
  });

  it("draws 0 to 10 answers by stage, a bar per group", async () => {
    const chart = await stageBars("Confidence by stage", [
      { stage: "Baseline", series: "Expert by experience", value: 4.5 },
      { stage: "End", series: "Expert by experience", value: 7 },
      { stage: "Baseline", series: "Professional", value: 6 },
      { stage: "End", series: "Professional", value: null },
    ], { yTitle: "Average answer", max: 10 });
    expect(pngSize(chart.png).width).toBe(chart.width);
    expect(chart.alt).toContain("Baseline: Expert by experience 4.5, Professional 6; End: Expert by experience 7, Professional hidden.");
  });

  it("draws the same picture every time: the font ships with wesaid, no system font is read", async () => {
    const first = await bars("Ideas", [{ label: "Ideas raised", value: 3 }], { xTitle: "Number" });
    const second = await bars("Ideas", [{ label: "Ideas raised", value: 3 }], { xTitle: "Number" });
    expect(first.png.equals(second.png)).toBe(true);
  });
});
