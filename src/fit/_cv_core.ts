// K-fold cross-validation over completed runs, folds stratified by group.
import type { MigrationRun } from "../data/types.ts";
import { groupOf } from "./_fit_data.ts";
import { createRandom, shuffle } from "../_random.ts";
import { measuredQuantity, type RunQuantity } from "./_quantity.ts";
import { errorMetrics } from "./error_metrics.ts";
import { predictRuns } from "./predict_runs.ts";
import type { CrossValidatedRun, ErrorMetrics, FittedModel, ResolvedFitOptions } from "./types.ts";

/** Out-of-sample estimates and their metrics. */
export interface CvCore {
  predictions: CrossValidatedRun[];
  metrics: ErrorMetrics;
  metricsByGroup: Record<string, ErrorMetrics>;
  metricsByFold: ErrorMetrics[];
  rmsLogError: number;
}

/**
 * Assigns the completed runs to folds (shuffled within each group, dealt
 * round-robin), fits on every fold's complement and predicts the fold.
 *
 * @param where The public function's name.
 * @param runs All runs.
 * @param indices The completed runs to use.
 * @param options Resolved fit options (for groups and strata).
 * @param folds Number of folds, >= 2.
 * @param seed Seed of the assignment.
 * @param fit Fits the model on a set of run indices.
 * @param quantity What is measured and predicted (the runs of `indices` all have it).
 * @param onProgress Called after each fold.
 */
export function crossValidateCore(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  options: ResolvedFitOptions,
  folds: number,
  seed: number,
  fit: (training: number[]) => FittedModel,
  quantity: RunQuantity = "migrationTimeSeconds",
  onProgress?: (progress: { stage: "cross-validation"; done: number; total: number }) => void,
): CvCore {
  const strata = new Map<string, number[]>();
  for (const i of indices) {
    const run = runs[i]!;
    const group = groupOf(options.groupBy, run);
    const key = options.bandwidthPer === "all" ? group : `${run.method}|${group}`;
    const members = strata.get(key) ?? [];
    members.push(i);
    strata.set(key, members);
  }
  const random = createRandom(seed);
  // Each run's fold, by index into `runs` (-1: not used).
  const foldOf = new Int32Array(runs.length).fill(-1);
  let dealt = 0;
  for (const key of [...strata.keys()].sort()) {
    const members = shuffle([...strata.get(key)!], random);
    for (const i of members) foldOf[i] = dealt++ % folds;
    const largest = Math.ceil(members.length / folds);
    if (members.length - largest < 2) {
      throw new RangeError(
        `${where}: ${
          options.bandwidthPer === "all" ? "group" : "method|group"
        } "${key}" has too few completed runs for ${folds} folds, expected at least 2 left in every training set (got ${members.length} runs)`,
      );
    }
  }
  const predictions: CrossValidatedRun[] = [];
  for (let f = 0; f < folds; f++) {
    const training = indices.filter((i) => foldOf[i] !== f);
    const test = indices.filter((i) => foldOf[i] === f);
    if (test.length === 0) {
      onProgress?.({ stage: "cross-validation", done: f + 1, total: folds });
      continue;
    }
    const model = fit(training);
    const estimated = predictRuns(test.map((i) => runs[i]!), model, { quantity });
    test.forEach((i, j) => {
      const run = runs[i]!;
      const measured = measuredQuantity(quantity, run);
      const m = "value" in measured ? measured.value : NaN;
      const e = estimated[j]!;
      predictions.push({
        index: i,
        method: run.method,
        group: groupOf(options.groupBy, run),
        fold: f,
        measuredSeconds: m,
        estimatedSeconds: e,
        residualSeconds: m - e,
        residualPercent: (100 * (m - e)) / m,
      });
    });
    onProgress?.({ stage: "cross-validation", done: f + 1, total: folds });
  }
  predictions.sort((a, b) => a.index - b.index);
  const metricsOf = (rows: CrossValidatedRun[]) =>
    errorMetrics(rows.map((r) => r.measuredSeconds), rows.map((r) => r.estimatedSeconds));
  const metricsByGroup: Record<string, ErrorMetrics> = {};
  for (const g of [...new Set(predictions.map((r) => r.group))].sort()) {
    metricsByGroup[g] = metricsOf(predictions.filter((r) => r.group === g));
  }
  const metricsByFold: ErrorMetrics[] = [];
  for (let f = 0; f < folds; f++) {
    const rows = predictions.filter((r) => r.fold === f);
    if (rows.length > 0) metricsByFold.push(metricsOf(rows));
  }
  let logSquares = 0;
  for (const r of predictions) logSquares += Math.log(r.measuredSeconds / r.estimatedSeconds) ** 2;
  return {
    predictions,
    metrics: metricsOf(predictions),
    metricsByGroup,
    metricsByFold,
    rmsLogError: Math.sqrt(logSquares / predictions.length),
  };
}
