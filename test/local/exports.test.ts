import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { Message } from "../../src/messages/model.ts";
import { latest, startPlayground, textOfEntry, type PlaygroundClient } from "./playground.ts";

/** The playground's evaluator exports the demo programme's answers and downloads the file. */

let p: PlaygroundClient;
beforeAll(async () => {
  p = await startPlayground();
}, 120_000);
afterAll(() => p?.stop());

describe("export in the playground", () => {
  it("offers the evaluator the CSV as a download that only they can fetch, with no names in it", async () => {
    expect((await p.post("/playground/demo", {})).status).toBe(200);
    const said = await p.say("evaluator", "export ideas csv", "channel:channel-demo");
    expect(said.status).toBe(200);
    const entries = [...(await p.view("evaluator", "channel:channel-demo")), ...(await p.view("evaluator"))];
    const entry = latest(entries, "Your export of ideas");
    const block = (entry.message as Message).blocks.findIndex((b) => b.kind === "file");
    expect(block).toBeGreaterThanOrEqual(0);

    const res = await fetch(`${p.url}/playground/files/${entry.id}/${block}?persona=evaluator`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="wesaid-ideas.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(["idea_number", "event", "person", "role", "text"]));

    const names = (await p.app.database.prisma.person.findMany({ select: { displayName: true } })).map((x) => x.displayName).filter((n) => n.length > 3);
    const csv = bytes.toString("utf8");
    for (const name of names) expect(csv).not.toContain(name);
    expect((await fetch(`${p.url}/playground/files/${entry.id}/${block}?persona=expert`)).status).toBe(404);
    expect(textOfEntry(entry)).toContain("Only you can see this file");
  }, 180_000);
});
