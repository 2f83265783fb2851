// The `fit` case: fitContention() on 10,000 synthetic runs in 4 contention
// groups against scipy.optimize.least_squares on the same objective
// (bench/reference/fit.py). The runs are synthetic: model times at known
// bandwidths with seeded log-normal noise, made here, not measured.
//
// fitContention is imported by name, so that a rename fails here (and in
// bench_quick_test.ts) instead of silencing the agreement check.
import { fitContention, kvmPostcopy, xenPrecopy } from "../../mod.ts";
import type { MigrationRun } from "../../src/data/types.ts";
import {
  agreementChecks,
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
  sideBySide,
} from "../_harness.ts";
import { seededUniform } from "./load.ts";

const NAME = "fit";
const DESCRIPTION =
  "fitContention() (resamples 0) vs scipy.optimize.least_squares on ln(measured/estimated)";
const GOAL = "ratio >= 1";

/** The synthetic truth: B of the baseline and the factor of each group. */
export const TRUE_BANDWIDTH = 1.1e8;
export const TRUE_FACTORS: Readonly<Record<string, number>> = {
  none: 1,
  cpu: 0.85,
  network: 0.45,
  memory: 0.7,
};

/**
 * Synthetic runs (not measured): Xen pre-copy and KVM post-copy alternating,
 * groups in turn, configurations from the paper's grid, times from the
 * models at B × factor with 5 % log-normal seeded noise.
 */
export function syntheticRuns(count: number, seed = 5): MigrationRun[] {
  const random = seededUniform(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const groups = Object.keys(TRUE_FACTORS);
  const runs: MigrationRun[] = [];
  for (let i = 0; i < count; i++) {
    const method = i % 2 === 0 ? "xen-precopy" : "kvm-postcopy";
    const contention = groups[Math.floor(i / 2) % groups.length]!;
    const memoryBytes = pick([1, 1.5, 2, 4]) * 2 ** 30;
    const wssBytes = Math.min(memoryBytes, pick([0, 64, 128, 256, 512, 1024, 4096]) * 2 ** 20);
    const dirtyPagesPerSecond = pick([1024, 5120, 15360, 51200]);
    const input = {
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      bandwidthBytesPerSecond: TRUE_BANDWIDTH * TRUE_FACTORS[contention]!,
    };
    const seconds = method === "xen-precopy"
      ? xenPrecopy(input).precopyTimeSeconds
      : kvmPostcopy(input).migrationTimeSeconds;
    runs.push({
      method,
      contention,
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      pageBytes: 4096,
      migrationTimeSeconds: seconds * Math.exp(0.05 * gauss()),
      status: "completed",
      extra: {},
    });
  }
  return runs;
}

/** The fit case. */
export const fitCase: BenchCase = {
  name: NAME,
  async run(options: CaseOptions): Promise<CaseResult> {
    const count = options.quick ? 400 : 10000;
    const runs = syntheticRuns(count);
    const groups = Object.keys(TRUE_FACTORS);
    const { ours, reference } = await sideBySide(
      options,
      () => fitContention(runs, { resamples: 0 }),
      "fit.py",
      {
        groups,
        columns: {
          method: runs.map((r) => r.method),
          group: runs.map((r) => groups.indexOf(r.contention)),
          memoryBytes: runs.map((r) => r.memoryBytes),
          wssBytes: runs.map((r) => r.wssBytes),
          dirtyPagesPerSecond: runs.map((r) => r.dirtyPagesPerSecond),
          pageBytes: runs.map((r) => r.pageBytes),
          migrationTimeSeconds: runs.map((r) => r.migrationTimeSeconds),
        },
      },
    );
    const referenceBandwidth = reference.timing.bandwidth as Record<string, number>;
    const fit = ours.result;
    const checks = agreementChecks();
    const tolerance = 1e-5;
    const bandwidth = fit.bandwidthBytesPerSecond ?? NaN;
    checks.floats("bandwidthBytesPerSecond", [bandwidth], [
      referenceBandwidth.none!,
    ], tolerance);
    for (const group of groups) {
      checks.floats(`factors.${group}`, [fit.factors[group]?.value ?? NaN], [
        referenceBandwidth[group]! / referenceBandwidth.none!,
      ], tolerance);
    }
    return finishResult({
      case: NAME,
      description: DESCRIPTION,
      note: `B ${(bandwidth / 1e6).toFixed(2)} MB/s (true ${
        TRUE_BANDWIDTH / 1e6
      }), network factor ${fit.factors.network?.value.toFixed(4)} (true ${TRUE_FACTORS.network})`,
      ours_repeats: ours.seconds,
      reference_repeats: reference.timing.seconds,
      sizes: { runs: count, groups: groups.length },
      goal: GOAL,
      agreement: checks.build(),
      extra: {
        ours_fit: {
          bandwidthBytesPerSecond: bandwidth,
          factors: Object.fromEntries(groups.map((g) => [g, fit.factors[g]?.value])),
        },
        reference_bandwidth: referenceBandwidth,
        reference_evaluations: reference.timing.evaluations,
        scipy: reference.timing.scipy,
      },
    });
  },
};
