import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { artifactPath, browserAvailable, launchBrowser, onlyAllow } from "../support/browser.ts";
import { startPlayground, textOfEntry, type PlaygroundClient } from "./playground.ts";
import { readFileSync } from "node:fs";
import { beAs, contrastFailures, focusIsVisible, goTo, message, openPage, personaName, say, skipAhead, tabTo, waitForStatus, WAIT } from "./page.ts";

/**
 * The playground in a real headless Chromium, clicking through every loop as
 * the people who would do each part. The tests tell one story in order: the
 * demo is loaded first, and each loop builds on what came before.
 */
let playground: PlaygroundClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let refused: string[] = [];
const pageErrors: string[] = [];
let ideaNumber = 0;

async function personasIds(): Promise<string[]> {
  return (await playground.app.database.prisma.platformIdentity.findMany({ where: { externalId: { startsWith: "persona-" } } })).map((i) => i.personId);
}

/** A persona's person id: the demo's made-up history has rows of its own, so checks look at the persona's. */
async function personOf(externalId: string): Promise<string> {
  return (await playground.app.database.prisma.platformIdentity.findFirstOrThrow({ where: { externalId } })).personId;
}

beforeAll(async () => {
  if (!browserAvailable) return;
  [playground, browser] = await Promise.all([startPlayground(), launchBrowser()]);
  // The page sends the browser's zone and a member's zone follows it: the story is told from London.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, timezoneId: "Europe/London" });
  page = await context.newPage();
  refused = await onlyAllow(page, playground.url);
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await playground?.stop();
});

const shot = (name: string, target: Page = page) => target.screenshot({ path: artifactPath("playground", name), fullPage: true });

// Skipping a week runs the whole scheduler many times over; give each step room on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

