import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { FakeSlack } from "../support/fake-slack.ts";
import { SlackWorld, blocksText, textOfVisible, type SlackUser } from "./harness.ts";

/** An evaluator's `export` in Slack, through the real Bolt app: the file is uploaded to their DM with wesaid. */

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

const fac: SlackUser = { id: "U0FAC", name: "Fay" };
const jo: SlackUser = { id: "U0JO", name: "Jo" };
const eve: SlackUser = { id: "U0EVE", name: "Eve" };
const channel = { channel: "C0COPROD", name: "co-production" };


describe("export on Slack", () => {
  it("uploads the evaluator's CSV to their DM, never the channel, with no names or Slack ids in it", async () => {
    await world.slash(fac, "setup Mental health review", channel);
    await world.consent(fac);
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    await world.consent(jo);
    await world.slash(jo, "suggest Evening sessions, please");
    world.fake.users.set(eve.id, eve.name);
    await world.slash(fac, `role <@${eve.id}|eve> evaluator`, channel);

    const reply = await world.slash(eve, "export ideas", channel);
    expect(textOfVisible(reply.ephemeral)).toContain("Your export of ideas");
    await world.until(() => world.fake.uploads.some((u) => u.channel && u.filename === "wesaid-ideas.csv"), "the export to be uploaded");
    const upload = world.fake.uploads.find((u) => u.filename === "wesaid-ideas.csv")!;
    expect(upload.channel).toBe(FakeSlack.dmChannelOf(eve.id));
    // The fake keeps the multipart body Slack's upload URL received: the file is the part from the byte order mark.
    const file = upload.content.slice(upload.content.indexOf("\uFEFF")).split(/\r\n--/)[0]!;
    const rows = parse(file, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ idea_number: "1", event: "raised", text: "Evening sessions, please" })]);
    for (const secret of ["Jo", jo.id, fac.id, "Fay"]) expect(upload.content).not.toContain(secret);

    // Someone without the evaluator's role is told no, and nothing is uploaded.
    const refused = await world.slash(jo, "export ideas");
    expect(textOfVisible(refused.ephemeral)).not.toContain("Your export");
    expect(world.fake.uploads.filter((u) => u.filename === "wesaid-ideas.csv")).toHaveLength(1);
  });
});
