import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

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

  it("explains a word in plain English, and a misspelt word offers buttons that work", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.say(jo, "what is outputs"));
    expect(cardText(world.lastCard(jo.chat))).toContain("The things a project makes or does");
    await world.send(world.build.say(jo, "what is outcoms"));
    const close = world.messageWith(jo.chat, "Outcomes");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(close), /Outcomes/i), {}, { replyToId: close.id }));
    expect(JSON.stringify(world.fake.messages(jo.chat).at(-1))).toContain("What changes for people because of the work");
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

  it("introduces someone who joins a running programme, one private message a day, with buttons that work", async () => {
    await programme();
    const ann = await world.joinAsExpert("Ann Carer");
    await world.send(world.build.say(ann, "suggest Evening meetings for carers"));
    world.clock.set("2026-03-02T10:00:00Z");
    const jo = await world.joinAsExpert("Jo Carer");
    await world.app.core.tick();
    expect(cardText(FakeTeams.card(world.messageWith(jo.chat, "what it is for")))).toContain("You joined after the programme started");
    expect(world.cards(ann.chat).map((c) => cardText(c)).join("\n")).not.toContain("what it is for");

    world.clock.set("2026-03-03T10:30:00Z");
    await world.app.core.tick();
    world.clock.set("2026-03-04T10:30:00Z");
    await world.app.core.tick();
    const ideas = world.messageWith(jo.chat, "Ideas you can follow");
    expect(cardText(FakeTeams.card(ideas))).toContain("Evening meetings for carers");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(ideas), "#1 matters to me too"), {}, { replyToId: ideas.id }));
    expect(await world.db.ideaFollower.count()).toBe(1);
  });
});
