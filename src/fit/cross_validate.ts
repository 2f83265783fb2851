/**
 * Out-of-sample error of a bandwidth fit by k-fold cross-validation.
 *
 * @module
 */

import { checkNumber, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { measuredRuns } from "./_cost_runs.ts";
import { crossValidateCore } from "./_cv_core.ts";
import { sharedFoldFit } from "./_fold_fit_cache.ts";
import { downtimeModel } from "./_downtime_fit.ts";
import { type FitContentionOptions, fitSelectedModel, resolveFitOptions } from "./_fit_public.ts";
import {
  DEFAULT_MAX_FAULT_SECONDS,
  DEFAULT_MAX_TRACKING_SECONDS,
  noiseModel,
} from "./_noise_fit.ts";
import {
  PROGRESS_SOURCES,
  type ProgressSource,
  RUN_QUANTITIES,
  type RunQuantity,
} from "./_quantity.ts";
import { blocktimeModel } from "./_blocktime_fit.ts";
import { colocatedModel } from "./_colocated_fit.ts";
import { checkRuns, selectRuns } from "./_runs.ts";
import { DEFAULT_FOLDS } from "./defaults.ts";
import type { CrossValidationResult, FittedModel } from "./types.ts";

/** The result of {@linkcode crossValidate}: the quantity it was run on, and its errors. */
export interface QuantityCrossValidation extends CrossValidationResult {
  /**
   * What was measured and predicted; the predictions' and metrics' fields
   * keep the time's names (`measuredSeconds`, `maeSeconds`) but hold the
   * quantity's unit (bytes for `"transferredBytes"`, a ratio for `"guestProgressRatio"`).
   */
  quantity: RunQuantity;
}

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
  /**
   * What to cross-validate: the migration time, the pause (a bandwidth fit
   * and `fitDowntime`'s switchover costs per training set, median objective),
   * the bytes, or the guest's progress ratio (a bandwidth fit and `fitNoise`'s
   * parameters per training set). For the last three the runs are the
   * completed ones that measured the quantity, and the bandwidth is fitted on
   * those.
   *
   * `"colocatedProgressRatio"` fits `fitColocated`'s κ and C per training
   * set, `"postcopyBlocktimeSeconds"` `fitBlocktime`'s parameters (give
   * `method` the post-copy method); for these two the bandwidth is fitted on
   * the training fold and the completed runs that lack the quantity (they
   * are never tested).
   *
   * @default {"migrationTimeSeconds"}
   */
  quantity?: RunQuantity;
  /**
   * For `"guestProgressRatio"`: which ratios (as `fitNoise`'s option).
   *
   * @default {"auto"}
   */
  progressSource?: ProgressSource;
}

/**
 * Estimates how the fit would do on new runs: the completed runs are
 * shuffled (seeded) within each group and dealt into `folds` folds; each
 * fold is predicted by a fit on the others (no bootstrap inside, the extra
 * term decided inside each training set), and the out-of-sample errors are
 * summarised overall, per group and per fold. With `quantity` the same is
 * done for the pause, the bytes or the guest's progress (see
 * {@linkcode CrossValidateOptions.quantity}).
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
 * assert.equal(cv.quantity, "migrationTimeSeconds");
 * ```
 *
 * @example The pause, cross-validated
 * ```ts
 * import { crossValidate } from "./cross_validate.ts";
 * import { synthesizeRuns } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ // synthetic, not measured
 *   seed: 2, methods: ["kvm-postcopy"], repeats: 2, factors: { none: 1, cpu: 0.9 }, noise: 0.05,
 * });
 * const cv = crossValidate(runs, { folds: 3, seed: 4, quantity: "downtimeSeconds" });
 * assert.equal(cv.quantity, "downtimeSeconds");
 * // The synthetic pause is kvmPostcopy's 47 ms with 5 % noise: each fold's median is close.
 * assert.ok(cv.predictions.every((p) => Math.abs(p.estimatedSeconds - 0.047) < 0.005));
 * ```
 */
