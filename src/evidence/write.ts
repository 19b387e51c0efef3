import { Readable, pipeline } from "node:stream";
import { stringify } from "csv-stringify";
import type { ExportKind } from "./codebook.ts";
import type { Row } from "./rows.ts";
import { columnsOf, type ExportFormat } from "./rules.ts";

/**
 * Excel runs a cell that starts with = + or @ as a formula. Written words are
 * people's own, so such a cell gets a leading apostrophe in CSV (JSON Lines
 * keeps the words as they are).
 */
const FORMULA = /^[=+@]/;
const safeCell = (value: string | number) => (typeof value === "string" && FORMULA.test(value) ? `'${value}` : value);

/**
 * Turns rows into a file as a byte stream: CSV (UTF-8 with a byte order mark,
 * so Excel reads the accents; a header row; quoting by csv-stringify) or JSON
 * Lines. Rows are pulled only as fast as the reader takes them.
 */
export function exportStream(kind: ExportKind, format: ExportFormat, rows: AsyncIterable<Row>): Readable {
  const columns = columnsOf(kind);
  if (format === "jsonl") {
    return Readable.from(
      (async function* () {
        for await (const row of rows) yield `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? ""])))}\n`;
      })(),
    );
  }
  const csv = stringify({ header: true, columns, bom: true, record_delimiter: "windows", cast: { string: (v) => String(safeCell(v)) } });
  const source = Readable.from(
    (async function* () {
      for await (const row of rows) yield Object.fromEntries(columns.map((c) => [c, row[c] ?? ""]));
    })(),
  );
  // An error reading the database destroys the file stream, so a reader sees a failed download, not a short file.
  pipeline(source, csv, () => undefined);
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
