/**
 * One command-line layer for the project's tasks: a table of options,
 * strict parsing on `node:util`'s `parseArgs`, and `--help` written from
 * the same table.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "./usage_error.ts";
import { type ValueParser, ValueRejected } from "./values.ts";

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
 * import { flag } from "./parse_command_line.ts";
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
 * import { option } from "./parse_command_line.ts";
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

/** What {@linkcode parseCommandLine} returns. */
export interface CommandLine<O extends OptionTable, P> {
  /** Every option's value (its default when not given). */
  values: OptionValues<O>;
  /** The arguments that are not options, read. */
  positionals: P[];
  /** Whether `--debug` was given. */
  debug: boolean;
}

/**
 * What {@linkcode parseCommandLine} throws for `--help` or `-h`: the help
 * text. `runCommand` prints it to stdout and exits with status 0, before
 * any work.
 *
 * @example Asking for help
 * ```ts
 * import { HelpRequest, parseCommandLine } from "./parse_command_line.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = { name: "hello", usage: "hello", description: "Says hello.", options: {} };
 * assert.throws(() => parseCommandLine(spec, ["--help"]), (error) => {
 *   assert.ok(error instanceof HelpRequest);
 *   assert.match(error.text, /^usage: hello\n\nSays hello\./);
 *   return true;
 * });
 * ```
 */
export class HelpRequest extends Error {
  /** The help text. */
  readonly text: string;

  /**
   * Makes the request.
   *
   * @param text The help text.
   */
  constructor(text: string) {
    super("help requested");
    this.name = "HelpRequest";
    this.text = text;
  }
}

/** The options every command has. */
export const COMMON_OPTIONS: OptionTable = {
  help: flag("show this help and exit", { short: "h" }),
  debug: flag("show the stack trace of any error (or set MIGRATION_MODEL_DEBUG=1)"),
};

function allOptions(spec: CommandSpec<OptionTable, unknown>): OptionTable {
  for (const name of Object.keys(COMMON_OPTIONS)) {
    if (name in spec.options) {
      throw new TypeError(
        `parseCommandLine: invalid option table of "${spec.name}", expected no "--${name}" (every command has it)`,
      );
    }
  }
  return { ...spec.options, ...COMMON_OPTIONS };
}

/**
 * Reads a command line against a command's table, strictly, before any
 * work: `--flag=value` and `--flag value` both work; an unknown option, a
 * flag given a value, an option without its value, an option given twice,
 * a value its parser refuses and an argument too many or too few are each
 * refused with a {@linkcode UsageError} of one line that names the option
 * and the value (`fit: invalid --folds, expected an integer >= 2 (got
 * "1")`). A value may start with `-` (`--rates -5` reads `-5`, which the
 * parser then judges); one that starts with `--`, or is a known short
 * option, is taken as the option's missing value. Everything after `--` is
 * an argument. `--help`/`-h` anywhere throws a {@linkcode HelpRequest}.
 *
 * @typeParam O The option table.
 * @typeParam P What each argument reads as.
 * @param spec The command.
 * @param args The command line (`Deno.args`).
 * @returns The values, the arguments and whether `--debug` was given.
 * @throws {UsageError} For a mistake on the command line.
 * @throws {HelpRequest} For `--help` or `-h`.
 * @throws {TypeError} If the table redefines `help` or `debug`.
 *
 * @example Both forms of a value, a flag, a default
 * ```ts
 * import { flag, option, parseCommandLine } from "./parse_command_line.ts";
 * import { integer, oneOf } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = {
 *   name: "fit",
 *   usage: "deno task fit [options]",
 *   description: "Fits the models.",
 *   options: {
 *     folds: option(integer({ min: 2 }), { help: "cross-validation folds", default: 5 }),
 *     objective: option(oneOf(["log", "seconds"]), { help: "objective", default: "log" }),
 *     json: flag("print JSON"),
 *   },
 * };
 * const { values } = parseCommandLine(spec, ["--folds=10", "--objective", "seconds"]);
 * assert.deepEqual(values, { folds: 10, objective: "seconds", json: false });
 * assert.equal(parseCommandLine(spec, ["--json"]).values.folds, 5);
 * assert.throws(() => parseCommandLine(spec, ["--folds", "1"]), {
 *   name: "UsageError",
 *   message: 'fit: invalid --folds, expected an integer >= 2 (got "1")',
 * });
 * assert.throws(() => parseCommandLine(spec, ["--bogus"]), {
 *   name: "UsageError",
 *   message: 'fit: unknown option "--bogus", expected one of --folds, --objective, --json, --help, --debug',
 * });
 * ```
 */
