import { describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { PayloadCodec } from "../../adapters/slack/codec.ts";
import { ChannelPacer, failureFrom } from "../../adapters/slack/messenger.ts";
import { parseSlackBody, verifySignature } from "../../adapters/slack/receiver.ts";
import {
  actionInteraction,
  fromBlockActions,
  fromDirectMessage,
  fromHomeOpened,
  fromMention,
  fromMessageShortcut,
  fromSlackText,
  fromSlashCommand,
  fromViewSubmission,
  readSlackText,
  unnamedMentionsIn,
  valuesFromState,
} from "../../adapters/slack/translate.ts";
import { interactionSchema } from "../../src/interactions.ts";
import { slackSignature } from "../support/fake-slack.ts";
import { fixture, fixtureText } from "./harness.ts";

// Slack payloads (recorded shapes under test/fixtures/slack) to core Interactions.
const BOT = "U0WESAIDBOT";

describe("translating Slack payloads", () => {
  it("turns a slash command form body into a command, in the channel it came from", () => {
    const body = Object.fromEntries(new URLSearchParams(fixtureText("slash_command.txt").trim()));
    const t = fromSlashCommand(body)!;
    expect(interactionSchema.parse(t.interaction)).toEqual({
      platform: "slack",
      user: { externalId: "U0JO", tenantId: "T0WESAID" },
      place: { kind: "channel", externalId: "C0COPROD", name: "co-production" },
      input: { kind: "command", text: "help", mentions: [] },
    });
    expect(t.place).toMatchObject({ userId: "U0JO", channelId: "C0COPROD", botDm: false, responseUrl: expect.stringContaining("hooks.slack.com") });
  });

  it("treats a slash command in a direct message as private", () => {
    const body = { ...Object.fromEntries(new URLSearchParams(fixtureText("slash_command.txt").trim())), channel_id: "D0JO", channel_name: "directmessage" };
    expect(fromSlashCommand(body)!.interaction.place).toEqual({ kind: "direct" });
  });

  it("turns a DM (message.im) into a command with the event id for deduplication", () => {
    const t = fromDirectMessage(fixture("event_message_im.json"), BOT)!;
    expect(t.interaction).toMatchObject({ eventId: "Ev0MESSAGEIM1", place: { kind: "direct" }, input: { kind: "command", text: "help" } });
    expect(t.place).toEqual({ userId: "U0JO", channelId: "D0JO", botDm: true });
  });

  it("strips the bot's mention from an app_mention", () => {
    const t = fromMention(fixture("event_app_mention.json"), BOT)!;
    expect(t.interaction).toMatchObject({ eventId: "Ev0MENTION1", place: { kind: "channel", externalId: "C0COPROD" }, input: { kind: "command", text: "help", mentions: [] } });
  });

  it("sends the people a slash command names as mentions, written in the text as their names", () => {
    const body = { ...Object.fromEntries(new URLSearchParams(fixtureText("slash_command.txt").trim())), text: "role <@U0PRIYA|priya> commissioner" };
    expect(fromSlashCommand(body)!.interaction.input).toEqual({
      kind: "command",
      text: "role @priya commissioner",
      mentions: [{ externalId: "U0PRIYA", displayName: "priya", shownAs: "@priya" }],
    });
  });

  it("names people an app_mention or a DM gives only by id with the names looked up, or as someone-1, someone-2", () => {
    const mention = fixture("event_app_mention.json");
    mention.event.text = `<@${BOT}> together Rewrite the leaflet with <@U0SAM> and <@U0JO>`;
    expect(unnamedMentionsIn(mention.event.text)).toEqual([BOT, "U0SAM", "U0JO"]);
    expect(fromMention(mention, BOT, new Map([["U0SAM", "Sam Okoro"]]))!.interaction.input).toEqual({
      kind: "command",
      text: "together Rewrite the leaflet with @Sam Okoro and @someone-1",
      mentions: [
        { externalId: "U0SAM", displayName: "Sam Okoro", shownAs: "@Sam Okoro" },
        { externalId: "U0JO", shownAs: "@someone-1" },
      ],
    });
    const dm = fixture("event_message_im.json");
    dm.event.text = `<@${BOT}> role <@U0PRIYA> commissioner`;
    expect(fromDirectMessage(dm, BOT)!.interaction.input).toEqual({ kind: "command", text: "role @someone-1 commissioner", mentions: [{ externalId: "U0PRIYA", shownAs: "@someone-1" }] });
  });

  it("gives two people with one name different words, and never words already in the text", () => {
    expect(readSlackText("ask @Jo then <@U0JO1|Jo> and <@U0JO2|Jo> and <@U0JO1|Jo> again")).toEqual({
      text: "ask @Jo then @Jo (2) and @Jo (3) and @Jo (2) again",
      mentions: [
        { externalId: "U0JO1", displayName: "Jo", shownAs: "@Jo (2)" },
        { externalId: "U0JO2", displayName: "Jo", shownAs: "@Jo (3)" },
        { externalId: "U0JO1", displayName: "Jo", shownAs: "@Jo (2)" },
      ],
    });
  });

  it("reads app_home_opened for the Home tab only", () => {
    expect(fromHomeOpened(fixture("event_app_home_opened.json"))).toEqual({ userId: "U0JO", teamId: "T0WESAID", eventId: "Ev0HOME1" });
    const messagesTab = fixture("event_app_home_opened.json");
    messagesTab.event.tab = "messages";
    expect(fromHomeOpened(messagesTab)).toBeNull();
  });

  it("reads a button press on a DM message, with the message as the source to update", () => {
    const press = fromBlockActions(fixture("block_actions.json"))!;
    expect(press).toMatchObject({
      actionId: "wesaid.call.0",
      interactionPlace: { kind: "direct" },
      place: { userId: "U0JO", channelId: "D0JO", botDm: true, source: { kind: "message", channel: "D0JO", ts: "1772442001.000100" } },
    });
    expect(new PayloadCodec().decodeCall(press.value)).toEqual({ action: "people.pause", args: {} });
  });

  it("reads a button press on an ephemeral message, to be replaced through response_url", () => {
    const payload = fixture("block_actions.json");
    payload.container = { type: "message", message_ts: "1.2", channel_id: "C0COPROD", is_ephemeral: true };
    expect(fromBlockActions(payload)!.place).toMatchObject({ botDm: false, source: { kind: "ephemeral", channel: "C0COPROD", responseUrl: payload.response_url } });
  });

  it("turns a message shortcut into a suggestion from that message", () => {
    const t = fromMessageShortcut(fixture("message_action.json"))!;
    expect(t.interaction.input).toEqual({
      kind: "action",
      action: "feedback.suggest",
      args: { text: "It would really help if the meetings were in the evening & had a phone option", source: "message", sourceRef: "C0COPROD:1772442650.000500" },
    });
  });

  it("reads every kind of modal input", () => {
    expect(
      valuesFromState({
        q1: { value: { type: "static_select", selected_option: { value: "7" } } },
        q2: { value: { type: "checkboxes", selected_options: [{ value: "a" }, { value: "b" }] } },
        q3: { value: { type: "plain_text_input", value: "Some words" } },
        q4: { value: { type: "plain_text_input", value: null } },
        q5: { value: { type: "datetimepicker", selected_date_time: 1773151200 } },
        q6: { value: { type: "radio_buttons", selected_option: null } },
      }),
    ).toEqual({ values: { q1: "7", q2: "a\nb", q3: "Some words", q5: "2026-03-10T14:00:00.000Z" }, people: {} });
    expect(fromViewSubmission(fixture("view_submission.json"))).toMatchObject({ callbackId: "wesaid.form", user: { externalId: "U0JO" } });
  });

  it("reads people pickers as chosen people (not text), and ignores ids that are not Slack's", () => {
    expect(
      valuesFromState({
        members: { value: { type: "multi_users_select", selected_users: ["U0JO", "U0PRIYA"] } },
        lead: { value: { type: "users_select", selected_user: "U0SAM" } },
        nobody: { value: { type: "multi_users_select", selected_users: [] } },
        none: { value: { type: "users_select", selected_user: null } },
      }),
    ).toEqual({ values: {}, people: { members: [{ externalId: "U0JO" }, { externalId: "U0PRIYA" }], lead: [{ externalId: "U0SAM" }] } });
    const hostile = fixture("view_submission.json");
    hostile.view.state = { values: { members: { value: { type: "multi_users_select", selected_users: ["U0JO> <@U0EVIL"] } } } };
    expect(fromViewSubmission(hostile)).toBeNull();
  });

  it("turns Slack's markup into plain words, people included", () => {
    expect(fromSlackText("role <@U0SAM|sam> commissioner &amp; <#C0COPROD|co-production> <!here> <https://nhs.uk|NHS> <mailto:a@b.org|a@b.org> &lt;3")).toBe(
      "role @sam commissioner & #co-production @here NHS (https://nhs.uk) a@b.org <3",
    );
    // Escaped text that only looks like a mention stays words; it names nobody.
    expect(readSlackText("&lt;@U0EVIL&gt; \u0000 0\u0001")).toEqual({ text: "<@U0EVIL>  0", mentions: [] });
  });

  it.each([
    ["a bot's message", () => fromDirectMessage(fixture("hostile/event_message_im_from_bot.json"), BOT)],
    ["an edit", () => fromDirectMessage(fixture("hostile/event_message_im_edited.json"), BOT)],
    ["fields of the wrong type", () => fromDirectMessage(fixture("hostile/event_wrong_types.json"), BOT)],
    ["wesaid's own message", () => fromDirectMessage({ ...fixture("event_message_im.json"), event: { ...fixture("event_message_im.json").event, user: BOT } }, BOT)],
    ["a slash command with no user", () => fromSlashCommand(Object.fromEntries(new URLSearchParams(fixtureText("hostile/slash_command_missing_user.txt").trim())))],
    ["a shortcut wesaid does not offer", () => fromMessageShortcut(fixture("hostile/message_action_other_callback.json"))],
    ["a mention inside a DM", () => fromMention({ ...fixture("event_app_mention.json"), event: { ...fixture("event_app_mention.json").event, channel: "D0JO" } }, BOT)],
    ["a block_actions payload with no actions", () => fromBlockActions({ ...fixture("block_actions.json"), actions: [] })],
    ["something that is not an object", () => fromSlashCommand("nonsense")],
  ])("ignores %s", (_what, translate) => {
    expect(translate()).toBeNull();
  });
});

describe("button values and modal metadata", () => {
  it("round-trips a call, a form and the metadata, and refuses anything altered", () => {
    const codec = new PayloadCodec();
    const call = { action: "taster.signup", args: { tasterId: "t1" } };
    expect(codec.decodeCall(codec.encodeCall(call))).toEqual(call);
    const meta = { call, source: { kind: "message" as const, channel: "D0JO", ts: "1.2" }, firstInput: "q1" };
    expect(codec.decodeMeta(codec.encodeMeta(meta))).toEqual(meta);
    const form = {
      kind: "form" as const,
      id: "panel-new",
      title: "New panel",
      openLabel: "Set up a panel",
      submitLabel: "Set it up",
      submit: { action: "panel.create", args: { programmeId: "p1" } },
      inputs: [{ kind: "people" as const, id: "members", label: "Who is on the panel?", multiple: true }],
    };
    expect(codec.decodeForm(codec.encodeForm(form))).toEqual(form);
    for (const bad of ["", "j", "j[]", 'j{"a":""}', "z###", "mnope", "x{}", 42, null]) expect(codec.decodeCall(bad)).toBeNull();
  });

  it("carries the people a button's call is about (a \"which programme?\" button after a command naming people)", () => {
    const codec = new PayloadCodec();
    const call = { action: "feedback.together", args: { title: "Rewrite the leaflet", programmeId: "p1" }, people: { owners: [{ externalId: "U0SAM", displayName: "Sam", shownAs: "@Sam" }] } };
    expect(codec.decodeCall(codec.encodeCall(call))).toEqual(call);
    const meta = { call, source: { kind: "home" as const } };
    expect(codec.decodeMeta(codec.encodeMeta(meta))).toEqual(meta);
    const press = fromBlockActions(fixture("block_actions.json"))!;
    expect(actionInteraction(press, call).input).toEqual({ kind: "action", action: "feedback.together", args: call.args, people: call.people });
    expect(codec.decodeCall(`j${JSON.stringify({ a: "x", g: {}, p: { owners: [{ displayName: "no id" }] } })}`)).toBeNull();
  });

  it("forgets values it kept in memory after a day", () => {
    let now = 0;
    const codec = new PayloadCodec(() => now);
    let seed = 3;
    const text = Array.from({ length: 700 }, () => ((seed = (seed * 48271) % 2147483647), seed.toString(36).slice(0, 4))).join(" ");
    const value = codec.encodeCall({ action: "feedback.suggest", args: { text } });
    expect(value.startsWith("m")).toBe(true);
    now += 25 * 60 * 60 * 1000;
    expect(codec.decodeCall(value)).toBeNull();
  });
});

describe("the HTTP edge", () => {
  it("verifies Slack's signature and its five-minute window", () => {
    const body = "token=x&text=help";
    const now = 1_772_442_000_000;
    const ts = now / 1000;
    const ok = { signingSecret: "s3cret", rawBody: body, signature: slackSignature("s3cret", ts, body), timestamp: String(ts), nowMs: now };
    expect(() => verifySignature(ok)).not.toThrow();
    expect(() => verifySignature({ ...ok, signature: slackSignature("other", ts, body) })).toThrow();
    expect(() => verifySignature({ ...ok, rawBody: "token=x&text=forget-me" })).toThrow();
    expect(() => verifySignature({ ...ok, nowMs: now + 5 * 60_000 + 1000 })).toThrow(/stale/);
    expect(() => verifySignature({ ...ok, nowMs: now - 6 * 60_000 })).toThrow(/future/);
    expect(() => verifySignature({ ...ok, signature: undefined })).toThrow();
    expect(() => verifySignature({ ...ok, timestamp: "soon" })).toThrow();
  });

  it("parses JSON, interactivity forms and slash command forms", () => {
    expect(parseSlackBody('{"type":"event_callback"}', "application/json")).toEqual({ type: "event_callback" });
    expect(parseSlackBody(`payload=${encodeURIComponent('{"type":"block_actions"}')}`, "application/x-www-form-urlencoded; charset=utf-8")).toEqual({ type: "block_actions" });
    expect(parseSlackBody("command=%2Fwesaid&text=help", "application/x-www-form-urlencoded")).toEqual({ command: "/wesaid", text: "help" });
    expect(parseSlackBody("[1,2]", "application/json")).toBeNull();
    expect(parseSlackBody("payload=%7Bnope", "application/x-www-form-urlencoded")).toBeNull();
    expect(parseSlackBody("<xml/>", "text/xml")).toBeNull();
  });
});

describe("sending", () => {
  it("maps Slack's answers to what the outbox should do", () => {
    expect(failureFrom(new webApi.WebAPIRateLimitedError(30))).toMatchObject({ kind: "retry", retryAfterMs: 30_000 });
    const platform = (error: string) => {
      const e = new webApi.WebAPIPlatformError({ ok: false, error } as never);
      return failureFrom(e).kind;
    };
    for (const code of ["user_not_found", "cannot_dm_bot", "channel_not_found", "not_in_channel", "account_inactive"]) expect(platform(code)).toBe("unreachable");
    expect(platform("internal_error")).toBe("retry");
    expect(platform("invalid_blocks")).toBe("failed");
    expect(failureFrom(new webApi.WebAPIHTTPError(503, "Service Unavailable", {}, "")).kind).toBe("retry");
    expect(failureFrom(new webApi.WebAPIHTTPError(400, "Bad Request", {}, "")).kind).toBe("failed");
    expect(failureFrom(new Error("socket hang up")).kind).toBe("retry");
  });

  it("spaces posts to one channel about a second apart, without holding up other channels", async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new ChannelPacer(1000, () => now, async (ms) => {
      waits.push(ms);
    });
    await pacer.wait("C1");
    await pacer.wait("C1");
    await pacer.wait("C1");
    await pacer.wait("C2");
    expect(waits).toEqual([1000, 2000]);
    now = 5000;
    await pacer.wait("C1");
    expect(waits).toEqual([1000, 2000]);
  });
});
