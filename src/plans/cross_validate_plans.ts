/**
 * Out-of-sample error of the plan model, by folds of plans.
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { createRandom, shuffle } from "../_random.ts";
import { DEFAULT_FOLDS, DEFAULT_SEED } from "../fit/defaults.ts";
import { errorMetrics } from "../fit/error_metrics.ts";
import type { ErrorMetrics } from "../fit/types.ts";
import { simulateAt } from "./_plan_search.ts";
import { fitPoint, preparePlans, residual } from "./_plan_fit.ts";
import type { FitPlansOptions } from "./fit_plans.ts";
import type { CrossValidatedPlanMigration, Plan, PlanMakespan } from "./types.ts";

/** Options for {@linkcode crossValidatePlans}: the folds, and the fit's options. */
export interface CrossValidatePlansOptions extends Omit<FitPlansOptions, "resamples" | "seed"> {
  /**
   * Number of folds, >= 2 and <= the number of fold units.
   *
   * @default {5}
   */
  folds?: number;
  /**
   * Seed of the fold assignment.
   *
   * @default {1}
   */
  seed?: number;
  /**
   * The unit a fold holds out whole: by default each plan is its own unit;
   * a function naming a unit per plan (e.g. the scenario of which the plan
   * is one repetition) keeps plans of one unit in one fold.
   *
   * @default {each plan alone}
   */
  foldBy?: (plan: Plan, index: number) => string;
}

/** The result of {@linkcode crossValidatePlans}. */
export interface PlanCrossValidationResult {
  /** Number of folds. */
  folds: number;
  /** Seed of the fold assignment. */
  seed: number;
  /** Out-of-sample estimate of every measured migration. */
  predictions: CrossValidatedPlanMigration[];
  /** Out-of-sample metrics over all measured migrations (MAPE: the per-migration error). */
  metrics: ErrorMetrics;
  /** Out-of-sample metrics per fold. */
  metricsByFold: ErrorMetrics[];
  /** Each plan's measured and simulated makespan, out of sample. */
  makespans: PlanMakespan[];
  /** Out-of-sample metrics of the plans' makespans. */
  makespanMetrics: ErrorMetrics;
  /** Each fold's fitted fractions and overhead. */
  fits: Array<{ linkFractions: Record<string, number>; overheadSeconds: number }>;
}

/**
 * Estimates how {@linkcode fitPlans} would do on plans it never saw: the
 * plans (or units of plans, `foldBy`) are shuffled (seeded) and dealt into
 * `folds` folds; each fold's plans are simulated with the fractions and
 * overhead fitted on the other folds (no bootstrap), and the errors of
 * each measured migration and of each plan's makespan are summarised.
 *
 * Cost: `folds` point fits.
 *
 * @param plans The plans; the measured migrations carry `migrationTimeSeconds`.
 * @param options Folds, seed, fold unit and the fit's options.
 * @returns Out-of-sample estimates and metrics, per migration and per plan.
 * @throws {TypeError} If a plan or option has the wrong type.
 * @throws {RangeError} If there are fewer fold units than folds, a training set has no measured migration, or as `fitPlans`.
 *
 * @example Synthetic plans, 2 folds
 * ```ts
 * import { crossValidatePlans } from "./cross_validate_plans.ts";
 * import { simulatePlan } from "./simulate_plan.ts";
 * import assert from "node:assert/strict";
 * const node = { uplinkBytesPerSecond: 125e6, downlinkBytesPerSecond: 125e6 };
 * const truth = { linkFractions: { "1000 Mbit/s": { value: 0.9 } } };
 * const plans = [1, 2, 3, 4].map((k) => { // synthetic, not measured
 *   const plan = {
 *     nodes: { a: node, b: node, c: node },
 *     migrations: [
 *       { id: "1", method: "kvm-postcopy", memoryBytes: k * 1e9, wssBytes: 0, dirtyPagesPerSecond: 0, source: "a", destination: "b", startSeconds: 0 },
 *       { id: "2", method: "kvm-postcopy", memoryBytes: 2e9, wssBytes: 0, dirtyPagesPerSecond: 0, source: "a", destination: "c", startSeconds: k },
 *     ],
 *   };
 *   const times = simulatePlan(plan, truth).migrations.map((m) => m.migrationTimeSeconds);
 *   return { ...plan, migrations: plan.migrations.map((m, i) => ({ ...m, migrationTimeSeconds: times[i]! })) };
 * });
 * const cv = crossValidatePlans(plans, { folds: 2, overhead: false });
 * assert.equal(cv.predictions.length, 8);
 * assert.ok(cv.metrics.mapePercent < 0.01);
 * ```
 */
