// The 1-D searches of a fit on columns where a group holds Xen pre-copy runs
// (`xen-precopy`, the paper's model) beside KVM post-copy ones: the object
// path's searches (createSolver and searchParam in _coordinate_search.ts)
// step for step, on typed arrays. The post-copy runs are the quadratic part
// (count-weighted sums of their constants), the Xen runs are evaluated by
// xenRounds at each point, the scan of the bootstrap's first cycle is shared
// by every resample, and minimize1d runs on the same objective, so each
// parameter is the object path's, bit for bit. A run with weight 0 is not
// evaluated (it adds nothing to the objective).
import { minimize1d, type Minimum1d } from "../_search.ts";
import { xenRounds, type XenRoundsOutput } from "./_evaluate.ts";
import type { ResolvedXenOptions } from "../models/xen_precopy.ts";
import { SEARCH_STEPS } from "./_coordinate_search.ts";

/** The first search's points (SCAN_POINTS) and a local search's points and half-width. */
const FULL_POINTS = 17;
const LOCAL_POINTS = 11;
const LOCAL_HALF_WIDTH = 0.3;
const CYCLE_TOLERANCE = 1e-7;

/** One group's runs for the search: post-copy constants and the Xen runs' inputs. */
export interface SearchGroup {
  /** ln T - ln M + ln link of each post-copy run, in position order. */
  postConstant: Float64Array;
  /** The Xen runs' inputs, in position order. */
  memoryBytes: Float64Array;
  wssBytes: Float64Array;
  dirtyPagesPerSecond: Float64Array;
  pageBytes: Float64Array;
  /** The link of each Xen run (efficiency scale), or 1, bytes/s. */
  link: Float64Array;
  /** ln T of each Xen run. */
  logMeasured: Float64Array;
}

/** The weights of one group's runs (0: left out), post-copy and Xen apart. */
export interface GroupWeights {
  post: Float64Array;
  xen: Float64Array;
  /** Whether the fit's runs hold Xen runs of this group (weight 0 or not). */
  xenPresent: boolean;
}

const xenOut: XenRoundsOutput = {
  precopyTimeSeconds: 0,
  transferredBytes: 0,
  iterations: 0,
  stopCode: 0,
  stopAndCopyBytes: 0,
};

/**
 * The Xen runs' log residuals at x (bandwidth link × e^x), as searchParam's
 * residualsAt: only where `weights` is not 0 (all of them without weights).
 */
function xenResiduals(
  group: SearchGroup,
  xen: ResolvedXenOptions,
  x: number,
  weights: Float64Array | null,
  into: Float64Array,
): Float64Array {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, pageBytes, link, logMeasured } = group;
  const { maxIterations, maxTransferFactor, minDirtyPages } = xen;
  const scale = Math.exp(x);
  for (let i = 0; i < memoryBytes.length; i++) {
    if (weights !== null && weights[i] === 0) continue;
    // bandwidthOf at x = 0 (link × e^0 × 1), then × e^x.
    const b = link[i]! * Math.exp(0) * 1 * scale;
    xenRounds(
      memoryBytes[i]!,
      wssBytes[i]!,
      dirtyPagesPerSecond[i]!,
      b,
      pageBytes[i]!,
      maxIterations,
      maxTransferFactor,
      minDirtyPages,
      xenOut,
    );
    const e = xenOut.precopyTimeSeconds;
    into[i] = e > 0 && e < Infinity ? logMeasured[i]! - Math.log(e) : Infinity;
  }
  return into;
}

/** The post-copy runs' part of the objective, total × (x + mean)^2 + spread. */
export interface Quadratic {
  total: number;
  mean: number;
  spread: number;
}

/**
 * The post-copy runs' quadratic part, as quadraticPart in _coordinate_search.ts:
 * count-weighted sums in position order, the spread only where Xen runs remain.
 */
export function quadraticPart(group: SearchGroup, weights: GroupWeights): Quadratic {
  const { postConstant: c } = group;
  const { post: wp, xenPresent } = weights;
  // The object path skips a weight of 0; here it adds 0 (a constant is finite), the same sums
  // without a branch that a resample's counts (a third of them 0) would mispredict.
  let total = 0;
  let weighted = 0;
  for (let j = 0; j < c.length; j++) {
    const w = wp[j]!;
    total += w;
    weighted += w * (c[j]! + 0);
  }
  const mean = total > 0 ? weighted / total : 0;
  let spread = 0;
  for (let j = 0; xenPresent && j < c.length; j++) {
    const delta = c[j]! + 0 - mean;
    spread += wp[j]! * delta * delta;
  }
  return { total, mean, spread };
}

