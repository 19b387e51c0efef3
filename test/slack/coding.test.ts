import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { SlackWorld, blocksText, textOfVisible, type SlackUser } from "./harness.ts";

/** An evaluator codes an idea in Slack, through the real Bolt app, and finds the code in the next export. */

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

async function consent(user: SlackUser): Promise<void> {
  const welcome = [...world.fake.dmOf(user.id)].reverse().find((m) => blocksText(m.blocks).includes("Make your choices"))!;
  await world.submit(user, await world.openForm(user, welcome, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
}

async function exportedIdeas(filename: string, count: number) {
  await world.until(() => world.fake.uploads.filter((u) => u.filename === filename).length === count, "the export to be uploaded");
  const upload = world.fake.uploads.filter((u) => u.filename === filename)[count - 1]!;
  const file = upload.content.slice(upload.content.indexOf("\uFEFF")).split(/\r\n--/)[0]!;
  return parse(file, { bom: true, columns: true }) as Record<string, string>[];
}

describe("theme coding on Slack", () => {
  it("lets an evaluator code an idea by its export id in a modal, and the next export carries the code", async () => {
    await world.slash(fac, "setup Mental health review", channel);
    await consent(fac);
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    await consent(jo);
    await world.slash(jo, "suggest Evening sessions, please");
    world.fake.users.set(eve.id, eve.name);
    await world.slash(fac, `role <@${eve.id}|eve> evaluator`, channel);

    await world.slash(eve, "export ideas", channel);
    const [before] = await exportedIdeas("wesaid-ideas.csv", 1);
    expect(before!.theme_codes).toBe("");

    const picker = await world.slash(eve, `code idea ${before!.idea_id}`);
    expect(textOfVisible(picker.ephemeral)).toContain("Codes for this idea");
    const modal = await world.openForm(eve, picker.ephemeral!, "Choose codes");
    await world.submit(eve, modal, { Codes: ["SCIE principles: Equality", "Co:Create factors: Leadership"] });

    await world.slash(eve, "export ideas", channel);
    const [after] = await exportedIdeas("wesaid-ideas.csv", 2);
    expect(after!.theme_codes).toBe("cocreate_factors:leadership; scie:equality");

    // Jo, an expert by experience, cannot code.
    expect(textOfVisible((await world.slash(jo, `code idea ${before!.idea_id}`)).ephemeral)).not.toContain("Codes for this idea");
  });
});
