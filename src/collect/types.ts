/**
 * Types shared by the QEMU migration collector (`deno task collect`).
 *
 * @module
 */

import { CONTENTIONS } from "../data/schema.ts";
import type { KnownContention, KnownMethod } from "../data/types.ts";

/** The migration methods the collector runs: every known method but Xen's own pre-copy. */
export type CollectMethod = Exclude<KnownMethod, "xen-precopy">;

/** The contention scenarios of the paper's Table 2. */
export type CollectContention = KnownContention;

/** Every method, in the order the collector interleaves them. */
export const COLLECT_METHODS: readonly CollectMethod[] = [
  "kvm-precopy",
  "kvm-postcopy",
  "xen-precopy-policy",
];

/** Every contention scenario, in the order the collector interleaves them (the paper's). */
export const COLLECT_CONTENTIONS: readonly CollectContention[] = CONTENTIONS.map((c) => c.name);

/**
 * A requested working set: bytes, or `"full"` for all the guest memory the
 * dirtier can allocate.
 */
export type RequestedWss = number | "full";

/** One migration the collector is to run. */
export interface GridPoint {
  /** The migration method. */
  method: CollectMethod;
  /** The contention scenario. */
  contention: CollectContention;
  /** Requested working set, bytes or `"full"`. */
  wss: RequestedWss;
  /** Requested dirty rate, pages/s. */
  dirtyPagesPerSecond: number;
  /** Repeat index, 1-based. */
  run: number;
  /**
   * QEMU's downtime limit for this `kvm-precopy` point, seconds (a downtime
   * limit sweep); the session's limit when undefined.
   */
  downtimeLimitSeconds?: number;
  /**
   * How the guest's dirtier writes: `sweep` (round-robin over the working
   * set) or `random` (a uniformly random page per write).
   *
   * @default {"sweep"}
   */
  writePattern?: WritePattern;
}

/** How the guest's dirtier picks the page of each write. */
export type WritePattern = "sweep" | "random";

/** One row of `runs.csv`: column name to value (numbers SI, empty string for unknown). */
export type RunRow = Record<string, string | number | boolean>;
