import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Blocks, PostedMessage } from "../support/fake-slack.ts";
import { allButtons, blocksText, SlackWorld, textOfVisible, type Modal, type SlackUser } from "./harness.ts";

/**
 * Every loop end to end through Slack: the real Bolt app, payloads shaped as
 * Slack sends them, Block Kit read from what reached the fake Web API,
 * buttons pressed and modals filled in as a person would.
 */
let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start();
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const PROGRAMME = "Young people's mental health";
const CHANNEL = { channel: "C0COPROD", name: "co-production" };
const FIRST_SLOT = "2026-03-02T10:00:00Z"; // Monday 10am, an hour after the clock starts

const fac: SlackUser = { id: "U0FAC", name: "Sam Facilitator" };
const jo: SlackUser = { id: "U0JO", name: "Jo Carer" };
const kim: SlackUser = { id: "U0KIM", name: "Kim Patient" };
const priya: SlackUser = { id: "U0PRIYA", name: "Priya Shah" };
const eve: SlackUser = { id: "U0EVE", name: "Eve Evaluator" };

/** The newest message in a DM or channel whose words match. */
function latest(messages: PostedMessage[], text: string | RegExp): PostedMessage {
  const found = [...messages].reverse().find((m) => (typeof text === "string" ? blocksText(m.blocks).includes(text) : text.test(blocksText(m.blocks))));
  if (!found) throw new Error(`no message with "${text}" in:\n${messages.map((m) => m.text).join("\n")}`);
  return found;
}

const inDm = (user: SlackUser, text: string | RegExp) => latest(world.fake.dmOf(user.id), text);
const inChannel = (text: string | RegExp) => latest(world.fake.inChannel(CHANNEL.channel), text);


async function joinAs(user: SlackUser, roleLabel: string): Promise<void> {
  const join = await world.slash(user, "join", CHANNEL);
  await world.press(user, join.ephemeral!, roleLabel);
}

/** A programme in #co-production with everyone the loops need, all of whom said yes. */
async function cast() {
  await world.slash(fac, `setup ${PROGRAMME}`, CHANNEL);
  await world.consent(fac);
  await joinAs(jo, "Expert by experience");
  await world.consent(jo);
  await joinAs(kim, "Expert by experience");
  await world.consent(kim);
  world.fake.users.set(priya.id, priya.name);
  await world.slash(fac, `role <@${priya.id}|priya> commissioner`, CHANNEL);
  await world.consent(priya);
  world.fake.users.set(eve.id, eve.name);
  await world.slash(fac, `role <@${eve.id}|eve> evaluator`, CHANNEL);
  await world.consent(eve);
  return { programmeId: (await world.db.programme.findFirstOrThrow({ where: { name: PROGRAMME } })).id };
}

/** Answers every question in a modal: the last choice of each select, some words in each text box. */
function answerAll(modal: Modal): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const block of modal.view.blocks as Blocks) {
    if (block.type !== "input") continue;
    const element = block.element as { type: string; options?: { value: string }[] };
    const id = String(block.block_id);
    if (element.type === "plain_text_input") values[id] = "We shaped the plan together";
    else if (element.type === "checkboxes" || element.type === "multi_static_select") values[id] = [element.options![0]!.value];
    else if (element.options) values[id] = element.options.at(-1)!.value;
  }
  return values;
}

async function personIdOf(user: SlackUser): Promise<string> {
  return (await world.db.platformIdentity.findFirstOrThrow({ where: { platform: "slack", externalId: user.id } })).personId;
}

