/**
 * Fits the usable fraction of each link class and a per-migration overhead
 * to measured plans.
 *
 * @module
 */

import { quantileSorted } from "../_stats.ts";
import { createRandom } from "../_random.ts";
import { INTERVAL_LEVEL, intervalInfo } from "../fit/defaults.ts";
import { errorMetrics } from "../fit/error_metrics.ts";
import type { ErrorMetrics, IntervalInfo } from "../fit/types.ts";
import { fitPoint, preparePlans, residual } from "./_plan_fit.ts";
import { search, simulateAt } from "./_plan_search.ts";
import type { Plan, PlanEstimate, PlanResidual, SimulatePlanOptions } from "./types.ts";

/** Options for {@linkcode fitPlans}. */
export interface FitPlansOptions {
  /**
   * Fit a per-migration overhead (seconds before a migration sends); false keeps it at 0.
   *
   * @default {true}
   */
  overhead?: boolean;
  /**
   * Bootstrap resamples over plans for the intervals (0: none, `low`/`high` NaN).
   *
   * @default {200}
   */
  resamples?: number;
  /**
   * Seed of the bootstrap.
   *
   * @default {1}
   */
  seed?: number;
  /**
   * Most coordinate-search cycles.
   *
   * @default {20}
   */
  maxIterations?: number;
  /**
   * Stop when no ln f moves by more than this in a cycle (the overhead: 10 × this, in seconds).
   *
   * @default {1e-4}
   */
  tolerance?: number;
  /** The models' options, as `simulatePlan` takes them. */
  modelOptions?: SimulatePlanOptions;
}

/** The result of {@linkcode fitPlans}: what `simulatePlan` takes as `parameters`, and how good it is. */
export interface PlanFitResult {
  /** Usable fraction per link class (`planLinkClass`), with its interval. */
  linkFractions: Record<string, PlanEstimate>;
  /** Per-migration overhead, seconds, with its interval (0 when not fitted). */
  overheadSeconds: PlanEstimate;
  /** How the intervals were computed (a percentile bootstrap over plans). */
  interval: IntervalInfo;
  /** Whether every 1-D search and the coordinate search settled. */
  converged: boolean;
  /** Coordinate-search cycles of the point estimate. */
  iterations: number;
  /** Sum of squared ln(measured / simulated) at the estimate. */
  objectiveValue: number;
  /** Every measured migration: measured, simulated, residual. */
  residuals: PlanResidual[];
  /** Metrics over the measured migrations. */
  metrics: ErrorMetrics;
  /** Plans with at least one measured migration. */
  plansUsed: number;
  /** Measured migrations. */
  migrationsUsed: number;
  /** The options, resolved. */
  options: Required<Omit<FitPlansOptions, "modelOptions">> & { modelOptions: SimulatePlanOptions };
}

