// Private, pure: how disturbed the host was during a run, from its progress
// trace: the load average at `migrate`, how long the source QEMU's migration
// work and its vCPU waited for a CPU (schedstat run delay), and the host CPU
// time that neither QEMU, the contention load nor the collector used.

import {
  counterAt,
  type CounterPoint,
  type CpuLine,
  type HostLine,
  isMigrationThread,
  type RunLine,
  threadCounterDelta,
  type TraceLine,
} from "./_progress.ts";
import { quantileSorted } from "../_stats.ts";
import type { RunRow } from "./types.ts";

/** QEMU's vCPU threads with `debug-threads=on` (`CPU 0/TCG`, `CPU 1/KVM`). */
export const VCPU_THREAD = /^CPU \d+\//;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The 1-minute load average at `migrate`: the last host line at or before
 * time 0; undefined without one.
 */
export function loadAverageAtStart(lines: readonly TraceLine[]): number | undefined {
  let best: HostLine | undefined;
  for (const line of lines) {
    if (line.source !== "host" || line.t_since_run_start > 0) continue;
    if (best === undefined || line.t_since_run_start >= best.t_since_run_start) best = line;
  }
  return best?.load_average;
}

/**
 * Seconds that the threads of `process` kept by `select` spent runnable but
 * waiting for a CPU during [start, end], from the run delays (ns) of the CPU
 * lines (see {@linkcode threadCounterDelta}); undefined without lines around
 * the window or without run delays (a trace written before they were recorded).
 */
export function runDelaySeconds(
  lines: readonly CpuLine[],
  process: string,
  window: { startSeconds: number; endSeconds: number },
  select: (tid: number, pid: number, comm: string) => boolean,
): number | undefined {
  const own = lines.filter((l) => l.process === process);
  if (!own.some((l) => l.threads.some((entry) => entry.length === 4))) return undefined;
  const ns = threadCounterDelta(lines, process, window, select, (entry) => entry[3]);
  return ns === undefined ? undefined : ns / 1e9;
}

/**
 * Host CPU seconds during [start, end] that no sampled process used: the
 * host's busy time (`/proc/stat`, all CPUs) less every thread of every
 * process in the CPU lines (both QEMUs and the contention load) and less the
 * collector and the link's iperf3 servers (`apparatus_ticks`). Interpolated
 * to the window; sampling can make a small negative value. Undefined if the
 * host lines or any process's lines do not cover the window.
 */
export function hostOtherCpuSeconds(
  lines: readonly TraceLine[],
  window: { startSeconds: number; endSeconds: number },
  ticksPerSecond: number,
): number | undefined {
  const host = lines.filter((l): l is HostLine => l.source === "host")
    .sort((a, b) => a.t_since_run_start - b.t_since_run_start);
  const delta = (series: CounterPoint[]) => {
    const a = counterAt(series, window.startSeconds);
    const b = counterAt(series, window.endSeconds);
    return a === undefined || b === undefined ? undefined : b - a;
  };
  const busy = delta(host.map((l) => ({ t: l.t_since_run_start, count: l.cpu_busy_ticks })));
  const apparatus = delta(host.map((l) => ({ t: l.t_since_run_start, count: l.apparatus_ticks })));
  if (busy === undefined || apparatus === undefined) return undefined;
  const cpu = lines.filter((l): l is CpuLine => l.source === "cpu");
  let used = apparatus;
  for (const process of new Set(cpu.map((l) => l.process))) {
    const ticks = threadCounterDelta(cpu, process, window, () => true, (entry) => entry[2]);
    if (ticks === undefined) return undefined;
    used += ticks;
  }
  return (busy - used) / ticksPerSecond;
}

