/**
 * A Markdown table from plain rows, for reports.
 *
 * @module
 */

import { tableCells } from "./_cells.ts";
import type { TableOptions } from "./html_table.ts";

/**
 * Formats rows as a GitHub-flavoured Markdown table (pipes escaped).
 * Numbers are formatted as in `htmlTable`; numeric columns are right-aligned.
 *
 * @param rows The rows, one object each.
 * @param options Columns and digits (`caption` becomes a bold line above).
 * @returns The table as Markdown text, ending in a newline.
 * @throws {TypeError} If rows is not an array.
 * @throws {RangeError} If digits is not an integer from 1 to 17.
 *
 * @example Two rows
 * ```ts
 * import { markdownTable } from "./markdown_table.ts";
 * import assert from "node:assert/strict";
 * const md = markdownTable([{ group: "cpu", factor: 0.8 }, { group: "net", factor: 0.35 }]);
 * assert.equal(md.split("\n")[1], "| --- | ---: |");
 * ```
 */
export function markdownTable(
  rows: readonly Record<string, unknown>[],
  options: TableOptions = {},
): string {
  const { columns, cells, numeric } = tableCells(
    "markdownTable",
    rows,
    options.columns,
    options.digits ?? 4,
  );
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const lines = [
    `| ${columns.map(escape).join(" | ")} |`,
    `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`,
    ...cells.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ];
  return (options.caption ? `**${options.caption}**\n\n` : "") + lines.join("\n") + "\n";
}
