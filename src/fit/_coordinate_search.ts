// The search for theta: each parameter is found by a bracketing 1-D search
// over the runs it touches (minimize1d); several coupled parameters are found
// by coordinate search, cycles until no parameter moves, with a pattern move
// along each cycle's step.
import { median } from "../_stats.ts";
import { evaluatePlan, makePlan } from "./_evaluate.ts";
import { type FitData, positionsWhere } from "./_fit_data.ts";
import {
  bandwidthOf,
  initialTheta,
  LEVEL_HALF_WIDTH,
  type Param,
  type ParamLayout,
} from "./_fit_params.ts";
import { minimize1d, type Minimum1d } from "../_search.ts";
import type { ResolvedFitOptions } from "./types.ts";

/** Scan points of a parameter's first search. */
const SCAN_POINTS = 17;
/** Coordinate search stops when no parameter moved more than this in ln B during a cycle. */
const CYCLE_TOLERANCE = 1e-7;
/** Scan points and half-width (ln B) of the searches after the first cycle, around the last value. */
const LOCAL_POINTS = 11;
const LOCAL_HALF_WIDTH = 0.3;
/** The range of u in the extra term's first search: a multiplier slope e^u - 1 from -0.8 to 4. */
const EXTRA_RANGE: [number, number] = [Math.log(0.2), Math.log(5)];
/** Most Brent steps of a 1-D search. */
const SEARCH_STEPS = 200;
/** The pattern move's search: step multiples 1 to 9, 17 points, to 1e-6, at most 100 steps. */
const PATTERN = { lo: 1, hi: 9, points: 17, tolerance: 1e-6, steps: 100 } as const;

/** The loss of one run: squared log ratio or squared seconds; Infinity for an unusable estimate. */
export type Loss = (measuredSeconds: number, estimatedSeconds: number) => number;

/** The loss of one run for an objective. */
export function lossFor(objective: ResolvedFitOptions["objective"]): Loss {
  return objective === "log"
    ? (m: number, e: number) => e > 0 && Number.isFinite(e) ? Math.log(m / e) ** 2 : Infinity
    : (m: number, e: number) => Number.isFinite(e) ? (m - e) ** 2 : Infinity;
}

/** A solution of the coordinate search. */
export interface Solution {
  /** The parameters. */
  theta: Float64Array;
  /** Cycles used. */
  iterations: number;
  /** Whether every 1-D search converged inside its range and the cycles settled. */
  converged: boolean;
}

/**
 * Finds theta for run weights (null: each run once; a bootstrap passes
 * counts) from a start (null: the layout's centres, with wide first
 * searches).
 */
export type Solver = (weights: Float64Array | null, start: Float64Array | null) => Solution;

/** Per parameter, allocated once: the runs it touches and the per-run constants of its search. */
interface Scratch {
  bandwidths: Float64Array;
  estimates: Float64Array;
  /** Bandwidth at x = 0 (level, factor) or without the extra term (extra). */
  base: Float64Array;
  /** W/M of each run (the extra term's slope). */
  workload: Float64Array;
  measured: Float64Array;
  logMeasured: Float64Array;
  weights: Float64Array;
}

/**
 * The coordinate search over a layout's parameters, with its scratch
 * allocated once for every call.
 *
 * @param data The runs.
 * @param layout The parameters.
 * @param options Resolved options (tolerance, cycles, objective, model options).
 * @param loss The loss of one run.
 */
