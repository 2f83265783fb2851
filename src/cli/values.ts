/**
 * Typed readers of command-line values: each knows what it expects (for
 * messages and `--help`) and either returns the value in SI units or
 * throws a {@linkcode ValueRejected} saying what was expected.
 * {@linkcode parseCommandLine} turns that into one line naming the flag.
 *
 * @module
 */

import { parseQuantity, type QuantityKind } from "../units.ts";

/** Reads one command-line value. */
export interface ValueParser<T> {
  /** What a value must be, e.g. `an integer from 2 to 100`. */
  expected: string;
  /** The value's placeholder in `--help`, e.g. `N`, `SECONDS`, `PATH`. */
  placeholder: string;
  /**
   * Reads the text.
   *
   * @throws {ValueRejected} If the text is not such a value.
   */
  parse(text: string): T;
}

/**
 * A value a {@linkcode ValueParser} refused: what it expected and, when the
 * value shown should not be the whole text (an item of a list, a path with
 * the reason), what to show.
 *
 * @example What a parser throws
 * ```ts
 * import { integer, ValueRejected } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => integer({ min: 2 }).parse("1"), (error) => {
 *   assert.ok(error instanceof ValueRejected);
 *   assert.equal(error.expected, "an integer >= 2");
 *   return true;
 * });
 * ```
 */
export class ValueRejected extends RangeError {
  /** What the value must be. */
  readonly expected: string;
  /** What to show as the value given, if not the text itself (already quoted). */
  readonly shown: string | undefined;

  /**
   * Makes the error.
   *
   * @param expected What the value must be.
   * @param shown What to show as the value given, quoted, if not the text itself.
   */
  constructor(expected: string, shown?: string) {
    super(`expected ${expected}${shown === undefined ? "" : ` (got ${shown})`}`);
    this.name = "ValueRejected";
    this.expected = expected;
    this.shown = shown;
  }
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A plain decimal number, else NaN (no hex, no blanks, no "Infinity"). */
function decimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/**
 * A finite number > 0 (or >= 0 with `allowZero`), written as a plain decimal.
 *
 * @param options The unit for messages, and whether 0 is allowed.
 * @returns The parser.
 *
 * @example Rates
 * ```ts
 * import { positiveNumber } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const rate = positiveNumber({ unit: "pages/s" });
 * assert.equal(rate.parse("5120"), 5120);
 * assert.equal(rate.expected, "a number > 0 (pages/s)");
 * assert.throws(() => rate.parse("-5"), RangeError);
 * assert.throws(() => rate.parse("6O"), RangeError);
 * ```
 */
export function positiveNumber(
  options: { unit?: string; allowZero?: boolean } = {},
): ValueParser<number> {
  const { unit = "", allowZero = false } = options;
  const expected = `a number ${allowZero ? ">=" : ">"} 0${unit ? ` (${unit})` : ""}`;
  return {
    expected,
    placeholder: "X",
    parse(text) {
      const value = decimal(text.trim());
      if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
        throw new ValueRejected(expected);
      }
      return value;
    },
  };
}

/**
 * An integer in a range, written in decimal digits.
 *
 * @param options The smallest and largest values allowed.
 * @returns The parser.
 *
 * @example Folds
 * ```ts
 * import { integer } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const folds = integer({ min: 2, max: 100 });
 * assert.equal(folds.parse("5"), 5);
 * assert.equal(folds.expected, "an integer from 2 to 100");
 * assert.throws(() => folds.parse("1"), RangeError);
 * assert.throws(() => folds.parse("2.5"), RangeError);
 * ```
 */
export function integer(
  options: { min?: number; max?: number } = {},
): ValueParser<number> {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  const expected = max === Number.MAX_SAFE_INTEGER
    ? `an integer >= ${min}`
    : `an integer from ${min} to ${max}`;
  return {
    expected,
    placeholder: "N",
    parse(text) {
      const trimmed = text.trim();
      const value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        throw new ValueRejected(expected);
      }
      return value;
    },
  };
}

/**
 * A quantity with a unit, read by `parseQuantity` into SI units (bytes,
 * seconds, bytes/s, pages/s), > 0 unless `allowZero`. A bare number is in
 * `bareUnit` when one is given (`"64"` with `bareUnit: "MiB"` is 64 MiB),
 * else refused.
 *
 * @param kind What the quantity is.
 * @param options The unit of a bare number, and whether 0 is allowed.
 * @returns The parser.
 *
 * @example A link rate and a memory size
 * ```ts
 * import { quantity } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const link = quantity("bytesPerSecond");
 * assert.equal(link.parse("1Gbps"), 125e6);
 * assert.throws(() => link.parse("0Mbps"), RangeError);
 * const memory = quantity("bytes", { bareUnit: "MiB" });
 * assert.equal(memory.parse("64"), 64 * 2 ** 20);
 * assert.equal(memory.parse("1.5 GiB"), 1.5 * 2 ** 30);
 * ```
 */
