/**
 * An HTML table from plain rows, for notebooks.
 *
 * @module
 */

import { escapeXml } from "./_text.ts";
import { tableCells } from "./_cells.ts";

/** Options for {@linkcode htmlTable} and `markdownTable`. */
export interface TableOptions {
  /**
   * The columns, in order.
   *
   * @default {every key of the rows, in order of first appearance}
   */
  columns?: readonly string[];
  /**
   * Significant digits of non-integer numbers.
   *
   * @default {4}
   */
  digits?: number;
  /**
   * A caption above the table.
   *
   * @default {""}
   */
  caption?: string;
}

/**
 * Formats rows as an HTML table (escaped), for `Deno.jupyter.html`.
 * Integers are written in full, other numbers to `digits` significant
 * digits, missing values as empty cells.
 *
 * @param rows The rows, one object each.
 * @param options Columns, digits and caption.
 * @returns The `<table>` element as text.
 * @throws {TypeError} If rows is not an array.
 * @throws {RangeError} If digits is not an integer from 1 to 17.
 *
 * @example Two rows
 * ```ts
 * import { htmlTable } from "./html_table.ts";
 * import assert from "node:assert/strict";
 * const html = htmlTable([{ group: "cpu", factor: 0.812345 }, { group: "<none>", factor: 1 }]);
 * assert.ok(html.includes("<td>0.8123</td>"));
 * assert.ok(html.includes("&lt;none&gt;"));
 * ```
 */
export function htmlTable(
  rows: readonly Record<string, unknown>[],
  options: TableOptions = {},
): string {
  const { columns, cells } = tableCells("htmlTable", rows, options.columns, options.digits ?? 4);
  const caption = options.caption ? `<caption>${escapeXml(options.caption)}</caption>` : "";
  const head = `<tr>${columns.map((c) => `<th>${escapeXml(c)}</th>`).join("")}</tr>`;
  const body = cells.map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`)
    .join("");
  return `<table>${caption}<thead>${head}</thead><tbody>${body}</tbody></table>`;
}
