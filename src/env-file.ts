import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { StartupError } from "./config.ts";

/**
 * Reads `.env` from the working directory into process.env with Node's own
 * reader (process.loadEnvFile), when there is one. Variables already set in
 * the environment win over the file. ENV_FILE names another file.
 */
export function readEnvFile(env: NodeJS.ProcessEnv = process.env): string | null {
  const path = resolve(env.ENV_FILE ?? ".env");
  if (!existsSync(path)) {
    if (env.ENV_FILE) throw new StartupError(`ENV_FILE names ${path}, which does not exist.`);
    return null;
  }
  process.loadEnvFile(path);
  return path;
}
