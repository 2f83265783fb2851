import { RUN_SCHEMA } from "../data/schema.ts";
import type { RunRow } from "./types.ts";

/**
 * The columns of the collector's `runs.csv`, in order: the run schema's
 * columns (`RUN_SCHEMA` in `src/data/schema.ts`): the run columns first
 * (snake_case, SI units), then the collector's.
 */
export const RUN_COLUMNS: readonly string[] = RUN_SCHEMA.map((c) => c.column);

function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError(`formatRunsCsv: invalid cell, expected a finite number (got ${value})`);
    }
    return String(value);
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Formats rows as the collector's `runs.csv`: a header row, one line per row,
 * `\n` line ends, RFC 4180 quoting for cells holding a comma, quote or line
 * break. A row's missing column is an empty cell; a column not in `columns`
 * is an error, so nothing is dropped silently.
 *
 * @param rows The rows.
 * @param columns The columns, in order.
 * @returns The CSV text, ending in a line break.
 * @throws {RangeError} If a row has a column not listed or a number that is not finite.
 *
 * @example A message with a comma is quoted
 * ```ts
 * import { formatRunsCsv } from "./format_runs_csv.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatRunsCsv([{ method: "kvm-precopy", message: "cancelled, 60 s" }], ["method", "message"]);
 * assert.equal(text, 'method,message\nkvm-precopy,"cancelled, 60 s"\n');
 * ```
 */
export function formatRunsCsv(
  rows: readonly RunRow[],
  columns: readonly string[] = RUN_COLUMNS,
): string {
  const known = new Set(columns);
  const lines = [columns.join(",")];
  for (const [index, row] of rows.entries()) {
    for (const name of Object.keys(row)) {
      if (!known.has(name)) {
        throw new RangeError(
          `formatRunsCsv: invalid row ${index}, expected only known columns (got "${name}")`,
        );
      }
    }
    lines.push(columns.map((name) => cell(row[name])).join(","));
  }
  return lines.join("\n") + "\n";
}
