// The parts of fitPlans that crossValidatePlans shares: checking and
// compiling the plans, the point fit, and one residual row.
import { checkBoolean, checkNumber, checkObject, showValue } from "../_validate.ts";
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from "../fit/defaults.ts";
import { compilePlan } from "./_compile_plan.ts";
import { type FitProblem, search, type SearchPoint } from "./_plan_search.ts";
import type { FitPlansOptions, PlanFitResult } from "./fit_plans.ts";
import type { Plan, PlanResidual, SimulatePlanOptions } from "./types.ts";

/** Checks the plans and options and compiles the plans into a fit problem. */
export function preparePlans(
  where: string,
  plans: readonly Plan[],
  options: FitPlansOptions,
): { problem: FitProblem; resolved: PlanFitResult["options"]; names: string[] } {
  const record = checkObject(where, "options", options);
  const resolved = {
    overhead: checkBoolean(where, "overhead", record.overhead ?? true),
    resamples: checkNumber(
      where,
      "option",
      "resamples",
      record.resamples ?? DEFAULT_RESAMPLES,
      "integer>=0",
    ),
    seed: checkNumber(where, "option", "seed", record.seed ?? DEFAULT_SEED, "integer>=0"),
    maxIterations: checkNumber(
      where,
      "option",
      "maxIterations",
      record.maxIterations ?? 20,
      "integer>=1",
    ),
    tolerance: checkNumber(where, "option", "tolerance", record.tolerance ?? 1e-4, "positive"),
    modelOptions: (record.modelOptions ?? {}) as SimulatePlanOptions,
  };
  if (!Array.isArray(plans)) {
    throw new TypeError(
      `${where}: invalid plans, expected an array of plans (got ${showValue(plans)})`,
    );
  }
  const compiled = plans.map((plan) => compilePlan(where, plan, resolved.modelOptions));
  const classes = [...new Set(compiled.flatMap((plan) => plan.classes))].sort();
  const measured = compiled.reduce(
    (n, plan) => n + plan.measuredSeconds.filter((x) => !Number.isNaN(x)).length,
    0,
  );
  if (measured === 0) {
    throw new RangeError(
      `${where}: invalid plans, expected at least 1 migration with "migrationTimeSeconds" (got 0 in ${plans.length} plans)`,
    );
  }
  const problem: FitProblem = {
    plans: compiled,
    classes,
    classMaps: compiled.map((plan) => Int32Array.from(plan.classes, (c) => classes.indexOf(c))),
    fitOverhead: resolved.overhead,
    maxIterations: resolved.maxIterations,
    tolerance: resolved.tolerance,
  };
  const names = plans.map((plan, i) => {
    const name = (plan as { name?: unknown }).name;
    return typeof name === "string" ? name : String(i);
  });
  return { problem, resolved, names };
}

/** The point estimate: one common fraction first (full range), then the coordinates. */
export function fitPoint(problem: FitProblem, weights: Float64Array) {
  const start: SearchPoint = {
    logFractions: new Float64Array(problem.classes.length),
    overheadSeconds: 0,
  };
  const common = search(
    {
      ...problem,
      classes: ["all"],
      classMaps: problem.classMaps.map((m) => new Int32Array(m.length)),
      fitOverhead: false,
      maxIterations: 1,
    },
    weights,
    { logFractions: new Float64Array(1), overheadSeconds: 0 },
    { logFraction: 4, overheadSeconds: 0 },
  );
  start.logFractions.fill(common.logFractions[0]!);
  return search(problem, weights, start, { logFraction: 0.3, overheadSeconds: 10 });
}

/** One residual row. */
export function residual(
  planIndex: number,
  plan: string,
  id: string,
  measured: number,
  estimated: number,
): PlanResidual {
  return {
    planIndex,
    plan,
    id,
    measuredSeconds: measured,
    estimatedSeconds: estimated,
    residualSeconds: measured - estimated,
    residualPercent: ((measured - estimated) / measured) * 100,
  };
}
