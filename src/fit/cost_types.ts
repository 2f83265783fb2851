/**
 * Shapes of the downtime and noise fits: what `predictRuns` needs to estimate
 * a run's pause or its guest's progress, and the fit results.
 *
 * @module
 */

import type { ProgressSource, RunQuantity } from "./_quantity.ts";
import type {
  ErrorMetrics,
  Estimate,
  ExcludedRuns,
  FittedModel,
  IntervalInfo,
  RunResidual,
} from "./types.ts";

export type { RunQuantity } from "./_quantity.ts";

/**
 * A bandwidth model with the fixed switchover cost per method, seconds:
 * downtime = what is left at the switch over B + `switchoverSeconds[method]`.
 */
export interface FittedDowntime extends FittedModel {
  /** The fixed switchover cost of each method, seconds, with its interval. */
  switchoverSeconds: Record<string, Estimate>;
}

/** The parameters of the noise model (`guestProgress`), with intervals. */
export interface NoiseParameters {
  /** Pre-copy: seconds lost per tracked write, per pre-copy method. */
  trackingSeconds: Record<string, Estimate>;
  /** Post-copy: seconds a fault costs beyond the page's transfer (null without post-copy runs). */
  faultSeconds: Estimate | null;
  /** Post-copy: the fraction of progress lost on the destination, per contention group. */
  destinationSlowdown: Record<string, Estimate>;
}

/** A bandwidth model with the noise model's parameters. */
export interface FittedNoise extends FittedModel {
  /** The noise model's parameters. */
  noise: NoiseParameters;
}

/** The source's migration CPU model of one method: m = a·bytes + e·T. */
export interface MigrationCpuModel {
  /** a: CPU seconds of the source's main loop and migration threads per byte sent. */
  cpuSecondsPerByte: number;
  /** e: CPU seconds per second of migration (polling, bitmap syncs, the return path). */
  cpuSecondsPerSecond: number;
  /** Runs it was fitted on (completed, with `source_migration_cpu_seconds`). */
  runs: number;
  /** Mean absolute error of m on them, CPU seconds. */
  maeCpuSeconds: number;
}

/** The parameters of the co-located load's model (`colocatedProgress`), with intervals. */
export interface ColocatedParameters {
  /** CPU contention: the hog's CPU seconds lost per CPU second of the migration (κ); null without such runs. */
  cpuLossPerCpuSecond: Estimate | null;
  /** Network contention: the load's rate on the link alone, bytes/s (C); null without such runs. */
  linkBytesPerSecond: Estimate | null;
  /** Per method, the source's migration CPU model the CPU term uses (point estimates). */
  migrationCpu: Record<string, MigrationCpuModel>;
}

/** A bandwidth model with the co-located load's parameters. */
export interface FittedColocated extends FittedModel {
  /** The co-located model's parameters. */
  colocated: ColocatedParameters;
}

/** The parameters of the post-copy blocktime model (`postcopyBlocktime`), with intervals. */
export interface BlocktimeParameters {
  /** Seconds a working-set fault costs beyond the page's transfer. */
  faultSeconds: Estimate;
  /** Bytes queued ahead of the faults outside the working set, in all (K: they wait K/B). */
  backgroundFaultBytes: Estimate;
}

/** A bandwidth model with the blocktime model's parameters. */
export interface FittedBlocktime extends FittedModel {
  /** The blocktime model's parameters. */
  blocktime: BlocktimeParameters;
}

/** What a downtime or noise fit reports besides its parameters. */
export interface CostFitReport {
  /** Which quantity was fitted. */
  quantity: RunQuantity;
  /** How the intervals were computed (bootstrap over runs within each method, given B). */
  interval: IntervalInfo;
  /** Whether every parameter's search settled inside its range (or at a physical bound of 0). */
  converged: boolean;
  /**
   * Per run used: measured and estimated (in the quantity's unit: seconds for
   * downtime, a ratio for the progress; the fields keep the time's names).
   */
  residuals: RunResidual[];
  /** Metrics over all runs used (in the quantity's unit). */
  metrics: ErrorMetrics;
  /** Metrics per method. */
  metricsByMethod: Record<string, ErrorMetrics>;
  /** Metrics per contention group. */
  metricsByGroup: Record<string, ErrorMetrics>;
  /** Runs left out (not completed, or no measured value), with reasons. */
  excluded: ExcludedRuns;
  /** Number of runs used. */
  runsUsed: number;
}

/** The result of `fitDowntime`. */
export interface DowntimeFitResult extends FittedDowntime, CostFitReport {
  /** The options, resolved. */
  options: {
    method: string[] | null;
    objective: "absolute" | "squares";
    resamples: number;
    seed: number;
  };
}

/** The result of `fitNoise`. */
export interface NoiseFitResult extends FittedNoise, CostFitReport {
  /** Where each run's measured progress came from: count per source (`guestProgressRatio`, `dirty-rate-proxy`). */
  measuredBy: Record<string, number>;
  /** The same count per method. */
  measuredByMethod: Record<string, Record<string, number>>;
  /** The methods fitted on the measured ratio alone (see `progressSource`), sorted. */
  measuredOnly: string[];
  /** The options, resolved. */
  options: {
    method: string[] | null;
    resamples: number;
    seed: number;
    maxTrackingSeconds: number;
    maxFaultSeconds: number;
    progressSource: ProgressSource;
  };
}

/** The result of `fitColocated`. */
export interface ColocatedFitResult extends FittedColocated, CostFitReport {
  /** The options, resolved. */
  options: { method: string[] | null; resamples: number; seed: number };
}

/** The result of `fitBlocktime`. */
export interface BlocktimeFitResult extends FittedBlocktime, CostFitReport {
  /** The options, resolved. */
  options: { method: string[] | null; resamples: number; seed: number; maxFaultSeconds: number };
}
