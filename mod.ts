/**
 * # migration-model
 *
 * Model, measure and predict live migration of virtual machines: how long a
 * pre-copy or post-copy migration takes, how much it sends and how long the
 * VM is paused. The models follow Mardan, Koto and Kono, "To pre-copy or to
 * post-copy, that is the question" (section 4): Xen pre-copy with its three
 * stop conditions, KVM post-copy T = M/B, and KVM (QEMU) pre-copy with its
 * downtime limit.
 *
 * Everything is SI inside: bytes, seconds, bytes/s, pages/s. Convert at the
 * edges with the unit helpers or {@linkcode parseQuantity}.
 *
 * @example Pre-copy or post-copy for one workload
 * ```ts
 * import { kvmPostcopy, parseQuantity, xenPrecopy } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const input = {
 *   memoryBytes: parseQuantity("1.5 GiB", "bytes"),
 *   wssBytes: parseQuantity("1 GiB", "bytes"),
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: parseQuantity("1 Gbps", "bytesPerSecond"),
 * };
 * const pre = xenPrecopy(input);
 * const post = kvmPostcopy(input);
 * assert.equal(pre.stopReason, "transfer-limit");
 * assert.ok(post.timeSeconds < pre.timeSeconds);
 * ```
 *
 * @module
 */

export * from "./src/units.ts";
export type { MigrationInput, ModelName, Round } from "./src/models/types.ts";
export {
  xenPrecopy,
  type XenPrecopyOptions,
  type XenPrecopyResult,
  type XenStopReason,
} from "./src/models/xen_precopy.ts";
export {
  kvmPrecopy,
  type KvmPrecopyOptions,
  type KvmPrecopyResult,
  type KvmStopReason,
} from "./src/models/kvm_precopy.ts";
export {
  kvmPostcopy,
  type KvmPostcopyOptions,
  type KvmPostcopyResult,
} from "./src/models/kvm_postcopy.ts";
export {
  sweep,
  type SweepGrid,
  type SweepInputs,
  type SweepOptions,
  type SweepResult,
  type SweepValues,
} from "./src/models/sweep.ts";

// Collector (src/collect/): real QEMU migrations over a shaped link, `deno task collect`.
export {
  COLLECT_CONTENTIONS,
  COLLECT_METHODS,
  type CollectContention,
  type CollectMethod,
  type GridPoint,
  type RequestedWss,
  type RunRow,
} from "./src/collect/types.ts";
export {
  PAPER_DIRTY_PAGES_PER_SECOND,
  PAPER_WSS,
  planGrid,
  type PlanGridOptions,
} from "./src/collect/plan_grid.ts";
export { pointKey } from "./src/collect/point_key.ts";
export { pendingPoints, type PendingPointsOptions } from "./src/collect/pending_points.ts";
export {
  type XenPolicyStopReason,
  xenStopDecision,
  type XenStopDecisionOptions,
} from "./src/collect/xen_stop_decision.ts";
export { formatRunsCsv, RUN_COLUMNS } from "./src/collect/format_runs_csv.ts";
export { parseRunsCsv } from "./src/collect/parse_runs_csv.ts";
export { writeTextAtomic } from "./src/collect/write_text_atomic.ts";
export { collect, type CollectOptions, type CollectResult } from "./src/collect/collect.ts";
