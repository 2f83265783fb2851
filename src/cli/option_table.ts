/**
 * The option table of a command: options with and without a value, the
 * arguments, and the options every command has.
 *
 * @module
 */

import type { ValueParser } from "./values.ts";

/** An option without a value: `--json`. It is `true` when given, else `false`. */
export interface FlagOption {
  kind: "flag";
  /** One line for `--help`. */
  help: string;
  /** A one-letter alias (`h` for `-h`), if any. */
  short: string | undefined;
}

/** An option with a value: `--folds 5` or `--folds=5`. `R` is what the command reads. */
export interface ValueOption<T, R> {
  kind: "value";
  /** Reads and checks the value. */
  parser: ValueParser<T>;
  /** One line for `--help`. */
  help: string;
  /** A one-letter alias, if any. */
  short: string | undefined;
  /** The value when the option is not given. */
  defaultValue: R;
  /** How `--help` shows the default; `undefined` for none. */
  defaultText: string | undefined;
}

/** Any option of a table. */
// deno-lint-ignore no-explicit-any
export type AnyOption = FlagOption | ValueOption<any, any>;
/** A command's options, by long name (without `--`). */
export type OptionTable = Record<string, AnyOption>;

/** The values a command reads, typed from its table. */
export type OptionValues<O extends OptionTable> = {
  [K in keyof O]: O[K] extends ValueOption<infer _T, infer R> ? R : boolean;
};

/**
 * An option without a value.
 *
 * @param help One line for `--help`.
 * @param options A one-letter alias.
 * @returns The option.
 *
 * @example A flag
 * ```ts
 * import { flag } from "./option_table.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(flag("print JSON"), { kind: "flag", help: "print JSON", short: undefined });
 * ```
 */
export function flag(help: string, options: { short?: string } = {}): FlagOption {
  return { kind: "flag", help, short: options.short };
}

/** Options for {@linkcode option}. */
export interface OptionOptions<T> {
  /** One line for `--help`. */
  help: string;
  /**
   * A one-letter alias.
   *
   * @default {undefined}
   */
  short?: string;
  /**
   * The value when the option is not given; without one the command reads `undefined`.
   *
   * @default {undefined}
   */
  default?: T;
  /**
   * How `--help` shows the default.
   *
   * @default {String(default)}
   */
  defaultText?: string;
}

/**
 * An option with a value read by `parser`.
 *
 * @param parser Reads and checks the value (see `values.ts`).
 * @param options Help, alias and default.
 * @returns The option.
 *
 * @example With and without a default
 * ```ts
 * import { integer } from "./values.ts";
 * import { option } from "./option_table.ts";
 * import assert from "node:assert/strict";
 *
 * const folds = option(integer({ min: 2 }), { help: "folds", default: 5 });
 * assert.equal(folds.defaultValue, 5);
 * assert.equal(folds.defaultText, "5");
 * const seed = option(integer(), { help: "seed" });
 * assert.equal(seed.defaultValue, undefined);
 * ```
 */
export function option<T>(
  parser: ValueParser<T>,
  options: OptionOptions<T> & { default: T },
): ValueOption<T, T>;
export function option<T>(
  parser: ValueParser<T>,
  options: OptionOptions<T>,
): ValueOption<T, T | undefined>;
export function option<T>(
  parser: ValueParser<T>,
  options: OptionOptions<T>,
): ValueOption<T, T | undefined> {
  const { help, short, default: value, defaultText } = options;
  return {
    kind: "value",
    parser,
    help,
    short,
    defaultValue: value,
    defaultText: defaultText ?? (value === undefined ? undefined : String(value)),
  };
}

/** The arguments that are not options: how many, read how. */
export interface PositionalSpec<P> {
  /** The name in `usage` and messages, e.g. `DATASET`. */
  name: string;
  /** One line for `--help`. */
  help: string;
  /** Reads and checks each argument. */
  parser: ValueParser<P>;
  /**
   * The fewest arguments.
   *
   * @default {0}
   */
  min?: number;
  /**
   * The most arguments.
   *
   * @default {Infinity}
   */
  max?: number;
}

/** A command: its name, what it does, its options and arguments. */
export interface CommandSpec<O extends OptionTable, P = never> {
  /** The name at the start of every message, e.g. `fit`. */
  name: string;
  /** The usage line(s), e.g. `deno task fit [options] DATASET`. */
  usage: string;
  /** What the command does, a few lines for `--help`. */
  description: string;
  /** The options, by long name. `help` and `debug` are added to every command. */
  options: O;
  /** The arguments that are not options; none when absent. */
  positionals?: PositionalSpec<P>;
  /** Example command lines for `--help`. */
  examples?: readonly string[];
}

/** The options every command has. */
export const COMMON_OPTIONS: OptionTable = {
  help: flag("show this help and exit", { short: "h" }),
  debug: flag("show the stack trace of any error (or set MIGRATION_MODEL_DEBUG=1)"),
};

/** The command's options with the common ones; refuses a table that redefines one. */
export function allOptions(spec: CommandSpec<OptionTable, unknown>): OptionTable {
  for (const name of Object.keys(COMMON_OPTIONS)) {
    if (name in spec.options) {
      throw new TypeError(
        `parseCommandLine: invalid option table of "${spec.name}", expected no "--${name}" (every command has it)`,
      );
    }
  }
  return { ...spec.options, ...COMMON_OPTIONS };
}
