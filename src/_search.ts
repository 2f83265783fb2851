// One-dimensional bracketing search: scan a grid for the best point, then
// Brent's method (parabolic steps, golden-section fallback) between its
// neighbours. The scan makes it robust to the steps of the pre-copy time
// (piecewise in B) on the large scale; the refinement is golden section while
// the bracket is wide and Brent's parabolic steps once it is narrow.
//
// Why not parabolic steps from the start: the objective is a smooth trend
// plus small jumps (a run's round count changes at some B), and its minimum
// can sit right at a jump, with a slightly worse smooth local minimum a
// fraction of a percent away. Golden section compares points far apart and
// follows the trend into the lower of the two; a parabola fitted across the
// jump lands in the smooth one and stays there. On the synthetic paper grid
// (80 group objectives: 6 datasets, per method and pooled, and the bench's
// 10,000 runs) pure Brent after the scan ended 0.1 % off in B with an
// objective up to 0.47 sigma^2 worse than golden section's in 3 fits (KVM
// pre-copy groups); with parabolic steps only below PARABOLIC_WIDTH it ended
// at golden section's optimum in 78 of 80 and within 0.003 sigma^2 of its
// objective in the other 2, in 35 instead of 92 evaluations a search (the
// 49-point scan plus golden section to 1e-9 used before).

/** The result of {@linkcode minimize1d}. */
export interface Minimum1d {
  /** The best argument found. */
  x: number;
  /** The objective there. */
  value: number;
  /** Brent iterations (objective evaluations after the scan). */
  iterations: number;
  /** Whether the bracket shrank below the tolerance and the best point is inside the scan range. */
  converged: boolean;
}

/**
 * Bracket width (in the search variable: ln B) below which parabolic steps
 * are tried: 0.3 % in B, inside the bootstrap interval of a 100-run group
 * (about ±0.7 % at 5 % noise).
 */
export const PARABOLIC_WIDTH = 3e-3;

/** 1 - 1/φ, the golden-section fraction (3 - sqrt(5)) / 2. */
const GOLDEN = (3 - Math.sqrt(5)) / 2;

/**
 * Minimises f on [lo, hi]: a scan of `points` evenly spaced values, then
 * Brent's method in the interval around the best of them, started from the
 * best point and its two scan neighbours, with parabolic steps only once the
 * bracket is narrower than `parabolicWidth` (golden section before). Stops
 * when the bracket around the best point is narrower than `tolerance`. The
 * best point never gets worse than the scan's best.
 *
 * @param f The objective.
 * @param lo Lower end of the range.
 * @param hi Upper end.
 * @param points Scan points, >= 3.
 * @param tolerance Stop when the bracket is narrower than this.
 * @param maxIterations Most Brent steps.
 * @param parabolicWidth Bracket width below which parabolic steps are tried.
 */
export function minimize1d(
  f: (x: number) => number,
  lo: number,
  hi: number,
  points: number,
  tolerance: number,
  maxIterations: number,
  parabolicWidth = PARABOLIC_WIDTH,
): Minimum1d {
  const step = (hi - lo) / (points - 1);
  const values = new Float64Array(points);
  let bestK = 0;
  for (let k = 0; k < points; k++) {
    values[k] = f(lo + k * step);
    if (values[k]! < values[bestK]!) bestK = k;
  }
  let x = lo + bestK * step;
  let fx = values[bestK]!;
  let a = bestK === 0 ? lo : x - step;
  let b = bestK === points - 1 ? hi : x + step;
  // w: second-best point, v: the previous w. Seed them with the scan
  // neighbours (the one at distance 2 when the best is at an end).
  const left = bestK > 0 ? bestK - 1 : bestK + 2;
  const right = bestK < points - 1 ? bestK + 1 : bestK - 2;
  const [kw, kv] = values[left]! <= values[right]! ? [left, right] : [right, left];
  let w = lo + kw * step;
  let fw = values[kw]!;
  let v = lo + kv * step;
  let fv = values[kv]!;
  // d: the last step, e: the one before; a parabolic step is accepted only if
  // it is less than half of e. Starting both at the scan step lets the first
  // step be parabolic.
  let d = step;
  let e = step;
  const tol1 = tolerance / 4;
  const tol2 = 2 * tol1;
  let iterations = 0;
  let shrunk = false;
  while (iterations < maxIterations) {
    const xm = 0.5 * (a + b);
    // Stop when x is within tol2 of both ends: b - a <= tolerance.
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) {
      shrunk = true;
      break;
    }
    iterations += 1;
    let parabolic = false;
    if (
      b - a <= parabolicWidth && Math.abs(e) > tol1 && Number.isFinite(fx) && Number.isFinite(fw) &&
      Number.isFinite(fv)
    ) {
      // Parabola through (x, fx), (w, fw), (v, fv): its vertex is x + p/q.
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const before = e;
      e = d;
      if (
        q > 0 && Math.abs(p) < Math.abs(0.5 * q * before) && p > q * (a - x) && p < q * (b - x)
      ) {
        d = p / q;
        const u = x + d;
        // Not closer than tol2 to an end of the bracket.
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        parabolic = true;
      }
    }
    if (!parabolic) {
      e = x >= xm ? a - x : b - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  const inside = bestK > 0 && bestK < points - 1;
  return { x, value: fx, iterations, converged: shrunk && inside };
}
