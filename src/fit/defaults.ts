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

/** Bootstrap resamples behind every interval. */
export const DEFAULT_RESAMPLES = 200;

/** The level of every interval: 95 % (percentile bootstrap). */
export const INTERVAL_LEVEL = 0.95;

/** Folds of a cross-validation. */
export const DEFAULT_FOLDS = 5;

/** Seed of the bootstrap and of the folds. */
export const DEFAULT_SEED = 1;
