/**
 * Errors the core raises on purpose. Each has a code that adapters can map
 * (for example to an ephemeral Slack reply) and a sentence a participant can
 * read. Adapters never classify errors by their message text.
 */
export const ERROR_CODES = [
  "invalid_input",
  "not_found",
  "not_a_member",
  "not_allowed",
  "no_consent",
  "paused",
  "closed",
  "full",
  "conflict",
  "already_done",
  "choose_programme",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class WesaidError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Plain English, safe to show to the person who asked. */
    readonly userMessage: string,
    readonly detail?: unknown,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = "WesaidError";
  }
}

export function isWesaidError(error: unknown): error is WesaidError {
  return error instanceof WesaidError;
}
