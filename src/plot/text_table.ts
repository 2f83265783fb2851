/**
 * A plain-text table from plain rows, for terminals and logs.
 *
 * @module
 */

import { showValue } from "../_validate.ts";
import { layoutText, tableCells } from "./_cells.ts";
import type { TableOptions } from "./html_table.ts";

/** Options for {@linkcode textTable}. */
export interface TextTableOptions extends TableOptions {
  /**
   * Each column's alignment, in column order.
   *
   * @default {numeric columns right, the others left (as in `markdownTable`)}
   */
  align?: readonly ("left" | "right")[];
  /**
   * Draw a line of dashes under the header.
   *
   * @default {true}
   */
  rule?: boolean;
}

/**
 * Formats rows as a plain-text table: columns padded to their widest cell
 * and separated by two spaces, numbers formatted as in `htmlTable`
 * (integers in full, others to `digits` significant digits), a line of
 * dashes under the header, and `caption` on a line above. Strings are
 * written as they are, so a caller may format its numbers itself.
 *
 * @param rows The rows, one object each.
 * @param options Columns, digits, caption, alignment and the header rule.
 * @returns The table as text, without a final newline.
 * @throws {TypeError} If rows is not an array, or `align` is not an array of "left" / "right".
 * @throws {RangeError} If digits is not an integer from 1 to 17, or `align` has the wrong length.
 *
 * @example Two rows
 * ```ts
 * import { textTable } from "./text_table.ts";
 * import assert from "node:assert/strict";
 * const text = textTable([{ group: "cpu", factor: 0.812345 }, { group: "network", factor: 0.35 }]);
 * assert.equal(text, "group    factor\n-------  ------\ncpu      0.8123\nnetwork    0.35");
 * ```
 */
export function textTable(
  rows: readonly Record<string, unknown>[],
  options: TextTableOptions = {},
): string {
  const where = "textTable";
  const { columns, cells, numeric } = tableCells(where, rows, options.columns, options.digits ?? 4);
  const align = options.align ?? numeric.map((n) => (n ? "right" : "left"));
  if (!Array.isArray(align) || align.some((a) => a !== "left" && a !== "right")) {
    throw new TypeError(
      `${where}: invalid option "align", expected an array of "left" or "right" (got ${
        showValue(align)
      })`,
    );
  }
  if (align.length !== columns.length) {
    throw new RangeError(
      `${where}: invalid option "align", expected one alignment per column (${columns.length}) (got ${align.length})`,
    );
  }
  const text = layoutText(columns, cells, align, options.rule ?? true);
  return options.caption ? `${options.caption}\n${text}` : text;
}
