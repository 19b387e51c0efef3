import { z } from "zod";
import { WesaidError } from "./errors.ts";

/**
 * Parses input at a boundary. On failure throws invalid_input with the first
 * problem as a sentence a person can read, naming the field by its label.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, labels: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join(".") ?? "";
  const label = labels[field] ?? labels[issue?.path[0] as string] ?? humanise(field);
  throw new WesaidError("invalid_input", sentenceFor(issue, label), result.error.issues);
}

function sentenceFor(issue: z.core.$ZodIssue | undefined, label: string): string {
  if (!issue) return "Something in that was not right. Please check and try again.";
  const what = label ? `"${label}"` : "That";
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return issue.minimum === 1 ? `${what} is needed. Please fill it in.` : `${what} is too short.`;
      if (issue.origin === "array") return `Please choose at least ${issue.minimum} for ${what}.`;
      return `${what} must be ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}.`;
    case "too_big":
      if (issue.origin === "string") return `${what} is too long. Please keep it under ${issue.maximum} characters.`;
      if (issue.origin === "array") return `Please choose no more than ${issue.maximum} for ${what}.`;
      return `${what} must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}.`;
    case "invalid_type":
      return issue.input === undefined ? `${what} is needed. Please fill it in.` : `${what} is not in the right form.`;
    case "invalid_value":
      // The values are the code's words ("yes", "no"), not the labels people saw: ask them to choose again.
      return `Please choose one of the answers for ${what}.`;
    case "invalid_format":
      return `${what} is not in the right form.`;
    case "custom":
      return issue.message;
    default:
      return issue.message && !issue.message.startsWith("Invalid") ? issue.message : `${what} is not right. Please check it.`;
  }
}

function humanise(field: string): string {
  return field.replace(/([A-Z])/g, " $1").replace(/[._]/g, " ").trim().toLowerCase();
}

/** Trimmed, non-empty text with a length limit: the shape of most free text. */
export const text = (max = 2000) => z.string().trim().min(1).max(max);
export const optionalText = (max = 2000) =>
  z.string().trim().max(max).optional().transform((v) => (v === "" ? undefined : v));
export const isoDate = z.coerce.date();
export const timeZone = z.string().refine(isValidTimeZone, { message: "That time zone is not one we know. Try one like Europe/London." });

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
