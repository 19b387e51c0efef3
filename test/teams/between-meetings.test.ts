import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { CHANNEL, FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

// What the evaluations said teams lacked between meetings, through the real CloudAdapter:
// roles explained, jargon explained, support contacts, and quiet members for a kind check-in.
let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unexpected()).toEqual([]);
  expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
});

const CONTACTS = "Talk to Sam Jones on 01234 567890, Monday to Friday, 9 to 5.";

/** The titles of the introduction's four cards, in the order they are sent. */
const STEP_TITLES = [/what it is for/, /^What has been done so far/, /^Ideas you can follow/, /^Coming up/];
const texts = (user: TeamsUser) => world.cards(user.chat).map((c) => cardText(c));
/** The introduction's cards in someone's chat with wesaid, as step numbers in the order they came. */
const introductionSteps = (user: TeamsUser) => texts(user).flatMap((t) => STEP_TITLES.flatMap((title, step) => (title.test(t) ? [step] : [])));
const introduction = (user: TeamsUser, step: number) => texts(user).find((t) => STEP_TITLES[step]!.test(t))!;

async function tickAt(iso: string) {
  world.clock.set(iso);
  await world.app.core.tick();
}

async function programme(): Promise<TeamsUser> {
  const fac = await world.install(teamsUser("Sam Facilitator"));
  await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
  return fac;
}

describe("between meetings, on Teams", () => {
  it("explains each role, and lists who is in the programme by role in the person's own chat", async () => {
    await programme();
    const jo = await world.joinAsExpert("Jo Carer");
    await world.send(world.build.inChannel(jo, "roles"));
    const roles = cardText(FakeTeams.card(world.messageWith(jo.chat, "Who is in")));
    expect(roles).toContain("Expert by experience (1 person)");
    expect(roles).toContain("Jo Carer");
    expect(roles).toContain("They know services from using them");
  });

  it("explains a word in plain English, a misspelt word offers buttons that work, and glossary lists the words", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.say(jo, "what is outputs"));
    expect(cardText(world.lastCard(jo.chat))).toContain("The things a project makes or does");
    await world.send(world.build.say(jo, "what is outcoms"));
    const close = world.messageWith(jo.chat, "Outcomes");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(close), /Outcomes/i), {}, { replyToId: close.id }));
    expect(JSON.stringify(world.fake.messages(jo.chat).at(-1))).toContain("What changes for people because of the work");
    await world.send(world.build.say(jo, "glossary"));
    expect(cardText(world.lastCard(jo.chat))).toContain("Words we can explain");
    expect(cardText(world.lastCard(jo.chat))).toMatch(/outputs/i);
  });

  it("offers the programme's support contacts in the welcome, on asking, and when someone pauses", async () => {
    const fac = await programme();
    await world.send(world.build.say(fac, `support-words ${CONTACTS}`));
    expect(cardText(world.lastCard(fac.chat))).toContain("Saved.");
    const jo = await world.joinAsExpert("Jo Carer");
    expect(JSON.stringify(world.fake.messages(jo.chat))).toContain(CONTACTS);
    await world.send(world.build.say(jo, "support"));
    expect(cardText(world.lastCard(jo.chat))).toContain(CONTACTS);
    await world.send(world.build.say(jo, "pause"));
    const paused = cardText(world.lastCard(jo.chat));
    expect(paused).toContain(CONTACTS);
    expect(paused).toContain("Samaritans");
  });

  it("gives the facilitator a private list of quiet members, and messages none of them", async () => {
    const fac = await programme();
    const jo = await world.joinAsExpert("Jo Carer");
    const ann = await world.joinAsExpert("Ann Parent");
    world.clock.set("2026-04-13T09:00:00Z"); // six weeks on
    await world.send(world.build.say(jo, "suggest Evening panels"));
    const annBefore = world.fake.messages(ann.chat).length;
    await world.send(world.build.say(fac, "quiet"));
    const list = cardText(world.lastCard(fac.chat));
    expect(list).toContain("People who have not taken part for 4 weeks or more");
    expect(list).toContain("Ann Parent (Expert by experience)");
    expect(list).not.toContain("Jo Carer (");
    expect(world.fake.messages(ann.chat)).toHaveLength(annBefore);
  });

  it("introduces someone who joins a running programme, in their own chat, one card a day in order, with what happened and buttons that work; the facilitator can turn it off", async () => {
    const fac = await programme();
    const ann = await world.joinAsExpert("Ann Carer");
    await world.send(world.build.say(ann, "suggest Evening meetings for carers"));
    await world.send(world.build.say(ann, "suggest A quiet room at every meeting"));
    await world.send(world.build.inChannel(fac, "update #1 Meetings now start at 6pm"));
    world.clock.set("2026-03-02T10:00:00Z");
    const jo = await world.joinAsExpert("Jo Carer");
    await tickAt("2026-03-02T10:01:00Z");
    expect(introductionSteps(jo)).toEqual([0]);
    expect(introduction(jo, 0)).toContain("You joined after the programme started");
    expect(introduction(jo, 0)).toContain("They plan and pay for local health and care services");
    // Ann was there before anything happened; nothing of it goes to the channel.
    expect(introductionSteps(ann)).toEqual([]);
    const inChannel = world.cards(CHANNEL).map((c) => cardText(c)).join("\n");
    expect(inChannel).toContain("Meetings now start at 6pm"); // the "we did" post
    expect(inChannel).not.toMatch(/what it is for|Ideas you can follow/);

    await tickAt("2026-03-03T09:00:00Z"); // not yet a day since Jo said yes
    expect(introductionSteps(jo)).toEqual([0]);
    await tickAt("2026-03-03T10:30:00Z");
    expect(introductionSteps(jo)).toEqual([0, 1]);
    expect(introduction(jo, 1)).toContain("Meetings now start at 6pm");
    expect(introduction(jo, 1)).toContain("1 idea has been done so far.");

    await tickAt("2026-03-04T10:30:00Z");
    expect(introductionSteps(jo)).toEqual([0, 1, 2]);
    expect(introduction(jo, 2)).toContain("A quiet room at every meeting");
    expect(introduction(jo, 2)).not.toContain("Evening meetings for carers"); // done, so not open
    const ideas = world.messageWith(jo.chat, "Ideas you can follow");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(ideas), "#2 matters to me too"), {}, { replyToId: ideas.id }));
    expect(await world.db.ideaFollower.count({ where: { item: { number: 2 } } })).toBe(1);

    // Bo joins on day 4; the facilitator turns the introduction off after Bo's first card.
    world.clock.set("2026-03-05T10:00:00Z");
    const bo = await world.joinAsExpert("Bo Parent");
    await tickAt("2026-03-05T10:30:00Z");
    expect(introductionSteps(jo)).toEqual([0, 1, 2, 3]);
    expect(introduction(jo, 3)).toContain("That is the end of the introduction.");
    expect(introductionSteps(bo)).toEqual([0]);
    await world.send(world.build.say(fac, "induction off"));
    expect(cardText(world.lastCard(fac.chat))).toContain("New members of Young people's mental health will not get the introduction.");
    for (const day of ["06", "07", "09", "12"]) await tickAt(`2026-03-${day}T10:30:00Z`);
    expect(introductionSteps(jo)).toEqual([0, 1, 2, 3]);
    expect(introductionSteps(bo)).toEqual([0]);
  });
});
