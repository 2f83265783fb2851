// Synthetic runs with known switchover costs and noise parameters, for the
// tests of the downtime and noise fits (only *_test.ts files import this).
// Synthetic, not measured: every run has extra.source = "synthetic".
import type { MigrationRun } from "../data/types.ts";
import { guestProgress } from "../models/guest_progress.ts";
import { migrationDowntime } from "../models/migration_downtime.ts";
import type { ModelName } from "../models/types.ts";
import { createRandom } from "../_random.ts";
import type { FittedModel } from "./types.ts";

/** One B for every run (absolute scale, no groups): 100 MB/s. */
export const BANDWIDTH_FIT: FittedModel = {
  scale: "absolute",
  groupBy: null,
  bandwidthBytesPerSecond: 1e8,
  bandwidthByMethod: null,
  efficiency: null,
  efficiencyByMethod: null,
  factors: {},
  extraTerm: null,
  modelOptions: {},
};

const MODEL_OF: Record<string, ModelName> = {
  "xen-precopy": "xen-precopy",
  "kvm-precopy": "kvm-precopy",
  "kvm-postcopy": "kvm-postcopy",
};

/** What the synthetic runs are made from. */
export interface CostTruth {
  /** Switchover cost per method, seconds. */
  switchoverSeconds: Record<string, number>;
  /** Tracking cost per pre-copy method, seconds per write. */
  trackingSeconds: Record<string, number>;
  /** Post-copy fault cost, seconds. */
  faultSeconds: number;
  /** Post-copy destination slowdown per contention. */
  destinationSlowdown: Record<string, number>;
  /** Additive noise on the pause (uniform ±, seconds) and on the ratio (uniform ±). */
  noise: number;
  /** Seed of the noise. */
  seed: number;
}

/**
 * Runs at M = 1 GiB, B = 100 MB/s, over W 32-512 MiB × d 1024-51200 pages/s
 * for every method in `switchoverSeconds` and every contention in
 * `destinationSlowdown`, with the pause of `migrationDowntime` and the
 * progress of `guestProgress` (as the dirty-rate proxy) plus uniform noise.
 */
export function costRuns(truth: CostTruth): MigrationRun[] {
  const random = createRandom(truth.seed);
  const jitter = () => truth.noise * (2 * random() - 1);
  const runs: MigrationRun[] = [];
  for (const method of Object.keys(truth.switchoverSeconds)) {
    const model = MODEL_OF[method]!;
    for (const contention of Object.keys(truth.destinationSlowdown)) {
      for (const wssMib of [32, 128, 512]) {
        for (const d of [1024, 5120, 15360, 51200]) {
          const input = {
            memoryBytes: 2 ** 30,
            wssBytes: wssMib * 2 ** 20,
            dirtyPagesPerSecond: d,
            bandwidthBytesPerSecond: 1e8,
          };
          const pause = migrationDowntime(model, input, {
            switchoverSeconds: truth.switchoverSeconds[method]!,
          }).downtimeSeconds;
          const ratio = guestProgress(model, input, {
            trackingSeconds: truth.trackingSeconds[method] ?? 0,
            faultSeconds: truth.faultSeconds,
            destinationSlowdown: truth.destinationSlowdown[contention]!,
          }).progressRatio;
          runs.push({
            method,
            contention,
            memoryBytes: input.memoryBytes,
            wssBytes: input.wssBytes,
            dirtyPagesPerSecond: d * Math.max(0.01, ratio + jitter()),
            requestedDirtyPagesPerSecond: d,
            pageBytes: 4096,
            migrationTimeSeconds: 10,
            downtimeSeconds: Math.max(1e-4, pause + jitter()),
            status: "completed",
            extra: { source: "synthetic" },
          });
        }
      }
    }
  }
  return runs;
}
