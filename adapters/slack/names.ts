import type { webApi } from "@slack/bolt";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Display names from users.info, so the core can greet people and show
 * facilitators who raised what. Remembered for an hour; a slow or failed
 * lookup gives no name rather than delaying the answer to Slack.
 */
export class UserNames {
  private readonly known = new Map<string, { name: string | undefined; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly timeoutMs = 800,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(userId: string): Promise<string | undefined> {
    const cached = this.known.get(userId);
    if (cached && cached.until > this.now()) return cached.name;
    const name = await Promise.race([this.fetch(userId), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), this.timeoutMs).unref())]);
    return name;
  }

  private async fetch(userId: string): Promise<string | undefined> {
    try {
      const result = await this.client.users.info({ user: userId });
      const user = result.user;
      const name = (user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || "").trim() || undefined;
      if (this.known.size > 50_000) this.known.clear();
      this.known.set(userId, { name, until: this.now() + HOUR_MS });
      return name;
    } catch {
      // Try again next time rather than remembering the failure.
      return undefined;
    }
  }
}
