/**
 * Fit the post-copy blocktime model (`postcopyBlocktime`) to QEMU's measured
 * `postcopy-blocktime`.
 *
 * @module
 */

import { checkNumber } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { blocktimeModel } from "./_blocktime_fit.ts";
import { costReport, measuredRuns, resolveCostOptions } from "./_cost_runs.ts";
import { METHOD_MODELS } from "./_evaluate.ts";
import { DEFAULT_MAX_FAULT_SECONDS } from "./_noise_fit.ts";
import type { BlocktimeFitResult } from "./cost_types.ts";
import type { FittedModel } from "./types.ts";

/** Options for {@linkcode fitBlocktime}. */
export interface FitBlocktimeOptions {
  /** The bandwidth fit (a `fitContention` result) that gives each run its B. Required. */
  fit: FittedModel;
  /**
   * The post-copy method(s) to fit.
   *
   * @default {every post-copy method in the data}
   */
  method?: string | string[];
  /**
   * Bootstrap resamples for the 95 % intervals; 0 skips them (NaN).
   *
   * @default {200} (`DEFAULT_RESAMPLES`)
   */
  resamples?: number;
  /**
   * Seed of the bootstrap.
   *
   * @default {1} (`DEFAULT_SEED`)
   */
  seed?: number;
  /**
   * Upper end of the search for the fault cost, seconds per fault.
   *
   * @default {1e-3}
   */
  maxFaultSeconds?: number;
}

/**
 * Fits `postcopyBlocktime` to the destination's measured blocktime
 * (`postcopyBlocktimeSeconds`, the collector's `postcopy_blocktime_seconds`)
 * by least squares, given each run's B from the bandwidth fit: the fault
 * cost beyond the page's transfer (a 1-D search) and K, the bytes queued
 * ahead of the faults outside the working set in all (closed form given the
 * fault cost, K >= 0): blocktime = n·(max(1/d, p/B) + fault − 1/d) + K/B.
 *
 * Intervals: seeded percentile bootstrap over runs within each contention,
 * given B. Cross-validated error: `crossValidate(runs, { quantity:
 * "postcopyBlocktimeSeconds", method: "kvm-postcopy" })`.
 *
 * Cost: (17 + Brent steps) × n model evaluations per resample.
 *
 * @param runs The runs, as a loader returns them.
 * @param options The bandwidth fit, methods, bootstrap, search range.
 * @returns The fault cost and K with intervals, residuals, metrics and excluded runs.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} If a method has fewer than 2 runs with a blocktime, an option is out of range, or for any reason `predictRuns` throws.
 *
 * @example Recover K from synthetic runs at two bandwidths
 * ```ts
 * import { fitBlocktime } from "./fit_blocktime.ts";
 * import assert from "node:assert/strict";
 * const fit = {
 *   scale: "absolute" as const, groupBy: "contention" as const, bandwidthBytesPerSecond: 120e6,
 *   bandwidthByMethod: null, efficiency: null, efficiencyByMethod: null,
 *   factors: { none: { value: 1, low: 1, high: 1 }, network: { value: 0.5, low: 0.5, high: 0.5 } },
 *   extraTerm: null, modelOptions: {},
 * };
 * const run = (contention: string, blocktime: number) => ({
 *   method: "kvm-postcopy", contention, memoryBytes: 1.5e9, wssBytes: 0, dirtyPagesPerSecond: 0,
 *   pageBytes: 4096, migrationTimeSeconds: 12, status: "completed",
 *   postcopyBlocktimeSeconds: blocktime, extra: {},
 * });
 * const runs = [run("none", 0.7), run("none", 0.7), run("network", 1.4), run("network", 1.4)];
 * const result = fitBlocktime(runs, { fit, resamples: 0 });
 * assert.ok(Math.abs(result.blocktime.backgroundFaultBytes.value - 84e6) < 1);
 * ```
 */
export function fitBlocktime(
  runs: readonly MigrationRun[],
  options: FitBlocktimeOptions,
): BlocktimeFitResult {
  const where = "fitBlocktime";
  const resolved = resolveCostOptions(where, options);
  const { maxFaultSeconds = DEFAULT_MAX_FAULT_SECONDS } = options as Partial<FitBlocktimeOptions>;
  checkNumber(where, "option", "maxFaultSeconds", maxFaultSeconds, "positive", "seconds");
  const methods = resolved.method ?? [
    ...new Set(
      (Array.isArray(runs) ? runs : []).map((r) => (r as MigrationRun)?.method)
        .filter((m) => METHOD_MODELS[m] === "kvm-postcopy"),
    ),
  ].sort();
  const data = measuredRuns(where, runs, methods, "postcopyBlocktimeSeconds", 2);
  const { model, converged } = blocktimeModel(
    where,
    data.runs,
    data.indices,
    data.measured,
    resolved.fit,
    resolved.resamples,
    resolved.seed,
    maxFaultSeconds,
  );
  return {
    ...model,
    ...costReport(data, model, "postcopyBlocktimeSeconds", resolved, converged),
    options: {
      method: resolved.method,
      resamples: resolved.resamples,
      seed: resolved.seed,
      maxFaultSeconds,
    },
  };
}
