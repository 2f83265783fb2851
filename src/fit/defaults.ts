/**
 * The defaults every fit, cross-validation, report and command shares, named
 * once so that the library, `deno task fit`, `deno task reproduce` and the
 * notebooks cannot drift apart.
 *
 * @example The defaults
 * ```ts
 * import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, INTERVAL_LEVEL } from "./defaults.ts";
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_RESAMPLES, 200);
 * assert.equal(INTERVAL_LEVEL, 0.95);
 * assert.equal(DEFAULT_FOLDS, 5);
 * ```
 *
 * @module
 */

import type { IntervalInfo } from "./types.ts";

/** Bootstrap resamples behind every interval. */
export const DEFAULT_RESAMPLES = 200;

/** The level of every interval: 95 % (percentile bootstrap). */
export const INTERVAL_LEVEL = 0.95;

/** Folds of a cross-validation. */
export const DEFAULT_FOLDS = 5;

/** Seed of the bootstrap and of the folds. */
export const DEFAULT_SEED = 1;

/**
 * How the intervals of a fit with `resamples` bootstrap resamples at `seed`
 * were computed: a percentile bootstrap at {@linkcode INTERVAL_LEVEL}, or none
 * when `resamples` is 0.
 *
 * @param resamples The number of bootstrap resamples (an integer >= 0, checked by the caller).
 * @param seed The seed of the resampling generator.
 * @returns The fit's `interval` field.
 *
 * @example With and without resamples
 * ```ts
 * import { intervalInfo } from "./defaults.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(intervalInfo(200, 1), {
 *   method: "bootstrap",
 *   resamples: 200,
 *   seed: 1,
 *   level: 0.95,
 * });
 * assert.deepEqual(intervalInfo(0, 1), { method: "none" });
 * ```
 */
export function intervalInfo(resamples: number, seed: number): IntervalInfo {
  return resamples > 0
    ? { method: "bootstrap", resamples, seed, level: INTERVAL_LEVEL }
    : { method: "none" };
}
