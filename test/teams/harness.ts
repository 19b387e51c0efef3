import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTeamsAdapter, type TeamsAdapterOptions } from "../../adapters/teams/index.ts";
import { TokenBuckets, teamsLimits } from "../../adapters/teams/throttle.ts";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import type { Logger } from "../../src/context.ts";
import { emptyDatabase } from "../support/databases.ts";
import { ActivityBuilder, FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

export const START = "2026-03-02T09:00:00Z"; // a Monday

/** A log that keeps what was said, to check warnings. */
export class RecordingLog implements Logger {
  readonly lines: { level: string; msg: string; data?: Record<string, unknown> }[] = [];
  info = (msg: string, data?: Record<string, unknown>) => void this.lines.push({ level: "info", msg, data });
  warn = (msg: string, data?: Record<string, unknown>) => void this.lines.push({ level: "warn", msg, data });
  error = (msg: string, data?: Record<string, unknown>) => void this.lines.push({ level: "error", msg, data });
}

/**
 * wesaid started as in production (startWesaid, the real adapters and
 * CloudAdapter, an embedded database on disk, a random port) with Teams
 * switched on without credentials, talking to a fake Bot Connector.
 */
export class TeamsWorld {
  readonly build: ActivityBuilder;

  private constructor(
    readonly app: Wesaid,
    readonly fake: FakeTeams,
    readonly clock: ManualClock,
    readonly log: RecordingLog,
    private readonly limiter: TokenBuckets,
  ) {
    this.build = new ActivityBuilder(fake.serviceUrl);
  }

  /** `adapter`: options for the Teams adapter (shorter timeouts, say); otherwise it is built as in production. */
  static async open(env: Record<string, string> = {}, adapter?: TeamsAdapterOptions): Promise<TeamsWorld> {
    const fake = await FakeTeams.start();
    const clock = new ManualClock(START);
    const log = new RecordingLog();
    const limiter = new TokenBuckets(teamsLimits, () => performance.now());
    const app = await startWesaid({
      env: {
        PORT: "0",
        SCHEDULER: "off",
        LOG_LEVEL: "info",
        DATA_DIR: mkdtempSync(join(tmpdir(), "wesaid-teams-")),
        TEAMS_ALLOW_UNAUTHENTICATED: "1",
        ...env,
      },
      clock,
      log,
      // The documented limits, as in production, in windows each test starts empty (reset()).
      buildAdapters: async (deps) => [await createTeamsAdapter(deps, { limiter, ...adapter })],
    });
    return new TeamsWorld(app, fake, clock, log, limiter);
  }

  get db() {
    return this.app.database.prisma;
  }

  async reset(): Promise<void> {
    await this.app.core.inbox.idle();
    await this.app.core.flush().catch(() => undefined);
    await emptyDatabase(this.app.database);
    this.fake.reset();
    this.clock.set(START);
    this.limiter.clear();
    this.log.lines.length = 0;
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.fake.stop();
  }

  /** POSTs an activity to /api/messages as the Bot Connector would. */
  async post(activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof activity === "string" ? activity : JSON.stringify(activity),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  }

  /** Posts, checks Teams got 200, waits for the work the inbox took (and its replies), then sends whatever the core queued. */
  async send(activity: unknown): Promise<{ status: number; body: any }> {
    const result = await this.post(activity);
    if (result.status !== 200) throw new Error(`wesaid answered ${result.status}: ${JSON.stringify(result.body)}`);
    await this.app.core.inbox.idle();
    await this.app.core.flush();
    return result;
  }

  /** Installs the app for a person (as Teams does) and returns them. */
  async install(user: TeamsUser): Promise<TeamsUser> {
    for (const activity of this.build.install(user)) await this.send(activity);
    return user;
  }

  /** Someone installs wesaid, joins from the channel as an expert by experience and says yes to taking part. */
  async joinAsExpert(who: string | TeamsUser): Promise<TeamsUser> {
    const user = await this.install(typeof who === "string" ? teamsUser(who) : who);
    await this.send(this.build.inChannel(user, "join"));
    const choose = this.messageWith(user.chat, "Expert by experience");
    await this.send(this.build.execute(user, findAction(FakeTeams.card(choose), "Expert by experience"), {}, { replyToId: choose.id }));
    await this.consent(user);
    return user;
  }

  /** Someone installs wesaid, and the facilitator makes them the programme's evaluator in the channel. */
  async addEvaluator(facilitator: TeamsUser, name = "Eve Evaluator"): Promise<TeamsUser> {
    const eve = await this.install(teamsUser(name));
    this.fake.members.set(eve.id, { aadObjectId: eve.aadObjectId, name: eve.name });
    await this.send(this.build.inChannel(facilitator, `role @${eve.name} evaluator`, [eve]));
    return eve;
  }

  /** The person says yes to taking part and to being quoted, on their welcome card, and is told it is saved. */
  async consent(user: TeamsUser): Promise<void> {
    const welcome = this.messageWith(user.chat, "Save my choices");
    const answer = await this.send(this.build.execute(user, findAction(FakeTeams.card(welcome), "Save my choices"), { participation: "yes", quotation: "yes" }, { replyToId: welcome.id }));
    if (!cardText(answer.body?.value).includes("Your choices are saved")) throw new Error(`${user.name}'s choices were not saved: ${cardText(answer.body?.value)}`);
  }

  /** Cards that reached a conversation, oldest first. */
  cards(conversationId: string): any[] {
    return this.fake.messages(conversationId).map((m) => FakeTeams.card(m)).filter(Boolean);
  }

  lastCard(conversationId: string): any {
    const cards = this.cards(conversationId);
    if (cards.length === 0) throw new Error(`no card reached ${conversationId}; calls: ${JSON.stringify(this.fake.calls.map((c) => `${c.method} ${c.path}`))}`);
    return cards[cards.length - 1];
  }

  /** The recorded message whose card matches, for its id (to press its buttons). */
  messageWith(conversationId: string, text: string | RegExp) {
    const found = [...this.fake.messages(conversationId)].reverse().find((m) => {
      const json = JSON.stringify(FakeTeams.card(m) ?? m.body);
      return typeof text === "string" ? json.includes(text) : text.test(json);
    });
    if (!found) throw new Error(`no message with ${text} in ${conversationId}`);
    return found;
  }
}

/** The values of the choices with these titles in the card's multi-choice, as Teams sends them: joined by commas. */
export function choose(card: unknown, titles: string[]): string {
  const choices: { title: string; value: string }[] = [];
  JSON.stringify(card, (key, value) => {
    if (value && typeof value === "object" && value.type === "Input.ChoiceSet") choices.push(...value.choices);
    return value;
  });
  return titles.map((t) => choices.find((c) => c.title === t)!.value).join(",");
}
