/**
 * Fit the fixed switchover cost of each method to measured pauses, given a
 * fitted bandwidth.
 *
 * @module
 */

import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { costReport, measuredRuns, resolveCostOptions } from "./_cost_runs.ts";
import { downtimeModel } from "./_downtime_fit.ts";
import type { DowntimeFitResult } from "./cost_types.ts";
import type { FittedModel } from "./types.ts";

/** Options for {@linkcode fitDowntime}. */
export interface FitDowntimeOptions {
  /** The bandwidth fit (a `fitContention` or `fitBandwidth` result) that gives each run its B. Required. */
  fit: FittedModel;
  /**
   * The method(s) to fit; runs of other methods are skipped.
   *
   * @default {every method in the data}
   */
  method?: string | string[];
  /**
   * `"absolute"`: the cost is the median of measured pause - stop-and-copy
   * (least absolute error, robust to the few long pauses); `"squares"`: their
   * mean (least squares).
   *
   * @default {"absolute"}
   */
  objective?: "absolute" | "squares";
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
 * Fits the fixed switchover cost c of each method to the measured pauses
 * (`downtimeSeconds`, the guest-visible pause), given the bandwidth of a
 * fit: downtime = stop-and-copy(B) + c_method, where stop-and-copy is what
 * the method's model leaves at the switch over B (Xen: the last round's
 * remainder; KVM pre-copy: `kvmPrecopy`'s remainder; post-copy: nothing),
 * as `migrationDowntime` and `predictRuns(..., { quantity: "downtimeSeconds" })`.
 *
 * With B fixed the stop-and-copy of each run is fixed, so c_method is the
 * median (or mean) of measured - stop-and-copy over the method's runs: the
 * fit is closed-form and `converged` is true. The intervals are a seeded
 * percentile bootstrap over runs within each method, **given B** (B's own
 * uncertainty is not propagated). Completed runs without a measured pause
 * (or with a pause of 0) are excluded, with reasons.
 *
 * Cost: one model evaluation per run, then O(n log n + resamples·n log n).
 *
 * @param runs The runs, as a loader returns them.
 * @param options The bandwidth fit, methods, objective and bootstrap.
 * @returns The cost per method with intervals, residuals, metrics, excluded runs.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} If a method has fewer than 2 completed runs with a measured pause, or for any reason `predictRuns` throws.
 *
 * @example Recover a 20 ms switch from synthetic post-copy pauses
 * ```ts
 * import { fitDowntime } from "./fit_downtime.ts";
 * import assert from "node:assert/strict";
 * const runs = [0.018, 0.02, 0.021, 0.019, 0.025].map((downtimeSeconds) => ({
 *   method: "kvm-postcopy", contention: "none", memoryBytes: 1e9, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, migrationTimeSeconds: 10,
 *   downtimeSeconds, status: "completed", extra: { source: "synthetic" },
 * }));
 * const fit = {
 *   scale: "absolute" as const, groupBy: null, bandwidthBytesPerSecond: 1e8,
 *   bandwidthByMethod: null, efficiency: null, efficiencyByMethod: null,
 *   factors: {}, extraTerm: null, modelOptions: {},
 * };
 * const result = fitDowntime(runs, { fit, resamples: 50 });
 * assert.equal(result.switchoverSeconds["kvm-postcopy"]!.value, 0.02);
 * assert.ok(result.switchoverSeconds["kvm-postcopy"]!.low <= 0.02);
 * ```
 */
export function fitDowntime(
  runs: readonly MigrationRun[],
  options: FitDowntimeOptions,
): DowntimeFitResult {
  const where = "fitDowntime";
  const resolved = resolveCostOptions(where, options);
  const objective = (options as { objective?: unknown }).objective ?? "absolute";
  if (objective !== "absolute" && objective !== "squares") {
    throw new TypeError(
      `${where}: invalid option "objective", expected "absolute" or "squares" (got ${
        showValue(objective)
      })`,
    );
  }
  const data = measuredRuns(where, runs, resolved.method, "downtimeSeconds", 2);
  const model = downtimeModel(
    data.runs,
    data.indices,
    data.measured,
    resolved.fit,
    objective,
    resolved.resamples,
    resolved.seed,
  );
  return {
    ...model,
    ...costReport(data, model, "downtimeSeconds", resolved, true),
    options: {
      method: resolved.method,
      objective,
      resamples: resolved.resamples,
      seed: resolved.seed,
    },
  };
}
