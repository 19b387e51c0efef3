import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { browserAvailable, launchBrowser, onlyAllow } from "../support/browser.ts";
import { startPlayground, type PlaygroundClient } from "./playground.ts";
import { goTo, message, openPage, say, skipAhead, waitForStatus, WAIT } from "./page.ts";

/**
 * The playground as a real trial: two tabs open as the same persona stay in step, a refused form
 * explains itself in the form, and what the evaluations said teams lacked works in the browser.
 */

let playground: PlaygroundClient;
let browser: Browser;
let context: BrowserContext;
let first: Page;
let second: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  [playground, browser] = await Promise.all([startPlayground(), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Europe/London" });
  first = await context.newPage();
  second = await context.newPage();
  for (const page of [first, second]) {
    await onlyAllow(page, playground.url);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await playground?.stop();
});

/** Opens the page afresh (a changed hash alone does not reload it). */
async function reopen(page: Page, persona: string, place = "direct"): Promise<void> {
  await page.goto("about:blank");
  await openPage(page, playground.url, persona, place);
}

vi.setConfig({ testTimeout: 60_000 });

describe.skipIf(!browserAvailable)("the playground in two tabs as the same person", () => {
  it("loads the demo in one tab, and the other tab knows", async () => {
    await openPage(first, playground.url, "facilitator");
    await openPage(second, playground.url, "facilitator");
    await first.getByRole("button", { name: "Load the demo" }).click();
    await waitForStatus(first, "is ready");
    await second.getByRole("button", { name: "Load the demo again" }).waitFor({ timeout: WAIT });
  });

  it("shows what is typed in one tab, and the reply, in the other", async () => {
    await goTo(first, "#demo-programme");
    await goTo(second, "#demo-programme");
    await say(first, "roles");
    await message(first, /Who is in Young people/);
    await second.locator("#messages li.entry--typed", { hasText: "roles" }).waitFor({ timeout: WAIT });
    await message(second, /Who is in Young people/);
    // Each entry once in each tab, even though the tab that acted heard it twice (its reply and the live stream).
    for (const page of [first, second]) expect(await page.locator("#messages > li", { hasText: /Who is in Young people/ }).count()).toBe(1);
  });

  it("moves the clock on in both tabs", async () => {
    await first.getByRole("button", { name: "Skip ahead 1 day" }).click();
    await waitForStatus(first, "Skipped ahead 1 day");
    await second.locator("#now", { hasText: "Tuesday, 3 March 2026" }).waitFor({ timeout: WAIT });
  });

  it("shows a question answered in one tab as answered in the other", async () => {
    await reopen(first, "expert");
    await reopen(second, "expert");
    const inSecond = await message(second, "How is co-production going?");
    await inSecond.getByRole("textbox", { name: /What has gone well/ }).fill("Half typed in the second tab");
    const inFirst = await message(first, "How is co-production going?");
    await inFirst.getByRole("group", { name: /How much do you know about co-production/ }).getByRole("radio", { name: "5", exact: true }).check();
    await inFirst.getByRole("group", { name: /How do you feel about co-production/ }).getByRole("radio", { name: "7", exact: true }).check();
    await inFirst.getByRole("textbox", { name: /What has gone well/ }).fill("Being asked first.");
    await inFirst.getByRole("button", { name: "Send my answers" }).click();
    await message(first, "Thank you. Your answers are saved.");
    await message(second, "Thank you. Your answers are saved.");
    expect(await second.locator("#messages > li", { hasText: "Send my answers" }).count()).toBe(0);
  });
});

describe.skipIf(!browserAvailable)("a form that is not filled in right", () => {
  it("says why inside the form, next to the field, and leaves nothing behind in the chat once it is put right", async () => {
    await reopen(first, "facilitator", "channel:channel-demo");
    await say(first, "taster new");
    const form = await message(first, "Add a taster session");
    const before = await first.locator("#messages > li").count();
    await form.getByRole("button", { name: "Post it" }).click();
    const error = form.locator(".form-error");
    await error.filter({ hasText: /"Name of the session" is needed/ }).waitFor({ timeout: WAIT });
    const name = form.getByRole("textbox", { name: /Name of the session/ });
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.evaluate((node) => node === (globalThis as any).document.activeElement)).toBe(true);
    // Nothing new in the chat: the reason is in the form only.
    expect(await first.locator("#messages > li").count()).toBe(before);
    expect(await first.locator("#messages > li", { hasText: "is needed" }).count()).toBe(1);

    await name.fill("Music and mood");
    await form.getByRole("textbox", { name: /What to expect/ }).fill("A relaxed hour of music with two youth workers. No experience needed.");
    await form.getByLabel(/^Starts/).fill("2026-03-17T14:00");
    await form.getByLabel(/^Ends/).fill("2026-03-17T15:00");
    await form.getByRole("textbox", { name: /Where \(address or room\)/ }).fill("The Hub, room 2");
    await form.getByRole("textbox", { name: /How many places/ }).fill("8");
    await form.getByRole("button", { name: "Post it" }).click();
    await message(first, /Taster session: Music and mood/);
    expect(await first.locator("#messages > li", { hasText: "is needed" }).count()).toBe(0);
    expect(await first.locator(".field--invalid").count()).toBe(0);
  });

});

