// The blocktime fit: least squares on the post-copy blocktime, the fault
// cost by a 1-D search and the background faults' bytes K in closed form
// given it; intervals by a bootstrap within contention, given B.
import type { MigrationRun } from "../data/types.ts";
import { minimize1d } from "../_search.ts";
import { bootstrapSamples, percentileEstimate } from "./_bootstrap.ts";
import { runBandwidth } from "./_bandwidth.ts";
import { runBlocktime } from "./_noise_predict.ts";
import type { FittedBlocktime } from "./cost_types.ts";
import type { FittedModel } from "./types.ts";

const POINTS = 17;
const TOLERANCE = 1e-7;
const MAX_STEPS = 200;

/** The blocktime model fitted on some runs, and whether the search settled. */
export interface BlocktimeModel {
  model: FittedBlocktime;
  converged: boolean;
}

/**
 * Fits the fault cost and K on the post-copy runs of `indices`.
 *
 * @param where The public function's name.
 * @param runs All runs (checked).
 * @param indices The runs used (completed post-copy, with a blocktime).
 * @param measured Their blocktimes, seconds.
 * @param fit The bandwidth fit.
 * @param resamples Bootstrap resamples (0: none).
 * @param seed The bootstrap's seed.
 * @param maxFault Upper end of the fault cost's range, seconds.
 */
export function blocktimeModel(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  measured: readonly number[],
  fit: FittedModel,
  resamples: number,
  seed: number,
  maxFault: number,
): BlocktimeModel {
  const selected = indices.map((i) => runs[i]!);
  const bandwidth = selected.map((run, p) => runBandwidth(where, fit, run, indices[p]!));
  let converged = true;
  // theta = [fault seconds, K bytes]
  const solve = (weights: Float64Array, record: boolean): Float64Array => {
    const background = (micro: number): [number, number] => {
      let num = 0, den = 0;
      const wss = selected.map((run, p) => runBlocktime(run, bandwidth[p]!, micro * 1e-6, 0));
      selected.forEach((_, p) => {
        const x = 1 / bandwidth[p]!;
        num += weights[p]! * (measured[p]! - wss[p]!) * x;
        den += weights[p]! * x * x;
      });
      const k = den > 0 ? Math.max(0, num / den) : 0;
      let loss = 0;
      selected.forEach((_, p) => {
        loss += weights[p]! * (measured[p]! - wss[p]! - k / bandwidth[p]!) ** 2;
      });
      return [k, loss];
    };
    const upper = maxFault * 1e6;
    const best = minimize1d(
      (x) => background(x)[1],
      0,
      upper,
      POINTS,
      TOLERANCE * upper,
      MAX_STEPS,
    );
    if (record && (best.iterations >= MAX_STEPS || best.x >= upper * (1 - 1e-6))) converged = false;
    return Float64Array.of(best.x * 1e-6, background(best.x)[0]);
  };
  const point = solve(new Float64Array(selected.length).fill(1), true);
  const strata = new Map<string, number[]>();
  selected.forEach((r, p) => strata.set(r.contention, [...(strata.get(r.contention) ?? []), p]));
  const samples = bootstrapSamples(
    [...strata.values()],
    selected.length,
    resamples,
    seed,
    (w) => solve(w, false),
  );
  return {
    model: {
      ...fit,
      blocktime: {
        faultSeconds: percentileEstimate(point, samples, (t) => t[0]!),
        backgroundFaultBytes: percentileEstimate(point, samples, (t) => t[1]!),
      },
    },
    converged,
  };
}
