/**
 * One command-line layer for the project's tasks: a table of options,
 * strict parsing on `node:util`'s `parseArgs`, and `--help` written from
 * the same table.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { formatHelp } from "./format_help.ts";
import {
  allOptions,
  type AnyOption,
  type CommandSpec,
  type OptionTable,
  type OptionValues,
} from "./option_table.ts";
import { UsageError } from "./usage_error.ts";
import { type ValueParser, ValueRejected } from "./values.ts";

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
 * import { flag, option } from "./option_table.ts";
 * import { parseCommandLine } from "./parse_command_line.ts";
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
