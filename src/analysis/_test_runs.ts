// Private, for tests: SYNTHETIC runs (generated or hand-made, never measured).
import type { MigrationRun } from "../data/types.ts";
import { createRandom, normal } from "../_random.ts";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";

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

/**
 * SYNTHETIC runs of the made-up dataset of issue 16: 40 migrations of 4 GiB
 * VMs over 10 Gbit/s (true B 8.8 Gbit/s, network factor 0.5), KVM pre-copy
 * and post-copy, WSS 1 GiB, each run at its own dirty rate (log-uniform from
 * 1000 to 400,000 pages/s, no requested rate), 3 % noise; pre-copy runs
 * cancelled at 60 s. Some pre-copy runs do not converge.
 */
export function tenGigabitRuns(seed: number): MigrationRun[] {
  const random = createRandom(seed);
  const runs: MigrationRun[] = [];
  for (const method of ["kvm-precopy", "kvm-postcopy"]) {
    for (const [contention, factor] of [["none", 1], ["network", 0.5]] as const) {
      const rates = Array.from({ length: 10 }, () => Math.round(1000 * 400 ** random()));
      runs.push(
        ...synthesizeRuns({
          seed: seed + runs.length,
          memoryBytes: 4 * 2 ** 30,
          wssBytes: [2 ** 30],
          dirtyPagesPerSecond: rates,
          methods: [method],
          bandwidthBytesPerSecond: 1.1e9,
          factors: { [contention]: factor },
          noise: 0.03,
          repeats: 1,
          linkBandwidthBytesPerSecond: 1.25e9,
          modelOptions: { kvmPrecopy: { timeoutSeconds: 60 } },
        }).map((run) => method === "kvm-precopy" ? { ...run, timeoutSeconds: 60 } : run),
      );
    }
  }
  return runs;
}

/**
 * SYNTHETIC runs of an odd grid: 3 GiB, WSS 0/100 MiB/700 MiB/full, rates
 * 700/3000/9000/40000/90000 pages/s, 3 repeats, with the achieved rate
 * scattered ±10 % around the generated one (log-normal, sd 0.1); with
 * `requested`, each run says which rate was asked for, as the collector does.
 */
export function oddGridRuns(seed: number, requested: boolean): MigrationRun[] {
  const random = createRandom(seed);
  const memoryBytes = 3 * 2 ** 30;
  return synthesizeRuns({
    seed,
    memoryBytes,
    wssBytes: [0, 100 * 2 ** 20, 700 * 2 ** 20, memoryBytes],
    dirtyPagesPerSecond: [700, 3000, 9000, 40000, 90000],
    factors: { none: 1, cpu: 0.9, memory: 0.8 },
    repeats: 3,
    noise: 0.04,
    modelOptions: { kvmPrecopy: { timeoutSeconds: 120 } },
  }).map((run) => ({
    ...run,
    dirtyPagesPerSecond: Math.round(run.dirtyPagesPerSecond * Math.exp(0.1 * normal(random))),
    ...(requested ? { requestedDirtyPagesPerSecond: run.dirtyPagesPerSecond } : {}),
  }));
}

/**
 * SYNTHETIC runs of a downtime limit sweep with `wssMib.length` workloads
 * (Full last) at 51200 pages/s on 1.5 GiB over 1 Gbit/s, from the KVM
 * pre-copy model at 8 limits, cancelled at 40 s; each run says its
 * requested WSS, as the collector does.
 */
export function syntheticSweepRuns(wssMib: readonly (number | "full")[]): MigrationRun[] {
  const memoryBytes = 1.5 * 2 ** 30;
  return wssMib.flatMap((w) => {
    const wssBytes = w === "full" ? memoryBytes : w * 2 ** 20;
    return [0.1, 0.3, 0.6, 1, 3, 6, 12, 20].map((limit) => {
      const model = kvmPrecopy(
        { memoryBytes, wssBytes, dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: 118e6 },
        { downtimeLimitSeconds: limit, timeoutSeconds: 40 },
      );
      const status = model.converged ? "completed" : "non-convergent";
      return {
        ...sweepRun(wssBytes, limit, status, model.migrationTimeSeconds),
        ...(model.converged ? { downtimeSeconds: model.downtimeSeconds } : {}),
        requestedWssBytes: wssBytes,
        requestedDirtyPagesPerSecond: 51200,
      };
    });
  });
}

/**
 * decisionMap options with pre-copy pauses that are one of two: 512 MiB at
 * 125 MB/s and a 3.9 s limit, where QEMU's first window stops at once (about
 * 4.3 s of pause) or goes on (about 3.9 s) in some cells, depending on the
 * machine (model output, no run).
 */
export const FIRST_WINDOW_ZONE_MAP = {
  memoryBytes: 2 ** 29,
  bandwidthBytesPerSecond: 125e6,
  wssBytes: [0, 2 ** 27, 2 ** 29],
  dirtyPagesPerSecond: [1024, 25000, 262144],
  kvmPrecopy: { downtimeLimitSeconds: 3.9 },
};
