/**
 * How far QEMU's first bandwidth window moves from one sitting to another,
 * from a measured downtime-limit sweep (issue #14): per converged run, the
 * socket buffer the model needs to stop at its first check, and from the runs
 * that did and did not stop there, the range `kvmPrecopy` takes as
 * `socketBufferRangeBytes`.
 *
 * @module
 */

import { checkNumber, checkObject, checkRuns } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { kvmPrecopy, type KvmPrecopyOptions } from "../models/kvm_precopy.ts";
import { groupSweepRuns, runModelInput } from "./_sweep_runs.ts";

/** Options for {@linkcode firstWindowRange}. */
export interface FirstWindowRangeOptions {
  /**
   * One B for every run, bytes/s (the fitted KVM pre-copy B); without it
   * each run's measured throughput, else its link bandwidth.
   *
   * @default {each run's throughput}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * `kvmPrecopy`'s options (the limit and the timeout come from each run,
   * the write pattern from its `write_pattern` column);
   * `socketBufferBytes` is what is searched.
   *
   * @default {{}}
   */
  model?: KvmPrecopyOptions;
  /**
   * The largest socket buffer searched, bytes: a run that needs more (or
   * that stops at once even with none) says nothing about the first window.
   *
   * @default {20e6}
   */
  maxSocketBufferBytes?: number;
}

/** One run whose first-window outcome depends on the socket buffer. */
export interface FirstWindowRun {
  /** The workload, e.g. `WSS full, 51200 pages/s, sweep`. */
  workload: string;
  /** The run's downtime limit, seconds. */
  limitSeconds: number;
  /** The run's repeat index (0 when not given). */
  run: number;
  /**
   * Whether it stopped at its first check: QEMU's pre-copy (`total-time`
   * less its `downtime`) under two bandwidth windows (0.2 s).
   */
  stoppedAtOnce: boolean;
  /** The smallest socket buffer at which the model stops at once, bytes (to 1 kB). */
  neededSocketBufferBytes: number;
  /** The first window's reading that needs: B plus that over the window, bytes/s. */
  neededReadingBytesPerSecond: number;
}

/** The result of {@linkcode firstWindowRange}. */
export interface FirstWindowRange {
  /** The runs whose outcome the first window decides, in the sweep's order. */
  runs: FirstWindowRun[];
  /**
   * The least need among the runs that did not stop at once, bytes: some
   * sitting's first window read below B plus this (null: no such run).
   */
  lowBytes: number | null;
  /**
   * The largest need among the runs that stopped at once, bytes: some
   * sitting's first window read at least B plus this (null: no such run).
   */
  highBytes: number | null;
  /**
   * Whether the sittings disagree: `lowBytes` <= `highBytes`, so that
   * between the two needs either outcome was measured and
   * `[lowBytes, highBytes]` is the range to give `kvmPrecopy`. When false
   * one socket buffer between `highBytes` and `lowBytes` explains every run.
   */
  bothOutcomes: boolean;
}

/**
 * Finds the range of QEMU's first-window reading, as socket buffer bytes
 * above B, over the converged `kvm-precopy` runs of a downtime-limit sweep
 * that recorded QEMU's own downtime (`qmp_downtime_seconds`). For each run
 * it bisects, on the run's own input (as `switchRuleValidation` builds it),
 * the smallest `socketBufferBytes` at which `kvmPrecopy` stops at its first
 * check; the runs whose need lies inside (0, `maxSocketBufferBytes`) are the
 * ones the first window decides. A run that stopped at once shows a reading
 * of at least its need, one that did not a reading below it.
 *
 * Cost: about 16 model runs per informative run, 2 per other run.
 *
 * @param runs The sweep's runs, as `loadRuns` gives them.
 * @param options B, the model's options and the search's bound.
 * @returns The informative runs and the range their outcomes span.
 * @throws {TypeError} If `runs` is not an array or an option has the wrong type.
 * @throws {RangeError} If an option is out of range or a run has no B.
 *
 * @example A run that stopped at once and one that did not, at two limits
 * ```ts
 * import { firstWindowRange } from "./first_window_range.ts";
 * import assert from "node:assert/strict";
 * const run = (limit: number, precopySeconds: number, pause: number) => ({
 *   method: "kvm-precopy", contention: "none", memoryBytes: 1.5 * 2 ** 30, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, status: "completed", downtimeLimitSeconds: limit,
 *   migrationTimeSeconds: precopySeconds + pause, qmpDowntimeSeconds: pause,
 *   downtimeSeconds: pause, timeoutSeconds: 40, extra: {},
 * });
 * const range = firstWindowRange([run(12.5, 0.12, 13.5), run(12, 2, 11.5)], {
 *   bandwidthBytesPerSecond: 119e6,
 * });
 * assert.equal(range.runs.length, 2);
 * // The stop at 12.5 s needed less than the failed one at 12 s: one sitting fits both.
 * assert.equal(range.bothOutcomes, false);
 * assert.ok(range.highBytes! < range.lowBytes!);
 * ```
 */
export function firstWindowRange(
  runs: readonly MigrationRun[],
  options: FirstWindowRangeOptions = {},
): FirstWindowRange {
  const where = "firstWindowRange";
  checkRuns(where, runs);
  checkObject(where, "options", options);
  const model = options.model ?? {};
  const most = checkNumber(
    where,
    "option",
    "maxSocketBufferBytes",
    options.maxSocketBufferBytes ?? 20e6,
    "positive",
    "bytes",
  );
  const windowSeconds = model.bandwidthWindowSeconds ?? 0.1;
  const found: FirstWindowRun[] = [];
  for (const group of groupSweepRuns(runs, model.writePattern ?? "sweep")) {
    group.runs.forEach((run, k) => {
      if (run.status !== "completed" || run.qmpDowntimeSeconds === undefined) return;
      const input = runModelInput(where, run, k, options.bandwidthBytesPerSecond);
      const limitSeconds = run.downtimeLimitSeconds!;
      // With the range collapsed to one value the first window "stops" or "continues".
      const stopsAt = (socketBufferBytes: number) =>
        kvmPrecopy(input, {
          ...model,
          writePattern: group.writePattern,
          downtimeLimitSeconds: limitSeconds,
          timeoutSeconds: run.timeoutSeconds ?? 600,
          socketBufferBytes,
          socketBufferRangeBytes: [socketBufferBytes, socketBufferBytes],
        }).firstWindow === "stops";
      if (stopsAt(0) || !stopsAt(most)) return;
      let low = 0;
      let high = most;
      while (high - low > 1e3) {
        const middle = (low + high) / 2;
        if (stopsAt(middle)) high = middle;
        else low = middle;
      }
      found.push({
        workload: group.label,
        limitSeconds,
        run: run.run ?? 0,
        stoppedAtOnce: run.migrationTimeSeconds - run.qmpDowntimeSeconds < 2 * windowSeconds,
        neededSocketBufferBytes: high,
        neededReadingBytesPerSecond: input.bandwidthBytesPerSecond + high / windowSeconds,
      });
    });
  }
  const needs = (once: boolean) =>
    found.filter((r) => r.stoppedAtOnce === once).map((r) => r.neededSocketBufferBytes);
  const later = needs(false);
  const once = needs(true);
  const lowBytes = later.length > 0 ? Math.min(...later) : null;
  const highBytes = once.length > 0 ? Math.max(...once) : null;
  return {
    runs: found,
    lowBytes,
    highBytes,
    bothOutcomes: lowBytes !== null && highBytes !== null && lowBytes <= highBytes,
  };
}
