import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld, choose } from "./harness.ts";
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

  it("an evaluator codes a comment from the report's Code button, and the weekly digest card shows the check's figures and the code", async () => {
    world.clock.set("2026-03-02T10:00:00Z");
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    await world.db.programme.updateMany({ data: { createdAt: new Date("2026-03-02T09:00:00Z") } });
    // Jo and three more experts, and the facilitator: five people asked, so figures can be shown.
    const jo = await world.joinAsExpert("Jo Carer");
    for (const name of ["Ann Carer", "Ben Carer", "Cal Carer"]) await world.joinAsExpert(name);
    const eve = await world.addEvaluator(fac);
    await world.consent(eve);

    await world.send(world.build.say(eve, "check"));
    const formMessage = world.messageWith(eve.chat, "Check with people");
    await world.send(world.build.execute(eve, findAction(FakeTeams.card(formMessage), "Preview"), { title: "Meeting times", summary: "Evening meetings suit carers better." }, { replyToId: formMessage.id }));
    const preview = world.messageWith(eve.chat, "Preview: Meeting times");
    await world.send(world.build.execute(eve, findAction(FakeTeams.card(preview), "Send it"), {}, { replyToId: preview.id }));
    const check = world.messageWith(jo.chat, "Did we get this right?");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(check), "Send"), { verdict: "partly", comment: "Evenings are hard for me too." }, { replyToId: check.id }));

    await world.send(world.build.say(eve, "check answers"));
    const pick = world.messageWith(eve.chat, "Which check?");
    await world.send(world.build.execute(eve, findAction(FakeTeams.card(pick), /Meeting times/), {}, { replyToId: pick.id }));
    const report = world.lastCard(eve.chat);
    expect(cardText(report)).toContain("All roles together (5 asked): Yes: 0. Partly: 1. No: 0. No reply: 4.");
    expect(cardText(report)).toContain('"Evenings are hard for me too."');

    // The Code button under Jo's words opens the same choice of codes as for an answer.
    await world.send(world.build.execute(eve, findAction(report, "Code")));
    const picker = world.lastCard(eve.chat);
    expect(cardText(picker)).toContain("Codes for this check answer");
    expect(cardText(picker)).toContain('"Evenings are hard for me too."');
    await world.send(world.build.execute(eve, findAction(picker, "Save codes"), { codes: choose(picker, ["SCIE principles: Equality"]) }));
    expect(cardText(world.lastCard(eve.chat))).toContain("Saved. This check answer has 1 code.");

    // A week on: the digest, as Teams shows it in Eve's chat.
    world.clock.set("2026-03-09T10:00:00Z");
    await world.app.core.tick();
    const digest = cardText(FakeTeams.card(world.messageWith(eve.chat, "Checking with people")));
    expect(digest).toContain('"Meeting times" (sent 2 March 2026, still open): 5 people asked. Did we get this right? yes 0, partly 1, no 0, no reply 4.');
    expect(digest).toContain("SCIE principles: Equality: given to what fewer than 5 people said, so no numbers are shown.");
    for (const name of ["Jo Carer", "Ann Carer", "Sam Facilitator"]) expect(digest).not.toContain(name);
  });
});
