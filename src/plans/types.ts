/**
 * Shapes of plans (many migrations at once over a cluster), their simulated
 * results and the parameters a fit gives them.
 *
 * @module
 */

import type { KvmPostcopyOptions } from "../models/kvm_postcopy.ts";
import type { KvmPrecopyOptions } from "../models/kvm_precopy.ts";
import type { XenPrecopyOptions } from "../models/xen_precopy.ts";

/** One host of a plan: the capacity of its network interface in each direction. */
export interface PlanNode {
  /** What the host can send, bytes/s (nominal: a link class's usable fraction scales it). */
  uplinkBytesPerSecond: number;
  /** What the host can receive, bytes/s (nominal, likewise). */
  downlinkBytesPerSecond: number;
}

/** One migration of a plan. */
export interface PlanMigration {
  /** A name unique within the plan. */
  id: string;
  /** `"kvm-precopy"`, `"xen-precopy"` or `"kvm-postcopy"`: which model's rounds it follows. */
  method: string;
  /** M: the VM's memory, bytes. */
  memoryBytes: number;
  /** W: the working set, bytes (0 <= W <= M). */
  wssBytes: number;
  /** d: pages written per second (4096-byte pages). */
  dirtyPagesPerSecond: number;
  /** The node it leaves (a key of `nodes`). */
  source: string;
  /** The node it goes to (a key of `nodes`, not the source). */
  destination: string;
  /** When it starts, seconds (any origin; the plan's first start is usually 0). */
  startSeconds: number;
  /** The measured migration time, seconds, when the plan was executed and measured. */
  migrationTimeSeconds?: number;
}

/** A plan: hosts and the migrations between them. */
export interface Plan {
  /** The hosts, by name. */
  nodes: Record<string, PlanNode>;
  /** The migrations, each with its start time. */
  migrations: PlanMigration[];
}

/** A plan as the loader returns it: a name, and each migration's other columns. */
export interface LoadedPlan extends Plan {
  /** The plan's name (the `plan` column). */
  name: string;
  /** Migrations, each with the table's other columns in `extra` (by column name, as text). */
  migrations: Array<PlanMigration & { extra: Record<string, string> }>;
}

/** One migration as simulated. */
export interface SimulatedMigration {
  /** The migration's id. */
  id: string;
  /** Its start, seconds (as given). */
  startSeconds: number;
  /** When it ends, seconds. */
  endSeconds: number;
  /** endSeconds - startSeconds. */
  migrationTimeSeconds: number;
  /** Bytes it sent, stop-and-copy included. */
  transferredBytes: number;
}

/** The result of `simulatePlan`. */
export interface PlanResult {
  /** Every migration, in the plan's order. */
  migrations: SimulatedMigration[];
  /** From the first start to the last end, seconds. */
  makespanSeconds: number;
}

/** A parameter value, as a fit gives it (with its interval) or as a user writes it. */
export interface ParameterValue {
  /** The value. */
  value: number;
}

/**
 * What `simulatePlan` needs from a fit: the usable fraction of each link
 * class and a per-migration overhead. A `fitPlans` result has both; a user
 * can write one by hand, e.g. `{ linkFractions: { "1000 Mbit/s": { value: 0.9 } } }`.
 */
export interface PlanParameters {
  /**
   * Usable fraction of each link class, keyed by `planLinkClass(bytesPerSecond)`
   * ("500 Mbit/s"). A link's capacity is its nominal bytes/s times this. When
   * given, every class of the plan must be there.
   *
   * @default {every link at its nominal capacity (fraction 1)}
   */
  linkFractions?: Record<string, ParameterValue>;
  /**
   * Seconds each migration spends before it sends anything (connection,
   * destination VM start), using no bandwidth.
   *
   * @default {0}
   */
  overheadSeconds?: ParameterValue;
}

/** Options for `simulatePlan`: the models' options. */
export interface SimulatePlanOptions {
  /** Options of the KVM pre-copy rounds (downtime limit, timeout, rounds). */
  kvmPrecopy?: KvmPrecopyOptions;
  /**
   * Options of the Xen pre-copy rounds. The stop-and-copy is always part of
   * a migration in a plan, so `includeStopAndCopy` is not accepted.
   */
  xenPrecopy?: Omit<XenPrecopyOptions, "includeStopAndCopy">;
  /** Options of KVM post-copy (pre-copy passes before the switch). */
  kvmPostcopy?: KvmPostcopyOptions;
}

/** A fitted parameter with its interval (as `fitContention`'s estimates). */
export interface PlanEstimate {
  /** The point estimate. */
  value: number;
  /** Lower end of the interval (NaN without a bootstrap). */
  low: number;
  /** Upper end of the interval (NaN without a bootstrap). */
  high: number;
}

/** One measured migration's residual: measured - simulated. */
export interface PlanResidual {
  /** Index of the plan in the array given. */
  planIndex: number;
  /** The plan's `name`, when it has one, else its index as text. */
  plan: string;
  /** The migration's id. */
  id: string;
  /** Measured migration time, seconds. */
  measuredSeconds: number;
  /** Simulated migration time, seconds. */
  estimatedSeconds: number;
  /** measured - estimated, seconds. */
  residualSeconds: number;
  /** (measured - estimated) / measured × 100, percent. */
  residualPercent: number;
}

/** One measured migration's out-of-sample estimate. */
export interface CrossValidatedPlanMigration extends PlanResidual {
  /** The fold (0-based) its plan was held out in. */
  fold: number;
}

/** One held-out plan's makespan: measured (first start to last measured end) and simulated. */
export interface PlanMakespan {
  /** Index of the plan in the array given. */
  planIndex: number;
  /** The plan's name (or index as text). */
  plan: string;
  /** The fold it was held out in. */
  fold: number;
  /** Measured makespan, seconds (over the measured migrations). */
  measuredSeconds: number;
  /** Simulated makespan over the same migrations, seconds. */
  estimatedSeconds: number;
}
