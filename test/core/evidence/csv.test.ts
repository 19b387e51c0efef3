import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { BOM, csvRecord, type Cell } from "../../../src/evidence/csv.ts";

// The bytes csv-stringify writes for the same records, as the export wrote them before it wrote its own CSV.
const asLibraryWrites = (records: Cell[][]) => stringify(records, { bom: true, record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true });

describe("the export's CSV", () => {
  it("quotes, doubles quotes and guards formulas exactly as csv-stringify does", () => {
    const awkward: Cell[] = [
      "plain", "", "with, comma", 'a "quote"', "line\nbreak", "carriage\rreturn", "windows\r\nline", "=SUM(A1:A9)", "+44 20 7946 0000",
      "-minus", "@mention", "\ttab first", "\rreturn first", "＝wide equals", "＋wide plus", "－wide minus", "＠wide at", "=with, comma",
      "-\"both\"", "café naïve 😀", "'already quoted", " space first", 0, 7, -3, 2.5, true, false, null, undefined,
    ];
    const records = [awkward, [...awkward].reverse(), ["one"], [""]];
    expect(BOM + records.map(csvRecord).join("")).toBe(asLibraryWrites(records));
  });

  it("keeps a written answer with a line break in one cell, comma or not", () => {
    const csv = BOM + [["answer_text", "role"], ["Fine\nthanks", "Someone"], ["Late\r\nagain, sadly", "Someone"]].map(csvRecord).join("");
    expect(parse(csv, { bom: true, columns: true })).toEqual([
      { answer_text: "Fine\nthanks", role: "Someone" },
      { answer_text: "Late\r\nagain, sadly", role: "Someone" },
    ]);
  });
});
