// The options of kvmPrecopy() (kvm_precopy.ts re-exports the public ones):
// the measured and fitted defaults, the option types, and their check.
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { checkReadingTable, checkSocketBuffer, checkZeroLayout } from "./_kvm_option_checks.ts";
import type { ReadingTable } from "./_stop_reading.ts";

/**
 * The defaults of {@linkcode KvmPrecopyOptions} that were measured or fitted
 * (named once here; `docs/kvm-precopy-pause.md` gives the runs they come
 * from):
 *
 * - `switchoverSeconds`: the fixed part of the guest's pause, seconds, fitted
 *   with `fitDowntime` on the grid (`data/qemu-tcg-1gbit` with
 *   `data/qemu-tcg-1gbit-noise`): the destination's device load and `RESUME`
 *   after the source's last byte (the guest-visible pause exceeds QEMU's own
 *   `downtime` by 0.029-0.031 s median on the grid and the sweep).
 * - `earlyZeroFraction` and `spreadZeroFraction`: where the guest's zero
 *   pages lie in QEMU's scan order (traces' `duplicate` against the pages
 *   scanned in the first pass, 431 grid and sweep traces): 5,274 of about
 *   33,200 (0.16) in the first 30,000 pages; about 4,600 more (0.14) in one
 *   block whose place varies from boot to boot, evenly from page 20,000 to
 *   340,000 of 393,346 (so the model spreads them); the other 0.70 in the
 *   top 30,000 pages, below a tail of mostly normal pages.
 * - `tailFraction`: that tail as a share of the memory: the top 8,192 pages
 *   hold 156-800 zero pages, depending on where the top block's edge is
 *   drawn (`duplicate` 32,396-33,040 of 33,196, medians over the traces that
 *   reach them), so 7,400-8,000 normal pages; fitted on the grid within that
 *   range, 0.0195 (7,670 pages, 31.4 MB at 1.5 GiB) gives the lowest
 *   cross-validated time MAPE and pause MAE among 0.0188-0.0205 (the idle
 *   guest's pauses at limits up to 1 s leave 24.7-30.8 MB on the grid and
 *   the sweep).
 * - `socketBufferBytes`: what QEMU's first 100 ms bandwidth window reads
 *   above B, bytes, from when the sweep's full-memory runs stop: on a free
 *   host every run at 11.5 and 12 s stopped within 0.12 s with 1.595 GB
 *   pending (so the first window read at least 138.8 MB/s), none of the
 *   five at 11 s did (so it read under 145.0 MB/s); the middle, 141.9 MB/s,
 *   is B = 119.0 MB/s plus 2.3 MB over 0.1 s. (The grid's samples at 0.2 s,
 *   127.9 MB/s median, hold the second window, not the first: 1.7 MB until
 *   2026-12-02.)
 * - `socketBufferRangeBytes`: how far that first reading moves from one
 *   sitting (machine, boot, scheduling when `migrate` starts) to another,
 *   as the same bytes over 0.1 s above B: `firstWindowRange` over the
 *   sweep's converged sweep-writer runs (`scripts/first_window_range.ts`).
 *   Runs that stopped at once needed readings up to 142.6 MB/s (full memory
 *   at 11.25 s, session 7), runs that did not had readings under 130.5 MB/s
 *   (idle at 12 s, 2026-12-01), so B plus 1.15-2.37 MB over 0.1 s. Between
 *   those needs the first window's outcome is the sitting's, not the
 *   configuration's.
 * - `bandwidthReadingSpread`: how QEMU's bandwidth reading (`mbps`, the
 *   threshold's scale) scatters from window to window, as a relative sd:
 *   1.23 % over the 1,463 post-first-pass samples of the sweep's 21
 *   random-write runs within 5 % of each run's median (0.6-2.4 % per run;
 *   `scripts/random_writer_traces.ts`). Used for random writes only.
 * - `bandwidthReadingQuantiles`: the same reading, untrimmed, for the sweep
 *   writer's stop: quantiles of reading / (the run's median reading) - 1
 *   over the 1,899 samples from 0.3 s on of the 41 sweep-writer runs that
 *   recorded a free host (`host_load_average` below 1, the quiet sittings of
 *   2026-12-02; `scripts/reading_quantiles.ts`): sd 3.8 %, 19.6 % of the
 *   windows read more than 3 % high, 7.4 % more than 5 %, the highest 14.6 %.
 *
 * @example The defaults are what kvmPrecopy uses when the options say nothing
 * ```ts
 * import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const idle = {
 *   memoryBytes: 2 ** 30, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: 119e6,
 * };
 * const result = kvmPrecopy(idle, { downtimeLimitSeconds: 1 });
 * const fixed = result.downtimeSeconds - result.stopAndCopySeconds;
 * assert.ok(Math.abs(fixed - KVM_PRECOPY_DEFAULTS.switchoverSeconds) < 1e-12);
 * assert.ok(KVM_PRECOPY_DEFAULTS.earlyZeroFraction + KVM_PRECOPY_DEFAULTS.spreadZeroFraction < 1);
 * ```
 */
