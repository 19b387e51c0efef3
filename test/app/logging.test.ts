import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { createLogger, describeError } from "../../src/log.ts";
import type { PostedMessage } from "../support/fake-slack.ts";
import { SlackWorld, type SlackUser } from "../slack/harness.ts";

/** wesaid's real logger (pino), writing JSON lines into an array. */
function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", destination: { write: (line: string) => void lines.push(line) } });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

// Words and names nobody would log by chance: none may appear in any log line.
const OTTOLINE: SlackUser = { id: "U0OTTO", name: "Ottoline Quibbleworth" };
const ZEBEDEE: SlackUser = { id: "U0ZEBE", name: "Zebedee Marchbanks" };
const CHANNEL = { channel: "C0THIMBLE", name: "thimbleberry" };
const SECRET_WORDS = ["Ottoline", "Quibbleworth", "Zebedee", "Marchbanks", "Thimbleberry", "Pellucid", "xylophone", "Flibbertigibbet", "Gallimaufry", "Snollygoster"];
const hits = (text: string) => SECRET_WORDS.filter((w) => text.toLowerCase().includes(w.toLowerCase()));

describe("logs never hold what participants wrote or their names", () => {
  const out = capture();
  let world: SlackWorld;
  beforeAll(async () => {
    world = await SlackWorld.start({ composition: "real", env: { LOG_LEVEL: "debug" }, log: out.log });
  }, 120_000);
  afterAll(() => world?.stop());

  it("through a programme set up, joined, ideas, an owner and a message in Slack, at the most detailed log level", async () => {
    const dm = (user: SlackUser, text: string): PostedMessage => {
      const found = [...world.fake.dmOf(user.id)].reverse().find((m) => JSON.stringify(m.blocks).includes(text));
      if (!found) throw new Error(`no "${text}" for ${user.name}`);
      return found;
    };
    await world.slash(OTTOLINE, "setup Thimbleberry Listening Circle", CHANNEL);
    await world.submit(OTTOLINE, await world.openForm(OTTOLINE, dm(OTTOLINE, "Make your choices"), "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
    const join = await world.slash(ZEBEDEE, "join", CHANNEL);
    await world.press(ZEBEDEE, join.ephemeral!, "Expert by experience");
    await world.submit(ZEBEDEE, await world.openForm(ZEBEDEE, dm(ZEBEDEE, "Make your choices"), "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
    await world.slash(ZEBEDEE, "suggest Pellucid xylophone mornings for Thimbleberry", CHANNEL);
    await world.slash(OTTOLINE, `assign #1 <@${ZEBEDEE.id}|zebedee> 14`, CHANNEL);
    await world.slash(OTTOLINE, "update #1 Gallimaufry of Snollygoster changes", CHANNEL);
    await world.dm(ZEBEDEE, "Flibbertigibbet, what is happening?");
    await world.slash(ZEBEDEE, "suggest", CHANNEL);
    // And a request that is refused, which is logged as a warning.
    await world.post("text=Flibbertigibbet&user_name=ottoline", "form", { signWith: "not-the-secret" });

    // The interactions worked: the idea and the update reached the channel.
    const channel = JSON.stringify(world.fake.inChannel(CHANNEL.channel));
    expect(channel).toContain("Pellucid xylophone");
    expect(channel).toContain("Gallimaufry");
    expect(world.log.errors).toEqual([]);
    const all = out.lines.join("");
    expect(out.lines.length).toBeGreaterThan(10);
    expect(all).toContain("refused a Slack request");
    expect(hits(all)).toEqual([]);
  });

  it("every line is JSON with a level and a time; lines written while handling a request carry its request id", async () => {
    const lines = out.parsed();
    for (const line of lines) expect(line).toMatchObject({ level: expect.stringMatching(/^(debug|info|warn|error)$/), time: expect.any(Number), msg: expect.any(String) });
    const refused = lines.find((l) => String(l.msg).startsWith("refused a Slack request"))!;
    expect(refused.reqId).toEqual(expect.any(String));
    const request = lines.find((l) => l.msg === "request" && l.reqId === refused.reqId);
    expect(request).toMatchObject({ method: "POST", path: "/slack/events", status: 401 });

    const res = await fetch(`${world.app.url}/healthz`, { headers: { "x-request-id": "lb-7f3a" } });
    expect(res.headers.get("x-request-id")).toBe("lb-7f3a");
    expect(out.parsed().find((l) => l.reqId === "lb-7f3a")).toMatchObject({ msg: "request", path: "/healthz", status: 200 });
    const unsafe = await fetch(`${world.app.url}/healthz`, { headers: { "x-request-id": "x".repeat(300) } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the logger itself", () => {
  it("keeps the type, code and stack frames of an error, not a message that quotes what someone sent", async () => {
    const out = capture();
    const db = new PGlite();
    try {
      // A database error that quotes its input, as PostgreSQL's do.
      const failure = await db.query("SELECT 'Ottoline Quibbleworth'::uuid").catch((e: unknown) => e);
      expect(String((failure as Error).message)).toContain("Ottoline");
      out.log.error("an action failed", { error: failure });
      out.log.error("an action failed", { error: (failure as Error).stack });
      out.log.warn("could not send", { error: `Error: invalid input "Zebedee Marchbanks"\n    at send (file.js:1:2)` });
    } finally {
      await db.close();
    }
    expect(hits(out.lines.join(""))).toEqual([]);
    expect(out.parsed()[0]).toMatchObject({ error: { type: expect.any(String), stack: expect.stringContaining("at ") } });
    // A message that quotes nothing is kept, so operators can still see what went wrong.
    out.log.warn("slack said no", { error: "Error: An API error occurred: not_in_channel" });
    expect(out.parsed().at(-1)).toMatchObject({ error: { message: "Error: An API error occurred: not_in_channel" } });
    expect(describeError(new Error("timeout"))).toMatchObject({ type: "Error", message: "timeout" });
  });

  it("censors fields that carry people's words or names, wherever they are", () => {
    const out = capture();
    out.log.info("interaction", { text: "Pellucid xylophone", user: { displayName: "Ottoline Quibbleworth", name: "Zebedee" }, answers: ["Gallimaufry"] });
    expect(hits(out.lines.join(""))).toEqual([]);
    expect(out.parsed()[0]).toMatchObject({ text: "[hidden]", user: { displayName: "[hidden]", name: "[hidden]" } });
  });

  it("writes nothing below its level", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "warn", destination: { write: (l: string) => void lines.push(l) } });
    log.debug?.("d");
    log.info("i");
    log.warn("w");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["w"]);
  });
});
