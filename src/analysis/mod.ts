/**
 * The analysis layer: the reproduction pipeline as a pure function (runs in;
 * fits, cross-validation, model curves, switch points and report data out),
 * the Markdown report, the decision map, Figure 3's downtime-limit curves,
 * the measured downtime-limit sweep, and {@linkcode reproduceProject}, its
 * I/O edge (`deno task reproduce`).
 *
 * It computes with the models, the data and the fits and hands the results
 * to the figure specs of the plot layer; nothing below imports it.
 *
 * @example Where pre-copy stops converging
 * ```ts
 * import { decisionMap } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { cells } = decisionMap({ wssBytes: [0, 2 ** 30], dirtyPagesPerSecond: [256, 2e5] });
 * const heavy = cells.find((c) => c.wssBytes === 2 ** 30 && c.dirtyPagesPerSecond === 2e5);
 * assert.equal(heavy?.decision, "pre-copy does not converge");
 * ```
 *
 * @module
 */

export {
  analyzeReproduction,
  type AnalyzeReproductionOptions,
  type EstimatedVsMeasuredInput,
  type ReproductionAnalysis,
  type ReproductionFits,
  type RunCount,
  type SwitchRuleReport,
} from "./analyze_reproduction.ts";
export {
  type ReproductionFigureFiles,
  reproductionReport,
  type ReproductionReportInput,
} from "./reproduction_report.ts";
export {
  DEFAULT_FIGURE_FILES,
  reproduceFigures,
  type ReproduceFiguresOptions,
  type ReproduceFiguresResult,
} from "./reproduce_figures.ts";
export { NothingToFitError, type NothingToFitErrorOptions } from "./nothing_to_fit_error.ts";
export {
  reproduceProject,
  type ReproduceProjectOptions,
  type ReproduceProjectResult,
} from "./reproduce_project.ts";
export { downtimeLimitCurves, type DowntimeLimitCurvesOptions } from "./downtime_limit_curves.ts";
export { decisionMap, type DecisionMapOptions } from "./decision_map.ts";
export {
  compareSweepWithModel,
  type DowntimeLimitSweep,
  downtimeLimitSweep,
  isDowntimeLimitSweep,
  type SweepSwitchComparison,
} from "./downtime_limit_sweep.ts";
export {
  type FirstWindowRange,
  firstWindowRange,
  type FirstWindowRangeOptions,
  type FirstWindowRun,
} from "./first_window_range.ts";
export {
  type PauseComparison,
  type SwitchBracket,
  type SwitchRuleValidation,
  switchRuleValidation,
  type SwitchRuleValidationOptions,
} from "./switch_rule_validation.ts";
export {
  type GridSwitchRule,
  gridSwitchRules,
  type GridSwitchRulesOptions,
} from "./grid_switch_rules.ts";
export {
  type XenRuleAccounting,
  xenRuleAccounting,
  type XenRuleAccountingName,
  type XenRuleAccountingOptions,
  type XenRuleGroupErrors,
} from "./xen_rule_accounting.ts";
export {
  type DecisionLimits,
  decisionLimits,
  type DecisionLimitsOptions,
  type LimitsCell,
  type MethodVerdict,
  spareOf,
} from "./decision_limits.ts";
export { measuredLimits } from "./measured_limits.ts";
export {
  type MeasuredCost,
  measuredCost,
  WORKLOAD_QUANTITIES,
  workloadCosts,
  type WorkloadCostsOptions,
  type WorkloadQuantity,
} from "./workload_costs.ts";
export { fittedColocated, modelDowntimes, modelTimes, nominalRuns } from "./workload_models.ts";
export {
  type CostFigures,
  costFigures,
  type CostFiguresOptions,
  FIG1_WORKLOAD,
  fig1Runs,
  type ProgressMedian,
} from "./cost_figures.ts";
export { type CpuUse, cpuUse, type CpuUseOptions } from "./cpu_use.ts";
export {
  type ColocatedErrors,
  type FitErrors,
  type GuestNoiseErrors,
  MEASURED_RULE,
  type NoiseErrors,
  noiseErrors,
} from "./noise_errors.ts";
