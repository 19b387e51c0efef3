import type { webApi } from "@slack/bolt";

const HOUR_MS = 60 * 60 * 1000;

/** What users.info says about a person: their name, and where they come from. */
export type SlackPerson = { name: string | undefined; teamId?: string; enterpriseId?: string; stranger: boolean; timeZone?: string };

/**
 * Display names from users.info, so the core can greet people and show
 * facilitators who raised what, and the person's own team (for the
 * workspace boundary, boundary.ts). Remembered for an hour; a slow or failed
 * lookup gives nothing rather than delaying the answer to Slack.
 */
export class UserNames {
  private readonly known = new Map<string, { person: SlackPerson; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly timeoutMs = 800,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(userId: string): Promise<string | undefined> {
    return (await this.about(userId))?.name;
  }

  async about(userId: string): Promise<SlackPerson | undefined> {
    const cached = this.known.get(userId);
    if (cached && cached.until > this.now()) return cached.person;
    return Promise.race([this.fetch(userId), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), this.timeoutMs).unref())]);
  }

  private async fetch(userId: string): Promise<SlackPerson | undefined> {
    try {
      const result = await this.client.users.info({ user: userId });
      const user = result.user as (NonNullable<typeof result.user> & { is_stranger?: boolean; enterprise_user?: { enterprise_id?: string } }) | undefined;
      const name = (user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || "").trim() || undefined;
      const person: SlackPerson = {
        name,
        stranger: user?.is_stranger === true,
        // The zone set in their Slack profile (an IANA name); the core checks it before using it.
        ...(typeof user?.tz === "string" && user.tz ? { timeZone: user.tz.slice(0, 100) } : {}),
        ...(user?.team_id ? { teamId: user.team_id } : {}),
        ...(user?.enterprise_user?.enterprise_id ? { enterpriseId: user.enterprise_user.enterprise_id } : {}),
      };
      if (this.known.size > 50_000) this.known.clear();
      this.known.set(userId, { person, until: this.now() + HOUR_MS });
      return person;
    } catch {
      // Try again next time rather than remembering the failure.
      return undefined;
    }
  }
}
