/**
 * A measured downtime limit sweep (the paper's Figure 3): recognise one, turn
 * its runs into the figure's workloads and measured points, and compare the
 * measured switch points with the model's.
 *
 * @module
 */

import { upperMedian } from "../_stats.ts";
import type { MigrationRun } from "../data/types.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import type {
  DowntimeLimitMeasurement,
  DowntimeLimitWorkload,
} from "../plot/figure_downtime_limit_spec.ts";
import { binRuns } from "../plot/bin_runs.ts";
import { bytesToMib } from "../units.ts";
import { extraNumber, writePatternOf } from "./_sweep_runs.ts";

/** A sweep's runs, arranged for `figureDowntimeLimitSpec` (the figure's workloads and rings). */
export interface DowntimeLimitSweep {
  /** M, bytes (the sweep's VM). */
  memoryBytes: number;
  /** One workload per requested (WSS, dirty rate), smallest WSS first. */
  workloads: DowntimeLimitWorkload[];
  /** The completed and non-convergent runs. */
  measured: DowntimeLimitMeasurement[];
  /** Runs left out (failed, corrupt, ...), by status. */
  leftOut: Record<string, number>;
  /** When non-convergent runs were cancelled (the runs' `timeoutSeconds`), seconds, if the runs say. */
  timeoutSeconds?: number;
}

/** What the sweep shows per workload against the model. */
export interface SweepSwitchComparison {
  /** The workload's label. */
  workload: string;
  /** The largest measured limit that did not converge, seconds (undefined: none). */
  lastStuckSeconds?: number;
  /** The smallest measured limit that converged, seconds (undefined: none). */
  firstConvergedSeconds?: number;
  /** Runs whose outcome (converged or not) the model predicts at their limit. */
  agreeing: number;
  /** Runs compared. */
  runs: number;
  /** Mean absolute percentage error of the time over runs both converged, percent (NaN: none). */
  convergedMapePercent: number;
}

/** The limit a run ran with (`downtimeLimitSeconds`), or NaN. */
function limitOf(run: MigrationRun): number {
  return run.downtimeLimitSeconds ?? Number.NaN;
}

/**
 * True when the runs hold a downtime limit sweep: `kvm-precopy` runs with
 * at least two different downtime limits (`downtime_limit_seconds`).
 *
 * @param runs Runs as `loadRuns` gives them.
 * @returns Whether the runs sweep the limit.
 *
 * @example
 * ```ts
 * import { isDowntimeLimitSweep } from "./downtime_limit_sweep.ts";
 * import assert from "node:assert/strict";
 * const run = (limit: number) => ({
 *   method: "kvm-precopy", contention: "none", memoryBytes: 1e9, wssBytes: 0, dirtyPagesPerSecond: 0,
 *   pageBytes: 4096, migrationTimeSeconds: 8, status: "completed", downtimeLimitSeconds: limit, extra: {},
 * });
 * assert.equal(isDowntimeLimitSweep([run(0.3), run(0.3)]), false);
 * assert.equal(isDowntimeLimitSweep([run(0.3), run(1.2)]), true);
 * ```
 */
export function isDowntimeLimitSweep(runs: readonly MigrationRun[]): boolean {
  const limits = new Set(
    runs.filter((run) => run.method === "kvm-precopy").map(limitOf).filter(Number.isFinite),
  );
  return limits.size >= 2;
}

