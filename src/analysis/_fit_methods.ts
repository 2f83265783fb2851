// Private: the reproduction's fits, one per method, with predictions and cross-validation.
import type { MigrationRun } from "../data/types.ts";
import { crossValidate } from "../fit/cross_validate.ts";
import { fitContention } from "../fit/fit_contention.ts";
import { predictRuns } from "../fit/predict_runs.ts";
import type { FitResult } from "../fit/types.ts";
import { orderMethods } from "../plot/_style.ts";
import type { ReproductionFits } from "./analyze_reproduction.ts";
import { NothingToFitError } from "./nothing_to_fit_error.ts";

/**
 * Fits each method of the runs (`fitContention`), predicts its completed runs
 * and cross-validates it. A contention group with fewer than 2 completed
 * runs is left out of its method's fit and listed in `leftOut`; a method
 * whose fit throws a RangeError or TypeError is listed in `notFitted`.
 *
 * @throws {NothingToFitError} If no method could be fitted (a RangeError; the message starts
 * with `where`).
 */
export function fitMethods(
  where: string,
  runs: readonly MigrationRun[],
  settings: { resamples: number; folds: number; seed: number },
): ReproductionFits {
  const { resamples, folds, seed } = settings;
  const out: ReproductionFits = {
    fits: {},
    crossValidation: {},
    notFitted: {},
    leftOut: [],
    crossValidationFailed: {},
    estimatesSeconds: runs.map(() => Number.NaN),
  };
  for (const method of orderMethods(runs.map((run) => run.method))) {
    const small = smallGroups(runs, method);
    for (const group of small) {
      out.leftOut.push(`${method} / ${group}: 1 completed run, a factor needs at least 2`);
    }
    const input = runs.filter((run) => !(run.method === method && small.includes(run.contention)));
    let fit: FitResult;
    try {
      fit = fitContention(input, { method, resamples, seed });
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      out.notFitted[method] = error.message;
      continue;
    }
    out.fits[method] = fit;
    const indices = runs.flatMap((run, i) =>
      run.method === method && run.status === "completed" && !small.includes(run.contention)
        ? [i]
        : []
    );
    const estimates = predictRuns(indices.map((i) => runs[i]!), fit);
    indices.forEach((runIndex, k) => (out.estimatesSeconds[runIndex] = estimates[k]!));
    try {
      out.crossValidation[method] = crossValidate(input, { method, folds, seed });
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      out.crossValidationFailed[method] = error.message;
    }
  }
  if (Object.keys(out.fits).length === 0) {
    throw new NothingToFitError(where, { notFitted: out.notFitted, leftOut: out.leftOut });
  }
  return out;
}

/**
 * The method's contention groups with fewer than 2 completed runs: a factor
 * cannot be fitted to them, so they are left out of its fit (and said so).
 */
function smallGroups(runs: readonly MigrationRun[], method: string): string[] {
  const completedByGroup = new Map<string, number>();
  for (const run of runs) {
    if (run.method === method && run.status === "completed") {
      completedByGroup.set(run.contention, (completedByGroup.get(run.contention) ?? 0) + 1);
    }
  }
  return [...completedByGroup].filter(([, n]) => n < 2).map(([group]) => group);
}
