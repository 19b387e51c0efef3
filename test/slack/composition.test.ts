import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, SlackConfigError } from "../../adapters/slack/index.ts";
import { ManualClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/context.ts";
import type { Core } from "../../src/core.ts";
import { FAKE_TOKEN, FakeSlack } from "../support/fake-slack.ts";
import { SIGNING_SECRET, SlackWorld, type SlackUser } from "./harness.ts";

// Slack switched on through the real composition (adapters/index.ts), with
// Slack's real pacing; and the adapter's start-up choices on its own.
describe("through adapters/index.ts", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await SlackWorld.start({ composition: "real" });
  });
  afterAll(() => world.stop());

  it("mounts POST /slack/events next to /healthz and reports Slack as switched on", async () => {
    const health = (await (await fetch(`${world.app.url}/healthz`)).json()) as { platforms: string[] };
    expect(health.platforms).toEqual(["slack"]);
    expect(world.app.adapters.map((a) => a.description)).toEqual(["Slack (HTTP at /slack/events)"]);
    expect((await fetch(world.eventsUrl)).status).toBe(405);
  });

  it("posts to one channel about a second apart", async () => {
    const fay: SlackUser = { id: "U0FAY", name: "Fay" };
    const channel = { channel: "C0COPROD", name: "co-production" };
    await world.slash(fay, "setup Mental health review", channel);
    await world.slash(fay, "suggest Evening meetings", channel);
    const consent = world.fake.dmOf(fay.id).find((m) => m.text.startsWith("Welcome"))!;
    await world.submit(fay, await world.openForm(fay, consent, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
    await world.slash(fay, "suggest Papers a week before", channel);
    await world.slash(fay, "suggest A quiet room", channel);
    const posts = world.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "C0COPROD" && c.status === 200);
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < posts.length; i++) expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(900);
  });
});

describe("starting the Slack adapter", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await FakeSlack.start();
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.reset());

  const deps = (env: Record<string, string>) => ({
    core: {} as Core,
    config: loadConfig({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, ...env }),
    log: silentLogger,
    clock: new ManualClock(),
  });

  it("uses Socket Mode when SLACK_APP_TOKEN is set, and then mounts no HTTP route", async () => {
    // Not started here: Socket Mode opens a WebSocket to Slack, which tests never contact.
    const adapter = await createSlackAdapter(deps({ SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_APP_TOKEN: "xapp-1-fake" }));
    expect(adapter.description).toBe("Slack (Socket Mode)");
    expect(adapter.routes).toEqual([]);
  });

  it("refuses to start with a bot token Slack does not accept, saying what to do", async () => {
    await expect(createSlackAdapter(deps({ SLACK_BOT_TOKEN: "xoxb-wrong" }))).rejects.toThrow(SlackConfigError);
    await expect(createSlackAdapter(deps({ SLACK_BOT_TOKEN: "xoxb-wrong" }))).rejects.toThrow(/Bot User OAuth Token/);
  });

  it("still starts when Slack cannot be reached for a moment", async () => {
    fake.failNext(1, { status: 500 }, "auth.test");
    const adapter = await createSlackAdapter(deps({ SLACK_BOT_TOKEN: FAKE_TOKEN }));
    expect(adapter.routes.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /slack/events"]);
  });
});