export function createSolver(
  data: FitData,
  layout: ParamLayout,
  options: ResolvedFitOptions,
  loss: Loss,
): Solver {
  const { params, independent } = layout;
  const n = data.indices.length;
  const fullPlan = independent
    ? null
    : makePlan(data.where, data.runs, data.indices, options.modelOptions);
  const fullBandwidths = new Float64Array(n);
  const fullEstimates = new Float64Array(n);
  const fullLoss = (theta: Float64Array, weights: Float64Array | null) => {
    for (let p = 0; p < n; p++) fullBandwidths[p] = bandwidthOf(layout, data, theta, p);
    evaluatePlan(fullPlan!, fullBandwidths, fullEstimates);
    let sum = 0;
    for (let p = 0; p < n; p++) {
      const w = weights === null ? 1 : weights[p]!;
      if (w > 0) sum += w * loss(data.measured[p]!, fullEstimates[p]!);
    }
    return sum;
  };
  const scratch = params.map((param) => scratchOf(param, data));
  const how = { tolerance: options.tolerance, logObjective: options.objective === "log" };
  return (weights, start) => {
    const theta = initialTheta(layout);
    if (start !== null) theta.set(start);
    scratch.forEach((own, k) => {
      const positions = params[k]!.positions;
      for (let j = 0; j < positions.length; j++) {
        own.weights[j] = weights === null ? 1 : weights[positions[j]!]!;
      }
    });
    let iterations = 0;
    let converged = false;
    for (let cycle = 1; cycle <= options.maxIterations; cycle++) {
      iterations = cycle;
      const before = Float64Array.from(theta);
      let maxDelta = 0;
      let allConverged = true;
      const full = cycle === 1 && start === null;
      for (let k = 0; k < params.length; k++) {
        const result = searchParam(layout, data, k, scratch[k]!, theta, full, how);
        maxDelta = Math.max(maxDelta, Math.abs(result.x - theta[k]!));
        allConverged &&= result.converged;
        theta[k] = result.x;
      }
      if (independent && start === null) {
        converged = allConverged;
        break;
      }
      if (cycle > 1 && maxDelta < Math.max(CYCLE_TOLERANCE, 10 * options.tolerance)) {
        converged = allConverged;
        break;
      }
      if (cycle > 1 && !independent) patternMove(before, theta, (t) => fullLoss(t, weights));
    }
    return { theta, iterations, converged };
  };
}

function scratchOf(param: Param, data: FitData): Scratch {
  const count = param.positions.length;
  return {
    bandwidths: new Float64Array(count),
    estimates: new Float64Array(count),
    base: new Float64Array(count),
    workload: Float64Array.from(param.positions, (p) => data.workload[p]!),
    measured: Float64Array.from(param.positions, (p) => data.measured[p]!),
    logMeasured: Float64Array.from(param.positions, (p) => Math.log(data.measured[p]!)),
    weights: new Float64Array(count),
  };
}

/**
 * The 1-D search of parameter k with the others held at theta: wide on the
 * first cycle (`full`), local around its value after.
 */
function searchParam(
  layout: ParamLayout,
  data: FitData,
  k: number,
  own: Scratch,
  theta: Float64Array,
  full: boolean,
  how: { tolerance: number; logObjective: boolean },
): Minimum1d {
  const param = layout.params[k]!;
  const { positions } = param;
  const count = positions.length;
  const { bandwidths, estimates, base, logMeasured, measured: seconds, weights: w } = own;
  // Each run's bandwidth with this parameter at 0, so that during the
  // search B = base·e^x (level, factor) or base·(1 + (e^x - 1)·W/M)
  // (extra): one exp per evaluation instead of one per run.
  const old = theta[k]!;
  theta[k] = 0;
  for (let j = 0; j < count; j++) base[j] = bandwidthOf(layout, data, theta, positions[j]!);
  theta[k] = old;
  const slope = own.workload;
  const logObjective = how.logObjective;
  const objective = (x: number) => {
    if (param.kind === "extra") {
      const c = Math.expm1(x);
      for (let j = 0; j < count; j++) bandwidths[j] = base[j]! * (1 + c * slope[j]!);
    } else {
      const scale = Math.exp(x);
      for (let j = 0; j < count; j++) bandwidths[j] = base[j]! * scale;
    }
    evaluatePlan(param.plan, bandwidths, estimates);
    let sum = 0;
    for (let j = 0; j < count; j++) {
      const weight = w[j]!;
      if (weight === 0) continue;
      const e = estimates[j]!;
      if (logObjective) {
        if (!(e > 0 && e < Infinity)) return Infinity;
        const r = logMeasured[j]! - Math.log(e);
        sum += weight * r * r;
      } else {
        if (!Number.isFinite(e)) return Infinity;
        const r = seconds[j]! - e;
        sum += weight * r * r;
      }
    }
    return sum;
  };
  const [lo, hi] = !full
    ? [old - LOCAL_HALF_WIDTH, old + LOCAL_HALF_WIDTH]
    : param.kind === "extra"
    ? EXTRA_RANGE
    : [param.center - param.halfWidth, param.center + param.halfWidth];
  return minimize1d(
    objective,
    lo,
    hi,
    full ? SCAN_POINTS : LOCAL_POINTS,
    how.tolerance,
    SEARCH_STEPS,
  );
}

