// Private, pure: the run's progress trace (`traces/<run>.progress.jsonl.gz`) and
// the row's noise cells computed from it: how much work the migrating guest and
// the co-located load did during the migration against their baseline rate, the
// CPU seconds of the QEMU processes' migration work, and post-copy's blocktime.

import type { RunRow } from "./types.ts";

/** A cumulative work counter: the migrating guest's pages, or the co-located load's work. */
export interface ProgressLine {
  /** Seconds since `migrate` was sent (negative in the baseline). */
  t_since_run_start: number;
  /** Whose work. */
  source: "guest" | "colocated";
  /** Work done since the process started, in `unit`. */
  count: number;
  /** `pages` (the dirtiers), `iterations` (the CPU hog) or `bytes` (iperf3). */
  unit: "pages" | "iterations" | "bytes";
  /** The guest's side (`source`/`destination` QEMU) or the load (`cpu`, `network`, `memory`). */
  from: string;
  /** The process's own clock at the report, seconds (the guest's clock stops while it is paused). */
  t_own: number;
}

/**
 * One thread at a CPU sample: `[tid, comm, utime + stime in clock ticks]`,
 * and where `schedstat` could be read its run delay so far (time runnable
 * but waiting for a CPU, nanoseconds, the second field of
 * `/proc/<pid>/task/<tid>/schedstat`).
 */
export type ThreadEntry = [number, string, number] | [number, string, number, number];

/** CPU time of every thread of one process, from `/proc/<pid>/task/<tid>/stat`. */
export interface CpuLine {
  /** Seconds since `migrate` was sent. */
  t_since_run_start: number;
  /** Always `cpu`. */
  source: "cpu";
  /** `source-qemu`, `destination-qemu` or `contention`. */
  process: string;
  /** Its process id. */
  pid: number;
  /** `[tid, comm, utime + stime in clock ticks, run delay ns]` per thread (see {@linkcode ThreadEntry}). */
  threads: ThreadEntry[];
}

/** The host at a CPU sample, from `/proc/loadavg`, `/proc/stat` and `/proc/<pid>/stat`. */
export interface HostLine {
  /** Seconds since `migrate` was sent. */
  t_since_run_start: number;
  /** Always `host`. */
  source: "host";
  /** The 1-minute load average (dimensionless). */
  load_average: number;
  /** The host's busy CPU time so far, all CPUs, clock ticks (`/proc/stat`). */
  cpu_busy_ticks: number;
  /** The host's busy + idle + iowait CPU time so far, clock ticks. */
  cpu_total_ticks: number;
  /** CPU time so far of the collector itself and the link's iperf3 servers, clock ticks. */
  apparatus_ticks: number;
}

/** The first line of a progress trace: the run's window and the units. */
export interface RunLine {
  /** Always 0. */
  t_since_run_start: number;
  /** Always `run`. */
  source: "run";
  /** Migration time, seconds: the window is [0, end_seconds]. */
  end_seconds: number;
  /** Baseline length asked for before `migrate`, seconds. */
  baseline_seconds: number;
  /** Clock ticks per second of the CPU lines (`getconf CLK_TCK`). */
  clock_ticks_per_second: number;
  /** The guest's write pattern. */
  write_pattern: string;
  /** The contention. */
  contention: string;
  /**
   * The guest's pause, source `STOP` to destination `RESUME` (the events'
   * receive times, seconds since `migrate`); absent when it did not stop.
   */
  pause_seconds?: [number, number];
}

/** One line of a progress trace. */
export type TraceLine = ProgressLine | CpuLine | HostLine | RunLine;

/** A point of a cumulative counter. */
export interface CounterPoint {
  /** Seconds. */
  t: number;
  /** The counter. */
  count: number;
}

/** Where the migration and its baseline lie, seconds since `migrate`. */
export interface ProgressWindow {
  /** End of the migration (its start is 0). */
  endSeconds: number;
  /** Baseline length before 0 asked for. */
  baselineSeconds: number;
  /** The shortest usable baseline; a shorter one gives no ratio. */
  minBaselineSeconds?: number;
  /** When the counter's process was paused (see {@linkcode counterAt}). */
  pause?: readonly [number, number];
}

/** Work during the migration against the baseline rate. */
export interface ProgressSummary {
  /** Work in [0, end] / (baseline rate x end); 1 = no slowdown. */
  ratio: number;
  /** (expected - done) / baseline rate: the work lost, in seconds of baseline progress. */
  lostSeconds: number;
  /** The baseline rate, count per second. */
  baselineRate: number;
}

