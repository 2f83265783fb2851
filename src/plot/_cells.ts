// Private: the one cell and column formatting core of the table formatters
// (htmlTable, markdownTable, textTable): rows to a header and string cells,
// which columns are numeric, and plain-text column layout.
import { showValue } from "../_validate.ts";

/** Rows as a table: the header, the string cells and which columns are numeric. */
export interface ResolvedTable {
  /** The column names, in order. */
  columns: string[];
  /** One array of formatted cells per row. */
  cells: string[][];
  /** Per column: true when every row holds a number there (or nothing). */
  numeric: boolean[];
}

/** Formats a cell: numbers to `digits` significant digits, others as text. */
export function formatCell(value: unknown, digits: number): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    return String(Number(value.toPrecision(digits)));
  }
  if (value === undefined || value === null) return "";
  return String(value);
}

/** Checks rows and options and gives the header, the string cells and the numeric columns. */
export function tableCells(
  where: string,
  rows: readonly Record<string, unknown>[],
  columns: readonly string[] | undefined,
  digits: number,
): ResolvedTable {
  if (!Array.isArray(rows)) {
    throw new TypeError(
      `${where}: invalid rows, expected an array of objects (got ${showValue(rows)})`,
    );
  }
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new RangeError(
      `${where}: invalid option "digits", expected an integer from 1 to 17 (got ${
        showValue(digits)
      })`,
    );
  }
  const names = columns ? [...columns] : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return {
    columns: names,
    cells: rows.map((row) => names.map((name) => formatCell(row[name], digits))),
    numeric: names.map((name) =>
      rows.length > 0 &&
      rows.every((row) => typeof row[name] === "number" || row[name] === undefined)
    ),
  };
}

/**
 * Lays out a header and rows of cells as plain text: each column padded to
 * its widest cell (left or right aligned), two spaces between columns, a
 * last left-aligned column not padded, and with `rule` a line of dashes
 * under the header.
 */
export function layoutText(
  columns: readonly string[],
  cells: readonly (readonly string[])[],
  align: readonly ("left" | "right")[],
  rule: boolean,
): string {
  const all = [columns, ...cells];
  const widths = columns.map((_, c) => Math.max(...all.map((row) => (row[c] ?? "").length)));
  const line = (row: readonly string[]) =>
    row.map((cell, c) =>
      align[c] === "right"
        ? cell.padStart(widths[c]!)
        : c === row.length - 1
        ? cell
        : cell.padEnd(widths[c]!)
    ).join("  ");
  return [
    line(columns),
    ...(rule ? [widths.map((w) => "-".repeat(w)).join("  ")] : []),
    ...cells.map(line),
  ].join("\n");
}
