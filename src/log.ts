import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import type { LOG_LEVELS } from "./config.ts";
import type { Logger } from "./context.ts";

/**
 * wesaid's logs: one JSON object a line (pino), with a level, a time, the
 * process id and, during an HTTP request, its request id. Logs are for
 * operators: they never hold what a participant wrote or their name. Fields
 * that usually carry such words are censored, and errors are reduced to their
 * type, code and stack frames (a database error's message can quote the values
 * it was given).
 */
export type LogLevel = (typeof LOG_LEVELS)[number];

const requestScope = new AsyncLocalStorage<{ reqId: string }>();

/** Runs `work` with every log line inside it (awaited work included) carrying this request id. */
export function withRequestId<T>(reqId: string, work: () => T): T {
  return requestScope.run({ reqId }, work);
}

/** Keys whose values are people's words or names wherever they appear in log data. */
const CENSORED = ["text", "name", "displayName", "realName", "words", "answer", "answers", "body", "value", "values", "title", "quote", "email"];

export function createLogger(options: { level?: LogLevel; destination?: pino.DestinationStream } = {}): Logger {
  const base = pino(
    {
      level: options.level ?? "info",
      base: { pid: process.pid },
      mixin: () => requestScope.getStore() ?? {},
      redact: { paths: [...CENSORED, ...CENSORED.map((k) => `*.${k}`)], censor: "[hidden]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const write = (level: "debug" | "info" | "warn" | "error") => (msg: string, data?: Record<string, unknown>) => {
    if (data === undefined) base[level](msg);
    else base[level](safeData(data), msg);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

function safeData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    out[key] = value instanceof Error ? describeError(value) : key === "error" && typeof value === "string" ? describeText(value) : value;
  }
  return out;
}

/** An error as a log may show it: its type, code and where it happened, never its message's quoted values. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === "string" ? { code } : {}), message: firstLine(error.message), ...frames(error.stack ?? "") };
}

/** An error already turned into text (a stack or a message) as a log may show it. */
function describeText(text: string): Record<string, unknown> {
  return { message: firstLine(text), ...frames(text) };
}

/**
 * The first line of a message, unless it quotes something: database and
 * validation errors quote the values they were given ("invalid input ... "Sam"),
 * and a value may be a person's words. Identifiers in `backticks` are kept.
 */
function firstLine(message: string): string {
  const line = message.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  if (/["'“”‘’«»]/.test(line) || line.length > 200) return "(message hidden: it may quote what someone sent)";
  return line;
}

/** The "at ..." frames of a stack, without the message lines above them. */
function frames(text: string): { stack?: string } {
  const lines = text.split("\n").filter((line) => /^\s+at /.test(line));
  return lines.length ? { stack: lines.slice(0, 12).map((l) => l.trim()).join("\n") } : {};
}
