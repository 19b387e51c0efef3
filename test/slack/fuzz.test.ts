import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack, FAKE_TEAM, postSigned } from "../support/fake-slack.ts";
import { formEncode, fuzzParams, fuzzTimeout, hostileJsonText, hostileKey, hostileRecord, hostileString, hostileValue, snapshots, stringish, trialFor, watchProcess, watchReplies } from "../support/fuzz.ts";
import { fixture, fixtureText, SIGNING_SECRET, SlackWorld, type SlackUser } from "./harness.ts";

/**
 * Property-based fuzzing of POST /slack/events, through Bolt's HTTP receiver
 * with every request signed for its own body: random JSON and forms, and
 * payloads shaped like Slack's (slash commands, DMs, mentions, buttons, forms,
 * shortcuts) filled with hostile strings, prototype keys, wrong types and deep
 * nesting. Whatever arrives: never a 5xx, nothing logged as an error, no
 * unhandled rejection, and nothing stored when the input was refused.
 * A fixed seed; FUZZ_RUNS=10 (npm run fuzz) runs ten times as many cases.
 */
let world: SlackWorld;
let replies: ReturnType<typeof watchReplies>;
let watch: ReturnType<typeof watchProcess>;
let snapshot: Awaited<ReturnType<typeof snapshots>>;
let trial: ReturnType<typeof trialFor>;

const fay: SlackUser = { id: "U0FAY", name: "Fay" };
const jo: SlackUser = { id: "U0JO", name: "Jo" };
const sam: SlackUser = { id: "U0SAM", name: "Sam" }; // known to wesaid, in no programme
const CHANNEL = "C0COPROD";

beforeAll(async () => {
  world = await SlackWorld.start();
  const channel = { channel: CHANNEL, name: "co-production" };
  await world.slash(fay, "setup Mental health review", channel);
  const join = await world.slash(jo, "join", channel);
  await world.press(jo, join.ephemeral!, "Expert by experience");
  const welcome = world.fake.dmOf(jo.id).find((m) => m.text.startsWith("Welcome"))!;
  await world.submit(jo, await world.openForm(jo, welcome, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
  await world.slash(jo, "suggest A ramp at the side door");
  await world.slash(sam, "help");
  expect(await world.db.feedbackItem.count()).toBe(1);
  snapshot = await snapshots(world.db);
  replies = watchReplies(world.app.core);
  watch = watchProcess();
  trial = trialFor({ snapshot, replies, settle: () => world.flush(), takeErrors: () => world.log.errors.splice(0) });
});
afterAll(async () => {
  watch?.stop();
  replies?.restore();
  await world?.stop();
});
afterEach(() => {
  expect(watch.problems).toEqual([]);
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
});

const known = fc.constantFrom(fay, jo, sam);
/** Mostly people wesaid knows; now and then someone it has never seen. */
const anyone = fc.oneof({ weight: 6, arbitrary: known.map((user) => ({ user })) }, { weight: 1, arbitrary: fc.stringMatching(/^U[0-9A-Z]{4,10}$/).map((id) => ({ user: { id, name: "Someone" } })) });
const channelId = fc.oneof(fc.constantFrom(CHANNEL, "D0JO", "D0FAY", "C0OTHER", "G0PRIVATE"), stringish(20));
const commandWords = () => fc.constantFrom("", "help", "setup", "join", "suggest", "ideas", "idea", "assign", "update", "together", "pause", "resume", "prefs", "my-data", "forget-me", "consent", "withdraw", "leave", "role", "consent-words", "taster", "panel", "digest", "answers", "prompts", "home", "retention", "catch-up", "my-time", "nonsense");
const commandText = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(commandWords(), hostileString()).map(([word, rest]) => `${word} ${rest}`) },
  { weight: 1, arbitrary: hostileString(200) },
);

const signed = (body: string, type: "application/json" | "application/x-www-form-urlencoded" | "text/plain") =>
  postSigned(world.eventsUrl, body, { secret: SIGNING_SECRET, contentType: type as "application/json" });
const asForm = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