export const KVM_PRECOPY_DEFAULTS: {
  readonly switchoverSeconds: number;
  readonly earlyZeroFraction: number;
  readonly spreadZeroFraction: number;
  readonly tailFraction: number;
  readonly socketBufferBytes: number;
  readonly socketBufferRangeBytes: readonly [number, number];
  readonly bandwidthReadingSpread: number;
  readonly bandwidthReadingQuantiles: readonly (readonly [number, number])[];
} = Object.freeze({
  switchoverSeconds: 0.024,
  earlyZeroFraction: 0.16,
  spreadZeroFraction: 0.14,
  tailFraction: 0.0195,
  socketBufferBytes: 2.3e6,
  socketBufferRangeBytes: Object.freeze([1.15e6, 2.37e6] as const),
  bandwidthReadingSpread: 0.012,
  bandwidthReadingQuantiles: Object.freeze(
    ([
      [0, -0.3391],
      [0.01, -0.1088],
      [0.02, -0.0695],
      [0.05, -0.0541],
      [0.1, -0.0444],
      [0.2, -0.0299],
      [0.3, -0.0116],
      [0.4, -0.0053],
      [0.5, 0],
      [0.6, 0.0045],
      [0.7, 0.0109],
      [0.8, 0.0283],
      [0.9, 0.045],
      [0.95, 0.0544],
      [0.98, 0.0625],
      [0.99, 0.0726],
      [1, 0.1457],
    ] as const).map((pair) => Object.freeze(pair)),
  ),
});

/** Why the KVM pre-copy model ended. */
export type KvmStopReason = "converged" | "timeout" | "max-iterations" | "max-syncs";

/** Stop reasons, by sweep() code. */
export const KVM_STOP_REASONS: readonly KvmStopReason[] = [
  "converged",
  "timeout",
  "max-iterations",
  "max-syncs",
];

/**
 * When QEMU may switch to stop-and-copy. `"qemu"`: QEMU 10's decision after
 * every ~50 ms chunk (a bitmap sync whenever the cheap estimate falls to
 * bandwidth × limit, the switch once the exact count is below it).
 * `"between-rounds"`: the remainder is checked only at the start and after
 * each whole round, as in the Xen model (the toolkit's rule before issue #14).
 */
export type KvmSwitchRule = "qemu" | "between-rounds";

/**
 * How the guest writes its working set, for the `"qemu"` rule. `"sweep"`:
 * page after page in QEMU's scan order, round and round (the project's
 * dirtier); `"random"`: each write hits a page of the working set uniformly
 * at random.
 */
export type KvmWritePattern = "sweep" | "random";

