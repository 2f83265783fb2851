/**
 * The guest's pause of a live migration, per method: what is left to copy at
 * the switch over B, plus a fixed switchover cost.
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { kvmPostcopy, type KvmPostcopyOptions, resolvePostcopyOptions } from "./kvm_postcopy.ts";
import { kvmPrecopy, type KvmPrecopyOptions, resolveKvmOptions } from "./kvm_precopy.ts";
import type { MigrationInput, ModelName } from "./types.ts";
import { xenPrecopy, type XenPrecopyOptions } from "./xen_precopy.ts";

/** Options for {@linkcode migrationDowntime}. */
export interface MigrationDowntimeOptions {
  /**
   * The fixed cost of the switch, in seconds: stopping the vCPUs, sending the
   * device state and starting the destination. A fit gives it per method
   * (`fitDowntime`).
   *
   * @default {0 for Xen pre-copy; kvmPrecopy's `switchoverSeconds` (fitted on the grid) for KVM pre-copy; kvmPostcopy's `switchoverSeconds` (0.047 s) for post-copy}
   */
  switchoverSeconds?: number;
  /** Options for `xenPrecopy`. @default {{}} */
  xenPrecopy?: XenPrecopyOptions;
  /** Options for `kvmPrecopy`. @default {{}} */
  kvmPrecopy?: KvmPrecopyOptions;
  /** Options for `kvmPostcopy`. @default {{}} */
  kvmPostcopy?: KvmPostcopyOptions;
}

/** The result of {@linkcode migrationDowntime}. */
export interface MigrationDowntimeResult {
  /** The guest's pause, seconds: `stopAndCopySeconds + switchoverSeconds`. */
  downtimeSeconds: number;
  /** What is left at the switch over B, seconds (0 for post-copy). */
  stopAndCopySeconds: number;
  /** Bytes left at the switch (0 for post-copy, whose pages move after the guest resumes). */
  stopAndCopyBytes: number;
  /** The fixed switchover cost, seconds. */
  switchoverSeconds: number;
  /** Whether the model's pre-copy ended (false: KVM pre-copy gave up; the pause is a forced switch's). */
  converged: boolean;
}

const MODELS: readonly ModelName[] = ["xen-precopy", "kvm-precopy", "kvm-postcopy"];

/**
 * Estimates the guest's pause (downtime) of a migration with the model of
 * its method, plus a fixed switchover cost:
 *
 * - `"xen-precopy"`: Xen's rules (section 4.1): the pages dirtied in the last
 *   round, min(W, p·d·t_N), over B, plus the switchover cost;
 * - `"kvm-precopy"`: what `kvmPrecopy` leaves at the switch (its
 *   `remainingBytes`, sent in its `downtimeSeconds`), plus the cost, so that
 *   a refined `kvmPrecopy` flows through;
 * - `"kvm-postcopy"`: the switchover cost alone (the paper's 34.4-59.5 ms,
 *   section 3.2.1): the pages move after the guest resumes.
 *
 * The cost stands for what the models leave out: stopping the vCPUs, the
 * device state, the destination's start, and (for QEMU) a switch decided
 * within a round rather than after it. When KVM pre-copy does not converge
 * the pause is the one a forced switch would cost (`converged: false`).
 *
 * Cost: that of the method's model, O(N) for N rounds.
 *
 * @param model The model: `"xen-precopy"`, `"kvm-precopy"` or `"kvm-postcopy"`.
 * @param input The configuration: M, W, d, B and the page size, in SI units.
 * @param options The switchover cost and the model's options.
 * @returns The pause and its two parts.
 * @throws {TypeError} If the model is unknown, a field is missing or not a number, or an option has the wrong type.
 * @throws {RangeError} If a field or option is out of range.
 *
 * @example Xen pre-copy: the last round's remainder over B plus the switch
 * ```ts
 * import { migrationDowntime } from "./migration_downtime.ts";
 * import { xenPrecopy } from "./xen_precopy.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 30,
 *   dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: 125e6,
 * };
 * const pause = migrationDowntime("xen-precopy", input, { switchoverSeconds: 0.02 });
 * const rest = xenPrecopy(input).stopAndCopyBytes;
 * assert.ok(Math.abs(pause.downtimeSeconds - (rest / 125e6 + 0.02)) < 1e-12);
 * assert.equal(pause.stopAndCopyBytes, rest);
 * ```
 *
 * @example Post-copy: the switchover cost alone
 * ```ts
 * import { migrationDowntime } from "./migration_downtime.ts";
 * import assert from "node:assert/strict";
 * const input = {
 *   memoryBytes: 2 ** 30, wssBytes: 2 ** 28, dirtyPagesPerSecond: 5120,
 *   bandwidthBytesPerSecond: 125e6,
 * };
 * assert.equal(migrationDowntime("kvm-postcopy", input).downtimeSeconds, 0.047);
 * assert.equal(migrationDowntime("kvm-postcopy", input, { switchoverSeconds: 0.003 }).downtimeSeconds, 0.003);
 * ```
 */
export function migrationDowntime(
  model: ModelName,
  input: MigrationInput,
  options: MigrationDowntimeOptions = {},
): MigrationDowntimeResult {
  const where = "migrationDowntime";
  if (!MODELS.includes(model)) {
    throw new TypeError(
      `${where}: invalid model, expected ${MODELS.map((m) => `"${m}"`).join(", ")} (got ${
        showValue(model)
      })`,
    );
  }
  const record = checkObject(where, "options", options);
  const postcopy = resolvePostcopyOptions(where, (record.kvmPostcopy ?? {}) as KvmPostcopyOptions);
  const kvmOptions = (record.kvmPrecopy ?? {}) as KvmPrecopyOptions;
  const switchoverSeconds = record.switchoverSeconds === undefined
    ? (model === "kvm-postcopy"
      ? postcopy.switchoverSeconds
      : model === "kvm-precopy"
      ? resolveKvmOptions(where, kvmOptions).switchoverSeconds
      : 0)
    : checkNumber(
      where,
      "option",
      "switchoverSeconds",
      record.switchoverSeconds,
      "non-negative",
      "seconds",
    );
  let stopAndCopySeconds = 0;
  let stopAndCopyBytes = 0;
  let converged = true;
  if (model === "xen-precopy") {
    const result = xenPrecopy(input, (record.xenPrecopy ?? {}) as XenPrecopyOptions);
    stopAndCopySeconds = result.downtimeSeconds;
    stopAndCopyBytes = result.stopAndCopyBytes;
  } else if (model === "kvm-precopy") {
    const result = kvmPrecopy(input, kvmOptions);
    stopAndCopySeconds = result.stopAndCopySeconds;
    stopAndCopyBytes = result.remainingBytes;
    converged = result.converged;
  } else {
    kvmPostcopy(input, { ...postcopy, switchoverSeconds }); // checks the input
  }
  return {
    downtimeSeconds: stopAndCopySeconds + switchoverSeconds,
    stopAndCopySeconds,
    stopAndCopyBytes,
    switchoverSeconds,
    converged,
  };
}
