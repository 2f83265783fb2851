// Private, for tests: SYNTHETIC runs (generated or hand-made, never measured).
import type { MigrationRun } from "../data/types.ts";

/**
 * A small synthetic grid for synthesizeRuns: known B (900 Mbit/s) and a
 * network factor 0.4, 3 WSS × 3 rates, 2 repeats, 2 % noise. Add a seed.
 */
export const SMALL_GRID = {
  bandwidthBytesPerSecond: 112.5e6,
  factors: { none: 1, network: 0.4 },
  repeats: 2,
  noise: 0.02,
  wssBytes: [0, 2 ** 26, 2 ** 28],
  dirtyPagesPerSecond: [1024, 15360, 51200],
};

/** A hand-made SYNTHETIC run of a downtime limit sweep: KVM pre-copy, 1.5 GiB, 51200 pages/s. */
export function sweepRun(
  wssBytes: number,
  limitSeconds: number,
  status: string,
  timeSeconds: number,
): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "none",
    memoryBytes: 1.5 * 2 ** 30,
    wssBytes,
    dirtyPagesPerSecond: 51200,
    pageBytes: 4096,
    migrationTimeSeconds: timeSeconds,
    ...(status === "completed" ? { downtimeSeconds: 1 } : {}),
    status,
    downtimeLimitSeconds: limitSeconds,
    timeoutSeconds: 40,
    extra: { source: "synthetic" },
  };
}
