/**
 * Migration noise on the co-located load: how much of its work the load
 * beside the migrating VM still gets done while the migration runs, as a
 * progress ratio (1 = no slowdown).
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";

/** The loads the model knows, by contention label. */
export const COLOCATED_CONTENTIONS = ["cpu", "network", "memory"] as const;

/** One of {@linkcode COLOCATED_CONTENTIONS}. */
export type ColocatedContention = typeof COLOCATED_CONTENTIONS[number];

/** What the migration does while the load runs beside it. */
export interface ColocatedProgressInput {
  /** T: the migration's time, seconds (the window the ratio is over). */
  migrationTimeSeconds: number;
  /** The bytes the migration sends in T (network contention). */
  transferredBytes: number;
  /**
   * CPU seconds of the source QEMU's main loop and migration threads in T
   * (CPU contention; the collector's `source_migration_cpu_seconds`).
   */
  sourceMigrationCpuSeconds?: number;
}

/** Options for {@linkcode colocatedProgress}: the model's two constants. */
export interface ColocatedProgressOptions {
  /**
   * CPU contention: the load's CPU seconds lost per CPU second of the
   * migration's threads, over the load's baseline share (1: the hog, alone
   * with the source QEMU on its core, yields exactly what the migration
   * takes; a fit gives it).
   *
   * @default {1}
   */
  cpuLossPerCpuSecond?: number;
  /**
   * Network contention: the rate the load achieves on the link alone, bytes/s
   * (iperf3's baseline goodput; a fit gives it).
   *
   * @default {125e6} (1 Gbit/s)
   */
  linkBytesPerSecond?: number;
}

/** The result of {@linkcode colocatedProgress}. */
export interface ColocatedProgressResult {
  /** The load's work in T over its work at the baseline rate in T (0 to 1). */
  progressRatio: number;
  /** The work lost, seconds of baseline progress: (1 − ratio) × T. */
  lostSeconds: number;
}

/**
 * Estimates how much the co-located load slows down while a migration runs
 * beside it, per kind of load (the dataset's contention):
 *
 * - `"cpu"`: a CPU hog pinned to the source QEMU's core. It loses the share
 *   of the core the migration's threads take: ratio = 1 − κ·m/T for m CPU
 *   seconds of the source QEMU's main loop and migration threads in T, κ =
 *   `cpuLossPerCpuSecond` (1 when the hog yields just that; the baseline
 *   already holds the vCPU's share).
 * - `"network"`: a bulk TCP transfer on the migration's link, in the same
 *   direction. While both run, what the migration sends is not the load's:
 *   ratio = 1 − (bytes/T)/C for the load's rate C on the link alone
 *   (`linkBytesPerSecond`); two fair TCP streams give about one half.
 * - `"memory"`: a host process that dirties memory: it shares neither the
 *   core nor the link, so ratio = 1.
 *
 * Where it does not hold: a hog that shares its core with other processes of
 * the host (their load changes between baseline and migration, and the
 * kernel's network work for the migration lands on the hog's core), a link
 * the migration does not fill (a pre-copy waiting on the guest, post-copy's
 * demand faults at a low rate: the load then gets more than C − bytes/T
 * while the migration idles), several loads at once. The ratio is clamped
 * at 0.
 *
 * Cost: O(1).
 *
 * @param contention The load: `"cpu"`, `"network"` or `"memory"`.
 * @param input The migration's time, bytes and source CPU seconds.
 * @param options The constants κ and C.
 * @returns The load's progress ratio and lost time.
 * @throws {TypeError} If the contention is unknown, or a field or option is not a number.
 * @throws {RangeError} If a field or option is out of range, or `sourceMigrationCpuSeconds` is missing under `"cpu"`.
 *
 * @example iperf3 beside a post-copy of 1.5 GiB at half the link
 * ```ts
 * import { colocatedProgress } from "./colocated_progress.ts";
 * import assert from "node:assert/strict";
 * const { progressRatio } = colocatedProgress("network", {
 *   migrationTimeSeconds: 24, transferredBytes: 1.44e9,
 * }, { linkBytesPerSecond: 120e6 });
 * assert.ok(Math.abs(progressRatio - 0.5) < 1e-12);
 * ```
 *
 * @example A CPU hog and 1.2 CPU seconds of migration threads in 12 s
 * ```ts
 * import { colocatedProgress } from "./colocated_progress.ts";
 * import assert from "node:assert/strict";
 * const { progressRatio, lostSeconds } = colocatedProgress("cpu", {
 *   migrationTimeSeconds: 12, transferredBytes: 1.5e9, sourceMigrationCpuSeconds: 1.2,
 * }, { cpuLossPerCpuSecond: 2 });
 * assert.ok(Math.abs(progressRatio - 0.8) < 1e-12);
 * assert.ok(Math.abs(lostSeconds - 2.4) < 1e-12);
 * ```
 */
