/**
 * Shapes of fit results, shared by the fits, predictions and figures.
 *
 * @module
 */

import type { KvmPostcopyOptions } from "../models/kvm_postcopy.ts";
import type { KvmPrecopyOptions } from "../models/kvm_precopy.ts";
import type { XenPrecopyOptions } from "../models/xen_precopy.ts";

/** Error metrics over a set of runs (measured - estimated). */
export interface ErrorMetrics {
  /** Number of runs. */
  count: number;
  /** Root mean square error, seconds. */
  rmseSeconds: number;
  /** Mean absolute error, seconds. */
  maeSeconds: number;
  /** Mean absolute percentage error, percent. */
  mapePercent: number;
  /** Largest absolute error, seconds. */
  maxErrorSeconds: number;
  /** Coefficient of determination. */
  rSquared: number;
  /** Mean of measured - estimated, seconds. */
  biasSeconds: number;
}

/** A fitted quantity with its 95 % interval. */
export interface Estimate {
  /** The point estimate. */
  value: number;
  /** Lower end of the 95 % interval (NaN when no interval was computed). */
  low: number;
  /** Upper end of the 95 % interval (NaN when no interval was computed). */
  high: number;
}

/** How the intervals of a fit were computed. */
export type IntervalInfo =
  | {
    /** Percentile bootstrap over runs, resampled within each group. */
    method: "bootstrap";
    /** Number of bootstrap resamples. */
    resamples: number;
    /** Seed of the resampling generator. */
    seed: number;
    /** Coverage of the interval: 0.95. */
    level: number;
  }
  | {
    /** No interval was computed (`resamples: 0`); `low` and `high` are NaN. */
    method: "none";
  };

/** The optional extra term a fit may try. */
export type ExtraTermName = "postcopy-workload";

/**
 * The optional extra term: for `"postcopy-workload"` the bandwidth of a
 * KVM post-copy run is multiplied by 1 + value × W/M (the paper's
 * observation that post-copy sends faster, 300 -> 400 Mbps, as the working
 * set grows). `value`, `low` and `high` are the fitted coefficient
 * (dimensionless, > -1) and its 95 % interval (NaN when no interval was
 * computed or the term was dropped).
 */
export interface ExtraTermReport extends Estimate {
  /** Which term was tried. */
  name: ExtraTermName;
  /** Whether the fit keeps it: only when it lowers the cross-validated error. */
  kept: boolean;
  /** Cross-validated error with the term (RMS log ratio for `objective: "log"`, RMSE seconds for `"seconds"`). */
  cvErrorWith: number;
  /** Cross-validated error without the term, same measure. */
  cvErrorWithout: number;
}

/** One run's residual: measured - estimated. */
export interface RunResidual {
  /** Index of the run in the array given to the fit. */
  index: number;
  /** The run's method. */
  method: string;
  /** The run's group (its `contention` label, or `"all"` when not grouped). */
  group: string;
  /** Measured migration time, seconds. */
  measuredSeconds: number;
  /** Estimated migration time, seconds. */
  estimatedSeconds: number;
  /** measured - estimated, seconds. */
  residualSeconds: number;
  /** (measured - estimated) / measured × 100, percent. */
  residualPercent: number;
}

/** Runs a fit left out, with why. */
export interface ExcludedRuns {
  /** Number of runs left out. */
  count: number;
  /** Count per reason, e.g. `{ 'status "failed"': 3 }`. */
  byReason: Record<string, number>;
  /** Each run left out: its index in the input array and the reason. */
  runs: { index: number; reason: string }[];
}

/** Options of the three models, as the fits and predictions pass them on. */
export interface FitModelOptions {
  /**
   * Options for `xenPrecopy` (method `xen-precopy`); its three constants are
   * also `qemuXenRules`' (method `xen-precopy-policy`).
   */
  xenPrecopy?: XenPrecopyOptions;
  /** Options for `kvmPrecopy`; a run's `downtimeLimitSeconds` overrides the limit. */
  kvmPrecopy?: KvmPrecopyOptions;
  /** Options for `kvmPostcopy`; a run's `postcopySwitch` overrides the passes. */
  kvmPostcopy?: KvmPostcopyOptions;
}

/**
 * What {@linkcode predictRuns} needs from a fit: the bandwidth (or link
 * efficiency), the factor per group and the extra term. A fit result has all
 * of these; a user can also write one by hand.
 */
