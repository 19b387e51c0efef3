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
const channel = { channel: "C0COPROD", name: "co-production" };
const CONTACTS = "Talk to Sam Jones on 01234 567890, Monday to Friday, 9 to 5.";

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

  it("explains a word in plain English, and a misspelt word offers buttons that work", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    const answer = await world.slash(jo, "what is outputs");
    expect(textOfVisible(answer.ephemeral)).toContain("The things a project makes or does");
    const close = await world.slash(jo, "what is outcoms");
    await world.press(jo, close.ephemeral!, /outcomes/i);
    expect(textOfVisible(world.lastPrivate(jo))).toContain("What changes for people because of the work");
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

  it("introduces someone who joins a running programme, one private message a day, with buttons that work", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    await joinAsExpert(ann);
    await world.slash(ann, "suggest Evening meetings for carers");
    world.clock.set("2026-03-02T10:00:00Z");
    await joinAsExpert(jo);
    await world.app.core.tick();
    await world.flush();
    const about = world.fake.dmOf(jo.id).filter((m) => m.text.includes("what it is for"));
    expect(about).toHaveLength(1);
    expect(textOfVisible(about[0])).toContain("You joined after the programme started");
    // Ann was there before anything happened.
    expect(world.fake.dmOf(ann.id).filter((m) => m.text.includes("what it is for"))).toEqual([]);

    world.clock.set("2026-03-03T10:30:00Z");
    await world.app.core.tick();
    world.clock.set("2026-03-04T10:30:00Z");
    await world.app.core.tick();
    await world.flush();
    const ideas = world.fake.dmOf(jo.id).find((m) => m.text.includes("Ideas you can follow"))!;
    expect(textOfVisible(ideas)).toContain("Evening meetings for carers");
    await world.press(jo, ideas, "#1 matters to me too");
    expect(await world.app.database.prisma.ideaFollower.count()).toBe(1);
  });
});
