/**
 * Fit the co-located load's model (`colocatedProgress`) to its measured
 * progress.
 *
 * @module
 */

import type { MigrationRun } from "../data/types.ts";
import { colocatedModel } from "./_colocated_fit.ts";
import { costReport, measuredRuns, resolveCostOptions } from "./_cost_runs.ts";
import type { ColocatedFitResult } from "./cost_types.ts";
import type { FittedModel } from "./types.ts";

/** Options for {@linkcode fitColocated}. */
export interface FitColocatedOptions {
  /** The bandwidth fit (a `fitContention` result) that gives each run its time and bytes. Required. */
  fit: FittedModel;
  /**
   * The method(s) to fit; runs of other methods are skipped.
   *
   * @default {every method in the data}
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
}

/**
 * Fits `colocatedProgress` to the co-located load's measured progress ratio
 * (`colocatedProgressRatio`, the collector's `colocated_progress_ratio`; runs
 * under contention `none` have no load and are excluded, with the reason),
 * at the migration time and bytes the bandwidth fit predicts for each run:
 *
 * - CPU contention: first, per method, the source's migration CPU seconds
 *   m = a·bytes + e·T by least squares (a, e >= 0) on every completed run
 *   with `sourceMigrationCpuSeconds` (any contention, measured bytes and T;
 *   point estimates, in `colocated.migrationCpu`); then the hog's loss κ per
 *   migration CPU second, in closed form: 1 − ratio = κ·m/T.
 * - Network contention: the load's rate alone C, in closed form on
 *   1 − ratio = (bytes/T)/C.
 * - Memory contention: no parameter (ratio 1); its runs count in the errors.
 *
 * Intervals: seeded percentile bootstrap over runs within each contention,
 * given B. Cross-validated error: `crossValidate(runs, { quantity:
 * "colocatedProgressRatio" })`.
 *
 * Cost: O(n) per resample for n runs, after two `predictRuns`.
 *
 * @param runs The runs, as a loader returns them.
 * @param options The bandwidth fit, methods, bootstrap.
 * @returns κ, C, the CPU models, residuals, metrics and excluded runs.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} If a method has fewer than 2 runs with a measured co-located ratio, an option is out of range, or for any reason `predictRuns` throws.
 *
 * @example Recover the link rate from synthetic network runs
 * ```ts
 * import { fitColocated } from "./fit_colocated.ts";
 * import assert from "node:assert/strict";
 * const fit = {
 *   scale: "absolute" as const, groupBy: null, bandwidthBytesPerSecond: 60e6,
 *   bandwidthByMethod: null, efficiency: null, efficiencyByMethod: null,
 *   factors: {}, extraTerm: null, modelOptions: {},
 * };
 * // Post-copy of 1.2 GB at 60 MB/s: 20 s; a load of 120 MB/s alone keeps half.
 * const runs = [1, 2].map(() => ({
 *   method: "kvm-postcopy", contention: "network", memoryBytes: 1.2e9, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, migrationTimeSeconds: 20, status: "completed",
 *   colocatedProgressRatio: 0.5, extra: {},
 * }));
 * const result = fitColocated(runs, { fit, resamples: 0 });
 * assert.ok(Math.abs(result.colocated.linkBytesPerSecond!.value - 120e6) < 1);
 * assert.equal(result.colocated.cpuLossPerCpuSecond, null);
 * ```
 */
export function fitColocated(
  runs: readonly MigrationRun[],
  options: FitColocatedOptions,
): ColocatedFitResult {
  const where = "fitColocated";
  const resolved = resolveCostOptions(where, options);
  const data = measuredRuns(where, runs, resolved.method, "colocatedProgressRatio", 2);
  const model = colocatedModel(
    data.runs,
    data.indices,
    data.measured,
    resolved.fit,
    resolved.resamples,
    resolved.seed,
  );
  return {
    ...model,
    ...costReport(data, model, "colocatedProgressRatio", resolved, true),
    options: { method: resolved.method, resamples: resolved.resamples, seed: resolved.seed },
  };
}
