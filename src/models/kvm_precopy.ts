/**
 * A KVM (QEMU) pre-copy model: QEMU's switch to stop-and-copy, decided after
 * every chunk, or the simpler rule checked between whole rounds.
 *
 * @module
 */

import { resolveInput } from "./_input.ts";
import { kvmRounds } from "./_kvm_rounds.ts";
import { FIRST_WINDOW_OUTCOMES, firstWindowCode } from "./_first_window.ts";
import {
  newQemuOutput,
  QEMU_STOP_REASONS,
  qemuSwitch,
  type QemuSwitchInput,
  type QemuSwitchOutput,
} from "./_qemu_switch.ts";
import {
  KVM_PRECOPY_DEFAULTS,
  type KvmPrecopyOptions,
  type KvmStopReason,
  type ResolvedKvmOptions,
  resolveKvmOptions,
} from "./_kvm_options.ts";
import type { MigrationInput, Round } from "./types.ts";

export {
  KVM_PRECOPY_DEFAULTS,
  KVM_STOP_REASONS,
  type KvmPrecopyOptions,
  type KvmStopReason,
  type KvmSwitchRule,
  type KvmWritePattern,
  type ResolvedKvmOptions,
  resolveKvmOptions,
} from "./_kvm_options.ts";

/**
 * One outcome of a KVM pre-copy migration: the fields of
 * {@linkcode KvmPrecopyResult} that the first window's reading can change.
 */
export interface KvmPrecopyOutcome {
  /** Whether pre-copy reached the downtime limit and switched to stop-and-copy. */
  converged: boolean;
  /** `"converged"`, or why the model gave up. */
  stopReason: KvmStopReason;
  /**
   * The whole migration, in seconds: pre-copy plus the stop-and-copy when it
   * converged (as QEMU's `total-time`), or the time at which it gave up.
   */
  migrationTimeSeconds: number;
  /**
   * Seconds of pre-copy before the stop-and-copy (when it gave up: the time
   * at which it did, as `migrationTimeSeconds`).
   */
  precopyTimeSeconds: number;
  /**
   * The guest's pause, in seconds: `switchoverSeconds` plus
   * `stopAndCopySeconds`. When the model did not converge this is the pause
   * a forced switch would have cost when it gave up.
   */
  downtimeSeconds: number;
  /**
   * The stop-and-copy, in seconds: what is left at the stop over B (under
   * the `"qemu"` rule, zero pages at 9 bytes and normal pages at p + 8).
   */
  stopAndCopySeconds: number;
  /**
   * Rounds: under `"between-rounds"` the iterative rounds (0 when the whole
   * memory fits the limit at once); under `"qemu"` the exact counts (bitmap
   * syncs after setup, before completion).
   */
  iterations: number;
  /**
   * Dirty-bitmap syncs, comparable with QEMU's `dirty-sync-count`: the setup
   * sync, each exact count and, when it converged, the completion's.
   */
  bitmapSyncs: number;
  /**
   * Bytes sent, stop-and-copy included when it converged (under `"qemu"`: on
   * the wire, with the 8-byte page headers and 9-byte zero pages).
   */
  transferredBytes: number;
  /** Pending bytes at the stop, every page counted at its size (zero pages too). */
  remainingBytes: number;
  /**
   * The chance that QEMU switches by `timeoutSeconds`: 1 or 0 but for random
   * writes (`writePattern: "random"`), where the count each exact count finds
   * and QEMU's threshold are random: P = 1 - prod(1 - q_i) over the exact
   * counts, `converged` when P >= 0.5.
   */
  convergenceProbability: number;
}

/**
 * Whether QEMU stops at its first check (in the second 100 ms window, on the
 * first window's reading) over the sittings `socketBufferRangeBytes` spans:
 * `"stops"` at every one, `"continues"` at none, `"either"` at some (then
 * which one a run gets is a matter of the sitting, not of the
 * configuration).
 */
export type KvmFirstWindow = "stops" | "continues" | "either";

