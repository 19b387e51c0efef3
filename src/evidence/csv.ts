/**
 * CSV as csv-stringify writes it with { bom: true, record_delimiter: "windows",
 * quote_record_delimiter: true, escape_formulas: true }, written out here
 * because the library turns each record into its own stream chunk, which at a
 * million rows took longer than reading them. test/core/evidence/csv.test.ts
 * checks both give the same bytes. (Without quote_record_delimiter, which the
 * export used to leave out, a cell with a line break but no comma or quote was
 * not quoted, and split its row in two.)
 */
export const BOM = "\ufeff";
const RECORD_END = "\r\n";
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;
// A cell Excel would run as a formula starts with one of these; a ' before it makes it text.
const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"]);

export type Cell = string | number | boolean | null | undefined;

function cell(value: Cell): string {
  // csv-stringify's casts: a number as it prints (a negative one is not a formula), true as 1, false as nothing.
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "";
  if (!value) return "";
  const text = FORMULA_START.has(value[0]!) ? `'${value}` : value;
  return NEEDS_QUOTES.test(value) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/** One record, with its line ending. */
export function csvRecord(cells: readonly Cell[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += i === 0 ? cell(cells[i]) : `,${cell(cells[i])}`;
  return line + RECORD_END;
}
