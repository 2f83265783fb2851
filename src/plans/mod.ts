/**
 * Many migrations at once: a plan of migrations between hosts whose links
 * they share (a max-min fair flow model, re-solved whenever a migration
 * starts or ends), each migration's rounds following its method's model at
 * the bandwidth it gets over time; fitted to measured plans with bootstrap
 * intervals, and cross-validated by plan.
 *
 * @example Two migrations sharing one uplink take twice as long as one
 * ```ts
 * import { simulatePlan } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const link = { uplinkBytesPerSecond: 125e6, downlinkBytesPerSecond: 125e6 };
 * const vm = { method: "kvm-postcopy", memoryBytes: 1.25e9, wssBytes: 0, dirtyPagesPerSecond: 0 };
 * const plan = {
 *   nodes: { a: link, b: link, c: link },
 *   migrations: [
 *     { id: "1", ...vm, source: "a", destination: "b", startSeconds: 0 },
 *     { id: "2", ...vm, source: "a", destination: "c", startSeconds: 0 },
 *   ],
 * };
 * const result = simulatePlan(plan);
 * assert.ok(Math.abs(result.makespanSeconds - 20) < 1e-9);
 * ```
 *
 * @module
 */

export type {
  CrossValidatedPlanMigration,
  LoadedPlan,
  ParameterValue,
  Plan,
  PlanEstimate,
  PlanMakespan,
  PlanMigration,
  PlanNode,
  PlanParameters,
  PlanResidual,
  PlanResult,
  SimulatedMigration,
  SimulatePlanOptions,
} from "./types.ts";
export { simulatePlan } from "./simulate_plan.ts";
export { planLinkClass } from "./plan_link_class.ts";
export { fitPlans, type FitPlansOptions, type PlanFitResult } from "./fit_plans.ts";
export {
  crossValidatePlans,
  type CrossValidatePlansOptions,
  type PlanCrossValidationResult,
} from "./cross_validate_plans.ts";
export { parsePlans, type ParsePlansOptions } from "./parse_plans.ts";
export { loadPlans, type LoadPlansOptions } from "./load_plans.ts";
