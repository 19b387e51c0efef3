import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAdapters } from "../../adapters/index.ts";
import { createSlackAdapter, type SlackAdapterOptions, type SlackPlatformAdapter } from "../../adapters/slack/index.ts";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { consoleLogger, type Logger } from "../../src/context.ts";
import { emptyDatabase } from "../support/databases.ts";
import { FAKE_BOT_USER, FAKE_TEAM, FAKE_TOKEN, FakeSlack, postSigned, type Blocks, type Ephemeral, type Modal, type PostedMessage, type SlackResponse, type Visible } from "../support/fake-slack.ts";

/**
 * The whole of wesaid, started by startWesaid on a random port with Slack
 * switched on, its Web API pointed at a FakeSlack, and a person-shaped way
 * to drive it: type a slash command, DM the bot, press a button, fill in a
 * modal, open the Home tab. Payloads are the recorded shapes under
 * test/fixtures/slack, signed as Slack signs them.
 */
export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const FIXTURES = new URL("../fixtures/slack/", import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

// biome-ignore lint: fixtures are free-form JSON
export function fixture(name: string): any {
  return JSON.parse(fixtureText(name));
}

export type SlackUser = { id: string; name: string };
export type Where = "dm" | { channel: string; name: string };
export type Located = Visible | { kind: "home"; user: string; blocks: Blocks };

let eventCounter = 0;

/** Errors wesaid logged: a test that ends with any has hidden a failure. */
export class ErrorLog implements Logger {
  readonly errors: string[] = [];
  /** `also` gets every line too (the logging tests pass wesaid's real logger). */
  constructor(private readonly also: Logger | undefined = process.env.WESAID_TEST_LOG ? consoleLogger : undefined) {}
  // Arrow functions: startWesaid passes these methods on unbound.
  debug = (msg: string, data?: Record<string, unknown>) => this.also?.debug?.(msg, data);
  info = (msg: string, data?: Record<string, unknown>) => this.also?.info(msg, data);
  warn = (msg: string, data?: Record<string, unknown>) => this.also?.warn(msg, data);
  error = (msg: string, data?: Record<string, unknown>) => {
    this.errors.push(`${msg} ${data ? JSON.stringify(data) : ""}`);
    this.also?.error(msg, data);
  };
}

export class SlackWorld {
  private constructor(
    readonly fake: FakeSlack,
    public app: Wesaid,
    readonly clock: ManualClock,
    readonly log: ErrorLog,
    private readonly dataDir: string,
    private readonly startApp: () => Promise<Wesaid>,
  ) {}

  static async start(opts: { adapter?: SlackAdapterOptions; composition?: "real"; env?: Record<string, string>; log?: Logger } = {}): Promise<SlackWorld> {
    const fake = await FakeSlack.start();
    const dataDir = await mkdtemp(join(tmpdir(), "wesaid-slack-"));
    const clock = new ManualClock("2026-03-02T09:00:00Z");
    const log = opts.log ? new ErrorLog(opts.log) : new ErrorLog();
    const startApp = () => startWesaid({
      env: {
        PORT: "0",
        HOST: "127.0.0.1",
        SCHEDULER: "off",
        LOG_LEVEL: process.env.WESAID_TEST_LOG ? "info" : "error",
        DATA_DIR: dataDir,
        SLACK_BOT_TOKEN: FAKE_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        ...opts.env,
      },
      clock,
      log,
      buildAdapters:
        opts.composition === "real" ? buildAdapters : async (deps) => [await createSlackAdapter(deps, { postIntervalMs: 0, ...opts.adapter })],
    });
    return new SlackWorld(fake, await startApp(), clock, log, dataDir, startApp);
  }

  /** Stops wesaid and starts it again on the same data (and the same fake Slack and clock), as after a crash or a deploy. */
  async restart(): Promise<void> {
    await this.app.stop();
    this.app = await this.startApp();
  }

  get eventsUrl(): string {
    return `${this.app.url}/slack/events`;
  }

  get db() {
    return this.app.database.prisma;
  }

  async reset(): Promise<void> {
    await this.app.core.flush().catch(() => undefined);
    await emptyDatabase(this.app.database);
    this.fake.reset();
    this.log.errors.length = 0;
    this.clock.set("2026-03-02T09:00:00Z");
  }

  /** The person says yes to taking part and to being quoted, in their welcome's form, and is told it is saved. */
  async consent(user: SlackUser): Promise<void> {
    const welcome = [...this.fake.dmOf(user.id)].reverse().find((m) => blocksText(m.blocks).includes("Make your choices"));
    if (!welcome) throw new Error(`${user.name} has no welcome with choices to make`);
    await this.submit(user, await this.openForm(user, welcome, "Make your choices"), { "Can we store": "Yes", "Can the evaluation team quote": "Yes" });
    if (!textOfVisible(welcome).includes("Your choices are saved")) throw new Error(`${user.name}'s choices were not saved: ${textOfVisible(welcome)}`);
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.fake.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Waits until Slack requests are fully handled (replies shown), then sends what the outbox holds. */
  async flush() {
    const slack = this.app.adapters.find((a) => a.platform === "slack") as SlackPlatformAdapter | undefined;
    await slack?.idle();
    return this.app.core.flush();
  }

  // ---------------------------------------------------------------- raw requests

  post(rawBody: string, kind: "json" | "form", opts: { retryNum?: number; timestampSec?: number; signWith?: string } = {}): Promise<SlackResponse> {
    return postSigned(this.eventsUrl, rawBody, { secret: SIGNING_SECRET, contentType: kind === "json" ? "application/json" : "application/x-www-form-urlencoded", ...opts });
  }

  postPayload(payload: unknown, opts: { retryNum?: number } = {}): Promise<SlackResponse> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "form", opts);
  }

  // ---------------------------------------------------------------- what people do

  /** `/wesaid <text>`; what the person sees comes back through response_url once the work is done (or, refused, on the acknowledgement). */
  async slash(user: SlackUser, text: string, where: Where = "dm"): Promise<SlackResponse & { ephemeral?: Ephemeral }> {
    const channel = where === "dm" ? FakeSlack.dmChannelOf(user.id) : where.channel;
    const before = this.fake.ephemerals.length;
    const response = await this.slashRaw(user, text, where);
    const onAck = response.json && (response.json.blocks || response.json.text) ? this.fake.addEphemeral(user.id, channel, response.json) : undefined;
    await this.flush();
    const ephemeral = onAck ?? this.fake.ephemerals.slice(before).find((e) => e.user === user.id);
    return { ...response, ephemeral };
  }

  /** Sends `/wesaid <text>` and returns Slack's acknowledgement, without waiting for the work. */
  slashRaw(user: SlackUser, text: string, where: Where = "dm"): Promise<SlackResponse> {
    this.fake.users.set(user.id, user.name);
    const channel = where === "dm" ? FakeSlack.dmChannelOf(user.id) : where.channel;
    const form = new URLSearchParams(fixtureText("slash_command.txt").trim());
    form.set("team_id", FAKE_TEAM);
    form.set("user_id", user.id);
    form.set("user_name", user.name.toLowerCase());
    form.set("channel_id", channel);
    form.set("channel_name", where === "dm" ? "directmessage" : where.name);
    form.set("text", text);
    form.set("response_url", this.fake.responseUrlFor({ user: user.id, channel }));
    form.set("trigger_id", this.fake.triggerFor(user.id));
    return this.post(form.toString(), "form");
  }

  /** The private answer the person saw last (an ephemeral message, or a message in their DM). */
  lastPrivate(user: SlackUser): Visible {
    const seen: Visible[] = [...this.fake.ephemeralsFor(user.id), ...this.fake.dmOf(user.id)];
    if (seen.length === 0) throw new Error(`${user.name} has seen nothing`);
    return seen.reduce((a, b) => (b.seq > a.seq ? b : a));
  }

  /** A message typed in the DM with wesaid (message.im). */
  async dm(user: SlackUser, text: string, opts: { eventId?: string; retryNum?: number } = {}): Promise<SlackResponse> {
    const response = await this.dmRaw(user, text, opts.eventId, opts.retryNum);
    await this.flush();
    return response;
  }

  /** A DM event, acknowledged but not waited for. */
  dmRaw(user: SlackUser, text: string, eventId?: string, retryNum?: number): Promise<SlackResponse> {
    this.fake.users.set(user.id, user.name);
    const body = fixture("event_message_im.json");
    body.event_id = eventId ?? `Ev${++eventCounter}DM`;
    Object.assign(body.event, { user: user.id, text, channel: FakeSlack.dmChannelOf(user.id), team: FAKE_TEAM });
    return this.post(JSON.stringify(body), "json", { retryNum });
  }

  /** "@wesaid <text>" in a channel (app_mention). */
  async mention(user: SlackUser, channel: string, text: string): Promise<SlackResponse> {
    this.fake.users.set(user.id, user.name);
    const body = fixture("event_app_mention.json");
    body.event_id = `Ev${++eventCounter}MENTION`;
    Object.assign(body.event, { user: user.id, text: `<@${FAKE_BOT_USER}> ${text}`, channel });
    const response = await this.post(JSON.stringify(body), "json");
    await this.flush();
    return response;
  }

  /** Opens wesaid's Home tab and returns what it shows. */
  async openHome(user: SlackUser): Promise<Located & { kind: "home" }> {
    this.fake.users.set(user.id, user.name);
    const body = fixture("event_app_home_opened.json");
    body.event_id = `Ev${++eventCounter}HOME`;
    Object.assign(body.event, { user: user.id, channel: FakeSlack.dmChannelOf(user.id) });
    const response = await this.post(JSON.stringify(body), "json");
    if (response.status !== 200) throw new Error(`Home: HTTP ${response.status}`);
    await this.flush();
    return this.home(user);
  }

  home(user: SlackUser): Located & { kind: "home" } {
    const view = this.fake.homes.get(user.id);
    if (!view) throw new Error(`no Home tab was published for ${user.name}`);
    return { kind: "home", user: user.id, blocks: view.blocks as Blocks };
  }

  /** Presses the button whose label matches, in a message, an ephemeral message or the Home tab. */
  async press(user: SlackUser, where: Located, label: string | RegExp): Promise<SlackResponse> {
    const button = findButton(where.blocks, label);
    const payload = fixture("block_actions.json");
    payload.user = { id: user.id, username: user.name.toLowerCase(), name: user.name.toLowerCase(), team_id: FAKE_TEAM };
    payload.trigger_id = this.fake.triggerFor(user.id);
    payload.actions = [{ action_id: button.action_id, block_id: "b1", text: button.text, value: button.value, type: "button", action_ts: "1772442400.567890" }];
    delete payload.message;
    if (where.kind === "home") {
      payload.container = { type: "view", view_id: "V0HOME1" };
      payload.view = { id: "V0HOME1", type: "home", blocks: where.blocks, private_metadata: "", callback_id: "", state: { values: {} } };
      delete payload.channel;
      delete payload.response_url;
    } else if (where.kind === "ephemeral") {
      payload.container = { type: "message", message_ts: `${where.id}.000000`, channel_id: where.channel, is_ephemeral: true };
      payload.channel = { id: where.channel, name: where.channel?.startsWith("D") ? "directmessage" : "co-production" };
      payload.response_url = where.responseUrl;
    } else {
      payload.container = { type: "message", message_ts: where.ts, channel_id: where.channel, is_ephemeral: false };
      payload.channel = { id: where.channel, name: where.channel.startsWith("D") ? "directmessage" : "co-production" };
      payload.message = { type: "message", ts: where.ts, text: where.text, blocks: where.blocks, bot_id: "B0WESAIDBOT" };
      payload.response_url = this.fake.responseUrlFor({ user: user.id, channel: where.channel, message: { channel: where.channel, ts: where.ts } });
    }
    const response = await this.postPayload(payload);
    await this.flush();
    return response;
  }

  /** Presses a form's button and returns the modal it opened. */
  async openForm(user: SlackUser, where: Located, label: string | RegExp): Promise<Modal> {
    const before = this.fake.modals.length;
    await this.press(user, where, label);
    if (this.fake.modals.length === before) throw new Error(`pressing "${label}" opened no modal`);
    return this.fake.lastModal(user.id);
  }

  /** Fills in a modal (values by input label or id; choices by label or value) and sends it. */
  async submit(user: SlackUser, modal: Modal, values: Record<string, string | string[]>): Promise<SlackResponse> {
    const payload = fixture("view_submission.json");
    payload.user = { id: user.id, username: user.name.toLowerCase(), name: user.name.toLowerCase(), team_id: FAKE_TEAM };
    Object.assign(payload.view, { ...modal.view, id: modal.id, state: { values: stateFor(modal.view.blocks as Blocks, values) } });
    const response = await this.postPayload(payload);
    await this.flush();
    return response;
  }

  /** The "Make this a suggestion" shortcut on someone's channel message. */
  async shortcut(user: SlackUser, message: { channel: string; ts: string; text: string; author: string }, callbackId = "make_suggestion"): Promise<SlackResponse> {
    const payload = fixture("message_action.json");
    payload.user = { id: user.id, username: user.name.toLowerCase(), name: user.name.toLowerCase(), team_id: FAKE_TEAM };
    payload.callback_id = callbackId;
    payload.channel = { id: message.channel, name: "co-production" };
    payload.message_ts = message.ts;
    payload.message = { ...payload.message, text: message.text, ts: message.ts, user: message.author };
    payload.trigger_id = this.fake.triggerFor(user.id);
    payload.response_url = this.fake.responseUrlFor({ user: user.id, channel: message.channel });
    const response = await this.postPayload(payload);
    await this.flush();
    return response;
  }

  /** Waits (bounded, no sleeping on a guess) until a condition holds. */
  async until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

// ------------------------------------------------------------------ reading Block Kit

/** All the words in some blocks, as a person would read them. */
export function blocksText(blocks: Blocks | undefined): string {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    if ((obj.type === "plain_text" || obj.type === "mrkdwn") && typeof obj.text === "string") out.push(obj.text);
    for (const [key, value] of Object.entries(obj)) if (key !== "value" && key !== "confirm") visit(value);
  };
  visit(blocks ?? []);
  return out.join("\n");
}

