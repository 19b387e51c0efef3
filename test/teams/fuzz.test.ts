import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BOT, cardText, findAction, FakeTeams, teamsUser, type TeamsUser } from "../support/fake-teams.ts";
import { fuzzParams, fuzzTimeout, hostileJsonText, hostileKey, hostileRecord, hostileString, hostileValue, snapshots, stringish, trialFor, watchProcess, watchReplies } from "../support/fuzz.ts";
import { TeamsWorld } from "./harness.ts";

/**
 * Property-based fuzzing of POST /api/messages through botbuilder's real
 * CloudAdapter (switched on without credentials, as the other Teams tests
 * run it): random JSON, and activities shaped like Teams' (messages typed in
 * a 1:1 chat or a channel, card submits, Action.Execute invokes, installs and
 * other activity types) filled with hostile text, values and entities. The
 * sender, conversation and service URL stay those of people wesaid knows:
 * the Bot Framework vouches for them. Whatever arrives: never a 5xx, nothing
 * logged as an error, no unhandled rejection, nothing stored when refused.
 * A fixed seed; FUZZ_RUNS=10 (npm run fuzz) runs ten times as many cases.
 */
let world: TeamsWorld;
let replies: ReturnType<typeof watchReplies>;
let watch: ReturnType<typeof watchProcess>;
let trial: ReturnType<typeof trialFor>;
let fac: TeamsUser;
let jo: TeamsUser;
let sam: TeamsUser;

beforeAll(async () => {
  world = await TeamsWorld.open();
  fac = await world.install(teamsUser("Fay Facilitator"));
  await world.send(world.build.inChannel(fac, "setup Mental health review"));
  jo = await world.install(teamsUser("Jo Carer"));
  await world.send(world.build.inChannel(jo, "join"));
  const roles = world.messageWith(jo.chat, "Expert by experience");
  await world.send(world.build.execute(jo, findAction(FakeTeams.card(roles), "Expert by experience"), {}, { replyToId: roles.id }));
  for (const user of [fac, jo]) {
    const welcome = world.messageWith(user.chat, "Save my choices");
    const saved = await world.send(world.build.execute(user, findAction(FakeTeams.card(welcome), "Save my choices"), { participation: "yes", quotation: "yes" }, { replyToId: welcome.id }));
    expect(cardText(saved.body.value)).toContain("Your choices are saved");
  }
  sam = await world.install(teamsUser("Sam Nobody"));
  const snapshot = await snapshots(world.db);
  replies = watchReplies(world.app.core);
  watch = watchProcess();
  trial = trialFor({
    snapshot,
    replies,
    settle: () => world.app.core.flush(),
    takeErrors: () => world.log.lines.splice(0).filter((l) => l.level === "error"),
  });
});
afterAll(async () => {
  watch?.stop();
  replies?.restore();
  await world?.close();
});
afterEach(() => {
  expect(watch.problems).toEqual([]);
  expect(world.fake.unexpected()).toEqual([]);
});

const who = () => fc.constantFrom(fac, jo, sam);
const commandWords = fc.constantFrom("", "help", "setup", "join", "suggest", "ideas", "idea", "assign", "update", "together", "pause", "resume", "prefs", "my-data", "forget-me", "consent", "withdraw", "leave", "role", "taster", "panel", "digest", "answers", "prompts", "home", "retention", "nonsense");
const typed = fc.oneof({ weight: 3, arbitrary: fc.tuple(commandWords, hostileString()).map(([word, rest]) => `${word} ${rest}`) }, { weight: 1, arbitrary: hostileString(300) });
const mention = fc.record({
  type: fc.constant("mention"),
  text: fc.oneof(fc.constant("<at>wesaid</at>"), hostileString(20)),
  mentioned: fc.oneof(fc.record({ id: fc.oneof(fc.constantFrom(BOT.id, "29:1jo-carer-teams-user-id"), hostileString(20)), name: stringish(20) }), hostileValue),
});
const actionName = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...world.app.core.actions) }, { weight: 1, arbitrary: hostileString(40) });
/** What wesaid's cards carry under `wesaid`, naming any action, with anything beside it. */
const meta = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ action: actionName(), inputs: fc.option(fc.array(hostileKey, { maxLength: 3 }), { nil: undefined }), multi: fc.option(fc.array(hostileKey, { maxLength: 2 }), { nil: undefined }), datetime: fc.option(fc.array(hostileKey, { maxLength: 2 }), { nil: undefined }), people: fc.option(fc.array(hostileKey, { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: ["action"] }) },
    { weight: 1, arbitrary: hostileValue },
  );
const cardData = () =>
  fc.tuple(meta(), hostileRecord, fc.dictionary(fc.constantFrom("programmeId", "itemId", "text", "role", "deliveryId", "tasterId", "panelId", "participation", "quotation"), stringish())).map(([wesaid, extra, args]) => {
    const data = JSON.parse(JSON.stringify({ ...args, ...extra }) ?? "{}") as Record<string, unknown>;
    data.wesaid = wesaid;
    return data;
  });

/** A message in someone's 1:1 chat or in the programme's channel, with fields changed. */
function messageFrom(user: TeamsUser, channel: boolean, text: string) {
  return channel ? world.build.inChannel(user, text) : world.build.say(user, text);
}

