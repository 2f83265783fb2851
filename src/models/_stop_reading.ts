// Private, pure: when the sweep writer's stop comes under QEMU's scattering
// bandwidth reading. QEMU's threshold is its reading of the last ~100 ms
// window times the downtime limit, and the reading scatters from window to
// window (`KVM_PRECOPY_DEFAULTS.bandwidthReadingQuantiles`). While the count
// falls towards the threshold, the first window whose reading is high enough
// stops the migration: on average before the check where a reading of B
// would (the deterministic stop), the more so the larger the limit, since the
// count falls through a band of width spread x B x limit. Shared by
// _qemu_switch.ts.

/** A reading table, checked: levels from 0 to 1, deviations ascending. */
export interface ReadingTable {
  /** Cumulative levels, ascending, first 0 and last 1. */
  levels: readonly number[];
  /** The reading's relative deviation from B at each level (reading / B - 1), ascending. */
  deviations: readonly number[];
}

/** P(reading / B - 1 > x), piecewise linear between the table's quantiles. */
export function readingSurvival(table: ReadingTable, x: number): number {
  const { levels, deviations } = table;
  const n = deviations.length;
  if (x < deviations[0]!) return 1;
  if (x >= deviations[n - 1]!) return 0;
  let i = 1;
  while (deviations[i]! <= x) i++;
  const lo = deviations[i - 1]!;
  const hi = deviations[i]!;
  const level = levels[i - 1]! + (levels[i]! - levels[i - 1]!) * ((x - lo) / (hi - lo));
  return 1 - level;
}

/**
 * The expected number of checks by which the stop comes early (negative:
 * late), and the expected excess of the check it comes at, when each
 * window's reading is drawn from `table`. `excess(j)` is
 * what check j needs: its exact count over B x limit, less 1, for j from
 * `checksBefore` down to 1 before the deterministic stop (j = 0) and on
 * after it (j < 0); NaN where the bitmap is empty (it always stops there).
 * A check stops when its window's reading exceeds B by that much; two checks
 * share a window and its reading. Earlier exact counts that fail (a sync on
 * a high reading whose exact count is still above it) are left as the
 * deterministic rule has them.
 */
export function expectedEarlyChecks(
  excess: (j: number) => number,
  checksBefore: number,
  table: ReadingTable,
): { checks: number; excess: number } {
  if (table.deviations.length < 2 || checksBefore < 0) return { checks: 0, excess: excess(0) };
  let window = Math.floor(checksBefore / 2);
  let survive = 1;
  let checks = 0;
  let mean = 0;
  for (; survive > 1e-12; window--) {
    const early = 2 * window + 1;
    const late = 2 * window;
    const xLate = excess(late);
    if (Number.isNaN(xLate)) {
      checks += survive * late;
      mean -= survive; // an empty bitmap: nothing pending (excess -1)
      break;
    }
    const sLate = readingSurvival(table, xLate);
    const xEarly = early <= checksBefore ? excess(early) : Number.NaN;
    const sEarly = Number.isNaN(xEarly) ? 0 : readingSurvival(table, xEarly);
    checks += survive * (sEarly * early + (sLate - sEarly) * late);
    mean += survive * (sEarly * (Number.isNaN(xEarly) ? 0 : xEarly) + (sLate - sEarly) * xLate);
    survive *= 1 - sLate;
  }
  return { checks, excess: mean };
}
