import { get as httpGet } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { startHttpServer, type HttpServer } from "../../../src/http.ts";
import { silentLogger } from "../../../src/context.ts";
import { DAY } from "../../../src/clock.ts";
import { digestPageRoute } from "../../../src/digest/route.ts";
import type { Block, Message } from "../../../src/messages/model.ts";

type ImageBlock = Extract<Block, { kind: "image" }>;
type LinkBlock = Extract<Block, { kind: "link" }>;

const NAMES = ["Ann Expert", "Ben Expert", "Cat Expert", "Dev Expert", "Eli Expert", "Fay Professional", "Eve Evaluator"];

type Got = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; text(): string };

/** A GET on a new connection each time: a kept-alive socket can be closed by the server between slow tests. */
function get(url: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString("utf8") });
      });
    }).on("error", reject);
  });
}

describe.each(backends())("the digest's charts and web page on %s", (backend) => {
  let world: World;
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    http = await startHttpServer({ port: 0, host: "127.0.0.1", log: silentLogger });
    base = `http://127.0.0.1:${http.port}`;
    world = await World.open(backend, { publicUrl: base });
    http.serve([digestPageRoute(world.ctx)]);
  });
  afterAll(async () => {
    await http.close();
    await world.close();
  });
  beforeEach(() => world.reset());

  /** A week with five experts' ideas, then the weekly sweep: the evaluator's digest message. */
  async function weeklyDigest(): Promise<{ message: Message; evaluator: TestPerson; programmeId: string }> {
    const programme = await world.programme();
    await world.prisma.programme.update({ where: { id: programme.id }, data: { createdAt: world.clock.now() } });
    const evaluator = await world.person(programme, "Eve Evaluator", "evaluator");
    await world.person(programme, "Fay Professional", "professional");
    for (const name of NAMES.slice(0, 5)) await (await world.person(programme, name, "expert_by_experience")).say(`suggest ${name.split(" ")[0]} would like shorter meetings`);
    world.clock.set("2026-03-09T09:00:00Z");
    await world.tick();
    const message = evaluator.inbox().find((m) => m.summary.includes("weekly summary"))!;
    expect(message).toBeDefined();
    return { message, evaluator, programmeId: programme.id };
  }

  const linkOf = (m: Message) => m.blocks.find((b): b is LinkBlock => b.kind === "link")!;
  const imagesOf = (m: Message) => m.blocks.filter((b): b is ImageBlock => b.kind === "image");

  it("the weekly digest carries its charts, with alt text that says the numbers, and a link to its page", async () => {
    const { message } = await weeklyDigest();
    const images = imagesOf(message);
    // No idea had a reply yet, so there is no "time to a first reply" chart this week.
    expect(images.map((i) => i.title)).toEqual(["People taking part, by role", "Ideas in the week starting 2 Mar"]);
    expect(Buffer.from(images[0]!.png, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(images[0]!.alt).toContain("Expert by experience 5");
    expect(images[1]!.alt).toContain("Ideas raised 5");
    expect(linkOf(message).url.startsWith(`${base}/digests/`)).toBe(true);
  });

  it("serves an accessible page without names, and records who read it", async () => {
    const { message, evaluator, programmeId } = await weeklyDigest();
    const response = await get(linkOf(message).url);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.headers["cache-control"]).toContain("no-store");
    const html = response.text();
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en-GB">/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    // Every table has a caption and header cells that say what they head.
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(4);
    for (const t of tables) {
      expect(t).toMatch(/^<table>\s*<caption>/);
      expect(t.match(/<th(?=[\s>])(?![^>]*scope="(col|row)")/g)).toBeNull();
    }
    // Every chart is an <img> with alt text, followed by its numbers in a table.
    const imgs = html.match(/<img [^>]*>/g) ?? [];
    expect(imgs).toHaveLength(2);
    for (const img of imgs) expect(img).toMatch(/src="data:image\/png;base64,[^"]+" alt="[^"]{20,}"/);
    expect(html).toContain("The numbers in &quot;People taking part, by role&quot;");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|https?:\/\/(?!vega)/);
    for (const name of NAMES) expect(html).not.toContain(name);
    // Nor any platform id (the facilitator's name, "Facilitator <n>", reads like a role with a count, so its id is checked).
    for (const identity of await world.prisma.platformIdentity.findMany()) expect(html).not.toContain(identity.externalId);

    const reads = await world.prisma.auditEntry.findMany({ where: { action: "read.digest" } });
    expect(reads).toEqual([expect.objectContaining({ actorId: evaluator.id, entityId: programmeId })]);
  });

  it("a Teams card's picture comes from the same signed link", async () => {
    const { message } = await weeklyDigest();
    const response = await get(imagesOf(message)[1]!.url!);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.body.subarray(1, 4).toString()).toBe("PNG");
  });

  it("a changed, cut or expired link gets a polite 403 page and reads nothing", async () => {
    const { message } = await weeklyDigest();
    const good = new URL(linkOf(message).url);
    const changed = (edit: (u: URL) => void) => {
      const u = new URL(good);
      edit(u);
      return u.toString();
    };
    const tampered = [
      changed((u) => u.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 86_400))),
      changed((u) => u.searchParams.set("sig", u.searchParams.get("sig")!.replace(/^./, (c) => (c === "A" ? "B" : "A")))),
      changed((u) => u.searchParams.delete("sig")),
      changed((u) => u.searchParams.set("reader", "someone-else")),
      changed((u) => (u.pathname = u.pathname.replace(/[0-9a-f]$/, (c) => (c === "0" ? "1" : "0")))),
    ];
    for (const url of tampered) {
      const response = await get(url);
      expect(response.status, url).toBe(403);
      const html = response.text();
      expect(html).toContain("This link does not work");
      expect(html).toContain("copied only in part");
    }
    // Seven days on, the link has expired.
    world.clock.set(new Date(world.clock.now().getTime() + 7 * DAY + 1000).toISOString());
    const expired = await get(good.toString());
    expect(expired.status).toBe(403);
    expect(expired.text()).toContain("too old");
    expect(await world.prisma.auditEntry.count({ where: { action: "read.digest" } })).toBe(0);
  });

  it("a reader who is no longer an evaluator cannot use an old link", async () => {
    const { message, evaluator, programmeId } = await weeklyDigest();
    await world.prisma.membership.update({ where: { programmeId_personId: { programmeId, personId: evaluator.id } }, data: { role: "professional" } });
    expect((await get(linkOf(message).url)).status).toBe(403);
  });
});
