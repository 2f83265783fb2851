// Private: turns table rows into header and string cells, shared by htmlTable and markdownTable.
import { showValue } from "../_validate.ts";

/** Options shared by the table formatters. */
export interface ResolvedTable {
  columns: string[];
  cells: string[][];
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

/** Checks rows and options and gives the header and the string cells. */
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
  };
}
