import { createHash, createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { CODEBOOK, type ExportKind } from "./codebook.ts";
import * as say from "./catalogue.ts";

export const EXPORT_KINDS = ["answers", "ideas", "tasters", "debriefs", "codes", "member-checks"] as const satisfies readonly ExportKind[];
export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows read from the database at a time: a million answers stream in bounded memory (5,000 held about 40 MB more, no faster). */
export const BATCH_SIZE = 2000;
/**
 * The biggest file sent in chat (1 MB, about 5,000 answers). Slack and Teams
 * handle larger files poorly in a private reply; bigger exports come as a link
 * to the HTTP endpoint instead.
 */
export const CHAT_FILE_LIMIT_BYTES = 1_000_000;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, say.exportText.badDate)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), say.exportText.badDate);

/** What an export asks for: one kind, one format, and a range of days (both ends included, UTC). */
export const exportFields = {
  what: z.enum(EXPORT_KINDS, { message: say.exportText.badKind }).default("answers"),
  format: z.enum(EXPORT_FORMATS, { message: say.exportText.badFormat }).default("csv"),
  from: day.optional(),
  to: day.optional(),
};
export const inOrder = (r: { from?: string; to?: string }) => !r.from || !r.to || r.from <= r.to;
export const exportRequestSchema = z.object(exportFields).refine(inOrder, { message: say.exportText.backwards, path: ["to"] });
export type ExportRequest = z.output<typeof exportRequestSchema>;

/** The instants a range covers: from the start of `from` to the end of `to` (the whole day). */
export function rangeOf(request: Pick<ExportRequest, "from" | "to">): { from: Date; end: Date } {
  const from = request.from ? new Date(`${request.from}T00:00:00Z`) : new Date(0);
  const end = request.to ? new Date(Date.parse(`${request.to}T00:00:00Z`) + 86_400_000) : new Date("9999-12-31T00:00:00Z");
  return { from, end };
}

/** `export ideas jsonl from 2026-10-01 to 2026-10-31`: words in any order; anything unknown is passed on for zod to refuse. */
export function exportCommandArgs(rest: string): Record<string, string> {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const args: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.toLowerCase();
    if ((word === "from" || word === "to") && words[i + 1]) args[word] = words[++i]!;
    else if ((EXPORT_FORMATS as readonly string[]).includes(word) || word === "json") args.format = word === "json" ? "jsonl" : word;
    else if (word === "excel") args.format = "csv";
    else if (/^(member-?)?checks?$/.test(word)) args.what = "member-checks";
    else args.what = word === "idea" || word === "answer" || word === "taster" || word === "debrief" || word === "code" ? `${word}s` : word;
  }
  return args;
}

export function fileName(request: ExportRequest): string {
  const range = request.from || request.to ? `-${request.from ?? "start"}-to-${request.to ?? "now"}` : "";
  return `wesaid-${request.what}${range}.${request.format}`;
}

export const MIME_TYPES: Record<ExportFormat, string> = { csv: "text/csv", jsonl: "application/x-ndjson" };

export function columnsOf(kind: ExportKind): string[] {
  return CODEBOOK[kind].map((c) => c.column);
}

/**
 * A person's id in exports: stable within a programme, different in every
 * other, and impossible to turn back into the person without the answer
 * secret, which is kept outside the database.
 */
export function pseudonym(secret: string, programmeId: string, personId: string): string {
  return `p-${createHmac("sha256", secret).update(`export-person\u0000${programmeId}\u0000${personId}`).digest("hex").slice(0, 16)}`;
}

/** A new export token: shown once; only its hash is stored. */
export function newToken(): { token: string; hash: string } {
  const token = `wse_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The endpoint's query: the programme and an optional range of days. */
export const endpointQuerySchema = z
  .object({
    programme: z.string().trim().min(1).max(100),
    from: day.optional(),
    to: day.optional(),
  })
  .strict()
  .refine(inOrder, { message: say.exportText.backwards, path: ["to"] });

export const yesNo = (value: boolean | null | undefined): string => (value === true ? "yes" : value === false ? "no" : "");
export const isoOrEmpty = (value: Date | null | undefined): string => (value ? value.toISOString() : "");