/**
 * Pattern move (as in Hooke-Jeeves): coordinate search zigzags when
 * parameters are coupled (B per method × factor per group), so try going
 * further along this cycle's overall step; keeps theta when that is no
 * better.
 */
function patternMove(
  before: Float64Array,
  theta: Float64Array,
  fullLoss: (theta: Float64Array) => number,
): void {
  const step = theta.map((x, k) => x - before[k]!);
  const along = (alpha: number) => fullLoss(before.map((x, k) => x + alpha * step[k]!));
  const current = fullLoss(theta);
  const move = minimize1d(
    along,
    PATTERN.lo,
    PATTERN.hi,
    PATTERN.points,
    PATTERN.tolerance,
    PATTERN.steps,
  );
  if (move.value < current) theta.set(before.map((x, k) => x + move.x * step[k]!));
}

/**
 * With one B per method, a start from independent fits of each (method,
 * group) cell: level = the baseline cell (or the median cell), factor = the
 * mean offset of its cells from their method's level.
 *
 * @param data The runs.
 * @param layout The parameters.
 * @param options Resolved options.
 * @param loss The loss of one run.
 */
export function cellStart(
  data: FitData,
  layout: ParamLayout,
  options: ResolvedFitOptions,
  loss: Loss,
): Float64Array {
  const { params } = layout;
  const { methods, groups, link, measured, crude } = data;
  const n = data.indices.length;
  const cells = new Map<string, number>();
  const keyOf = (p: number) => `${methods[p]}\u0000${groups[p]}`;
  const keys = [...new Set(Array.from({ length: n }, (_, p) => keyOf(p)))];
  for (const key of keys) {
    const positions = positionsWhere(n, (p) => keyOf(p) === key);
    const plan = makePlan(
      data.where,
      data.runs,
      positions.map((p) => data.indices[p]!),
      options.modelOptions,
    );
    const bandwidths = new Float64Array(positions.length);
    const estimates = new Float64Array(positions.length);
    const objective = (x: number) => {
      positions.forEach((p, j) => bandwidths[j] = link[p]! * Math.exp(x));
      evaluatePlan(plan, bandwidths, estimates);
      let sum = 0;
      positions.forEach((p, j) => sum += loss(measured[p]!, estimates[j]!));
      return sum;
    };
    const center = median(positions.map((p) => crude[p]!));
    const lo = center - LEVEL_HALF_WIDTH;
    const hi = center + LEVEL_HALF_WIDTH;
    cells.set(key, minimize1d(objective, lo, hi, SCAN_POINTS, options.tolerance, SEARCH_STEPS).x);
  }
  const start = new Float64Array(params.length);
  params.forEach((param, k) => {
    if (param.kind !== "level") return;
    const own = [...cells].filter(([key]) => key.startsWith(`${param.name}\u0000`));
    const base = cells.get(`${param.name}\u0000${options.baseline}`);
    start[k] = base ?? median(own.map(([, x]) => x));
  });
  params.forEach((param, k) => {
    if (param.kind !== "factor") return;
    const offsets = params.flatMap((level, j) => {
      const cell = cells.get(`${level.name}\u0000${param.name}`);
      return level.kind === "level" && cell !== undefined ? [cell - start[j]!] : [];
    });
    start[k] = offsets.reduce((a, b) => a + b, 0) / offsets.length;
  });
  return start;
}
