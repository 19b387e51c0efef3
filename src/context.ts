import { randomBytes } from "node:crypto";
import type { Clock } from "./clock.ts";
import type { Db } from "./db/database.ts";
import { createLogger } from "./log.ts";
import type { Messenger } from "./messenger.ts";

/** What the core and the adapters log through (src/log.ts makes the real one: JSON lines with pino). */
export type Logger = {
  debug?(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
};

/** JSON lines on standard output at level info: what `npm start` uses unless LOG_LEVEL says otherwise. */
export const consoleLogger: Logger = createLogger({ level: "info" });

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export type CoreSettings = {
  /** Where people reach wesaid's web pages (PUBLIC_URL), for links in messages; none means no links. */
  publicUrl?: string;
  /** Role groups smaller than this are merged or suppressed in anything evaluators see. */
  minGroupSize: number;
  /** Minutes of a person's time recorded per kind of contribution, for recognition. */
  contributionMinutes: Record<"answer" | "suggestion" | "panel" | "debrief" | "taster", number>;
  /** How long after the due date an open feedback item nudges its owner again. */
  feedbackNudgeEveryHours: number;
  /** Outbox: attempts before a message is given up as failed. */
  maxSendAttempts: number;
  /** Outbox: how long a sender's claim on a message lasts unless renewed (a crashed sender's messages wait this long). */
  outboxLeaseMs: number;
  /** Outbox: the first wait before a failed send is tried again (doubled for each later attempt). */
  outboxRetryMs: number;
  /** Months after a programme's last activity before everything in it is deleted, unless the programme sets its own. */
  retentionMonths: number;
  /**
   * The secret behind anonymous answers' keys. Never stored in the database:
   * the app reads it from WESAID_ANSWER_SECRET or a file beside the data (src/answer-secret.ts).
   */
  answerSecret: string;
};

export const DEFAULT_SETTINGS: CoreSettings = {
  minGroupSize: 5,
  contributionMinutes: { answer: 10, suggestion: 5, panel: 90, debrief: 10, taster: 60 },
  feedbackNudgeEveryHours: 72,
  maxSendAttempts: 8,
  outboxLeaseMs: 60_000,
  outboxRetryMs: 30_000,
  retentionMonths: 24,
  // For tests and scripts that do not set one; the app always sets its own.
  answerSecret: randomBytes(32).toString("hex"),
};

/** Everything the core touches in the outside world, injected. */
export type CoreContext = {
  db: Db;
  clock: Clock;
  messenger: Messenger;
  settings: CoreSettings;
  log: Logger;
};
