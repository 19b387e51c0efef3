import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { artifactPath, browserAvailable, launchBrowser, onlyAllow } from "../support/browser.ts";
import { parse } from "csv-parse/sync";
import { latest, startPlayground, type PlaygroundClient } from "./playground.ts";
import { beAs, goTo, message, openPage, skipAhead, waitForStatus } from "./page.ts";

/** The weekly digest's charts in the playground, in a real headless Chromium. */
let playground: PlaygroundClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let refused: string[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  [playground, browser] = await Promise.all([startPlayground(), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Europe/London" });
  page = await context.newPage();
  refused = await onlyAllow(page, playground.url);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await playground?.stop();
});

// Skipping a week runs the whole scheduler many times over; give it room on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

describe("the digest's charts in the playground's feed", () => {
  it("the evaluator's weekly summary carries its charts as PNG image blocks with alt text, and its link", async () => {
    const p = await startPlayground();
    try {
      expect((await p.post("/playground/demo", {})).status).toBe(200);
      await p.skip("week");
      const digest = latest(await p.view("evaluator"), /weekly summary for the week from/);
      const blocks = digest.message!.blocks;
      const images = blocks.filter((b) => b.kind === "image");
      expect(images.length).toBeGreaterThanOrEqual(2);
      for (const image of images) {
        expect(Buffer.from(image.png, "base64").subarray(1, 4).toString()).toBe("PNG");
        expect(image.alt).toMatch(/\d/);
      }
      const link = blocks.find((b) => b.kind === "link");
      expect(link?.kind === "link" && link.url.startsWith(`${p.url}/digests/`)).toBe(true);

      // Its web page is HTML with no names; its export button puts the week's answers as a CSV in the presser's own feed.
      const html = await fetch(link!.kind === "link" ? link!.url : "");
      expect(html.headers.get("content-type")).toContain("text/html");
      const body = await html.text();
      const names = (await p.app.database.prisma.person.findMany({ select: { displayName: true } })).map((x) => x.displayName).filter((n) => n.length > 3);
      for (const name of names) expect(body).not.toContain(name);
      expect((await p.press("evaluator", digest, "Export answers (CSV)")).status).toBe(200);
      const entry = latest(await p.view("evaluator"), "Your export of");
      const block = entry.message!.blocks.findIndex((b) => b.kind === "file");
      const file = await fetch(`${p.url}/playground/files/${entry.id}/${block}?persona=evaluator`);
      expect(file.headers.get("content-disposition")).toMatch(/filename="wesaid-answers-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"/);
      const rows = parse(Buffer.from(await file.arrayBuffer()).toString("utf8"), { bom: true }) as string[][];
      expect(rows[0]).toEqual(expect.arrayContaining(["answer_id", "question", "role"]));
      expect((await fetch(`${p.url}/playground/files/${entry.id}/${block}?persona=expert`)).status).toBe(404);
    } finally {
      await p.stop();
    }
  });
});

describe.skipIf(!browserAvailable)("the digest's charts in the playground", () => {
  it("shows the evaluator's weekly summary with its charts as pictures with alt text, and opens its web page", async () => {
    await openPage(page, playground.url, "facilitator");
    await page.getByRole("button", { name: "Load the demo" }).click();
    await waitForStatus(page, "is ready");
    await beAs(page, "evaluator");
    await goTo(page, "Direct messages");
    await skipAhead(page, "1 week");
    const digest = await message(page, /weekly summary for the week from 2 March 2026/);

    const chart = digest.getByRole("img", { name: /People taking part, by role over \d+ weeks?/ });
    await chart.waitFor();
    // The picture really loaded (the playground's Content-Security-Policy allows data: images).
    expect(await chart.evaluate((img: any) => img.complete && img.naturalWidth)).toBeGreaterThan(600);
    expect(await digest.locator("figure figcaption").allTextContents()).toContain("People taking part, by role");
    await digest.screenshot({ path: artifactPath("playground", "08-digest-charts") });

    const [webPage] = await Promise.all([context.waitForEvent("page"), digest.getByRole("link", { name: /Open this summary as a web page/ }).click()]);
    await webPage.waitForLoadState();
    expect(await webPage.getByRole("heading", { level: 1 }).textContent()).toMatch(/weekly summary for the week from 2 March 2026/);
    expect(await webPage.getByRole("img", { name: /People taking part, by role/ }).count()).toBe(1);
    expect(await webPage.getByRole("table", { name: /The numbers in "People taking part, by role"/ }).count()).toBe(1);
    expect(refused).toEqual([]);
  });
});
