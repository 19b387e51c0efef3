import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.ts";
import { recordConsent } from "../../src/people/index.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { blocksText, findButton, SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

// The people loop end to end through the real Bolt app: slash commands,
// buttons, modals, the message shortcut, App Home, and the outbox on Slack.
let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start();
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  // Any Web API call the fake does not know is a bug in the adapter.
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const fay: SlackUser = { id: "U0FAY", name: "Fay" };
const jo: SlackUser = { id: "U0JO", name: "Jo" };
const sam: SlackUser = { id: "U0SAM", name: "Sam" };
const channel = { channel: "C0COPROD", name: "co-production" };

async function personIdOf(user: SlackUser): Promise<string> {
  return (await world.db.platformIdentity.findFirstOrThrow({ where: { platform: "slack", externalId: user.id } })).personId;
}

/** Fay sets up a programme in #co-production; Jo joins as an expert by experience and says yes to taking part. */
async function programmeWithJo() {
  const setup = await world.slash(fay, "setup Mental health review", channel);
  expect(textOfVisible(setup.ephemeral)).toContain("set up in this channel");
  const join = await world.slash(jo, "join", channel);
  await world.press(jo, join.ephemeral!, "Expert by experience");
  const welcome = world.fake.dmOf(jo.id).find((m) => m.text.startsWith("Welcome"))!;
  const modal = await world.openForm(jo, welcome, "Make your choices");
  await world.submit(jo, modal, { "Can we store": "Yes", "Can the evaluation team quote": "No" });
  return { welcome };
}

