/**
 * A KVM (QEMU) pre-copy model: rounds stop when the expected downtime fits the limit.
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import { resolveInput } from "./_input.ts";
import type { MigrationInput, Round } from "./types.ts";

/** Why the KVM pre-copy model ended. */
export type KvmStopReason = "converged" | "timeout" | "max-iterations";

/** Options for {@linkcode kvmPrecopy}. */
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
   * Give up after this many rounds, for rounds that shrink forever without
   * reaching the limit (a limit of 0 with a non-zero dirty rate).
   *
   * @default {10000}
   */
  maxIterations?: number;
}

/** The result of {@linkcode kvmPrecopy}. */
export interface KvmPrecopyResult {
  /** Whether pre-copy reached the downtime limit and switched to stop-and-copy. */
  converged: boolean;
  /** `"converged"`, or why the model gave up. */
  stopReason: KvmStopReason;
  /**
   * The whole migration, in seconds: the rounds plus the stop-and-copy when
   * it converged (as QEMU's `total-time`), or the time at which it gave up.
   */
  migrationTimeSeconds: number;
  /**
   * Seconds of iterative pre-copy before the stop-and-copy (when it gave up:
   * the time at which it did, as `migrationTimeSeconds`).
   */
  precopyTimeSeconds: number;
  /**
   * The stop-and-copy pause, remaining bytes / B, in seconds. When the model
   * did not converge this is the pause a forced switch would have cost when
   * it gave up.
   */
  downtimeSeconds: number;
  /** Number of iterative rounds (0 when the whole memory fits the limit at once). */
  iterations: number;
  /** Bytes sent, stop-and-copy included when it converged. */
  transferredBytes: number;
  /** Dirty bytes left when the rounds ended. */
  remainingBytes: number;
  /** Each iterative round's seconds and bytes, in order. */
  rounds: Round[];
}

/** Fully resolved options, shared with sweep(). */
export interface ResolvedKvmOptions {
  downtimeLimitSeconds: number;
  timeoutSeconds: number;
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
  const { downtimeLimitSeconds = 0.3, timeoutSeconds = 600, maxIterations = 10000 } = record;
  return {
    downtimeLimitSeconds: checkNumber(
      where,
      "option",
      "downtimeLimitSeconds",
      downtimeLimitSeconds,
      "non-negative",
      "seconds",
    ),
    timeoutSeconds: checkNumber(
      where,
      "option",
      "timeoutSeconds",
      timeoutSeconds,
      "positive",
      "seconds",
    ),
    maxIterations: checkNumber(where, "option", "maxIterations", maxIterations, "integer>=1"),
  };
}

/**
 * Estimates a KVM (QEMU) pre-copy live migration.
 *
 * QEMU copies the memory in rounds like Xen, but it has one stop rule: it
 * switches to stop-and-copy as soon as the bytes still dirty could be sent
 * within the user's downtime limit, remaining / B <= limit (the paper's
 * section 2.2.2). The check is made at the start (the whole memory) and after
 * each round, when the dirty bitmap is synced. A round sends what the guest
 * dirtied during the previous one, min(W, p·d·t), as in the Xen model.
 *
 * When the dirty rate keeps the remainder above the limit, the rounds never
 * end: the model then gives up at `timeoutSeconds` (or `maxIterations`) and
 * says so with `converged: false`. This is the paper's Figure 3: around the
 * remainder's floor, min(W, p·d·t)/B, a small change of the limit flips a
 * migration that never ends into an immediate stop-and-copy.
 *
 * Cost: O(N) for N rounds, N <= maxIterations.
 *
 * @param input The configuration: M, W, d, B and the page size, in SI units.
 * @param options The downtime limit and when to give up.
 * @returns The estimated time, pause, rounds and whether it converged.
 * @throws {TypeError} If a field is missing or not a number.
 * @throws {RangeError} If a field is out of range.
 *
 * @example A light workload converges after a few rounds
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const result = kvmPrecopy({
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: 2 ** 26,
 *   dirtyPagesPerSecond: 1024,
 *   bandwidthBytesPerSecond: 125e6,
 * });
 * assert.equal(result.converged, true);
 * assert.ok(result.downtimeSeconds <= 0.3);
 * ```
 *
 * @example The sharp switch of Figure 3
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: 2 ** 27, // 128 MiB dirtied faster than it can be sent: floor 1.07 s
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 125e6,
 * };
 * assert.equal(kvmPrecopy(input, { downtimeLimitSeconds: 1.07 }).converged, false);
 * assert.equal(kvmPrecopy(input, { downtimeLimitSeconds: 1.08 }).converged, true);
 * ```
 */
