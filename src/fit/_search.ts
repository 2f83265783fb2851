// One-dimensional bracketing search: scan a grid for the best point, then
// golden-section search between its neighbours. The scan makes it robust to
// the steps of the pre-copy time (piecewise in B); the golden section refines.

/** The result of {@linkcode minimize1d}. */
export interface Minimum1d {
  /** The best argument found. */
  x: number;
  /** The objective there. */
  value: number;
  /** Golden-section iterations used. */
  iterations: number;
  /** Whether the bracket shrank below the tolerance and the best point is inside the scan range. */
  converged: boolean;
}

/** Golden ratio conjugate, (sqrt(5) - 1) / 2. */
const INV_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * Minimises f on [lo, hi]: a scan of `points` evenly spaced values, then a
 * golden-section search in the interval around the best of them. Returns the
 * better of the scan's best and the golden section's end point.
 *
 * @param f The objective.
 * @param lo Lower end of the range.
 * @param hi Upper end.
 * @param points Scan points, >= 3.
 * @param tolerance Stop when the bracket is narrower than this.
 * @param maxIterations Most golden-section steps.
 */
export function minimize1d(
  f: (x: number) => number,
  lo: number,
  hi: number,
  points: number,
  tolerance: number,
  maxIterations: number,
): Minimum1d {
  const step = (hi - lo) / (points - 1);
  let bestK = 0;
  let bestX = lo;
  let bestValue = Infinity;
  for (let k = 0; k < points; k++) {
    const x = lo + k * step;
    const value = f(x);
    if (value < bestValue) {
      bestValue = value;
      bestX = x;
      bestK = k;
    }
  }
  let a = bestK === 0 ? lo : bestX - step;
  let b = bestK === points - 1 ? hi : bestX + step;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  let iterations = 0;
  while (b - a > tolerance && iterations < maxIterations) {
    iterations += 1;
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d);
    }
  }
  const goldenX = fc <= fd ? c : d;
  const goldenValue = Math.min(fc, fd);
  const inside = bestK > 0 && bestK < points - 1;
  const converged = b - a <= tolerance && inside;
  return goldenValue <= bestValue
    ? { x: goldenX, value: goldenValue, iterations, converged }
    : { x: bestX, value: bestValue, iterations, converged };
}
