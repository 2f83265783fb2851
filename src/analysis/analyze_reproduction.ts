/**
 * The reproduction's analysis as a pure function: runs in; fits,
 * cross-validation, predictions, Figure 3's model curves and switch points,
 * the measured sweep against the model, and the report's data out.
 *
 * @module
 */

import type { MigrationRun } from "../data/types.ts";
import type { CrossValidationResult, FitResult } from "../fit/types.ts";
import type { FigureEstimatedVsMeasuredOptions } from "../plot/figure_estimated_vs_measured_spec.ts";
import type {
  DowntimeLimitCurves,
  FigureDowntimeLimitOptions,
} from "../plot/figure_downtime_limit_spec.ts";
import type { DataSource } from "../plot/types.ts";
import { analyze } from "./_analyze.ts";
import type { DowntimeLimitSweep, SweepSwitchComparison } from "./downtime_limit_sweep.ts";
import type { GridSwitchRule } from "./grid_switch_rules.ts";
import type { SwitchRuleValidation } from "./switch_rule_validation.ts";
import type { XenRuleAccounting } from "./xen_rule_accounting.ts";

/** Options for {@linkcode analyzeReproduction}. */
export interface AnalyzeReproductionOptions {
  /** Where the runs came from; synthetic data are marked so everywhere. */
  source: DataSource;
  /**
   * Provenance lines for the report (hypervisor, host, link, date, who measured, licence...).
   *
   * @default {{}}
   */
  provenance?: Readonly<Record<string, string>>;
  /**
   * Bootstrap resamples per fit (the 95 % intervals).
   *
   * @default {DEFAULT_RESAMPLES (200)}
   */
  resamples?: number;
  /**
   * Folds of the cross-validation.
   *
   * @default {DEFAULT_FOLDS (5)}
   */
  folds?: number;
  /**
   * Seed of the bootstrap and the folds.
   *
   * @default {DEFAULT_SEED (1)}
   */
  seed?: number;
  /**
   * A measured downtime limit sweep (`kvm-precopy` runs at several limits) to
   * draw over Figure 3's model, predicted at the fitted KVM pre-copy B; it is
   * not part of the fits.
   *
   * @default {undefined (Figure 3 is model-only)}
   */
  downtimeSweep?: { runs: readonly MigrationRun[]; source: DataSource };
}

/** The report's switch-rule section: the sweep's validation and, if the grid could be fitted, the rules on it. */
export interface SwitchRuleReport {
  /** The sweep's brackets, pauses and calls (`switchRuleValidation`). */
  sweep: SwitchRuleValidation;
  /** Where the sweep came from. */
  sweepSource: DataSource;
  /** The B the sweep was validated at (the fitted KVM pre-copy B), bytes/s; absent: each run's throughput. */
  bandwidthBytesPerSecond?: number;
  /** Both rules on the fitted dataset (`gridSwitchRules`), empty when it could not be done. */
  grid: GridSwitchRule[];
  /** Why the grid part is missing, if it is. */
  gridFailed?: string;
}

/** The runs of one method, contention and status. */
export interface RunCount {
  /** The method label. */
  method: string;
  /** The contention label. */
  contention: string;
  /** The run status ("completed", "non-convergent", ...). */
  status: string;
  /** How many runs. */
  runs: number;
}

/** What Figure 5 or 6 draws: the runs, their estimates and the caption's fits. */
export interface EstimatedVsMeasuredInput {
  /** The runs of the figure's fitted methods (completed ones with an estimate, and the others). */
  runs: MigrationRun[];
  /** One estimate per run, seconds (NaN for runs that did not complete). */
  estimatesSeconds: number[];
  /** Title, source, fitted parameters and the interval note, for `figureEstimatedVsMeasuredSpec`. */
  options: FigureEstimatedVsMeasuredOptions;
}

/** The fits' part of {@linkcode ReproductionAnalysis}: fits, cross-validation, estimates, what was left out. */
export type ReproductionFits = Pick<
  ReproductionAnalysis,
  | "fits"
  | "crossValidation"
  | "notFitted"
  | "leftOut"
  | "crossValidationFailed"
  | "estimatesSeconds"
>;

