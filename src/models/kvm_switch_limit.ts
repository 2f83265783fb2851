/**
 * The smallest downtime limit at which KVM pre-copy converges, by bisection
 * over {@linkcode kvmPrecopy}.
 *
 * @module
 */

import { checkNumber, checkObject } from "../_validate.ts";
import { kvmPrecopy, type KvmPrecopyOptions } from "./kvm_precopy.ts";
import type { MigrationInput } from "./types.ts";

/** Options for {@linkcode kvmSwitchLimit}: the search range and the model's options. */
export interface KvmSwitchLimitOptions extends Omit<KvmPrecopyOptions, "downtimeLimitSeconds"> {
  /**
   * The smallest limit searched, in seconds.
   *
   * @default {0}
   */
  lowSeconds?: number;
  /**
   * The largest limit searched, in seconds.
   *
   * @default {60}
   */
  highSeconds?: number;
  /**
   * Stop when the bracket is this narrow, in seconds.
   *
   * @default {0.001}
   */
  toleranceSeconds?: number;
}

/** The result of {@linkcode kvmSwitchLimit}. */
export interface KvmSwitchLimit {
  /**
   * The switch: a limit that converges with one that does not within
   * `toleranceSeconds` below it (the bracket's upper end), in seconds;
   * `lowSeconds` when it converges there already, null when it does not
   * converge even at `highSeconds`.
   */
  limitSeconds: number | null;
  /** The largest limit found not to converge (null if none was). */
  stuckSeconds: number | null;
  /** Model runs spent. */
  evaluations: number;
}

/**
 * Finds where KVM pre-copy starts to converge as the downtime limit grows:
 * the model is run at the ends of the range and then at midpoints, keeping a
 * limit that does not converge below one that does. Under QEMU's rule the
 * outcome need not be monotone in the limit near the switch (the guest's
 * writes and the checks fall differently), so this is one switch inside the
 * range, the first one for a monotone outcome. For random writes
 * (`writePattern: "random"`) `converged` means a chance to converge of at
 * least one half, so the switch is where `convergenceProbability` crosses
 * 0.5 (it grows with the limit).
 *
 * Cost: about log2((high - low) / tolerance) + 2 runs of `kvmPrecopy`.
 *
 * @param input The configuration, as for `kvmPrecopy`.
 * @param options The search range and the model's options.
 * @returns The switch limit and the largest limit that did not converge.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If the range is empty or an option is out of range.
 *
 * @example 128 MiB written at 51,200 pages/s over 1 Gbit/s
 * ```ts
 * import { kvmSwitchLimit } from "./kvm_switch_limit.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: 2 ** 27,
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 125e6,
 * };
 * const qemu = kvmSwitchLimit(input, { timeoutSeconds: 40, toleranceSeconds: 0.01 });
 * const rounds = kvmSwitchLimit(input, { switchRule: "between-rounds", toleranceSeconds: 0.01 });
 * assert.ok(qemu.limitSeconds! < rounds.limitSeconds!);
 * assert.ok(Math.abs(rounds.limitSeconds! - 2 ** 27 / 125e6) < 0.01);
 * assert.ok(qemu.stuckSeconds! < qemu.limitSeconds!);
 * ```
 *
 * @example Random writes: where the chance to converge crosses one half
 * ```ts
 * import { kvmPrecopy } from "./kvm_precopy.ts";
 * import { kvmSwitchLimit } from "./kvm_switch_limit.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 27, dirtyPagesPerSecond: 51000,
 *   bandwidthBytesPerSecond: 119e6,
 * };
 * const options = { writePattern: "random", timeoutSeconds: 40 } as const;
 * const found = kvmSwitchLimit(input, { ...options, lowSeconds: 0.3, highSeconds: 1 });
 * const chance = (limit: number) =>
 *   kvmPrecopy(input, { ...options, downtimeLimitSeconds: limit }).convergenceProbability;
 * assert.ok(chance(found.limitSeconds!) >= 0.5 && chance(found.stuckSeconds!) < 0.5);
 * ```
 */
export function kvmSwitchLimit(
  input: MigrationInput,
  options: KvmSwitchLimitOptions = {},
): KvmSwitchLimit {
  const where = "kvmSwitchLimit";
  const record = checkObject(where, "options", options);
  const { lowSeconds = 0, highSeconds = 60, toleranceSeconds = 0.001, ...model } = record;
  const low = checkNumber(where, "option", "lowSeconds", lowSeconds, "non-negative", "seconds");
  const high = checkNumber(where, "option", "highSeconds", highSeconds, "positive", "seconds");
  const tolerance = checkNumber(
    where,
    "option",
    "toleranceSeconds",
    toleranceSeconds,
    "positive",
    "seconds",
  );
  if (!(high > low)) {
    throw new RangeError(
      `${where}: invalid option "highSeconds", expected seconds > lowSeconds (${low}) (got ${high})`,
    );
  }
  let evaluations = 0;
  const converges = (limit: number) => {
    evaluations++;
    return kvmPrecopy(input, { ...(model as KvmPrecopyOptions), downtimeLimitSeconds: limit })
      .converged;
  };
  if (converges(low)) return { limitSeconds: low, stuckSeconds: null, evaluations };
  if (!converges(high)) return { limitSeconds: null, stuckSeconds: high, evaluations };
  let stuck = low;
  let done = high;
  while (done - stuck > tolerance) {
    const middle = (stuck + done) / 2;
    if (converges(middle)) done = middle;
    else stuck = middle;
  }
  return { limitSeconds: done, stuckSeconds: stuck, evaluations };
}