/** The result of {@linkcode kvmPrecopy}. */
export interface KvmPrecopyResult extends KvmPrecopyOutcome {
  /** Each round's seconds and bytes, in order (`"qemu"`: the time between exact counts). */
  rounds: Round[];
  /**
   * Whether the first window decides the stop (`"qemu"` rule; null under
   * `"between-rounds"`), see {@linkcode KvmFirstWindow}. The result is the
   * outcome at `socketBufferBytes`.
   */
  firstWindow: KvmFirstWindow | null;
  /**
   * When `firstWindow` is `"either"`: the outcome at the other end of
   * `socketBufferRangeBytes` (stopping at the first check where the result
   * does not, or going on where it stops); else null. On a 1.5 GiB guest at
   * limits of about 11-12 s the pause is the whole memory (~12.3 s) or what
   * a later stop leaves (10.3-11.4 s), and the sweep measured both.
   */
  otherOutcome: KvmPrecopyOutcome | null;
}

/**
 * Estimates a KVM (QEMU) pre-copy live migration.
 *
 * By default (`switchRule: "qemu"`) it follows QEMU 10's decision
 * (`migration_iteration_run()`): after every ~50 ms chunk of sending, if the
 * cheap estimate of what is dirty (the bitmap's count, no sync) is at or
 * below the threshold, bandwidth × `downtimeLimitSeconds`, the dirty bitmap
 * is synced and QEMU switches to stop-and-copy if the exact count is below
 * the threshold. There is no threshold in the first 100 ms, and no sync at
 * the end of a pass. The guest's writes reach the bitmap only at a sync: with
 * `writePattern: "sweep"` it writes its working set page after page in scan
 * order, with `"random"` uniformly at random. Zero pages (`zeroBytes`) count
 * p bytes each in the estimate but cost 9 bytes on the wire; they lie in the
 * scan order as QEMU meets them on the project's guest (a share first, a
 * share spread through memory, the rest at the end of the first pass before
 * `tailBytes` of normal memory). The pause is a fixed `switchoverSeconds`
 * plus the stop-and-copy, what is left at the stop over B (the traces show
 * the stop-and-copy at the pre-copy's own rate: `downtime-bytes` over QEMU's
 * `downtime` is 117.9 MB/s median on the sweep, 118.9 on the grid). The
 * model jumps from sync to sync (the chunks between two syncs are counted,
 * not simulated). QEMU's threshold is its bandwidth reading of the last
 * 100 ms window times the limit, and the reading scatters from window to
 * window (`bandwidthReadingQuantiles`, measured): while the count falls
 * towards the threshold, the first window that reads high enough stops it,
 * so for a sweep writer the stop, its time, the pause and what is left are
 * their expected values over the windows of the last stretch before the
 * stop a reading of B gives (replayed chunk by chunk within the band the
 * readings reach, about ±10 % of B × L, and only there); whether it
 * converges is decided at a reading of B.
 *
 * With `writePattern: "random"` the switch is a matter of chance: the bitmap
 * follows the writer's mean, but the number of new pages an exact count
 * finds scatters (the occupancy of the clean pages by the writes since the
 * last sync), and so does QEMU's threshold, with its bandwidth reading
 * (`bandwidthReadingSpread`). Each exact count i switches with chance q_i
 * (normal approximation), and the model gives the chance to switch before
 * `timeoutSeconds`, `convergenceProbability` = 1 - prod(1 - q_i). It
 * converges when that chance is at least one half; the times, bytes, pause
 * and syncs are then their expected values given a switch (syncs rounded),
 * else those of the give-up as for a sweep. A sweep writer's chance is 1 or
 * 0 (deterministic).
 *
 * QEMU's first threshold uses its first window's reading, which counts what
 * the socket took at once (`socketBufferBytes`) and moves from one sitting
 * to another (`socketBufferRangeBytes`, measured). Where a limit stops the
 * migration at its first check at one end of that range and not at the
 * other, which one happens is the sitting's, not the configuration's: the
 * result is the outcome at `socketBufferBytes`, `firstWindow` says
 * `"either"`, and `otherOutcome` is the other (one more run of the
 * recurrence, only where the first window's threshold reaches the count).
 *
 * With `switchRule: "between-rounds"` it copies in whole rounds like the Xen
 * model and switches once the remainder fits the limit, remaining / B <=
 * limit, checked at the start and after each round (zero pages and the
 * write pattern are ignored).
 *
 * When the remainder stays above the limit, pre-copy never ends: the model
 * gives up at `timeoutSeconds` (or after `maxBitmapSyncs` syncs or
 * `maxIterations` rounds) with `converged: false`: the paper's Figure 3.
 *
 * Cost: O(S·I) for S bitmap syncs over I bitmap intervals (I is small: the
 * working set is a few arcs), plus for a sweep writer's stop O(K·I) for the
 * K ≈ 2.5 × limit / 50 ms checks its reading band spans (`sweep` runs at
 * 0.3-0.54 times the throughput of a reading of B, `bench/stop_reading.ts`),
 * or O(N) for N rounds.
 *
 * @param input The configuration: M, W, d, B, the page size and the zero bytes, in SI units.
 * @param options The downtime limit, the switch rule, the write pattern and when to give up.
 * @returns The estimated time, pause, syncs and whether it converged.
 * @throws {TypeError} If a field is missing or not a number, or an option has the wrong type.
 * @throws {RangeError} If a field or option is out of range.
 *
 * @example An idle guest stops mid-pass, with a pause of about the limit
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const result = kvmPrecopy(
 *   { memoryBytes: 1.5 * 2 ** 30, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: 125e6 },
 *   { downtimeLimitSeconds: 3 },
 * );
 * assert.equal(result.converged, true);
 * assert.equal(result.bitmapSyncs, 3); // setup, the exact count, completion
 * // QEMU's reading scatters, so the stop comes on average a little before the
 * // count reaches B x L (a reading of B everywhere: `bandwidthReadingQuantiles: []`).
 * assert.ok(result.stopAndCopySeconds > 2.9 && result.stopAndCopySeconds < 3.1);
 * // The pause adds the fixed switchover cost; the migration ends with the last byte.
 * assert.equal(result.downtimeSeconds, result.stopAndCopySeconds + 0.024);
 * assert.ok(Math.abs(result.migrationTimeSeconds - result.precopyTimeSeconds - result.stopAndCopySeconds) < 1e-9);
 * ```
 *
 * @example Zero pages scanned before the stop cost nothing in the pause
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 0, dirtyPagesPerSecond: 0,
 *   bandwidthBytesPerSecond: 119e6, zeroBytes: 100e6,
 * };
 * // At a 3 s limit the stop comes before the top of memory: every zero page at the
 * // end is still pending (4096 bytes each) but costs 9 bytes, so the pause falls short.
 * const atEnd = kvmPrecopy(input, { downtimeLimitSeconds: 3, earlyZeroFraction: 0, spreadZeroFraction: 0 });
 * const early = kvmPrecopy(input, { downtimeLimitSeconds: 3, earlyZeroFraction: 0.3, spreadZeroFraction: 0 });
 * // 30 % of them scanned early: the pause is longer by about 0.3 × 100 MB / B.
 * const longer = early.stopAndCopySeconds - atEnd.stopAndCopySeconds;
 * assert.ok(Math.abs(longer - 0.3 * 100e6 / 119e6) < 0.06);
 * ```
 *
 * @example The sharp switch of Figure 3, and the older rule's
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: 2 ** 27, // 128 MiB written faster than it can be sent
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 125e6,
 * };
 * assert.equal(kvmPrecopy(input, { downtimeLimitSeconds: 0.5 }).converged, false);
 * assert.equal(kvmPrecopy(input, { downtimeLimitSeconds: 0.9 }).converged, true);
 * const rounds = { switchRule: "between-rounds" } as const;
 * assert.equal(kvmPrecopy(input, { ...rounds, downtimeLimitSeconds: 1.07 }).converged, false);
 * assert.equal(kvmPrecopy(input, { ...rounds, downtimeLimitSeconds: 1.08 }).converged, true);
 * ```
 *
 * @example Near M/B the first 100 ms decide: two outcomes, both measured
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const idle = {
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 0, dirtyPagesPerSecond: 0,
 *   bandwidthBytesPerSecond: 119e6, zeroBytes: 136e6,
 * };
 * const at = (limit: number) => kvmPrecopy(idle, { downtimeLimitSeconds: limit });
 * assert.equal(at(10.5).firstWindow, "continues");
 * assert.equal(at(12.5).firstWindow, "stops");
 * const zone = at(11.5);
 * assert.equal(zone.firstWindow, "either");
 * // One outcome stops at the first check and pauses for nearly the whole memory;
 * // the other sends on and pauses for about the limit.
 * const pauses = [zone.downtimeSeconds, zone.otherOutcome!.downtimeSeconds].sort((a, b) => a - b);
 * assert.ok(pauses[0]! < 11.6 && pauses[1]! > 11.9);
 * ```
 *
 * @example Random writes: the chance to converge grows through the switch
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 27, dirtyPagesPerSecond: 51000,
 *   bandwidthBytesPerSecond: 119e6,
 * };
 * const at = (limit: number) =>
 *   kvmPrecopy(input, { writePattern: "random", downtimeLimitSeconds: limit, timeoutSeconds: 40 });
 * assert.equal(at(0.4).convergenceProbability, 0);
 * const near = at(0.5);
 * assert.ok(near.convergenceProbability > 0.5 && near.converged);
 * assert.ok(at(0.6).convergenceProbability > 1 - 1e-9);
 * // A sweep writer's chance is 0 or 1.
 * assert.equal(kvmPrecopy(input, { downtimeLimitSeconds: 0.5 }).convergenceProbability, 0);
 * ```
 */