export function kvmPrecopy(
  input: MigrationInput,
  options: KvmPrecopyOptions = {},
): KvmPrecopyResult {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } =
    resolveInput("kvmPrecopy", input);
  const { downtimeLimitSeconds, timeoutSeconds, maxIterations } = resolveKvmOptions(
    "kvmPrecopy",
    options,
  );
  const rounds: Round[] = [];
  const out = kvmRounds(
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    downtimeLimitSeconds,
    timeoutSeconds,
    maxIterations,
    rounds,
  );
  return { ...out, rounds };
}

/** Scratch output of {@linkcode kvmRounds}. */
export type KvmRoundsOutput = Omit<KvmPrecopyResult, "rounds">;

/**
 * The round loop of {@linkcode kvmPrecopy}, on checked inputs; sweep() calls
 * it without `rounds`.
 */
export function kvmRounds(
  memoryBytes: number,
  wssBytes: number,
  dirtyPagesPerSecond: number,
  bandwidthBytesPerSecond: number,
  pageBytes: number,
  downtimeLimitSeconds: number,
  timeoutSeconds: number,
  maxIterations: number,
  rounds?: Round[],
): KvmRoundsOutput {
  const limitBytes = downtimeLimitSeconds * bandwidthBytesPerSecond;
  const dirtyBytesPerSecond = pageBytes * dirtyPagesPerSecond;
  let pendingBytes = memoryBytes;
  let timeSeconds = 0;
  let transferredBytes = 0;
  let iterations = 0;
  for (;;) {
    if (pendingBytes <= limitBytes) {
      const downtimeSeconds = pendingBytes / bandwidthBytesPerSecond;
      return {
        converged: true,
        stopReason: "converged",
        migrationTimeSeconds: timeSeconds + downtimeSeconds,
        precopyTimeSeconds: timeSeconds,
        downtimeSeconds,
        iterations,
        transferredBytes: transferredBytes + pendingBytes,
        remainingBytes: pendingBytes,
      };
    }
    if (iterations >= maxIterations) {
      return gaveUp("max-iterations", timeSeconds, transferredBytes, pendingBytes);
    }
    const roundSeconds = pendingBytes / bandwidthBytesPerSecond;
    if (timeSeconds + roundSeconds > timeoutSeconds) {
      // Cancelled part way through this round: count what was sent until then.
      const sentBytes = (timeoutSeconds - timeSeconds) * bandwidthBytesPerSecond;
      return gaveUp("timeout", timeoutSeconds, transferredBytes + sentBytes, pendingBytes);
    }
    iterations += 1;
    timeSeconds += roundSeconds;
    transferredBytes += pendingBytes;
    if (rounds) rounds.push({ seconds: roundSeconds, bytes: pendingBytes });
    pendingBytes = Math.min(wssBytes, dirtyBytesPerSecond * roundSeconds);
  }

  function gaveUp(
    stopReason: KvmStopReason,
    atSeconds: number,
    sentBytes: number,
    remainingBytes: number,
  ): KvmRoundsOutput {
    return {
      converged: false,
      stopReason,
      migrationTimeSeconds: atSeconds,
      precopyTimeSeconds: atSeconds,
      downtimeSeconds: remainingBytes / bandwidthBytesPerSecond,
      iterations,
      transferredBytes: sentBytes,
      remainingBytes,
    };
  }
}