/**
 * Arranges a sweep's `kvm-precopy` runs for the figure: one workload per
 * requested WSS and dirty rate (`requestedWssBytes`, a request equal to
 * the memory being "full", and `requestedDirtyPagesPerSecond`), else per
 * bin of the runs' own values when they vary run to run (as Figure 5 bins
 * them: 1-2-5 rates, powers of two MiB), with
 * the model fed the median achieved WSS, dirty rate and zero pages
 * (`zero_pages` x page size, where the runs have it) of its runs; runs
 * with `write_pattern` = random are a workload of their own. Every
 * completed or non-convergent run becomes a measured point.
 *
 * @param runs The sweep's runs (other methods are ignored).
 * @returns Memory, workloads, measured points and the runs left out.
 * @throws {RangeError} If there are no kvm-precopy runs with a downtime limit.
 *
 * @example
 * ```ts
 * import { downtimeLimitSweep } from "./downtime_limit_sweep.ts";
 * import assert from "node:assert/strict";
 * const run = (limit: number, status: string) => ({
 *   method: "kvm-precopy", contention: "none", memoryBytes: 2 ** 30, wssBytes: 2 ** 27,
 *   dirtyPagesPerSecond: 51000, pageBytes: 4096, migrationTimeSeconds: 10, status,
 *   downtimeLimitSeconds: limit, requestedWssBytes: 2 ** 27, requestedDirtyPagesPerSecond: 51200, extra: {},
 * });
 * const sweep = downtimeLimitSweep([run(0.5, "non-convergent"), run(2, "completed")]);
 * assert.equal(sweep.workloads[0]!.label, "(a) WSS 128 MiB, 51200 pages/s");
 * assert.deepEqual(sweep.measured.map((m) => m.outcome), ["did not converge", "converged"]);
 * ```
 */
export function downtimeLimitSweep(runs: readonly MigrationRun[]): DowntimeLimitSweep {
  const used = runs.filter((run) => run.method === "kvm-precopy" && Number.isFinite(limitOf(run)));
  if (used.length === 0) {
    throw new RangeError(
      "downtimeLimitSweep: invalid runs, expected kvm-precopy runs with a downtime_limit_seconds (got none)",
    );
  }
  const memoryBytes = upperMedian(used.map((run) => run.memoryBytes));
  // One workload per (WSS, dirty rate) bin: the requested values, else the achieved ones, binned.
  const bins = binRuns(used);
  const rates = { rates: bins.rates };
  const wss = { labels: bins.wssLabels, sizes: bins.wssSizes };
  const groups = new Map<
    string,
    { wss: string; size: number; rate: number; random: boolean; runs: MigrationRun[] }
  >();
  used.forEach((run, i) => {
    // Random-write runs (`write_pattern` = random) are a workload of their own.
    const random = writePatternOf(run, "sweep") === "random";
    const key = `${wss.labels[i]}|${rates.rates[i]}|${random}`;
    const group = groups.get(key) ??
      { wss: wss.labels[i]!, size: wss.sizes[i]!, rate: rates.rates[i]!, random, runs: [] };
    group.runs.push(run);
    groups.set(key, group);
  });
  const ordered = [...groups.values()].sort((a, b) =>
    a.size - b.size || a.rate - b.rate || Number(a.random) - Number(b.random)
  );
  const workloads: DowntimeLimitWorkload[] = [];
  const measured: DowntimeLimitMeasurement[] = [];
  const leftOut: Record<string, number> = {};
  ordered.forEach((group, i) => {
    const wssBytes = upperMedian(group.runs.map((run) => run.wssBytes));
    const wssText = group.wss === "Full"
      ? `Full (${bytesToMib(wssBytes).toFixed(0)} MiB)`
      : group.wss;
    const label = `(${String.fromCharCode(97 + i)}) WSS ${wssText}, ${group.rate} pages/s${
      group.random ? ", random writes" : ""
    }`;
    const zero = group.runs.flatMap((run) => {
      const pages = extraNumber(run, "zero_pages");
      return pages === undefined
        ? []
        : [Math.min(pages * run.pageBytes, run.memoryBytes - wssBytes)];
    });
    workloads.push({
      label,
      wssBytes,
      dirtyPagesPerSecond: upperMedian(group.runs.map((run) => run.dirtyPagesPerSecond)),
      ...(zero.length > 0 ? { zeroBytes: Math.max(0, upperMedian(zero)) } : {}),
      ...(group.random ? { writePattern: "random" as const } : {}),
    });
    for (const run of group.runs) {
      if (run.status !== "completed" && run.status !== "non-convergent") {
        leftOut[run.status] = (leftOut[run.status] ?? 0) + 1;
        continue;
      }
      const converged = run.status === "completed";
      measured.push({
        workload: label,
        limitSeconds: limitOf(run),
        timeSeconds: run.migrationTimeSeconds,
        ...(converged && run.downtimeSeconds !== undefined
          ? { downtimeSeconds: run.downtimeSeconds }
          : {}),
        outcome: converged ? "converged" : "did not converge",
      });
    }
  });
  const timeouts = used.map((run) => run.timeoutSeconds ?? Number.NaN)
    .filter((t) => t > 0);
  return {
    memoryBytes,
    workloads,
    measured,
    leftOut,
    ...(timeouts.length > 0 ? { timeoutSeconds: upperMedian(timeouts) } : {}),
  };
}