/**
 * Fits a plan model to measured plans: the usable fraction f of each link
 * class (links of one nominal speed, {@linkcode planLinkClass}; a link's
 * capacity is f × nominal) and a per-migration overhead (seconds spent
 * before sending, using no bandwidth), by least squares on
 * ln(measured / simulated) over every migration that carries
 * `migrationTimeSeconds` (the other migrations are simulated too: they take
 * bandwidth). As `fitContention`: each parameter by the bracketing 1-D
 * search of src/fit, coupled by coordinate search (one common fraction is
 * found first over f in [0.02, 4]); intervals are a seeded percentile
 * bootstrap over plans (95 %). The result is what `simulatePlan` takes as
 * `parameters`.
 *
 * Cost: about 40 simulations of all plans per coordinate and cycle, times
 * 1 + `resamples` (the bootstrap fits start at the estimate).
 *
 * @param plans The plans; the measured migrations carry `migrationTimeSeconds`.
 * @param options Overhead on or off, bootstrap, search and model options.
 * @returns Fractions and overhead with intervals, residuals and metrics.
 * @throws {TypeError} If a plan or option has the wrong type.
 * @throws {RangeError} If no migration is measured, or as `simulatePlan` for a bad plan.
 *
 * @example Recover a link fraction and an overhead from a synthetic plan
 * ```ts
 * import { fitPlans } from "./fit_plans.ts";
 * import { simulatePlan } from "./simulate_plan.ts";
 * import assert from "node:assert/strict";
 * const node = { uplinkBytesPerSecond: 125e6, downlinkBytesPerSecond: 125e6 };
 * const vm = { method: "kvm-precopy", wssBytes: 1e8, dirtyPagesPerSecond: 500 };
 * const plan = {
 *   nodes: { a: node, b: node, c: node },
 *   migrations: [ // synthetic, not measured
 *     { ...vm, id: "1", memoryBytes: 2e9, source: "a", destination: "b", startSeconds: 0 },
 *     { ...vm, id: "2", memoryBytes: 3e9, source: "a", destination: "c", startSeconds: 5 },
 *     { ...vm, id: "3", memoryBytes: 1e9, source: "c", destination: "b", startSeconds: 9 },
 *   ],
 * };
 * const truth = { linkFractions: { "1000 Mbit/s": { value: 0.85 } }, overheadSeconds: { value: 2 } };
 * const times = simulatePlan(plan, truth).migrations.map((m) => m.migrationTimeSeconds);
 * const measured = { ...plan, migrations: plan.migrations.map((m, i) => ({ ...m, migrationTimeSeconds: times[i]! })) };
 * const fit = fitPlans([measured], { resamples: 0 });
 * assert.ok(Math.abs(fit.linkFractions["1000 Mbit/s"]!.value - 0.85) < 1e-3);
 * assert.ok(Math.abs(fit.overheadSeconds.value - 2) < 0.05);
 * ```
 */
export function fitPlans(plans: readonly Plan[], options: FitPlansOptions = {}): PlanFitResult {
  const { problem, resolved, names } = preparePlans("fitPlans", plans, options);
  const n = problem.plans.length;
  const best = fitPoint(problem, new Float64Array(n).fill(1));
  const boot: number[][] = problem.classes.map(() => []);
  const bootOverhead: number[] = [];
  const random = createRandom(resolved.seed);
  for (let r = 0; r < resolved.resamples; r++) {
    const weights = new Float64Array(n);
    for (let k = 0; k < n; k++) weights[Math.floor(random() * n)]! += 1;
    // Bootstrap refits start at the estimate and stop at 10 × the tolerance.
    const found = search({ ...problem, tolerance: problem.tolerance * 10 }, weights, best, {
      logFraction: 0.03,
      overheadSeconds: 1,
    });
    found.logFractions.forEach((x, c) => boot[c]!.push(Math.exp(x)));
    bootOverhead.push(found.overheadSeconds);
  }
  const estimate = (value: number, draws: number[]): PlanEstimate => {
    if (draws.length === 0) return { value, low: NaN, high: NaN };
    const sorted = [...draws].sort((a, b) => a - b);
    const tail = (1 - INTERVAL_LEVEL) / 2;
    return { value, low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
  };
  const residuals: PlanResidual[] = [];
  for (let p = 0; p < n; p++) {
    const plan = problem.plans[p]!;
    const simulated = simulateAt(problem, p, best);
    plan.measuredSeconds.forEach((m, i) => {
      if (Number.isNaN(m)) return;
      residuals.push(residual(p, names[p]!, plan.ids[i]!, m, simulated[i]!));
    });
  }
  return {
    linkFractions: Object.fromEntries(
      problem.classes.map((c, k) => [c, estimate(Math.exp(best.logFractions[k]!), boot[k]!)]),
    ),
    overheadSeconds: estimate(best.overheadSeconds, bootOverhead),
    interval: intervalInfo(resolved.resamples, resolved.seed),
    converged: best.converged,
    iterations: best.iterations,
    objectiveValue: best.objective,
    residuals,
    metrics: errorMetrics(
      residuals.map((r) => r.measuredSeconds),
      residuals.map((r) => r.estimatedSeconds),
    ),
    plansUsed:
      problem.plans.filter((plan) => plan.measuredSeconds.some((x) => !Number.isNaN(x))).length,
    migrationsUsed: residuals.length,
    options: resolved,
  };
}
