/**
 * The `--help` text of a command, written from its option table.
 *
 * @module
 */

import { allOptions, type CommandSpec, type OptionTable } from "./option_table.ts";

/**
 * The `--help` text of a command, from its table: usage, description,
 * arguments, options with their placeholders and defaults, examples.
 *
 * @param spec The command.
 * @returns The text, ending in a line break.
 *
 * @example One option
 * ```ts
 * import { formatHelp } from "./format_help.ts";
 * import { option } from "./option_table.ts";
 * import { integer } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const help = formatHelp({
 *   name: "fit",
 *   usage: "deno task fit [options]",
 *   description: "Fits the models.",
 *   options: { folds: option(integer({ min: 2 }), { help: "cross-validation folds", default: 5 }) },
 * });
 * assert.match(help, /^usage: deno task fit \[options\]\n/);
 * assert.match(help, /\n  --folds N +cross-validation folds \(default 5\)\n/);
 * assert.match(help, /\n  -h, --help +show this help and exit\n/);
 * ```
 */
export function formatHelp<O extends OptionTable, P>(spec: CommandSpec<O, P>): string {
  const table = allOptions(spec as CommandSpec<OptionTable, unknown>);
  const rows: [string, string][] = Object.entries(table).map(([name, entry]) => {
    const short = entry.short === undefined ? "" : `-${entry.short}, `;
    const left = `${short}--${name}${entry.kind === "value" ? ` ${entry.parser.placeholder}` : ""}`;
    const right = entry.kind === "value"
      ? `${entry.help}${entry.defaultText === undefined ? "" : ` (default ${entry.defaultText})`}`
      : entry.help;
    return [left, right];
  });
  const lines = [`usage: ${spec.usage}`, "", spec.description.trim(), ""];
  const positional = spec.positionals;
  const width = Math.min(
    28,
    Math.max(...rows.map(([left]) => left.length), positional?.name.length ?? 0) + 2,
  );
  const row = ([left, right]: [string, string]) =>
    `  ${left.padEnd(width)}${left.length >= width ? `\n  ${" ".repeat(width)}` : ""}${right}`;
  if (positional !== undefined) {
    lines.push("arguments:", row([positional.name, positional.help]), "");
  }
  lines.push("options:", ...rows.map(row));
  if (spec.examples !== undefined && spec.examples.length > 0) {
    lines.push("", "examples:", ...spec.examples.map((example) => `  ${example}`));
  }
  return `${lines.join("\n")}\n`;
}
