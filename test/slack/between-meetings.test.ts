import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

// What the evaluations said teams lacked between meetings, through the real Bolt app:
// roles explained, jargon explained, support contacts, and quiet members for a kind check-in.
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

const fay: SlackUser = { id: "U0FAY", name: "Fay" };
const jo: SlackUser = { id: "U0JO", name: "Jo" };
const ann: SlackUser = { id: "U0ANN", name: "Ann" };
const bo: SlackUser = { id: "U0BO", name: "Bo" };
const channel = { channel: "C0COPROD", name: "co-production" };
const CONTACTS = "Talk to Sam Jones on 01234 567890, Monday to Friday, 9 to 5.";

/** The titles of the introduction's four messages, in the order they are sent. */
const STEP_WORDS = ["what it is for", "What has been done so far", "Ideas you can follow", "Coming up"];
/** The introduction's messages in someone's DM with wesaid, as step numbers in the order they came. */
const introductionSteps = (user: SlackUser) => world.fake.dmOf(user.id).flatMap((m) => STEP_WORDS.flatMap((w, step) => (m.text.includes(w) ? [step] : [])));
const introduction = (user: SlackUser, step: number) => world.fake.dmOf(user.id).find((m) => m.text.includes(STEP_WORDS[step]!))!;

async function tickAt(iso: string) {
  world.clock.set(iso);
  await world.app.core.tick();
  await world.flush();
}

async function joinAsExpert(user: SlackUser) {
  const join = await world.slash(user, "join", channel);
  await world.press(user, join.ephemeral!, "Expert by experience");
  const welcome = world.fake.dmOf(user.id).find((m) => m.text.startsWith("Welcome"))!;
  const modal = await world.openForm(user, welcome, "Make your choices");
  await world.submit(user, modal, { "Can we store": "Yes", "Can the evaluation team quote": "No" });
  return welcome;
}

