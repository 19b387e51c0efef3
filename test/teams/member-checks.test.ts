import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

/** Member checking in Teams, through the real CloudAdapter and the fake Bot Connector. */

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


describe("member checking in Teams", () => {
  it("an evaluator sends a summary, a participant answers it in their private chat, and the evaluator sees the report", async () => {
    world.clock.set("2026-03-02T10:00:00Z");
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    const jo = await world.joinAsExpert("Jo Carer");
    const eve = await world.addEvaluator(fac);
    await world.consent(eve);

    await world.send(world.build.say(eve, "check"));
    const formMessage = world.messageWith(eve.chat, "Check with people");
    await world.send(world.build.execute(eve, findAction(FakeTeams.card(formMessage), "Preview"), { title: "Meeting times", summary: "Evening meetings suit carers better." }, { replyToId: formMessage.id }));
    const preview = world.messageWith(eve.chat, "Preview: Meeting times");
    await world.send(world.build.execute(eve, findAction(FakeTeams.card(preview), "Send it"), {}, { replyToId: preview.id }));

    const check = world.messageWith(jo.chat, "Did we get this right?");
    expect(cardText(FakeTeams.card(check))).toContain("Evening meetings suit carers better.");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(check), "Send"), { verdict: "partly", comment: "Evenings are hard for me too." }, { replyToId: check.id }));
    expect(await world.db.memberCheckResponse.findFirstOrThrow()).toMatchObject({ verdict: "partly", role: "expert_by_experience" });

    await world.send(world.build.say(eve, "check answers"));
    const pick = world.messageWith(eve.chat, "Which check?");
    await world.send(world.build.execute(eve, findAction(FakeTeams.card(pick), /Meeting times/), {}, { replyToId: pick.id }));
    const report = cardText(world.lastCard(eve.chat));
    expect(report).toContain("Answers to: Meeting times");
    expect(report).toContain("Fewer than 5 people were asked, so no figures are shown.");
    expect(report).not.toContain("Jo Carer");
  });
});