export function kvmPrecopy(
  input: MigrationInput,
  options: KvmPrecopyOptions = {},
): KvmPrecopyResult {
  const resolvedInput = resolveInput("kvmPrecopy", input);
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } =
    resolvedInput;
  const resolved = resolveKvmOptions("kvmPrecopy", options);
  const rounds: Round[] = [];
  if (resolved.switchRule === "between-rounds") {
    const out = kvmRounds(
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      bandwidthBytesPerSecond,
      pageBytes,
      resolved.downtimeLimitSeconds,
      resolved.timeoutSeconds,
      resolved.maxIterations,
      rounds,
    );
    return {
      ...out,
      downtimeSeconds: resolved.switchoverSeconds + out.downtimeSeconds,
      stopAndCopySeconds: out.downtimeSeconds,
      bitmapSyncs: out.iterations + 1 + (out.converged ? 1 : 0),
      rounds,
      convergenceProbability: out.converged ? 1 : 0,
      firstWindow: null,
      otherOutcome: null,
    };
  }
  const qemu = qemuInput(
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    resolvedInput.zeroBytes,
    resolved,
  );
  const out = qemuSwitch(qemu, newQemuOutput(), rounds);
  const other = newQemuOutput();
  const code = firstWindowCode(qemu, out, resolved.socketBufferRangeBytes, other);
  return {
    ...outcomeOf(out),
    rounds,
    firstWindow: FIRST_WINDOW_OUTCOMES[code],
    otherOutcome: code === 2 ? outcomeOf(other) : null,
  };
}

