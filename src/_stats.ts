// Private order statistics shared by the fits, the analysis and the bench.
// One rule each, named for what it is.

/**
 * The q-quantile of values sorted ascending, by linear interpolation between
 * the closest ranks (Hyndman and Fan's type 7, as R's default and numpy's
 * `quantile`). NaN for no values.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The median: the middle value, or the mean of the middle two for an even count. NaN for none. */
export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/**
 * The upper median: the value of an actual element, the upper of the middle
 * two for an even count. Use it where the answer must be one of the values
 * (a run's achieved rate that a model is fed). NaN for none.
 */
export function upperMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
