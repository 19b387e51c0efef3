import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.ts";
import type { DatabaseOptions } from "./db/database.ts";

/**
 * Where the data lives, and the secret behind anonymous answers' keys, which
 * must never live in the database: a copy of the database alone must not be
 * enough to link an anonymous answer to the person who gave it.
 *
 * The secret comes from WESAID_ANSWER_SECRET (the same on every instance), or
 * else from a file made once, readable by wesaid's user only, in DATA_DIR
 * beside (not inside) the embedded database's own folder.
 */

export const SECRET_FILE = "answer-secret";
const DATABASE_FOLDER = "db";

/** The embedded database's folder: DATA_DIR/db, or DATA_DIR itself where an older install already keeps its database there. */
export function embeddedDatabaseDir(dataDir: string): string {
  return existsSync(join(dataDir, "PG_VERSION")) ? dataDir : join(dataDir, DATABASE_FOLDER);
}

export function databaseOptions(config: Pick<Config, "DATABASE_URL" | "DATA_DIR">): DatabaseOptions {
  return config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: embeddedDatabaseDir(config.DATA_DIR) };
}

export type AnswerSecret = { secret: string; source: "environment" | "file"; file?: string };

/** The answer secret: from the environment, or from the file in DATA_DIR, made the first time with 0600 permissions. */
export function answerSecret(config: Pick<Config, "DATA_DIR" | "WESAID_ANSWER_SECRET">): AnswerSecret {
  if (config.WESAID_ANSWER_SECRET) return { secret: config.WESAID_ANSWER_SECRET, source: "environment" };
  const file = join(config.DATA_DIR, SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32) throw new Error(`${file} does not hold an answer secret (64 hexadecimal characters expected)`);
  return { secret, source: "file", file };
}