export function colocatedProgress(
  contention: ColocatedContention,
  input: ColocatedProgressInput,
  options: ColocatedProgressOptions = {},
): ColocatedProgressResult {
  const where = "colocatedProgress";
  if (!COLOCATED_CONTENTIONS.includes(contention)) {
    throw new TypeError(
      `${where}: invalid contention, expected ${
        COLOCATED_CONTENTIONS.map((c) => `"${c}"`).join(", ")
      } (got ${showValue(contention)})`,
    );
  }
  const record = checkObject(where, "input", input);
  const { cpuLossPerCpuSecond = 1, linkBytesPerSecond = 125e6 } = checkObject(
    where,
    "options",
    options,
  );
  const seconds = checkNumber(
    where,
    "input",
    "migrationTimeSeconds",
    record.migrationTimeSeconds,
    "positive",
    "seconds",
  );
  const bytes = checkNumber(
    where,
    "input",
    "transferredBytes",
    record.transferredBytes,
    "non-negative",
    "bytes",
  );
  const kappa = checkNumber(
    where,
    "option",
    "cpuLossPerCpuSecond",
    cpuLossPerCpuSecond,
    "non-negative",
  );
  const link = checkNumber(
    where,
    "option",
    "linkBytesPerSecond",
    linkBytesPerSecond,
    "positive",
    "bytes/s",
  );
  let ratio = 1;
  if (contention === "cpu") {
    if (record.sourceMigrationCpuSeconds === undefined) {
      throw new RangeError(
        `${where}: missing field "sourceMigrationCpuSeconds", expected CPU seconds for contention "cpu" (got undefined)`,
      );
    }
    const cpu = checkNumber(
      where,
      "input",
      "sourceMigrationCpuSeconds",
      record.sourceMigrationCpuSeconds,
      "non-negative",
      "CPU seconds",
    );
    ratio = colocatedRatio(contention, seconds, bytes, cpu, kappa, link);
  } else ratio = colocatedRatio(contention, seconds, bytes, 0, kappa, link);
  return { progressRatio: ratio, lostSeconds: (1 - ratio) * seconds };
}

/**
 * The ratio of {@linkcode colocatedProgress} on checked inputs, shared with
 * the fit.
 *
 * @param contention The load.
 * @param seconds T, seconds.
 * @param bytes Bytes sent in T.
 * @param cpuSeconds The source's migration CPU seconds in T.
 * @param kappa CPU seconds the hog loses per migration CPU second.
 * @param link The load's rate on the link alone, bytes/s.
 */
export function colocatedRatio(
  contention: ColocatedContention,
  seconds: number,
  bytes: number,
  cpuSeconds: number,
  kappa: number,
  link: number,
): number {
  if (contention === "memory") return 1;
  const loss = contention === "cpu" ? kappa * cpuSeconds / seconds : bytes / seconds / link;
  return Math.max(0, 1 - loss);
}