describe("every loop through Slack", () => {
  it("reflection prompts: a facilitator starts a series in a modal; the prompt is answered in a modal and updated in place", async () => {
    await cast();
    const menu = await world.slash(fac, "prompts");
    const template = allButtons(menu.ephemeral!.blocks).find((b) => b.text.text.startsWith("Use "))!;
    await world.press(fac, menu.ephemeral!, template.text.text);
    const start = world.lastPrivate(fac);
    const setup = await world.openForm(fac, start, "Choose when and who");
    expect(setup.view.title).toMatchObject({ text: "Start these questions" });
    await world.submit(fac, setup, {
      title: "Decisions check",
      when: "every Monday at 10",
      "Who gets the questions": ["Expert by experience", "Professional"],
      "Keep names off": "Yes, keep the role only",
    });
    const series = await world.db.promptSeries.findFirstOrThrow();
    expect(series).toMatchObject({ title: "Decisions check", anonymous: true });
    expect(series.audienceRoles.sort()).toEqual(["expert_by_experience", "professional"]);
    expect(textOfVisible(world.lastPrivate(fac))).toContain('"Decisions check" is set up');

    world.clock.set(FIRST_SLOT);
    await world.app.core.tick();
    const prompt = inDm(jo, "Answer the questions");
    expect(prompt.text).toContain("Decisions check");
    const modal = await world.openForm(jo, prompt, "Answer the questions");
    const answer = await world.submit(jo, modal, answerAll(modal));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(""); // the modal closes
    // The prompt message itself now shows the answers and how to change them.
    expect(prompt.edits).toBe(1);
    expect(textOfVisible(prompt)).toContain("Your answers are saved");
    expect(allButtons(prompt.blocks).map((b) => b.text.text)).toContain("Change my answers");
    const delivery = await world.db.promptDelivery.findFirstOrThrow({ where: { personId: await personIdOf(jo) } });
    // Anonymous questions: nothing on the delivery notes that it was answered; the answers are there.
    expect(delivery.status).toBe("sent");
    expect(await world.db.promptResponse.count({ where: { occurrenceId: delivery.occurrenceId } })).toBeGreaterThan(0);
  });

  it("you said, we did: a suggestion reaches the channel by role, and the commissioner's update reaches the person who raised it", async () => {
    await cast();
    const thanks = await world.slash(jo, "suggest Hold the panel in the evening so carers can come");
    expect(textOfVisible(thanks.ephemeral)).toContain("Your idea is #1");
    const notice = inChannel("New idea #1");
    expect(textOfVisible(notice)).toContain("Raised by an Expert by experience");
    expect(textOfVisible(notice)).not.toContain("Jo");

    // The channel post carries no managers' controls: status and a way to follow, for everyone.
    expect(allButtons(notice.blocks).map((b) => b.text.text)).toEqual(["This matters to me too"]);
    await world.press(kim, notice, "This matters to me too");
    expect(textOfVisible(world.lastPrivate(kim))).toContain("Idea #1 matters to you too");
    expect(await world.db.ideaFollower.count()).toBe(1);

    // The commissioner manages it from her own view.
    const own = await world.slash(priya, "idea #1");
    await world.press(priya, own.ephemeral!, "We are looking at it");
    expect((await world.db.feedbackItem.findFirstOrThrow()).status).toBe("considering");
    expect(blocksText(world.fake.dmOf(jo.id).at(-1)!.blocks)).toContain("#1");
    expect(blocksText(inDm(kim, "which matters to you").blocks)).toContain("now being looked at");

    await world.slash(priya, "update #1 We have moved the panel to evenings", CHANNEL);
    const post = inChannel("We have moved the panel to evenings");
    expect(textOfVisible(post)).toContain("Posted by a Commissioner");
    expect(textOfVisible(post)).not.toContain("Priya");

    const news = inDm(jo, "News about your idea #1");
    await world.press(jo, news, "Yes, it answers what I said");
    expect((await world.db.feedbackReaction.findFirstOrThrow()).answered).toBe("yes");
    // The question is answered in place: the same message now shows the answer and a way to change it.
    const answered = world.fake.dmOf(jo.id).find((m) => m.ts === news.ts)!;
    expect(blocksText(answered.blocks)).toContain("You said: Yes");
    await world.press(jo, answered, "Change my answer");
    await world.press(jo, world.fake.dmOf(jo.id).find((m) => m.ts === news.ts)!, "No");
    expect((await world.db.feedbackReaction.findFirstOrThrow()).answered).toBe("no");
    expect(blocksText(world.fake.dmOf(jo.id).find((m) => m.ts === news.ts)!.blocks)).toContain("You said: No");
    expect(blocksText(inDm(kim, "News about idea #1").blocks)).toContain("We have moved the panel to evenings");

    // Jo's Home tab lists her idea and where it has got to, with her settings.
    const home = await world.openHome(jo);
    expect(textOfVisible(home)).toContain("#1 Hold the panel in the evening");
    expect(textOfVisible(home)).toContain("Your settings");
    expect(JSON.stringify([...world.fake.dmOf(jo.id), ...world.fake.ephemeralsFor(jo.id)].map((m) => m.blocks))).toContain("does not answer what you said");
  });

  it("tasters: a facilitator posts a session from a modal; sign-ups update the places left in place; a freed place is offered with buttons", async () => {
    await cast();
    const form = await world.slash(fac, "taster new");
    const modal = await world.openForm(fac, form.ephemeral!, "Add a taster session");
    await world.submit(fac, modal, {
      title: "Music and memories",
      whatToExpect: "A musician plays old songs. You can sing along or just listen.",
      audienceRoles: ["Expert by experience"],
      startsAt: "2026-03-10T14:00:00Z",
      endsAt: "2026-03-10T15:30:00Z",
      location: "Library, Market Street",
      accessibility: "Step-free",
      capacity: "1",
    });
    const taster = await world.db.taster.findFirstOrThrow();
    expect(taster).toMatchObject({ capacity: 1, startsAt: new Date("2026-03-10T14:00:00Z"), endsAt: new Date("2026-03-10T15:30:00Z"), audienceRoles: ["expert_by_experience"] });

    const post = inChannel("Music and memories");
    expect(textOfVisible(post)).toMatch(/Places left\*?\n1 of 1/);

    await world.press(jo, post, "Sign up");
    // The channel post shows the new number of places, in place; Jo's answer is private.
    expect(post.edits).toBeGreaterThan(0);
    expect(textOfVisible(post)).toMatch(/Places left\*?\nNone/);
    expect(textOfVisible(world.fake.ephemeralsFor(jo.id).at(-1))).toContain("You have a place at this session: Music and memories");
    expect(textOfVisible(inDm(jo, "You have a place"))).toContain("taster.ics is attached below");
    await world.until(() => world.fake.uploads.some((u) => u.filename.endsWith(".ics") && u.channel === "D0JO"), "the calendar invite to be uploaded");
    expect(world.fake.uploads.find((u) => u.filename.endsWith(".ics"))!.content).toContain("BEGIN:VCALENDAR");

    await world.press(kim, post, "Sign up");
    expect(textOfVisible(world.fake.ephemeralsFor(kim.id).at(-1))).toContain("You are number 1 on the waiting list");
    expect(textOfVisible(await world.openHome(kim))).toContain("Music and memories");

    // Jo gives the place up; Kim is offered it with buttons, and takes it.
    const details = inDm(jo, /Cancel my place|cancel/i);
    const cancel = allButtons(details.blocks).find((b) => /cancel/i.test(b.text.text))!;
    await world.press(jo, details, cancel.text.text);
    await world.app.core.tick();
    const offer = inDm(kim, /place/i);
    const accept = allButtons(offer.blocks).find((b) => /yes|take|accept/i.test(b.text.text))!;
    await world.press(kim, offer, accept.text.text);
    const signups = await world.db.tasterSignup.findMany();
    const kimId = await personIdOf(kim);
    expect(signups.find((s) => s.personId === kimId)?.status).toBe("booked");
  });

  it("panels: set up from a modal with two people picked; members hear privately, and the debrief is answered in a modal and updated in place", async () => {
    await cast();
    const start = await world.slash(fac, "panel new", CHANNEL);
    const setup = await world.openForm(fac, start.ephemeral!, "Set up a panel");
    const picker = (setup.view.blocks as Blocks).find((b) => b.block_id === "members")!;
    expect(picker.element).toMatchObject({ type: "multi_users_select" });
    await world.submit(fac, setup, {
      title: "Interview panel for the new youth service",
      purpose: "Young people and commissioners interview the providers together.",
      startsAt: "2026-03-10T10:00:00Z",
      endsAt: "2026-03-10T12:00:00Z",
      members: [jo.id, priya.id],
    });
    const panel = await world.db.panel.findFirstOrThrow({ include: { members: true } });
    expect(panel).toMatchObject({ title: "Interview panel for the new youth service", startsAt: new Date("2026-03-10T10:00:00Z") });
    expect(panel.members.map((m) => m.personId).sort()).toEqual([await personIdOf(jo), await personIdOf(priya)].sort());
    expect(panel.members.map((m) => m.role).sort()).toEqual(["commissioner", "expert_by_experience"]);
    expect(textOfVisible(world.lastPrivate(fac))).toContain("I have told the 2 people on it");
    await world.flush();
    const invite = inDm(jo, "You are on a panel");
    expect(textOfVisible(invite)).not.toContain("Priya");
    expect(world.fake.dmOf(priya.id).some((m) => m.text.includes("You are on a panel"))).toBe(true);

    expect(textOfVisible((await world.slash(jo, "panel")).ephemeral)).toContain("Interview panel for the new youth service");

    world.clock.set("2026-03-10T12:05:00Z");
    await world.app.core.tick();
    const debrief = inDm(jo, "Tell us how it went");
    const opener = allButtons(debrief.blocks).find((b) => b.action_id.startsWith("wesaid.form."))!;
    const modal = await world.openForm(jo, debrief, opener.text.text);
    await world.submit(jo, modal, { wentWell: "Meeting everyone first.", couldImprove: "Too many questions.", listenedTo: "Partly", changeNextTime: "Shorter day." });
    expect(debrief.edits).toBe(1);
    expect(textOfVisible(debrief)).toContain("Your answer is saved");
    expect(textOfVisible(debrief)).toContain("Partly");
    expect(await world.db.debriefResponse.count()).toBe(1);
  });

  it("learning sets: set up in a modal; a member joins, is reminded before the meeting and answers the reflection after it in a modal", async () => {
    await cast();
    const start = await world.slash(fac, "learning-set new", CHANNEL);
    const setup = await world.openForm(fac, start.ephemeral!, "Set up a learning set");
    await world.submit(fac, setup, {
      name: "Carers' learning set",
      purpose: "Carers learn from each other's cases.",
      first: "2026-03-10T10:00:00Z",
      howOften: "every 3 months",
      capacity: "6",
      audienceRoles: ["Expert by experience"],
    });
    expect(textOfVisible(world.lastPrivate(fac))).toContain("Carers' learning set is set up");
    expect(await world.db.learningSet.findFirstOrThrow()).toMatchObject({ capacity: 6, audienceRoles: ["expert_by_experience"] });

    const list = await world.slash(jo, "learning-set", CHANNEL);
    expect(textOfVisible(list.ephemeral)).toContain("Every 3 months, 4 meetings");
    await world.press(jo, list.ephemeral!, "Join the group");
    expect(textOfVisible(world.lastPrivate(jo))).toContain("You are in Carers' learning set");

    await world.app.core.tick();
    world.clock.set("2026-03-09T11:00:00Z");
    await world.app.core.tick();
    await world.flush();
    expect(textOfVisible(inDm(jo, "Reminder: Carers' learning set: meeting 1"))).toContain("help you reflect");
    expect(world.fake.dmOf(kim.id).some((m) => m.text.includes("Reminder"))).toBe(false);

    world.clock.set("2026-03-10T12:05:00Z");
    await world.app.core.tick();
    await world.flush();
    const reflection = inDm(jo, "Time to reflect on Carers' learning set: meeting 1");
    const opener = allButtons(reflection.blocks).find((b) => b.action_id.startsWith("wesaid.form."))!;
    const modal = await world.openForm(jo, reflection, opener.text.text);
    await world.submit(jo, modal, { wentWell: "Hearing how others cope.", listenedTo: "Yes" });
    expect(textOfVisible(reflection)).toContain("Your answer is saved");
    const saved = await world.db.debriefResponse.findFirstOrThrow({ include: { panel: true } });
    expect(saved).toMatchObject({ wentWell: "Hearing how others cope.", listenedTo: "yes", panel: { meetingNumber: 1 } });
  });

  it("learning sets: the facilitator moves a meeting and gives a place in a modal; the member is told privately and reminded at the new time", async () => {
    await cast();
    const start = await world.slash(fac, "learning-set new", CHANNEL);
    await world.submit(fac, await world.openForm(fac, start.ephemeral!, "Set up a learning set"), { name: "Carers' learning set", first: "2026-03-10T10:00:00Z", howOften: "every 3 months", capacity: "6" });
    await world.press(jo, (await world.slash(jo, "learning-set", CHANNEL)).ephemeral!, "Join the group");
    await world.app.core.tick();

    await world.press(fac, (await world.slash(fac, "learning-set", CHANNEL)).ephemeral!, "Change this group");
    const change = await world.openForm(fac, world.lastPrivate(fac), "Change the group");
    const coming = (change.view.blocks as Blocks).find((b) => b.block_id === "coming") as { element: { initial_value: string } };
    expect(coming.element.initial_value).toMatch(/^2026-03-10 10:00, 2026-06-10 10:00/);
    await world.submit(fac, change, { coming: coming.element.initial_value.replace("2026-03-10 10:00", "2026-03-12 10:00"), location: "The Hub, room 2" });
    expect(textOfVisible(world.lastPrivate(fac))).toContain("I have told the person in the group privately");
    await world.flush();
    const told = textOfVisible(inDm(jo, "Changes to Carers' learning set"));
    expect(told).toContain("Meeting 1 has moved. It was on Tuesday 10 March, 10am. It is now on Thursday 12 March, 10am.");
    expect(told).toContain("The group now meets at: The Hub, room 2.");
    expect(world.fake.dmOf(kim.id).some((m) => blocksText(m.blocks).includes("Changes to"))).toBe(false);

    world.clock.set("2026-03-09T11:00:00Z");
    await world.app.core.tick();
    await world.flush();
    expect(world.fake.dmOf(jo.id).some((m) => blocksText(m.blocks).includes("Reminder:"))).toBe(false);
    world.clock.set("2026-03-11T11:00:00Z");
    await world.app.core.tick();
    await world.flush();
    const reminder = textOfVisible(inDm(jo, "Reminder: Carers' learning set: meeting 1"));
    expect(reminder).toContain("Thursday 12 March");
    expect(reminder).toContain("The Hub, room 2");
  });

  it("digest: an evaluator receives the weekly summary, can ask for it, and others are told they cannot", async () => {
    const { programmeId } = await cast();
    await world.db.programme.update({ where: { id: programmeId }, data: { createdAt: new Date("2026-03-02T09:00:00Z") } });
    await world.slash(jo, "suggest Shorter meetings");

    world.clock.set("2026-03-09T10:00:00Z");
    await world.app.core.tick();
    const digest = world.fake.dmOf(eve.id).at(-1)!;
    expect(textOfVisible(digest)).toMatch(/week/i);
    expect(textOfVisible(digest)).not.toContain("Jo Carer");
    expect(await world.db.digest.count()).toBe(1);

    expect(textOfVisible((await world.slash(eve, "digest")).ephemeral)).toMatch(/week/i);
    expect(textOfVisible((await world.slash(jo, "digest")).ephemeral)).toContain("Sorry, only people in these roles can do that");
  });
});

