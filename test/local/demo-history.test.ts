import { describe, expect, it, vi } from "vitest";
import { latest, startPlayground, textOfEntry } from "./playground.ts";
import { DEMO_HISTORY } from "../../src/demo/seed.ts";

/** The demo's made-up weeks of history: the evaluator's first digest has real figures and charts. */

// Skipping a week runs the whole scheduler many times over; give it room on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

describe("the demo's history", () => {
  it("gives the evaluator a weekly summary with figures by role and charts over the demo's weeks, and only one summary", async () => {
    const p = await startPlayground();
    try {
      const started = performance.now();
      expect((await p.post("/playground/demo", {})).status).toBe(200);
      console.log(`the demo loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await p.skip("week");
      const entries = await p.view("evaluator");
      const summaries = entries.filter((e) => /weekly summary for the week from/.test(textOfEntry(e)));
      expect(summaries).toHaveLength(1);
      const digest = latest(entries, /weekly summary for the week from/);
      const images = digest.message!.blocks.filter((b) => b.kind === "image");
      expect(images.length).toBeGreaterThanOrEqual(2);
      const weeksShown = Math.max(...images.map((i) => Number((i.kind === "image" && /over (\d+) weeks/.exec(i.alt)?.[1]) || 0)));
      expect(weeksShown).toBeGreaterThanOrEqual(DEMO_HISTORY.weeks - 1);

      const stored = await p.app.database.prisma.digest.findMany({ orderBy: { weekStart: "desc" } });
      expect(stored.length).toBeGreaterThanOrEqual(DEMO_HISTORY.weeks);
      const data = stored[0]!.data as { participation: { people: number | null; byRole: { hidden: boolean; people: number | null }[] } };
      expect(data.participation.people).toBeGreaterThanOrEqual(5);
      expect(data.participation.byRole.some((r) => !r.hidden && (r.people ?? 0) >= 5)).toBe(true);
    } finally {
      await p.stop();
    }
  });
});
