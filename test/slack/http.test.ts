import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack, postSigned } from "../support/fake-slack.ts";
import { fixture, fixtureText, SIGNING_SECRET, SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

// Slack's platform rules at the HTTP edge: signatures, the 3-second
// acknowledgement, retries handled once, and hostile or malformed payloads.
const ACK_DEADLINE_MS = 1000;

let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start({ adapter: { ackDeadlineMs: ACK_DEADLINE_MS } });
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const fay: SlackUser = { id: "U0FAY", name: "Fay" };
const jo: SlackUser = { id: "U0JO", name: "Jo" };
const channel = { channel: "C0COPROD", name: "co-production" };

/** Every row a request could have written. */
async function snapshotOfData() {
  const db = world.db;
  const [people, programmes, memberships, consents, items, events] = await Promise.all([
    db.person.count(),
    db.programme.count(),
    db.membership.count(),
    db.consentRecord.count(),
    db.feedbackItem.count(),
    db.processedEvent.count(),
  ]);
  return { people, programmes, memberships, consents, items, events };
}

async function programmeWithJo() {
  await world.slash(fay, "setup Mental health review", channel);
  const join = await world.slash(jo, "join", channel);
  await world.press(jo, join.ephemeral!, "Expert by experience");
  const welcome = world.fake.dmOf(jo.id).find((m) => m.text.startsWith("Welcome"))!;
  await world.submit(jo, await world.openForm(jo, welcome, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
}

function slashBody(text: string, user = fay): string {
  const form = new URLSearchParams(fixtureText("slash_command.txt").trim());
  form.set("user_id", user.id);
  form.set("text", text);
  form.set("response_url", world.fake.responseUrlFor({ user: user.id, channel: "C0COPROD" }));
  return form.toString();
}

describe("request signatures", () => {
  it("answers Slack's url_verification challenge", async () => {
    const body = fixture("url_verification.json");
    const response = await world.post(JSON.stringify(body), "json");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ challenge: body.challenge });
  });

  it("refuses a request signed with the wrong secret with 401 and changes nothing", async () => {
    const before = await snapshotOfData();
    const response = await world.post(slashBody("setup Forged programme"), "form", { signWith: "not-the-signing-secret" });
    expect(response.status).toBe(401);
    await world.flush();
    expect(await snapshotOfData()).toEqual(before);
    expect(world.fake.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
  });

  it("refuses a body changed after signing", async () => {
    const signed = slashBody("help");
    const response = await fetch(world.eventsUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
        "x-slack-signature": (await import("../support/fake-slack.ts")).slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), signed),
      },
      body: signed.replace("text=help", "text=forget-me"),
    });
    expect(response.status).toBe(401);
  });

  it("refuses a request with no signature headers", async () => {
    const response = await fetch(world.eventsUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fixture("url_verification.json")) });
    expect(response.status).toBe(401);
  });

  it("refuses a correctly signed request older than five minutes, and one from the future", async () => {
    const before = await snapshotOfData();
    const now = Math.floor(Date.now() / 1000);
    expect((await world.post(slashBody("setup Replayed programme"), "form", { timestampSec: now - 6 * 60 })).status).toBe(401);
    expect((await world.post(slashBody("setup Future programme"), "form", { timestampSec: now + 6 * 60 })).status).toBe(401);
    // Four minutes old is still within Slack's window.
    expect((await world.post(slashBody("help"), "form", { timestampSec: now - 4 * 60 })).status).toBe(200);
    await world.flush();
    expect((await snapshotOfData()).programmes).toBe(before.programmes);
  });

  it("answers 400 to a signed body it cannot read, or of a type Slack does not send", async () => {
    expect((await world.post(fixtureText("hostile/truncated.json.txt"), "json")).status).toBe(400);
    const xml = await postSigned(world.eventsUrl, "<event/>", { secret: SIGNING_SECRET, contentType: "text/xml" as never });
    expect(xml.status).toBe(400);
  });
});

