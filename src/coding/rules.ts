import { parse } from "csv-parse/sync";
import { FRAMEWORKS } from "../frameworks.ts";
import * as say from "./catalogue.ts";

/** What can be coded, and the export column that holds each one's id. */
export const CODE_TARGETS = ["answer", "idea", "debrief", "check"] as const;
export type CodeTarget = (typeof CODE_TARGETS)[number];
/** "check" is a comment on a member check: its id is the member-checks export's response_id. */
export const TARGET_ID_COLUMN: Record<CodeTarget, string> = { answer: "answer_id", idea: "idea_id", debrief: "debrief_id", check: "response_id" };

/** The most codes a code book may hold open at once (a chat's multi-choice list stops at 100). */
export const MAX_OPEN_CODES = 100;
/** The most lines one import may have. */
export const MAX_IMPORT_LINES = 20_000;
/** Errors listed back to the person; the rest are counted. */
export const ERRORS_SHOWN = 10;

export type SeedCode = { key: string; label: string; framework: string };

/** Every framework's items as codes: "ladder:co_design", "scie:equality" ... */
export function frameworkCodes(): SeedCode[] {
  return FRAMEWORKS.flatMap((f) => f.items.map((item) => ({ key: item.id.replace(".", ":"), label: `${f.name}: ${item.name}`, framework: f.id })));
}

/** An evaluator's own code's key: "own:" and the label in lower case, words joined by "_". */
export function ownKey(label: string): string {
  const slug = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60);
  return `own:${slug}`;
}

export const tidyLabel = (label: string): string => label.replace(/\s+/g, " ").trim();

export type BookCode = { id: string; key: string; label: string; retiredAt: Date | null };

/** Finds a code by its key or its label, in any case. */
export function findCode<C extends BookCode>(codes: readonly C[], words: string): C | undefined {
  const wanted = tidyLabel(words).toLowerCase();
  if (!wanted) return undefined;
  return codes.find((c) => c.key.toLowerCase() === wanted) ?? codes.find((c) => c.label.toLowerCase() === wanted) ?? codes.find((c) => ownKey(c.label) === ownKey(wanted) && c.key.startsWith("own:"));
}

/** `code <kind> <id>`, `code add <label>`, `code rename <old> to <new>`, `code retire <label>`, `code import`. */
export function codeCommandArgs(rest: string): { action: string; args: Record<string, string> } {
  const text = rest.trim();
  const [first = "", ...others] = text.split(/\s+/);
  const word = first.toLowerCase();
  const after = others.join(" ");
  if (word === "add" || word === "new") return { action: "coding.add", args: { label: after } };
  if (word === "retire" || word === "remove") return { action: "coding.retire", args: { code: after } };
  if (word === "rename") {
    const parts = after.split(/\s+to\s+/i);
    return { action: "coding.rename", args: { code: parts[0] ?? "", label: parts.slice(1).join(" to ") } };
  }
  if (word === "import" || word === "upload") return { action: "coding.import.open", args: {} };
  // "code answers": the answers view, where each answer has a Code button.
  if (word === "answers" && !others[0]) return { action: "prompt.answers", args: {} };
  const kind = word.replace(/s$/, "");
  if ((CODE_TARGETS as readonly string[]).includes(kind)) return { action: "coding.pick", args: { kind, id: others[0] ?? "" } };
  return { action: "coding.book", args: {} };
}

export type ImportLine = { line: number; kind: CodeTarget; id: string; code: string };
export type ImportProblem = { line: number; problem: string };

/**
 * Reads an import: columns kind, id and code, with or without a header row.
 * An export's own columns work too (answer_id, idea_id or debrief_id, and
 * theme_codes with codes separated by ";"), so a file can go out and come back.
 */
export function parseImport(text: string): { lines: ImportLine[]; problems: ImportProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch {
    return { lines: [], problems: [{ line: 1, problem: say.importText.notCsv }] };
  }
  if (records.length === 0) return { lines: [], problems: [{ line: 1, problem: say.importText.empty }] };
  if (records.length > MAX_IMPORT_LINES + 1) return { lines: [], problems: [{ line: 1, problem: say.importText.tooLong(MAX_IMPORT_LINES) }] };
  const header = records[0]!.map((h) => h.toLowerCase());
  const idColumn = CODE_TARGETS.find((t) => header.includes(TARGET_ID_COLUMN[t]));
  const hasHeader = header.includes("kind") || header.includes("code") || Boolean(idColumn);
  const col = (name: string, fallback: number) => (hasHeader ? header.indexOf(name) : fallback);
  const at = { kind: col("kind", 0), id: idColumn ? header.indexOf(TARGET_ID_COLUMN[idColumn]) : col("id", 1), code: header.includes("theme_codes") ? header.indexOf("theme_codes") : col("code", 2) };
  if ((!idColumn && at.kind < 0) || at.id < 0 || at.code < 0) return { lines: [], problems: [{ line: 1, problem: say.importText.badHeader }] };
  const lines: ImportLine[] = [];
  const problems: ImportProblem[] = [];
  records.slice(hasHeader ? 1 : 0).forEach((record, i) => {
    const line = i + (hasHeader ? 2 : 1);
    const kind = (idColumn ?? (record[at.kind] ?? "").toLowerCase().replace(/s$/, "")) as CodeTarget;
    const id = record[at.id] ?? "";
    const cell = record[at.code] ?? "";
    const codes = (header.includes("theme_codes") ? cell.split(";") : [cell]).map((c) => c.trim()).filter(Boolean);
    if (!(CODE_TARGETS as readonly string[]).includes(kind)) return problems.push({ line, problem: say.importText.badKind(record[at.kind] ?? "") });
    if (!id) return problems.push({ line, problem: say.importText.noId });
    if (codes.length === 0 && !idColumn) return problems.push({ line, problem: say.importText.noCode });
    for (const code of codes) lines.push({ line, kind, id, code });
  });
  return { lines, problems };
}

/** Codes given, joined for an export cell, in code book order. */
export const joinCodes = (keys: readonly string[]): string => [...keys].sort().join("; ");
