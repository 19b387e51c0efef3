import { describe, expect, it, vi } from "vitest";
import { latest, startPlayground, textOfEntry } from "./playground.ts";
import { DEMO_HISTORY } from "../../src/demo/seed.ts";
import { inductionText } from "../../src/induction/index.ts";
import { PERSONAS } from "../../adapters/local/personas.ts";

/**
 * The demo's made-up weeks of history: the evaluator's first digest has real figures and charts. Riley joined
 * yesterday, after things had happened: their introduction is under way; the rest of the cast was there from the start.
 */

const STEP_TITLES = [/: what it is for$/, new RegExp(`^${inductionText.decidedTitle}$`), new RegExp(`^${inductionText.ideasTitle}$`), new RegExp(`^${inductionText.comingTitle}$`)];
/** The introduction's messages in someone's direct messages, as step numbers in the order they came. */
const stepsIn = (entries: { message?: { summary: string } }[]) =>
  entries.flatMap((e) => {
    const step = STEP_TITLES.findIndex((t) => t.test(e.message?.summary ?? ""));
    return step < 0 ? [] : [step];
  });

// Skipping a week runs the whole scheduler many times over; give it room on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

describe("the demo's history", () => {
  it("gives the evaluator a weekly summary with figures by role and charts over the demo's weeks, once; Riley, who joined late, gets the introduction in order", async () => {
    const p = await startPlayground();
    try {
      const started = performance.now();
      expect((await p.post("/playground/demo", {})).status).toBe(200);
      console.log(`the demo loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      // Riley had the first message of the introduction yesterday; nobody else is a late joiner.
      expect(stepsIn(await p.view("newcomer"))).toEqual([0]);
      expect(textOfEntry(latest(await p.view("newcomer"), "what it is for"))).toContain("You joined after the programme started");
      await p.skip("week");
      const riley = await p.view("newcomer");
      expect(stepsIn(riley)).toEqual([0, 1, 2, 3]);
      expect(textOfEntry(latest(riley, inductionText.decidedTitle))).toContain("We now pay travel costs on the day you come");
      expect(textOfEntry(latest(riley, inductionText.comingTitle))).toContain("Art for wellbeing");
      for (const persona of PERSONAS.filter((x) => x.key !== "newcomer")) expect(stepsIn(await p.view(persona.key))).toEqual([]);
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
