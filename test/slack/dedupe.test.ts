import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackPlatformAdapter } from "../../adapters/slack/index.ts";
import { requestKeyOf } from "../../adapters/slack/receiver.ts";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { CLAIM_LEASE_MS, EVENT_RETENTION_MS } from "../../src/db/event-claims.ts";
import { backends, freshPostgres } from "../support/databases.ts";
import { FAKE_TOKEN, FakeSlack, postSigned, slackSignature } from "../support/fake-slack.ts";
import { fixture, fixtureText, SIGNING_SECRET, SlackWorld, type SlackUser } from "./harness.ts";

/**
 * The same Slack event delivered many times at once (Slack's retries, or two
 * replicas behind one port each getting a copy) acts once; so does a replayed
 * slash command. A delivery whose action failed is retried, not dropped.
 * On PostgreSQL the copies are split between two replicas on one database.
 */
const fay: SlackUser = { id: "U0FAY", name: "Fay Facilitator" };
const jo: SlackUser = { id: "U0JO", name: "Jo Carer" };
const channel = { channel: "C0COPROD", name: "co-production" };

describe.each(backends())("duplicate deliveries on %s", (backend) => {
  let world: SlackWorld;
  let replica: Wesaid | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;

  beforeAll(async () => {
    database = backend === "postgres" ? await freshPostgres() : undefined;
    world = await SlackWorld.start({ env: database ? { DATABASE_URL: database.url } : {} });
    if (database) replica = await secondReplica(world, database.url);
  }, 120_000);
  afterAll(async () => {
    await replica?.stop();
    await world.stop();
    await database?.drop();
  });
  beforeEach(() => world.reset());
  afterEach(() => expect(world.log.errors).toEqual([]));

  /** Where the i-th copy goes: alternately to each replica when there are two. */
  const urlFor = (i: number) => (replica && i % 2 === 1 ? `${replica.url}/slack/events` : world.eventsUrl);
  const post = (i: number, rawBody: string, kind: "json" | "form", opts: { timestampSec?: number; retryNum?: number } = {}) =>
    postSigned(urlFor(i), rawBody, { secret: SIGNING_SECRET, contentType: kind === "json" ? "application/json" : "application/x-www-form-urlencoded", ...opts });

  async function settle() {
    for (const app of [world.app, replica].filter((a): a is Wesaid => a !== undefined)) {
      await (app.adapters.find((a) => a.platform === "slack") as SlackPlatformAdapter).idle();
      await app.core.flush();
    }
  }

  async function programmeWithJo() {
    await world.slash(fay, "setup Mental health review", channel);
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    const welcome = world.fake.dmOf(jo.id).find((m) => m.text.startsWith("Welcome"))!;
    await world.submit(jo, await world.openForm(jo, welcome, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
  }

  function dmEvent(eventId: string, text: string): string {
    const body = fixture("event_message_im.json");
    body.event_id = eventId;
    Object.assign(body.event, { user: jo.id, channel: FakeSlack.dmChannelOf(jo.id), text });
    return JSON.stringify(body);
  }

  const ideas = (text: string) => world.db.feedbackItem.count({ where: { text } });
  /** Every message that reached Slack (DMs, channels, ephemerals) with these words. */
  const sentWith = (words: string) => world.fake.calls.filter((c) => c.method.startsWith("chat.") && JSON.stringify(c.body).includes(words)).length;

  it("20 copies of one event id at once: one idea, one set of messages, every copy acknowledged", async () => {
    await programmeWithJo();
    // What one delivery sends, as the measure for twenty.
    expect((await post(0, dmEvent("Ev0ONCE", "suggest Agendas a week ahead"), "json")).status).toBe(200);
    await settle();
    const perDelivery = sentWith("Agendas a week ahead");
    expect(perDelivery).toBeGreaterThan(0);

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i, dmEvent("Ev0TWENTY", "suggest Free parking for carers"), "json", i === 0 ? {} : { retryNum: 1 })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await settle();
    expect(await ideas("Free parking for carers")).toBe(1);
    expect(sentWith("Free parking for carers")).toBe(perDelivery);
  });

  it("20 copies of one signed slash command at once: one idea, one answer; the same words typed again later act again", async () => {
    await programmeWithJo();
    const form = new URLSearchParams(fixtureText("slash_command.txt").trim());
    form.set("user_id", jo.id);
    form.set("text", "suggest Evening meetings");
    form.set("response_url", world.fake.responseUrlFor({ user: jo.id, channel: channel.channel }));
    const timestampSec = Math.floor(Date.now() / 1000);
    const postedBefore = world.fake.responsePosts.length;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i, form.toString(), "form", { timestampSec })));
    await settle();
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(await ideas("Evening meetings")).toBe(1);
    // One copy answered the person; the others were acknowledged empty.
    const shown = answers.filter((a) => a.text !== "").length + world.fake.responsePosts.length - postedBefore;
    expect(shown).toBe(1);

    // Jo typing the same command again is a new request (a new signature), not a replay.
    expect((await post(0, form.toString(), "form", { timestampSec: timestampSec + 1 })).status).toBe(200);
    await settle();
    expect(await ideas("Evening meetings")).toBe(2);
  });

  it("a delivery whose action failed part way is retried by the next copy, not dropped", async () => {
    await programmeWithJo();
    const suggest = world.app.core.declarations.find((d) => d.action === "feedback.suggest")!;
    const invoke = suggest.invoke;
    let failures = 1;
    suggest.invoke = async (...args) => {
      if (failures-- > 0) throw new Error("the process died here");
      return invoke(...args);
    };
    try {
      expect((await post(0, dmEvent("Ev0CRASH", "suggest Step-free entrance"), "json")).status).toBe(200);
      await settle();
      expect(await ideas("Step-free entrance")).toBe(0);
      world.log.errors.length = 0; // the failure is logged, as it should be
      expect((await post(1, dmEvent("Ev0CRASH", "suggest Step-free entrance"), "json", { retryNum: 1 })).status).toBe(200);
      await settle();
      expect(await ideas("Step-free entrance")).toBe(1);
      // And once done, it stays done.
      await post(0, dmEvent("Ev0CRASH", "suggest Step-free entrance"), "json", { retryNum: 2 });
      await settle();
      expect(await ideas("Step-free entrance")).toBe(1);
    } finally {
      suggest.invoke = invoke;
    }
  });

  it("a claim left by a killed process holds for its lease, then the next copy runs the action", async () => {
    await programmeWithJo();
    await world.db.processedEvent.create({ data: { key: "slack:Ev0KILLED", status: "working", processedAt: world.clock.now() } });
    await post(0, dmEvent("Ev0KILLED", "suggest Quiet room"), "json", { retryNum: 1 });
    await settle();
    expect(await ideas("Quiet room")).toBe(0);
    world.clock.advance(CLAIM_LEASE_MS + 1000);
    await post(1, dmEvent("Ev0KILLED", "suggest Quiet room"), "json", { retryNum: 2 });
    await settle();
    expect(await ideas("Quiet room")).toBe(1);
    expect((await world.db.processedEvent.findUniqueOrThrow({ where: { key: "slack:Ev0KILLED" } })).status).toBe("done");
  });

  it("handled events are forgotten after the retention window, not before", async () => {
    await programmeWithJo();
    await post(0, dmEvent("Ev0OLD", "suggest Bus passes"), "json");
    await settle();
    const slashKey = `slack:${requestKeyOf(slackSignature(SIGNING_SECRET, 1, "x"), "1")}`;
    await world.db.processedEvent.create({ data: { key: slashKey, processedAt: world.clock.now() } });
    world.clock.advance(EVENT_RETENTION_MS - 60_000);
    await world.app.core.tick();
    expect(await world.db.processedEvent.count({ where: { key: { in: ["slack:Ev0OLD", slashKey] } } })).toBe(2);
    world.clock.advance(2 * 60_000);
    await world.app.core.tick();
    expect(await world.db.processedEvent.count({ where: { key: { in: ["slack:Ev0OLD", slashKey] } } })).toBe(0);
  });
});

/** A second wesaid on the same PostgreSQL database and the same (fake) Slack workspace. */
async function secondReplica(world: SlackWorld, databaseUrl: string): Promise<Wesaid> {
  const dataDir = await mkdtemp(join(tmpdir(), "wesaid-replica-"));
  const app = await startWesaid({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      SCHEDULER: "off",
      LOG_LEVEL: "error",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: FAKE_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: world.fake.apiUrl,
    },
    clock: world.clock,
    log: world.log,
    buildAdapters: async (deps) => [await createSlackAdapter(deps, { postIntervalMs: 0 })],
  });
  const stop = app.stop;
  return { ...app, stop: async () => (await stop(), await rm(dataDir, { recursive: true, force: true })) };
}