/**
 * The row's disturbance cells from a run's progress trace:
 * `host_load_average` (at `migrate`), `source_migration_run_delay_seconds`
 * (the source QEMU's main loop and migration threads) and
 * `source_vcpu_run_delay_seconds` (its vCPU threads) over [0, T], and
 * `host_other_cpu_seconds` over [0, T] (see {@linkcode hostOtherCpuSeconds}).
 * A cell that cannot be computed is left out (an empty cell), as on a trace
 * written before the collector recorded host lines and run delays.
 */
export function disturbanceCells(lines: readonly TraceLine[]): RunRow {
  const run = lines.find((l): l is RunLine => l.source === "run");
  if (run === undefined) return {};
  const window = { startSeconds: 0, endSeconds: run.end_seconds };
  const cells: RunRow = {};
  const load = loadAverageAtStart(lines);
  if (load !== undefined) cells.host_load_average = load;
  const cpu = lines.filter((l): l is CpuLine => l.source === "cpu");
  const migration = runDelaySeconds(cpu, "source-qemu", window, isMigrationThread);
  if (migration !== undefined) cells.source_migration_run_delay_seconds = round(migration, 4);
  const vcpu = runDelaySeconds(
    cpu,
    "source-qemu",
    window,
    (_t, _p, comm) => VCPU_THREAD.test(comm),
  );
  if (vcpu !== undefined) cells.source_vcpu_run_delay_seconds = round(vcpu, 4);
  const other = hostOtherCpuSeconds(lines, window, run.clock_ticks_per_second);
  if (other !== undefined) cells.host_other_cpu_seconds = round(other, 2);
  return cells;
}

/**
 * The run delay, as a fraction of the migration time, above which the
 * sitting summary counts a run as disturbed: the example criterion of
 * data/README.md (a researcher may choose another from the columns).
 */
export const DISTURBED_RUN_DELAY_FRACTION = 0.05;

/** How disturbed a sitting's runs were, for its entry in the metadata's `sessions`. */
export interface SittingDisturbance {
  /** Rows of the sitting that carry the disturbance columns. */
  rows_measured: number;
  /** The 1-minute load average at `migrate` over those rows: minimum, median, maximum. */
  host_load_average: [number, number, number] | [];
  /**
   * `source_migration_run_delay_seconds` / `migration_time_seconds` over those rows: median,
   * maximum.
   */
  source_migration_run_delay_fraction: [number, number] | [];
  /** Rows whose fraction exceeds {@linkcode DISTURBED_RUN_DELAY_FRACTION}. */
  rows_run_delay_over_5_percent: number;
}

/**
 * Summarises the disturbance cells of the rows started at or after `since`
 * (ISO 8601, the sitting's start; rows compare by `started_at`). Rows
 * without the cells (written before them, or failed early) are left out.
 */
export function sittingDisturbance(
  rows: readonly RunRow[],
  since: string,
): SittingDisturbance {
  const cell = (row: RunRow, name: string) => {
    const value = row[name];
    return value === undefined || value === "" ? Number.NaN : Number(value);
  };
  const own = rows.filter((row) => String(row.started_at ?? "") >= since);
  const loads = own.map((row) => cell(row, "host_load_average")).filter(Number.isFinite)
    .sort((a, b) => a - b);
  const fractions = own.flatMap((row) => {
    const delay = cell(row, "source_migration_run_delay_seconds");
    const time = cell(row, "migration_time_seconds");
    return Number.isFinite(delay) && time > 0 ? [delay / time] : [];
  }).sort((a, b) => a - b);
  const r = (x: number) => round(x, 4);
  return {
    rows_measured: Math.max(loads.length, fractions.length),
    host_load_average: loads.length === 0
      ? []
      : [loads[0]!, r(quantileSorted(loads, 0.5)), loads.at(-1)!],
    source_migration_run_delay_fraction: fractions.length === 0
      ? []
      : [r(quantileSorted(fractions, 0.5)), r(fractions.at(-1)!)],
    rows_run_delay_over_5_percent: fractions.filter((f) => f > DISTURBED_RUN_DELAY_FRACTION)
      .length,
  };
}