export function crossValidate(
  runs: readonly MigrationRun[],
  options: CrossValidateOptions = {},
): QuantityCrossValidation {
  const where = "crossValidate";
  const given = checkRuns(where, runs);
  const {
    folds = DEFAULT_FOLDS,
    groupBy = "contention",
    quantity = "migrationTimeSeconds",
    progressSource = "auto",
    ...fitOptions
  } = options ?? {};
  if (!PROGRESS_SOURCES.includes(progressSource)) {
    throw new TypeError(
      `${where}: invalid option "progressSource", expected ${
        PROGRESS_SOURCES.map((s) => `"${s}"`).join(", ")
      } (got ${showValue(progressSource)})`,
    );
  }
  if (!RUN_QUANTITIES.includes(quantity)) {
    throw new TypeError(
      `${where}: invalid option "quantity", expected ${
        RUN_QUANTITIES.map((q) => `"${q}"`).join(" or ")
      } (got ${showValue(quantity)})`,
    );
  }
  const resolved = groupBy === null
    ? resolveFitOptions(where, fitOptions, false)
    : resolveFitOptions(where, { ...fitOptions, groupBy }, true);
  checkNumber(where, "option", "folds", folds, "integer>=1");
  if (folds < 2) {
    throw new RangeError(
      `${where}: invalid option "folds", expected an integer >= 2 (got ${folds})`,
    );
  }
  const inner = { ...resolved, resamples: 0 };
  const cost = quantity === "migrationTimeSeconds"
    ? null
    : measuredRuns(where, given, resolved.method, quantity, 2, progressSource);
  // The proxy's runs come back without their measured ratio.
  const checked = cost === null ? given : cost.runs;
  const selected = selectRuns(where, checked, resolved.method);
  const indices = cost === null ? selected.indices : cost.indices;
  const excluded = cost === null ? selected.excluded : cost.excluded;
  const measuredAt = new Map(
    cost === null ? [] : cost.indices.map((i, p) => [i, cost.measured[p]!]),
  );
  const fitBandwidth = sharedFoldFit(
    checked,
    inner,
    (training) =>
      fitSelectedModel(where, checked, { indices: training, excluded, otherMethods: 0 }, inner),
  );
  // The co-located ratio and the blocktime are measured on some of the
  // method's runs only (not under "none"; post-copy): B is fitted on the
  // training fold and the completed runs that never enter a test fold.
  const neverTested = quantity === "colocatedProgressRatio" ||
      quantity === "postcopyBlocktimeSeconds"
    ? selected.indices.filter((i) => !measuredAt.has(i))
    : [];
  const fitFold = (training: number[]): FittedModel => {
    const model = fitBandwidth([...training, ...neverTested].sort((a, b) => a - b));
    const measured = training.map((i) => measuredAt.get(i)!);
    if (quantity === "downtimeSeconds") {
      return downtimeModel(checked, training, measured, model, "absolute", 0, resolved.seed);
    }
    if (quantity === "guestProgressRatio") {
      return noiseModel(
        where,
        checked,
        training,
        measured,
        model,
        0,
        resolved.seed,
        DEFAULT_MAX_TRACKING_SECONDS,
        DEFAULT_MAX_FAULT_SECONDS,
      )
        .model;
    }
    if (quantity === "colocatedProgressRatio") {
      return colocatedModel(checked, training, measured, model, 0, resolved.seed);
    }
    if (quantity === "postcopyBlocktimeSeconds") {
      return blocktimeModel(
        where,
        checked,
        training,
        measured,
        model,
        0,
        resolved.seed,
        DEFAULT_MAX_FAULT_SECONDS,
      ).model;
    }
    return model;
  };
  const core = crossValidateCore(
    where,
    checked,
    indices,
    resolved,
    folds,
    resolved.seed,
    fitFold,
    quantity,
    fitOptions.onProgress,
  );
  return { folds, seed: resolved.seed, quantity, ...core, excluded, options: resolved };
}
