import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../support/fake-slack.ts";
import { blocksText, SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

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


/** A programme with Jo (one idea) and Eve the evaluator; a week on, the digest Eve gets in her DM. */
async function firstWeeksDigest() {
  await world.slash(fac, "setup Young people's mental health", CHANNEL);
  await world.consent(fac);
  const join = await world.slash(jo, "join", CHANNEL);
  await world.press(jo, join.ephemeral!, "Expert by experience");
  await world.consent(jo);
  world.fake.users.set(eve.id, eve.name);
  await world.slash(fac, `role <@${eve.id}|eve> evaluator`, CHANNEL);
  await world.consent(eve);
  await world.db.programme.updateMany({ data: { createdAt: new Date("2026-03-02T09:00:00Z") } });
  await world.slash(jo, "suggest Shorter meetings");
  world.clock.set("2026-03-09T10:00:00Z");
  await world.app.core.tick();
  return [...world.fake.dmOf(eve.id)].reverse().find((m) => /weekly summary/.test(textOfVisible(m)))!;
}

describe("the weekly digest's charts in Slack", () => {
  it("an evaluator's digest says each chart's numbers and its PNGs are uploaded to their DM, with alt text", async () => {
    const digest = await firstWeeksDigest();
    const text = textOfVisible(digest);
    expect(text).toContain("People taking part, by role*: the chart is attached below.");
    expect(text).toMatch(/Ideas in the week starting 2 Mar: Ideas raised 1,/);
    expect(text).toContain("Open this summary as a web page");
    expect(text).not.toContain("Jo Carer");

    const uploads = world.fake.uploads.filter((u) => u.channel === FakeSlack.dmChannelOf(eve.id));
    expect(uploads.map((u) => u.filename)).toEqual(["people-taking-part-by-role.png", "ideas-in-the-week-starting-2-mar.png"]);
    expect(uploads.map((u) => u.title)).toEqual(["People taking part, by role", "Ideas in the week starting 2 Mar"]);
    // The fake keeps the upload's body as text: a PNG's signature and header chunk are in it.
    for (const upload of uploads) expect(upload.content).toMatch(/PNG\r\n\u001a\n[\s\S]{4}IHDR/);
    const altTexts = world.fake.calls.filter((c) => c.method === "files.getUploadURLExternal").map((c) => String((c.body as Record<string, unknown>).alt_txt ?? (c.body as Record<string, unknown>).alt_text));
    expect(altTexts[0]).toContain("People taking part, by role over 1 week");

    // Asked for with the command, the summary is a private reply and its charts go to the DM, never the channel.
    const asked = await world.slash(eve, "digest", CHANNEL);
    // The reply comes privately after the acknowledgement (the slash command's response_url).
    expect(textOfVisible(asked.ephemeral)).toContain("People taking part, by role*: the chart is in your private messages with wesaid.");
    const charts = world.fake.uploads.filter((u) => u.title === "People taking part, by role");
    expect(charts.filter((u) => u.channel === FakeSlack.dmChannelOf(eve.id))).toHaveLength(2);
    expect(charts.filter((u) => u.channel === CHANNEL.channel)).toEqual([]);
  });

  it("an evaluator opens the digest's web page and presses its export button: the week's answers come as a CSV in their DM only", async () => {
    const digest = await firstWeeksDigest();

    const url = /https?:\/\/[^\s|>]+\/digests\/[^\s|>]+/.exec(JSON.stringify(digest.blocks))![0].replace(/\\u0026|&amp;/g, "&");
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("Ideas raised");
    for (const name of ["Jo Carer", "Sam Facilitator", "Eve Evaluator"]) expect(html).not.toContain(name);

    await world.press(eve, digest, "Export answers (CSV)");
    await world.until(() => world.fake.uploads.some((u) => u.filename === "wesaid-answers-2026-03-02-to-2026-03-08.csv"), "the export to be uploaded");
    const upload = world.fake.uploads.find((u) => u.filename === "wesaid-answers-2026-03-02-to-2026-03-08.csv")!;
    expect(upload.channel).toBe(FakeSlack.dmChannelOf(eve.id));
    const file = upload.content.slice(upload.content.indexOf("\uFEFF")).split(/\r\n--/)[0]!;
    const header = (parse(file, { bom: true, to_line: 1 }) as string[][])[0];
    expect(header).toEqual(expect.arrayContaining(["answer_id", "question", "role"]));
  });
});
