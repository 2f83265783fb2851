// The noise fit's core: least squares on the progress ratio, one tracking
// cost per pre-copy method (a 1-D search each), and for post-copy a fault
// cost (a 1-D search) with a destination slowdown per group (closed form
// given the fault cost); intervals by a bootstrap within method and group.
import type { MigrationRun } from "../data/types.ts";
import { bootstrapSamples, percentileEstimate } from "./_bootstrap.ts";
import { isPrecopy } from "./_evaluate.ts";
import { runBandwidth } from "./_bandwidth.ts";
import { runProgress } from "./_noise_predict.ts";
import { minimize1d, type Minimum1d } from "../_search.ts";
import type { FittedNoise } from "./cost_types.ts";
import type { Estimate, FittedModel } from "./types.ts";

/** Scan points and relative tolerance of each 1-D search. */
const POINTS = 17;
const TOLERANCE = 1e-7;
const MAX_STEPS = 200;

/** Upper end of the search for the pre-copy tracking cost, seconds per write. */
export const DEFAULT_MAX_TRACKING_SECONDS = 1e-4;

/** Upper end of the search for the post-copy fault cost, seconds per fault. */
export const DEFAULT_MAX_FAULT_SECONDS = 1e-3;

/** The noise model fitted on some runs, and whether every search settled. */
export interface NoiseModel {
  model: FittedNoise;
  converged: boolean;
}

/**
 * Fits the noise parameters on the runs of `indices`.
 *
 * @param where The public function's name.
 * @param runs All runs (checked).
 * @param indices The runs used (completed, with a measured progress).
 * @param measured Their measured progress ratios.
 * @param fit The bandwidth fit.
 * @param resamples Bootstrap resamples (0: none).
 * @param seed The bootstrap's seed.
 * @param maxTracking Upper end of the tracking cost's range, seconds.
 * @param maxFault Upper end of the fault cost's range, seconds.
 */
export function noiseModel(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  measured: readonly number[],
  fit: FittedModel,
  resamples: number,
  seed: number,
  maxTracking: number,
  maxFault: number,
): NoiseModel {
  const selected = indices.map((i) => runs[i]!);
  const bandwidth = selected.map((run, p) => runBandwidth(where, fit, run, indices[p]!));
  const precopyMethods = [...new Set(selected.map((r) => r.method).filter(isPrecopy))].sort();
  const post = selected.map((r) => !isPrecopy(r.method));
  const groups = [...new Set(selected.filter((_, p) => post[p]).map((r) => r.contention))].sort();
  const byMethod = precopyMethods.map((m) => positions(selected, (r) => r.method === m));
  const postPositions = positions(selected, (r) => !isPrecopy(r.method));
  const groupOf = selected.map((r) => groups.indexOf(r.contention));
  let converged = true;

  // theta = [tracking per pre-copy method..., fault (if post-copy), slowdown per group...]
  const solve = (weights: Float64Array, record: boolean): Float64Array => {
    const theta = new Float64Array(
      precopyMethods.length + (groups.length > 0 ? 1 + groups.length : 0),
    );
    // A 1-D search over [0, maxSeconds] in microseconds; the minimum, in microseconds.
    const searchMicroseconds = (loss: (micro: number) => number, maxSeconds: number): number => {
      const upper = maxSeconds * 1e6;
      const best = minimize1d(loss, 0, upper, POINTS, TOLERANCE * maxSeconds * 1e6, MAX_STEPS);
      if (record && !settled(best, upper)) converged = false;
      return best.x;
    };
    byMethod.forEach((members, k) => {
      const loss = (micro: number) => {
        let sum = 0;
        for (const p of members) {
          const e = runProgress(selected[p]!, bandwidth[p]!, micro * 1e-6, 0, 0);
          sum += weights[p]! * (measured[p]! - e) ** 2;
        }
        return sum;
      };
      theta[k] = searchMicroseconds(loss, maxTracking) * 1e-6;
    });
    if (groups.length === 0) return theta;
    const base = precopyMethods.length;
    const slowdowns = (micro: number, out: Float64Array | null): number => {
      const cross = new Float64Array(groups.length);
      const square = new Float64Array(groups.length);
      const predicted = new Float64Array(selected.length);
      for (const p of postPositions) {
        const f = runProgress(selected[p]!, bandwidth[p]!, 0, micro * 1e-6, 0);
        predicted[p] = f;
        cross[groupOf[p]!]! += weights[p]! * measured[p]! * f;
        square[groupOf[p]!]! += weights[p]! * f * f;
      }
      const keep = Float64Array.from(groups, (_, g) => square[g]! > 0 ? cross[g]! / square[g]! : 1);
      let sum = 0;
      for (const p of postPositions) {
        sum += weights[p]! * (measured[p]! - keep[groupOf[p]!]! * predicted[p]!) ** 2;
      }
      if (out !== null) keep.forEach((k, g) => out[g] = 1 - k);
      return sum;
    };
    const faultMicro = searchMicroseconds((x) => slowdowns(x, null), maxFault);
    theta[base] = faultMicro * 1e-6;
    const out = new Float64Array(groups.length);
    slowdowns(faultMicro, out);
    theta.set(out, base + 1);
    return theta;
  };

  const point = solve(new Float64Array(selected.length).fill(1), true);
  const strata = new Map<string, number[]>();
  selected.forEach((r, p) => {
    const key = `${r.method}|${r.contention}`;
    strata.set(key, [...(strata.get(key) ?? []), p]);
  });
  const samples = bootstrapSamples(
    [...strata.values()],
    selected.length,
    resamples,
    seed,
    (w) => solve(w, false),
  );
  const estimate = (k: number): Estimate =>
    percentileEstimate(point, samples, (theta) => theta[k]!);
  const base = precopyMethods.length;
  return {
    model: {
      ...fit,
      noise: {
        trackingSeconds: Object.fromEntries(precopyMethods.map((m, k) => [m, estimate(k)])),
        faultSeconds: groups.length > 0 ? estimate(base) : null,
        destinationSlowdown: Object.fromEntries(groups.map((g, k) => [g, estimate(base + 1 + k)])),
      },
    },
    converged,
  };
}

/**
 * Whether a search settled: its bracket shrank (fewer steps than allowed) at
 * a point below the range's upper end (0, the lower end, is a physical bound).
 */
function settled(best: Minimum1d, hi: number): boolean {
  return best.iterations < MAX_STEPS && best.x < hi * (1 - 1e-6);
}

function positions(runs: readonly MigrationRun[], test: (run: MigrationRun) => boolean): number[] {
  const out: number[] = [];
  runs.forEach((r, p) => {
    if (test(r)) out.push(p);
  });
  return out;
}
