/**
 * The migration models: Xen pre-copy with the paper's three stop conditions,
 * KVM (QEMU) pre-copy with its downtime limit, KVM post-copy T = M/B, QEMU's
 * pre-copy under Xen's stop rules (`qemuXenRules`), and
 * {@linkcode sweep} to run any of them over a grid of configurations.
 *
 * Pure functions of SI inputs (bytes, seconds, bytes/s, pages/s); this layer
 * imports nothing from the rest of the toolkit but the unit helpers.
 *
 * @example Post-copy time is M/B plus the switchover pause
 * ```ts
 * import { kvmPostcopy, xenPrecopy } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const input = {
 *   memoryBytes: 1e9,
 *   wssBytes: 1e8,
 *   dirtyPagesPerSecond: 1000,
 *   bandwidthBytesPerSecond: 1e8,
 * };
 * const post = kvmPostcopy(input, { switchoverSeconds: 0 });
 * assert.equal(post.migrationTimeSeconds, 10);
 * assert.ok(xenPrecopy(input).precopyTimeSeconds > 10);
 * ```
 *
 * @module
 */

export type { MigrationInput, ModelName, Round } from "./types.ts";
export {
  xenPrecopy,
  type XenPrecopyOptions,
  type XenPrecopyResult,
  type XenStopReason,
} from "./xen_precopy.ts";
export {
  KVM_PRECOPY_DEFAULTS,
  type KvmFirstWindow,
  kvmPrecopy,
  type KvmPrecopyOptions,
  type KvmPrecopyOutcome,
  type KvmPrecopyResult,
  type KvmStopReason,
  type KvmSwitchRule,
  type KvmWritePattern,
} from "./kvm_precopy.ts";
export {
  type KvmSwitchLimit,
  kvmSwitchLimit,
  type KvmSwitchLimitOptions,
} from "./kvm_switch_limit.ts";
export { kvmPostcopy, type KvmPostcopyOptions, type KvmPostcopyResult } from "./kvm_postcopy.ts";
export {
  QEMU_XEN_DEFAULTS,
  qemuXenRules,
  type QemuXenRulesOptions,
  type QemuXenRulesResult,
  type QemuXenStopReason,
} from "./qemu_xen_rules.ts";
export {
  migrationDowntime,
  type MigrationDowntimeOptions,
  type MigrationDowntimeResult,
} from "./migration_downtime.ts";
export {
  guestProgress,
  type GuestProgressOptions,
  type GuestProgressResult,
} from "./guest_progress.ts";
export {
  COLOCATED_CONTENTIONS,
  type ColocatedContention,
  colocatedProgress,
  type ColocatedProgressInput,
  type ColocatedProgressOptions,
  type ColocatedProgressResult,
} from "./colocated_progress.ts";
export { postcopyBlocktime, type PostcopyBlocktimeOptions } from "./postcopy_blocktime.ts";
export {
  paperTimeSeconds,
  sweep,
  type SweepGrid,
  type SweepInputs,
  type SweepLayoutOptions,
  type SweepModelName,
  type SweepModelOptions,
  type SweepOptions,
  type SweepResult,
  type SweepValues,
} from "./sweep.ts";
