// Option resolution and the extra-term decision shared by fitBandwidth,
// fitContention and crossValidate.
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { crossValidateCore } from "./_cv_core.ts";
import { resolveModelOptions } from "./_evaluate.ts";
import { fitCore, fitModel } from "./_fit_core.ts";
import { checkRuns, resolveMethodOption, selectRuns } from "./_runs.ts";
import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED } from "./defaults.ts";
import type {
  ExtraTermName,
  FitModelOptions,
  FitResult,
  FittedModel,
  ResolvedFitOptions,
} from "./types.ts";

/** What a long fit reports as it goes (see `onProgress`). */
export interface FitProgress {
  /** The stage: the bootstrap's resamples or the cross-validation's folds. */
  stage: "bootstrap" | "cross-validation";
  /** Resamples or folds done. */
  done: number;
  /** Resamples or folds in all. */
  total: number;
}

/** Options for {@linkcode fitBandwidth}. */
export interface FitBandwidthOptions {
  /**
   * The method(s) to fit; runs of other methods are skipped (and counted).
   *
   * @default {every method in the data}
   */
  method?: string | string[];
  /**
   * `"log"`: least squares on ln(measured / estimated), i.e. on relative
   * error; `"seconds"`: least squares on measured - estimated, in seconds.
   *
   * @default {"log"}
   */
  objective?: "log" | "seconds";
  /**
   * `"absolute"`: fit B in bytes/s. `"efficiency"`: fit the usable fraction
   * of each run's `linkBandwidthBytesPerSecond`. `"auto"`: efficiency when
   * every completed run carries a link bandwidth, else absolute.
   *
   * @default {"auto"}
   */
  scale?: "auto" | "absolute" | "efficiency";
  /**
   * `"all"`: one B for all methods; `"method"`: one B per method (with
   * contention factors shared by the methods).
   *
   * @default {"all"}
   */
  bandwidthPer?: "all" | "method";
  /**
   * An extra term to try: `"postcopy-workload"` multiplies a KVM post-copy
   * run's bandwidth by 1 + c·W/M. The fit keeps it only if it lowers the
   * cross-validated error; `extraTerm` in the result says which.
   *
   * @default {null}
   */
  extraTerm?: ExtraTermName | null;
  /**
   * Folds of the cross-validation that decides on the extra term.
   *
   * @default {5} (`DEFAULT_FOLDS`)
   */
  extraTermFolds?: number;
  /**
   * Bootstrap resamples for the 95 % intervals; 0 skips them (`low` and `high` are NaN).
   *
   * @default {200} (`DEFAULT_RESAMPLES`)
   */
  resamples?: number;
  /**
   * Seed of the bootstrap and of the cross-validation folds.
   *
   * @default {1} (`DEFAULT_SEED`)
   */
  seed?: number;
  /**
   * Most coordinate-search cycles when parameters are coupled.
   *
   * @default {50}
   */
  maxIterations?: number;
  /**
   * Width, in ln(B), at which the 1-D search stops: the bracket around the
   * best point is narrower than this, so B is found to about this relative
   * precision (1e-7: 0.1 ppm, far below what any measurement resolves, and
   * the precision at which scipy's `least_squares` stops by default, xtol
   * 1e-8 relative to ln B ≈ 18). A bootstrap refit of a QEMU model's group on the lattice stops
   * at 1e-5 at the finest (a fiftieth of a percentile bound's Monte Carlo error).
   *
   * @default {1e-7}
   */
  tolerance?: number;
  /**
   * Options of the three models.
   *
   * @default {{}}
   */
  modelOptions?: FitModelOptions;
  /**
   * Called after each bootstrap resample (and, in `crossValidate`, after
   * each fold), e.g. to print progress; not part of the resolved options.
   *
   * @default {undefined}
   */
  onProgress?: (progress: FitProgress) => void;
}

/** Options for {@linkcode fitContention}. */
export interface FitContentionOptions extends FitBandwidthOptions {
  /**
   * The run field that names the groups.
   *
   * @default {"contention"}
   */
  groupBy?: "contention";
  /**
   * The group whose factor is 1.
   *
   * @default {"none"}
   */
  baseline?: string;
}

/**
 * Checks fit options once and fills in the defaults.
 *
 * @param where The public function's name.
 * @param options The options.
 * @param grouped Whether the fit has groups (fitContention) or not (fitBandwidth).
 */
