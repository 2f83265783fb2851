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
 * Lattice points either side of the centre in the first scan: ±128 (±0.0064
 * in ln B) after a point estimate's wide search, ±256 (±0.0128) for a
 * bootstrap refit from the point estimate. A resample's lowest point can lie
 * several jumps away from the point estimate: on qemu-tcg-1gbit/ KVM
 * pre-copy's intervals kept widening up to ±128 points (±256: the same but
 * for one bound, cpu's low end, 0.9921 -> 0.9903), while the point estimates
 * are the lowest points of a scan over ±0.2 (bench/objective_scan.ts).
 */
export const LATTICE_HALF_POINTS = { point: 128, refit: 256 } as const;
/** The most lattice points either side (±0.2 in ln B) before the caller's search takes over. */
export const LATTICE_MAX_HALF_POINTS = 4096;

/**
 * The coarsest tolerance (ln B) of a bootstrap refit's refinement on the
 * lattice: 1e-5, a fiftieth of the Monte Carlo error of a 200-resample
 * percentile bound on qemu-tcg-1gbit/ (about 5e-4) and 0.01 Mbit/s in B; a
 * point estimate's refinement keeps the fit's `tolerance` (1e-7).
 */
export const REFIT_TOLERANCE = 1e-5;

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
  /** The estimates of the searched runs at x (by their place in the row), into `into`. */
  estimatesAt: (x: number, into: Float64Array) => Float64Array;
  /** The residual of the searched run at place i of the row, from its estimate. */
  residualOf: (i: number, estimate: number) => number;
  /** The weighted objective at x from those residuals. */
  objective: (x: number, residuals: Float64Array) => number;
  /** The number of searched runs (the length of a residual row). */
  count: number;
  /** Per searched run, what its estimate depends on besides x (estimateKeys), or null: not cached. */
  keys: readonly string[] | null;
  /**
   * The x of lattice index 0 (latticeOrigin): the lattice is x = origin + i·h, so that the
   * same B are searched whatever the scale (ln B, or ln of the efficiency).
   */
  origin: number;
}

/**
 * The lattice's origin for runs whose bandwidth at x = 0 is `base`: the
 * lattice then falls on B = e^(k·h) for the first of them, as on the
 * absolute scale (where base is 1 and the origin 0).
 */
export function latticeOrigin(base: number): number {
  const logBase = Math.log(base);
  return -(logBase - Math.floor(logBase / LATTICE_SPACING) * LATTICE_SPACING);
}

/**
 * The residual rows of one parameter at lattice points, by lattice index i
 * (x = origin + i·h): on the lattice, and on the fine one (h / 10) that a
 * point estimate's search scans around its best lattice point.
 */
export interface Lattice {
  coarse: Map<number, Float64Array>;
  fine: Map<number, Float64Array>;
}

/** An empty lattice. */
export function newLattice(): Lattice {
  return { coarse: new Map(), fine: new Map() };
}

/** The fine lattice's spacing, and its points either side of the best lattice point (±2 cells). */
export const FINE = { spacing: 5e-6, halfPoints: 20 } as const;

/**
 * Estimates at lattice points, by estimateKey and lattice index, shared by
 * every fit in the process: a cross-validation fold's runs are its full
 * fit's, and their estimates at a lattice point do not depend on the fold.
 * An estimate is a function of the key's values and x alone, so a cached one
 * is the one the model would give.
 */
const ESTIMATES = {
  coarse: new Map<string, Map<number, number>>(),
  fine: new Map<string, Map<number, number>>(),
};
/** Keys kept before the cache is emptied (about 10^5 lattice estimates each fit). */
const MAX_CACHED_KEYS = 20_000;

/**
 * Per searched run of a plan (in its batches' order), what its estimate at
 * ln B = x depends on besides x: the model and its options, the run's inputs
 * and its bandwidth at x = 0 (`base`, by position: its link, or 1), and the lattice's origin.
 */
export function estimateKeys(plan: Plan, base: Float64Array, origin: number): string[] {
  const keys: string[] = [];
  for (const batch of plan.batches) {
    const head = `${origin}|${batch.model}|${JSON.stringify(batch.options)}|`;
    batch.positions.forEach((j, k) => {
      const inputs = [
        batch.memoryBytes[k]!,
        batch.wssBytes[k]!,
        batch.dirtyPagesPerSecond[k]!,
        batch.pageBytes[k]!,
        batch.zeroBytes[k]!,
        base[j]!,
      ];
      keys.push(head + inputs.join(","));
    });
  }
  return keys;
}