export interface FittedModel {
  /** `"absolute"`: B in bytes/s; `"efficiency"`: B = efficiency × the run's link bandwidth. */
  scale: "absolute" | "efficiency";
  /** Which run field picks the factor: `"contention"`, or null for one group. */
  groupBy: "contention" | null;
  /** Baseline B, bytes/s (absolute scale, one B for all methods). */
  bandwidthBytesPerSecond: number | null;
  /** Baseline B per method, bytes/s, when one B per method was fitted. */
  bandwidthByMethod: Record<string, Estimate> | null;
  /** Baseline usable fraction of the link (efficiency scale). */
  efficiency: Estimate | null;
  /** Efficiency per method, when one per method was fitted on the efficiency scale. */
  efficiencyByMethod: Record<string, Estimate> | null;
  /** Factor per group with its interval: B_group = B × value (value 1, low 1, high 1 for the baseline). */
  factors: Record<string, Estimate>;
  /** The extra term, applied only when `kept`. */
  extraTerm: ExtraTermReport | null;
  /** The model options used. */
  modelOptions: FitModelOptions;
}

/** Fully resolved options of a fit, as the result reports them. */
export interface ResolvedFitOptions {
  /** The methods fitted, or null for every method in the data. */
  method: string[] | null;
  /** `"contention"`, or null for one group (`fitBandwidth`). */
  groupBy: "contention" | null;
  /** The group whose factor is 1. */
  baseline: string;
  /** `"log"`: least squares on log time; `"seconds"`: on seconds. */
  objective: "log" | "seconds";
  /** The scale asked for (`"auto"` picks efficiency when every run carries a link bandwidth). */
  scale: "auto" | "absolute" | "efficiency";
  /** One B for all methods, or one per method. */
  bandwidthPer: "all" | "method";
  /** The extra term tried, or null. */
  extraTerm: ExtraTermName | null;
  /** Folds of the cross-validation that decides on the extra term. */
  extraTermFolds: number;
  /** Bootstrap resamples (0: no intervals). */
  resamples: number;
  /** Seed of the bootstrap and the cross-validation folds. */
  seed: number;
  /** Most coordinate-search cycles. */
  maxIterations: number;
  /** Convergence tolerance on log B. */
  tolerance: number;
  /** Model options, defaults filled in. */
  modelOptions: FitModelOptions;
}

/** The result of `fitBandwidth` and `fitContention`. */
export interface FitResult extends FittedModel {
  /** Baseline B with its interval, bytes/s (null with one B per method, or efficiency over several links). */
  bandwidth: Estimate | null;
  /** The distinct link bandwidths seen on the efficiency scale, bytes/s (empty on the absolute scale). */
  linkBandwidthsBytesPerSecond: number[];
  /** How the intervals were computed. */
  interval: IntervalInfo;
  /** Whether every 1-D search converged inside its range and the coordinate search settled. */
  converged: boolean;
  /** Coordinate-search cycles used for the point estimate. */
  iterations: number;
  /** The objective at the estimate (sum of squared log ratios, or of squared seconds). */
  objectiveValue: number;
  /** Per completed run used: measured, estimated, residual. */
  residuals: RunResidual[];
  /** Metrics over all runs used. */
  metrics: ErrorMetrics;
  /** Metrics per group. */
  metricsByGroup: Record<string, ErrorMetrics>;
  /** Runs of the selected methods left out (not completed), with reasons. */
  excluded: ExcludedRuns;
  /** Number of completed runs used. */
  runsUsed: number;
  /** Runs skipped because their method was not selected. */
  runsOfOtherMethods: number;
  /** The options, resolved. */
  options: ResolvedFitOptions;
}

/** One run's out-of-sample estimate. */
export interface CrossValidatedRun extends RunResidual {
  /** The fold (0-based) the run was held out in. */
  fold: number;
}

/** The result of `crossValidate`. */
export interface CrossValidationResult {
  /** Number of folds. */
  folds: number;
  /** Seed of the fold assignment. */
  seed: number;
  /** Out-of-sample estimate of every completed run used. */
  predictions: CrossValidatedRun[];
  /** Out-of-sample metrics over all runs. */
  metrics: ErrorMetrics;
  /** Out-of-sample metrics per group. */
  metricsByGroup: Record<string, ErrorMetrics>;
  /** Out-of-sample metrics per fold. */
  metricsByFold: ErrorMetrics[];
  /** Root mean square of ln(measured / estimated), out of sample. */
  rmsLogError: number;
  /** Runs left out (not completed), with reasons. */
  excluded: ExcludedRuns;
  /** The fit options, resolved. */
  options: ResolvedFitOptions;
}