export function resolveFitOptions(
  where: string,
  options: FitContentionOptions,
  grouped: boolean,
): ResolvedFitOptions {
  const record = checkObject(where, "options", options) as FitContentionOptions;
  const {
    method,
    objective = "log",
    scale = "auto",
    bandwidthPer = "all",
    extraTerm = null,
    extraTermFolds = DEFAULT_FOLDS,
    resamples = DEFAULT_RESAMPLES,
    seed = DEFAULT_SEED,
    maxIterations = 50,
    tolerance = 1e-7,
    modelOptions = {},
    groupBy = "contention",
    baseline = "none",
    onProgress,
  } = record;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new TypeError(
      `${where}: invalid option "onProgress", expected a function (got ${showValue(onProgress)})`,
    );
  }
  const oneOf = (name: string, value: unknown, allowed: readonly unknown[]) => {
    if (!allowed.includes(value)) {
      throw new TypeError(
        `${where}: invalid option "${name}", expected ${
          allowed.map((a) => a === null ? "null" : `"${a}"`).join(" or ")
        } (got ${showValue(value)})`,
      );
    }
  };
  const methods = resolveMethodOption(where, method);
  oneOf("objective", objective, ["log", "seconds"]);
  oneOf("scale", scale, ["auto", "absolute", "efficiency"]);
  oneOf("bandwidthPer", bandwidthPer, ["all", "method"]);
  oneOf("extraTerm", extraTerm, [null, "postcopy-workload"]);
  if (grouped) oneOf("groupBy", groupBy, ["contention"]);
  if (typeof baseline !== "string") {
    throw new TypeError(
      `${where}: invalid option "baseline", expected a group name (got ${showValue(baseline)})`,
    );
  }
  checkNumber(where, "option", "extraTermFolds", extraTermFolds, "integer>=1");
  if (extraTermFolds < 2) {
    throw new RangeError(
      `${where}: invalid option "extraTermFolds", expected an integer >= 2 (got ${extraTermFolds})`,
    );
  }
  checkNumber(where, "option", "resamples", resamples, "integer>=0");
  checkNumber(where, "option", "seed", seed, "integer>=0");
  checkNumber(where, "option", "maxIterations", maxIterations, "integer>=1");
  checkNumber(where, "option", "tolerance", tolerance, "positive");
  return {
    method: methods,
    groupBy: grouped ? "contention" : null,
    baseline: grouped ? baseline : "all",
    objective,
    scale,
    bandwidthPer,
    extraTerm,
    extraTermFolds,
    resamples,
    seed,
    maxIterations,
    tolerance,
    modelOptions: resolveModelOptions(where, modelOptions),
  };
}

/**
 * Fits on the completed runs of `indices`: with the extra term only when it
 * lowers the cross-validated error.
 *
 * @param where The public function's name.
 * @param runs All runs (checked).
 * @param selected The selection from {@linkcode selectRuns}.
 * @param options Resolved options.
 */
export function fitSelected(
  where: string,
  runs: readonly MigrationRun[],
  selected: ReturnType<typeof selectRuns>,
  options: ResolvedFitOptions,
  onProgress?: (progress: FitProgress) => void,
): FitResult {
  const { indices, excluded, otherMethods } = selected;
  if (options.extraTerm === null) {
    return {
      ...fitCore(where, runs, indices, options, excluded, otherMethods, onProgress),
      options,
    };
  }
  const termRuns =
    indices.filter((i) => runs[i]!.method === "kvm-postcopy" && runs[i]!.wssBytes > 0).length;
  if (termRuns < 2) {
    throw new RangeError(
      `${where}: cannot fit extra term "${options.extraTerm}", expected at least 2 completed "kvm-postcopy" runs with wssBytes > 0 (got ${termRuns})`,
    );
  }
  const without = { ...options, extraTerm: null };
  const folds = options.extraTermFolds;
  // Out-of-sample error of the point fits with the given options (no bootstrap per fold).
  const crossValidated = (fitOptions: ResolvedFitOptions) =>
    crossValidateCore(
      where,
      runs,
      indices,
      options,
      folds,
      options.seed,
      (training: number[]) => fitModel(where, runs, training, fitOptions),
    );
  const cvWithout = crossValidated(without);
  const cvWith = crossValidated(options);
  const measure = (cv: typeof cvWith) =>
    options.objective === "log" ? cv.rmsLogError : cv.metrics.rmseSeconds;
  const errorWith = measure(cvWith);
  const errorWithout = measure(cvWithout);
  const kept = errorWith < errorWithout;
  const withTerm = fitCore(
    where,
    runs,
    indices,
    kept ? options : { ...options, resamples: 0 },
    excluded,
    otherMethods,
    onProgress,
  );
  const report = {
    name: options.extraTerm,
    value: withTerm.extraTerm!.value,
    low: withTerm.extraTerm!.low,
    high: withTerm.extraTerm!.high,
    kept,
    cvErrorWith: errorWith,
    cvErrorWithout: errorWithout,
  };
  if (kept) return { ...withTerm, extraTerm: report, options };
  const plain = fitCore(where, runs, indices, without, excluded, otherMethods, onProgress);
  return { ...plain, extraTerm: report, options };
}

/**
 * The fitted model alone (as {@linkcode fitSelected} with `resamples: 0`
 * would give it, without residuals and metrics): what a cross-validation
 * fold predicts with.
 *
 * @param where The public function's name.
 * @param runs All runs (checked).
 * @param selected The training runs.
 * @param options Resolved options.
 */
export function fitSelectedModel(
  where: string,
  runs: readonly MigrationRun[],
  selected: ReturnType<typeof selectRuns>,
  options: ResolvedFitOptions,
): FittedModel {
  if (options.extraTerm !== null) {
    return fitSelected(where, runs, selected, { ...options, resamples: 0 });
  }
  return fitModel(where, runs, selected.indices, options);
}

/**
 * Checks runs and options, selects the runs and fits.
 *
 * @param where The public function's name.
 * @param runs The runs.
 * @param options The public options.
 * @param grouped Whether to fit a factor per group.
 */
export function runFit(
  where: string,
  runs: readonly MigrationRun[],
  options: FitContentionOptions,
  grouped: boolean,
): FitResult {
  const checked = checkRuns(where, runs);
  const resolved = resolveFitOptions(where, options, grouped);
  const selected = selectRuns(where, checked, resolved.method);
  return fitSelected(where, checked, selected, resolved, options.onProgress);
}
