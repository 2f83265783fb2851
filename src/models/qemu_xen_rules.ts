/**
 * QEMU's pre-copy driven by Xen's stop rules: the model of the collector's
 * `xen-precopy-policy` runs.
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import { resolveInput } from "./_input.ts";
import { newQemuXenOutput, QEMU_XEN_STOP_REASONS, qemuXenRounds } from "./_qemu_xen_rounds.ts";
import type { MigrationInput, Round } from "./types.ts";
import { resolveXenOptions, type XenPrecopyOptions } from "./xen_precopy.ts";

/**
 * Why the migration left pre-copy, as the collector's `xen_stop_reason`
 * names it: `"qemu-1ms-limit"` when QEMU switched by itself under its small
 * downtime limit, else the Xen rule that forced the switch.
 */
export type QemuXenStopReason =
  | "qemu-1ms-limit"
  | "transfer-limit"
  | "few-dirty-pages"
  | "max-iterations";

/**
 * The defaults of {@linkcode QemuXenRulesOptions} beyond Xen's constants,
 * named once: the collector's 1 ms limit and 0.2 s poll, and QEMU's 100 ms
 * threshold window.
 *
 * @example A forced stop is taken 0.15 s after its rule holds, on average
 * ```ts
 * import { QEMU_XEN_DEFAULTS } from "./qemu_xen_rules.ts";
 * import assert from "node:assert/strict";
 * const { pollSeconds, checkSeconds } = QEMU_XEN_DEFAULTS;
 * assert.ok(Math.abs(pollSeconds / 2 + checkSeconds / 2 - 0.15) < 1e-12);
 * ```
 */
export const QEMU_XEN_DEFAULTS: {
  readonly downtimeLimitSeconds: 0.001;
  readonly pollSeconds: 0.2;
  readonly checkSeconds: 0.1;
} = { downtimeLimitSeconds: 0.001, pollSeconds: 0.2, checkSeconds: 0.1 };

/**
 * Options for {@linkcode qemuXenRules}: Xen's three constants as the
 * collector applies them to QEMU's `query-migrate` counters
 * (`maxIterations` on `dirty-sync-count`, `maxTransferFactor` on
 * `transferred` over the memory, `minDirtyPages` on `remaining`), plus
 * QEMU's limit and the two intervals that time a forced stop.
 */
export interface QemuXenRulesOptions extends XenPrecopyOptions {
  /**
   * QEMU's downtime limit while it iterates, in seconds: it switches by
   * itself once fewer than B × this many bytes are dirty at a sync.
   *
   * @default {0.001} (the collector's 1 ms)
   */
  downtimeLimitSeconds?: number;
  /**
   * Seconds between the collector's `query-migrate` polls: a rule is seen
   * half of this after it starts to hold, on average.
   *
   * @default {0.2}
   */
  pollSeconds?: number;
  /**
   * Seconds between QEMU's updates of its threshold (bandwidth × limit, once
   * per 100 ms window, `migration_update_counters()`): the raised limit takes
   * effect half of this after the poll, on average.
   *
   * @default {0.1}
   */
  checkSeconds?: number;
}

/** The result of {@linkcode qemuXenRules}. */
export interface QemuXenRulesResult {
  /**
   * The whole migration, in seconds (as QEMU's `total-time`): pre-copy plus
   * the stop-and-copy.
   */
  migrationTimeSeconds: number;
  /** Seconds of pre-copy before the stop-and-copy. */
  precopyTimeSeconds: number;
  /** The stop-and-copy pause, in seconds: its wire bytes over B. */
  downtimeSeconds: number;
  /** Why pre-copy ended, as the collector's `xen_stop_reason`. */
  stopReason: QemuXenStopReason;
  /** Passes over the memory begun, the one a forced stop cut short included. */
  iterations: number;
  /** Dirty-bitmap syncs, as QEMU's final `dirty-sync-count`. */
  bitmapSyncs: number;
  /** Bytes sent on the wire (8-byte page headers, 9-byte zero pages), the stop-and-copy included. */
  transferredBytes: number;
  /** Wire bytes of the stop-and-copy. */
  stopAndCopyBytes: number;
  /** Pending bytes at the stop, every page at its size. */
  remainingBytes: number;
  /** Each full pass's seconds and wire bytes, in order (the pass cut short is not listed). */
  rounds: Round[];
}

/** Fully resolved options, shared with sweep(). */
export interface ResolvedQemuXenOptions {
  maxIterations: number;
  maxTransferFactor: number;
  minDirtyPages: number;
  downtimeLimitSeconds: number;
  pollSeconds: number;
  checkSeconds: number;
}

/**
 * Checks {@linkcode QemuXenRulesOptions} and fills in the defaults.
 *
 * @param where The calling function's name.
 * @param options The options to check.
 */
export function resolveQemuXenOptions(
  where: string,
  options: QemuXenRulesOptions,
): ResolvedQemuXenOptions {
  const record = checkObject(where, "options", options);
  const { downtimeLimitSeconds, pollSeconds, checkSeconds, ...xen } = record;
  const resolved = resolveXenOptions(where, xen as XenPrecopyOptions);
  const seconds = (field: string, value: unknown, fallback: number) =>
    value === undefined
      ? fallback
      : checkNumber(where, "option", field, value, "non-negative", "seconds");
  return {
    ...resolved,
    downtimeLimitSeconds: seconds(
      "downtimeLimitSeconds",
      downtimeLimitSeconds,
      QEMU_XEN_DEFAULTS.downtimeLimitSeconds,
    ),
    pollSeconds: seconds("pollSeconds", pollSeconds, QEMU_XEN_DEFAULTS.pollSeconds),
    checkSeconds: seconds("checkSeconds", checkSeconds, QEMU_XEN_DEFAULTS.checkSeconds),
  };
}