/**
 * Compares a sweep with the KVM pre-copy model (QEMU's switch rule, each
 * workload's zero pages and write pattern) at bandwidth B: per workload,
 * the measured switch bracket (last limit stuck, first converged), how many
 * runs' outcomes the model predicts (cancelled at the sweep's timeout, as
 * the runs were), and the time error where both converged.
 *
 * @param sweep From {@linkcode downtimeLimitSweep}.
 * @param bandwidthBytesPerSecond B, bytes/s (e.g. the fitted KVM pre-copy B).
 * @returns One comparison per workload.
 *
 * @example
 * ```ts
 * import { compareSweepWithModel } from "./downtime_limit_sweep.ts";
 * import assert from "node:assert/strict";
 * const sweep = {
 *   memoryBytes: 2 ** 30, leftOut: {},
 *   workloads: [{ label: "w", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 }],
 *   measured: [
 *     { workload: "w", limitSeconds: 0.5, timeSeconds: 40, outcome: "did not converge" as const },
 *     { workload: "w", limitSeconds: 2, timeSeconds: 10, downtimeSeconds: 1.1, outcome: "converged" as const },
 *   ],
 * };
 * const [c] = compareSweepWithModel(sweep, 125e6);
 * assert.equal(c!.lastStuckSeconds, 0.5);
 * assert.equal(c!.firstConvergedSeconds, 2);
 * assert.equal(c!.agreeing, 2);
 * ```
 */
export function compareSweepWithModel(
  sweep: DowntimeLimitSweep,
  bandwidthBytesPerSecond: number,
): SweepSwitchComparison[] {
  return sweep.workloads.map((workload) => {
    const runs = sweep.measured.filter((m) => m.workload === workload.label);
    const stuck = runs.filter((m) => m.outcome !== "converged").map((m) => m.limitSeconds);
    const done = runs.filter((m) => m.outcome === "converged").map((m) => m.limitSeconds);
    let agreeing = 0;
    const errors: number[] = [];
    for (const m of runs) {
      const model = kvmPrecopy({
        memoryBytes: sweep.memoryBytes,
        wssBytes: workload.wssBytes,
        dirtyPagesPerSecond: workload.dirtyPagesPerSecond,
        bandwidthBytesPerSecond,
        ...(workload.zeroBytes !== undefined ? { zeroBytes: workload.zeroBytes } : {}),
      }, {
        downtimeLimitSeconds: m.limitSeconds,
        ...(workload.writePattern !== undefined ? { writePattern: workload.writePattern } : {}),
        ...(sweep.timeoutSeconds !== undefined ? { timeoutSeconds: sweep.timeoutSeconds } : {}),
      });
      if (model.converged === (m.outcome === "converged")) agreeing++;
      if (model.converged && m.outcome === "converged") {
        errors.push(Math.abs(m.timeSeconds - model.migrationTimeSeconds) / m.timeSeconds);
      }
    }
    return {
      workload: workload.label,
      ...(stuck.length > 0 ? { lastStuckSeconds: Math.max(...stuck) } : {}),
      ...(done.length > 0 ? { firstConvergedSeconds: Math.min(...done) } : {}),
      agreeing,
      runs: runs.length,
      convergedMapePercent: errors.length > 0
        ? 100 * errors.reduce((a, b) => a + b, 0) / errors.length
        : Number.NaN,
    };
  });
}