/** Seconds of [from, to] outside the pause [pause[0], pause[1]]. */
function runningSeconds(from: number, to: number, pause?: readonly [number, number]): number {
  if (pause === undefined) return to - from;
  const overlap = Math.max(0, Math.min(to, pause[1]) - Math.max(from, pause[0]));
  return to - from - overlap;
}

/**
 * A cumulative counter at time `t` by linear interpolation between the
 * points around it (sorted by time); undefined outside the points' span.
 * With a `pause` (the guest stopped from `pause[0]` to `pause[1]`), the
 * interpolation runs on the time outside it, so a pause that falls between
 * two reports is not smeared over the gap.
 */
export function counterAt(
  points: readonly CounterPoint[],
  t: number,
  pause?: readonly [number, number],
): number | undefined {
  if (points.length === 0 || t < points[0]!.t || t > points.at(-1)!.t) return undefined;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  const total = runningSeconds(a.t, b.t, pause);
  if (!(total > 0)) return t > a.t ? b.count : a.count;
  return a.count + (b.count - a.count) * runningSeconds(a.t, t, pause) / total;
}

/**
 * Work of a cumulative counter during [0, end] against its rate over the
 * baseline [-baseline, 0] (shortened to the first point; at least
 * `minBaselineSeconds`, default 2 s). Undefined when the points do not cover
 * the window or the baseline rate is 0 (an idle guest does no work to lose).
 */
export function progressSummary(
  points: readonly CounterPoint[],
  window: ProgressWindow,
): ProgressSummary | undefined {
  const { endSeconds, baselineSeconds, minBaselineSeconds = 2, pause } = window;
  if (points.length < 2 || !(endSeconds > 0)) return undefined;
  const from = Math.max(-baselineSeconds, points[0]!.t);
  if (-from < minBaselineSeconds) return undefined;
  const atFrom = counterAt(points, from, pause);
  const atStart = counterAt(points, 0, pause);
  const atEnd = counterAt(points, endSeconds, pause);
  if (atFrom === undefined || atStart === undefined || atEnd === undefined) return undefined;
  const baselineRate = (atStart - atFrom) / -from;
  if (!(baselineRate > 0)) return undefined;
  const expected = baselineRate * endSeconds;
  const done = atEnd - atStart;
  return { ratio: done / expected, lostSeconds: (expected - done) / baselineRate, baselineRate };
}

/**
 * Host processes report their own clock: map it to the collector's by the
 * smallest receive delay, `received - own`, over all reports (the report
 * that waited least in the pipe). Returns that offset, seconds.
 */
export function clockOffset(reports: ReadonlyArray<{ received: number; own: number }>): number {
  let best = Infinity;
  for (const r of reports) best = Math.min(best, r.received - r.own);
  return best;
}

/** The threads of a QEMU process whose CPU time is its migration work. */
export const MIGRATION_THREAD = /^(mig\/|live_migration|return path|postcopy\/|fault-|multifd)/;

/**
 * How much a cumulative per-thread counter of `process`'s threads grew over
 * [start, end], summed over the threads `select` keeps; `value` reads the
 * counter from a thread entry (undefined: not recorded). A thread first seen
 * after the process's first line started in the window at 0; one gone before
 * `end` stopped at its last value. Undefined without lines around the window.
 */
export function threadCounterDelta(
  lines: readonly CpuLine[],
  process: string,
  window: { startSeconds: number; endSeconds: number },
  select: (tid: number, pid: number, comm: string) => boolean,
  value: (entry: ThreadEntry) => number | undefined,
): number | undefined {
  const { startSeconds, endSeconds } = window;
  const own = lines.filter((l) => l.process === process)
    .sort((a, b) => a.t_since_run_start - b.t_since_run_start);
  if (own.length < 2) return undefined;
  const first = own[0]!.t_since_run_start;
  if (first > startSeconds || own.at(-1)!.t_since_run_start < endSeconds) return undefined;
  const series = new Map<number, CounterPoint[]>();
  for (const line of own) {
    for (const entry of line.threads) {
      const count = value(entry);
      if (count === undefined || !select(entry[0], line.pid, entry[1])) continue;
      const points = series.get(entry[0]) ?? [];
      points.push({ t: line.t_since_run_start, count });
      series.set(entry[0], points);
    }
  }
  let total = 0;
  for (const points of series.values()) {
    const at = (t: number) =>
      t < points[0]!.t
        ? (points[0]!.t > first ? 0 : points[0]!.count)
        : t > points.at(-1)!.t
        ? points.at(-1)!.count
        : counterAt(points, t)!;
    total += at(endSeconds) - at(startSeconds);
  }
  return total;
}

