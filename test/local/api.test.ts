import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { request } from "node:http";
import type { LocalMessenger } from "../../adapters/local/messenger.ts";
import { seedDemo } from "../../adapters/local/seed.ts";
import { DAY, ManualClock, OffsetClock } from "../../src/clock.ts";
import { message, para } from "../../src/messages/model.ts";
import { recordConsent } from "../../src/people/index.ts";
import { DEMO_HISTORY } from "../../src/demo/seed.ts";
import { latest, startPlayground, tempDir, textOfEntry, START, type PlaygroundClient } from "./playground.ts";

// One app for most tests (starting one takes seconds); the restart tests start their own.
let shared: PlaygroundClient;
beforeAll(async () => {
  shared = await startPlayground();
}, 120_000);
afterAll(() => shared?.stop());
beforeEach(() => shared.reset());

async function open() {
  return shared;
}

const running: PlaygroundClient[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function restartable(dir: string) {
  const playground = await startPlayground(dir);
  running.push(playground);
  return playground;
}

/** Sends a raw request, so headers fetch will not let us set (Host) can be tried. */
function rawPost(url: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the playground page", () => {
  it("is served on its own, with no outside assets and a strict content policy", async () => {
    const p = await open();
    const page = await fetch(p.url + "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain("This is a practice space.");
    expect(html).toContain("Nothing here is sent to Slack or Teams");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of ["/playground/assets/app.js", "/playground/assets/style.css"]) {
      const res = await fetch(p.url + asset);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toMatch(/https?:\/\/(?!localhost)/);
    }
    // The page never puts message text into HTML: there is no innerHTML in its script.
    expect(await (await fetch(p.url + "/playground/assets/app.js")).text()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it("lists the six personas (one of them the demo's late joiner), both channels and the playground time", async () => {
    const p = await open();
    const { body } = await p.get("/playground/state");
    expect(body.personas.map((x: { displayName: string }) => x.displayName)).toEqual([
      "Priya (commissioner)",
      "Sam (expert by experience)",
      "Jordan (professional)",
      "Alex (facilitator)",
      "Morgan (evaluator)",
      "Riley (new member)",
    ]);
    expect(body.channels.map((c: { name: string }) => c.name)).toEqual(["demo-programme", "my-programme"]);
    expect(body.now).toBe(new Date(START).toISOString());
    expect(body.canSkip).toBe(true);
    expect(body.demoLoaded).toBe(false);
  });

  it("is bound to this computer only by default", async () => {
    const p = await open();
    expect(p.app.config.HOST).toBe("127.0.0.1");
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe("chatting as a persona", () => {
  it("sets up a programme from a channel, shows private replies only to the person, and posts to everyone", async () => {
    const p = await open();
    const reply = await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    expect(reply.status).toBe(200);
    expect(reply.body.ok).toBe(true);

    const asFacilitator = await p.view("facilitator", "channel:channel-practice");
    expect(textOfEntry(latest(asFacilitator, "setup Better"))).toBe("setup Better autism support");
    const privateReply = latest(asFacilitator, "you are its facilitator");
    expect(privateReply).toMatchObject({ kind: "private", visibleTo: "persona-facilitator" });
    expect(textOfEntry(latest(asFacilitator, "Type join to take part"))).toContain("Better autism support");

    // Sam sees the channel post, but not Alex's typing or Alex's private reply.
    const asExpert = await p.view("expert", "channel:channel-practice");
    expect(asExpert.map(textOfEntry).join("\n")).toContain("Type join to take part");
    expect(asExpert.map(textOfEntry).join("\n")).not.toContain("you are its facilitator");
    expect(asExpert.map(textOfEntry).join("\n")).not.toContain("setup Better");
  });

  it("joins with a button, replaces the question in place, and saves consent from the welcome form", async () => {
    const p = await open();
    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    await p.say("expert", "join", "channel:channel-practice");
    const ask = latest(await p.view("expert", "channel:channel-practice"), "Which of these best describes you");
    const pressed = await p.press("expert", ask, "Expert by experience");
    expect(pressed.body.ok).toBe(true);

    const after = await p.view("expert", "channel:channel-practice");
    const replaced = after.find((e) => e.id === ask.id)!;
    expect(textOfEntry(replaced)).toContain("You have joined Better autism support");

    const welcome = latest(await p.view("expert"), "Welcome to Better autism support");
    expect(welcome.kind).toBe("bot");
    const saved = await p.submit("expert", welcome, "consent", { participation: "yes", quotation: "no" });
    expect(saved.body.ok).toBe(true);
    const dm = await p.view("expert");
    expect(textOfEntry(dm.find((e) => e.id === welcome.id))).toContain("Your choices are saved");
    const consents = await p.app.database.prisma.consentRecord.findMany({ where: { person: { displayName: "Sam (expert by experience)" } } });
    expect(consents.map((c) => [c.kind, c.granted]).sort()).toEqual([["participation", true], ["quotation", false]]);
  });

  it("introduces someone who joins a running programme, one private message a day, as the clock moves", async () => {
    const p = await open();
    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    const join = async (persona: string) => {
      await p.say(persona, "join", "channel:channel-practice");
      await p.press(persona, latest(await p.view(persona, "channel:channel-practice"), "Which of these best describes you"), persona === "expert" ? "Expert by experience" : "Professional");
      await p.submit(persona, latest(await p.view(persona), "Welcome to Better autism support"), "consent", { participation: "yes", quotation: "no" });
    };
    await join("professional");
    await p.say("professional", "suggest A quiet room at every meeting");
    await p.skip("hour");
    await join("expert");
    await p.skip("hour");
    const about = latest(await p.view("expert"), "About Better autism support: what it is for");
    expect(textOfEntry(about)).toContain("You joined after the programme started");
    expect((await p.view("professional")).map(textOfEntry).join("\n")).not.toContain("what it is for");
    await p.skip("day");
    expect(textOfEntry(latest(await p.view("expert"), "What has been done so far"))).toContain("Nothing has been reported as done yet");
    await p.skip("day");
    const ideas = latest(await p.view("expert"), "Ideas you can follow");
    expect(textOfEntry(ideas)).toContain("A quiet room at every meeting");
    expect((await p.press("expert", ideas, "#1 matters to me too")).body.ok).toBe(true);
    expect(await p.app.database.prisma.ideaFollower.count()).toBe(1);
  });

  it("turns @names into mentions the core understands", async () => {
    const p = await open();
    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    const res = await p.say("facilitator", "role @Priya commissioner");
    expect(res.body.ok).toBe(true);
    expect(textOfEntry(latest(await p.view("commissioner"), "Welcome to Better autism support"))).toContain("Commissioner");
  });

  it("sets up a panel with the people ticked in the people picker", async () => {
    const p = await open();
    const { body: state } = await p.get("/playground/state");
    expect(state.people.map((x: { externalId: string }) => x.externalId)).toEqual(expect.arrayContaining(["persona-expert", "persona-commissioner", "sample-tom"]));

    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    await p.say("facilitator", "role @Priya commissioner");
    await p.say("expert", "join", "channel:channel-practice");
    await p.press("expert", latest(await p.view("expert", "channel:channel-practice"), "Which of these best describes you"), "Expert by experience");

    // Both say yes to taking part (the welcome's question): until then wesaid sends them nothing else.
    const programme = await p.app.database.prisma.programme.findFirstOrThrow();
    for (const externalId of ["persona-expert", "persona-commissioner"]) {
      const { personId } = await p.app.database.prisma.platformIdentity.findFirstOrThrow({ where: { externalId } });
      await recordConsent(p.app.core.ctx, { personId, programmeId: programme.id, participation: true, quotation: false });
    }

    await p.say("facilitator", "panel new");
    const form = latest(await p.view("facilitator"), "Set up a panel");
    const values = { title: "Choosing the new provider", startsAt: "2026-03-10T10:00", endsAt: "2026-03-10T12:00" };
    // Someone the playground does not know cannot be ticked, and nothing is stored.
    const stranger = await p.submit("facilitator", form, "panel-new", { ...values, members: ["persona-expert", "someone-else"] });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error).toContain("not in the playground");
    expect(await p.app.database.prisma.panel.count()).toBe(0);

    const created = await p.submit("facilitator", form, "panel-new", { ...values, members: ["persona-expert", "persona-commissioner"] });
    expect(created.body.ok).toBe(true);
    expect(textOfEntry(latest(await p.view("facilitator"), "is set up"))).toContain("I have told the 2 people on it");
    const panel = await p.app.database.prisma.panel.findFirstOrThrow({ include: { members: true } });
    expect(panel.title).toBe("Choosing the new provider");
    const names = new Map((await p.app.database.prisma.person.findMany()).map((x) => [x.id, x.displayName]));
    expect(panel.members.map((m) => [names.get(m.personId), m.role]).sort()).toEqual([
      ["Priya (commissioner)", "commissioner"],
      ["Sam (expert by experience)", "expert_by_experience"],
    ]);
    expect(textOfEntry(latest(await p.view("expert"), "You are on a panel"))).toContain("Choosing the new provider");
  });

  it("shows refusals from the core as a private reply with its code", async () => {
    const p = await open();
    const res = await p.say("expert", "frobnicate");
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatchObject({ code: "invalid_input" });
    expect(res.body.error.message).toContain('I do not know "frobnicate"');
    expect(textOfEntry(latest(await p.view("expert"), "I do not know"))).toContain("Type help");
  });

  it("offers files as downloads only to people who can see them", async () => {
    const p = await open();
    const local = p.app.adapters.find((a) => a.platform === "local")!.messenger as LocalMessenger;
    const sent = await local.send(
      { kind: "direct", platform: "local", externalId: "persona-expert" },
      { ...message("Your invite", para("Add it to your calendar.")), blocks: [{ kind: "file", filename: "taster.ics", mimeType: "text/calendar", content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", label: "Add to calendar" }] },
    );
    if (!sent.ok) throw new Error("not sent");
    const id = String(sent.ref.id);
    const res = await fetch(`${p.url}/playground/files/${id}/0?persona=expert`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="taster.ics"');
    expect(await res.text()).toContain("BEGIN:VCALENDAR");
    expect((await fetch(`${p.url}/playground/files/${id}/0?persona=commissioner`)).status).toBe(404);
  });
});

describe("the JSON API refuses what it cannot use, clearly", () => {
  it("validates every request with a sentence a person can read", async () => {
    const p = await open();
    const who = await p.post("/playground/command", { persona: "nobody", place: { kind: "direct" }, text: "help" });
    expect(who.status).toBe(400);
    expect(who.body.error).toContain('Please choose one of the answers for "Person"');
    const empty = await p.post("/playground/command", { persona: "expert", place: { kind: "direct" }, text: "   " });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toContain('"What you typed" is needed');
    const channel = await p.post("/playground/command", { persona: "expert", place: { kind: "channel", channel: "general" }, text: "join" });
    expect(channel.status).toBe(400);
    const skip = await p.post("/playground/clock", { skip: "year" });
    expect(skip.status).toBe(400);
    expect(skip.body.error).toContain('Please choose one of the answers for "How far to skip"');
    const notJson = await fetch(p.url + "/playground/command", { method: "POST", headers: { "content-type": "text/plain" }, body: "help" });
    expect(notJson.status).toBe(415);
    const badJson = await fetch(p.url + "/playground/command", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(badJson.status).toBe(400);
    expect((await p.get("/playground/messages?persona=expert&place=channel:nowhere")).status).toBe(404);
    expect((await p.get("/playground/nothing")).status).toBe(404);
  });

  it("will not press a button on someone else's message, or one that is not there", async () => {
    const p = await open();
    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    await p.say("expert", "join", "channel:channel-practice");
    const ask = latest(await p.view("expert", "channel:channel-practice"), "Which of these best describes you");
    const stolen = await p.post("/playground/action", { persona: "professional", messageId: ask.id, control: { kind: "button", block: 1, button: 0 } });
    expect(stolen.status).toBe(404);
    const missing = await p.post("/playground/action", { persona: "expert", messageId: ask.id, control: { kind: "button", block: 0, button: 7 } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain("not on this message");
    expect(await p.app.database.prisma.membership.count({ where: { role: "expert_by_experience" } })).toBe(0);
  });

  it("refuses requests made by other web sites", async () => {
    const p = await open();
    const body = JSON.stringify({ persona: "expert", place: { kind: "direct" }, text: "help" });
    const port = new URL(p.url).port;
    const rebinding = await rawPost(p.url, "/playground/command", body, { "content-type": "application/json", host: `evil.example:${port}` });
    expect(rebinding.status).toBe(403);
    const crossSite = await rawPost(p.url, "/playground/command", body, { "content-type": "application/json", host: `127.0.0.1:${port}`, origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
    const sameSite = await rawPost(p.url, "/playground/command", body, { "content-type": "application/json", host: `localhost:${port}`, origin: `http://localhost:${port}` });
    expect(sameSite.status).toBe(200);
  });
});

describe("live messages", () => {
  it("streams new messages as Server-Sent Events", async () => {
    const p = await open();
    const controller = new AbortController();
    const res = await fetch(p.url + "/playground/events", { signal: controller.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    await p.say("expert", "help");
    let text = "";
    const deadline = Date.now() + 5000;
    while (!text.includes("event: entry") || !text.includes("Show this list")) {
      if (Date.now() > deadline) throw new Error(`no entry event in: ${text}`);
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain('"kind":"private"');
    controller.abort();
  });
});

describe("after a restart", () => {
  it("shows the same messages, replies and replaced messages, keeps the time, and keeps forgotten people forgotten", async () => {
    const dir = tempDir();
    const p = await restartable(dir);
    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    await p.say("expert", "join", "channel:channel-practice");
    const ask = latest(await p.view("expert", "channel:channel-practice"), "Which of these best describes you");
    await p.press("expert", ask, "Expert by experience");
    const welcome = latest(await p.view("expert"), "Welcome to Better autism support");
    await p.submit("expert", welcome, "consent", { participation: "yes", quotation: "yes" });
    await p.say("expert", "help");

    // Jordan joins, then asks to be forgotten: their direct messages go.
    await p.say("facilitator", "role @Jordan professional");
    expect((await p.view("professional")).map(textOfEntry).join("\n")).toContain("Welcome to Better autism support");
    await p.say("professional", "forget-me");
    const confirm = latest(await p.view("professional"), /delete/i);
    expect((await p.press("professional", confirm, /delete/i)).body.ok).toBe(true);
    expect((await p.view("professional")).map(textOfEntry).join("\n")).not.toContain("Welcome to Better autism support");

    const day = await p.skip("day");
    expect(day.status).toBe(200);
    expect(day.body.now).toBe(new Date(Date.parse(START) + DAY).toISOString());
    await p.skip("hour");

    const before = {
      dm: (await p.view("expert")).map(textOfEntry),
      channel: (await p.view("expert", "channel:channel-practice")).map(textOfEntry),
      facilitator: (await p.view("facilitator", "channel:channel-practice")).map(textOfEntry),
    };
    expect(before.dm.join("\n")).toContain("Your choices are saved");
    await p.stop();
    running.pop();

    const again = await restartable(dir);
    expect((await again.view("expert")).map(textOfEntry)).toEqual(before.dm);
    expect((await again.view("expert", "channel:channel-practice")).map(textOfEntry)).toEqual(before.channel);
    expect((await again.view("facilitator", "channel:channel-practice")).map(textOfEntry)).toEqual(before.facilitator);
    expect((await again.view("professional")).map(textOfEntry).join("\n")).not.toContain("Welcome to Better autism support");
    const { body } = await again.get("/playground/state");
    expect(body.now).toBe(new Date(Date.parse(START) + DAY + 3_600_000).toISOString());
  }, 120_000);
});

describe("forget me in the playground", () => {
  it("updates the channel post of the person's idea to say the words were removed, and it stays so after a restart", async () => {
    const dir = tempDir();
    const p = await restartable(dir);
    const idea = "Quiet rooms at the hub for people who need a break";
    await p.say("facilitator", "setup Better autism support", "channel:channel-practice");
    await p.say("expert", "join", "channel:channel-practice");
    await p.press("expert", latest(await p.view("expert", "channel:channel-practice"), "Which of these best describes you"), "Expert by experience");
    await p.submit("expert", latest(await p.view("expert"), "Welcome to Better autism support"), "consent", { participation: "yes", quotation: "yes" });
    await p.say("expert", `suggest ${idea}`);
    const post = latest(await p.view("facilitator", "channel:channel-practice"), "New idea #1");
    expect(textOfEntry(post)).toContain(idea);

    await p.say("expert", "forget-me");
    expect((await p.press("expert", latest(await p.view("expert"), /delete/i), /delete/i)).body.ok).toBe(true);
    const updated = (await p.view("facilitator", "channel:channel-practice")).find((e) => e.id === post.id)!;
    expect(textOfEntry(updated)).toContain("Words removed at the request of the person who wrote them");
    const channel = (await p.view("facilitator", "channel:channel-practice")).map(textOfEntry).join("\n");
    expect(channel).not.toContain(idea);

    await p.stop();
    running.pop();
    const again = await restartable(dir);
    const rebuilt = (await again.view("facilitator", "channel:channel-practice")).map(textOfEntry).join("\n");
    expect(rebuilt).toContain("New idea #1");
    expect(rebuilt).not.toContain(idea);
  }, 120_000);
});

describe("the demo", () => {
  it("loads once, and a second press adds nothing twice", async () => {
    const p = await open();
    const first = await p.post("/playground/demo", {});
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(true);
    const second = await p.post("/playground/demo", {});
    expect(second.body.created).toBe(false);
    const db = p.app.database.prisma;
    expect(await db.programme.count()).toBe(1);
    expect(await db.membership.count({ where: { programmeId: first.body.programmeId } })).toBeGreaterThanOrEqual(5);
    const state = await p.get("/playground/state");
    expect(state.body.demoLoaded).toBe(true);
    expect((await p.view("evaluator", "channel:channel-demo")).map(textOfEntry).join("\n")).toContain("Young people's mental health");
  }, 180_000);
});

describe("npm run demo", () => {
  it("seeds the database so the playground shows the demo when wesaid starts, and running it again adds nothing", async () => {
    const dir = tempDir();
    const seeded = await seedDemo({ env: { DATA_DIR: dir, PORT: "0", LOG_LEVEL: "silent" }, clock: new OffsetClock(new ManualClock(START)) });
    expect(seeded).toMatchObject({ created: true, via: "database", playgroundOn: true });

    const p = await restartable(dir);
    const channel = (await p.view("expert", "channel:channel-demo")).map(textOfEntry).join("\n");
    expect(channel).toContain("wesaid is now running Young people's mental health (demo)");
    expect(channel).toContain("Taster session: Art for wellbeing");
    expect(channel).toContain("New idea #1");
    const dm = (await p.view("expert")).map(textOfEntry).join("\n");
    expect(dm).toContain("Welcome to Young people's mental health (demo)");
    expect(dm).toContain("You are on a panel: Choosing the new drop-in provider");

    const db = p.app.database.prisma;
    const counts = () => Promise.all([db.programme.count(), db.promptSeries.count(), db.feedbackItem.count(), db.taster.count(), db.panel.count(), db.membership.count()]);
    const consented = async () => (await db.consentRecord.groupBy({ by: ["personId"], where: { kind: "participation", granted: true } })).length;
    const before = { counts: await counts(), consented: await consented() };
    // The demo's own series, ideas, taster and panel, and its cast of 11, beside the made-up history (src/demo/synthetic.ts).
    expect(before.counts[0]).toBe(1);
    expect(await db.feedbackItem.count({ where: { source: "direct", text: { contains: "online" } } })).toBeGreaterThanOrEqual(1);
    expect(await db.membership.count({ where: { person: { identities: { some: { externalId: { startsWith: "sample-history-" } } } } } })).toBe(DEMO_HISTORY.people);
    const again = await p.post("/playground/demo", {});
    expect(again.body.created).toBe(false);
    expect(await counts()).toEqual(before.counts);
    expect(await consented()).toBe(before.consented);
    expect(await db.programmeChannel.findFirst({ where: { externalId: "channel-demo" } })).toMatchObject({ platform: "local" });
  }, 120_000);
});
