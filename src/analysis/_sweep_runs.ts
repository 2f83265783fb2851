// A downtime-limit sweep's runs as kvmPrecopy's inputs: grouped per workload
// (requested WSS, requested dirty rate, write pattern), and each run's own
// B (measured throughput) and zero bytes (zero_pages x page size).
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import type { MigrationInput } from "../models/types.ts";
import { bytesToMib } from "../units.ts";

/** One workload's runs. */
export interface SweepGroup {
  /** E.g. `WSS 128 MiB, 51200 pages/s, sweep` (`WSS full` for a request equal to M). */
  label: string;
  writePattern: "sweep" | "random";
  /** The completed and non-convergent runs with a downtime limit, by limit. */
  runs: MigrationRun[];
}

/** A numeric `extra` column of a run, or undefined. */
export function extraNumber(run: MigrationRun, column: string): number | undefined {
  const raw = run.extra?.[column];
  const value = typeof raw === "number" ? raw : raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** The run's write pattern (`writePattern`, the `write_pattern` column), else the fallback. */
export function writePatternOf(
  run: MigrationRun,
  fallback: "sweep" | "random",
): "sweep" | "random" {
  const raw = run.writePattern ?? run.extra?.write_pattern;
  return raw === "random" ? "random" : raw === "sweep" ? "sweep" : fallback;
}

/** The sweep's kvm-precopy runs that completed or did not converge, one group per workload, smallest W first. */
export function groupSweepRuns(
  runs: readonly MigrationRun[],
  fallbackPattern: "sweep" | "random",
): SweepGroup[] {
  const groups = new Map<string, SweepGroup & { order: number; rate: number }>();
  for (const run of runs) {
    if (run.method !== "kvm-precopy" || run.downtimeLimitSeconds === undefined) continue;
    if (run.status !== "completed" && run.status !== "non-convergent") continue;
    const requested = run.requestedWssBytes ?? run.wssBytes;
    const rate = run.requestedDirtyPagesPerSecond ?? run.dirtyPagesPerSecond;
    const writePattern = writePatternOf(run, fallbackPattern);
    const wss = requested === run.memoryBytes ? "full" : `${bytesToMib(requested).toFixed(0)} MiB`;
    const label = `WSS ${wss}, ${rate} pages/s, ${writePattern}`;
    const group = groups.get(label) ??
      { label, writePattern, runs: [], order: requested, rate };
    group.runs.push(run);
    groups.set(label, group);
  }
  return [...groups.values()]
    .sort((a, b) =>
      a.order - b.order || a.rate - b.rate ||
      Number(a.writePattern === "random") - Number(b.writePattern === "random")
    )
    .map(({ label, writePattern, runs }) => ({
      label,
      writePattern,
      runs: runs.sort((a, b) => a.downtimeLimitSeconds! - b.downtimeLimitSeconds!),
    }));
}

/**
 * kvmPrecopy's input for a measured run: B is `bandwidth` if given, else the
 * run's measured throughput, else `fallback`, else its link; Z is `zero_pages` x p (at most
 * M - W), 0 where the run does not say.
 */
export function runModelInput(
  where: string,
  run: MigrationRun,
  index: number,
  bandwidth?: number,
  fallback?: number,
): Required<MigrationInput> {
  const b = bandwidth ?? extraNumber(run, "throughput_bytes_per_second") ?? fallback ??
    run.linkBandwidthBytesPerSecond;
  if (b === undefined || !(b > 0)) {
    throw new RangeError(
      `${where}: invalid run ${index}, expected a "throughput_bytes_per_second" or link bandwidth > 0 bytes/s (got ${
        showValue(b)
      })`,
    );
  }
  const zeroPages = extraNumber(run, "zero_pages") ?? 0;
  return {
    memoryBytes: run.memoryBytes,
    wssBytes: run.wssBytes,
    dirtyPagesPerSecond: run.wssBytes > 0 ? run.dirtyPagesPerSecond : 0,
    bandwidthBytesPerSecond: b,
    pageBytes: run.pageBytes,
    zeroBytes: Math.max(0, Math.min(zeroPages * run.pageBytes, run.memoryBytes - run.wssBytes)),
  };
}