describe("acknowledging within Slack's limit", () => {
  // Slack's deadline is wall-clock time, so these tests use a core slowed down
  // for real. The margin is wide for a busy machine, and still well short of
  // the slow core, so an acknowledgement that waited for the core would fail.
  const ACK_MARGIN_MS = 1500;
  const SLOW_CORE_MS = ACK_DEADLINE_MS + 3000;

  it("acknowledges a DM only after what it carried is stored", async () => {
    await programmeWithJo();
    const response = await world.post(
      JSON.stringify({ ...fixture("event_message_im.json"), event_id: "Ev0STORED", event: { ...fixture("event_message_im.json").event, user: jo.id, channel: FakeSlack.dmChannelOf(jo.id), text: "suggest A quiet room before meetings" } }),
      "json",
    );
    expect(response.status).toBe(200);
    // By the time Slack has its 200, what the DM carried is stored: in the inbox (src/inbox/), or already
    // worked into an idea (the inbox row is deleted then). Either way a crash now could not lose it.
    const inInbox = (await world.db.inboxItem.findMany()).filter((row) => JSON.stringify(row.interaction).includes("A quiet room before meetings"));
    const ideas = await world.db.feedbackItem.count({ where: { text: "A quiet room before meetings" } });
    expect(inInbox.length + ideas).toBeGreaterThanOrEqual(1);
    await world.flush();
    expect(await world.db.feedbackItem.count({ where: { text: "A quiet room before meetings" } })).toBe(1);
  });

  it("acknowledges in time when the core is slow, and delivers the answer afterwards", async () => {
    await programmeWithJo();
    const core = world.app.core;
    const handle = core.handle;
    core.handle = async (raw) => {
      await new Promise((resolve) => setTimeout(resolve, SLOW_CORE_MS));
      return handle(raw);
    };
    try {
      const started = Date.now();
      const slash = await world.post(slashBody("pause", jo), "form");
      expect(Date.now() - started).toBeLessThan(ACK_DEADLINE_MS + ACK_MARGIN_MS);
      expect(slash.status).toBe(200);
      expect(slash.text).toBe("");
      await world.flush();
      expect(textOfVisible(world.fake.ephemeralsFor(jo.id).at(-1))).toContain("Messages are paused");

      const dmStarted = Date.now();
      const dm = await world.post(
        JSON.stringify({ ...fixture("event_message_im.json"), event_id: "Ev0SLOW", event: { ...fixture("event_message_im.json").event, user: jo.id, channel: FakeSlack.dmChannelOf(jo.id), text: "resume" } }),
        "json",
      );
      expect(Date.now() - dmStarted).toBeLessThan(ACK_DEADLINE_MS + ACK_MARGIN_MS);
      expect(dm.status).toBe(200);
      await world.flush();
      expect(textOfVisible(world.fake.dmOf(jo.id).at(-1))).toContain("Messages are on again");
    } finally {
      core.handle = handle;
    }
  });

  it("closes a form as soon as it is stored, while the work is slow, and delivers the answer privately afterwards", async () => {
    await programmeWithJo();
    const prefs = await world.slash(jo, "prefs");
    const modal = await world.openForm(jo, prefs.ephemeral!, "Change preferences");
    const inbox = world.app.core.inbox;
    inbox.hooks.afterAccept = () => new Promise((resolve) => setTimeout(resolve, ACK_DEADLINE_MS + 300));
    try {
      // Were the acknowledgement waiting for the work, the deadline would have answered 503.
      const answer = await world.submit(jo, modal, { "Time zone": "Europe/London", "Quiet hours start": "21:00", "Quiet hours end": "08:00", "How many reminders": "1" });
      expect(answer.status).toBe(200);
      expect(answer.text).toBe("");
      expect(textOfVisible(world.lastPrivate(jo))).toContain("Your preferences are saved");
    } finally {
      inbox.hooks.afterAccept = undefined;
    }
  });

  it("keeps a form open with the reason when a field is not right, inside the acknowledgement", async () => {
    await programmeWithJo();
    const prefs = await world.slash(jo, "prefs");
    const modal = await world.openForm(jo, prefs.ephemeral!, "Change preferences");
    const answer = await world.submit(jo, modal, { "Time zone": "Nowhere/Atlantis", "Quiet hours start": "21:00", "Quiet hours end": "08:00", "How many reminders": "1" });
    expect(answer.json).toMatchObject({ response_action: "errors", errors: { timeZone: expect.stringContaining("time zone is not one we know") } });
  });
});

