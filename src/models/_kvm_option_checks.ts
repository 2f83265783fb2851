// Checks for the KVM pre-copy options that are more than one number: the
// first window's socket buffer and its range, the bandwidth-reading table
// and the zero-page layout. `resolveKvmOptions` calls them.
import { checkNumber, showValue } from "../_validate.ts";
import type { ReadingTable } from "./_stop_reading.ts";

/**
 * Checks `socketBufferBytes` and its range: the default range goes with the
 * default value, a value given alone is its own range.
 */
export function checkSocketBuffer(
  where: string,
  value: unknown,
  range: unknown,
  defaults: { socketBufferBytes: number; socketBufferRangeBytes: readonly [number, number] },
): { socketBufferBytes: number; socketBufferRangeBytes: readonly [number, number] } {
  const socketBufferBytes = checkNumber(
    where,
    "option",
    "socketBufferBytes",
    value === undefined ? defaults.socketBufferBytes : value,
    "non-negative",
    "bytes",
  );
  if (range === undefined) {
    return {
      socketBufferBytes,
      socketBufferRangeBytes: value === undefined
        ? defaults.socketBufferRangeBytes
        : [socketBufferBytes, socketBufferBytes],
    };
  }
  const ok = Array.isArray(range) && range.length === 2 &&
    range.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0) &&
    range[0] <= socketBufferBytes && socketBufferBytes <= range[1];
  if (!ok) {
    throw new RangeError(
      `${where}: invalid option "socketBufferRangeBytes", expected [low, high] in bytes, 0 <= low <= socketBufferBytes (${socketBufferBytes}) <= high (got ${
        showValue(range)
      })`,
    );
  }
  return { socketBufferBytes, socketBufferRangeBytes: [range[0], range[1]] };
}

/** Checks `bandwidthReadingQuantiles`: pairs from level 0 to 1, both ascending. */
export function checkReadingTable(where: string, pairs: unknown): ReadingTable {
  const fail = (detail: string) =>
    new RangeError(
      `${where}: invalid option "bandwidthReadingQuantiles", expected [level, deviation] pairs from level 0 to level 1, both ascending, deviations above -1 (${detail})`,
    );
  if (!Array.isArray(pairs)) {
    throw new TypeError(
      `${where}: invalid option "bandwidthReadingQuantiles", expected an array of [level, deviation] pairs (got ${
        showValue(pairs)
      })`,
    );
  }
  const levels: number[] = [];
  const deviations: number[] = [];
  for (const [i, pair] of pairs.entries()) {
    const ok = Array.isArray(pair) && pair.length === 2 &&
      pair.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!ok) throw fail(`pair ${i} is ${showValue(pair)}`);
    const [level, deviation] = pair as [number, number];
    if (level < 0 || level > 1 || deviation <= -1) throw fail(`pair ${i} is ${showValue(pair)}`);
    if (i > 0 && (level <= levels[i - 1]! || deviation < deviations[i - 1]!)) {
      throw fail(`pair ${i} (${showValue(pair)}) does not ascend`);
    }
    levels.push(level);
    deviations.push(deviation);
  }
  if (levels.length === 0) return { levels, deviations };
  if (levels.length < 2 || levels[0] !== 0 || levels.at(-1) !== 1) {
    throw fail(`levels ${levels[0]} to ${levels.at(-1)}`);
  }
  return { levels, deviations };
}

/** Checks the two zero-page fractions: each non-negative, together at most 1. */
export function checkZeroLayout(
  where: string,
  early: unknown,
  spread: unknown,
): { earlyZeroFraction: number; spreadZeroFraction: number } {
  const unit = "(a fraction up to 1)";
  const earlyZeroFraction = checkNumber(
    where,
    "option",
    "earlyZeroFraction",
    early,
    "non-negative",
    unit,
  );
  const spreadZeroFraction = checkNumber(
    where,
    "option",
    "spreadZeroFraction",
    spread,
    "non-negative",
    unit,
  );
  if (earlyZeroFraction + spreadZeroFraction > 1) {
    throw new RangeError(
      `${where}: invalid options "earlyZeroFraction" and "spreadZeroFraction", expected fractions that add up to 1 or less (got ${earlyZeroFraction} and ${spreadZeroFraction})`,
    );
  }
  return { earlyZeroFraction, spreadZeroFraction };
}
