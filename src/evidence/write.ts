import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { ExportKind } from "./codebook.ts";
import type { Row } from "./rows.ts";
import { columnsOf, type ExportFormat } from "./rules.ts";

/**
 * Turns batches of rows into a file as a byte stream: CSV (UTF-8 with a byte
 * order mark, so Excel reads the accents; a header row; quoting by
 * csv-stringify, which also puts a ' before a cell Excel would run as a
 * formula) or JSON Lines (the words as they are). A batch is read from the
 * database only when the reader has taken the one before.
 */
export function exportStream(kind: ExportKind, format: ExportFormat, batches: AsyncGenerator<Row[]>): Readable {
  const columns = columnsOf(kind);
  if (format === "jsonl") {
    return Readable.from(
      (async function* () {
        for await (const batch of batches) {
          if (batch.length) yield batch.map((row) => `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? ""])))}\n`).join("");
        }
      })(),
      { objectMode: false },
    );
  }
  // Records go in as arrays in the codebook's order: csv-stringify is much faster with arrays than with objects.
  const csv = stringify({ bom: true, record_delimiter: "windows", escape_formulas: true });
  const waitForReader = () => new Promise<void>((resolve) => {
    const done = () => {
      csv.off("drain", done).off("close", done);
      resolve();
    };
    csv.on("drain", done).on("close", done);
  });
  void (async () => {
    try {
      csv.write(columns);
      for await (const batch of batches) {
        // The reader may have stopped (a file too big for chat, a closed download) while the batch was read.
        if (csv.destroyed) break;
        for (const row of batch) csv.write(columns.map((c) => row[c] ?? ""));
        if (csv.writableNeedDrain) await waitForReader();
      }
      if (!csv.destroyed) csv.end();
    } catch (error) {
      // A failed read destroys the file stream, so a reader sees a failed download, not a short file.
      csv.destroy(error as Error);
    } finally {
      await batches.return(undefined);
    }
  })();
  return csv;
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
