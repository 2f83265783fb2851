/**
 * The error a command throws for a user's mistake on its command line.
 *
 * @module
 */

/** Where a {@linkcode UsageError} is: the flag (or argument) and the value given. */
export interface UsageErrorOptions extends ErrorOptions {
  /**
   * The flag as written (`--folds`) or the argument's name (`DATASET`).
   *
   * @default {undefined}
   */
  flag?: string;
  /**
   * The value given, as text; `undefined` when none was.
   *
   * @default {undefined}
   */
  value?: string;
}

/**
 * A user's mistake on a command line: an unknown flag, a missing, malformed
 * or out-of-range value, an argument too many. `runCommand` prints its
 * message as one line, without a stack trace, and exits with status 2. The
 * message has the form `command: what, expected what (got value)`.
 *
 * @example Catching a usage error
 * ```ts
 * import { UsageError } from "./usage_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new UsageError('fit: invalid --folds, expected an integer >= 2 (got "1")', {
 *   flag: "--folds",
 *   value: "1",
 * });
 * assert.ok(error instanceof Error);
 * assert.equal(error.name, "UsageError");
 * assert.equal(error.flag, "--folds");
 * assert.equal(error.value, "1");
 * ```
 */
export class UsageError extends Error {
  /** The flag as written, or the argument's name, if the mistake is about one. */
  readonly flag: string | undefined;
  /** The value given, as text, if any. */
  readonly value: string | undefined;

  /**
   * Makes the error.
   *
   * @param message The whole message, one line.
   * @param options The flag, the value and a cause.
   */
  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UsageError";
    this.flag = options.flag;
    this.value = options.value;
  }
}
