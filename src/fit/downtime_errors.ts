/**
 * Per-method downtime errors against the guest-visible pause, in sample and
 * cross-validated: the numbers a report gives.
 *
 * @module
 */

import { quantileSorted } from "../_stats.ts";
import type { MigrationRun } from "../data/types.ts";
import { measuredRuns } from "./_cost_runs.ts";
import type { FitContentionOptions } from "./_fit_public.ts";
import { crossValidate } from "./cross_validate.ts";
import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED } from "./defaults.ts";
import { fitContention } from "./fit_contention.ts";
import { fitDowntime } from "./fit_downtime.ts";
import type { Estimate, RunResidual } from "./types.ts";

/** Options for {@linkcode downtimeErrors}. */
export interface DowntimeErrorsOptions {
  /**
   * Options of the bandwidth fit, `fitContention`, run per method (`method`,
   * `resamples` and `seed` are set here).
   *
   * @default {{}}
   */
  fitOptions?: Omit<FitContentionOptions, "method" | "resamples" | "seed">;
  /**
   * Bootstrap resamples of the switchover costs' intervals.
   *
   * @default {200} (`DEFAULT_RESAMPLES`)
   */
  resamples?: number;
  /**
   * Seed of the bootstrap and of the folds.
   *
   * @default {1} (`DEFAULT_SEED`)
   */
  seed?: number;
  /**
   * Folds of the cross-validation.
   *
   * @default {5} (`DEFAULT_FOLDS`)
   */
  folds?: number;
}

/** Absolute errors of a set of runs, seconds. */
export interface AbsoluteErrors {
  /** Number of runs. */
  count: number;
  /** Mean absolute error, seconds. */
  maeSeconds: number;
  /** 90th percentile of the absolute error, seconds (type 7, as numpy). */
  p90AbsoluteErrorSeconds: number;
  /** Median measured pause, seconds. */
  medianMeasuredSeconds: number;
}

/** One method's row of {@linkcode downtimeErrors}. */
export interface DowntimeErrorRow {
  /** The fitted fixed switchover cost, seconds, with its 95 % interval (given B). */
  switchoverSeconds: Estimate;
  /** Errors of the fit on the runs it was fitted on. */
  inSample: AbsoluteErrors;
  /** Errors of each run predicted by a fit on the other folds. */
  crossValidated: AbsoluteErrors;
}

/**
 * For each method: fits B (`fitContention` on the method's runs), then the
 * switchover cost (`fitDowntime`), and reports the downtime's mean and
 * 90th-percentile absolute error against the measured guest-visible pause
 * (`downtimeSeconds`), in sample and by k-fold cross-validation
 * (`crossValidate` with `quantity: "downtimeSeconds"`, B and the cost both
 * refitted on each training set).
 *
 * Cost: per method, one bandwidth fit, one downtime fit with its bootstrap,
 * and `folds` of each.
 *
 * @param runs The runs, as a loader returns them.
 * @param options The bandwidth fit's options, the bootstrap and the folds.
 * @returns One row per method with a measured pause, by method name.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} For any reason `fitContention`, `fitDowntime` or `crossValidate` throws.
 *
 * @example Synthetic post-copy runs
 * ```ts
 * import { downtimeErrors } from "./downtime_errors.ts";
 * import { synthesizeRuns } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ // synthetic, not measured
 *   seed: 3, methods: ["kvm-postcopy"], repeats: 2, factors: { none: 1, cpu: 0.9 }, noise: 0.05,
 * });
 * const rows = downtimeErrors(runs, { resamples: 20, folds: 3 });
 * const row = rows["kvm-postcopy"]!;
 * assert.ok(Math.abs(row.switchoverSeconds.value - 0.047) < 0.003);
 * assert.equal(row.crossValidated.count, row.inSample.count);
 * assert.ok(row.inSample.p90AbsoluteErrorSeconds >= row.inSample.maeSeconds);
 * ```
 */
export function downtimeErrors(
  runs: readonly MigrationRun[],
  options: DowntimeErrorsOptions = {},
): Record<string, DowntimeErrorRow> {
  const where = "downtimeErrors";
  const {
    fitOptions = {},
    resamples = DEFAULT_RESAMPLES,
    seed = DEFAULT_SEED,
    folds = DEFAULT_FOLDS,
  } = options;
  const data = measuredRuns(where, runs, null, "downtimeSeconds", 2);
  const methods = [...new Set(data.indices.map((i) => data.runs[i]!.method))].sort();
  const rows: Record<string, DowntimeErrorRow> = {};
  for (const method of methods) {
    const fit = fitContention(runs, { ...fitOptions, method, resamples: 0, seed });
    const downtime = fitDowntime(runs, { fit, method, resamples, seed });
    const cv = crossValidate(runs, {
      ...fitOptions,
      method,
      folds,
      seed,
      quantity: "downtimeSeconds",
    });
    rows[method] = {
      switchoverSeconds: downtime.switchoverSeconds[method]!,
      inSample: absoluteErrors(downtime.residuals),
      crossValidated: absoluteErrors(cv.predictions),
    };
  }
  return rows;
}

function absoluteErrors(rows: readonly RunResidual[]): AbsoluteErrors {
  const errors = rows.map((r) => Math.abs(r.residualSeconds)).sort((a, b) => a - b);
  const measured = rows.map((r) => r.measuredSeconds).sort((a, b) => a - b);
  return {
    count: rows.length,
    maeSeconds: errors.reduce((sum, e) => sum + e, 0) / errors.length,
    p90AbsoluteErrorSeconds: quantileSorted(errors, 0.9),
    medianMeasuredSeconds: quantileSorted(measured, 0.5),
  };
}
