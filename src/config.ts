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

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: optional.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: "DATABASE_URL must start with postgresql://",
  }),
  LOG_LEVEL: z.enum(["info", "warn", "error", "silent"]).default("info"),
  WESAID_ANSWER_SECRET: optional.refine((v) => v === undefined || v.length >= 32, {
    message: "WESAID_ANSWER_SECRET must be at least 32 characters (for example: openssl rand -hex 32)",
  }),
  MIN_GROUP_SIZE: z.coerce.number().int().min(2).max(50).default(5),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  SCHEDULER: z.enum(["on", "off"]).default("on"),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: optional,
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
  MICROSOFT_APP_TENANT_ID: optional,
  TEAMS_ALLOW_UNAUTHENTICATED: flag,
  PLAYGROUND: flag,
});

export type Config = z.output<typeof envSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`wesaid cannot start because of its settings:\n  ${lines.join("\n  ")}`);
  }
  return result.data;
}

export const slackEnabled = (c: Config) => Boolean(c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET);
export const teamsEnabled = (c: Config) => Boolean(c.MICROSOFT_APP_ID || c.TEAMS_ALLOW_UNAUTHENTICATED);
/** The local playground runs when no platform is configured, or when asked for. */
export const playgroundEnabled = (c: Config) => c.PLAYGROUND || (!slackEnabled(c) && !teamsEnabled(c));
