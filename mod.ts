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
 * This module is what a notebook or script needs. Each layer's whole public
 * API is a subpath of the package, a `mod.ts` in its folder: `./models`,
 * `./data` (with the run schema), `./fit` (with the shared defaults),
 * `./plot`, `./analysis`, `./collect` (the QEMU collector) and `./units`.
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
 * assert.ok(post.migrationTimeSeconds < pre.migrationTimeSeconds);
 * ```
 *
 * @module
 */

// The root is what a notebook or script needs: the models, units, loading runs and dataset folders,
// the fits and their result types, reproduce, the figures and render, tables and toDataFrame. Each
// layer's whole public API is its subpath (deno.json "exports"): "./models", "./data", "./fit",
// "./plot", "./analysis", "./plans", "./collect", "./units". Keep this file grouped by layer.

// Units (src/units.ts): conversions at the edges.
export * from "./src/units.ts";

// Models (src/models/): the whole layer.
export * from "./src/models/mod.ts";

// Data (src/data/): loading runs and dataset folders, importers, toDataFrame. The run schema and
// its vocabulary (RUN_SCHEMA, METHODS, CONTENTIONS, methodLabel) are in "./data".
export {
  type CpuSample,
  type DataFrame,
  DatasetError,
  type DatasetFolder,
  type DatasetMetadata,
  type DatasetPath,
  type DatasetProblem,
  type DatasetWarning,
  FOLDER_RUNS_FILES,
  type HostSample,
  importLibvirt,
  type ImportLibvirtOptions,
  type ImportLibvirtResult,
  importQmp,
  type ImportQmpOptions,
  type ImportQmpResult,
  type ImportRunOptions,
  type KnownContention,
  type KnownMethod,
  loadDatasetFolder,
  loadProgressTrace,
  loadRuns,
  type LoadRunsOptions,
  type MigrationRun,
  parseProgressTrace,
  type ParseProgressTraceOptions,
  parseRuns,
  type ParseRunsOptions,
  type ParseRunsResult,
  type ProgressSample,
  type ProgressTrace,
  type QmpSample,
  resolveDatasetPath,
  type RunFormat,
  type RunSource,
  type ThreadTicks,
  toDataFrame,
  type UnitConversion,
} from "./src/data/mod.ts";

// Fit (src/fit/): bandwidth and contention factors, predictions, error metrics, cross-validation,
// synthetic runs, and the result types (ResolvedFitOptions because FitResult carries it). The shared
// defaults (DEFAULT_RESAMPLES, ...) are in "./fit".
export {
  type AbsoluteErrors,
  type BlocktimeFitResult,
  type BlocktimeParameters,
  type ColocatedFitResult,
  type ColocatedParameters,
  type CostFitReport,
  crossValidate,
  type CrossValidatedRun,
  type CrossValidateOptions,
  type CrossValidationResult,
  type DowntimeErrorRow,
  downtimeErrors,
  type DowntimeErrorsOptions,
  type DowntimeFitResult,
  type ErrorMetrics,
  errorMetrics,
  type Estimate,
  type ExcludedRuns,
  type ExtraTermName,
  type ExtraTermReport,
  fitBandwidth,
  type FitBandwidthOptions,
  fitBlocktime,
  type FitBlocktimeOptions,
  fitColocated,
  type FitColocatedOptions,
  fitContention,
  type FitContentionOptions,
  fitDowntime,
  type FitDowntimeOptions,
  type FitModelOptions,
  fitNoise,
  type FitNoiseOptions,
  type FitProgress,
  type FitResult,
  type FittedBlocktime,
  type FittedColocated,
  type FittedDowntime,
  type FittedModel,
  type FittedNoise,
  type IntervalInfo,
  MAX_PROGRESS_RATIO,
  type MigrationCpuModel,
  MIN_MEASURED_PROGRESS_RUNS,
  type NoiseFitResult,
  type NoiseParameters,
  predictRuns,
  type PredictRunsOptions,
  type ProgressSource,
  type QuantityCrossValidation,
  type ResolvedFitOptions,
  type RunQuantity,
  type RunResidual,
  synthesizeRuns,
  type SynthesizeRunsOptions,
} from "./src/fit/mod.ts";

// Figures and tables (src/plot/): the figure specs, render to SVG/PNG, and the spec types they
// return (FigureSpec and the panel types it is made of).
export {
  type CellVerdict,
  type CpuUsePanel,
  type CpuUsePoint,
  type DataSource,
  type DecisionCell,
  type DecisionLimitsInput,
  type DecisionMap,
  type DowntimeLimitCurves,
  type DowntimeLimitMeasurement,
  type DowntimeLimitPoint,
  type DowntimeLimitSwitch,
  type DowntimeLimitWorkload,
  type FigureCpuUseOptions,
  figureCpuUseSpec,
  figureDecisionLimitsSpec,
  type FigureDecisionMapOptions,
  figureDecisionMapSpec,
  type FigureDowntimeLimitOptions,
  figureDowntimeLimitSpec,
  type FigureEstimatedVsMeasuredOptions,
  figureEstimatedVsMeasuredSpec,
  type FigureRecipe,
  type FigureSpec,
  type FigureWorkloadCostOptions,
  figureWorkloadCostSpec,
  type FittedSummary,
  htmlTable,
  type LegendItem,
  type LegendSpec,
  type LegendSymbol,
  type LimitsVerdict,
  markdownTable,
  type MeasuredLimitPoint,
  type MeasuredPoint,
  type PanelPlotOptions,
  type PanelScaleOptions,
  type PanelSpec,
  render,
  type RenderOptions,
  type RenderResult,
  type ResidualPoint,
  type TableOptions,
  textTable,
  type TextTableOptions,
  type WorkloadCostPoint,
  type WorkloadCosts,
  type WorkloadIncompletePoint,
  type WorkloadModelPoint,
  type WorkloadSlot,
} from "./src/plot/mod.ts";

// Analysis (src/analysis/): reproduce (reproduceProject is `deno task reproduce`), the decision
// map, Figure 3's curves, the measured downtime-limit sweep and its validation of QEMU's switch
// rule, and the result types reproduce carries.
// The pipeline's pure parts (analyzeReproduction, reproductionReport) are in "./analysis".
export {
  type AnalyzeReproductionOptions,
  type ColocatedErrors,
  compareSweepWithModel,
  type CostFigures,
  costFigures,
  type CostFiguresOptions,
  type CpuUse,
  cpuUse,
  type CpuUseOptions,
  type DecisionLimits,
  decisionLimits,
  type DecisionLimitsOptions,
  decisionMap,
  type DecisionMapOptions,
  downtimeLimitCurves,
  type DowntimeLimitCurvesOptions,
  type DowntimeLimitSweep,
  downtimeLimitSweep,
  type EstimatedVsMeasuredInput,
  type FitErrors,
  type GridSwitchRule,
  gridSwitchRules,
  type GridSwitchRulesOptions,
  type GuestNoiseErrors,
  isDowntimeLimitSweep,
  type LimitsCell,
  measuredLimits,
  type MethodVerdict,
  type NoiseErrors,
  noiseErrors,
  NothingToFitError,
  type NothingToFitErrorOptions,
  type PauseComparison,
  type ProgressMedian,
  reproduceFigures,
  type ReproduceFiguresOptions,
  type ReproduceFiguresResult,
  reproduceProject,
  type ReproduceProjectOptions,
  type ReproduceProjectResult,
  type ReproductionAnalysis,
  type ReproductionFigureFiles,
  type ReproductionFits,
  type RunCount,
  type SweepSwitchComparison,
  type SwitchBracket,
  type SwitchRuleReport,
  type SwitchRuleValidation,
  switchRuleValidation,
  type SwitchRuleValidationOptions,
  WORKLOAD_QUANTITIES,
  workloadCosts,
  type WorkloadCostsOptions,
  type WorkloadQuantity,
  type XenRuleAccounting,
  xenRuleAccounting,
  type XenRuleAccountingName,
  type XenRuleAccountingOptions,
  type XenRuleGroupErrors,
} from "./src/analysis/mod.ts";

// Collector (src/collect/, `deno task collect`): only in "./collect".

// Plans (src/plans/): many migrations at once, sharing the hosts' links (a max-min fair flow
// model), fitted to measured plans; the Gantt figure is in "./plot".
export * from "./src/plans/mod.ts";
export { type FigurePlanGanttOptions, figurePlanGanttSpec, type GanttRow } from "./src/plot/mod.ts";
