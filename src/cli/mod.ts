/**
 * The project's command-line layer (internal: not exported from the
 * package's `mod.ts`): an option table read strictly with
 * {@linkcode parseCommandLine}, typed value readers, `--help` from the same
 * table, and {@linkcode runCommand} at the edge, which turns a user's
 * mistake into one line and exit status 2 and leaves a bug its stack trace.
 *
 * @example A small command
 * ```ts
 * import { flag, integer, option, parseCommandLine, UsageError } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const SPEC = {
 *   name: "count",
 *   usage: "count [options]",
 *   description: "Counts to N.",
 *   options: {
 *     to: option(integer({ min: 1, max: 100 }), { help: "the last number", default: 3 }),
 *     quiet: flag("print nothing"),
 *   },
 * };
 * assert.deepEqual(parseCommandLine(SPEC, ["--to", "5"]).values, { to: 5, quiet: false });
 * assert.throws(() => parseCommandLine(SPEC, ["--to=500"]), UsageError);
 * ```
 *
 * @module
 */

export * from "./usage_error.ts";
export * from "./values.ts";
export * from "./paths.ts";
export * from "./option_table.ts";
export * from "./format_help.ts";
export * from "./parse_command_line.ts";
export * from "./run_command.ts";
