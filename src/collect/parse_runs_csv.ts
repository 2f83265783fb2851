import { delimitedRows } from "../data/_delimited.ts";
import { Problems } from "../data/_problems.ts";
import type { RunRow } from "./types.ts";

/** Options for {@linkcode parseRunsCsv}. */
export interface ParseRunsCsvOptions {
  /**
   * The columns a header may name (in any order, some missing), e.g.
   * `RUN_COLUMNS` for the collector's own file, so that a column it would
   * not write back fails at once, before any migration runs, and not at the
   * rewrite.
   *
   * @default {undefined (any column)}
   */
  columns?: readonly string[];
}

/**
 * Parses the collector's own `runs.csv` back into rows of strings, so that a
 * resumed collector knows which points are done and can rewrite the file with
 * new rows appended. It uses the dataset loader's tokenizer but keeps every
 * cell as text, so that rows written by an older or newer collector survive a
 * rewrite unchanged. (Analyses should read datasets with `loadRuns`, which types and checks
 * every column.)
 *
 * @param text The CSV text (header row first, RFC 4180 quoting).
 * @param file The file name used in error messages.
 * @param options The columns the header may name.
 * @returns One row per line after the header, column name to cell text.
 * @throws {SyntaxError} If a quote is not closed or a row has a different number of cells
 * than the header.
 * @throws {RangeError} If the header names a column not in `options.columns`.
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
export function parseRunsCsv(
  text: string,
  file = "runs.csv",
  options: ParseRunsCsvOptions = {},
): RunRow[] {
  const problems = new Problems(file, 1);
  const [header, ...body] = [...delimitedRows(text, ",", problems)];
  const first = problems.list[0];
  if (first !== undefined) throw new SyntaxError(`parseRunsCsv: ${first.message}`);
  if (header === undefined) return [];
  const { columns } = options;
  const unknown = columns && header.values.find((name) => !columns.includes(name));
  if (unknown !== undefined) {
    throw new RangeError(
      `parseRunsCsv: ${file}:${header.line}: unknown column "${unknown}", expected one of the ${columns?.length} columns given`,
    );
  }
  return body.map(({ line, values }) => {
    if (values.length !== header.values.length) {
      throw new SyntaxError(
        `parseRunsCsv: ${file}:${line}: ragged row, expected ${header.values.length} cells (got ${values.length})`,
      );
    }
    return Object.fromEntries(header.values.map((name, k) => [name, values[k]!]));
  });
}
