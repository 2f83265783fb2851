/**
 * Figure 1's data: CPU use over time on the source host of the migrating
 * VM (its vCPU threads), the co-located load and the migration (QEMU's main
 * loop and migration threads), from a run's progress trace.
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import type { CpuSample, ProgressTrace, ThreadTicks } from "../data/parse_progress_trace.ts";
import { CPU_SERIES, type CpuUsePoint } from "../plot/figure_cpu_use_spec.ts";

/** QEMU's migration threads (QEMU >= 9.2 names them `mig/...`; older ones as below). */
const MIGRATION_THREAD = /^(mig\/|live_migration|return path|postcopy\/|fault-|multifd)/;
/** QEMU's vCPU threads with `debug-threads=on` (`CPU 0/TCG`, `CPU 1/KVM`). */
const VCPU_THREAD = /^CPU \d+\//;

/** Options for {@linkcode cpuUse}. */
export interface CpuUseOptions {
  /**
   * Where the migration starts on the figure's time axis, seconds (the paper's Figure 1: 10 s).
   *
   * @default {10}
   */
  migrationStartSeconds?: number;
  /**
   * Each point averages the CPU time over at least this long (the samples
   * come every 0.1 s, and a clock tick of 10 ms is 10 % of such an
   * interval, so single intervals are coarse).
   *
   * @default {0.5}
   */
  windowSeconds?: number;
}

/** What {@linkcode cpuUse} returns. */
export interface CpuUse {
  /** One point per series and CPU sample (after the first), averaged over the window before it. */
  points: CpuUsePoint[];
  /** The migration's start and end on the figure's time axis, seconds. */
  migrationSeconds: [number, number];
}

/**
 * CPU use of three series on the source host, in percent of one core, at
 * each CPU sample of the trace (every 0.1 s), averaged over the last
 * `windowSeconds` (0.5 s): **migrating VM** =
 * the source QEMU's vCPU threads (`CPU n/...`); **migration** = its main
 * loop thread (tid = pid) and migration threads (`mig/*`, ...); **co-located
 * load** = every thread of the contention process (absent under `none`).
 * A thread that appears between two samples counts from 0 ticks (it started
 * in the interval). Times are shifted so that `migrate` is at
 * `migrationStartSeconds`. Pure.
 *
 * Cost: O(s·t) for s samples of t threads.
 *
 * @param trace The parsed trace (`loadProgressTrace`).
 * @param options Where the migration starts on the time axis.
 * @returns The points and the migration's span.
 * @throws {TypeError} If the trace has the wrong shape.
 * @throws {RangeError} If the clock rate or the start is out of range.
 *
 * @example One vCPU busy half the time (SYNTHETIC samples)
 * ```ts
 * import { cpuUse } from "./cpu_use.ts";
 * import assert from "node:assert/strict";
 * const sample = (t: number, vcpu: number) => ({
 *   timeSeconds: t, process: "source-qemu", pid: 1,
 *   threads: [{ tid: 1, name: "qemu", ticks: 0 }, { tid: 2, name: "CPU 0/TCG", ticks: vcpu }],
 * });
 * const { points } = cpuUse({
 *   endSeconds: 1, baselineSeconds: 10, clockTicksPerSecond: 100, writePattern: "sweep",
 *   contention: "cpu", progress: [], cpu: [sample(0, 0), sample(1, 50)],
 * });
 * const vm = points.find((p) => p.series === "migrating VM (vCPU)")!;
 * assert.equal(vm.percent, 50);
 * assert.equal(vm.timeSeconds, 11);
 * ```
 */
export function cpuUse(trace: ProgressTrace, options: CpuUseOptions = {}): CpuUse {
  const where = "cpuUse";
  checkObject(where, "trace", trace);
  checkObject(where, "options", options);
  if (!Array.isArray(trace.cpu)) {
    throw new TypeError(`${where}: invalid trace.cpu, expected an array of CPU samples`);
  }
  const ticksPerSecond = checkNumber(
    where,
    "input",
    "trace.clockTicksPerSecond",
    trace.clockTicksPerSecond,
    "positive",
    "ticks/s",
  );
  const start = checkNumber(
    where,
    "option",
    "migrationStartSeconds",
    options.migrationStartSeconds ?? 10,
    "finite",
    "seconds",
  );
  const window = checkNumber(
    where,
    "option",
    "windowSeconds",
    options.windowSeconds ?? 0.5,
    "non-negative",
    "seconds",
  );
  const series: Array<[string, string, (t: ThreadTicks, pid: number) => boolean]> = [
    ["source-qemu", CPU_SERIES[0], (t) => VCPU_THREAD.test(t.name)],
    ["contention", CPU_SERIES[1], () => true],
    ["source-qemu", CPU_SERIES[2], (t, pid) => t.tid === pid || MIGRATION_THREAD.test(t.name)],
  ];
  const points: CpuUsePoint[] = [];
  for (const [process, label, selects] of series) {
    const samples = trace.cpu.filter((s) => s.process === process);
    let j = 0;
    for (let k = 1; k < samples.length; k++) {
      const after = samples[k]!;
      // The latest sample at least `window` before this one (the previous one at least).
      while (j + 1 < k && after.timeSeconds - samples[j + 1]!.timeSeconds >= window) j++;
      const before = samples[Math.min(j, k - 1)]!;
      const seconds = after.timeSeconds - before.timeSeconds;
      if (!(seconds > 0)) continue;
      const ticks = selectedTicks(after, selects) - selectedTicks(before, selects, after);
      points.push({
        series: label,
        timeSeconds: after.timeSeconds + start,
        percent: (100 * ticks) / ticksPerSecond / seconds,
      });
    }
  }
  return { points, migrationSeconds: [start, start + trace.endSeconds] };
}

/** The selected threads' ticks; with `only`, just the threads also in `only` (alive at both). */
function selectedTicks(
  sample: CpuSample,
  selects: (t: ThreadTicks, pid: number) => boolean,
  only?: CpuSample,
): number {
  let sum = 0;
  for (const thread of sample.threads) {
    if (!selects(thread, sample.pid)) continue;
    if (only && !only.threads.some((t) => t.tid === thread.tid)) continue;
    sum += thread.ticks;
  }
  return sum;
}
