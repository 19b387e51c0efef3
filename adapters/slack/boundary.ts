import type { App, webApi } from "@slack/bolt";
import type { Logger } from "../../src/context.ts";
import { slackText } from "../../src/messages/catalogue/platforms.ts";
import { renderNoticeModal } from "./render.ts";
import { sendPrivately, simpleMessage, type ReplyEnv } from "./replies.ts";
import type { UserNames } from "./names.ts";

/**
 * Who may use wesaid through Slack: people of the workspace the bot token
 * belongs to (its team, and its Enterprise Grid organisation if it has one),
 * and of the teams and organisations listed in SLACK_ALLOWED_TEAM_IDS.
 * Anyone else (another workspace, a Slack Connect guest from another
 * organisation, a user Slack marks as a stranger) is answered politely and
 * never reaches the core, so nothing about them is stored.
 */
export type Origin = { teams: string[]; enterprises: string[]; userId?: string };

export class Workspaces {
  private readonly teams = new Set<string>();
  private readonly enterprises = new Set<string>();

  constructor(ids: readonly string[] = []) {
    for (const id of ids) this.add(id);
  }

  /** A team (T…) or enterprise (E…) id. */
  add(id: string | undefined | null): void {
    const clean = id?.trim().toUpperCase();
    if (!clean) return;
    (clean.startsWith("E") ? this.enterprises : this.teams).add(clean);
  }

  get known(): boolean {
    return this.teams.size + this.enterprises.size > 0;
  }

  /**
   * Every organisation named must be known, and every team named must be known
   * or belong to a known organisation. A payload naming no team is refused.
   */
  allows(origin: Origin): boolean {
    const teams = origin.teams.map((t) => t.toUpperCase());
    const enterprises = origin.enterprises.map((e) => e.toUpperCase());
    if (teams.length === 0 && enterprises.length === 0) return false;
    if (enterprises.some((e) => !this.enterprises.has(e))) return false;
    const inKnownOrganisation = enterprises.length > 0;
    return teams.every((t) => this.teams.has(t) || inKnownOrganisation);
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The teams and organisations a payload says the request comes from: the
 * workspace it happened in and the acting person's own team (they differ
 * for a Slack Connect guest), for every kind of payload Slack sends.
 */
export function originOf(body: unknown): Origin {
  const b = obj(body);
  const teams: (string | undefined)[] = [];
  const enterprises: (string | undefined)[] = [];
  let userId: string | undefined;
  if (b.type === "event_callback") {
    const event = obj(b.event);
    teams.push(str(b.team_id), str(b.context_team_id), str(event.team), str(event.user_team), str(event.source_team), str(obj(event.user_profile).team));
    enterprises.push(str(b.enterprise_id), str(b.context_enterprise_id));
    userId = str(event.user) ?? str(obj(event.user).id);
  } else if (typeof b.command === "string") {
    // A slash command (a plain form).
    teams.push(str(b.team_id), str(b.user_team_id));
    enterprises.push(str(b.enterprise_id));
    userId = str(b.user_id);
  } else {
    // Buttons, modals, shortcuts.
    const user = obj(b.user);
    teams.push(str(obj(b.team).id), str(user.team_id), str(b.user_team_id));
    enterprises.push(str(obj(b.enterprise).id), str(user.enterprise_id));
    userId = str(user.id);
  }
  const unique = (ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => id !== undefined))];
  return { teams: unique(teams), enterprises: unique(enterprises), ...(userId ? { userId } : {}) };
}

/** The teams this installation serves: SLACK_ALLOWED_TEAM_IDS, and the token's own team from auth.test (asked again later if Slack was down at start). */
export class Installation {
  private asking: Promise<void> | undefined;
  private identified = false;

  constructor(
    readonly workspaces: Workspaces,
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
  ) {}

  /** Adds the token's own team and organisation, as auth.test gives them. */
  identify(result: { team_id?: string; enterprise_id?: string }): void {
    this.workspaces.add(result.team_id);
    this.workspaces.add(result.enterprise_id);
    this.identified = Boolean(result.team_id);
  }

  async ready(): Promise<Workspaces> {
    if (this.identified) return this.workspaces;
    this.asking ??= this.client.auth
      .test()
      .then((result) => this.identify(result as { team_id?: string; enterprise_id?: string }))
      .catch((error) => this.log.warn("could not ask Slack which workspace the bot token belongs to", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        this.asking = undefined;
      });
    await this.asking;
    return this.workspaces;
  }
}

type BoundaryEnv = ReplyEnv & { names: UserNames; installation: Installation };

/** Bolt middleware, before every listener: refuses requests from outside the allowed workspaces. */
export function registerBoundary(app: App, env: BoundaryEnv): void {
  app.use(async (args) => {
    const body = args.body as unknown;
    const origin = originOf(body);
    const workspaces = await env.installation.ready();
    let allowed = workspaces.allows(origin);
    if (allowed && origin.userId) {
      // What Slack says about the person themselves (remembered with their name, so no extra call).
      const about = await env.names.about(origin.userId);
      if (about?.stranger || (about?.teamId && !workspaces.allows({ teams: [about.teamId], enterprises: about.enterpriseId ? [about.enterpriseId] : [] }))) allowed = false;
    }
    if (allowed) return args.next();
    env.log.warn("refused a Slack request from outside the allowed workspaces", { teams: origin.teams, enterprises: origin.enterprises });
    await refuse(body, args as unknown as { ack?: (response?: unknown) => Promise<void> }, env);
  });
}

/** A polite answer where the person will see it, and nothing else. */
async function refuse(body: unknown, args: { ack?: (response?: unknown) => Promise<void> }, env: BoundaryEnv): Promise<void> {
  const b = obj(body);
  const message = simpleMessage(slackText.otherWorkspace);
  const ack = async (response?: unknown) => {
    await args.ack?.(response).catch(() => undefined);
  };
  try {
    if (typeof b.command === "string") return await ack({ response_type: "ephemeral", text: slackText.otherWorkspace });
    if (b.type === "view_submission") return await ack({ response_action: "update", view: renderNoticeModal(message, env.codec) });
    await ack();
    const origin = originOf(body);
    if (!origin.userId) return;
    if (b.type === "event_callback") {
      const event = obj(b.event);
      // Only what the person typed to wesaid gets an answer; opening the Home tab or anything else gets none.
      if (event.type !== "message" && event.type !== "app_mention") return;
      const channelId = str(event.channel);
      if (!channelId) return;
      return await sendPrivately(message, { userId: origin.userId, channelId, botDm: event.channel_type === "im" }, env);
    }
    const responseUrl = str(b.response_url);
    if (responseUrl) await env.messenger.respond(responseUrl, message, false);
  } catch (error) {
    env.log.warn("could not answer a refused Slack request", { error: error instanceof Error ? error.message : String(error) });
  }
}
