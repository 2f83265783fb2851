/**
 * Fit the noise model (the migrating VM's slowdown) to measured progress.
 *
 * @module
 */

import { checkNumber, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { costReport, measuredRuns, resolveCostOptions } from "./_cost_runs.ts";
import {
  DEFAULT_MAX_FAULT_SECONDS,
  DEFAULT_MAX_TRACKING_SECONDS,
  noiseModel,
} from "./_noise_fit.ts";
import { MIN_MEASURED_PROGRESS_RUNS, PROGRESS_SOURCES, type ProgressSource } from "./_quantity.ts";
import type { NoiseFitResult } from "./cost_types.ts";

export {
  MAX_PROGRESS_RATIO,
  MIN_MEASURED_PROGRESS_RUNS,
  type ProgressSource,
} from "./_quantity.ts";
import type { FittedModel } from "./types.ts";

/** Options for {@linkcode fitNoise}. */
export interface FitNoiseOptions {
  /** The bandwidth fit (a `fitContention` or `fitBandwidth` result) that gives each run its B. Required. */
  fit: FittedModel;
  /**
   * The method(s) to fit; runs of other methods are skipped.
   *
   * @default {every method in the data}
   */
  method?: string | string[];
  /**
   * Bootstrap resamples for the 95 % intervals; 0 skips them (NaN).
   *
   * @default {200} (`DEFAULT_RESAMPLES`)
   */
  resamples?: number;
  /**
   * Seed of the bootstrap.
   *
   * @default {1} (`DEFAULT_SEED`)
   */
  seed?: number;
  /**
   * Upper end of the search for the pre-copy tracking cost, seconds per write
   * (100 µs: a 1024 pages/s guest at 0.91).
   *
   * @default {1e-4}
   */
  maxTrackingSeconds?: number;
  /**
   * Upper end of the search for the post-copy fault cost, seconds per fault.
   *
   * @default {1e-3}
   */
  maxFaultSeconds?: number;
  /**
   * Which progress ratios to fit (see `ProgressSource`): `"auto"` fits a
   * method on its measured `guest_progress_ratio` alone when it has at least
   * `MIN_MEASURED_PROGRESS_RUNS` (12) runs with one, else on the measured
   * ratio where there is one and the dirty-rate proxy elsewhere;
   * `"measured"` the measured ratio only; `"proxy"` the proxy only (every
   * run, a measured ratio ignored), to compare the two.
   *
   * @default {"auto"}
   */
  progressSource?: ProgressSource;
}

/**
 * Fits the noise model of `guestProgress` to the migrating VM's measured
 * progress ratio, given the bandwidth of a fit, by least squares on the
 * ratio: a tracking cost c per pre-copy method (ratio 1/(1 + c·d)); for
 * post-copy a fault cost beyond the page's transfer (shared) and a
 * destination slowdown per contention group (the runs' `contention`).
 *
 * **What is measured.** A run's `guestProgressRatio` when it has one (the
 * collector's `guest_progress_ratio`: work during the migration over work at
 * the baseline rate). Until those columns exist the fit uses a **proxy**: the
 * dirtier's achieved rate over the requested rate,
 * `dirtyPagesPerSecond / requestedDirtyPagesPerSecond`, from its 1 s reports
 * during the migration (so the baseline is the request, not a measured rate
 * before the migration, and the pause has no reports). Runs with W = 0 or a
 * requested rate of 0 (the guest writes nothing), without a requested rate,
 * or whose rate is the request itself (`dirtyRateSource: "requested"`) are
 * excluded, with reasons; `measuredBy` counts each source and
 * `measuredByMethod` each method's. With `progressSource: "auto"` (the
 * default) a method with at least `MIN_MEASURED_PROGRESS_RUNS` (12) measured
 * runs is fitted on those alone (its runs with only the proxy are excluded,
 * "no guest_progress_ratio"), and `measuredOnly` names it; the proxy is
 * kept only for methods with fewer. The measured ratio is fitted over the
 * time the guest runs (× T/(T − downtime)), as `guestProgress` defines it;
 * above `MAX_PROGRESS_RATIO` (1.2) it is excluded (a disturbed baseline).
 * The model's input d is the requested (baseline) rate.
 *
 * Intervals: seeded percentile bootstrap over runs within each method and
 * group, given B. Cross-validated error: `crossValidate(runs, { quantity:
 * "guestProgressRatio" })`.
 *
 * Cost: (17 + Brent steps) model evaluations per run and parameter, per resample.
 *
 * @param runs The runs, as a loader returns them.
 * @param options The bandwidth fit, methods, bootstrap and search ranges.
 * @returns The noise parameters with intervals, residuals, metrics and excluded runs.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} If a method has fewer than 2 runs with a measured progress, an option is out of range, or for any reason `predictRuns` throws.
 *
 * @example Recover a tracking cost from synthetic pre-copy runs
 * ```ts
 * import { fitNoise } from "./fit_noise.ts";
 * import assert from "node:assert/strict";
 * const runs = [1024, 5120, 15360, 51200].map((d) => ({
 *   method: "kvm-precopy", contention: "none", memoryBytes: 2 ** 30, wssBytes: 2 ** 28,
 *   dirtyPagesPerSecond: d / (1 + 2e-6 * d), requestedDirtyPagesPerSecond: d,
 *   pageBytes: 4096, migrationTimeSeconds: 10, status: "completed",
 *   extra: { source: "synthetic" },
 * }));
 * const fit = {
 *   scale: "absolute" as const, groupBy: null, bandwidthBytesPerSecond: 1e8,
 *   bandwidthByMethod: null, efficiency: null, efficiencyByMethod: null,
 *   factors: {}, extraTerm: null, modelOptions: {},
 * };
 * const result = fitNoise(runs, { fit, resamples: 0 });
 * assert.ok(Math.abs(result.noise.trackingSeconds["kvm-precopy"]!.value - 2e-6) < 1e-12);
 * assert.deepEqual(result.measuredBy, { "dirty-rate-proxy": 4 });
 * ```
 */
export function fitNoise(runs: readonly MigrationRun[], options: FitNoiseOptions): NoiseFitResult {
  const where = "fitNoise";
  const resolved = resolveCostOptions(where, options);
  const {
    maxTrackingSeconds = DEFAULT_MAX_TRACKING_SECONDS,
    maxFaultSeconds = DEFAULT_MAX_FAULT_SECONDS,
  } = options as Partial<FitNoiseOptions>;
  checkNumber(where, "option", "maxTrackingSeconds", maxTrackingSeconds, "positive", "seconds");
  checkNumber(where, "option", "maxFaultSeconds", maxFaultSeconds, "positive", "seconds");
  const { progressSource = "auto" } = options as Partial<FitNoiseOptions>;
  if (!PROGRESS_SOURCES.includes(progressSource)) {
    throw new TypeError(
      `${where}: invalid option "progressSource", expected ${
        PROGRESS_SOURCES.map((s) => `"${s}"`).join(", ")
      } (got ${showValue(progressSource)})`,
    );
  }
  const data = measuredRuns(
    where,
    runs,
    resolved.method,
    "guestProgressRatio",
    2,
    progressSource,
  );
  const { model, converged } = noiseModel(
    where,
    data.runs,
    data.indices,
    data.measured,
    resolved.fit,
    resolved.resamples,
    resolved.seed,
    maxTrackingSeconds,
    maxFaultSeconds,
  );
  const measuredBy: Record<string, number> = {};
  const measuredByMethod: Record<string, Record<string, number>> = {};
  data.sources.forEach((source, p) => {
    measuredBy[source] = (measuredBy[source] ?? 0) + 1;
    const counts = measuredByMethod[data.runs[data.indices[p]!]!.method] ??= {};
    counts[source] = (counts[source] ?? 0) + 1;
  });
  const measuredOnly = Object.keys(measuredByMethod).sort().filter((m) =>
    progressSource === "measured" ||
    (progressSource === "auto" &&
      (measuredByMethod[m]!.guestProgressRatio ?? 0) >= MIN_MEASURED_PROGRESS_RUNS)
  );
  return {
    ...model,
    ...costReport(data, model, "guestProgressRatio", resolved, converged),
    measuredBy,
    measuredByMethod,
    measuredOnly,
    options: {
      method: resolved.method,
      resamples: resolved.resamples,
      seed: resolved.seed,
      maxTrackingSeconds,
      maxFaultSeconds,
      progressSource,
    },
  };
}
