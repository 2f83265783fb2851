// Private, pure: a migration's row in the run schema, from the grid point,
// the settings, QEMU's last query-migrate reply and the guest's console.

import { bytesToMib } from "../units.ts";
import type { SerialLine } from "./_serial.ts";
import type { GridPoint, RequestedWss, RunRow } from "./types.ts";

/** The session's settings that every row records. */
export interface RunSettings {
  /** The VM's memory, bytes. */
  memoryBytes: number;
  /** The shaped link's rate, bytes/s. */
  linkBandwidthBytesPerSecond: number;
  /** QEMU's downtime limit for kvm-precopy and kvm-postcopy, seconds. */
  downtimeLimitSeconds: number;
  /** kvm-precopy non-convergence limit, seconds. */
  timeoutSeconds: number;
  /** Any run's limit, seconds. */
  hardTimeoutSeconds: number;
  /** When kvm-postcopy switches. */
  postcopySwitch: "after-first-pass" | "immediate";
  /** "kvm" or "tcg". */
  accelerator: string;
  /** The host's CPU model (/proc/cpuinfo). */
  hostCpu: string;
}

/** The downtime limit a method runs with: Xen's rules keep QEMU iterating at 1 ms. */
export function downtimeLimitFor(point: GridPoint, settings: RunSettings): number {
  if (point.method === "xen-precopy-policy") return 0.001;
  return point.downtimeLimitSeconds ?? settings.downtimeLimitSeconds;
}

/**
 * The row before the migration: status `failed` until the run says otherwise.
 * `ready` holds the guest's READY report (wss_bytes, filler_bytes).
 */
export function baseRow(
  point: GridPoint,
  ready: Record<string, number>,
  settings: RunSettings,
  startedAt: Date = new Date(),
): RunRow {
  return {
    method: point.method,
    contention: point.contention,
    memory_bytes: settings.memoryBytes,
    // Required cells are never empty: until the guest reports, the requested values stand
    // in, flagged by dirty_rate_source (failed runs, or a guest paused for the whole run).
    wss_bytes: ready.wss_bytes ?? point.wss,
    dirty_pages_per_second: point.dirtyPagesPerSecond,
    dirty_rate_source: "requested",
    page_bytes: 4096,
    link_bandwidth_bytes_per_second: settings.linkBandwidthBytesPerSecond,
    status: "failed",
    run: point.run,
    requested_wss: String(point.wss),
    requested_dirty_pages_per_second: point.dirtyPagesPerSecond,
    downtime_limit_seconds: downtimeLimitFor(point, settings),
    accelerator: settings.accelerator,
    filler_bytes: ready.filler_bytes ?? "",
    postcopy_switch: point.method === "kvm-postcopy" ? settings.postcopySwitch : "",
    timeout_seconds: point.method === "kvm-precopy"
      ? settings.timeoutSeconds
      : settings.hardTimeoutSeconds,
    started_at: startedAt.toISOString(),
    write_pattern: point.writePattern ?? "sweep",
    host_cpu: settings.hostCpu,
  };
}

/** A finite number at `path` in a JSON value, else undefined. */
export function numberAt(value: unknown, ...path: string[]): number | undefined {
  let cur: unknown = value;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === "number" && Number.isFinite(cur) ? cur : undefined;
}

/**
 * The cells QEMU's last `query-migrate` reply gives: time, bytes, rounds, page
 * counts, throughput, setup time and QEMU's own downtime (seconds and bytes).
 * Without a `total-time`, `wallSeconds` (the collector's clock) stands in.
 */
export function statsFromQueryMigrate(reply: Record<string, unknown>, wallSeconds: number): RunRow {
  const cells: RunRow = {};
  const totalMs = numberAt(reply, "total-time");
  const seconds = totalMs !== undefined ? totalMs / 1000 : Math.round(wallSeconds * 1000) / 1000;
  cells.migration_time_seconds = seconds;
  const ram = (reply.ram ?? {}) as Record<string, unknown>;
  const transferred = numberAt(ram, "transferred");
  for (
    const [cell, value] of [
      ["transferred_bytes", transferred],
      ["iterations", numberAt(ram, "dirty-sync-count")],
      ["ram_total_bytes", numberAt(ram, "total")],
      ["zero_pages", numberAt(ram, "duplicate")],
      ["normal_pages", numberAt(ram, "normal")],
    ] as const
  ) {
    if (value !== undefined) cells[cell] = value;
  }
  if (transferred !== undefined && seconds > 0) {
    cells.throughput_bytes_per_second = Math.round(transferred / seconds);
  }
  const setupMs = numberAt(reply, "setup-time");
  if (setupMs !== undefined) cells.setup_time_seconds = setupMs / 1000;
  const downtimeMs = numberAt(reply, "downtime");
  if (downtimeMs !== undefined) cells.qmp_downtime_seconds = downtimeMs / 1000;
  return cells;
}

/**
 * The dirty rate the guest achieved between `fromSeconds` and `toSeconds`,
 * pages/s (0.1 resolution), from its console's `RATE t=<s> pages=<n>` reports;
 * undefined with fewer than two reports.
 */
export function achievedDirtyRate(
  lines: readonly SerialLine[],
  fromSeconds: number,
  toSeconds: number,
): number | undefined {
  const reports = lines
    .filter((l) => l.t >= fromSeconds && l.t <= toSeconds && l.text.startsWith("RATE "))
    .map((l) => /t=([\d.]+) pages=(\d+)/.exec(l.text))
    .filter((m) => m !== null)
    .map((m) => ({ t: Number(m[1]), pages: Number(m[2]) }))
    .sort((a, b) => a.t - b.t);
  if (reports.length < 2) return undefined;
  const a = reports[0]!;
  const b = reports.at(-1)!;
  return Math.round(((b.pages - a.pages) / (b.t - a.t)) * 10) / 10;
}

/** A working set as the guest's kernel argument and trace names give it: MiB, or "full". */
export function wssArg(wss: RequestedWss): string {
  return wss === "full" ? "full" : String(bytesToMib(wss));
}

/**
 * The base name of a run's trace files, e.g. `kvm-precopy_none_w64_d5120_r1`,
 * with `_l<limit>` for a point of a downtime limit sweep and `_prandom` for
 * the random write pattern (the default `sweep` adds nothing).
 */
export function traceStamp(point: GridPoint): string {
  const wss = wssArg(point.wss);
  const limit = point.downtimeLimitSeconds === undefined ? "" : `_l${point.downtimeLimitSeconds}`;
  const pattern = point.writePattern === "random" ? "_prandom" : "";
  return `${point.method}_${point.contention}_w${wss}_d${point.dirtyPagesPerSecond}_r${point.run}${limit}${pattern}`;
}
