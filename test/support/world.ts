import { ManualClock } from "../../src/clock.ts";
import { DEFAULT_SETTINGS, silentLogger, type CoreContext, type CoreSettings } from "../../src/context.ts";
import { createCore, type Core } from "../../src/core.ts";
import type { Database } from "../../src/db/database.ts";
import type { Interaction, PersonRef, Reply } from "../../src/interactions.ts";
import { marker, withoutMarkers, writeMentions } from "../../adapters/mentions.ts";
import { plainText, type Message, type Button, type Block } from "../../src/messages/model.ts";
import type { Platform } from "../../src/messenger.ts";
import { ensureIdentity, joinProgramme, recordConsent, setupProgramme } from "../../src/people/index.ts";
import type { Role } from "../../src/roles.ts";
import { emptyDatabase, openTestDatabase, restoreDatabase, snapshotDatabase, type Backend } from "./databases.ts";
import { RecordingMessenger } from "./recording-messenger.ts";

/**
 * A whole wesaid core on a real database, a manual clock and a recording
 * messenger, with builders for programmes and people. One per test file;
 * `reset()` between tests.
 */
export class World {
  readonly clock = new ManualClock("2026-03-02T09:00:00Z"); // a Monday
  readonly messenger = new RecordingMessenger();
  readonly ctx: CoreContext;
  readonly core: Core;
  private seq = 0;

  private constructor(readonly db: Database, settings: Partial<CoreSettings>) {
    this.ctx = { db: db.prisma, clock: this.clock, messenger: this.messenger, settings: { ...DEFAULT_SETTINGS, ...settings }, log: silentLogger };
    this.core = createCore(this.ctx);
  }

  static async open(backend: Backend = "embedded", settings: Partial<CoreSettings> = {}, options: { observeQueries?: boolean } = {}): Promise<World> {
    return new World(await openTestDatabase(backend, options), settings);
  }

  get prisma() {
    return this.db.prisma;
  }

  async reset(): Promise<void> {
    // PGlite answers through microtasks only, so a long file of tests never lets the worker read vitest's
    // messages, and vitest reports "Timeout calling onTaskUpdate" after a minute. Give it a turn here.
    await new Promise((resolve) => setImmediate(resolve));
    await emptyDatabase(this.db);
    this.messenger.clear();
    this.messenger.unreachable.clear();
    this.messenger.throttleNext = 0;
    this.clock.set("2026-03-02T09:00:00Z");
  }

  private snapshotAt?: Date;

  /** Keeps the database's rows and the clock as they are now, for `restore()`: a fixture built once, not once a test. */
  async snapshot(): Promise<void> {
    await this.core.flush();
    await snapshotDatabase(this.db);
    this.snapshotAt = this.clock.now();
  }

  /** Back to the last `snapshot()`: its rows and time, and nothing sent yet (like `reset()`, without rebuilding). */
  async restore(): Promise<void> {
    if (!this.snapshotAt) throw new Error("restore() before snapshot()");
    await new Promise((resolve) => setImmediate(resolve));
    await this.core.flush();
    await restoreDatabase(this.db);
    this.messenger.clear();
    this.messenger.unreachable.clear();
    this.messenger.throttleNext = 0;
    this.clock.set(this.snapshotAt);
  }

  async close(): Promise<void> {
    await this.core.flush().catch(() => undefined);
    await this.db.close();
  }

  /** A programme with a linked channel and a facilitator who has consented. */
  async programme(name = "Mental health services review"): Promise<{ id: string; channel: string; facilitator: TestPerson }> {
    const n = ++this.seq;
    const channel = `C-${n}`;
    const facilitatorUser = { externalId: `U-fac-${n}`, displayName: `Facilitator ${n}` };
    const { person } = await ensureIdentity(this.prisma, this.clock.now(), "local", facilitatorUser);
    const programme = await setupProgramme(this.ctx, { name, facilitatorId: person.id, channel: { platform: "local", externalId: channel, name: "co-production" } });
    await recordConsent(this.ctx, { personId: person.id, programmeId: programme.id, participation: true, quotation: true });
    await this.core.flush();
    const facilitator = new TestPerson(this, person.id, facilitatorUser.externalId, "local", programme.id, channel);
    return { id: programme.id, channel, facilitator };
  }