export function textOfVisible(v: Located | undefined): string {
  return v ? blocksText(v.blocks) : "";
}

type ButtonElement = { action_id: string; value: string; text: { text: string }; confirm?: unknown; style?: string };

export function allButtons(blocks: Blocks): ButtonElement[] {
  const found: ButtonElement[] = [];
  for (const block of blocks) {
    if (block.type === "actions") found.push(...((block.elements as ButtonElement[]) ?? []).filter((e) => (e as unknown as { type: string }).type === "button"));
    const accessory = block.accessory as (ButtonElement & { type: string }) | undefined;
    if (accessory?.type === "button") found.push(accessory);
  }
  return found;
}

export function findButton(blocks: Blocks, label: string | RegExp): ButtonElement {
  const button = allButtons(blocks).find((b) => (typeof label === "string" ? b.text.text.includes(label) : label.test(b.text.text)));
  if (!button) throw new Error(`no button "${label}" in:\n${blocksText(blocks)}`);
  return button;
}

/** Builds a modal's state.values as Slack sends them: what was chosen, or else what the input started with. */
export function stateFor(blocks: Blocks, values: Record<string, string | string[]>) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.type !== "input") continue;
    const id = String(block.block_id);
    const label = String((block.label as { text: string }).text);
    type Opt = { text: { text: string }; value: string };
    const element = block.element as {
      type: string;
      action_id: string;
      options?: Opt[];
      initial_value?: string;
      initial_option?: Opt;
      initial_options?: Opt[];
      initial_date_time?: number;
    };
    const given = values[id] ?? Object.entries(values).find(([k]) => label.includes(k))?.[1];
    const pick = (v: string) => element.options?.find((o) => o.value === v || o.text.text === v) ?? { value: v, text: { type: "plain_text", text: v } };
    let value: Record<string, unknown>;
    switch (element.type) {
      case "plain_text_input":
        value = { type: element.type, value: given === undefined ? (element.initial_value ?? null) : String(given) };
        break;
      case "radio_buttons":
      case "static_select":
        value = { type: element.type, selected_option: given === undefined ? (element.initial_option ?? null) : pick(String(given)) };
        break;
      case "checkboxes":
      case "multi_static_select":
        value = { type: element.type, selected_options: given === undefined ? (element.initial_options ?? []) : (Array.isArray(given) ? given : [given]).map(pick) };
        break;
      // People pickers: values are Slack user ids.
      case "multi_users_select":
        value = { type: element.type, selected_users: given === undefined ? [] : Array.isArray(given) ? given : [given] };
        break;
      case "users_select":
        value = { type: element.type, selected_user: given === undefined ? null : String(given) };
        break;
      case "datetimepicker":
        value = { type: element.type, selected_date_time: given === undefined ? (element.initial_date_time ?? null) : Math.floor(Date.parse(String(given)) / 1000) };
        break;
      default:
        value = { type: element.type, value: given ?? null };
    }
    state[id] = { [element.action_id]: value };
  }
  return state;
}

export type { PostedMessage, Ephemeral, Modal };
