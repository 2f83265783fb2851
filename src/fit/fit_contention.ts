/**
 * Fit the bandwidth of a baseline group and a multiplicative factor per
 * contention group.
 *
 * @module
 */

import type { MigrationRun } from "../data/types.ts";
import { type FitContentionOptions, runFit } from "./_fit_public.ts";
import type { FitResult } from "./types.ts";

export type { FitContentionOptions } from "./_fit_public.ts";

/**
 * Fits B for the baseline group (`"none"` by default) and a factor per
 * contention group, B_group = B × factor (1 for the baseline; `factors[group].value`), each with a
 * 95 % bootstrap interval, plus the residuals of every run and error metrics
 * overall and per group.
 *
 * With one B for all methods (the default) each group's bandwidth is its own parameter, so the
 * groups are fitted independently by the bracketing 1-D search of {@linkcode fitBandwidth} and
 * factors are ratios to the baseline (the bootstrap resamples within each group, so a factor's
 * interval carries the uncertainty of both; on synthetic data the intervals cover the truth about
 * 92 % of the time, not 95 %, see {@linkcode fitBandwidth}). With `bandwidthPer: "method"` there
 * is one B per method and factors shared by the methods, found by coordinate search (with one
 * method and no extra term the groups are fitted separably, as with one B: the same fit). The
 * groups of the QEMU models (`kvm-precopy`, `xen-precopy-policy`), whose objective steps at many B
 * within a percent, are searched on a lattice in ln B as well. `extraTerm:
 * "postcopy-workload"` tries a post-copy bandwidth that rises with the working set and keeps it
 * only if it lowers the cross-validated error (`extraTerm.kept`).
 *
 * Cost: as {@linkcode fitBandwidth}, per group.
 *
 * @param runs The runs, as a loader returns them.
 * @param options Method, grouping, baseline, objective, scale, bootstrap and model options.
 * @returns B, factors with intervals, residuals, metrics per group, excluded runs, resolved options.
 * @throws {TypeError} If `runs` is not an array of runs or an option has the wrong type.
 * @throws {RangeError} If there are no completed runs, a group has one run, the baseline group is missing, a group's pre-copy runs all sit at one configuration, a completed run's time is <= 0, or an option is out of range.
 *
 * @example Recover a network-contention factor from synthetic runs
 * ```ts
 * import { fitContention } from "./fit_contention.ts";
 * import { synthesizeRuns } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ // synthetic, not measured
 *   seed: 5, methods: ["kvm-postcopy", "xen-precopy"], repeats: 2,
 *   factors: { none: 1, network: 0.4 }, noise: 0.02,
 * });
 * const fit = fitContention(runs, { resamples: 20 });
 * assert.ok(Math.abs(fit.factors.network!.value - 0.4) < 0.02);
 * assert.equal(fit.factors.none!.value, 1);
 * ```
 */
export function fitContention(
  runs: readonly MigrationRun[],
  options: FitContentionOptions = {},
): FitResult {
  return runFit("fitContention", runs, options, true);
}
