import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

/** Recognition on Teams, through the real CloudAdapter and the fake Bot Connector. */

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


describe("recognition on Teams", () => {
  it("gives a person a thank-you file in their chat, and the facilitator totals by role with a line per person at the rates", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    const jo = await world.joinAsExpert("Jo Carer");
    await world.send(world.build.say(jo, "suggest Evening sessions, please"));

    await world.send(world.build.say(jo, "my-contribution"));
    const thanks = world.lastCard(jo.chat);
    expect(cardText(thanks)).toContain("Thank you for your time in Young people's mental health");
    const file = findAction(thanks, "Download your thank-you summary", "Action.ShowCard");
    expect(cardText(file.card)).toContain("Thank you, Jo Carer");
    expect(JSON.stringify(thanks)).not.toContain("Sam Facilitator");

    await world.send(world.build.say(fac, "rate expert by experience £24 per hour"));
    expect(cardText(world.lastCard(fac.chat))).toContain("£24 for each hour");
    await world.send(world.build.say(fac, "contribution-totals"));
    const totals = world.lastCard(fac.chat);
    expect(cardText(totals)).toContain("1 person, 5 minutes, 1 time, £2");
    const csv = findAction(totals, "Download a line for each person", "Action.ShowCard");
    expect(cardText(csv.card)).toContain("Jo Carer,Expert by experience,0.08,1,2.00");
  }, 120_000);
});
