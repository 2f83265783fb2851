/**
 * # migration-model
 *
 * Model, measure and predict live migration of virtual machines: how long a
 * pre-copy or post-copy migration takes, how much it sends and how long the
 * VM is paused. The models follow Mardan, Koto and Kono, "To pre-copy or to
 * post-copy, that is the question" (section 4): Xen pre-copy with its three
 * stop conditions, KVM post-copy T = M/B, and KVM (QEMU) pre-copy with its
 * downtime limit.
 *
 * Everything is SI inside: bytes, seconds, bytes/s, pages/s. Convert at the
 * edges with the unit helpers or {@linkcode parseQuantity}.
 *
 * @example Pre-copy or post-copy for one workload
 * ```ts
 * import { kvmPostcopy, parseQuantity, xenPrecopy } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const input = {
 *   memoryBytes: parseQuantity("1.5 GiB", "bytes"),
 *   wssBytes: parseQuantity("1 GiB", "bytes"),
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: parseQuantity("1 Gbps", "bytesPerSecond"),
 * };
 * const pre = xenPrecopy(input);
 * const post = kvmPostcopy(input);
 * assert.equal(pre.stopReason, "transfer-limit");
 * assert.ok(post.timeSeconds < pre.timeSeconds);
 * ```
 *
 * @module
 */

export * from "./src/units.ts";
export type { MigrationInput, ModelName, Round } from "./src/models/types.ts";
export {
  xenPrecopy,
  type XenPrecopyOptions,
  type XenPrecopyResult,
  type XenStopReason,
} from "./src/models/xen_precopy.ts";
export {
  kvmPrecopy,
  type KvmPrecopyOptions,
  type KvmPrecopyResult,
  type KvmStopReason,
} from "./src/models/kvm_precopy.ts";
export {
  kvmPostcopy,
  type KvmPostcopyOptions,
  type KvmPostcopyResult,
} from "./src/models/kvm_postcopy.ts";
export {
  sweep,
  type SweepGrid,
  type SweepInputs,
  type SweepOptions,
  type SweepResult,
  type SweepValues,
} from "./src/models/sweep.ts";

// Figures (src/plot): Plot specs for the paper's figures and server-side SVG/PNG rendering.
export type {
  DataSource,
  FigureSpec,
  LegendItem,
  LegendSpec,
  LegendSymbol,
  PanelPlotOptions,
  PanelScaleOptions,
  PanelSpec,
} from "./src/plot/types.ts";
export { render, type RenderOptions, type RenderResult } from "./src/plot/render.ts";
export {
  type FigureEstimatedVsMeasuredOptions,
  figureEstimatedVsMeasuredSpec,
  type FittedSummary,
  type MeasuredPoint,
  type ResidualPoint,
} from "./src/plot/figure_estimated_vs_measured_spec.ts";
export {
  type DowntimeLimitCurves,
  type DowntimeLimitMeasurement,
  type DowntimeLimitPoint,
  type DowntimeLimitSwitch,
  type DowntimeLimitWorkload,
  type FigureDowntimeLimitOptions,
  figureDowntimeLimitSpec,
} from "./src/plot/figure_downtime_limit_spec.ts";
export {
  type DecisionCell,
  type DecisionMap,
  type FigureDecisionMapOptions,
  figureDecisionMapSpec,
} from "./src/plot/figure_decision_map_spec.ts";
export { htmlTable, type TableOptions } from "./src/plot/html_table.ts";
export { markdownTable } from "./src/plot/markdown_table.ts";
export { textTable, type TextTableOptions } from "./src/plot/text_table.ts";

