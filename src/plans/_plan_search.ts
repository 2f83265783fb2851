// The fit behind fitPlans: least squares on ln(measured / simulated) over
// every measured migration of the plans, by coordinate search over ln f for
// each link class and the overhead in seconds, each coordinate by the
// bracketing 1-D search of src/fit (a scan, then golden section and Brent).
import { minimize1d } from "../_search.ts";
import type { CompiledPlan } from "./_compile_plan.ts";
import { runPlan } from "./_run_plan.ts";

/** The compiled plans of a fit, with a weight (bootstrap multiplicity) per plan. */
export interface FitProblem {
  plans: CompiledPlan[];
  /** Every link class of the plans. */
  classes: string[];
  /** Per plan: index into `classes` of each of its own classes. */
  classMaps: Int32Array[];
  fitOverhead: boolean;
  maxIterations: number;
  tolerance: number;
}

/** A point of the search: ln f per class, and the overhead. */
export interface SearchPoint {
  logFractions: Float64Array;
  overheadSeconds: number;
}

/** Where the search ended. */
export interface SearchResult extends SearchPoint {
  objective: number;
  iterations: number;
  converged: boolean;
}

/** Bounds of the search: f in [0.02, 4], overhead in [0, 600] s. */
const LOG_FRACTION_RANGE = [Math.log(0.02), Math.log(4)] as const;
const OVERHEAD_RANGE = [0, 600] as const;

/** Simulated seconds of every migration of plan p at a point (NaN-free). */
export function simulateAt(problem: FitProblem, p: number, point: SearchPoint): Float64Array {
  const plan = problem.plans[p]!;
  const map = problem.classMaps[p]!;
  const fractions = new Float64Array(map.length);
  for (let c = 0; c < map.length; c++) fractions[c] = Math.exp(point.logFractions[map[c]!]!);
  const { endSeconds } = runPlan(plan, { fractions, overheadSeconds: point.overheadSeconds });
  const seconds = new Float64Array(endSeconds.length);
  for (let i = 0; i < seconds.length; i++) seconds[i] = endSeconds[i]! - plan.startSeconds[i]!;
  return seconds;
}

/** Sum over plans (times their weight) of squared ln(measured / simulated). */
export function objective(problem: FitProblem, weights: Float64Array, point: SearchPoint): number {
  let sum = 0;
  for (let p = 0; p < problem.plans.length; p++) {
    const w = weights[p]!;
    if (w === 0) continue;
    const measured = problem.plans[p]!.measuredSeconds;
    const simulated = simulateAt(problem, p, point);
    for (let i = 0; i < measured.length; i++) {
      const m = measured[i]!;
      if (Number.isNaN(m)) continue;
      const r = Math.log(m / simulated[i]!);
      sum += w * r * r;
    }
  }
  return sum;
}

function searchCoordinate(
  f: (x: number) => number,
  current: number,
  width: number,
  range: readonly [number, number],
  tolerance: number,
): { x: number; value: number; converged: boolean } {
  let half = width;
  for (;;) {
    const lo = Math.max(range[0], current - half);
    const hi = Math.min(range[1], current + half);
    const found = minimize1d(f, lo, hi, 7, tolerance, 200);
    const atEdge = (found.x - lo < (hi - lo) / 8 && lo > range[0]) ||
      (hi - found.x < (hi - lo) / 8 && hi < range[1]);
    if (!atEdge || half >= range[1] - range[0]) {
      return { x: found.x, value: found.value, converged: found.iterations < 200 };
    }
    current = found.x;
    half *= 4;
  }
}

/**
 * Hooke-Jeeves' pattern move: a line search along the cycle's total move,
 * which coordinate steps follow only slowly when the parameters are
 * correlated (a lower fraction and a longer overhead trade off). Moves
 * `point` there when it is better and returns the objective.
 */
function patternStep(
  problem: FitProblem,
  weights: Float64Array,
  before: SearchPoint,
  point: SearchPoint,
  value: number,
): number {
  const k = point.logFractions.length;
  const at = (alpha: number, into: SearchPoint) => {
    for (let c = 0; c < k; c++) {
      const x = before.logFractions[c]! +
        alpha * (point.logFractions[c]! - before.logFractions[c]!);
      into.logFractions[c] = Math.min(LOG_FRACTION_RANGE[1], Math.max(LOG_FRACTION_RANGE[0], x));
    }
    const o = before.overheadSeconds + alpha * (point.overheadSeconds - before.overheadSeconds);
    into.overheadSeconds = Math.min(OVERHEAD_RANGE[1], Math.max(OVERHEAD_RANGE[0], o));
    return into;
  };
  const trial: SearchPoint = { logFractions: new Float64Array(k), overheadSeconds: 0 };
  const found = minimize1d(
    (alpha) => objective(problem, weights, at(alpha, trial)),
    1,
    9,
    9,
    1e-3,
    50,
  );
  if (found.value < value) {
    at(found.x, point);
    return found.value;
  }
  return value;
}

/**
 * Coordinate search from a start point: each cycle minimises the objective
 * over each ln f in turn, then the overhead, until no coordinate moves by
 * more than the tolerance (ln f; seconds / 10 for the overhead).
 */
export function search(
  problem: FitProblem,
  weights: Float64Array,
  start: SearchPoint,
  widths: { logFraction: number; overheadSeconds: number },
): SearchResult {
  const point: SearchPoint = {
    logFractions: Float64Array.from(start.logFractions),
    overheadSeconds: start.overheadSeconds,
  };
  let value = objective(problem, weights, point);
  let converged = true;
  for (let cycle = 1; cycle <= problem.maxIterations; cycle++) {
    let moved = 0;
    const before = {
      logFractions: Float64Array.from(point.logFractions),
      overheadSeconds: point.overheadSeconds,
    };
    for (let c = 0; c < point.logFractions.length; c++) {
      const before = point.logFractions[c]!;
      const found = searchCoordinate(
        (x) => {
          point.logFractions[c] = x;
          return objective(problem, weights, point);
        },
        before,
        widths.logFraction,
        LOG_FRACTION_RANGE,
        problem.tolerance,
      );
      point.logFractions[c] = found.x;
      value = found.value;
      converged &&= found.converged;
      moved = Math.max(moved, Math.abs(found.x - before));
    }
    if (problem.fitOverhead) {
      const before = point.overheadSeconds;
      const found = searchCoordinate(
        (x) => {
          point.overheadSeconds = x;
          return objective(problem, weights, point);
        },
        before,
        widths.overheadSeconds,
        OVERHEAD_RANGE,
        problem.tolerance * 10,
      );
      point.overheadSeconds = found.x;
      value = found.value;
      converged &&= found.converged;
      moved = Math.max(moved, Math.abs(found.x - before) / 10);
    }
    if (moved < problem.tolerance) {
      return { ...point, objective: value, iterations: cycle, converged };
    }
    value = patternStep(problem, weights, before, point, value);
  }
  return { ...point, objective: value, iterations: problem.maxIterations, converged: false };
}