export function quantity(
  kind: QuantityKind,
  options: { bareUnit?: string; allowZero?: boolean } = {},
): ValueParser<number> {
  const { bareUnit, allowZero = false } = options;
  const example = EXAMPLES[kind];
  const expected = `${example}, ${allowZero ? ">=" : ">"} 0${
    bareUnit ? ` (a bare number is ${bareUnit})` : ""
  }`;
  return {
    expected,
    placeholder: PLACEHOLDERS[kind],
    parse(text) {
      const trimmed = text.trim();
      const bare = DECIMAL.test(trimmed);
      if (bare && bareUnit === undefined) throw new ValueRejected(`${expected}, with its unit`);
      let value: number;
      try {
        value = parseQuantity(bare ? `${trimmed} ${bareUnit}` : trimmed, kind);
      } catch {
        throw new ValueRejected(expected);
      }
      if (!(value > 0 || (value === 0 && allowZero))) throw new ValueRejected(expected);
      return value;
    },
  };
}

const EXAMPLES: Record<QuantityKind, string> = {
  bytes: 'a size such as "64MiB" or "1.5GB"',
  seconds: 'a duration such as "300ms" or "2s"',
  bytesPerSecond: 'a rate such as "1Gbps" or "125MB/s"',
  pagesPerSecond: 'a page rate such as "5120pages/s"',
};
const PLACEHOLDERS: Record<QuantityKind, string> = {
  bytes: "SIZE",
  seconds: "DURATION",
  bytesPerSecond: "RATE",
  pagesPerSecond: "RATE",
};

/**
 * A duration in seconds, > 0 unless `allowZero`: a bare number is seconds,
 * and a unit may be given (`300ms`, `2min`).
 *
 * @param options Whether 0 is allowed.
 * @returns The parser.
 *
 * @example Timeouts
 * ```ts
 * import { seconds } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const timeout = seconds();
 * assert.equal(timeout.parse("60"), 60);
 * assert.equal(timeout.parse("300ms"), 0.3);
 * assert.throws(() => timeout.parse("6O"), RangeError);
 * assert.throws(() => timeout.parse("-1"), RangeError);
 * ```
 */
export function seconds(options: { allowZero?: boolean } = {}): ValueParser<number> {
  const { allowZero = false } = options;
  const inner = quantity("seconds", { bareUnit: "s", allowZero });
  const expected = `seconds ${allowZero ? ">=" : ">"} 0, a number or a duration such as "300ms"`;
  return {
    expected,
    placeholder: "SECONDS",
    parse(text) {
      try {
        return inner.parse(text);
      } catch {
        throw new ValueRejected(expected);
      }
    },
  };
}

/**
 * A comma-separated list, each item read by `item`; empty items (`a,,b`,
 * a trailing comma) are refused, and so is a list shorter than `min`.
 *
 * @param item The reader of one item.
 * @param options The fewest items allowed.
 * @returns The parser.
 *
 * @example Dirty rates
 * ```ts
 * import { list, positiveNumber } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const rates = list(positiveNumber());
 * assert.deepEqual(rates.parse("1024, 51200"), [1024, 51200]);
 * assert.equal(rates.expected, "a comma-separated list, each a number > 0");
 * assert.throws(() => rates.parse("1024,-5"), /got "-5" in "1024,-5"/);
 * ```
 */
export function list<T>(item: ValueParser<T>, options: { min?: number } = {}): ValueParser<T[]> {
  const { min = 1 } = options;
  const expected = `a comma-separated list, each ${item.expected}${
    min > 1 ? `, at least ${min} items` : ""
  }`;
  return {
    expected,
    placeholder: "LIST",
    parse(text) {
      const parts = text.split(",").map((part) => part.trim());
      if (text.trim() === "") throw new ValueRejected(expected);
      const values = parts.map((part, i) => {
        if (part === "") {
          throw new ValueRejected(expected, `an empty item ${i + 1} in ${JSON.stringify(text)}`);
        }
        try {
          return item.parse(part);
        } catch (error) {
          if (!(error instanceof ValueRejected)) throw error;
          // The item alone when it is the whole list, else the item in the list.
          throw new ValueRejected(
            expected,
            parts.length === 1 ? undefined : `${JSON.stringify(part)} in ${JSON.stringify(text)}`,
          );
        }
      });
      if (values.length < min) throw new ValueRejected(expected);
      return values;
    },
  };
}

/**
 * One of a few keywords, exactly as written.
 *
 * @param words The keywords allowed.
 * @returns The parser.
 *
 * @example The objective
 * ```ts
 * import { oneOf } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * const objective = oneOf(["log", "seconds"] as const);
 * assert.equal(objective.parse("log"), "log");
 * assert.equal(objective.expected, 'one of "log", "seconds"');
 * assert.throws(() => objective.parse("LOG"), RangeError);
 * ```
 */
export function oneOf<const W extends string>(words: readonly W[]): ValueParser<W> {
  const expected = words.length === 1
    ? `"${words[0]}"`
    : `one of ${words.map((w) => `"${w}"`).join(", ")}`;
  return {
    expected,
    placeholder: words.join("|"),
    parse(text) {
      if (!(words as readonly string[]).includes(text)) throw new ValueRejected(expected);
      return text as W;
    },
  };
}

/**
 * Any text that is not empty (a label, a note).
 *
 * @param options The placeholder in `--help`.
 * @returns The parser.
 *
 * @example A note
 * ```ts
 * import { text } from "./values.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(text().parse("two loads running"), "two loads running");
 * assert.throws(() => text().parse(" "), RangeError);
 * ```
 */
export function text(options: { placeholder?: string } = {}): ValueParser<string> {
  const { placeholder = "TEXT" } = options;
  const expected = "some text, not empty";
  return {
    expected,
    placeholder,
    parse(value) {
      if (value.trim() === "") throw new ValueRejected(expected);
      return value;
    },
  };
}
