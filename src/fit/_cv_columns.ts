// The columnar fit's shared parts (_fit_columns.ts): the runs it uses, their
// estimates under a fitted model, metrics per group, and the k-fold
// cross-validation, each fold fitted in closed form from its training runs'
// sums, with the folds dealt as crossValidateCore deals them.
import type { RunColumns } from "../data/load_run_columns.ts";
import { createRandom, shuffle } from "../_random.ts";
import type { CvCore } from "./_cv_core.ts";
import type { FitProgress } from "./_fit_public.ts";
import { errorMetrics } from "./error_metrics.ts";
import { xenRounds, type XenRoundsOutput } from "./_evaluate.ts";
import type { ResolvedXenOptions } from "../models/xen_precopy.ts";
import type { ErrorMetrics, ExcludedRuns, FittedModel } from "./types.ts";

/** The completed runs a columnar fit uses (position p), all of them KVM post-copy. */
export interface ColumnSelection {
  /** The index of each run used, into the columns. */
  positions: Int32Array;
  /** Per run: its group's index in `groupNames`. */
  group: Int32Array;
  /** The groups, sorted: the contention labels, or `["all"]`. */
  groupNames: string[];
  groupBy: "contention" | null;
  /** The baseline group (`"all"` without groups). */
  baseline: string;
  scale: "absolute" | "efficiency";
  /** The link bandwidth of each run (efficiency scale), or 1, bytes/s. */
  link: Float64Array;
  /** ln T - ln M + ln link of each run: ln B of its group is minus their mean. */
  constant: Float64Array;
  /** The runs left out. */
  excluded: ExcludedRuns;
  /** Per run: 1 for a Xen pre-copy run (xenRounds), 0 for KVM post-copy; null for none. */
  xenRuns: Uint8Array | null;
  /** The Xen model's options (used where `xenRuns` is not null). */
  xenOptions: ResolvedXenOptions;
}

/**
 * A fitted model's level (the efficiency, or B on the absolute scale) and
 * factor per group (1 without groups), as predictRuns reads them.
 */
const xenOut: XenRoundsOutput = {
  precopyTimeSeconds: 0,
  transferredBytes: 0,
  iterations: 0,
  stopCode: 0,
  stopAndCopyBytes: 0,
};

export function modelLevels(
  selection: ColumnSelection,
  model: FittedModel,
): { level: number; factors: Float64Array } {
  const efficiency = selection.scale === "efficiency";
  return {
    level: efficiency ? model.efficiency!.value : model.bandwidthBytesPerSecond!,
    factors: Float64Array.from(
      selection.groupNames,
      (g) => selection.groupBy === null ? 1 : model.factors[g]!.value,
    ),
  };
}

/**
 * The estimated times of the runs at positions `which` (null: all), as
 * predictRuns computes them: B = level × link × factor, T = M / B.
 */
export function estimatesOf(
  columns: RunColumns,
  selection: ColumnSelection,
  { level, factors }: { level: number; factors: Float64Array },
  which: Int32Array | null,
): Float64Array {
  const { positions, group, xenRuns } = selection;
  const efficiency = selection.scale === "efficiency";
  const count = which === null ? positions.length : which.length;
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const p = which === null ? j : which[j]!;
    const i = positions[p]!;
    const runLevel = efficiency ? level * columns.linkBandwidthBytesPerSecond[i]! : level;
    const b = runLevel * factors[group[p]!]! * 1;
    if (xenRuns !== null && xenRuns[p] === 1) {
      const { maxIterations, maxTransferFactor, minDirtyPages } = selection.xenOptions;
      out[j] = xenRounds(
        columns.memoryBytes[i]!,
        columns.wssBytes[i]!,
        columns.dirtyPagesPerSecond[i]!,
        b,
        columns.pageBytes[i]!,
        maxIterations,
        maxTransferFactor,
        minDirtyPages,
        xenOut,
      ).precopyTimeSeconds;
    } else out[j] = columns.memoryBytes[i]! / b;
  }
  return out;
}

