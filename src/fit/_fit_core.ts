// The fitting engine behind fitBandwidth, fitContention and crossValidate,
// in five parts:
//   _fit_data.ts          the runs as per-run arrays, after the checks
//   _fit_params.ts        what is fitted: the parameters, theta <-> quantities
//   _coordinate_search.ts the point estimate: 1-D searches, coordinate search
//                         (_cell_start.ts: its start with one B per method)
//   _bootstrap.ts         the intervals: percentile bootstrap within strata
//                         (_bootstrap_parallel.ts: its refits, on workers when long)
//   _fit_summary.ts       the model, residuals and metrics reported
import type { MigrationRun } from "../data/types.ts";
import { bootstrapStrata } from "./_bootstrap.ts";
import { refitResamples } from "./_bootstrap_parallel.ts";
import { cellStart } from "./_cell_start.ts";
import { createSolver, lossFor } from "./_coordinate_search.ts";
import { fitData } from "./_fit_data.ts";
import { fitQuantities, layoutParams } from "./_fit_params.ts";
import { type Lattice, newLattice } from "./_lattice_search.ts";
import { summarizeModel, summarizeResiduals } from "./_fit_summary.ts";
import { intervalInfo } from "./defaults.ts";
import type { ExcludedRuns, FitResult, FittedModel, ResolvedFitOptions } from "./types.ts";

/** What the engine returns: a fit result without its options. */
export type CoreFit = Omit<FitResult, "options">;

/**
 * The fitted model alone, without intervals, residuals or metrics: what a
 * cross-validation fold needs (its prediction is the same as from
 * {@linkcode fitCore} with `resamples: 0`).
 *
 * @param where The public function's name.
 * @param runs All runs.
 * @param indices The completed runs of the selected methods.
 * @param options Resolved options (`resamples` is ignored).
 */
export function fitModel(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  options: ResolvedFitOptions,
): FittedModel {
  const { data, layout, point } = pointFit(where, runs, indices, options);
  const quantities = fitQuantities(layout, data, options);
  return summarizeModel(data, quantities, point.theta, [], options).model;
}

/**
 * Fits the model to the given completed runs: the point estimate by
 * coordinate search, intervals by a seeded percentile bootstrap over runs
 * (resampled within each group, refitted from the point estimate).
 *
 * @param where The public function's name.
 * @param runs All runs.
 * @param indices The completed runs of the selected methods.
 * @param options Resolved options (`extraTerm` here means: fit with the term).
 * @param excluded The runs left out, passed through.
 * @param runsOfOtherMethods The runs of methods not selected, passed through.
 * @param onProgress Called after each bootstrap resample.
 */
export function fitCore(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  options: ResolvedFitOptions,
  excluded: ExcludedRuns,
  runsOfOtherMethods: number,
  onProgress?: (progress: { stage: "bootstrap"; done: number; total: number }) => void,
): CoreFit {
  const { data, layout, loss, solve, point, lattices } = pointFit(where, runs, indices, options);
  const strata = bootstrapStrata(data, options.bandwidthPer);
  const job = { where, runs, indices, options, start: point.theta, strata, lattices };
  const samples = refitResamples(job, options.resamples, options.seed, solve, (done) => {
    onProgress?.({ stage: "bootstrap", done, total: options.resamples });
  });
  const quantities = fitQuantities(layout, data, options);
  const { model, bandwidth, linkBandwidthsBytesPerSecond } = summarizeModel(
    data,
    quantities,
    point.theta,
    samples,
    options,
  );
  const { residuals, metrics, metricsByGroup, objectiveValue } = summarizeResiduals(
    data,
    model,
    loss,
  );
  return {
    ...model,
    bandwidth,
    linkBandwidthsBytesPerSecond,
    interval: intervalInfo(options.resamples, options.seed),
    converged: point.converged,
    iterations: point.iterations,
    objectiveValue,
    residuals,
    metrics,
    metricsByGroup,
    excluded,
    runsUsed: indices.length,
    runsOfOtherMethods,
  };
}

/**
 * The point estimate of a fit: the runs as arrays, the parameter layout, the
 * loss, the solver (for the bootstrap's refits) and its solution from the
 * per-method start (or the default start for one shared bandwidth).
 */
function pointFit(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  options: ResolvedFitOptions,
) {
  const data = fitData(where, runs, indices, options);
  const layout = layoutParams(data, options);
  const loss = lossFor(options.objective);
  const lattices: Lattice[] = layout.params.map(newLattice);
  const solve = createSolver(data, layout, options, loss, lattices);
  const start = layout.separable ? null : cellStart(data, layout, options, loss);
  const point = solve(null, start);
  return { data, layout, loss, solve, point, lattices };
}
