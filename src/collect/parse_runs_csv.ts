import type { RunRow } from "./types.ts";

/**
 * Parses the collector's own `runs.csv` back into rows of strings, so that a
 * resumed collector knows which points are done and can rewrite the file with
 * new rows appended. (Analyses should read datasets with the toolkit's loader,
 * which types and checks every column.)
 *
 * @param text The CSV text (header row first, RFC 4180 quoting).
 * @returns One row per line after the header, column name to cell text.
 * @throws {SyntaxError} If a quote is not closed or a row has a different number of cells
 * than the header.
 *
 * @example Round trip of a quoted cell
 * ```ts
 * import { parseRunsCsv } from "./parse_runs_csv.ts";
 * import assert from "node:assert/strict";
 *
 * const rows = parseRunsCsv('method,message\nkvm-precopy,"cancelled, 60 s"\n');
 * assert.deepEqual(rows, [{ method: "kvm-precopy", message: "cancelled, 60 s" }]);
 * ```
 */
export function parseRunsCsv(text: string): RunRow[] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      line++;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    throw new SyntaxError(
      `parseRunsCsv: unclosed quote, expected '"' before the end (got line ${line})`,
    );
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records;
  if (header === undefined) return [];
  return body.map((cells, index) => {
    if (cells.length !== header.length) {
      throw new SyntaxError(
        `parseRunsCsv: ragged row at line ${
          index + 2
        }, expected ${header.length} cells (got ${cells.length})`,
      );
    }
    return Object.fromEntries(header.map((name, k) => [name, cells[k]!]));
  });
}
