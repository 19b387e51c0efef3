import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PENDING_GRACE_MS } from "../../src/inbox/worker.ts";
import { backends, freshPostgres } from "../support/databases.ts";
import { SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

/**
 * The durable inbox seen from Slack (issues 11 and 12): a request is
 * acknowledged once what it carries is stored, the work and the answer
 * follow through response_url, a stored interaction survives a crash, and a
 * request that cannot be stored in time is answered with a failure Slack
 * acts on, leaving nothing behind.
 */
const fay: SlackUser = { id: "U0FAY", name: "Fay Facilitator" };
const jo: SlackUser = { id: "U0JO", name: "Jo Carer" };
const channel = { channel: "C0COPROD", name: "co-production" };
const ACK_DEADLINE_MS = 1500;

describe.each(backends())("the durable inbox on %s", (backend) => {
  let world: SlackWorld;
  let database: { url: string; drop(): Promise<void> } | undefined;

  beforeAll(async () => {
    database = backend === "postgres" ? await freshPostgres() : undefined;
    world = await SlackWorld.start({ env: database ? { DATABASE_URL: database.url } : {}, adapter: { ackDeadlineMs: ACK_DEADLINE_MS } });
  }, 120_000);
  afterAll(async () => {
    await world.stop();
    await database?.drop();
  });
  beforeEach(() => world.reset());
  afterEach(() => expect(world.log.errors).toEqual([]));

  async function programmeWithJo() {
    await world.slash(fay, "setup Mental health review", channel);
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    const welcome = world.fake.dmOf(jo.id).find((m) => m.text.startsWith("Welcome"))!;
    await world.submit(jo, await world.openForm(jo, welcome, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
  }

  const ideas = (text: string) => world.db.feedbackItem.count({ where: { text } });
  /** What the person was shown privately (through response_url) since `from` ephemeral messages had been shown. */
  const shownSince = (user: SlackUser, from: number) => world.fake.ephemerals.slice(from).filter((e) => e.user === user.id && textOfVisible(e) !== "");

  /** Holds a PostgreSQL lock from another connection until released. */
  async function holdLock(sql: string): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    await client.query("BEGIN");
    await client.query(sql);
    return async () => {
      await client.query("ROLLBACK");
      await client.end();
    };
  }

  it.runIf(backend === "postgres")("acknowledges while the database is busy with what the action needs, and answers once it is free", async () => {
    await programmeWithJo();
    const release = await holdLock(`LOCK TABLE "FeedbackItem" IN ACCESS EXCLUSIVE MODE`);
    let released = false;
    try {
      const from = world.fake.ephemerals.length;
      const started = performance.now();
      const response = await world.slashRaw(jo, "suggest Step-free entrance", channel);
      const tookMs = performance.now() - started;
      expect(response.status).toBe(200);
      expect(response.text).toBe("");
      expect(tookMs).toBeLessThan(ACK_DEADLINE_MS);
      // Stored, not yet acted on: the lock holds the work back.
      expect(await world.db.inboxItem.count()).toBe(1);
      expect(shownSince(jo, from)).toEqual([]);
      await release();
      released = true;
      await world.flush();
      expect(await ideas("Step-free entrance")).toBe(1);
      expect(shownSince(jo, from)).toHaveLength(1);
      expect(await world.db.inboxItem.count()).toBe(0);
    } finally {
      if (!released) await release();
    }
  }, 30_000);

  it("an interaction stored before a crash is handled after the restart, and answered once", async () => {
    await programmeWithJo();
    // The process dies between storing the interaction and working it.
    world.app.core.inbox.hooks.afterAccept = async () => {
      throw new Error("killed here");
    };
    const from = world.fake.ephemerals.length;
    const response = await world.slashRaw(jo, "suggest Quiet room at events", channel);
    expect(response.status).toBe(200);
    await world.flush();
    expect(await world.db.inboxItem.count()).toBe(1);
    expect(await ideas("Quiet room at events")).toBe(0);
    world.log.errors.length = 0;

    world.clock.advance(PENDING_GRACE_MS + 1000);
    await world.restart();
    await world.app.core.inbox.drain();
    await world.flush();
    expect(await ideas("Quiet room at events")).toBe(1);
    expect(shownSince(jo, from)).toHaveLength(1);
    expect(await world.db.inboxItem.count()).toBe(0);

    // Working the inbox again changes nothing.
    await world.app.core.inbox.drain();
    await world.flush();
    expect(await ideas("Quiet room at events")).toBe(1);
    expect(shownSince(jo, from)).toHaveLength(1);
  }, 60_000);

  it("a request that cannot be stored before the deadline gets a failure, not an empty success, and leaves nothing behind", async () => {
    await programmeWithJo();
    // PostgreSQL: another session locks the inbox table; PGlite: a long transaction holds its one connection.
    let release: () => Promise<void>;
    if (backend === "postgres") {
      release = await holdLock(`LOCK TABLE "InboxItem" IN ACCESS EXCLUSIVE MODE`);
    } else {
      let open!: () => void;
      const held = new Promise<void>((resolve) => (open = resolve));
      let started!: () => void;
      const inside = new Promise<void>((resolve) => (started = resolve));
      const transaction = world.db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          started();
          await held;
        },
        { timeout: 20_000 },
      );
      await inside;
      release = async () => {
        open();
        await transaction;
      };
    }
    const from = world.fake.ephemerals.length;
    let response;
    try {
      response = await world.slashRaw(jo, "suggest Lifts that work", channel);
    } finally {
      await release();
    }
    expect(response.status).toBe(503);
    await world.flush();
    expect(await world.db.inboxItem.count()).toBe(0);
    expect(await ideas("Lifts that work")).toBe(0);
    expect(shownSince(jo, from)).toEqual([]);
  }, 30_000);

  it("a form whose fields are not right is refused inside the acknowledgement, and nothing is stored", async () => {
    await programmeWithJo();
    const prefs = await world.slash(jo, "prefs");
    const modal = await world.openForm(jo, prefs.ephemeral!, "Change preferences");
    const answer = await world.submit(jo, modal, { "Time zone": "Mars/Olympus", "Quiet hours start": "21:00", "Quiet hours end": "08:00", "How many reminders": "2" });
    expect(answer.json).toEqual({ response_action: "errors", errors: { timeZone: expect.stringContaining("time zone is not one we know") } });
    expect(await world.db.inboxItem.count()).toBe(0);
  });

  it("puts the reason under the field that is not right, not under the first one", async () => {
    await programmeWithJo();
    const prefs = await world.slash(jo, "prefs");
    const modal = await world.openForm(jo, prefs.ephemeral!, "Change preferences");
    const answer = await world.submit(jo, modal, { "Time zone": "Europe/London", "Quiet hours start": "21:00", "Quiet hours end": "08:00", "How many reminders": "12" });
    const errors = (answer.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toHaveLength(1);
    expect(Object.keys(errors)[0]).not.toBe("timeZone");
    expect(Object.values(errors)[0]).toMatch(/reminders/i);
  });

  it("the same event delivered twice at once acts once", async () => {
    await programmeWithJo();
    const [a, b] = await Promise.all([world.dmRaw(jo, "suggest Hearing loops", "Ev0TWICE"), world.dmRaw(jo, "suggest Hearing loops", "Ev0TWICE", 1)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await world.flush();
    expect(await ideas("Hearing loops")).toBe(1);
    expect(await world.db.inboxItem.count()).toBe(0);
  });
});
