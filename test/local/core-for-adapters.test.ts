import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MentionWords } from "../../adapters/mentions.ts";
import { DEMO_CAST, readMentions } from "../../adapters/local/personas.ts";
import { World, withMentions } from "../support/world.ts";

// What the core offers adapters instead of its database: the directory, an
// adapter's own state, what the outbox sent, and the demo seed. And how every
// adapter writes mentions: readable words, the people as data.

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("the directory", () => {
  it("finds a person by their platform id with the address the adapter gave, and a linked channel", async () => {
    const programme = await world.programme();
    // Someone who only asks for help leaves no row (nobody has one before joining)...
    await world.core.handle({ platform: "teams", user: { externalId: "aad-jo", displayName: "Jo", address: { kind: "conversation", id: "a:1" } }, place: { kind: "direct" }, input: { kind: "command", text: "help" } });
    expect(await world.core.directory.findPerson("teams", "aad-jo")).toBeNull();
    // ...an adapter that must keep an address (a Teams install) asks the directory to remember it.
    await world.core.directory.remember("teams", { externalId: "aad-jo", displayName: "Jo", address: { kind: "conversation", id: "a:1" } });
    expect(await world.core.directory.findPerson("teams", "aad-jo")).toMatchObject({ displayName: "Jo", address: { kind: "conversation", id: "a:1" } });
    expect(await world.core.directory.findPerson("slack", "aad-jo")).toBeNull();
    expect(await world.core.directory.findChannel("local", programme.channel)).toEqual({ programmeId: programme.id, name: "co-production" });
    expect(await world.core.directory.findChannel("local", "C-nowhere")).toBeNull();
  });

  it("adds people not known yet and leaves known people as they are", async () => {
    await world.core.directory.addPeople("local", [{ externalId: "p1", displayName: "Pat" }]);
    await world.core.directory.addPeople("local", [{ externalId: "p1", displayName: "Renamed" }, { externalId: "p2", displayName: "Kim" }]);
    expect((await world.core.directory.findPerson("local", "p1"))?.displayName).toBe("Pat");
    expect((await world.core.directory.findPerson("local", "p2"))?.displayName).toBe("Kim");
  });
});

describe("an adapter's own state", () => {
  it("keeps JSON values per adapter, lists by prefix and deletes, and one adapter never sees another's", async () => {
    const mine = world.core.adapterState("playground");
    const theirs = world.core.adapterState("other");
    await mine.set("entry:1", { text: "hello" });
    await mine.set("entry:2", [1, 2]);
    await mine.set("clock", 42);
    await theirs.set("entry:1", "not yours");
    expect(await mine.get("entry:1")).toEqual({ text: "hello" });
    expect(await mine.list("entry:")).toEqual([
      { key: "entry:1", value: { text: "hello" } },
      { key: "entry:2", value: [1, 2] },
    ]);
    await mine.delete(["entry:1", "clock"]);
    expect(await mine.get("entry:1")).toBeUndefined();
    expect(await mine.get("clock")).toBeUndefined();
    expect(await theirs.get("entry:1")).toBe("not yours");
    // The playground's keys are the ones it always used, so a playground kept from before still restores.
    expect(await world.prisma.setting.findUnique({ where: { key: "playground:entry:2" } })).toMatchObject({ value: "[1,2]" });
    expect(() => world.core.adapterState("Bad Name:")).toThrow();
  });
});

describe("what the outbox sent", () => {
  it("lists the messages sent to one platform, with the reference the messenger returned", async () => {
    const programme = await world.programme();
    await world.person(programme, "Jo", "expert_by_experience");
    const sent = [];
    for await (const row of world.core.sentMessages("local")) sent.push(row);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBe(world.messenger.sent.length);
    expect(sent[0]).toMatchObject({ ref: { platform: "local" }, replaced: false, message: { summary: expect.any(String) } });
    for await (const _row of world.core.sentMessages("slack")) throw new Error("nothing was sent to Slack");
  });
});

describe("the demo seed", () => {
  it("seeds the demo with the playground's cast, once", async () => {
    const first = await world.core.loadDemo(DEMO_CAST);
    expect(first).toMatchObject({ created: true, programmeName: "Young people's mental health (demo)" });
    expect(first.message).toContain("#demo-programme");
    const again = await world.core.loadDemo(DEMO_CAST);
    expect(again).toMatchObject({ created: false, programmeId: first.programmeId });
    // The demo's own panel and three ideas, once each, beside the made-up history's.
    expect(await world.prisma.panel.count({ where: { title: { startsWith: "Choosing the new drop-in provider: interview panel" } } })).toBe(1);
    expect(await world.prisma.feedbackItem.count({ where: { text: { startsWith: "Hold some meetings online" } } })).toBe(1);
    expect(await world.prisma.feedbackItem.count({ where: { text: { startsWith: "Send meeting papers a week before" } } })).toBe(1);
  }, 180_000);
});

describe("mentions as every adapter writes them", () => {
  it("names each person with readable, unique words and lists them in order", () => {
    const words = new MentionWords("thanks @Jo for this");
    expect([words.add("U1", "Jo"), words.add("U2"), words.add("U3", "Sam"), words.add("U4"), words.add("U1", "Jo")]).toEqual(["@Jo (2)", "@someone-1", "@Sam", "@someone-2", "@Jo (2)"]);
    expect(words.mentions.map((m) => m.externalId)).toEqual(["U1", "U2", "U3", "U4", "U1"]);
  });

  it("the test harness sends <@id|Name> as an adapter would", () => {
    expect(withMentions("role <@U-1|Priya> commissioner, not <@U-2>")).toEqual({
      text: "role @Priya commissioner, not @someone-1",
      mentions: [
        { externalId: "U-1", displayName: "Priya", shownAs: "@Priya" },
        { externalId: "U-2", shownAs: "@someone-1" },
      ],
    });
  });

  it("the playground reads @first names, keys and roles as its personas, and leaves other @words alone", () => {
    expect(readMentions("together Tidy up with @Sam and @commissioner, cc @nobody")).toEqual({
      text: "together Tidy up with @Sam and @commissioner, cc @nobody",
      mentions: [
        { externalId: "persona-expert", displayName: "Sam (expert by experience)", shownAs: "@Sam" },
        { externalId: "persona-commissioner", displayName: "Priya (commissioner)", shownAs: "@commissioner" },
      ],
    });
  });
});
