/**
 * The Xen pre-copy model of the paper's section 4.1.
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import { resolveInput } from "./_input.ts";
import { XEN_STOP_REASONS, xenRounds, type XenRoundsOutput } from "./_xen_rounds.ts";
import type { MigrationInput, Round } from "./types.ts";

/** Why Xen's iterative pre-copy stopped, in the order the paper checks. */
export type XenStopReason = "transfer-limit" | "few-dirty-pages" | "max-iterations";

/** Options for {@linkcode xenPrecopy}: the three constants of Xen's stop rule. */
export interface XenPrecopyOptions {
  /**
   * Stop after this many rounds (the paper's condition 3). Xen 4.1 as the
   * paper describes it uses 30; Xen 4.1's source stops at 29; today's
   * `xl migrate` uses 5.
   *
   * @default {30}
   */
  maxIterations?: number;
  /**
   * Stop once the bytes sent exceed this multiple of the memory (condition 1).
   *
   * @default {3}
   */
  maxTransferFactor?: number;
  /**
   * Stop once fewer than this many pages are dirty after a round (condition 2).
   *
   * @default {50}
   */
  minDirtyPages?: number;
}

/** The result of {@linkcode xenPrecopy}. */
export interface XenPrecopyResult {
  /**
   * The paper's T_pre = sum of t_i, in seconds: the iterative rounds only,
   * without the stop-and-copy (section 4.1). The paper's fits compare this
   * with the measured migration time.
   */
  precopyTimeSeconds: number;
  /**
   * The whole migration, in seconds: T_pre plus the stop-and-copy
   * (`precopyTimeSeconds + downtimeSeconds`).
   */
  migrationTimeSeconds: number;
  /** N, the number of iterative rounds. */
  iterations: number;
  /** Which stop condition ended the iterative rounds. */
  stopReason: XenStopReason;
  /** Bytes sent by the iterative rounds, sum of B * t_i. */
  transferredBytes: number;
  /** Bytes left for stop-and-copy, min(W, p * d * t_N). */
  stopAndCopyBytes: number;
  /** Stop-and-copy time, stopAndCopyBytes / B, in seconds. */
  downtimeSeconds: number;
  /** Each iterative round's seconds and bytes, in order. */
  rounds: Round[];
}

/** Fully resolved options, shared with sweep(). */
export interface ResolvedXenOptions {
  maxIterations: number;
  maxTransferFactor: number;
  minDirtyPages: number;
}

/**
 * Checks {@linkcode XenPrecopyOptions} and fills in the defaults.
 *
 * @param where The calling function's name.
 * @param options The options to check.
 */
export function resolveXenOptions(where: string, options: XenPrecopyOptions): ResolvedXenOptions {
  const record = checkObject(where, "options", options);
  const {
    maxIterations = 30,
    maxTransferFactor = 3,
    minDirtyPages = 50,
  } = record;
  return {
    maxIterations: checkNumber(where, "option", "maxIterations", maxIterations, "integer>=1"),
    maxTransferFactor: checkNumber(
      where,
      "option",
      "maxTransferFactor",
      maxTransferFactor,
      "positive",
    ),
    minDirtyPages: checkNumber(
      where,
      "option",
      "minDirtyPages",
      minDirtyPages,
      "non-negative",
      "pages",
    ),
  };
}

/**
 * Estimates a Xen pre-copy live migration with the paper's equations (1)-(2).
 *
 * The first round sends the whole memory, t_1 = M/B. Each later round sends
 * what the guest dirtied during the previous one, t_i = min(W, p·d·t_{i-1})/B.
 * After each round the three stop conditions are checked in the paper's
 * order, and the first that holds ends the iterative phase:
 *
 * 1. `"transfer-limit"`: the bytes sent so far, Σ B·t_j, exceed 3M;
 * 2. `"few-dirty-pages"`: fewer than 50 pages are dirty, min(W, p·d·t_N) < 50p;
 * 3. `"max-iterations"`: N = 30.
 *
 * The paper's migration time is T_pre = Σ t_i (`precopyTimeSeconds`): it
 * leaves out the stop-and-copy transfer of the last dirty pages, which is
 * reported as `downtimeSeconds`. `migrationTimeSeconds` is the whole
 * migration, T_pre plus the stop-and-copy.
 *
 * Cost: O(N) time and memory, N <= maxIterations.
 *
 * @param input The configuration: M, W, d, B and the page size, in SI units.
 * @param options The stop rule's constants.
 * @returns The estimated time, the rounds and why they stopped.
 * @throws {TypeError} If a field is missing or not a number.
 * @throws {RangeError} If a field is out of range (NaN, negative, zero bandwidth, W > M, a fractional page size).
 *
 * @example The paper's VM over Gigabit Ethernet, idle guest
 * ```ts
 * import { xenPrecopy } from "./xen_precopy.ts";
 * import assert from "node:assert/strict";
 * const result = xenPrecopy({
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: 0,
 *   dirtyPagesPerSecond: 0,
 *   bandwidthBytesPerSecond: 125e6,
 * });
 * assert.equal(result.iterations, 1);
 * assert.equal(result.stopReason, "few-dirty-pages");
 * assert.ok(Math.abs(result.precopyTimeSeconds - 12.884901888) < 1e-9);
 * assert.equal(result.migrationTimeSeconds, result.precopyTimeSeconds); // nothing left to stop and copy
 * ```
 *
 * @example Today's Xen stops after 5 rounds
 * ```ts
 * import { xenPrecopy } from "./xen_precopy.ts";
 * import assert from "node:assert/strict";
 * const result = xenPrecopy(
 *   { memoryBytes: 2 ** 30, wssBytes: 2 ** 26, dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: 125e6 },
 *   { maxIterations: 5 },
 * );
 * assert.equal(result.stopReason, "max-iterations");
 * assert.equal(result.rounds.length, 5);
 * assert.equal(result.migrationTimeSeconds, result.precopyTimeSeconds + result.downtimeSeconds);
 * ```
 */
export function xenPrecopy(
  input: MigrationInput,
  options: XenPrecopyOptions = {},
): XenPrecopyResult {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } =
    resolveInput("xenPrecopy", input);
  const resolved = resolveXenOptions("xenPrecopy", options);
  const rounds: Round[] = [];
  const out: XenRoundsOutput = {
    precopyTimeSeconds: 0,
    transferredBytes: 0,
    iterations: 0,
    stopCode: 0,
    stopAndCopyBytes: 0,
  };
  xenRounds(
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    pageBytes,
    resolved.maxIterations,
    resolved.maxTransferFactor,
    resolved.minDirtyPages,
    out,
    rounds,
  );
  const downtimeSeconds = out.stopAndCopyBytes / bandwidthBytesPerSecond;
  return {
    precopyTimeSeconds: out.precopyTimeSeconds,
    migrationTimeSeconds: out.precopyTimeSeconds + downtimeSeconds,
    iterations: out.iterations,
    stopReason: XEN_STOP_REASONS[out.stopCode] as XenStopReason,
    transferredBytes: out.transferredBytes,
    stopAndCopyBytes: out.stopAndCopyBytes,
    downtimeSeconds,
    rounds,
  };
}