describe("POST /api/messages, fuzzed", () => {
  it(
    "any JSON body gets an answer under 500 and stores nothing",
    async () => {
      await fc.assert(fc.asyncProperty(hostileJsonText, (body) => trial(() => world.post(body))), fuzzParams(100));
    },
    fuzzTimeout(30_000),
  );

  it(
    "typed messages with hostile text, mentions, entities and channel data",
    async () => {
      const message = fc.record({
        user: who(),
        channel: fc.boolean(),
        text: typed,
        entities: fc.option(fc.array(fc.oneof(mention, hostileValue), { maxLength: 3 }), { nil: undefined }),
        extra: fc.array(fc.tuple(fc.constantFrom("channelData", "replyToId", "textFormat", "attachments", "value", "id", "timestamp", "__proto__"), fc.oneof(stringish(), hostileValue)), { maxLength: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(message, ({ user, channel, text, entities, extra }) => {
          const activity = messageFrom(user, channel, text);
          if (entities) activity.entities = [...(channel ? [activity.entities[0]] : []), ...entities];
          for (const [key, value] of extra) activity[key] = value;
          return trial(() => world.post(activity));
        }),
        fuzzParams(150),
      );
    },
    fuzzTimeout(40_000),
  );

  it(
    "card submits (Action.Submit) naming any action, with hostile values",
    async () => {
      const submit = fc.record({ user: who(), value: fc.oneof({ weight: 5, arbitrary: cardData() }, { weight: 1, arbitrary: hostileValue }), replyToId: fc.option(stringish(30), { nil: undefined }) });
      await fc.assert(
        fc.asyncProperty(submit, ({ user, value, replyToId }) => {
          const activity = world.build.say(user, "");
          delete activity.text;
          activity.value = value;
          if (replyToId !== undefined) activity.replyToId = replyToId;
          return trial(() => world.post(activity));
        }),
        fuzzParams(80),
      );
    },
    fuzzTimeout(40_000),
  );

  it(
    "card buttons (Action.Execute invokes) with any verb and data, in a chat or a channel",
    async () => {
      const invoke = fc.record({
        user: who(),
        channel: fc.boolean(),
        name: fc.oneof({ weight: 5, arbitrary: fc.constant("adaptiveCard/action") }, { weight: 1, arbitrary: stringish(30) }),
        verb: fc.oneof(actionName(), stringish(20)),
        data: fc.oneof({ weight: 5, arbitrary: cardData() }, { weight: 1, arbitrary: hostileValue }),
        value: fc.option(hostileValue, { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(invoke, ({ user, channel, name, verb, data, value }) => {
          const activity = world.build.execute(user, { type: "Action.Execute", title: "x", verb, data }, {}, { channel, replyToId: "1772442500000" });
          activity.name = name;
          if (value !== undefined) activity.value = value;
          return trial(() => world.post(activity));
        }),
        fuzzParams(120),
      );
    },
    fuzzTimeout(40_000),
  );

  it(
    "installs, removals and other activity types with hostile fields",
    async () => {
      const other = fc.record({
        user: who(),
        type: fc.oneof(fc.constantFrom("conversationUpdate", "installationUpdate", "messageReaction", "messageUpdate", "messageDelete", "typing", "event", "endOfConversation"), stringish(20)),
        action: fc.option(fc.oneof(fc.constantFrom("add", "remove", "add-upgrade"), stringish(10)), { nil: undefined }),
        membersAdded: fc.option(fc.oneof(fc.constant([{ id: BOT.id }]), fc.array(fc.record({ id: stringish(20) }), { maxLength: 2 }), hostileValue), { nil: undefined }),
        channel: fc.boolean(),
        extra: fc.array(fc.tuple(fc.constantFrom("channelData", "reactionsAdded", "value", "name", "text", "membersRemoved", "__proto__"), fc.oneof(stringish(), hostileValue)), { maxLength: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(other, ({ user, type, action, membersAdded, channel, extra }) => {
          const activity = channel ? world.build.addedToTeam(user) : world.build.install(user)[0];
          activity.type = type;
          if (action !== undefined) activity.action = action;
          if (membersAdded !== undefined) activity.membersAdded = membersAdded;
          for (const [key, value] of extra) activity[key] = value;
          return trial(() => world.post(activity));
        }),
        fuzzParams(100),
      );
    },
    fuzzTimeout(30_000),
  );
});

describe("found by fuzzing, kept as examples", () => {
  it.each([
    ["a mention entity that is null", () => ({ ...world.build.inChannel(jo, "help"), entities: [null] })],
    ["membersAdded that is not a list", () => ({ ...world.build.addedToTeam(fac), membersAdded: {} })],
    ["a sender's name that is a number", () => ({ ...world.build.say(jo, "help"), from: { id: jo.id, name: 42, aadObjectId: jo.aadObjectId } })],
  ])("answers %s with 400, not a failed turn", async (_what, activity) => {
    const answer = await world.post(activity());
    expect(answer.status).toBe(400);
    expect(world.log.lines.splice(0).filter((l) => l.level === "error")).toEqual([]);
  });

  it("reads a card input named toString or constructor as an input, not as Object's own method", async () => {
    const data = { toString: "", constructor: "x", wesaid: { action: "people.pause", inputs: ["toString", "valueOf"], multi: ["constructor", "hasOwnProperty"] } };
    const invoke = await world.post(world.build.execute(sam, { type: "Action.Execute", title: "Pause", verb: "people.pause", data }, {}, { replyToId: "1772442500000" }));
    expect(invoke.status).toBe(200);
    expect(invoke.body.statusCode).toBe(200);
    const submit = world.build.say(sam, "");
    delete submit.text;
    submit.value = data;
    expect((await world.post(submit)).status).toBe(200);
    await world.app.core.flush();
    expect(world.log.lines.splice(0).filter((l) => l.level === "error")).toEqual([]);
  });
});