describe("slash commands", () => {
  it("sets up a programme in a channel and announces it there", async () => {
    const setup = await world.slash(fay, "setup Mental health review", channel);
    expect(setup.status).toBe(200);
    // Acknowledged empty once stored; the answer came through response_url, seen only by Fay.
    expect(setup.text).toBe("");
    expect(world.fake.responsePosts.at(-1)?.body.response_type).toBe("ephemeral");
    expect(textOfVisible(setup.ephemeral)).toContain("Mental health review is set up in this channel, and you are its facilitator");
    const announcement = world.fake.inChannel("C0COPROD");
    expect(announcement).toHaveLength(1);
    expect(textOfVisible(announcement[0])).toContain("Type join to take part");
    const programme = await world.db.programme.findFirstOrThrow({ include: { channels: true } });
    expect(programme.channels[0]).toMatchObject({ platform: "slack", externalId: "C0COPROD", name: "co-production" });
  });

  it("joins with a role button, replaces the role choice in place and sends the welcome as a DM", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    const join = await world.slash(jo, "join", channel);
    expect(textOfVisible(join.ephemeral)).toContain("Which of these best describes you");
    await world.press(jo, join.ephemeral!, "Expert by experience");
    // The ephemeral role choice was replaced in place through response_url.
    expect(join.ephemeral!.replaced).toBe(1);
    expect(textOfVisible(join.ephemeral)).toContain("You have joined Mental health review");
    const dm = world.fake.dmOf(jo.id);
    expect(dm.map((m) => m.text)).toContain("Welcome to Mental health review");
    // Posted to the user id: Slack opens the DM itself, no conversations.open (Tier 3) needed.
    expect(world.fake.callsTo("chat.postMessage").map((c) => c.body.channel)).toContain(jo.id);
    const membership = await world.db.membership.findFirstOrThrow({ where: { person: { identities: { some: { externalId: jo.id } } } }, include: { person: true } });
    expect(membership.role).toBe("expert_by_experience");
    expect(membership.person.displayName).toBe("Jo"); // from users.info
  });

  it("answers the consent form in a modal and updates the welcome message in place", async () => {
    const { welcome } = await programmeWithJo();
    expect(welcome.edits).toBe(1);
    expect(textOfVisible(welcome)).toContain("Your choices are saved");
    expect(textOfVisible(welcome)).toContain("will not quote your words");
    const consents = await world.db.consentRecord.findMany({ where: { person: { identities: { some: { externalId: jo.id } } } } });
    expect(consents.map((c) => [c.kind, c.granted]).sort()).toEqual([
      ["participation", true],
      ["quotation", false],
    ]);
  });

  it("shows help for the caller's role only", async () => {
    await programmeWithJo();
    const joHelp = textOfVisible((await world.slash(jo, "help")).ephemeral);
    const fayHelp = textOfVisible((await world.slash(fay, "help")).ephemeral);
    expect(joHelp).toContain("suggest");
    expect(joHelp).not.toContain("role @name");
    expect(fayHelp).toContain("role @name");
  });

  it("shows preferences, saves a change from the modal and updates the message in place", async () => {
    await programmeWithJo();
    const prefs = await world.slash(jo, "prefs");
    expect(textOfVisible(prefs.ephemeral)).toContain("Quiet hours");
    const modal = await world.openForm(jo, prefs.ephemeral!, "Change preferences");
    expect(modal.view.title).toMatchObject({ text: "Change your preferences" });
    await world.submit(jo, modal, { "Time zone": "Europe/London", "Quiet hours start": "20:00", "Quiet hours end": "09:00", "How many reminders": "None" });
    const pref = await world.db.preference.findFirstOrThrow({ where: { person: { identities: { some: { externalId: jo.id } } } } });
    expect(pref.reminderLimit).toBe(0);
    expect(prefs.ephemeral!.replaced).toBe(1);
    expect(textOfVisible(prefs.ephemeral)).toContain("20:00 to 09:00");
    expect(textOfVisible(world.lastPrivate(jo))).toContain("Your preferences are saved");
  });

  it("keeps the modal open with the reason when a value is not valid, and stores nothing", async () => {
    await programmeWithJo();
    const prefs = await world.slash(jo, "prefs");
    const modal = await world.openForm(jo, prefs.ephemeral!, "Change preferences");
    const before = await world.db.preference.findFirstOrThrow({ where: { person: { identities: { some: { externalId: jo.id } } } } });
    const answer = await world.submit(jo, modal, { "Time zone": "Mars/Olympus", "Quiet hours start": "21:00", "Quiet hours end": "08:00", "How many reminders": "2" });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_action: "errors", errors: { timeZone: expect.stringContaining("time zone is not one we know") } });
    const after = await world.db.preference.findFirstOrThrow({ where: { personId: before.personId } });
    expect(after).toEqual(before);
    expect(prefs.ephemeral!.replaced).toBe(0);
  });

  it("pauses and resumes", async () => {
    await programmeWithJo();
    expect(textOfVisible((await world.slash(jo, "pause")).ephemeral)).toContain("Messages are paused");
    expect((await world.db.preference.findFirstOrThrow({ where: { person: { identities: { some: { externalId: jo.id } } } } })).pausedAt).not.toBeNull();
    expect(textOfVisible((await world.slash(jo, "resume")).ephemeral)).toContain("Messages are on again");
  });

  it("sends my-data with the export as a file in the person's DM, never in the channel", async () => {
    await programmeWithJo();
    const reply = await world.slash(jo, "my-data", channel);
    expect(textOfVisible(reply.ephemeral)).toContain("Everything we store about you");
    expect(textOfVisible(reply.ephemeral)).toContain("is in your private messages with wesaid");
    await world.until(() => world.fake.uploads.some((u) => u.channel), "the upload to finish");
    const upload = world.fake.uploads[0]!;
    expect(upload).toMatchObject({ filename: "my-wesaid-data.json", channel: FakeSlack.dmChannelOf(jo.id) });
    expect(upload.content).toContain('"displayName": "Jo"');
  });

  it("gives Jo a thank-you file of her time in her DM, and Fay the totals by role with a line per person at the programme's rates", async () => {
    await programmeWithJo();
    await world.slash(jo, "suggest Evening panels, please", channel);
    const thanks = await world.slash(jo, "my-contribution", channel);
    expect(textOfVisible(thanks.ephemeral)).toContain("Thank you for your time in Mental health review");
    await world.until(() => world.fake.uploads.some((u) => u.channel && u.filename === "thank-you-from-wesaid.txt"), "the thank-you file");
    const file = world.fake.uploads.find((u) => u.filename === "thank-you-from-wesaid.txt")!;
    expect(file.channel).toBe(FakeSlack.dmChannelOf(jo.id));
    expect(file.content).toContain("Thank you, Jo");
    expect(file.content).not.toContain("Fay");

    expect(textOfVisible((await world.slash(fay, "rate expert by experience £24 per hour", channel)).ephemeral)).toContain("£24 for each hour");
    const totals = await world.slash(fay, "contribution-totals", channel);
    expect(textOfVisible(totals.ephemeral)).toContain("1 person, 5 minutes, 1 time, £2");
    await world.until(() => world.fake.uploads.some((u) => u.channel && u.filename === "time-given-by-person.csv"), "the totals file");
    const csv = world.fake.uploads.find((u) => u.filename === "time-given-by-person.csv")!;
    expect(csv.channel).toBe(FakeSlack.dmChannelOf(fay.id));
    expect(csv.content).toContain("Jo,Expert by experience,0.08,1,2.00");
    expect(textOfVisible((await world.slash(jo, "contribution-totals", channel)).ephemeral)).toMatch(/facilitator|not/i);
  }, 120_000);

  it("forgets a person after they confirm, with a confirm dialog on the button", async () => {
    await programmeWithJo();
    const ask = await world.slash(jo, "forget-me");
    const button = findButton(ask.ephemeral!.blocks, "Yes, delete everything");
    expect(button.style).toBe("danger");
    await world.press(jo, ask.ephemeral!, "Yes, delete everything");
    expect(textOfVisible(ask.ephemeral)).toContain("We have deleted everything about you");
    expect(await world.db.platformIdentity.count({ where: { externalId: jo.id } })).toBe(0);
  });

  it("after forget-me, the channel post of their idea is updated in place (chat.update) to say the words were removed", async () => {
    await programmeWithJo();
    const idea = "Hold the panel in the evening so carers can come";
    await world.slash(jo, `suggest ${idea}`);
    await world.until(() => world.fake.inChannel("C0COPROD").some((m) => textOfVisible(m).includes(idea)), "the idea to be posted");
    const post = world.fake.inChannel("C0COPROD").find((m) => textOfVisible(m).includes(idea))!;
    const ask = await world.slash(jo, "forget-me");
    await world.press(jo, ask.ephemeral!, "Yes, delete everything");
    await world.until(() => post.edits > 0, "the idea post to be updated");
    expect(world.fake.callsTo("chat.update").some((c) => c.body.channel === "C0COPROD" && c.body.ts === post.ts)).toBe(true);
    expect(textOfVisible(post)).toContain("Words removed at the request of the person who wrote them");
    expect(textOfVisible(post)).not.toContain(idea);
    // Nothing in the channel shows the words any more.
    expect(world.fake.inChannel("C0COPROD").filter((m) => textOfVisible(m).includes(idea))).toEqual([]);
  });

  it("explains an unknown command privately", async () => {
    const reply = await world.slash(jo, "fly me to the moon");
    expect(textOfVisible(reply.ephemeral)).toContain('I do not know "fly"');
  });
});