/** Options for `kvmPrecopy`. */
export interface KvmPrecopyOptions {
  /**
   * The largest pause the user allows, in seconds (QEMU's `downtime-limit`).
   * Today's QEMU default is 0.3 s; QEMU 1.1, the paper's version, used 0.03 s.
   *
   * @default {0.3}
   */
  downtimeLimitSeconds?: number;
  /**
   * Give up (as a user's `migrate_cancel` would) once the migration has run
   * this long without converging, in seconds.
   *
   * @default {600}
   */
  timeoutSeconds?: number;
  /**
   * When the switch may happen: QEMU's per-chunk decision, or the older
   * check between whole rounds. See {@linkcode KvmSwitchRule}.
   *
   * @default {"qemu"}
   */
  switchRule?: KvmSwitchRule;
  /**
   * How the guest writes its working set (`"qemu"` rule only).
   *
   * @default {"sweep"}
   */
  writePattern?: KvmWritePattern;
  /**
   * The fixed part of the guest's pause, seconds: what the switch costs
   * beyond sending what is left (the destination's device load and resume),
   * added to `downtimeSeconds` (not to `migrationTimeSeconds`, which ends
   * with the source's last byte, as QEMU's `total-time`). Fitted on the grid,
   * see {@linkcode KVM_PRECOPY_DEFAULTS}.
   *
   * @default {KVM_PRECOPY_DEFAULTS.switchoverSeconds}
   */
  switchoverSeconds?: number;
  /**
   * The share of the zero pages (`zeroBytes`) QEMU scans first in the first
   * pass, right after the working set (`"qemu"` rule). Measured on the
   * traces, see {@linkcode KVM_PRECOPY_DEFAULTS}.
   *
   * @default {KVM_PRECOPY_DEFAULTS.earlyZeroFraction}
   */
  earlyZeroFraction?: number;
  /**
   * The share of the zero pages spread evenly through the normal memory
   * between the working set and the top (`"qemu"` rule); the rest,
   * 1 - `earlyZeroFraction` - `spreadZeroFraction`, comes at the end of the
   * first pass, before `tailBytes`. Measured on the traces, see
   * {@linkcode KVM_PRECOPY_DEFAULTS}.
   *
   * @default {KVM_PRECOPY_DEFAULTS.spreadZeroFraction}
   */
  spreadZeroFraction?: number;
  /**
   * Non-zero bytes QEMU scans after the zero pages at the end of the first
   * pass (`"qemu"` rule, when `zeroBytes` > 0). Linux keeps its page array,
   * 64 bytes per 4 KiB page, and more at the top of memory; the measured idle
   * guest's pause at small limits is that tail. Measured on the traces, see
   * {@linkcode KVM_PRECOPY_DEFAULTS}.
   *
   * @default {memoryBytes × KVM_PRECOPY_DEFAULTS.tailFraction}
   */
  tailBytes?: number;
  /**
   * Seconds of sending between two checks (QEMU's `MAX_WAIT`, 50 ms), for
   * the `"qemu"` rule.
   *
   * @default {0.05}
   */
  chunkSeconds?: number;
  /**
   * The window of QEMU's bandwidth estimate, in seconds: no switch before the
   * first window ends (`"qemu"` rule).
   *
   * @default {0.1}
   */
  bandwidthWindowSeconds?: number;
  /**
   * Bytes the sending socket takes at once when the migration starts (the
   * kernel's send buffer), in bytes (`"qemu"` rule). QEMU's bandwidth
   * estimate counts bytes written to the socket, so its first window reads
   * B + socketBufferBytes / window: on the project's link 139-145 MB/s
   * against 119 sustained, about 2.3 MB (see
   * {@linkcode KVM_PRECOPY_DEFAULTS}), which makes a limit of 11.5 s stop at
   * once for a 1.5 GiB guest.
   *
   * @default {KVM_PRECOPY_DEFAULTS.socketBufferBytes}
   */
  socketBufferBytes?: number;
  /**
   * The lowest and highest `socketBufferBytes` a sitting may have, in bytes
   * (`"qemu"` rule): the first window's reading moves from one machine or
   * boot to another. Where a limit stops the migration at its first check
   * at one end and not at the other, the result says `firstWindow:
   * "either"` and gives the other outcome (`otherOutcome`). It must hold
   * `socketBufferBytes`. Measured on the sweep, see
   * {@linkcode KVM_PRECOPY_DEFAULTS}.
   *
   * @default {KVM_PRECOPY_DEFAULTS.socketBufferRangeBytes, or
   *   [socketBufferBytes, socketBufferBytes] when only that is given}
   */
  socketBufferRangeBytes?: readonly [number, number];
  /**
   * The scatter of QEMU's bandwidth reading from one 100 ms window to the
   * next, as a relative standard deviation (`"qemu"` rule, random writes
   * only). The threshold, reading × limit, scatters with it, so a random
   * writer whose mean count sits just above the threshold converges by
   * chance. Measured on the traces, see {@linkcode KVM_PRECOPY_DEFAULTS}.
   * The sweep writer's stop uses `bandwidthReadingQuantiles` instead.
   *
   * @default {KVM_PRECOPY_DEFAULTS.bandwidthReadingSpread}
   */
  bandwidthReadingSpread?: number;
  /**
   * How QEMU's bandwidth reading scatters from one 100 ms window to the next,
   * for the sweep writer's stop (`"qemu"` rule): pairs `[level, deviation]`
   * of its distribution, the reading over B less 1 at each cumulative level,
   * from level 0 to level 1 (linear between). While the count falls towards
   * the threshold, the first window that reads high enough stops the
   * migration, so on average the stop comes before the one a reading of B
   * gives and the pause is longer, by more at larger limits (the count falls
   * through a band of about the spread × B × limit). Whether the migration
   * converges is the same as at a reading of B. An empty list: every window
   * reads B. Measured on the traces, see {@linkcode KVM_PRECOPY_DEFAULTS}.
   *
   * @default {KVM_PRECOPY_DEFAULTS.bandwidthReadingQuantiles}
   */
  bandwidthReadingQuantiles?: readonly (readonly [number, number])[];
  /**
   * Give up after this many bitmap syncs (`"qemu"` rule), a cap on the model's
   * work when a migration syncs every chunk without converging.
   *
   * @default {10000}
   */
  maxBitmapSyncs?: number;
  /**
   * Give up after this many rounds (`"between-rounds"` rule), for rounds that
   * shrink forever without reaching the limit (a limit of 0 with a non-zero
   * dirty rate).
   *
   * @default {10000}
   */
  maxIterations?: number;
}

