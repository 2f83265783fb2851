/**
 * Fitting the models to runs: the effective bandwidth B, contention factors,
 * predictions, error metrics, cross-validation, the shared defaults, and
 * seeded synthetic runs with known parameters.
 *
 * Runs go in as the data layer returns them (`MigrationRun[]`); each run is
 * estimated with the model its method names. This layer imports the models
 * and the data layer's types, nothing above them.
 *
 * @example Recover B from synthetic runs
 * ```ts
 * import { DEFAULT_RESAMPLES, fitBandwidth, synthesizeRuns } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const runs = synthesizeRuns({ // synthetic, not measured
 *   seed: 3, methods: ["kvm-postcopy"], factors: { none: 1 }, repeats: 2,
 *   bandwidthBytesPerSecond: 100e6, noise: 0.02,
 * });
 * const fit = fitBandwidth(runs, { method: "kvm-postcopy", resamples: 20 });
 * assert.ok(Math.abs(fit.bandwidthBytesPerSecond! / 100e6 - 1) < 0.02);
 * assert.equal(DEFAULT_RESAMPLES, 200);
 * ```
 *
 * @module
 */

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
} from "./types.ts";
export { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED, INTERVAL_LEVEL } from "./defaults.ts";
export { fitBandwidth, type FitBandwidthOptions, type FitProgress } from "./fit_bandwidth.ts";
export { fitContention, type FitContentionOptions } from "./fit_contention.ts";
export { predictRuns, type PredictRunsOptions } from "./predict_runs.ts";
export { errorMetrics } from "./error_metrics.ts";
export {
  crossValidate,
  type CrossValidateOptions,
  type QuantityCrossValidation,
} from "./cross_validate.ts";
// Downtime and noise: the switchover cost and the migrating VM's slowdown.
export type {
  BlocktimeFitResult,
  BlocktimeParameters,
  ColocatedFitResult,
  ColocatedParameters,
  CostFitReport,
  DowntimeFitResult,
  FittedBlocktime,
  FittedColocated,
  FittedDowntime,
  FittedNoise,
  MigrationCpuModel,
  NoiseFitResult,
  NoiseParameters,
  RunQuantity,
} from "./cost_types.ts";
export {
  MAX_PROGRESS_RATIO,
  MIN_MEASURED_PROGRESS_RUNS,
  type ProgressSource,
} from "./fit_noise.ts";
export { fitDowntime, type FitDowntimeOptions } from "./fit_downtime.ts";
export { fitNoise, type FitNoiseOptions } from "./fit_noise.ts";
export { fitColocated, type FitColocatedOptions } from "./fit_colocated.ts";
export { fitBlocktime, type FitBlocktimeOptions } from "./fit_blocktime.ts";
export {
  type AbsoluteErrors,
  type DowntimeErrorRow,
  downtimeErrors,
  type DowntimeErrorsOptions,
} from "./downtime_errors.ts";
export { synthesizeRuns, type SynthesizeRunsOptions } from "./synthetic.ts";
