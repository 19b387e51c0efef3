import { get as httpGet } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

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


/** Every element of a card, nested ones too. */
function elements(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!node || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  return [record, ...Object.values(record).flatMap(elements)];
}

/** The first bytes of what a URL serves, on a new connection. */
function firstBytes(url: string): Promise<{ status: number; type: string | undefined; head: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], head: Buffer.concat(chunks).subarray(0, 8) }));
    }).on("error", reject);
  });
}

describe("the weekly digest's charts in Teams", () => {
  it("the evaluator's card shows each chart as an Image with alt text, served from its signed link, and the numbers as text", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.inChannel(jo, "join"));
    const joinCard = world.messageWith(jo.chat, "Expert by experience");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(joinCard), "Expert by experience"), {}, { replyToId: joinCard.id }));
    await world.consent(jo);
    const eve = await world.addEvaluator(fac);
    await world.consent(eve);
    await world.app.database.prisma.programme.updateMany({ data: { createdAt: new Date("2026-03-02T09:00:00Z") } });
    await world.send(world.build.say(jo, "suggest Shorter meetings"));

    world.clock.set("2026-03-09T10:00:00Z");
    await world.app.core.tick();
    const card = world.lastCard(eve.chat);
    expect(cardText(card)).toMatch(/weekly summary/);
    expect(cardText(card)).toMatch(/Ideas raised 1,/);
    expect(cardText(card)).not.toContain("Jo Carer");
    // Well under the size Teams accepts: the pictures are not inside the card.
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28_000);

    const images = elements(card).filter((e) => e.type === "Image");
    expect(images).toHaveLength(2);
    expect(String(images[0]!.altText)).toContain("People taking part, by role over 1 week");
    for (const image of images) {
      const served = await firstBytes(String(image.url));
      expect(served.status).toBe(200);
      expect(served.type).toBe("image/png");
      expect(served.head.subarray(1, 4).toString()).toBe("PNG");
    }
    const open = elements(card).find((e) => e.type === "Action.OpenUrl");
    expect(String(open?.url)).toMatch(/\/digests\/[\w-]+\?reader=/);
    expect((await firstBytes(String(open!.url))).type).toContain("text/html");
    const html = await (await fetch(String(open!.url))).text();
    for (const name of ["Jo Carer", "Sam Facilitator", "Eve Evaluator"]) expect(html).not.toContain(name);

    // The card's export button: the week's answers as a CSV, in the evaluator's private chat.
    const digestMessage = world.messageWith(eve.chat, "Export answers (CSV)");
    await world.send(world.build.execute(eve, findAction(card, "Export answers (CSV)"), {}, { replyToId: digestMessage.id }));
    const exported = world.lastCard(eve.chat);
    const file = findAction(exported, "Download wesaid-answers-2026-03-02-to-2026-03-08.csv", "Action.ShowCard");
    expect(cardText(file.card)).toContain("answer_id,programme_id,programme");
  });
});