/** Fully resolved options, shared with sweep(). */
export interface ResolvedKvmOptions {
  downtimeLimitSeconds: number;
  timeoutSeconds: number;
  switchRule: KvmSwitchRule;
  writePattern: KvmWritePattern;
  switchoverSeconds: number;
  earlyZeroFraction: number;
  spreadZeroFraction: number;
  /** Absent: memoryBytes × KVM_PRECOPY_DEFAULTS.tailFraction. */
  tailBytes?: number;
  chunkSeconds: number;
  bandwidthWindowSeconds: number;
  socketBufferBytes: number;
  socketBufferRangeBytes: readonly [number, number];
  bandwidthReadingSpread: number;
  bandwidthReading: ReadingTable;
  maxBitmapSyncs: number;
  maxIterations: number;
}

/**
 * Checks {@linkcode KvmPrecopyOptions} and fills in the defaults.
 *
 * @param where The calling function's name.
 * @param options The options to check.
 */
export function resolveKvmOptions(where: string, options: KvmPrecopyOptions): ResolvedKvmOptions {
  const record = checkObject(where, "options", options);
  const {
    downtimeLimitSeconds = 0.3,
    timeoutSeconds = 600,
    switchRule = "qemu",
    writePattern = "sweep",
    switchoverSeconds = KVM_PRECOPY_DEFAULTS.switchoverSeconds,
    earlyZeroFraction = KVM_PRECOPY_DEFAULTS.earlyZeroFraction,
    spreadZeroFraction = KVM_PRECOPY_DEFAULTS.spreadZeroFraction,
    tailBytes,
    chunkSeconds = 0.05,
    bandwidthWindowSeconds = 0.1,
    socketBufferBytes,
    socketBufferRangeBytes,
    bandwidthReadingSpread = KVM_PRECOPY_DEFAULTS.bandwidthReadingSpread,
    bandwidthReadingQuantiles = KVM_PRECOPY_DEFAULTS.bandwidthReadingQuantiles,
    maxBitmapSyncs = 10000,
    maxIterations = 10000,
  } = record;
  const number = (field: string, value: unknown, rule: "non-negative" | "positive", unit = "") =>
    checkNumber(where, "option", field, value, rule, unit);
  if (switchRule !== "qemu" && switchRule !== "between-rounds") {
    throw new TypeError(
      `${where}: invalid option "switchRule", expected "qemu" or "between-rounds" (got ${
        showValue(switchRule)
      })`,
    );
  }
  if (writePattern !== "sweep" && writePattern !== "random") {
    throw new TypeError(
      `${where}: invalid option "writePattern", expected "sweep" or "random" (got ${
        showValue(writePattern)
      })`,
    );
  }
  return {
    downtimeLimitSeconds: number(
      "downtimeLimitSeconds",
      downtimeLimitSeconds,
      "non-negative",
      "seconds",
    ),
    timeoutSeconds: number("timeoutSeconds", timeoutSeconds, "positive", "seconds"),
    switchRule,
    writePattern,
    switchoverSeconds: number("switchoverSeconds", switchoverSeconds, "non-negative", "seconds"),
    ...checkZeroLayout(where, earlyZeroFraction, spreadZeroFraction),
    ...(tailBytes === undefined
      ? {}
      : { tailBytes: number("tailBytes", tailBytes, "non-negative", "bytes") }),
    chunkSeconds: number("chunkSeconds", chunkSeconds, "positive", "seconds"),
    bandwidthWindowSeconds: number(
      "bandwidthWindowSeconds",
      bandwidthWindowSeconds,
      "non-negative",
      "seconds",
    ),
    ...checkSocketBuffer(where, socketBufferBytes, socketBufferRangeBytes, KVM_PRECOPY_DEFAULTS),
    bandwidthReadingSpread: number(
      "bandwidthReadingSpread",
      bandwidthReadingSpread,
      "non-negative",
      "(a relative standard deviation)",
    ),
    bandwidthReading: checkReadingTable(where, bandwidthReadingQuantiles),
    maxBitmapSyncs: checkNumber(where, "option", "maxBitmapSyncs", maxBitmapSyncs, "integer>=1"),
    maxIterations: checkNumber(where, "option", "maxIterations", maxIterations, "integer>=1"),
  };
}
