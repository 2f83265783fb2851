// The percentile bootstrap behind every interval: resample runs within each
// stratum, refit from the point estimate, read the interval off the sorted
// refits.
import { quantileSorted } from "../_stats.ts";
import { createRandom } from "../_random.ts";
import type { FitData } from "./_fit_data.ts";
import { INTERVAL_LEVEL } from "./defaults.ts";
import type { Estimate, ResolvedFitOptions } from "./types.ts";

/**
 * The tail quantiles of {@linkcode INTERVAL_LEVEL}: 0.025 and 0.975 for 95 %,
 * rounded to 12 digits so that they are the decimal quantiles themselves
 * (1 - 0.95 is 2e-17 above 0.05 in binary).
 */
export const INTERVAL_QUANTILES: readonly [number, number] = [
  Number(((1 - INTERVAL_LEVEL) / 2).toPrecision(12)),
  Number(((1 + INTERVAL_LEVEL) / 2).toPrecision(12)),
];

/**
 * The strata of the bootstrap, in order of first appearance: one per group
 * with one B for all methods, one per (method, group) with one B per method.
 *
 * @param data The runs.
 * @param bandwidthPer One B for all methods or one per method.
 * @returns The positions of the runs of each stratum.
 */
export function bootstrapStrata(
  data: FitData,
  bandwidthPer: ResolvedFitOptions["bandwidthPer"],
): number[][] {
  const strata = new Map<string, number[]>();
  const { groups, methods } = data;
  for (let p = 0; p < groups.length; p++) {
    const key = bandwidthPer === "all" ? groups[p]! : `${methods[p]}|${groups[p]}`;
    const members = strata.get(key) ?? [];
    members.push(p);
    strata.set(key, members);
  }
  return [...strata.values()];
}

/**
 * Draws `resamples` seeded resamples, each as a count per run (drawn with
 * replacement within each stratum, so every stratum keeps its size), and
 * refits each.
 *
 * @param strata The positions of the runs of each stratum.
 * @param n The number of runs.
 * @param resamples How many resamples (0: none).
 * @param seed The seed of the draws.
 * @param refit Fits the runs with these counts as weights (the array is reused: copy what you keep); also gets the resamples done, this one included.
 * @returns The refitted parameters, one per resample.
 */
export function bootstrapSamples(
  strata: readonly (readonly number[])[],
  n: number,
  resamples: number,
  seed: number,
  refit: (weights: Float64Array, done: number) => Float64Array,
): Float64Array[] {
  const samples: Float64Array[] = [];
  if (resamples === 0) return samples;
  const draw = resampleDrawer(strata, seed);
  const weights = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    draw(weights);
    samples.push(refit(weights, r + 1));
  }
  return samples;
}

/**
 * The draws of {@linkcode bootstrapSamples}: each call writes the next
 * resample's count per run into `weights` (every entry set).
 *
 * @param strata The positions of the runs of each stratum.
 * @param seed The seed of the draws.
 */
export function resampleDrawer(
  strata: readonly (readonly number[])[],
  seed: number,
): (weights: Float64Array) => void {
  const random = createRandom(seed);
  // Draws are counted per stratum in a small array (member k's count), then
  // added to the runs' weights in order: the same counts as adding each
  // draw to the run's weight directly, without a cache miss per draw.
  const members = strata.map((m) => Int32Array.from(m));
  const counts = members.map((m) => new Float64Array(m.length));
  return (weights) => {
    weights.fill(0);
    for (let s = 0; s < members.length; s++) {
      const own = members[s]!;
      const count = counts[s]!;
      count.fill(0);
      for (let j = 0; j < own.length; j++) count[Math.floor(random() * own.length)]! += 1;
      for (let k = 0; k < own.length; k++) weights[own[k]!]! += count[k]!;
    }
  };
}

/**
 * A quantity with its percentile interval: the value at the point estimate,
 * and the {@linkcode INTERVAL_QUANTILES} of its values over the resamples
 * (NaN for none).
 *
 * @param point The point estimate's parameters.
 * @param samples The resamples' parameters.
 * @param quantity The quantity as a function of the parameters.
 */
export function percentileEstimate(
  point: Float64Array,
  samples: readonly Float64Array[],
  quantity: (theta: Float64Array) => number,
): Estimate {
  const values = samples.map(quantity).sort((a, b) => a - b);
  return {
    value: quantity(point),
    low: quantileSorted(values, INTERVAL_QUANTILES[0]),
    high: quantileSorted(values, INTERVAL_QUANTILES[1]),
  };
}