describe("prompts that fit people's lives, through Slack", () => {
  it("a staged survey at each person's local time is set up in the modal, and its start survey says which stage it is", async () => {
    await cast();
    const menu = await world.slash(fac, "prompts");
    const template = allButtons(menu.ephemeral!.blocks).find((b) => b.text.text.startsWith("Use "))!;
    await world.press(fac, menu.ephemeral!, template.text.text);
    const setup = await world.openForm(fac, world.lastPrivate(fac), "Choose when and who");
    await world.submit(fac, setup, {
      title: "Before and after",
      "Send at each person": "Yes, at this time wherever each person is",
      baselineAt: "2026-03-03 10:00",
      midpointAt: "2026-06-02 10:00",
      "Who gets the questions": ["Expert by experience"],
      "Keep names off": "No, keep names",
    });
    const series = await world.db.promptSeries.findFirstOrThrow();
    expect(series).toMatchObject({ title: "Before and after", localTime: true, cron: "" });
    expect(series.baselineAt?.toISOString()).toBe("2026-03-03T10:00:00.000Z");

    world.clock.set("2026-03-02T20:00:00Z"); // 10:00 on the 3rd reaches UTC+14: open, but not yet 10:00 in London
    await world.app.core.tick();
    expect(world.fake.dmOf(jo.id).some((m) => blocksText(m.blocks).includes("Answer the questions"))).toBe(false);
    world.clock.set("2026-03-03T10:00:00Z");
    await world.app.core.tick();
    expect(textOfVisible(inDm(jo, "Answer the questions"))).toContain("This is the start survey.");
  });
});
