// The downtime fit's core: with B fixed, each method's switchover cost is the
// (weighted) median or mean of measured pause - stop-and-copy over its runs;
// intervals by a bootstrap within each method. Shared by fitDowntime and crossValidate.
import type { MigrationRun } from "../data/types.ts";
import { bootstrapSamples, percentileEstimate } from "./_bootstrap.ts";
import { methodStrata } from "./_cost_runs.ts";
import type { FittedDowntime } from "./cost_types.ts";
import { predictRuns } from "./predict_runs.ts";
import type { Estimate, FittedModel } from "./types.ts";

/**
 * The fitted downtime model on the given runs: the bandwidth fit with a
 * switchover cost per method (shared with crossValidate).
 *
 * @param runs All runs (checked).
 * @param indices The runs used (completed, with a measured pause).
 * @param measured Their measured pauses, seconds.
 * @param fit The bandwidth fit.
 * @param objective Median or mean.
 * @param resamples Bootstrap resamples (0: no intervals).
 * @param seed The bootstrap's seed.
 */
export function downtimeModel(
  runs: readonly MigrationRun[],
  indices: readonly number[],
  measured: readonly number[],
  fit: FittedModel,
  objective: "absolute" | "squares",
  resamples: number,
  seed: number,
): FittedDowntime {
  const selected = indices.map((i) => runs[i]!);
  const methods = [...new Set(selected.map((r) => r.method))].sort();
  const zero = Object.fromEntries(methods.map((m) => [m, { value: 0, low: 0, high: 0 }]));
  const stopAndCopy = predictRuns(selected, { ...fit, switchoverSeconds: zero }, {
    quantity: "downtimeSeconds",
  });
  const excess = measured.map((m, p) => m - stopAndCopy[p]!);
  const strata = methodStrata(runs, indices);
  const order = [...strata.keys()].sort();
  const sorted = order.map((m) => [...strata.get(m)!].sort((a, b) => excess[a]! - excess[b]!));
  const unit = new Float64Array(indices.length).fill(1);
  const estimate = (weights: Float64Array) =>
    Float64Array.from(
      sorted,
      (members) =>
        objective === "absolute"
          ? weightedMedian(members, excess, weights)
          : weightedMean(members, excess, weights),
    );
  const point = estimate(unit);
  const samples = bootstrapSamples(
    order.map((m) => strata.get(m)!),
    indices.length,
    resamples,
    seed,
    (weights) => estimate(weights),
  );
  const switchoverSeconds: Record<string, Estimate> = {};
  order.forEach((m, k) => {
    switchoverSeconds[m] = percentileEstimate(point, samples, (theta) => theta[k]!);
  });
  return { ...fit, switchoverSeconds };
}

/** The weighted median of `values` at `members` (sorted by value); the mean of the two middle ones at a tie. */
function weightedMedian(
  members: readonly number[],
  values: readonly number[],
  weights: Float64Array,
): number {
  let total = 0;
  for (const p of members) total += weights[p]!;
  let sum = 0;
  for (let k = 0; k < members.length; k++) {
    const p = members[k]!;
    if (weights[p]! === 0) continue;
    sum += weights[p]!;
    if (sum > total / 2) return values[p]!;
    if (sum === total / 2) {
      const next = members.slice(k + 1).find((q) => weights[q]! > 0);
      return next === undefined ? values[p]! : (values[p]! + values[next]!) / 2;
    }
  }
  return NaN;
}

function weightedMean(
  members: readonly number[],
  values: readonly number[],
  weights: Float64Array,
): number {
  let total = 0;
  let sum = 0;
  for (const p of members) {
    total += weights[p]!;
    sum += weights[p]! * values[p]!;
  }
  return sum / total;
}