export function parseCommandLine<O extends OptionTable, P = never>(
  spec: CommandSpec<O, P>,
  args: readonly string[],
): CommandLine<O, P> {
  const table = allOptions(spec as CommandSpec<OptionTable, unknown>);
  const { tokens } = parseArgs({
    args: [...args],
    options: parseArgsOptions(table),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === "option" && token.name === "help")) {
    throw new HelpRequest(formatHelp(spec));
  }
  // Each option is checked, and its value read, in command-line order, so
  // that the first mistake is the one reported.
  const given = new Map<string, string | undefined>();
  const read = new Map<string, unknown>();
  const texts: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      texts.push(token.value);
      continue;
    }
    const name = readToken(spec.name, table, token, given);
    given.set(name, token.value);
    const entry = table[name] as AnyOption;
    if (entry.kind === "value") {
      read.set(name, readValue(spec.name, `--${name}`, entry.parser, token.value as string));
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(spec.options as OptionTable)) {
    if (entry.kind === "flag") values[name] = given.has(name);
    else values[name] = read.has(name) ? read.get(name) : entry.defaultValue;
  }
  const positionals = readPositionals(spec, texts);
  return { values: values as OptionValues<O>, positionals, debug: given.has("debug") };
}

function parseArgsOptions(
  table: OptionTable,
): Record<string, { type: "string" | "boolean"; short?: string }> {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, entry] of Object.entries(table)) {
    options[name] = { type: entry.kind === "flag" ? "boolean" : "string" };
    if (entry.short !== undefined) options[name].short = entry.short;
  }
  return options;
}

interface OptionToken {
  kind: "option";
  name: string;
  rawName: string;
  value?: string | undefined;
  inlineValue?: boolean | undefined;
}

/** Checks one option token against the table; returns its long name. */
function readToken(
  command: string,
  table: OptionTable,
  token: OptionToken,
  given: Map<string, string | undefined>,
): string {
  const entry = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
  const raw = token.rawName;
  if (entry === undefined) {
    const known = Object.keys(table).map((n) => `--${n}`).join(", ");
    throw new UsageError(`${command}: unknown option "${raw}", expected one of ${known}`, {
      flag: raw,
    });
  }
  const flagName = `--${token.name}`;
  if (given.has(token.name)) {
    throw new UsageError(
      `${command}: option ${flagName} given twice, expected it once${
        token.value === undefined ? "" : ` (got "${given.get(token.name)}", then "${token.value}")`
      }`,
      { flag: flagName, ...(token.value === undefined ? {} : { value: token.value }) },
    );
  }
  if (entry.kind === "flag") {
    if (token.value !== undefined) {
      throw new UsageError(
        `${command}: option ${flagName} takes no value, expected ${flagName} alone (got "${token.value}")`,
        { flag: flagName, value: token.value },
      );
    }
    return token.name;
  }
  const value = token.value;
  const looksLikeOption = value !== undefined && !token.inlineValue &&
    (value.startsWith("--") || isShortOption(table, value));
  if (value === undefined || looksLikeOption) {
    throw new UsageError(
      `${command}: option ${flagName} needs a value, expected ${entry.parser.expected} (got ${
        value === undefined ? "nothing" : `the option "${value}"`
      })`,
      { flag: flagName },
    );
  }
  return token.name;
}

function isShortOption(table: OptionTable, text: string): boolean {
  return /^-[A-Za-z]$/.test(text) &&
    Object.values(table).some((entry) => entry.short === text.slice(1));
}

/** Reads one value with its parser; a refusal becomes a UsageError naming the flag. */
function readValue<T>(command: string, flag: string, parser: ValueParser<T>, text: string): T {
  try {
    return parser.parse(text);
  } catch (error) {
    if (!(error instanceof ValueRejected)) throw error;
    const shown = error.shown ?? JSON.stringify(text);
    throw new UsageError(`${command}: invalid ${flag}, expected ${error.expected} (got ${shown})`, {
      flag,
      value: text,
      cause: error,
    });
  }
}

function readPositionals<P>(spec: CommandSpec<OptionTable, P>, texts: string[]): P[] {
  const positional = spec.positionals;
  if (positional === undefined) {
    if (texts.length > 0) {
      throw new UsageError(
        `${spec.name}: unexpected argument "${texts[0]}", expected options only (see --help)`,
        { value: texts[0] as string },
      );
    }
    return [];
  }
  const { name, parser, min = 0, max = Infinity } = positional;
  if (texts.length > max) {
    throw new UsageError(
      `${spec.name}: unexpected argument "${
        texts[max]
      }", expected at most ${max} ${name} (got ${texts.length})`,
      { flag: name, value: texts[max] as string },
    );
  }
  if (texts.length < min) {
    throw new UsageError(
      `${spec.name}: missing ${name}, expected ${
        min === 1 ? "one" : `at least ${min}`
      }: ${parser.expected} (see --help)`,
      { flag: name },
    );
  }
  return texts.map((text) => readValue(spec.name, name, parser, text));
}

/**
 * The `--help` text of a command, from its table: usage, description,
 * arguments, options with their placeholders and defaults, examples.
 *
 * @param spec The command.
 * @returns The text, ending in a line break.
 *
 * @example One option
 * ```ts
 * import { formatHelp, option } from "./parse_command_line.ts";
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