  /** A person in the programme with a role; consenting unless told otherwise. */
  async person(
    programme: { id: string; channel: string },
    name: string,
    role: Role,
    options: { consent?: boolean; quotation?: boolean; platform?: Platform } = {},
  ): Promise<TestPerson> {
    const platform = options.platform ?? "local";
    const externalId = `U-${name.toLowerCase().replace(/\W+/g, "-")}-${++this.seq}`;
    const { person } = await ensureIdentity(this.prisma, this.clock.now(), platform, { externalId, displayName: name });
    await joinProgramme(this.ctx, { personId: person.id, programmeId: programme.id, role });
    if (options.consent !== false) {
      await recordConsent(this.ctx, { personId: person.id, programmeId: programme.id, participation: true, quotation: options.quotation ?? true });
    }
    await this.core.flush();
    return new TestPerson(this, person.id, externalId, platform, programme.id, programme.channel);
  }

  /** Runs the scheduler as node-cron would at the clock's current time. */
  tick() {
    return this.core.tick();
  }
}

export class TestPerson {
  /** The zone their chat platform reports with everything they do (as Slack's profile or Teams' client would). */
  platformTimeZone?: string;

  constructor(
    readonly world: World,
    readonly id: string,
    readonly externalId: string,
    readonly platform: Platform,
    readonly programmeId: string,
    readonly channel: string,
  ) {}

  private interaction(input: Interaction["input"], where: "direct" | "channel", eventId?: string): Interaction {
    return {
      platform: this.platform,
      eventId,
      user: { externalId: this.externalId, ...(this.platformTimeZone ? { timeZone: this.platformTimeZone } : {}) },
      place: where === "channel" ? { kind: "channel", externalId: this.channel } : { kind: "direct" },
      input,
    };
  }

  /**
   * Types a command to the bot, privately unless `where` says channel. Write
   * people as `<@id>` or `<@id|Name>`: like an adapter, this sends them as
   * `mentions`, shown in the text as "@Name" (or "@someone-1").
   */
  async say(text: string, where: "direct" | "channel" = "direct"): Promise<Reply> {
    const reply = await this.world.core.handle(this.interaction({ kind: "command", ...withMentions(text) }, where));
    await this.world.core.flush();
    return reply;
  }

  /** Presses a button or sends a form, with values added to its args and people chosen in its people pickers (by input id). */
  async press(call: { action: string; args: Record<string, string> }, values: Record<string, string> = {}, where: "direct" | "channel" = "direct", people: Record<string, PersonRef[]> = {}): Promise<Reply> {
    const reply = await this.world.core.handle(this.interaction({ kind: "action", action: call.action, args: { ...call.args, ...values }, people }, where));
    await this.world.core.flush();
    return reply;
  }

  /** Messages this person received privately, oldest first. */
  inbox(): Message[] {
    return this.world.messenger.to(this.externalId);
  }

  lastMessage(): Message {
    const all = this.inbox();
    if (all.length === 0) throw new Error(`nothing was sent to ${this.externalId}`);
    return all[all.length - 1]!;
  }
}

/** Test markup `<@id>` / `<@id|Name>` as an adapter sends it: readable words in the text, the people in order in `mentions`. */
export function withMentions(text: string): { text: string; mentions: PersonRef[] } {
  const found: { externalId: string; displayName?: string }[] = [];
  const marked = withoutMarkers(text).replace(/<@([^>|\s]+)(?:\|([^>]*))?>/g, (_m, externalId: string, name: string | undefined) => {
    found.push({ externalId, ...(name?.trim() ? { displayName: name.trim() } : {}) });
    return marker(found.length - 1);
  });
  return writeMentions(marked, found);
}

/** Finds a button by (part of) its label in a message or reply. */
export function findButton(msg: Message | undefined, label: string | RegExp): Button {
  const all = (msg?.blocks ?? []).flatMap((b) => (b.kind === "buttons" ? b.buttons : []));
  const found = all.find((b) => (typeof label === "string" ? b.label.includes(label) : label.test(b.label)));
  if (!found) throw new Error(`no button "${label}" in: ${msg ? plainText(msg) : "(no message)"}`);
  return found;
}

/** Finds a form by id in a message or reply. */
export function findForm(msg: Message | undefined, id?: string): Extract<Block, { kind: "form" }> {
  const form = (msg?.blocks ?? []).find((b): b is Extract<Block, { kind: "form" }> => b.kind === "form" && (id === undefined || b.id === id));
  if (!form) throw new Error(`no form ${id ?? ""} in: ${msg ? plainText(msg) : "(no message)"}`);
  return form;
}

export function textOf(msg: Message | undefined): string {
  return msg ? plainText(msg) : "";
}