/** The result of {@linkcode analyzeReproduction}. */
export interface ReproductionAnalysis {
  /** One `fitContention` result per method that could be fitted. */
  fits: Record<string, FitResult>;
  /** One cross-validation per fitted method. */
  crossValidation: Record<string, CrossValidationResult>;
  /** Methods that could not be fitted, with the fit's error message. */
  notFitted: Record<string, string>;
  /** Method / contention groups left out of a fit, with why (too few completed runs). */
  leftOut: string[];
  /** Methods fitted whose cross-validation failed, with the message. */
  crossValidationFailed: Record<string, string>;
  /** The estimate of every run, seconds (NaN where its method was not fitted or it did not complete). */
  estimatesSeconds: number[];
  /** Where the runs came from. */
  source: DataSource;
  /** The provenance lines of the report. */
  provenance: Readonly<Record<string, string>>;
  /** The resolved resamples, folds and seed. */
  settings: { resamples: number; folds: number; seed: number };
  /** Runs per method, contention and status, methods and contentions in the paper's order. */
  runCounts: RunCount[];
  /** Figure 5's data (pre-copy methods), or null without pre-copy fits. */
  fig5: EstimatedVsMeasuredInput | null;
  /** Figure 6's data (KVM post-copy), or null without a post-copy fit. */
  fig6: EstimatedVsMeasuredInput | null;
  /** Figure 3's model curves at the fitted (or nominal) B, and the sweep's runs to draw over them. */
  fig3: { curves: DowntimeLimitCurves; options: FigureDowntimeLimitOptions };
  /** The measured sweep, arranged by workload, with its source (undefined without one). */
  sweep?: DowntimeLimitSweep & { source: DataSource };
  /** The measured sweep against the model, per workload (empty without a sweep). */
  sweepComparison: SweepSwitchComparison[];
  /**
   * With a sweep: QEMU's switch rule validated on it (`switchRuleValidation`)
   * and both switch rules on the fitted runs (`gridSwitchRules`).
   */
  switchRule?: SwitchRuleReport;
  /**
   * With fitted `xen-precopy-policy` runs: the paper's accounting against
   * QEMU's (`xenRuleAccounting`).
   */
  xenRule?: XenRuleAccounting[];
  /** Why the Xen-rule comparison failed, when it did. */
  xenRuleFailed?: string;
}

/**
 * Runs the paper's comparison on a dataset and returns the data, not the
 * figures: for each method, fits the baseline bandwidth B and a factor per
 * contention group (`fitContention`, bootstrap intervals), predicts every
 * run (`predictRuns`), estimates the out-of-sample error
 * (`crossValidate`); arranges Figures 5 and 6's runs and estimates; runs
 * the KVM pre-copy model over the downtime limits at the fitted KVM
 * pre-copy B (`downtimeLimitCurves`, Figure 3); and compares a measured
 * sweep with that model (`compareSweepWithModel`). `reproduceFigures` turns
 * the result into figures and the report.
 *
 * A method whose fit throws (e.g. no baseline group) is listed in
 * `notFitted`, never dropped silently; a contention group with one completed
 * run is left out of its fit and listed in `leftOut`. Pure: no I/O, no
 * clock; the same runs and seed give the same result.
 *
 * Cost: (1 + resamples + folds) fits per method.
 *
 * @param runs The runs, as `loadRuns` or `synthesizeRuns` give them.
 * @param options The data source, provenance, resamples, folds, seed, a measured sweep.
 * @returns Fits, estimates, the figures' data and the comparison with the sweep.
 * @throws {TypeError} If runs or options have the wrong type.
 * @throws {RangeError} If no method could be fitted, or an option is out of range.
 *
 * @example Synthetic post-copy runs
 * ```ts
 * import { analyzeReproduction } from "./analyze_reproduction.ts";
 * import { synthesizeRuns } from "../fit/synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 3, methods: ["kvm-postcopy"], repeats: 2 }); // synthetic
 * const analysis = analyzeReproduction(runs, {
 *   source: { description: "synthesizeRuns seed 3", synthetic: true },
 *   resamples: 10,
 *   folds: 3,
 * });
 * assert.deepEqual(Object.keys(analysis.fits), ["kvm-postcopy"]);
 * assert.equal(analysis.fig5, null);
 * assert.equal(analysis.fig6!.runs.length, runs.length);
 * ```
 */
export function analyzeReproduction(
  runs: readonly MigrationRun[],
  options: AnalyzeReproductionOptions,
): ReproductionAnalysis {
  return analyze("analyzeReproduction", runs, options);
}
