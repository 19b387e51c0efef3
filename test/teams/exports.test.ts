import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

/** An evaluator's `export` in Teams, through the real CloudAdapter and the fake Bot Connector. */

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


describe("export on Teams", () => {
  it("gives an evaluator the ideas as a CSV in a card in their private chat, with no names, and the file over HTTP with a token", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    const jo = await world.joinAsExpert("Jo Carer");
    await world.send(world.build.say(jo, "suggest Evening sessions, please"));
    const eve = await world.addEvaluator(fac);

    await world.send(world.build.say(eve, "export ideas csv"));
    const card = world.lastCard(eve.chat);
    expect(cardText(card)).toContain("Your export of ideas and what happened to them");
    const file = findAction(card, "Download wesaid-ideas.csv", "Action.ShowCard");
    const shown = cardText(file.card);
    expect(shown).toContain("idea_id,programme_id,programme,idea_number,event");
    expect(shown).toContain("Evening sessions, please");
    for (const secret of ["Jo Carer", jo.aadObjectId, jo.id]) expect(JSON.stringify(card)).not.toContain(secret);

    await world.send(world.build.say(eve, "export token"));
    const token = /wse_[\w-]+/.exec(cardText(world.lastCard(eve.chat)))![0];
    const programme = await world.db.programme.findFirstOrThrow();
    const res = await fetch(`${world.app.url}/exports/ideas.csv?programme=${programme.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.toString("utf8");
    expect(body).toContain('"Evening sessions, please"');
  });
});