describe("DMs, mentions, Home and the message shortcut", () => {
  it("treats a DM to wesaid as a command and answers in the DM", async () => {
    await programmeWithJo();
    const response = await world.dm(jo, "pause");
    expect(response.status).toBe(200);
    expect(textOfVisible(world.fake.dmOf(jo.id).at(-1))).toContain("Messages are paused");
  });

  it("answers an @mention in a channel with an ephemeral message to the person", async () => {
    await programmeWithJo();
    await world.mention(jo, "C0COPROD", "help");
    const eph = world.fake.callsTo("chat.postEphemeral").at(-1)!;
    expect(eph.body).toMatchObject({ channel: "C0COPROD", user: jo.id });
    expect(blocksText(eph.body.blocks as never)).toContain("What you can do");
  });

  it("publishes the Home tab with the person's questions, ideas, sessions and settings", async () => {
    await programmeWithJo();
    const home = await world.openHome(jo);
    for (const part of ["Questions for you", "Your ideas", "Taster sessions coming up", "Your settings"]) expect(textOfVisible(home)).toContain(part);
    expect(textOfVisible(home)).toMatch(/Messages\W+On/);
    // A button on Home works: the settings open privately, and pausing shows on Home when it is published again.
    await world.press(jo, home, "Change settings");
    expect(textOfVisible(world.lastPrivate(jo))).toContain("Your preferences");
    await world.slash(jo, "pause");
    expect(textOfVisible(await world.openHome(jo))).toMatch(/Messages\W+Paused/);
  });

  it("shows a newcomer a Home tab that explains how to start", async () => {
    const home = await world.openHome(sam);
    expect(textOfVisible(home)).toContain("You have not joined a programme yet");
  });

  it("turns someone's channel message into a suggestion with the shortcut", async () => {
    await programmeWithJo();
    const reply = await world.shortcut(jo, { channel: "C0COPROD", ts: "1772442650.000500", text: "Evening meetings &amp; a phone option please", author: sam.id });
    expect(reply.status).toBe(200);
    const item = await world.db.feedbackItem.findFirstOrThrow();
    expect(item).toMatchObject({ text: "Evening meetings & a phone option please", source: "message", sourceRef: "C0COPROD:1772442650.000500" });
    expect(textOfVisible(world.lastPrivate(jo))).toMatch(/#1/);
  });
});

describe("sending through the outbox", () => {
  it("keeps a message Slack throttled (429) and delivers it after Retry-After", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    world.fake.failNext(1, { status: 429, retryAfter: 30 }, "chat.postMessage");
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    expect(world.fake.dmOf(jo.id)).toHaveLength(0);
    const row = await world.db.outboxMessage.findFirstOrThrow({ where: { purpose: "people.welcome", personId: await personIdOf(jo) } });
    expect(row).toMatchObject({ status: "pending", lastError: expect.stringContaining("slow down") });
    expect(row.nextAttemptAt.getTime() - world.clock.now().getTime()).toBeGreaterThanOrEqual(30_000);
    world.clock.advance(10_000);
    await world.flush();
    expect(world.fake.dmOf(jo.id)).toHaveLength(0);
    world.clock.advance(2 * MINUTE);
    await world.flush();
    expect(world.fake.dmOf(jo.id).map((m) => m.text)).toEqual(["Welcome to Mental health review"]);
  });

  it("retries after Slack answers 500", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    world.fake.failNext(2, { status: 500 }, "chat.postMessage");
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    expect(world.fake.dmOf(jo.id)).toHaveLength(0);
    for (let i = 0; i < 3 && world.fake.dmOf(jo.id).length === 0; i++) {
      world.clock.advance(5 * MINUTE);
      await world.flush();
    }
    expect(world.fake.dmOf(jo.id)).toHaveLength(1);
  });

  it("reports a person Slack cannot reach to the facilitators", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    // The facilitator answers the welcome's consent question: until then wesaid sends them nothing else.
    const { id: programmeId } = await world.db.programme.findFirstOrThrow();
    await recordConsent(world.app.core.ctx, { personId: await personIdOf(fay), programmeId, participation: true, quotation: false });
    world.fake.unreachableUsers.set(sam.id, "cannot_dm_bot");
    const join = await world.slash(sam, "join", channel);
    await world.press(sam, join.ephemeral!, "Professional");
    const row = await world.db.outboxMessage.findFirstOrThrow({ where: { purpose: "people.welcome", personId: await personIdOf(sam) } });
    expect(row).toMatchObject({ status: "unreachable", lastError: "Slack said cannot_dm_bot" });
    await world.app.core.tick();
    const report = world.fake.dmOf(fay.id).find((m) => m.text.startsWith("We could not reach"));
    expect(textOfVisible(report)).toContain("We could not reach Sam");
    expect(textOfVisible(report)).toContain("Slack said cannot_dm_bot");
  });

  it("remembers each person's DM channel instead of opening it again", async () => {
    await programmeWithJo();
    const opens = world.fake.callsTo("conversations.open").filter((c) => c.body.users === jo.id).length;
    await world.dm(jo, "pause");
    await world.dm(jo, "resume");
    expect(world.fake.callsTo("conversations.open").filter((c) => c.body.users === jo.id).length).toBe(opens);
  });
});