describe.skipIf(!browserAvailable)("the playground in a browser", () => {
  it("opens as a practice space with landmarks, a live region and nothing from outside", async () => {
    await openPage(page, playground.url, "facilitator");
    await page.getByText("This is a practice space.").waitFor();
    await page.getByText("Nothing here is sent to Slack or Teams").waitFor();
    expect(await page.getByRole("banner").count()).toBe(1);
    expect(await page.getByRole("main").count()).toBe(1);
    expect(await page.getByRole("complementary", { name: "Playground controls" }).count()).toBe(1);
    expect(await page.getByRole("navigation", { name: "Conversations" }).count()).toBe(1);
    expect(await page.locator('[aria-live="polite"]').count()).toBeGreaterThan(0);
    // Nobody has met the facilitator yet: the clock is in this browser's zone, and says which.
    expect(await page.locator("#now").textContent()).toMatch(/Monday, 2 March 2026, 9:00\s?am \(Europe\/London time\)/);
    // Every form control has a label.
    const unlabelled = await page.evaluate(() =>
      (Array.from((globalThis as any).document.querySelectorAll("input, textarea, select")) as any[]).filter((el) => !el.labels?.length && !el.getAttribute("aria-label")).length,
    );
    expect(unlabelled).toBe(0);
    expect(refused).toEqual([]);
  });

  it("lets the facilitator load the demo, and shows the programme's channel", async () => {
    await page.getByRole("button", { name: "Load the demo" }).click();
    await waitForStatus(page, "is ready");
    await goTo(page, "#demo-programme");
    await message(page, "wesaid is now running Young people's mental health (demo)");
    await message(page, "Taster session: Art for wellbeing");
    await message(page, "New idea #1");
    await shot("01-demo-channel");
  });

  it("sends the expert a question set after skipping ahead a day, and takes the answers from the form", async () => {
    await beAs(page, "expert");
    await goTo(page, "Direct messages");
    await skipAhead(page, "1 day");
    expect(await page.locator("#now").textContent()).toContain("Tuesday, 3 March 2026");
    const prompt = await message(page, "How is co-production going?");
    await prompt.getByRole("group", { name: /How much do you know about co-production/ }).getByRole("radio", { name: "6", exact: true }).check();
    await prompt.getByRole("group", { name: /How do you feel about co-production/ }).getByRole("radio", { name: "8", exact: true }).check();
    await prompt.getByRole("textbox", { name: /What has gone well/ }).fill("People listened when I talked about waiting times.");
    await shot("02-prompt-form");
    await prompt.getByRole("button", { name: "Send my answers" }).click();
    await message(page, "Thank you. Your answers are saved.");
    // The form was replaced in place, not added below.
    expect(await page.locator("#messages > li", { hasText: "Send my answers" }).count()).toBe(0);
    // The expert's own answers (the demo's made-up history has answers of its own).
    const stored = await playground.app.database.prisma.promptResponse.findMany({ where: { number: { not: null }, personId: await personOf("persona-expert") } });
    expect(stored.map((r) => r.number).sort()).toEqual([6, 8]);
  });

  it("records an idea, and shows the text exactly as typed, never as markup", async () => {
    await say(page, 'suggest A quiet room at <img src=x onerror="window.hacked=1"> the Hub');
    const thanks = await message(page, /Thank you\. Your idea is #\d+/);
    // Numbered after the demo's ideas and its made-up history's.
    ideaNumber = Number(/Your idea is #(\d+)/.exec((await thanks.textContent()) ?? "")?.[1]);
    expect(ideaNumber).toBe((await playground.app.database.prisma.feedbackItem.count()));
    await goTo(page, "#demo-programme");
    const notice = await message(page, `New idea #${ideaNumber}`);
    expect(await notice.textContent()).toContain('<img src=x onerror="window.hacked=1">');
    expect(await page.locator("#messages img").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();

    // The channel post is the same for everyone: its status and "This matters to me too", no controls for managers.
    await beAs(page, "professional");
    const post = await message(page, `New idea #${ideaNumber}`);
    expect(await post.getByRole("button").allTextContents()).toEqual(["This matters to me too"]);
    await post.getByRole("button", { name: "This matters to me too" }).click();
    await message(page, `Idea #${ideaNumber} matters to you too`);
  });

  it("lets the commissioner post a 'we did' update that the expert sees and answers, using only the keyboard", async () => {
    await page.locator("body").focus();
    await page.evaluate(() => (globalThis as any).document.activeElement?.blur());
    // Priya, by keyboard: into the persona radios, arrow to Priya, then to the text box.
    await tabTo(page, (el) => el.name === "persona");
    expect(await focusIsVisible(page)).toBe(true);
    for (let i = 0; i < 5 && !(await page.getByRole("radio", { name: "Priya (commissioner)" }).isChecked()); i++) await page.keyboard.press("ArrowUp");
    await page.locator("#command-label", { hasText: "Priya" }).waitFor({ timeout: WAIT });
    await tabTo(page, (el) => el.id === "command");
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.type(`update #${ideaNumber} We have set aside a quiet room at the Hub on Tuesdays.`);
    await page.keyboard.press("Enter");
    await message(page, /told|posted/i);
    await message(page, "You said, we did");

    // Sam, by keyboard: back up to the persona radios, down to Sam, over to Direct messages.
    await page.keyboard.press("Shift+Tab");
    for (let i = 0; i < 80 && (await page.evaluate(() => (globalThis as any).document.activeElement?.name)) !== "persona"; i++) await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("ArrowDown");
    await page.locator("#command-label", { hasText: "Sam" }).waitFor({ timeout: WAIT });
    await tabTo(page, (el) => el.text === "Direct messages");
    await page.keyboard.press("Enter");
    const news = await message(page, `News about your idea #${ideaNumber}`);
    expect(await news.textContent()).toContain("We have set aside a quiet room");
    await tabTo(page, (el) => el.text === "Yes, it answers what I said");
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press("Enter");
    await message(page, "We are glad it answers what you said");
    const reaction = await playground.app.database.prisma.feedbackReaction.findFirstOrThrow({ where: { personId: await personOf("persona-expert") } });
    expect(reaction.answered).toBe("yes");
    // Jordan, who pressed "This matters to me too", is told of the "we did" as well.
    const toJordan = (await playground.view("professional")).map(textOfEntry);
    expect(toJordan.some((t) => t.includes(`#${ideaNumber}`) && t.includes("We have set aside a quiet room"))).toBe(true);
    await shot("03-we-did-reaction");
  });

  it("lets a commissioner and an expert own an action together, and asks before it is dropped", async () => {
    await beAs(page, "commissioner");
    await goTo(page, "Direct messages");
    await say(page, "together #1 Try an online meeting next month with @Sam");
    await message(page, /Try an online meeting next month/);
    await beAs(page, "expert");
    const invite = await message(page, "We said, we will do it together");
    expect(await invite.textContent()).toContain("Priya (Commissioner)");
    expect(await invite.textContent()).not.toContain("(commissioner) (Commissioner)");
    await invite.getByRole("button", { name: "Drop it" }).click();
    const check = invite.getByRole("group", { name: "Please confirm" });
    await check.getByText("Drop this action? The other owners can still see it.").waitFor({ timeout: WAIT });
    await check.getByRole("button", { name: "No, go back" }).click();
    expect(await playground.app.database.prisma.coOwnedAction.findFirstOrThrow({ where: { title: { contains: "Try an online meeting" } } })).toMatchObject({ status: "open" });
    await invite.getByRole("button", { name: "It is done" }).click();
    await message(page, /Try an online meeting next month" is marked as done/);
    await playground.app.core.flush();
    expect(await playground.app.database.prisma.coOwnedAction.findFirstOrThrow({ where: { title: { contains: "Try an online meeting" } } })).toMatchObject({ status: "done" });
  });

  it("fills the taster, puts the next person on the waiting list, and offers them the place that comes free", async () => {
    const tasterPost = async () => message(page, "Taster session: Art for wellbeing");
    for (const who of ["expert", "professional"] as const) {
      await beAs(page, who);
      await goTo(page, "#demo-programme");
      await (await tasterPost()).getByRole("button", { name: "Sign up" }).click();
      await message(page, "You have a place at this session: Art for wellbeing");
    }
    await goTo(page, "Direct messages");
    const booking = await message(page, "You have a place: Art for wellbeing");
    const invite = booking.getByRole("link", { name: /calendar/i });
    const download = await Promise.all([page.waitForEvent("download", { timeout: WAIT }), invite.click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);

    await beAs(page, "commissioner");
    await goTo(page, "#demo-programme");
    expect(await (await tasterPost()).textContent()).toMatch(/Places left\s*:?\s*(None|0|Full)/i);
    await (await tasterPost()).getByRole("button", { name: "Sign up" }).click();
    await message(page, "is full. You are number 1 on the waiting list");

    await beAs(page, "professional");
    await goTo(page, "Direct messages");
    await (await message(page, "You have a place: Art for wellbeing")).getByRole("button", { name: "Cancel my place" }).click();

    await beAs(page, "commissioner");
    await goTo(page, "Direct messages");
    const offer = await message(page, "A place has come up: Art for wellbeing");
    await shot("04-waitlist-offer");
    await offer.getByRole("button", { name: "Yes, I will come" }).click();
    await message(page, "You have a place: Art for wellbeing");
    const signups = await playground.app.database.prisma.tasterSignup.findMany({ where: { personId: { in: await personasIds() } }, include: { taster: true } });
    expect(signups.map((s) => s.status).sort()).toEqual(["booked", "booked", "cancelled"]);
  });

  it("sends panel members a note the day before, and asks them how it went once the panel is over", async () => {
    await beAs(page, "expert");
    await goTo(page, "Direct messages");
    const invite = await message(page, "You are on a panel: Choosing the new drop-in provider");
    expect(await invite.getByRole("link", { name: /calendar/i }).getAttribute("download")).toMatch(/\.ics$/);
    await skipAhead(page, "1 day");
    await message(page, "Before the panel: Choosing the new drop-in provider");
    expect(await page.locator("#messages > li", { hasText: "Thank you for being on" }).count()).toBe(0);
    await skipAhead(page, "1 day");
    const debrief = await message(page, "Thank you for being on the panel: Choosing the new drop-in provider");
    await debrief.getByRole("textbox", { name: "What went well? (optional)" }).fill("Meeting everyone first made it less scary.");
    await debrief.getByRole("textbox", { name: "What could be better? (optional)" }).fill("We needed more time for our own questions.");
    await debrief.getByRole("group", { name: "Did you feel listened to?" }).getByRole("radio", { name: "Partly" }).check();
    await debrief.getByRole("button", { name: "Send", exact: true }).click();
    await message(page, "Thank you. Your answer is saved.");
    const stored = await playground.app.database.prisma.debriefResponse.findFirstOrThrow({ where: { personId: await personOf("persona-expert") } });
    expect(stored).toMatchObject({ role: "expert_by_experience", listenedTo: "partly", couldImprove: "We needed more time for our own questions." });
    await shot("05-panel-debrief");
  });

  it("gives the evaluator the weekly summary, by role only, after skipping a week", async () => {
    await beAs(page, "evaluator");
    await goTo(page, "Direct messages");
    await skipAhead(page, "1 week");
    const digest = await message(page, /weekly summary for the week from 2 March 2026/);
    const text = (await digest.textContent()) ?? "";
    expect(text).toContain("Ideas and what we did");
    expect(text).toContain("Who took part");
    // Role only: no persona's or sample person's name appears.
    for (const name of ["Priya", "Sam", "Jordan", "Alex", "Ayesha", "Tom"]) expect(text).not.toContain(name);
    await shot("07-evaluator-digest");
  });

  it("gives the expert a thank-you file of their time, and the facilitator the totals by role at the programme's rates", async () => {
    await beAs(page, "expert");
    await goTo(page, "Direct messages");
    await say(page, "my-contribution");
    const thanks = await message(page, "Thank you for your time in");
    const link = thanks.getByRole("link", { name: /thank-you summary/i });
    const download = await Promise.all([page.waitForEvent("download", { timeout: WAIT }), link.click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe("thank-you-from-wesaid.txt");
    const text = readFileSync(await download.path(), "utf8");
    expect(text).toContain(`Thank you, ${personaName("expert")}`);
    expect(text).toContain("sat on panels: 1 time");
    expect(text).not.toContain(personaName("facilitator"));

    await beAs(page, "facilitator");
    await goTo(page, "Direct messages");
    await say(page, "rate expert by experience £20 per hour");
    await message(page, "£20 for each hour of time given");
    await say(page, "contribution-totals");
    const totals = await message(page, "Time given in");
    expect(await totals.textContent()).toMatch(/Expert by experience/);
    expect(await totals.getByRole("link", { name: /line for each person/i }).getAttribute("download")).toBe("time-given-by-person.csv");
    await shot("06-contribution-totals");
  });

  it("works on a phone-sized screen, 375 pixels wide", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    await openPage(phone, playground.url, "expert", "channel:channel-demo");
    await message(phone, "Taster session: Art for wellbeing");
    const overflow = await phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await phone.getByRole("button", { name: "Send to wesaid" }).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(375);
    await shot("08-phone", phone);
    await phone.close();
  });

  it("meets WCAG AA contrast everywhere on the page, with messages, forms and private replies showing", async () => {
    await beAs(page, "expert");
    await goTo(page, "Direct messages");
    expect(await contrastFailures(page)).toEqual([]);
    await goTo(page, "#demo-programme");
    expect(await contrastFailures(page)).toEqual([]);
  });

  it("lets the facilitator write a question set in chat: choose one and choose any, a preview with radio buttons and checkboxes, a question changed in place, a schedule in words", async () => {
    await beAs(page, "facilitator");
    await goTo(page, "#demo-programme");
    await say(page, "new questions");
    let draft = await message(page, "There are no questions yet.");
    await draft.getByRole("group", { name: "Kind of question" }).getByRole("radio", { name: "Choose any" }).check();
    await draft.getByRole("textbox", { name: "The question" }).fill("What helped you take part?");
    await draft.getByRole("textbox", { name: /the choices, one on each line/ }).fill("Easy read papers\nPaid travel\nA buddy");
    await draft.getByRole("button", { name: "Add", exact: true }).click();
    draft = await message(page, "1. What helped you take part?");
    await draft.getByRole("button", { name: "Preview" }).click();
    const preview = await message(page, "This is what people will see.");
    const choices = preview.getByRole("group", { name: /What helped you take part/ });
    expect(await choices.getByRole("checkbox").count()).toBe(3);
    await shot("09-question-set-preview");
    // The preview stood in the draft's place; the way back brings the draft there again.
    expect(await page.locator("#messages > li").filter({ hasText: "There are no questions yet." }).count()).toBe(0);
    await preview.getByRole("button", { name: "Back to the draft" }).click();
    draft = await message(page, "1. What helped you take part?");
    // A typo mended in place: "Change" shows the question's own form, filled in with what it says now.
    await draft.getByRole("button", { name: "Change", exact: true }).click();
    const change = await message(page, "Change question 1");
    const words = change.getByRole("textbox", { name: "The question" });
    expect(await words.inputValue()).toBe("What helped you take part?");
    expect(await change.getByRole("radio", { name: "Choose any" }).isChecked()).toBe(true);
    await words.fill("What helped you to take part?");
    await change.getByRole("button", { name: "Save" }).click();
    draft = await message(page, "1. What helped you to take part?");
    // Each person's own clock: the series goes out at 10:30 wherever each person is.
    await draft.getByRole("textbox", { name: /When to send, in your own words/ }).fill("every other Monday at 10:30 wherever each person is");
    await draft.getByRole("button", { name: "Save" }).first().click();
    draft = await message(page, "Every other Monday at 10:30, wherever each person is");
    await draft.getByRole("button", { name: "Start sending" }).click();
    await message(page, '"New questions" is set up');
    expect(await playground.app.database.prisma.promptSeries.findFirstOrThrow({ where: { title: "New questions" } })).toMatchObject({ localTime: true, weekInterval: 2 });
  });

  it("shows the clock in the persona's own zone: the expert who chose Tokyo sees Tokyo time, and can go back to this browser's zone", async () => {
    await beAs(page, "expert");
    await goTo(page, "Direct messages");
    await say(page, "prefs");
    let prefs = await message(page, "Your preferences");
    await prefs.getByRole("textbox", { name: /^Time zone/ }).fill("Asia/Tokyo");
    await prefs.getByRole("button", { name: "Save", exact: true }).click();
    await message(page, "Your preferences are saved.");
    // The same moment as in London, nine hours on: the page would still say London time if it ignored the persona.
    const now = new Date(Date.parse((await playground.get("/playground/state")).body.now));
    await page.locator("#now", { hasText: "(Asia/Tokyo time)" }).waitFor({ timeout: WAIT });
    const shown = (await page.locator("#now").textContent())!.replace(/\s/g, " ");
    const hourIn = (zone: string, at: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "numeric", hour12: true }).format(at).replace(/\s/g, " ");
    const [, hour, , half] = /, (\d{1,2}):(\d{2}) ?(am|pm)/.exec(shown) ?? [];
    expect([now, new Date(now.getTime() + 60_000)].map((at) => hourIn("Asia/Tokyo", at))).toContain(`${hour} ${half}`);
    expect(hourIn("Europe/London", now)).not.toBe(`${hour} ${half}`);
    await shot("10-clock-in-tokyo");

    // Home again: one press, and the zone (and the clock) follow this browser again.
    prefs = await message(page, "Asia/Tokyo (you chose this)");
    await prefs.getByRole("button", { name: "Use the time zone from this browser (now Europe/London)" }).click();
    await message(page, "Your time zone now comes from this browser: Europe/London.");
    await page.locator("#now", { hasText: "(Europe/London time)" }).waitFor({ timeout: WAIT });
  });

  it("takes the zone from the browser: the expert on a computer set to Tokyo sees Asia/Tokyo in their preferences", async () => {
    const tokyo = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Asia/Tokyo" });
    try {
      const there = await tokyo.newPage();
      const outside = await onlyAllow(there, playground.url);
      await openPage(there, playground.url, "expert");
      await say(there, "prefs");
      await message(there, "Asia/Tokyo (from this browser)");
      expect(outside).toEqual([]);
    } finally {
      await tokyo.close();
    }
  });

  it("raised no script errors and asked for nothing outside the app", () => {
    expect(pageErrors).toEqual([]);
    expect(refused).toEqual([]);
  });
});
