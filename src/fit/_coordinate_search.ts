// The search for theta: each parameter is found by a bracketing 1-D search
// over the runs it touches (minimize1d); several coupled parameters are found
// by coordinate search, cycles until no parameter moves, with a pattern move
// along each cycle's step.
import { evaluatePlan, makePlan, type Plan } from "./_evaluate.ts";
import { concatPositions, type FitData, gather } from "./_fit_data.ts";
import { bandwidthOf, initialTheta, type Param, type ParamLayout } from "./_fit_params.ts";
import {
  estimateKeys,
  type Lattice,
  LATTICE_HALF_POINTS,
  latticeOrigin,
  latticePointSearch,
  latticeSearch,
  newLattice,
  type ParamObjective,
  REFIT_TOLERANCE,
  stepsFinely,
} from "./_lattice_search.ts";
import { minimize1d, type Minimum1d } from "../_search.ts";
import type { ResolvedFitOptions } from "./types.ts";

/** Scan points of a parameter's first search. */
export const SCAN_POINTS = 17;
/** Coordinate search stops when no parameter moved more than this in ln B during a cycle. */
const CYCLE_TOLERANCE = 1e-7;
/** Scan points and half-width (ln B) of the searches after the first cycle, around the last value. */
const LOCAL_POINTS = 11;
const LOCAL_HALF_WIDTH = 0.3;
/** The range of u in the extra term's first search: a multiplier slope e^u - 1 from -0.8 to 4. */
const EXTRA_RANGE: [number, number] = [Math.log(0.2), Math.log(5)];
/** Most Brent steps of a 1-D search. */
export const SEARCH_STEPS = 200;
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
  /**
   * Under the log objective, for a level or factor: the runs whose estimate
   * is M/B exactly (KVM post-copy switching at once). Their loss is
   * (c_j + x)^2 with c_j = ln T_j - ln M_j + ln base_j, so their part of the
   * objective is a quadratic in x found in one pass, and the search (if any
   * other runs remain) evaluates only the others.
   */
  quadratic: Int32Array;
  /** ln T - ln M + ln link of each run of the quadratic part. */
  quadraticConstant: Float64Array;
  /** The plan of the other runs (all of them when there is no quadratic part). */
  rest: Plan;
  /** The positions (into the parameter's runs) of the other runs. */
  restPositions: Int32Array;
  /** Each of the other runs' residual at the point being evaluated. */
  residuals: Float64Array;
  /** The residuals at the scan points of searches centred at `scanCenter`. */
  scan: Map<number, Float64Array>;
  scanCenter: number;
  scanPoints: number;
  /**
   * Whether the parameter is independent and its runs' times step finely in
   * B (_lattice_search.ts): searched on the lattice, whose rows are kept here.
   */
  fine: boolean;
  lattice: Lattice;
  /** Per searched run on the lattice, the key of its cached estimates (built at first use). */
  keys: string[] | null;
  /** The lattice's origin (latticeOrigin), set at first use. */
  origin: number | null;
}

/**
 * The coordinate search over a layout's parameters, with its scratch
 * allocated once for every call.
 *
 * @param data The runs.
 * @param layout The parameters.
 * @param options Resolved options (tolerance, cycles, objective, model options).
 * @param loss The loss of one run.
 * @param lattices Per parameter, its lattice rows (_lattice_search.ts), added to as the searches
 * go: pass the same arrays to solvers of the same fit to share them (rows depend only on the runs).
 */