describe("between meetings, on Slack", () => {
  it("explains each role, and lists who is in the programme by role, only to the person who asked", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    await joinAsExpert(jo);
    const roles = await world.slash(jo, "roles", channel);
    const text = textOfVisible(roles.ephemeral);
    expect(text).toContain("Who is in Mental health review");
    expect(text).toContain("Expert by experience (1 person)");
    expect(text).toContain("Jo");
    expect(text).toContain("They know services from using them");
    expect(world.fake.responsePosts.at(-1)?.body.response_type).toBe("ephemeral");
    // Nothing was posted for the channel to see.
    expect(world.fake.inChannel("C0COPROD").map((m) => m.text)).not.toContain(expect.stringContaining("Who is in"));
  });

  it("explains a word in plain English, a misspelt word offers buttons that work, and glossary lists the words", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    const answer = await world.slash(jo, "what is outputs");
    expect(textOfVisible(answer.ephemeral)).toContain("The things a project makes or does");
    const close = await world.slash(jo, "what is outcoms");
    await world.press(jo, close.ephemeral!, /outcomes/i);
    expect(textOfVisible(world.lastPrivate(jo))).toContain("What changes for people because of the work");
    const words = await world.slash(jo, "glossary");
    expect(textOfVisible(words.ephemeral)).toContain("Words we can explain");
    expect(textOfVisible(words.ephemeral)).toMatch(/outputs/i);
  });

  it("offers the programme's support contacts in the welcome, on asking, and when someone pauses", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    const saved = await world.slash(fay, `support-words ${CONTACTS}`, channel);
    expect(textOfVisible(saved.ephemeral)).toContain("Saved.");
    const welcome = await joinAsExpert(jo);
    // The welcome, once its consent question is answered, still offers them.
    expect(textOfVisible(welcome)).toContain("Your choices are saved");
    expect(textOfVisible(welcome)).toContain(CONTACTS);
    expect(textOfVisible((await world.slash(jo, "support")).ephemeral)).toContain(CONTACTS);
    const paused = await world.slash(jo, "pause");
    expect(textOfVisible(paused.ephemeral)).toContain(CONTACTS);
    expect(textOfVisible(paused.ephemeral)).toContain("Samaritans");
  });

  it("gives the facilitator a private list of quiet members, and messages none of them", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    await joinAsExpert(jo);
    await joinAsExpert(ann);
    world.clock.set("2026-04-13T09:00:00Z"); // six weeks on
    await world.slash(jo, "suggest Evening panels");
    await world.flush();
    const annBefore = world.fake.dmOf(ann.id).length;
    const quiet = await world.slash(fay, "quiet", channel);
    const list = textOfVisible(quiet.ephemeral);
    expect(list).toContain("People who have not taken part for 4 weeks or more");
    expect(list).toContain("Ann (Expert by experience)");
    expect(list).not.toContain("Jo (");
    await world.flush();
    expect(world.fake.dmOf(ann.id)).toHaveLength(annBefore);
  });

  it("introduces someone who joins a running programme, in private, one message a day in order, with what happened and buttons that work; the facilitator can turn it off", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    await joinAsExpert(ann);
    await world.slash(ann, "suggest Evening meetings for carers");
    await world.slash(ann, "suggest A quiet room at every meeting");
    await world.slash(fay, "update #1 Meetings now start at 6pm", channel);
    world.clock.set("2026-03-02T10:00:00Z");
    await joinAsExpert(jo);
    await tickAt("2026-03-02T10:01:00Z");
    expect(introductionSteps(jo)).toEqual([0]);
    expect(textOfVisible(introduction(jo, 0))).toContain("You joined after the programme started");
    expect(textOfVisible(introduction(jo, 0))).toContain("They plan and pay for local health and care services");
    // Ann was there before anything happened; nothing of it goes to the channel.
    expect(introductionSteps(ann)).toEqual([]);
    expect(world.fake.inChannel("C0COPROD").some((m) => textOfVisible(m).includes("Meetings now start at 6pm"))).toBe(true); // the "we did" post
    expect(world.fake.inChannel("C0COPROD").filter((m) => STEP_WORDS.some((w) => m.text.includes(w)))).toEqual([]);

    await tickAt("2026-03-03T09:00:00Z"); // not yet a day since Jo said yes
    expect(introductionSteps(jo)).toEqual([0]);
    await tickAt("2026-03-03T10:30:00Z");
    expect(introductionSteps(jo)).toEqual([0, 1]);
    expect(textOfVisible(introduction(jo, 1))).toContain("Meetings now start at 6pm");
    expect(textOfVisible(introduction(jo, 1))).toContain("1 idea has been done so far.");

    await tickAt("2026-03-04T10:30:00Z");
    expect(introductionSteps(jo)).toEqual([0, 1, 2]);
    const ideas = introduction(jo, 2);
    expect(textOfVisible(ideas)).toContain("A quiet room at every meeting");
    expect(textOfVisible(ideas)).not.toContain("Evening meetings for carers"); // done, so not open
    await world.press(jo, ideas, "#2 matters to me too");
    expect(await world.db.ideaFollower.count({ where: { item: { number: 2 } } })).toBe(1);

    // Bo joins on day 4; the facilitator turns the introduction off after Bo's first message.
    world.clock.set("2026-03-05T10:00:00Z");
    await joinAsExpert(bo);
    await tickAt("2026-03-05T10:30:00Z");
    expect(introductionSteps(jo)).toEqual([0, 1, 2, 3]);
    expect(textOfVisible(introduction(jo, 3))).toContain("That is the end of the introduction.");
    expect(introductionSteps(bo)).toEqual([0]);
    const off = await world.slash(fay, "induction off", channel);
    expect(textOfVisible(off.ephemeral)).toContain("New members of Mental health review will not get the introduction.");
    for (const day of ["06", "07", "09", "12"]) await tickAt(`2026-03-${day}T10:30:00Z`);
    expect(introductionSteps(jo)).toEqual([0, 1, 2, 3]);
    expect(introductionSteps(bo)).toEqual([0]);
  });
});