/** The residual row at index i of the lattice or the fine one: kept, from cached estimates, or evaluated (and cached). */
function rowAt(
  lattice: Lattice,
  grid: "coarse" | "fine",
  own: ParamObjective,
  i: number,
  scratch: Float64Array,
): Float64Array {
  let row = lattice[grid].get(i);
  if (row !== undefined) return row;
  row = new Float64Array(own.count);
  const { keys } = own;
  const cache = ESTIMATES[grid];
  let cached = keys !== null;
  for (let r = 0; cached && r < own.count; r++) {
    const e = cache.get(keys![r]!)?.get(i);
    if (e === undefined) cached = false;
    else row[r] = own.residualOf(r, e);
  }
  if (!cached) {
    const spacing = grid === "coarse" ? LATTICE_SPACING : FINE.spacing;
    const estimates = own.estimatesAt(own.origin + i * spacing, scratch);
    if (keys !== null && cache.size > MAX_CACHED_KEYS) cache.clear();
    for (let r = 0; r < own.count; r++) {
      if (keys !== null) {
        let byPoint = cache.get(keys[r]!);
        if (byPoint === undefined) cache.set(keys[r]!, byPoint = new Map());
        byPoint.set(i, estimates[r]!);
      }
      row[r] = own.residualOf(r, estimates[r]!);
    }
  }
  lattice[grid].set(i, row);
  return row;
}

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
 * @param scratch A row for the refinement's evaluations.
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
  const { origin } = own;
  const middle = Math.round((center - origin) / h);
  let half = firstHalfPoints;
  for (;;) {
    const values = new Float64Array(2 * half + 1);
    let best = 0;
    for (let k = 0; k <= 2 * half; k++) {
      const i = middle - half + k;
      values[k] = own.objective(origin + i * h, rowAt(lattice, "coarse", own, i, scratch));
      if (values[k]! < values[best]!) best = k;
    }
    if (best > 0 && best < 2 * half) {
      const i = middle - half + best;
      // The scan of minimize1d's three points is the lattice's: its values are known.
      const known = [values[best - 1]!, values[best]!, values[best + 1]!];
      let calls = 0;
      const f = (x: number) =>
        calls < 3 ? known[calls++]! : own.objective(x, own.residualsAt(x, scratch));
      return minimize1d(f, origin + (i - 1) * h, origin + (i + 1) * h, 3, tolerance, steps);
    }
    if (half >= LATTICE_MAX_HALF_POINTS) return null;
    half *= 2;
  }
}

/** Points and half-width (ln B) of the second scan of a point estimate, around the wide one's best. */
export const SECOND_SCAN = { points: 31, halfWidth: 0.3 } as const;

/**
 * The point estimate's search of a parameter on the lattice: the wide
 * bracketing search, a second one of {@linkcode SECOND_SCAN} around its
 * result (both scanning lattice points, on a grid of their step, and
 * refined to the lattice spacing only), then the lattice around the better
 * of the two and the fine lattice around its best point; the lowest of all.
 *
 * @param lattice The rows computed so far (added to).
 * @param own The parameter's objective.
 * @param range The wide search's range and scan points.
 * @param tolerance The fit's tolerance (the lattice refinement's).
 * @param steps Most Brent steps of each search.
 * @param scratch A row for the evaluations off the lattice.
 */
export function latticePointSearch(
  lattice: Lattice,
  own: ParamObjective,
  range: { lo: number; hi: number; points: number },
  tolerance: number,
  steps: number,
  scratch: Float64Array,
): Minimum1d {
  const h = LATTICE_SPACING;
  const { origin } = own;
  // A point on the lattice is read from its row (kept, and cached for the other fits).
  const f = (x: number) => {
    const i = Math.round((x - origin) / h);
    const onLattice = Math.abs(origin + i * h - x) <= 1e-9 * h;
    return own.objective(
      x,
      onLattice ? rowAt(lattice, "coarse", own, i, scratch) : own.residualsAt(x, scratch),
    );
  };
  // Both scans on lattice points, each on a grid of its own step (so the folds of a
  // cross-validation, whose centres differ a little, mostly scan the same points).
  const scan = (lo: number, hi: number, points: number) => {
    const step = Math.max(1, Math.round((hi - lo) / (points - 1) / h));
    const first = Math.round((lo - origin) / h / step) * step;
    const start = origin + first * h;
    const end = origin + (first + step * (points - 1)) * h;
    return minimize1d(f, start, end, points, Math.max(tolerance, h), steps);
  };
  const wide = scan(range.lo, range.hi, range.points);
  const { points, halfWidth } = SECOND_SCAN;
  const second = scan(wide.x - halfWidth, wide.x + halfWidth, points);
  const better = second.value < wide.value ? { ...second, converged: wide.converged } : wide;
  const polished = latticeSearch(
    lattice,
    own,
    better.x,
    LATTICE_HALF_POINTS.point,
    tolerance,
    steps,
    scratch,
  );
  if (polished === null) return { ...better, converged: false };
  const fine = fineSearch(lattice, own, polished.x, tolerance, steps, scratch);
  const best = fine.value < polished.value ? fine : polished;
  if (best.value >= better.value) return better;
  return { ...best, converged: better.converged && polished.converged };
}

/**
 * The fine lattice (FINE) around x, refined between its best point's
 * neighbours: a piece of the objective narrower than the lattice's spacing
 * next to its best point (on qemu-tcg-1gbit/, KVM pre-copy's lowest piece
 * under no contention is 4e-5 wide, and which lattice phase hits it is luck).
 */
function fineSearch(
  lattice: Lattice,
  own: ParamObjective,
  x: number,
  tolerance: number,
  steps: number,
  scratch: Float64Array,
): Minimum1d {
  const { spacing, halfPoints } = FINE;
  const { origin } = own;
  const middle = Math.round((x - origin) / spacing);
  const values = new Float64Array(2 * halfPoints + 1);
  let best = 0;
  for (let k = 0; k <= 2 * halfPoints; k++) {
    const i = middle - halfPoints + k;
    values[k] = own.objective(origin + i * spacing, rowAt(lattice, "fine", own, i, scratch));
    if (values[k]! < values[best]!) best = k;
  }
  const i = middle - halfPoints + best;
  if (best === 0 || best === 2 * halfPoints) {
    return { x: origin + i * spacing, value: values[best]!, iterations: 0, converged: false };
  }
  const known = [values[best - 1]!, values[best]!, values[best + 1]!];
  let calls = 0;
  const f = (u: number) =>
    calls < 3 ? known[calls++]! : own.objective(u, own.residualsAt(u, scratch));
  return minimize1d(f, origin + (i - 1) * spacing, origin + (i + 1) * spacing, 3, tolerance, steps);
}