/** errorMetrics per group, over its members in order, keyed in the order of `names`. */
export function metricsPerGroup(
  names: readonly string[],
  group: Int32Array,
  measured: Float64Array,
  estimated: Float64Array,
): Record<string, ErrorMetrics> {
  // Each group's runs gathered in two passes (count, then place), in order.
  const k = names.length;
  const start = new Int32Array(k + 1);
  for (let p = 0; p < group.length; p++) start[group[p]! + 1]! += 1;
  for (let g = 0; g < k; g++) start[g + 1]! += start[g]!;
  const next = start.slice(0, k);
  const m = new Float64Array(group.length);
  const e = new Float64Array(group.length);
  for (let p = 0; p < group.length; p++) {
    const at = next[group[p]!]!++;
    m[at] = measured[p]!;
    e[at] = estimated[p]!;
  }
  const out: Record<string, ErrorMetrics> = {};
  for (let g = 0; g < k; g++) {
    out[names[g]!] = errorMetrics(
      m.subarray(start[g]!, start[g + 1]!),
      e.subarray(start[g]!, start[g + 1]!),
    );
  }
  return out;
}

/**
 * The cross-validation of crossValidate (time, folds dealt within each
 * group), without the per-run predictions: null when a group is too small
 * for the folds (crossValidate's error is the object path's).
 *
 * @param columns The runs.
 * @param selection The runs used.
 * @param folds Number of folds.
 * @param seed Seed of the deal.
 * @param onProgress Called after each fold.
 */
export function columnCrossValidation(
  columns: RunColumns,
  selection: ColumnSelection,
  folds: number,
  seed: number,
  onProgress: (progress: FitProgress) => void,
  foldTheta: ((foldOf: Int32Array, f: number) => Float64Array) | null = null,
): Omit<CvCore, "predictions"> & { predictions: [] } | null {
  const { group, groupNames, constant, positions } = selection;
  const n = group.length;
  const k = groupNames.length;
  const members: number[][] = groupNames.map(() => []);
  for (let p = 0; p < n; p++) members[group[p]!]!.push(p);
  const random = createRandom(seed);
  const foldOf = new Int32Array(n);
  let dealt = 0;
  // Groups in sorted order (groupNames is sorted), each shuffled and dealt round-robin.
  for (const own of members) {
    shuffle(own, random);
    for (const p of own) foldOf[p] = dealt++ % folds;
    if (own.length - Math.ceil(own.length / folds) < 2) return null;
  }
  const measured = new Float64Array(n);
  for (let p = 0; p < n; p++) measured[p] = columns.migrationTimeSeconds[positions[p]!]!;
  const estimated = new Float64Array(n);
  const metricsByFold: ErrorMetrics[] = [];
  const base = groupNames.indexOf(selection.baseline);
  for (let f = 0; f < folds; f++) {
    const total = new Float64Array(k);
    const weighted = new Float64Array(k);
    const test: number[] = [];
    for (let p = 0; p < n; p++) {
      if (foldOf[p] === f) {
        test.push(p);
        continue;
      }
      total[group[p]!]! += 1;
      weighted[group[p]!]! += constant[p]!;
    }
    if (test.length > 0) {
      const theta = foldTheta === null
        ? Float64Array.from(total, (t, g) => -(weighted[g]! / t))
        : foldTheta(foldOf, f);
      // As summarizeModel gives a fold's model: e^x of the baseline, factors as ratios.
      const levels = {
        level: Math.exp(theta[base]!),
        factors: Float64Array.from(
          theta,
          (x) => selection.groupBy === null ? 1 : Math.exp(x - theta[base]!),
        ),
      };
      const which = Int32Array.from(test);
      const values = estimatesOf(columns, selection, levels, which);
      for (let j = 0; j < which.length; j++) estimated[which[j]!] = values[j]!;
      metricsByFold.push(errorMetrics(
        Float64Array.from(which, (p) => measured[p]!),
        values,
      ));
    }
    onProgress({ stage: "cross-validation", done: f + 1, total: folds });
  }
  let logSquares = 0;
  for (let p = 0; p < n; p++) logSquares += Math.log(measured[p]! / estimated[p]!) ** 2;
  return {
    predictions: [],
    metrics: errorMetrics(measured, estimated),
    metricsByGroup: metricsPerGroup(groupNames, group, measured, estimated),
    metricsByFold,
    rmsLogError: Math.sqrt(logSquares / n),
  };
}
