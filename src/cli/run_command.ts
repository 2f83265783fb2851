/**
 * The edge of every command: runs its main function and turns what it
 * throws into an exit status and a message a user can act on.
 *
 * @module
 */

import { DatasetError } from "../data/dataset_error.ts";
import { HelpRequest } from "./parse_command_line.ts";
import { UsageError } from "./usage_error.ts";

/** An error class. */
// deno-lint-ignore no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * The errors that are a user's mistake, not a bug: a bad option
 * ({@linkcode UsageError}), bad data (`DatasetError`), a bad path (no such
 * file, a folder where a file was expected or the other way round, no
 * permission, Deno's permission not granted, a file in the way).
 */
export const USER_ERRORS: readonly ErrorClass[] = [
  UsageError,
  DatasetError,
  Deno.errors.NotFound,
  Deno.errors.IsADirectory,
  Deno.errors.NotADirectory,
  Deno.errors.PermissionDenied,
  Deno.errors.NotCapable,
  Deno.errors.AlreadyExists,
];

/** The exit status of a user's mistake. */
export const USAGE_EXIT_CODE = 2;

/** Options for {@linkcode describeFailure}. */
export interface DescribeFailureOptions {
  /**
   * Show the stack trace of a user's mistake too (`--debug`).
   *
   * @default {false}
   */
  debug?: boolean;
  /**
   * More error classes that are a user's mistake, e.g. a command's own
   * validation error.
   *
   * @default {[]}
   */
  userErrors?: readonly ErrorClass[];
}

/** How a command ends. */
export interface Outcome {
  /** The exit status: 0 for help, 2 for a user's mistake, 1 for a bug. */
  code: number;
  /** What goes to stdout (the help text), if anything. */
  stdout: string;
  /** What goes to stderr, if anything. */
  stderr: string;
}

/** The stack (or message) of an error and of its causes. */
function trace(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    const text = current instanceof Error
      ? current.stack ?? `${current.name}: ${current.message}`
      : Deno.inspect(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}

/**
 * How a command that threw `error` ends: `--help` prints its text and exits
 * with 0; a user's mistake ({@linkcode USER_ERRORS} and `userErrors`) prints
 * its message alone (a `DatasetError` lists one problem a line) and exits
 * with 2; anything else is a bug, printed with its stack trace and causes,
 * and exits with 1. With `debug` a user's mistake shows its trace too.
 * Pure.
 *
 * @param error What the command threw.
 * @param options Debug, and more user error classes.
 * @returns The exit status and what to print.
 *
 * @example A user's mistake and a bug
 * ```ts
 * import { describeFailure } from "./run_command.ts";
 * import { UsageError } from "./usage_error.ts";
 * import assert from "node:assert/strict";
 *
 * const mistake = describeFailure(new UsageError('fit: unknown option "--bogus"'));
 * assert.deepEqual(mistake, { code: 2, stdout: "", stderr: 'fit: unknown option "--bogus"' });
 * const bug = describeFailure(new TypeError("x is undefined"));
 * assert.equal(bug.code, 1);
 * assert.match(bug.stderr, /^error: TypeError: x is undefined\n +at /);
 * ```
 */
export function describeFailure(error: unknown, options: DescribeFailureOptions = {}): Outcome {
  const { debug = false, userErrors = [] } = options;
  if (error instanceof HelpRequest) return { code: 0, stdout: error.text, stderr: "" };
  const user = [...USER_ERRORS, ...userErrors].some((Class) => error instanceof Class);
  if (user && error instanceof Error) {
    return { code: USAGE_EXIT_CODE, stdout: "", stderr: debug ? trace(error) : error.message };
  }
  return { code: 1, stdout: "", stderr: `error: ${trace(error)}` };
}

/** Options for {@linkcode runCommand}. */
export interface RunCommandOptions {
  /**
   * More error classes that are a user's mistake (see {@linkcode describeFailure}).
   *
   * @default {[]}
   */
  userErrors?: readonly ErrorClass[];
  /**
   * The command line, where `--debug` is looked for (before any `--`).
   *
   * @default {Deno.args}
   */
  args?: readonly string[];
}

/**
 * True when `--debug` is on the command line (before any `--`) or
 * `MIGRATION_MODEL_DEBUG` is `1` or `true` (read only when Deno may read
 * it, so a task without `--allow-env` does not fail here).
 *
 * @param args The command line.
 * @returns Whether to show stack traces.
 *
 * @example The flag
 * ```ts
 * import { debugRequested } from "./run_command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(debugRequested(["data.csv", "--debug"]), true);
 * assert.equal(debugRequested(["--", "--debug"]), Deno.env.get("MIGRATION_MODEL_DEBUG") === "1");
 * ```
 */
export function debugRequested(args: readonly string[]): boolean {
  const terminator = args.indexOf("--");
  if ((terminator === -1 ? args : args.slice(0, terminator)).includes("--debug")) return true;
  const variable = "MIGRATION_MODEL_DEBUG";
  if (Deno.permissions.querySync({ name: "env", variable }).state !== "granted") return false;
  const value = Deno.env.get(variable);
  return value === "1" || value === "true";
}

/**
 * Runs a command's main function at the edge of the program. A number it
 * returns is the exit status; otherwise the program ends as usual (0). What
 * it throws ends the program by {@linkcode describeFailure}: `--help` with
 * its text and 0, a user's mistake with one clear message and 2 (no stack
 * trace unless `--debug` or `MIGRATION_MODEL_DEBUG=1`), a bug with its
 * stack trace and 1.
 *
 * @param main The command: parses its command line first (`parseCommandLine`), then works.
 * @param options More user error classes, and the command line.
 * @returns When `main` has returned without a status.
 *
 * @example A command that ends as usual
 * ```ts
 * import { runCommand } from "./run_command.ts";
 * import assert from "node:assert/strict";
 *
 * // A command's last lines: `await runCommand(() => { parseCommandLine(...); work(); })`.
 * let worked = false;
 * await runCommand(() => {
 *   worked = true;
 * });
 * assert.ok(worked);
 * ```
 */
export async function runCommand(
  main: () => unknown,
  options: RunCommandOptions = {},
): Promise<void> {
  const { userErrors = [], args = Deno.args } = options;
  let result: unknown;
  try {
    result = await main();
  } catch (error) {
    const outcome = describeFailure(error, { debug: debugRequested(args), userErrors });
    if (outcome.stdout !== "") console.log(outcome.stdout.replace(/\n$/, ""));
    if (outcome.stderr !== "") console.error(outcome.stderr);
    Deno.exit(outcome.code);
  }
  if (typeof result === "number") Deno.exit(result);
}