export function crossValidatePlans(
  plans: readonly Plan[],
  options: CrossValidatePlansOptions = {},
): PlanCrossValidationResult {
  const where = "crossValidatePlans";
  const record = checkObject(where, "options", options);
  const { folds = DEFAULT_FOLDS, seed = DEFAULT_SEED, foldBy, ...fitOptions } =
    record as CrossValidatePlansOptions;
  checkNumber(where, "option", "folds", folds, "integer>=1");
  checkNumber(where, "option", "seed", seed, "integer>=0");
  if (foldBy !== undefined && typeof foldBy !== "function") {
    throw new TypeError(
      `${where}: invalid option "foldBy", expected a function (got ${showValue(foldBy)})`,
    );
  }
  const { problem, names } = preparePlans(where, plans, { ...fitOptions, resamples: 0 });
  const units = new Map<string, number[]>();
  plans.forEach((plan, i) => {
    const unit = foldBy === undefined ? String(i) : String(foldBy(plan, i));
    if (!units.has(unit)) units.set(unit, []);
    units.get(unit)!.push(i);
  });
  if (folds < 2 || folds > units.size) {
    throw new RangeError(
      `${where}: invalid option "folds", expected an integer from 2 to the ${units.size} fold units (got ${folds})`,
    );
  }
  const order = shuffle([...units.keys()].sort(), createRandom(seed));
  const foldOf = new Int32Array(plans.length);
  order.forEach((unit, k) => units.get(unit)!.forEach((p) => (foldOf[p] = k % folds)));
  const predictions: CrossValidatedPlanMigration[] = [];
  const makespans: PlanMakespan[] = [];
  const metricsByFold: ErrorMetrics[] = [];
  const fits: PlanCrossValidationResult["fits"] = [];
  for (let fold = 0; fold < folds; fold++) {
    const weights = Float64Array.from(foldOf, (f) => (f === fold ? 0 : 1));
    const trained = problem.plans.some((plan, p) =>
      weights[p] === 1 && plan.measuredSeconds.some((x) => !Number.isNaN(x))
    );
    if (!trained) {
      throw new RangeError(
        `${where}: fold ${fold}'s training plans have no measured migration, expected at least 1 (got 0)`,
      );
    }
    const best = fitPoint(problem, weights);
    fits.push({
      linkFractions: Object.fromEntries(
        problem.classes.map((c, k) => [c, Math.exp(best.logFractions[k]!)]),
      ),
      overheadSeconds: best.overheadSeconds,
    });
    const inFold: CrossValidatedPlanMigration[] = [];
    problem.plans.forEach((plan, p) => {
      if (foldOf[p] !== fold) return;
      const simulated = simulateAt(problem, p, best);
      let first = Infinity, lastMeasured = -Infinity, lastSimulated = -Infinity;
      plan.measuredSeconds.forEach((m, i) => {
        if (Number.isNaN(m)) return;
        inFold.push({ ...residual(p, names[p]!, plan.ids[i]!, m, simulated[i]!), fold });
        const start = plan.startSeconds[i]!;
        first = Math.min(first, start);
        lastMeasured = Math.max(lastMeasured, start + m);
        lastSimulated = Math.max(lastSimulated, start + simulated[i]!);
      });
      if (first < Infinity) {
        makespans.push({
          planIndex: p,
          plan: names[p]!,
          fold,
          measuredSeconds: lastMeasured - first,
          estimatedSeconds: lastSimulated - first,
        });
      }
    });
    if (inFold.length > 0) {
      metricsByFold.push(
        errorMetrics(inFold.map((r) => r.measuredSeconds), inFold.map((r) => r.estimatedSeconds)),
      );
    }
    predictions.push(...inFold);
  }
  predictions.sort((a, b) => a.planIndex - b.planIndex);
  makespans.sort((a, b) => a.planIndex - b.planIndex);
  return {
    folds,
    seed,
    predictions,
    metrics: errorMetrics(
      predictions.map((r) => r.measuredSeconds),
      predictions.map((r) => r.estimatedSeconds),
    ),
    metricsByFold,
    makespans,
    makespanMetrics: errorMetrics(
      makespans.map((m) => m.measuredSeconds),
      makespans.map((m) => m.estimatedSeconds),
    ),
    fits,
  };
}
