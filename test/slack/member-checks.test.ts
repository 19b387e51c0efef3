import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../support/fake-slack.ts";
import { blocksText, SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

/** Member checking in Slack, through the real Bolt app: sent, answered in a modal, reported. */

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

const CHANNEL = { channel: "C0COPROD", name: "co-production" };
const fac: SlackUser = { id: "U0FAC", name: "Sam Facilitator" };
const jo: SlackUser = { id: "U0JO", name: "Jo Carer" };
const eve: SlackUser = { id: "U0EVE", name: "Eve Evaluator" };


/** Something shown privately to a person: an ephemeral message or one in their DM. */
const privateWith = (user: SlackUser, words: string) => [...world.fake.ephemeralsFor(user.id), ...world.fake.dmOf(user.id)].find((m) => textOfVisible(m).includes(words));

describe("member checking in Slack", () => {
  it("an evaluator sends a summary, a participant answers it in their DM, and the evaluator's report keeps a small group's figures back", async () => {
    world.clock.set("2026-03-02T10:00:00Z");
    await world.slash(fac, "setup Young people's mental health", CHANNEL);
    await world.consent(fac);
    const join = await world.slash(jo, "join", CHANNEL);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    await world.consent(jo);
    world.fake.users.set(eve.id, eve.name);
    await world.slash(fac, `role <@${eve.id}|eve> evaluator`, CHANNEL);
    await world.consent(eve);

    const asked = await world.slash(eve, "check", CHANNEL);
    await world.submit(eve, await world.openForm(eve, asked.ephemeral!, "Write a summary"), { Title: "Meeting times", "What we heard, in plain words": "Evening meetings suit carers better." });
    await world.until(() => Boolean(privateWith(eve, "Preview: Meeting times")), "the preview");
    const preview = privateWith(eve, "Preview: Meeting times")!;
    await world.press(eve, preview, "Send it");

    const check = world.fake.dmOf(jo.id).find((m) => textOfVisible(m).includes("Did we get this right?"))!;
    expect(textOfVisible(check)).toContain("Evening meetings suit carers better.");
    expect(check.channel).toBe(FakeSlack.dmChannelOf(jo.id));
    expect(world.fake.dmOf(eve.id).some((m) => textOfVisible(m).includes("Here is what we have heard so far"))).toBe(false);
    await world.submit(jo, await world.openForm(jo, check, "Answer"), { "Did we get this right?": "Partly", "Anything to add?": "Evenings are hard for me too." });
    await world.until(async () => (await world.db.memberCheckResponse.count()) === 1, "the answer to be stored");

    const pick = await world.slash(eve, "check answers", CHANNEL);
    const report = await world.press(eve, pick.ephemeral!, /Meeting times/);
    expect(report.status).toBe(200);
    await world.until(() => Boolean(privateWith(eve, "Answers to: Meeting times")), "the report");
    const text = textOfVisible(privateWith(eve, "Answers to: Meeting times"));
    // Two people were asked (Jo and the facilitator): too few for any figure to be shown (the small-group rule).
    expect(text).toContain("Fewer than 5 people were asked, so no figures are shown.");
    expect(await world.db.memberCheckResponse.findFirstOrThrow()).toMatchObject({ verdict: "partly", role: "expert_by_experience", comment: "Evenings are hard for me too." });
    expect(text).not.toContain("Jo Carer");
  });

  it("an evaluator codes a comment from the report's Code button, and the weekly digest in their DM shows the check's figures and the code", async () => {
    world.clock.set("2026-03-02T10:00:00Z");
    await world.slash(fac, "setup Young people's mental health", CHANNEL);
    await world.consent(fac);
    await world.db.programme.updateMany({ data: { createdAt: new Date("2026-03-02T09:00:00Z") } });
    // Jo and three more experts, and the facilitator: five people asked, so figures can be shown.
    const experts: SlackUser[] = [jo, { id: "U0ANN", name: "Ann Carer" }, { id: "U0BEN", name: "Ben Carer" }, { id: "U0CAL", name: "Cal Carer" }];
    for (const person of experts) {
      const join = await world.slash(person, "join", CHANNEL);
      await world.press(person, join.ephemeral!, "Expert by experience");
      await world.consent(person);
    }
    world.fake.users.set(eve.id, eve.name);
    await world.slash(fac, `role <@${eve.id}|eve> evaluator`, CHANNEL);
    await world.consent(eve);

    const asked = await world.slash(eve, "check", CHANNEL);
    await world.submit(eve, await world.openForm(eve, asked.ephemeral!, "Write a summary"), { Title: "Meeting times", "What we heard, in plain words": "Evening meetings suit carers better." });
    await world.until(() => Boolean(privateWith(eve, "Preview: Meeting times")), "the preview");
    await world.press(eve, privateWith(eve, "Preview: Meeting times")!, "Send it");
    const check = world.fake.dmOf(jo.id).find((m) => textOfVisible(m).includes("Did we get this right?"))!;
    await world.submit(jo, await world.openForm(jo, check, "Answer"), { "Did we get this right?": "Partly", "Anything to add?": "Evenings are hard for me too." });
    await world.until(async () => (await world.db.memberCheckResponse.count()) === 1, "the answer to be stored");

    const pick = await world.slash(eve, "check answers", CHANNEL);
    await world.press(eve, pick.ephemeral!, /Meeting times/);
    await world.until(() => Boolean(privateWith(eve, "Answers to: Meeting times")), "the report");
    const report = privateWith(eve, "Answers to: Meeting times")!;
    expect(textOfVisible(report)).toContain("All roles together (5 asked): Yes: 0. Partly: 1. No: 0. No reply: 4.");
    expect(textOfVisible(report)).toContain('"Evenings are hard for me too."');

    // The Code button under Jo's words opens the same choice of codes as for an answer.
    await world.press(eve, report, "Code");
    await world.until(() => Boolean(privateWith(eve, "Codes for this check answer")), "the choice of codes");
    const picker = privateWith(eve, "Codes for this check answer")!;
    expect(textOfVisible(picker)).toContain('"Evenings are hard for me too."');
    await world.submit(eve, await world.openForm(eve, picker, "Choose codes"), { Codes: ["SCIE principles: Equality"] });
    const response = await world.db.memberCheckResponse.findFirstOrThrow();
    await world.until(async () => (await world.db.codeAssignment.count({ where: { targetId: response.id, kind: "check" } })) === 1, "the code to be saved");

    // A week on: the digest, as Slack shows it in Eve's DM.
    world.clock.set("2026-03-09T10:00:00Z");
    await world.app.core.tick();
    await world.until(() => world.fake.dmOf(eve.id).some((m) => textOfVisible(m).includes("Checking with people")), "the digest");
    const digest = textOfVisible(world.fake.dmOf(eve.id).find((m) => textOfVisible(m).includes("Checking with people")));
    expect(digest).toContain('"Meeting times" (sent 2 March 2026, still open): 5 people asked. Did we get this right? yes 0, partly 1, no 0, no reply 4.');
    expect(digest).toContain("SCIE principles: Equality: given to what fewer than 5 people said, so no numbers are shown.");
    for (const person of experts) expect(digest).not.toContain(person.name);
  });
});