describe.skipIf(!browserAvailable)("between meetings, in the browser", () => {
  it("explains each role and lists who is in the programme, only to the person who asked", async () => {
    await reopen(first, "expert", "channel:channel-demo");
    await say(first, "roles");
    const roles = await message(first, /Who is in Young people/);
    expect(await roles.textContent()).toContain("They know services from using them");
    expect(await roles.locator(".only-you").count()).toBe(1);
  });

  it("explains a word, a misspelt word offers a button that explains it, and glossary lists the words", async () => {
    await say(first, "what is outputs");
    await message(first, "The things a project makes or does");
    await say(first, "what is outcoms");
    const close = await message(first, /Did you mean/i);
    await close.getByRole("button", { name: /Outcomes/i }).click();
    await message(first, "What changes for people because of the work");
    await say(first, "glossary");
    expect(await (await message(first, "Words we can explain")).textContent()).toMatch(/outputs/i);
  });

  it("shows Riley, who joined late, the introduction one message a day, stops it on asking, and lets the facilitator turn it off", async () => {
    await reopen(first, "newcomer");
    const about = await message(first, /what it is for/);
    expect(await about.textContent()).toContain("You joined after the programme started");
    const decided = await message(first, "What has been done so far");
    expect(await decided.textContent()).toContain("We now pay travel costs on the day you come");
    const shown = (words: string | RegExp) => first.locator("#messages > li", { hasText: words }).count();
    expect(await shown("What has been done so far")).toBe(1);
    expect(await shown("That is the end of the introduction.")).toBe(0);
    await decided.getByRole("button", { name: "Stop the introduction" }).click();
    await message(first, "We will not send you any more of the introduction");
    await skipAhead(first, "1 day");
    expect(await shown("That is the end of the introduction.")).toBe(0);

    await reopen(first, "facilitator", "channel:channel-demo");
    await say(first, "induction off");
    const off = await message(first, /will not get the introduction/);
    expect(await off.locator(".only-you").count()).toBe(1);
  });

  it("offers the support contacts the facilitator wrote, and again when someone pauses", async () => {
    await reopen(first, "facilitator", "channel:channel-demo");
    await say(first, "support-words Talk to Beth on 01234 567890, weekdays 9 to 5.");
    await message(first, "Saved.");
    await reopen(first, "expert");
    await say(first, "support");
    await message(first, "Talk to Beth on 01234 567890");
    await say(first, "pause");
    const paused = await message(first, /paused/i);
    expect(await paused.textContent()).toContain("Talk to Beth on 01234 567890");
    // Sam stays paused through the next test's week: the next round of questions opens meanwhile.
  });

  it("gives the facilitator a private list of quiet members, with a kind message they could send", async () => {
    await reopen(first, "facilitator", "channel:channel-demo");
    await first.getByRole("button", { name: "Skip ahead 1 week" }).click();
    await waitForStatus(first, "Skipped ahead 1 week");
    await say(first, "quiet 1");
    const list = await message(first, /People who have not taken part for 1 week or more/);
    expect(await list.locator(".only-you").count()).toBe(1);
    expect(await list.textContent()).toContain("does not message these people");
  });

  it("offers Sam, who paused, the questions that opened meanwhile, once, when Sam resumes", async () => {
    await reopen(first, "expert");
    const rounds = first.locator("#messages > li", { hasText: "How is co-production going?" });
    const before = await rounds.count();
    await say(first, "resume");
    await message(first, "Messages are on again");
    expect(await rounds.count()).toBe(before);
    await skipAhead(first, "1 hour");
    await rounds.nth(before).waitFor({ timeout: WAIT });
    await skipAhead(first, "1 hour");
    expect(await rounds.count()).toBe(before + 1);
  });

  it("lets the facilitator set up an action learning set and give it a place, and the expert join it, be told, be reminded and reflect after the meeting", async () => {
    const inThreeDays = new Date(playground.clock.now().getTime() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    await reopen(first, "facilitator");
    await say(first, "learning-set new");
    const form = await message(first, "Set up an action learning set");
    await form.getByRole("textbox", { name: /Name of the group/ }).fill("Peer learning set");
    await form.getByLabel(/^First meeting/).fill(`${inThreeDays}T14:00`);
    await form.getByRole("textbox", { name: /How often/ }).fill("every 3 months");
    await form.getByRole("textbox", { name: /How many people can be in the group/ }).fill("6");
    await form.getByRole("button", { name: "Set it up" }).click();
    await message(first, "Peer learning set is set up");

    await reopen(first, "expert");
    await say(first, "learning-set");
    const list = await message(first, "Action learning sets");
    await list.getByRole("button", { name: "Join the group" }).click();
    await message(first, "You are in Peer learning set");

    // The facilitator gives the group a place to meet; the form starts with the set as it is.
    await reopen(first, "facilitator");
    await say(first, "learning-set");
    await (await message(first, "Action learning sets")).getByRole("button", { name: "Change this group" }).click();
    const change = await message(first, "Change Peer learning set");
    expect(await change.getByRole("textbox", { name: /Meetings still to come/ }).inputValue()).toContain(`${inThreeDays} 14:00`);
    await change.getByRole("textbox", { name: /Where does it meet/ }).fill("The Hub, room 2");
    await change.getByRole("button", { name: "Save the changes" }).click();
    await message(first, "I have told the person in the group privately");
    await reopen(first, "expert");
    expect(await (await message(first, "Changes to Peer learning set")).textContent()).toContain("The group now meets at: The Hub, room 2.");

    const shown = (words: string) => first.locator("#messages > li", { hasText: words }).count();
    for (let day = 0; day < 6 && (await shown("Time to reflect on Peer learning set: meeting 1")) === 0; day++) await skipAhead(first, "1 day");
    expect(await shown("Reminder: Peer learning set: meeting 1")).toBe(1);
    expect(await (await message(first, "Reminder: Peer learning set: meeting 1")).textContent()).toContain("The Hub, room 2");
    const reflection = await message(first, "Time to reflect on Peer learning set: meeting 1");
    await reflection.getByRole("textbox", { name: /What went well/ }).fill("Hearing how others cope.");
    await reflection.getByRole("group", { name: "Did you feel listened to?" }).getByRole("radio", { name: "Yes" }).check();
    await reflection.getByRole("button", { name: "Send", exact: true }).click();
    await message(first, "Your answer is saved");
    const stored = await playground.app.database.prisma.debriefResponse.findFirstOrThrow({ where: { panel: { learningSet: { name: "Peer learning set" } } }, include: { panel: true } });
    expect(stored).toMatchObject({ role: "expert_by_experience", listenedTo: "yes", wentWell: "Hearing how others cope.", panel: { meetingNumber: 1 } });
  });

  it("lets the facilitator start a staged survey from a template, and the expert's first one says it is the start survey", async () => {
    const tomorrow = new Date(playground.clock.now().getTime() + 24 * 3600_000).toISOString().slice(0, 10);
    await reopen(first, "facilitator");
    await say(first, "prompts");
    const menu = await message(first, 'Use "How is co-production going?"');
    await menu.getByRole("button", { name: 'Use "How is co-production going?"' }).click();
    const form = await message(first, 'Start "How is co-production going?"');
    await form.getByRole("textbox", { name: "Title people will see" }).fill("Before and after");
    await form.getByRole("textbox", { name: /The start survey date/ }).fill(`${tomorrow} 10:00`);
    await form.getByRole("button", { name: "Start", exact: true }).click();
    await message(first, '"Before and after" is set up');
    await reopen(first, "expert");
    const start = first.locator("#messages > li", { hasText: "This is the start survey." });
    for (let day = 0; day < 2 && (await start.count()) === 0; day++) await skipAhead(first, "1 day");
    expect(await start.count()).toBe(1);
  });

  it("raised no script errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