describe("POST /slack/events, fuzzed", () => {
  it(
    "any signed body (JSON, a form, a payload= form, text) gets an answer under 500 and stores nothing",
    async () => {
      const form = fc.array(fc.tuple(hostileKey, hostileString()), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join("&"));
      const body = fc.oneof(
        hostileJsonText.map((text) => ({ body: text, type: "application/json" as const })),
        hostileJsonText.map((text) => ({ body: `payload=${formEncode(text)}`, type: "application/x-www-form-urlencoded" as const })),
        form.map((text) => ({ body: text, type: "application/x-www-form-urlencoded" as const })),
        hostileString(200).map((text) => ({ body: text, type: "text/plain" as const })),
      );
      await fc.assert(fc.asyncProperty(body, ({ body, type }) => trial(() => signed(body, type))), fuzzParams(100));
    },
    fuzzTimeout(30_000),
  );

  it(
    "slash commands with hostile text and fields",
    async () => {
      const slash = fc.record({
        who: anyone,
        text: commandText,
        channel: channelId,
        extra: fc.array(fc.tuple(fc.constantFrom("user_name", "channel_name", "command", "response_url", "trigger_id", "enterprise_id", "is_enterprise_install"), hostileString()), { maxLength: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(slash, ({ who, text, channel, extra }) => {
          world.fake.users.set(who.user.id, who.user.name);
          const form = new URLSearchParams(fixtureText("slash_command.txt").trim());
          form.set("team_id", FAKE_TEAM);
          form.set("user_id", who.user.id);
          form.set("channel_id", String(channel));
          form.set("text", text);
          form.set("response_url", world.fake.responseUrlFor({ user: who.user.id, channel: String(channel) }));
          for (const [key, value] of extra) form.append(key, value);
          return trial(() => signed(form.toString(), "application/x-www-form-urlencoded"));
        }),
        fuzzParams(120),
      );
    },
    fuzzTimeout(40_000),
  );

  it(
    "DMs and @mentions with hostile text, event fields of any type, and event ids",
    async () => {
      const event = fc.record({
        who: anyone,
        kind: fc.constantFrom("event_message_im.json", "event_app_mention.json", "event_app_home_opened.json"),
        text: commandText,
        eventId: fc.oneof(fc.uuid().map((u) => `Ev${u}`), stringish(30)),
        channel: channelId,
        extra: fc.array(fc.tuple(fc.constantFrom("subtype", "bot_id", "channel_type", "user", "ts", "blocks", "tab", "team"), fc.oneof(stringish(), hostileValue)), { maxLength: 3 }),
        envelope: fc.array(fc.tuple(fc.constantFrom("type", "event_id", "authorizations", "__proto__", "enterprise_id"), fc.oneof(stringish(), hostileValue)), { maxLength: 2 }),
      });
      await fc.assert(
        fc.asyncProperty(event, ({ who, kind, text, eventId, channel, extra, envelope }) => {
          world.fake.users.set(who.user.id, who.user.name);
          const body = fixture(kind);
          body.event_id = eventId;
          Object.assign(body.event, { user: who.user.id, text: kind === "event_app_mention.json" ? `<@U0WESAIDBOT> ${text}` : text, channel: kind === "event_message_im.json" ? FakeSlack.dmChannelOf(who.user.id) : channel });
          for (const [key, value] of extra) body.event[key] = value;
          const json = JSON.stringify(body).slice(0, -1) + envelope.map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join("") + "}";
          return trial(() => signed(json, "application/json"));
        }),
        fuzzParams(120),
      );
    },
    fuzzTimeout(40_000),
  );

  /** A button value or form metadata as wesaid encodes them ("j" + JSON), naming any action with any arguments. */
  const actionName = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...world.app.core.actions) }, { weight: 1, arbitrary: hostileString(40) });
  const call = () =>
    fc.record({ a: actionName(), g: fc.oneof({ weight: 4, arbitrary: fc.dictionary(fc.constantFrom("programmeId", "itemId", "text", "role", "id", "deliveryId", "tasterId", "panelId", "days", "status"), hostileString()) }, { weight: 1, arbitrary: hostileRecord }) }, { requiredKeys: ["a", "g"] });
  const encoded = (value: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 4, arbitrary: value.map((v) => `j${JSON.stringify(v)}`) }, { weight: 1, arbitrary: fc.oneof(hostileString(100), fc.constantFrom("m0123456789abcdef", "zzzz", "j{", "j__proto__")) });

  it(
    "button presses (block_actions) naming any action, with hostile arguments and containers",
    async () => {
      const press = fc.record({
        who: anyone,
        actionId: fc.oneof(fc.constantFrom("wesaid.call:0", "wesaid.form:0", "wesaid.call", "other"), hostileString(30)),
        value: fc.oneof({ weight: 5, arbitrary: encoded(call()) }, { weight: 1, arbitrary: stringish() }),
        container: fc.oneof(
          fc.constant({ type: "message", message_ts: "1772442400.000100", channel_id: CHANNEL, is_ephemeral: false }),
          fc.constant({ type: "view", view_id: "V0HOME1" }),
          fc.record({ type: stringish(10), channel_id: channelId, is_ephemeral: fc.oneof(fc.boolean(), stringish(5)) }),
        ),
        actionsExtra: fc.oneof(fc.constant(undefined), hostileValue),
      });
      await fc.assert(
        fc.asyncProperty(press, ({ who, actionId, value, container, actionsExtra }) => {
          world.fake.users.set(who.user.id, who.user.name);
          const payload = fixture("block_actions.json");
          payload.user = { id: who.user.id, username: "x", name: "x", team_id: FAKE_TEAM };
          payload.trigger_id = world.fake.triggerFor(who.user.id);
          payload.container = container;
          payload.response_url = world.fake.responseUrlFor({ user: who.user.id, channel: CHANNEL });
          payload.actions = actionsExtra === undefined ? [{ action_id: actionId, block_id: "b1", value, type: "button", action_ts: "1772442400.567890" }] : actionsExtra;
          return trial(() => signed(asForm(payload), "application/x-www-form-urlencoded"));
        }),
        fuzzParams(150),
      );
    },
    fuzzTimeout(45_000),
  );

  it(
    "form submissions (view_submission) with any call in private_metadata and hostile values",
    async () => {
      const state = fc.dictionary(
        hostileKey,
        fc.dictionary(
          fc.oneof(fc.constant("input"), hostileKey),
          fc.oneof(
            fc.record({ type: fc.constant("plain_text_input"), value: stringish(300) }),
            fc.record({ type: fc.constant("static_select"), selected_option: fc.oneof(fc.record({ value: stringish() }), hostileValue) }),
            fc.record({ type: fc.constant("multi_users_select"), selected_users: fc.array(fc.oneof(fc.constantFrom("U0FAY", "U0JO", "U0SAM"), stringish(12)), { maxLength: 4 }) }),
            fc.record({ type: fc.constant("datetimepicker"), selected_date_time: fc.oneof(fc.integer(), fc.double(), stringish()) }),
            hostileValue,
          ),
          { maxKeys: 2 },
        ),
        { maxKeys: 4 },
      );
      const submission = fc.record({
        who: anyone,
        meta: encoded(fc.record({ c: call(), s: fc.oneof(fc.constant({ kind: "none" }), fc.constant({ kind: "home" }), fc.record({ kind: fc.constant("message"), channel: channelId, ts: stringish(20) }), hostileValue), f: fc.option(hostileString(20), { nil: undefined }) }, { requiredKeys: ["c", "s"] })),
        callbackId: fc.oneof({ weight: 5, arbitrary: fc.constant("wesaid.form") }, { weight: 1, arbitrary: hostileString(20) }),
        state,
      });
      await fc.assert(
        fc.asyncProperty(submission, ({ who, meta, callbackId, state }) => {
          world.fake.users.set(who.user.id, who.user.name);
          const payload = fixture("view_submission.json");
          payload.user = { id: who.user.id, username: "x", name: "x", team_id: FAKE_TEAM };
          Object.assign(payload.view, { callback_id: callbackId, private_metadata: meta, state: { values: state } });
          return trial(() => signed(asForm(payload), "application/x-www-form-urlencoded"));
        }),
        fuzzParams(120),
      );
    },
    fuzzTimeout(40_000),
  );

  it(
    "the Make this a suggestion shortcut on a message with hostile words",
    async () => {
      const shortcut = fc.record({ who: anyone, text: fc.oneof(hostileString(300), commandText), channel: channelId, ts: stringish(20) });
      await fc.assert(
        fc.asyncProperty(shortcut, ({ who, text, channel, ts }) => {
          world.fake.users.set(who.user.id, who.user.name);
          const payload = fixture("message_action.json");
          payload.user = { id: who.user.id, username: "x", name: "x", team_id: FAKE_TEAM };
          payload.channel = { id: channel, name: "co-production" };
          payload.message = { ...payload.message, text, ts };
          payload.message_ts = ts;
          payload.response_url = world.fake.responseUrlFor({ user: who.user.id, channel: String(channel) });
          return trial(() => signed(asForm(payload), "application/x-www-form-urlencoded"));
        }),
        fuzzParams(50),
      );
    },
    fuzzTimeout(30_000),
  );
});