// Analysis (src/analysis): the reproduction pipeline, Figure 3's model curves, the decision map,
// the measured downtime limit sweep, the report; reproduceProject is its I/O edge.
export {
  analyzeReproduction,
  type AnalyzeReproductionOptions,
  type EstimatedVsMeasuredInput,
  type ReproductionAnalysis,
  type ReproductionFits,
  type RunCount,
} from "./src/analysis/analyze_reproduction.ts";
export {
  type ReproductionFigureFiles,
  reproductionReport,
  type ReproductionReportInput,
} from "./src/analysis/reproduction_report.ts";
export {
  DEFAULT_FIGURE_FILES,
  reproduceFigures,
  type ReproduceFiguresOptions,
  type ReproduceFiguresResult,
} from "./src/analysis/reproduce_figures.ts";
export {
  downtimeLimitCurves,
  type DowntimeLimitCurvesOptions,
} from "./src/analysis/downtime_limit_curves.ts";
export { decisionMap, type DecisionMapOptions } from "./src/analysis/decision_map.ts";
// The three costs (issue #13): Figures 1, 2, 4, the noise figure and the decision against limits.
export {
  type DecisionLimits,
  decisionLimits,
  type DecisionLimitsOptions,
  type LimitsCell,
  type MethodVerdict,
  spareOf,
} from "./src/analysis/decision_limits.ts";
export { measuredLimits } from "./src/analysis/measured_limits.ts";
export {
  type MeasuredCost,
  measuredCost,
  WORKLOAD_QUANTITIES,
  workloadCosts,
  type WorkloadCostsOptions,
  type WorkloadQuantity,
} from "./src/analysis/workload_costs.ts";
export { modelDowntimes, modelTimes, nominalRuns } from "./src/analysis/workload_models.ts";
export {
  type CostFigures,
  costFigures,
  FIG1_WORKLOAD,
  fig1Runs,
} from "./src/analysis/cost_figures.ts";
export { type CpuUse, cpuUse, type CpuUseOptions } from "./src/analysis/cpu_use.ts";
export {
  type CpuSample,
  parseProgressTrace,
  type ParseProgressTraceOptions,
  type ProgressSample,
  type ProgressTrace,
  type ThreadTicks,
} from "./src/data/parse_progress_trace.ts";
export { loadProgressTrace } from "./src/data/load_progress_trace.ts";
export {
  type FigureWorkloadCostOptions,
  figureWorkloadCostSpec,
  type WorkloadCostPoint,
  type WorkloadCosts,
  type WorkloadModelPoint,
  type WorkloadSlot,
} from "./src/plot/figure_workload_cost_spec.ts";
export {
  CPU_SERIES,
  type CpuUsePanel,
  type CpuUsePoint,
  type FigureCpuUseOptions,
  figureCpuUseSpec,
} from "./src/plot/figure_cpu_use_spec.ts";
export {
  type CellVerdict,
  type DecisionLimitsInput,
  figureDecisionLimitsSpec,
  LIMIT_VERDICTS,
  type LimitsVerdict,
  type MeasuredLimitPoint,
  SPARE_BANDS,
} from "./src/plot/figure_decision_limits_spec.ts";
export {
  compareSweepWithModel,
  type DowntimeLimitSweep,
  downtimeLimitSweep,
  isDowntimeLimitSweep,
  type SweepSwitchComparison,
} from "./src/analysis/downtime_limit_sweep.ts";
// Measured datasets
export type {
  DatasetMetadata,
  DatasetWarning,
  ImportRunOptions,
  KnownContention,
  KnownMethod,
  MigrationRun,
  RunFormat,
  RunSource,
  UnitConversion,
} from "./src/data/types.ts";
export { DatasetError, type DatasetProblem } from "./src/data/dataset_error.ts";
export { parseRuns, type ParseRunsOptions, type ParseRunsResult } from "./src/data/parse_runs.ts";
export { loadRuns, type LoadRunsOptions } from "./src/data/load_runs.ts";
export { type DatasetFolder, loadDatasetFolder } from "./src/data/load_dataset_folder.ts";
export {
  CONTENTIONS,
  type ContentionTerm,
  methodLabel,
  METHODS,
  type MethodTerm,
  RUN_SCHEMA,
  type RunColumn,
  type RunDimension,
  type RunField,
} from "./src/data/schema.ts";
export {
  importQmp,
  type ImportQmpOptions,
  type ImportQmpResult,
  type QmpSample,
} from "./src/data/import_qmp.ts";
export {
  importLibvirt,
  type ImportLibvirtOptions,
  type ImportLibvirtResult,
} from "./src/data/import_libvirt.ts";
export { type DataFrame, toDataFrame } from "./src/data/to_data_frame.ts";