describe("retries", () => {
  function dmEvent(eventId: string, text: string) {
    const body = fixture("event_message_im.json");
    body.event_id = eventId;
    Object.assign(body.event, { user: jo.id, channel: FakeSlack.dmChannelOf(jo.id), text });
    return JSON.stringify(body);
  }

  it("handles a retried event (same event_id) once", async () => {
    await programmeWithJo();
    const repliesBefore = world.fake.dmOf(jo.id).length;
    expect((await world.post(dmEvent("Ev0RETRY", "suggest Free parking for carers"), "json")).status).toBe(200);
    await world.flush();
    const retry = await world.post(dmEvent("Ev0RETRY", "suggest Free parking for carers"), "json", { retryNum: 1 });
    expect(retry.status).toBe(200);
    await world.flush();
    expect(await world.db.feedbackItem.count({ where: { text: "Free parking for carers" } })).toBe(1);
    expect(world.fake.dmOf(jo.id).length - repliesBefore).toBe(1);
  });

  it("handles a retry that arrives while the first attempt is still being handled once", async () => {
    await programmeWithJo();
    const [first, retry] = await Promise.all([
      world.post(dmEvent("Ev0RACE", "suggest Large print papers"), "json"),
      world.post(dmEvent("Ev0RACE", "suggest Large print papers"), "json", { retryNum: 1 }),
    ]);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await world.flush();
    expect(await world.db.feedbackItem.count({ where: { text: "Large print papers" } })).toBe(1);
  });

  it("handles a retry whose first attempt never arrived", async () => {
    await programmeWithJo();
    const retry = await world.post(dmEvent("Ev0LOST", "suggest Meetings on the bus route"), "json", { retryNum: 2 });
    expect(retry.status).toBe(200);
    await world.flush();
    expect(await world.db.feedbackItem.count({ where: { text: "Meetings on the bus route" } })).toBe(1);
  });
});

describe("hostile and malformed payloads", () => {
  it.each([
    ["a bot's message in the DM", "hostile/event_message_im_from_bot.json"],
    ["an edited message", "hostile/event_message_im_edited.json"],
    ["fields of the wrong type", "hostile/event_wrong_types.json"],
  ])("ignores %s", async (_what, name) => {
    await programmeWithJo();
    const before = await snapshotOfData();
    const calls = world.fake.calls.length;
    expect((await world.post(fixtureText(name), "json")).status).toBe(200);
    await world.flush();
    expect(await snapshotOfData()).toEqual(before);
    expect(world.fake.calls.slice(calls).filter((c) => c.method.startsWith("chat."))).toEqual([]);
  });

  it("ignores a slash command with no user", async () => {
    const before = await snapshotOfData();
    const response = await world.post(fixtureText("hostile/slash_command_missing_user.txt").trim(), "form");
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    expect(await snapshotOfData()).toEqual(before);
  });

  it("ignores a message shortcut it does not offer", async () => {
    await programmeWithJo();
    const before = await snapshotOfData();
    expect((await world.postPayload(fixture("hostile/message_action_other_callback.json"))).status).toBe(200);
    await world.flush();
    expect(await snapshotOfData()).toEqual(before);
  });

  it.each([
    ["a cut-off button value", "hostile/block_actions_truncated_value.json", "too old to use"],
    ["a button value we never gave out", "hostile/block_actions_unknown_key.json", "too old to use"],
    ["an action wesaid does not have", "hostile/block_actions_made_up_action.json", "that button no longer works"],
  ])("refuses %s politely and changes nothing", async (_what, name, says) => {
    await programmeWithJo();
    const before = await snapshotOfData();
    const payload = fixture(name);
    payload.response_url = world.fake.responseUrlFor({ user: jo.id, channel: "D0JO" });
    expect((await world.postPayload(payload)).status).toBe(200);
    await world.flush();
    expect(textOfVisible(world.lastPrivate(jo))).toContain(says);
    expect(await snapshotOfData()).toEqual(before);
  });

  it("answers a form whose private_metadata was tampered with by showing a notice, storing nothing", async () => {
    await programmeWithJo();
    const before = await snapshotOfData();
    const response = await world.postPayload(fixture("hostile/view_submission_garbage_metadata.json"));
    expect(response.json).toMatchObject({ response_action: "update", view: { type: "modal" } });
    expect(JSON.stringify(response.json)).toContain("too old to use");
    expect(await snapshotOfData()).toEqual(before);
  });

  it("stores text with Slack markup as plain words and never lets it ping a channel or inject markup", async () => {
    await programmeWithJo();
    const injection = new URLSearchParams(fixtureText("hostile/slash_command_injection.txt").trim());
    injection.set("user_id", jo.id);
    injection.set("response_url", world.fake.responseUrlFor({ user: jo.id, channel: "C0COPROD" }));
    expect((await world.post(injection.toString(), "form")).status).toBe(200);
    await world.flush();
    const item = await world.db.feedbackItem.findFirstOrThrow();
    expect(item.text).toBe("@channel <script>alert(1)</script> *bold* & click me (https://evil.example/x)");
    // The new idea is posted to the programme's channel, where <!channel> would ping everyone.
    const notice = world.fake.inChannel("C0COPROD").find((m) => m.text.startsWith("New idea"))!;
    const posted = JSON.stringify(notice.blocks);
    expect(posted).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(posted).not.toContain("<!channel>");
    expect(posted).not.toContain("<script>");
    expect(posted).not.toContain("<https://evil.example");
  });
});