/**
 * Estimates a QEMU pre-copy migration stopped by Xen's rules, as the
 * collector's `xen-precopy-policy` method runs it: QEMU iterates under a
 * 1 ms downtime limit while `query-migrate` is polled every 0.2 s, and when
 * `dirty-sync-count` >= 30, `transferred` > 3 × the memory, or `remaining`
 * < 50 pages, the limit is raised so that QEMU stops and copies at once.
 *
 * It is its own model, not an option of {@linkcode xenPrecopy}, because it
 * answers another question: `xenPrecopy` is the paper's equations for Xen
 * (its T_pre leaves the stop-and-copy out, its rounds send M and min(W,
 * p·d·t) bytes), while this one follows what QEMU counts and when the rules
 * can act on it, and its stop reasons include QEMU's own switch.
 *
 * - Under the 1 ms limit QEMU syncs its bitmap only when the estimate falls
 *   below B × 1 ms, at the end of each pass, so a pass sends exactly the
 *   pages written during the previous one, min(W, p·d·t), as in the paper,
 *   but on the wire: p + 8 bytes a page, and zero pages (`zeroBytes`) 9
 *   bytes in the first pass.
 * - QEMU switches by itself (`"qemu-1ms-limit"`) when a sync finds fewer
 *   than B × limit / p pages dirty: the pause is those pages.
 * - Xen's rules act at a poll: a rule holds from a moment on (the bytes on
 *   the wire cross 3M inside a pass; the 30th sync; fewer than 50 pages
 *   pending, when that lasts beyond the next pass), is seen half a poll
 *   later on average and taken half of QEMU's 100 ms threshold update later.
 *   The pause is what the pass has not sent yet together with the pages the
 *   guest wrote since the pass began (the project's dirtier writes its
 *   working set page after page), over B. The fewer-than-50-pages reading
 *   that a poll catches by luck in the last milliseconds of a pass is not
 *   modelled: it is a coin toss per pass, not a state.
 *
 * The transfer limit is taken on the memory M; the collector's is on QEMU's
 * `ram.total`, M plus the guest's ROMs (0.03 % more on the project's guest).
 * `migrationTimeSeconds` is the whole migration, as the measured `total-time`.
 * A fixed switchover cost (the destination's device load) is not part of it;
 * `fitDowntime` fits it per method.
 *
 * Cost: O(N) for N passes (N <= maxIterations plus the tiny passes of a
 * stop when fewer than 50 pages stay pending), O(1) bitmap intervals at the
 * stop.
 *
 * @param input The configuration: M, W, d, B, the page size and the zero bytes, in SI units.
 * @param options Xen's constants, QEMU's limit and the poll and update intervals.
 * @returns The estimated time, pause, bytes, syncs and why pre-copy ended.
 * @throws {TypeError} If a field is missing or not a number, or an option has the wrong type.
 * @throws {RangeError} If a field or option is out of range.
 *
 * @example A guest writing 1 GiB faster than it can be sent stops at 3M on the wire
 * ```ts
 * import { qemuXenRules } from "./qemu_xen_rules.ts";
 * import assert from "node:assert/strict";
 * const result = qemuXenRules({
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 30, dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 119e6, zeroBytes: 33000 * 4096,
 * });
 * assert.equal(result.stopReason, "transfer-limit");
 * assert.equal(result.bitmapSyncs, result.iterations + 2); // setup, each pass but the last, the stop, completion
 * assert.ok(Math.abs(result.migrationTimeSeconds - result.precopyTimeSeconds - result.downtimeSeconds) < 1e-9);
 * assert.ok(result.downtimeSeconds > 7 && result.downtimeSeconds < 9.1); // most of the working set
 * ```
 *
 * @example An idle guest: one pass, and QEMU switches by itself
 * ```ts
 * import { qemuXenRules } from "./qemu_xen_rules.ts";
 * import assert from "node:assert/strict";
 * const result = qemuXenRules({
 *   memoryBytes: 2 ** 30, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: 1e8,
 * });
 * assert.equal(result.stopReason, "qemu-1ms-limit");
 * assert.equal(result.migrationTimeSeconds, (2 ** 30 / 4096) * 4104 / 1e8);
 * assert.equal(result.downtimeSeconds, 0);
 * ```
 */
export function qemuXenRules(
  input: MigrationInput,
  options: QemuXenRulesOptions = {},
): QemuXenRulesResult {
  const resolvedInput = resolveInput("qemuXenRules", input);
  const resolved = resolveQemuXenOptions("qemuXenRules", options);
  const rounds: Round[] = [];
  const out = qemuXenRounds({ ...resolvedInput, ...resolved }, newQemuXenOutput(), rounds);
  return {
    migrationTimeSeconds: out.precopyTimeSeconds + out.downtimeSeconds,
    precopyTimeSeconds: out.precopyTimeSeconds,
    downtimeSeconds: out.downtimeSeconds,
    stopReason: QEMU_XEN_STOP_REASONS[out.stopCode]!,
    iterations: out.rounds,
    bitmapSyncs: out.bitmapSyncs,
    transferredBytes: out.transferredBytes,
    stopAndCopyBytes: out.stopAndCopyBytes,
    remainingBytes: out.remainingBytes,
    rounds,
  };
}