// Fitting: bandwidth and contention factors, predictions, error metrics, cross-validation, synthetic runs
export type {
  CrossValidatedRun,
  CrossValidationResult,
  ErrorMetrics,
  Estimate,
  ExcludedRuns,
  ExtraTermName,
  ExtraTermReport,
  FitModelOptions,
  FitResult,
  FittedModel,
  IntervalInfo,
  ResolvedFitOptions,
  RunResidual,
} from "./src/fit/types.ts";
export { fitBandwidth, type FitBandwidthOptions } from "./src/fit/fit_bandwidth.ts";
export { fitContention, type FitContentionOptions } from "./src/fit/fit_contention.ts";
export { predictRuns } from "./src/fit/predict_runs.ts";
export { errorMetrics } from "./src/fit/error_metrics.ts";
export { crossValidate, type CrossValidateOptions } from "./src/fit/cross_validate.ts";
export { synthesizeRuns, type SynthesizeRunsOptions } from "./src/fit/synthetic.ts";
export {
  reproduceProject,
  type ReproduceProjectOptions,
  type ReproduceProjectResult,
} from "./src/analysis/reproduce_project.ts";

// Collector (src/collect/): real QEMU migrations over a shaped link, `deno task collect`.
export {
  COLLECT_CONTENTIONS,
  COLLECT_METHODS,
  type CollectContention,
  type CollectMethod,
  type GridPoint,
  type RequestedWss,
  type RunRow,
} from "./src/collect/types.ts";
export {
  PAPER_DIRTY_PAGES_PER_SECOND,
  PAPER_WSS,
  planGrid,
  type PlanGridOptions,
} from "./src/collect/plan_grid.ts";
export { pointKey, type PointKeyOptions } from "./src/collect/point_key.ts";
export { pendingPoints, type PendingPointsOptions } from "./src/collect/pending_points.ts";
export {
  type XenPolicyStopReason,
  xenStopDecision,
  type XenStopDecisionOptions,
} from "./src/collect/xen_stop_decision.ts";
export { formatRunsCsv, RUN_COLUMNS } from "./src/collect/format_runs_csv.ts";
export { parseRunsCsv, type ParseRunsCsvOptions } from "./src/collect/parse_runs_csv.ts";
export { writeTextAtomic } from "./src/collect/write_text_atomic.ts";
export { collect, type CollectOptions, type CollectResult } from "./src/collect/collect.ts";

// Plans (src/plans): many migrations at once, sharing the hosts' links (a max-min fair flow
// model), fitted to measured plans.
export type {
  CrossValidatedPlanMigration,
  LoadedPlan,
  ParameterValue,
  Plan,
  PlanEstimate,
  PlanMakespan,
  PlanMigration,
  PlanNode,
  PlanParameters,
  PlanResidual,
  PlanResult,
  SimulatedMigration,
  SimulatePlanOptions,
} from "./src/plans/types.ts";
export { simulatePlan } from "./src/plans/simulate_plan.ts";
export { planLinkClass } from "./src/plans/plan_link_class.ts";
export { fitPlans, type FitPlansOptions, type PlanFitResult } from "./src/plans/fit_plans.ts";
export {
  crossValidatePlans,
  type CrossValidatePlansOptions,
  type PlanCrossValidationResult,
} from "./src/plans/cross_validate_plans.ts";
export { parsePlans, type ParsePlansOptions } from "./src/plans/parse_plans.ts";
export { loadPlans, type LoadPlansOptions } from "./src/plans/load_plans.ts";
export {
  type FigurePlanGanttOptions,
  figurePlanGanttSpec,
  type GanttRow,
} from "./src/plot/figure_plan_gantt_spec.ts";