export function createSolver(
  data: FitData,
  layout: ParamLayout,
  options: ResolvedFitOptions,
  loss: Loss,
  lattices: Lattice[] = layout.params.map(newLattice),
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
  const how = { tolerance: options.tolerance, logObjective: options.objective === "log" };
  const withExtra = layout.extraIndex >= 0;
  const scratch = params.map((param, k) =>
    scratchOf(param, data, how.logObjective, withExtra, layout.independent, lattices[k]!)
  );
  const closed = scratch.map((own) => own.restPositions.length === 0 && own.quadratic.length > 0);
  const closedForm = closed.every(Boolean);
  // Every parameter in closed form or on the lattice: one cycle settles them all.
  const settled = scratch.every((own, k) => closed[k] || own.fine);
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
        // A parameter on the lattice is settled by its first search.
        if (cycle > 1 && scratch[k]!.fine) continue;
        // Only the bootstrap's first cycle: every resample starts from the same point.
        const cacheScan = independent && cycle === 1 && start !== null;
        const result = searchParam(layout, data, k, scratch[k]!, theta, full, {
          ...how,
          cacheScan,
        });
        maxDelta = Math.max(maxDelta, Math.abs(result.x - theta[k]!));
        allConverged &&= result.converged;
        theta[k] = result.x;
      }
      // Independent parameters need one cycle; from a start (the bootstrap)
      // a second one checks that none moves, unless each is in closed form
      // (its second cycle gives the same x bit for bit).
      if (independent && (start === null || closedForm || settled)) {
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

function scratchOf(
  param: Param,
  data: FitData,
  logObjective: boolean,
  withExtra: boolean,
  independent: boolean,
  lattice: Lattice,
): Scratch {
  const count = param.positions.length;
  // Only without the extra term: with it a post-copy run's bandwidth has a factor 1 + c·W/M.
  const split = logObjective && param.kind !== "extra" && !withExtra;
  const quadraticBatches = split ? param.plan.batches.filter((b) => b.logLinear) : [];
  const restBatches = split ? param.plan.batches.filter((b) => !b.logLinear) : param.plan.batches;
  const quadratic = concatPositions(quadraticBatches);
  const quadraticConstant = new Float64Array(count);
  for (const batch of quadraticBatches) {
    batch.positions.forEach((j, k) => {
      const p = param.positions[j]!;
      quadraticConstant[j] = Math.log(data.measured[p]!) - Math.log(batch.memoryBytes[k]!) +
        Math.log(data.link[p]!);
    });
  }
  const rest: Plan = { length: param.plan.length, batches: restBatches };
  return {
    quadratic,
    quadraticConstant,
    rest,
    fine: independent && stepsFinely(rest),
    lattice,
    keys: null,
    origin: null,
    restPositions: concatPositions(restBatches),
    residuals: new Float64Array(count),
    scan: new Map(),
    scanCenter: NaN,
    scanPoints: 0,
    bandwidths: new Float64Array(count),
    estimates: new Float64Array(count),
    base: new Float64Array(count),
    workload: gather(data.workload, param.positions),
    measured: gather(data.measured, param.positions),
    logMeasured: gather(data.measured, param.positions).map(Math.log),
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
  how: { tolerance: number; logObjective: boolean; cacheScan: boolean },
): Minimum1d {
  const param = layout.params[k]!;
  const { positions } = param;
  const count = positions.length;
  const { bandwidths, estimates, base, logMeasured, measured: seconds, weights: w } = own;
  // Each run's bandwidth with this parameter at 0, so that during the
  // search B = base·e^x (level, factor) or base·(1 + (e^x - 1)·W/M)
  // (extra): one exp per evaluation instead of one per run.
  const old = theta[k]!;
  const { rest, restPositions } = own;
  theta[k] = 0;
  for (let i = 0; i < restPositions.length; i++) {
    const j = restPositions[i]!;
    base[j] = bandwidthOf(layout, data, theta, positions[j]!);
  }
  theta[k] = old;
  const { total, mean, spread } = quadraticPart(layout, k, own, theta, positions);
  const slope = own.workload;
  const logObjective = how.logObjective;
  const [lo, hi] = !full
    ? [old - LOCAL_HALF_WIDTH, old + LOCAL_HALF_WIDTH]
    : param.kind === "extra"
    ? EXTRA_RANGE
    : [param.center - param.halfWidth, param.center + param.halfWidth];
  if (restPositions.length === 0 && total > 0) {
    // Closed form: the least-squares x is minus the weighted mean of c_j.
    const x = -mean;
    // (value: the objective is not needed by the callers of a closed form.)
    return { x, value: NaN, iterations: 0, converged: x > lo && x < hi };
  }
  // Per run of the search: its estimate at x, and its residual (log ratio
  // or seconds), or Infinity for an unusable estimate.
  const estimatesAt = (x: number, into: Float64Array) => {
    if (param.kind === "extra") {
      const c = Math.expm1(x);
      for (let j = 0; j < count; j++) bandwidths[j] = base[j]! * (1 + c * slope[j]!);
    } else {
      const scale = Math.exp(x);
      for (let i = 0; i < restPositions.length; i++) {
        const j = restPositions[i]!;
        bandwidths[j] = base[j]! * scale;
      }
    }
    evaluatePlan(rest, bandwidths, estimates);
    for (let i = 0; i < restPositions.length; i++) into[i] = estimates[restPositions[i]!]!;
    return into;
  };
  const residualOf = (i: number, e: number) => {
    const j = restPositions[i]!;
    return logObjective
      ? (e > 0 && e < Infinity ? logMeasured[j]! - Math.log(e) : Infinity)
      : (Number.isFinite(e) ? seconds[j]! - e : Infinity);
  };
  const residualsAt = (x: number, into: Float64Array) => {
    estimatesAt(x, into);
    for (let i = 0; i < restPositions.length; i++) into[i] = residualOf(i, into[i]!);
    return into;
  };
  const objective = (x: number, residuals: Float64Array) => {
    let sum = total > 0 ? total * (x + mean) ** 2 + spread : 0;
    for (let i = 0; i < restPositions.length; i++) {
      const weight = w[restPositions[i]!]!;
      if (weight === 0) continue;
      const r = residuals[i]!;
      if (r === Infinity) return Infinity;
      sum += weight * r * r;
    }
    return sum;
  };
  if (own.fine) {
    // On the lattice (_lattice_search.ts): the point estimate's searches,
    // or a refit from a start (the bootstrap's) on the lattice alone.
    const search: ParamObjective = {
      residualsAt,
      estimatesAt,
      residualOf,
      objective,
      count: restPositions.length,
      origin: own.origin ??= latticeOrigin(base[restPositions[0]!]!),
      keys: own.keys ??= estimateKeys(own.rest, base, own.origin),
    };
    const scratch = own.residuals;
    if (full) {
      const range = { lo, hi, points: SCAN_POINTS };
      return latticePointSearch(own.lattice, search, range, how.tolerance, SEARCH_STEPS, scratch);
    }
    const tolerance = Math.max(how.tolerance, REFIT_TOLERANCE);
    const half = LATTICE_HALF_POINTS.refit;
    const found = latticeSearch(own.lattice, search, old, half, tolerance, SEARCH_STEPS, scratch);
    if (found !== null) return found;
  }
  const points = full ? SCAN_POINTS : LOCAL_POINTS;
  // The bootstrap's first searches all scan the same points around the
  // point estimate, with the same bandwidths when the parameters are
  // independent: their residuals are kept and only re-weighted.
  const cache = how.cacheScan ? scanCache(own, old, points) : null;
  let calls = 0;
  const f = (x: number) => {
    const scan = calls++ < points;
    if (cache !== null && scan) {
      let residuals = cache.get(x);
      if (residuals === undefined) {
        residuals = residualsAt(x, new Float64Array(restPositions.length));
        cache.set(x, residuals);
      }
      return objective(x, residuals);
    }
    return objective(x, residualsAt(x, own.residuals));
  };
  return minimize1d(f, lo, hi, points, how.tolerance, SEARCH_STEPS);
}

/**
 * The quadratic part of parameter k's objective, sum w_j (c_j + x)^2 =
 * total·(x + mean)^2 + spread (centred, for precision), with c_j = ln T_j -
 * ln M_j + ln base_j and ln base_j = ln link_j + the other parameters' log
 * levels (no extra term on these runs: quadratic runs exist only without
 * one). The spread only when other runs are searched too (the closed form
 * needs the mean).
 */
function quadraticPart(
  layout: ParamLayout,
  k: number,
  own: Scratch,
  theta: Float64Array,
  positions: readonly number[],
): { total: number; mean: number; spread: number } {
  const { quadratic, quadraticConstant, restPositions, weights: w } = own;
  const { levelOf, factorOf } = layout;
  // Independent parameters: each run uses this one only, so the offset is 0.
  const offsetOf = layout.independent ? () => 0 : (p: number) => {
    const level = levelOf[p]!;
    const factor = factorOf[p]!;
    return (level === k ? 0 : theta[level]!) + (factor < 0 || factor === k ? 0 : theta[factor]!);
  };
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < quadratic.length; i++) {
    const j = quadratic[i]!;
    const weight = w[j]!;
    if (weight === 0) continue;
    total += weight;
    weighted += weight * (quadraticConstant[j]! + offsetOf(positions[j]!));
  }
  const mean = total > 0 ? weighted / total : 0;
  let spread = 0;
  for (let i = 0; restPositions.length > 0 && i < quadratic.length; i++) {
    const j = quadratic[i]!;
    const weight = w[j]!;
    if (weight === 0) continue;
    const delta = quadraticConstant[j]! + offsetOf(positions[j]!) - mean;
    spread += weight * delta * delta;
  }
  return { total, mean, spread };
}

/** The scan's residuals kept for searches centred at `center` (reset for another centre). */
function scanCache(own: Scratch, center: number, points: number): Map<number, Float64Array> {
  if (own.scanCenter !== center || own.scanPoints !== points) {
    own.scanCenter = center;
    own.scanPoints = points;
    own.scan.clear();
  }
  return own.scan;
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
