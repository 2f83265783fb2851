// The 1-D search of an independent parameter whose objective steps finely:
// the QEMU models' (KVM pre-copy's switch, QEMU under Xen's rules), whose
// estimate of a run moves by a bitmap sync's or a pass's worth at many B
// within a percent. Their summed objective is piecewise smooth in ln B with
// pieces 1e-5 to 3e-4 wide and a local minimum in most of them (on
// qemu-tcg-1gbit/, KVM pre-copy's memory group: 21 local minima within 0.4 %
// of B), so a bracketing search lands in one of them and a resample's refit
// in another. This one scans a fixed lattice x = i·h around a centre, wider
// until its best point is inside, and refines between that point's
// neighbours. The residuals of the runs at the lattice points do not depend
// on the run weights, so they are computed once per fit and shared by every
// bootstrap resample: a resample costs a weighted sum per lattice point and
// the refinement's evaluations.
import { minimize1d, type Minimum1d } from "../_search.ts";
import type { Plan } from "./_evaluate.ts";

/** The lattice's spacing in ln B: 5e-5, at least two points in a piece 1e-4 wide. */
export const LATTICE_SPACING = 5e-5;
/**
 * Lattice points either side of the centre in the first scan: ±16 (±0.0008
 * in ln B) after a point estimate's wide search, ±256 (±0.0128) for a
 * bootstrap refit from the point estimate. A resample's lowest point can lie
 * several jumps away from the point estimate: on qemu-tcg-1gbit/ KVM
 * pre-copy's intervals kept widening up to ±128 points (±256: the same but
 * for one bound, cpu's low end, 0.9921 -> 0.9903), while the point estimates
 * are the lowest points of a scan over ±0.2 (bench/objective_scan.ts).
 */
export const LATTICE_HALF_POINTS = { point: 16, refit: 256 } as const;
/** The most lattice points either side (±0.2 in ln B) before the caller's search takes over. */
export const LATTICE_MAX_HALF_POINTS = 4096;

/** The sweep models whose times step finely in B, searched on the lattice. */
const FINE_STEP_MODELS: ReadonlySet<string> = new Set(["kvm-precopy", "qemu-xen-rules"]);

/** Whether a plan holds runs of a model whose time steps finely in B. */
export function stepsFinely(plan: Plan): boolean {
  return plan.batches.some((batch) => FINE_STEP_MODELS.has(batch.model));
}

/** A parameter's objective, as its search evaluates it. */
export interface ParamObjective {
  /** The residuals of the searched runs at x, written into `into`. */
  residualsAt: (x: number, into: Float64Array) => Float64Array;
  /** The weighted objective at x from those residuals. */
  objective: (x: number, residuals: Float64Array) => number;
  /** The number of searched runs (the length of a residual row). */
  count: number;
}

/** The residual rows of one parameter at lattice points, by lattice index i (x = i·h). */
export type Lattice = Map<number, Float64Array>;

/**
 * Minimises a parameter's objective on the lattice around `center`, then
 * refines between the best point's neighbours (Brent, as minimize1d); null
 * when the best point is still at an end of the widest scan.
 *
 * @param lattice The rows computed so far (added to).
 * @param own The parameter's objective.
 * @param center Where the scan is centred, ln B.
 * @param firstHalfPoints Lattice points either side in the first scan (doubled while the best is at an end).
 * @param tolerance Stop the refinement when the bracket is narrower than this.
 * @param steps Most refinement steps.
 * @param scratch A residual row for the refinement's evaluations.
 */
export function latticeSearch(
  lattice: Lattice,
  own: ParamObjective,
  center: number,
  firstHalfPoints: number,
  tolerance: number,
  steps: number,
  scratch: Float64Array,
): Minimum1d | null {
  const h = LATTICE_SPACING;
  const middle = Math.round(center / h);
  let half = firstHalfPoints;
  for (;;) {
    const values = new Float64Array(2 * half + 1);
    let best = 0;
    for (let k = 0; k <= 2 * half; k++) {
      const i = middle - half + k;
      let row = lattice.get(i);
      if (row === undefined) {
        row = own.residualsAt(i * h, new Float64Array(own.count));
        lattice.set(i, row);
      }
      values[k] = own.objective(i * h, row);
      if (values[k]! < values[best]!) best = k;
    }
    if (best > 0 && best < 2 * half) {
      const i = middle - half + best;
      // The scan of minimize1d's three points is the lattice's: its values are known.
      const known = [values[best - 1]!, values[best]!, values[best + 1]!];
      let calls = 0;
      const f = (x: number) =>
        calls < 3 ? known[calls++]! : own.objective(x, own.residualsAt(x, scratch));
      return minimize1d(f, (i - 1) * h, (i + 1) * h, 3, tolerance, steps);
    }
    if (half >= LATTICE_MAX_HALF_POINTS) return null;
    half *= 2;
  }
}
