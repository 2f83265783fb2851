/**
 * Where runs sit on a figure whose axes are the dirty rate and the WSS:
 * rates and WSS that vary run to run, binned.
 *
 * @module
 */

import type { MigrationRun } from "../data/types.ts";
import { binningSentence, binRates, type BinSummary, binWss } from "./_bins.ts";

export type { BinRule, BinSummary } from "./_bins.ts";

/** The result of {@linkcode binRuns}: each run's bins, the rules used and the caption's sentence. */
export interface RunBins {
  /** Each run's dirty rate bin, pages/s (same order as the runs). */
  rates: number[];
  /** Each run's WSS bin label ("64 MiB", "Full"). */
  wssLabels: string[];
  /** Each run's WSS bin size, bytes; Infinity for "Full" (sorts last). */
  wssSizes: number[];
  /** How the dirty rates were binned. */
  rateBins: BinSummary;
  /** How the WSS were binned. */
  wssBins: BinSummary;
  /** What a caption says about it ("" when every run sits at its own values). */
  sentence: string;
}

/**
 * Bins the runs' dirty rates and WSS as Figures 5, 6 and 3 place them.
 *
 * Dirty rates: the requested rates when every run has one
 * (`requestedDirtyPagesPerSecond`); else each run's requested rate where
 * given and its achieved rate otherwise, kept as they are when there are at
 * most 8 distinct values at least 25 % apart; else, when they gather around
 * 2 to 8 values (sorted neighbours more than 25 % apart start a new group,
 * each group within a factor of 2), one bin per group at its median to 2
 * significant digits; else the nearest 1-2-5 value in log (1000, 2000,
 * 5000, ...). WSS: the requested WSS when every run has one
 * (`requestedWssBytes`, a request of the whole memory is "Full"); else kept
 * as they are when there are at most 8 labels; else 0, "Full" and the
 * nearest power of two MiB in log.
 *
 * Cost: O(n log n) for n runs.
 *
 * @param runs The runs to place.
 * @returns Each run's bins, the rules used and the caption's sentence.
 *
 * @example Achieved rates that vary run to run
 * ```ts
 * import { binRuns } from "./bin_runs.ts";
 * import assert from "node:assert/strict";
 * const run = (dirtyPagesPerSecond: number) => ({
 *   method: "kvm-precopy", contention: "none", memoryBytes: 2 ** 32, wssBytes: 2 ** 30,
 *   dirtyPagesPerSecond, pageBytes: 4096, migrationTimeSeconds: 5, status: "completed", extra: {},
 * });
 * const rates = Array.from({ length: 30 }, (_, i) => 1000 * 400 ** (i / 29));
 * const bins = binRuns(rates.map(run));
 * assert.equal(bins.rateBins.rule, "nice");
 * assert.deepEqual(bins.rates.slice(0, 4), [1000, 1000, 2000, 2000]);
 * assert.match(bins.sentence, /1-2-5 values/);
 * ```
 */
export function binRuns(runs: readonly MigrationRun[]): RunBins {
  const rates = binRates(runs);
  const wss = binWss(runs);
  const rateBins = { rule: rates.rule, someRequested: rates.someRequested };
  const wssBins = { rule: wss.rule, someRequested: wss.someRequested };
  return {
    rates: rates.rates,
    wssLabels: wss.labels,
    wssSizes: wss.sizes,
    rateBins,
    wssBins,
    sentence: binningSentence(rateBins, wssBins),
  };
}
