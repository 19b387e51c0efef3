import { Readable } from "node:stream";
import type { ExportKind } from "./codebook.ts";
import { BOM, csvRecord } from "./csv.ts";
import type { Row } from "./rows.ts";
import { columnsOf, type ExportFormat } from "./rules.ts";

/**
 * Turns batches of rows into a file as a byte stream: CSV (UTF-8 with a byte
 * order mark, so Excel reads the accents; a header row; quoting as
 * csv-stringify does it, with a ' before a cell Excel would run as a formula:
 * src/evidence/csv.ts) or JSON Lines (the words as they are). Each batch
 * becomes one chunk, and a batch is asked for only when the reader has taken
 * the chunk before: a stopped reader (a file too big for chat, a closed
 * download) stops the reading, and a failed read fails the stream, so a reader
 * sees a failed download, not a short file.
 */
export function exportStream(kind: ExportKind, format: ExportFormat, batches: AsyncGenerator<Row[]>): Readable {
  const columns = columnsOf(kind);
  const chunks =
    format === "jsonl"
      ? (async function* () {
          for await (const batch of batches) {
            if (batch.length) yield batch.map((row) => `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? ""])))}\n`).join("");
          }
        })()
      : (async function* () {
          yield BOM + csvRecord(columns);
          for await (const batch of batches) {
            let text = "";
            for (const row of batch) text += csvRecord(columns.map((c) => row[c]));
            yield text;
          }
        })();
  return Readable.from(chunks, { objectMode: false });
}

/** Reads an export into a string, or stops at `limit` bytes and says it was too big. */
export async function collect(stream: Readable, limit: number): Promise<{ content: string; bytes: number } | { tooBig: true }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    if (bytes > limit) {
      stream.destroy();
      return { tooBig: true };
    }
    chunks.push(buffer);
  }
  return { content: Buffer.concat(chunks).toString("utf8"), bytes };
}