describe("found by fuzzing, kept as examples", () => {
  /** Posts a signed payload and returns what wesaid answered and logged. */
  async function send(body: string, type: "application/json" | "application/x-www-form-urlencoded") {
    const response = await signed(body, type);
    await world.flush();
    replies.take();
    return { status: response.status, text: response.text, errors: world.log.errors.splice(0) };
  }

  it.each([
    ["an event whose channel is null", () => JSON.stringify({ ...fixture("event_app_home_opened.json"), event: { type: "app_home_opened", user: "U0JO", channel: null } })],
    ["an event whose user is null", () => JSON.stringify({ ...fixture("event_app_mention.json"), event: { ...fixture("event_app_mention.json").event, user: null } })],
    ["an event whose authorizations hold null", () => JSON.stringify({ ...fixture("event_message_im.json"), authorizations: [null] })],
    ["a button press whose actions are an object", () => asForm({ ...fixture("block_actions.json"), actions: {} })],
    ["a button press whose channel is null", () => asForm({ ...fixture("block_actions.json"), channel: null, actions: [] })],
  ])("acknowledges %s and ignores it, instead of failing inside Bolt", async (_what, body) => {
    const before = await snapshot.now();
    const raw = body();
    const answer = await send(raw, raw.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded");
    expect(answer).toEqual({ status: 200, text: "", errors: [] });
    expect(await snapshot.now()).toEqual(before);
  });

  it("treats a date and time no calendar holds as no answer, instead of failing", async () => {
    const payload = fixture("view_submission.json");
    payload.user = { id: jo.id, username: "jo", name: "jo", team_id: FAKE_TEAM };
    const meta = `j${JSON.stringify({ c: { a: "tasters.create", g: {} }, s: { kind: "none" } })}`;
    Object.assign(payload.view, { private_metadata: meta, state: { values: { when: { input: { type: "datetimepicker", selected_date_time: 1e300 } } } } });
    const answer = await send(asForm(payload), "application/x-www-form-urlencoded");
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([]);
  });
});
