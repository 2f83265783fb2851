/**
 * The QEMU migration collector behind `deno task collect`: real migrations
 * (TCG) over a shaped link, written to a dataset folder as `runs.csv`, a
 * sidecar and per-sample series. Its parts are public for tools that plan,
 * resume or check a collection: the grid plan, the point keys, the pending
 * points of a partial `runs.csv`, the Xen stop rule it applies to QEMU, and
 * the `runs.csv` writer and reader; and the concurrent mode's plans,
 * topology and plan-table writer (`collectConcurrent`).
 *
 * It imports the data layer's schema and nothing from the models, fits,
 * figures or analysis.
 *
 * @example Plan the paper's grid and find what is left to run
 * ```ts
 * import { formatRunsCsv, pendingPoints, planGrid, RUN_COLUMNS } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const points = planGrid();
 * assert.equal(points.length, 336);
 * assert.equal(pendingPoints(points, []).length, 336);
 * assert.ok(formatRunsCsv([]).startsWith(RUN_COLUMNS.join(",")));
 * ```
 *
 * @module
 */

export {
  COLLECT_CONTENTIONS,
  COLLECT_METHODS,
  type CollectContention,
  type CollectMethod,
  type GridPoint,
  type RequestedWss,
  type RunRow,
  type WritePattern,
} from "./types.ts";
export {
  PAPER_DIRTY_PAGES_PER_SECOND,
  PAPER_WSS,
  planGrid,
  type PlanGridOptions,
} from "./plan_grid.ts";
export { pointKey, type PointKeyOptions } from "./point_key.ts";
export { pendingPoints, type PendingPointsOptions } from "./pending_points.ts";
export {
  type XenPolicyStopReason,
  xenStopDecision,
  type XenStopDecisionOptions,
} from "./xen_stop_decision.ts";
export { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
export { parseRunsCsv, type ParseRunsCsvOptions } from "./parse_runs_csv.ts";
export { writeTextAtomic } from "./write_text_atomic.ts";
export { collect, type CollectOptions, type CollectResult } from "./collect.ts";
export { CollectSetupError } from "./collect_setup_error.ts";
export {
  CONCURRENT_NODES,
  CONCURRENT_SHAPES,
  type ConcurrentMigration,
  type ConcurrentPlan,
  concurrentPlans,
  type ConcurrentPlansOptions,
  type ConcurrentShape,
  pendingConcurrentPlans,
  type PendingConcurrentPlansOptions,
} from "./concurrent_plans.ts";
export {
  type PlanTopology,
  planTopology,
  type PlanTopologyOptions,
  type TopologyNode,
} from "./plan_topology.ts";
export {
  formatPlanTables,
  PLAN_RUN_COLUMNS,
  type PlanTableNode,
  type PlanTables,
} from "./format_plan_tables.ts";
export {
  collectConcurrent,
  type CollectConcurrentOptions,
  type CollectConcurrentResult,
} from "./collect_concurrent.ts";
