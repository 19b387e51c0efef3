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
});
