import { z } from "zod";

/**
 * Every environment variable wesaid reads, validated at start. The README's
 * configuration table is the human copy of this schema.
 */
const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  DATABASE_URL: optional.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: "DATABASE_URL must start with postgresql://",
  }),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  WESAID_ANSWER_SECRET: optional.refine((v) => v === undefined || v.length >= 32, {
    message: "WESAID_ANSWER_SECRET must be at least 32 characters (for example: openssl rand -hex 32)",
  }),
  // Where people's browsers reach wesaid, for the digest's web page links (https:// in production).
  PUBLIC_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), { message: "PUBLIC_URL must be an address such as https://wesaid.example.org" }),
  MIN_GROUP_SIZE: z.coerce.number().int().min(2).max(50).default(5),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  SCHEDULER: z.enum(["on", "off"]).default("on"),
  // How long a claimed outbox message stays with its sender unless renewed (renewed every third of it while a send is under way).
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(60),
  // The first wait before a failed send is tried again; each later wait doubles it (up to an hour).
  OUTBOX_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: optional,
  // Workspaces (T…) and Enterprise Grid organisations (E…) besides the one the bot token belongs to.
  SLACK_ALLOWED_TEAM_IDS: optional.refine((v) => v === undefined || v.split(",").every((id) => /^[TE][A-Z0-9]{2,39}$/i.test(id.trim())), {
    message: "SLACK_ALLOWED_TEAM_IDS must be Slack team ids (T…) or enterprise ids (E…), separated by commas",
  }),
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  // No default here: whether it was set at all matters to the checks below.
  MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional(),
  MICROSOFT_APP_TENANT_ID: optional,
  TEAMS_ALLOW_UNAUTHENTICATED: flag,
  PLAYGROUND: flag,
});

type Parsed = z.output<typeof envSchema>;
export type Config = Omit<Parsed, "MICROSOFT_APP_TYPE"> & { MICROSOFT_APP_TYPE: NonNullable<Parsed["MICROSOFT_APP_TYPE"]> };

/** A reason not to start that a person can act on: logged as one line, without a stack. */
export class StartupError extends Error {}

export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`wesaid cannot start because of its settings: ${problems.join(" ")}`);
  }
}

/** Reads and checks the settings; every problem names the variable to change. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}.`));
  }
  const problems = contradictions(result.data);
  if (problems.length) throw new ConfigError(problems);
  return { ...result.data, MICROSOFT_APP_TYPE: result.data.MICROSOFT_APP_TYPE ?? "MultiTenant" };
}

/** Settings that are each valid but do not fit together: a platform half set up, or a playground beside a real platform. */
function contradictions(c: Parsed): string[] {
  const problems: string[] = [];
  const missing = (name: string, because: string) => problems.push(`${name} is missing: ${because}.`);
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET) missing("SLACK_SIGNING_SECRET", "Slack needs it with SLACK_BOT_TOKEN");
  if (c.SLACK_SIGNING_SECRET && !c.SLACK_BOT_TOKEN) missing("SLACK_BOT_TOKEN", "Slack needs it with SLACK_SIGNING_SECRET");
  if (c.SLACK_APP_TOKEN && !c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET) missing("SLACK_BOT_TOKEN", "Socket Mode (SLACK_APP_TOKEN) needs it, and SLACK_SIGNING_SECRET");

  const msi = c.MICROSOFT_APP_TYPE === "UserAssignedMSI";
  const teamsSetting = c.MICROSOFT_APP_PASSWORD || c.MICROSOFT_APP_TENANT_ID || c.MICROSOFT_APP_TYPE;
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD && !msi) missing("MICROSOFT_APP_PASSWORD", "Teams needs it with MICROSOFT_APP_ID");
  if (!c.MICROSOFT_APP_ID && teamsSetting) missing("MICROSOFT_APP_ID", "Teams settings are set without it");
  if (c.MICROSOFT_APP_TENANT_ID && !c.MICROSOFT_APP_TYPE) {
    problems.push("MICROSOFT_APP_TYPE must be SingleTenant (or UserAssignedMSI) when MICROSOFT_APP_TENANT_ID is set.");
  } else if (c.MICROSOFT_APP_TENANT_ID && c.MICROSOFT_APP_TYPE === "MultiTenant") {
    problems.push("MICROSOFT_APP_TENANT_ID is only for SingleTenant and UserAssignedMSI apps: remove it, or set MICROSOFT_APP_TYPE=SingleTenant.");
  }
  if ((c.MICROSOFT_APP_TYPE === "SingleTenant" || msi) && !c.MICROSOFT_APP_TENANT_ID) missing("MICROSOFT_APP_TENANT_ID", `a ${c.MICROSOFT_APP_TYPE} app needs its tenant id`);

  const platforms = [c.SLACK_BOT_TOKEN || c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN ? "Slack" : "", c.MICROSOFT_APP_ID || teamsSetting || c.TEAMS_ALLOW_UNAUTHENTICATED ? "Teams" : ""].filter(Boolean);
  if (c.PLAYGROUND && platforms.length) {
    problems.push(
      `PLAYGROUND=1 cannot run beside ${platforms.join(" and ")}: the playground moves time and makes up people, so it must never share a database with a real platform. ` +
        "Run it as a separate wesaid with its own DATA_DIR and PORT and no Slack or Teams settings.",
    );
  }
  return problems;
}

export const slackEnabled = (c: Config) => Boolean(c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET);
export const teamsEnabled = (c: Config) => Boolean(c.MICROSOFT_APP_ID || c.TEAMS_ALLOW_UNAUTHENTICATED);
/** The local playground runs only when no chat platform is configured (loadConfig refuses PLAYGROUND=1 beside one). */
export const playgroundEnabled = (c: Config) => !slackEnabled(c) && !teamsEnabled(c);