/** The public outcome of one run of the QEMU rule. */
function outcomeOf(out: QemuSwitchOutput): KvmPrecopyOutcome {
  const converged = out.stopCode === 0;
  return {
    converged,
    stopReason: QEMU_STOP_REASONS[out.stopCode]!,
    migrationTimeSeconds: qemuMigrationSeconds(out),
    precopyTimeSeconds: out.precopyTimeSeconds,
    downtimeSeconds: out.downtimeSeconds,
    stopAndCopySeconds: out.stopAndCopySeconds,
    iterations: out.rounds,
    bitmapSyncs: out.bitmapSyncs,
    transferredBytes: out.transferredBytes,
    remainingBytes: out.remainingBytes,
    convergenceProbability: out.convergenceProbability,
  };
}

/** The whole migration of one run of the QEMU rule, seconds (the pause only when it converged); shared with sweep(). */
export function qemuMigrationSeconds(out: QemuSwitchOutput): number {
  return out.precopyTimeSeconds + (out.stopCode === 0 ? out.stopAndCopySeconds : 0);
}

/** The QEMU rule's input for one checked configuration; shared with sweep(). */
export function qemuInput(
  memoryBytes: number,
  wssBytes: number,
  dirtyPagesPerSecond: number,
  bandwidthBytesPerSecond: number,
  pageBytes: number,
  zeroBytes: number,
  options: ResolvedKvmOptions,
): QemuSwitchInput {
  return {
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    zeroBytes,
    tailBytes: options.tailBytes ?? memoryBytes * KVM_PRECOPY_DEFAULTS.tailFraction,
    earlyZeroFraction: options.earlyZeroFraction,
    spreadZeroFraction: options.spreadZeroFraction,
    switchoverSeconds: options.switchoverSeconds,
    downtimeLimitSeconds: options.downtimeLimitSeconds,
    timeoutSeconds: options.timeoutSeconds,
    maxBitmapSyncs: options.maxBitmapSyncs,
    random: options.writePattern === "random",
    chunkSeconds: options.chunkSeconds,
    bandwidthWindowSeconds: options.bandwidthWindowSeconds,
    socketBufferBytes: options.socketBufferBytes,
    bandwidthReadingSpread: options.bandwidthReadingSpread,
    bandwidthReading: options.bandwidthReading,
  };
}