/**
 * CPU seconds that a process's threads used during [start, end]: the main
 * loop (tid = pid) and the threads named by {@linkcode MIGRATION_THREAD}
 * (QEMU >= 9.2 names them `mig/src/main`, `mig/src/rp-thr`, `mig/dst/listen`,
 * `mig/dst/fault`, ...), from cumulative utime + stime. A thread first seen
 * after the sampler's first line started in the window at 0 ticks; one gone
 * before `end` stopped at its last value. Undefined without lines around the
 * window.
 */
export function migrationCpuSeconds(
  lines: readonly CpuLine[],
  process: string,
  startSeconds: number,
  endSeconds: number,
  ticksPerSecond: number,
): number | undefined {
  const ticks = threadCounterDelta(
    lines,
    process,
    { startSeconds, endSeconds },
    isMigrationThread,
    (entry) => entry[2],
  );
  return ticks === undefined ? undefined : ticks / ticksPerSecond;
}

/** Whether a thread does a QEMU process's migration work: its main loop or a {@linkcode MIGRATION_THREAD}. */
export function isMigrationThread(tid: number, pid: number, comm: string): boolean {
  return tid === pid || MIGRATION_THREAD.test(comm);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The row's noise cells from a run's progress trace: `guest_progress_ratio`,
 * `guest_lost_seconds`, `colocated_progress_ratio` (not under contention
 * `none`), `source_migration_cpu_seconds` and
 * `destination_migration_cpu_seconds` (see {@linkcode migrationCpuSeconds}).
 * A cell that cannot be computed is left out (an empty cell).
 */
export function progressCells(lines: readonly TraceLine[]): RunRow {
  const run = lines.find((l): l is RunLine => l.source === "run");
  if (run === undefined) return {};
  const window = { endSeconds: run.end_seconds, baselineSeconds: run.baseline_seconds };
  const counter = (source: "guest" | "colocated") =>
    lines.filter((l): l is ProgressLine => l.source === source)
      .map((l) => ({ t: l.t_since_run_start, count: l.count }))
      .sort((a, b) => a.t - b.t);
  const cells: RunRow = {};
  const guest = progressSummary(
    counter("guest"),
    run.pause_seconds === undefined ? window : { ...window, pause: run.pause_seconds },
  );
  if (guest !== undefined) {
    cells.guest_progress_ratio = round(guest.ratio, 4);
    cells.guest_lost_seconds = round(guest.lostSeconds, 3);
  }
  if (run.contention !== "none") {
    const colocated = progressSummary(counter("colocated"), window);
    if (colocated !== undefined) cells.colocated_progress_ratio = round(colocated.ratio, 4);
  }
  const cpu = lines.filter((l): l is CpuLine => l.source === "cpu");
  for (
    const [cell, process] of [
      ["source_migration_cpu_seconds", "source-qemu"],
      ["destination_migration_cpu_seconds", "destination-qemu"],
    ] as const
  ) {
    const seconds = migrationCpuSeconds(
      cpu,
      process,
      0,
      run.end_seconds,
      run.clock_ticks_per_second,
    );
    if (seconds !== undefined) cells[cell] = round(seconds, 3);
  }
  return cells;
}

/**
 * Post-copy's blocktime cells from the destination's last `query-migrate`
 * reply (QEMU reports milliseconds): `postcopy_blocktime_seconds` and
 * `postcopy_vcpu_blocktime_seconds` (per vCPU, joined by `;`).
 */
export function blocktimeCells(reply: unknown): RunRow {
  const cells: RunRow = {};
  if (typeof reply !== "object" || reply === null) return cells;
  const r = reply as Record<string, unknown>;
  const total = r["postcopy-blocktime"];
  if (typeof total === "number" && Number.isFinite(total)) {
    cells.postcopy_blocktime_seconds = total / 1000;
  }
  const perVcpu = r["postcopy-vcpu-blocktime"];
  if (Array.isArray(perVcpu) && perVcpu.every((v) => typeof v === "number")) {
    cells.postcopy_vcpu_blocktime_seconds = perVcpu.map((v) => v / 1000).join(";");
  }
  return cells;
}
