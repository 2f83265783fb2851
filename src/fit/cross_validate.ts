/**
 * Out-of-sample error of a bandwidth fit by k-fold cross-validation.
 *
 * @module
 */

import { checkNumber } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { crossValidateCore } from "./_cv_core.ts";
import { type FitContentionOptions, fitSelectedModel, resolveFitOptions } from "./_fit_public.ts";
import { checkRuns, selectRuns } from "./_runs.ts";
import { DEFAULT_FOLDS } from "./defaults.ts";
import type { CrossValidationResult } from "./types.ts";

/** Options for {@linkcode crossValidate}: the fit's options plus the folds. */
export interface CrossValidateOptions extends Omit<FitContentionOptions, "groupBy"> {
  /**
   * Number of folds, >= 2.
   *
   * @default {5} (`DEFAULT_FOLDS`)
   */
  folds?: number;
  /**
   * Group the runs by contention and fit a factor per group (as
   * `fitContention`); null fits one B (as `fitBandwidth`).
   *
   * @default {"contention"}
   */
  groupBy?: "contention" | null;
}

/**
 * Estimates how the fit would do on new runs: the completed runs are
 * shuffled (seeded) within each group and dealt into `folds` folds; each
 * fold is predicted by a fit on the others (no bootstrap inside, the extra
 * term decided inside each training set), and the out-of-sample errors are
 * summarised overall, per group and per fold.
 *
 * Cost: `folds` fits.
 *
 * @param runs The runs.
 * @param options The folds, the seed, and the options of `fitContention`.
 * @returns Out-of-sample estimates and metrics.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} If a group has too few runs to leave 2 in every training set, or for any reason `fitContention` throws.
 *
 * @example Synthetic runs, 3 folds
 * ```ts
 * import { crossValidate } from "./cross_validate.ts";
 * import { synthesizeRuns } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ // synthetic, not measured
 *   seed: 2, methods: ["kvm-postcopy"], repeats: 2, factors: { none: 1, cpu: 0.9 }, noise: 0.05,
 * });
 * const cv = crossValidate(runs, { folds: 3, seed: 4 });
 * assert.equal(cv.predictions.length, runs.length);
 * assert.ok(cv.metrics.mapePercent < 10);
 * ```
 */
export function crossValidate(
  runs: readonly MigrationRun[],
  options: CrossValidateOptions = {},
): CrossValidationResult {
  const where = "crossValidate";
  const checked = checkRuns(where, runs);
  const { folds = DEFAULT_FOLDS, groupBy = "contention", ...fitOptions } = options ?? {};
  const resolved = groupBy === null
    ? resolveFitOptions(where, fitOptions, false)
    : resolveFitOptions(where, { ...fitOptions, groupBy }, true);
  checkNumber(where, "option", "folds", folds, "integer>=1");
  if (folds < 2) {
    throw new RangeError(
      `${where}: invalid option "folds", expected an integer >= 2 (got ${folds})`,
    );
  }
  const selected = selectRuns(where, checked, resolved.method);
  const inner = { ...resolved, resamples: 0 };
  const core = crossValidateCore(
    where,
    checked,
    selected.indices,
    resolved,
    folds,
    resolved.seed,
    (training) =>
      fitSelectedModel(where, checked, {
        indices: training,
        excluded: selected.excluded,
        otherMethods: 0,
      }, inner),
    fitOptions.onProgress,
  );
  return { folds, seed: resolved.seed, ...core, excluded: selected.excluded, options: resolved };
}
