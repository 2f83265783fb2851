// The benchmark grid of the sweep cases. It imports only the sweep types, so
// bench/sweep_memory.ts can measure the model code without the rest of the
// library (danfojs, mathjs) in its resident set.
import type { SweepGrid } from "../src/models/sweep.ts";

/** `count` values from `low` to `high`, evenly spaced in log scale. */
export function logSpace(low: number, high: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => low * (high / low) ** (i / (count - 1)));
}

/**
 * The benchmark grid: M 2-64 GiB, W 0 or 1 MiB-2 GiB, d 0 or 100-10^6 pages/s,
 * B 10 MB/s-10 GB/s, 4 KiB pages. A mix of all three stop reasons (about 11
 * rounds on average at the default 30-round limit).
 *
 * @param scale 1 gives 10^6 configurations (10 × 40 × 50 × 50); W gets `scale` times more values.
 * @param quick 10^4 configurations instead.
 */
export function benchGrid(scale = 1, quick = false): SweepGrid {
  if (quick) {
    return {
      memoryBytes: logSpace(2 ** 31, 2 ** 36, 4),
      wssBytes: [0, ...logSpace(2 ** 20, 2 ** 31, 9)],
      dirtyPagesPerSecond: [0, ...logSpace(100, 1e6, 9)],
      bandwidthBytesPerSecond: logSpace(1e7, 1e10, 25),
      pageBytes: [4096],
    };
  }
  return {
    memoryBytes: logSpace(2 ** 31, 2 ** 36, 10),
    wssBytes: [0, ...logSpace(2 ** 20, 2 ** 31, 40 * scale - 1)],
    dirtyPagesPerSecond: [0, ...logSpace(100, 1e6, 49)],
    bandwidthBytesPerSecond: logSpace(1e7, 1e10, 50),
    pageBytes: [4096],
  };
}