/**
 * One group's search in [lo, hi] with `points` scan points, as searchParam:
 * the post-copy runs' quadratic part (`quadratic`, summed here unless given)
 * in closed form, the Xen runs evaluated.
 * `cache` (the scan's residuals by x) is shared by searches with the same
 * scan points.
 */
export function searchGroup(
  group: SearchGroup,
  xen: ResolvedXenOptions,
  weights: GroupWeights,
  range: { lo: number; hi: number; points: number },
  tolerance: number,
  cache: Map<number, Float64Array> | null,
  quadratic: Quadratic = quadraticPart(group, weights),
): Minimum1d {
  const { xen: wx, xenPresent } = weights;
  const { total, mean, spread } = quadratic;
  const { lo, hi, points } = range;
  if (!xenPresent && total > 0) {
    const x = -mean;
    return { x, value: NaN, iterations: 0, converged: x > lo && x < hi };
  }
  const count = group.memoryBytes.length;
  const scratch = new Float64Array(count);
  const objective = (x: number, residuals: Float64Array) => {
    let sum = total > 0 ? total * (x + mean) ** 2 + spread : 0;
    for (let i = 0; i < count; i++) {
      const w = wx[i]!;
      if (w === 0) continue;
      const r = residuals[i]!;
      if (r === Infinity) return Infinity;
      sum += w * r * r;
    }
    return sum;
  };
  let calls = 0;
  const f = (x: number) => {
    if (cache !== null && calls++ < points) {
      let residuals = cache.get(x);
      if (residuals === undefined) {
        residuals = xenResiduals(group, xen, x, null, new Float64Array(count));
        cache.set(x, residuals);
      }
      return objective(x, residuals);
    }
    return objective(x, xenResiduals(group, xen, x, wx, scratch));
  };
  return minimize1d(f, lo, hi, points, tolerance, SEARCH_STEPS);
}

/**
 * The full-range fit of every group (weights 1, or 0 for runs left out), as
 * the object path's first cycle from the crude centres: theta and whether
 * every search converged inside its range.
 */
export function fullSearch(
  groups: readonly SearchGroup[],
  weights: readonly GroupWeights[],
  centers: Float64Array,
  halfWidth: number,
  xen: ResolvedXenOptions,
  tolerance: number,
): { theta: Float64Array; converged: boolean } {
  const theta = new Float64Array(groups.length);
  let converged = true;
  for (let k = 0; k < groups.length; k++) {
    const range = { lo: centers[k]! - halfWidth, hi: centers[k]! + halfWidth, points: FULL_POINTS };
    const result = searchGroup(groups[k]!, xen, weights[k]!, range, tolerance, null);
    converged &&= result.converged;
    theta[k] = result.x;
  }
  return { theta, converged };
}

/** The scan caches of the bootstrap's first cycle, one per group. */
export type ScanCaches = Map<number, Float64Array>[];

/**
 * A bootstrap resample's fit from `start` (the point estimate), as the
 * object path's solver: cycles of local searches (±0.3, 11 points; the first
 * cycle's scan from `caches`) until no parameter moves by more than the
 * cycle tolerance, at most `maxIterations` cycles.
 */
export function localCycles(
  groups: readonly SearchGroup[],
  weights: readonly GroupWeights[],
  start: Float64Array,
  xen: ResolvedXenOptions,
  options: { tolerance: number; maxIterations: number },
  caches: ScanCaches,
): Float64Array {
  const theta = Float64Array.from(start);
  // The quadratic parts do not depend on theta (one parameter per group): summed once.
  const quadratics = groups.map((group, k) => quadraticPart(group, weights[k]!));
  for (let cycle = 1; cycle <= options.maxIterations; cycle++) {
    let maxDelta = 0;
    for (let k = 0; k < groups.length; k++) {
      const old = theta[k]!;
      const range = {
        lo: old - LOCAL_HALF_WIDTH,
        hi: old + LOCAL_HALF_WIDTH,
        points: LOCAL_POINTS,
      };
      const cache = cycle === 1 ? caches[k]! : null;
      const result = searchGroup(
        groups[k]!,
        xen,
        weights[k]!,
        range,
        options.tolerance,
        cache,
        quadratics[k]!,
      );
      maxDelta = Math.max(maxDelta, Math.abs(result.x - theta[k]!));
      theta[k] = result.x;
    }
    if (cycle > 1 && maxDelta < Math.max(CYCLE_TOLERANCE, 10 * options.tolerance)) break;
  }
  return theta;
}
