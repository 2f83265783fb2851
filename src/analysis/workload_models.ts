/**
 * The model lines of Figures 2 and 4: one nominal run per measured
 * configuration, and today's models' downtime and migration time for them
 * at each method's fitted B and contention factor.
 *
 * @module
 */

import { showValue } from "../_validate.ts";
import { METHODS } from "../data/schema.ts";
import type { MigrationRun } from "../data/types.ts";
import { predictRuns } from "../fit/predict_runs.ts";
import type { Estimate, FitResult, FittedModel } from "../fit/types.ts";
import type { DowntimeFitResult, RunQuantity } from "../fit/cost_types.ts";
import { fitDowntime } from "../fit/fit_downtime.ts";
import { fitColocated } from "../fit/fit_colocated.ts";
import { fitNoise } from "../fit/fit_noise.ts";
import { COLOCATED_CONTENTIONS } from "../models/colocated_progress.ts";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { qemuXenRules } from "../models/qemu_xen_rules.ts";
import { runModelInput } from "./_sweep_runs.ts";
import { nominalOf } from "./_workload_terms.ts";
import { fittedSummary } from "./_fitted_summary.ts";

/**
 * One run per (method, contention, nominal WSS, nominal dirty rate) of the
 * completed runs, with the requested WSS and rate as its `wssBytes` and
 * `dirtyPagesPerSecond` (the model's input at the workload the figure
 * shows) and the first repeat's other fields (memory, downtime limit,
 * post-copy switch). Feed them to `predictRuns` (with any `quantity`) or
 * to {@linkcode modelDowntimes} and hand the values to `workloadCosts`.
 *
 * @param runs The runs.
 * @returns The nominal runs, in the order first seen.
 *
 * @example Two repeats give one nominal run
 * ```ts
 * import { nominalRuns } from "./workload_models.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "cpu", memoryBytes: 2 ** 30, wssBytes: 2 ** 26,
 *   dirtyPagesPerSecond: 15000, pageBytes: 4096, migrationTimeSeconds: 10,
 *   requestedDirtyPagesPerSecond: 15360, status: "completed", extra: {},
 * };
 * const nominal = nominalRuns([run, { ...run, dirtyPagesPerSecond: 14900 }]);
 * assert.equal(nominal.length, 1);
 * assert.equal(nominal[0]!.dirtyPagesPerSecond, 15360);
 * ```
 */
export function nominalRuns(runs: readonly MigrationRun[]): MigrationRun[] {
  if (!Array.isArray(runs)) {
    throw new TypeError(`nominalRuns: invalid runs, expected an array (got ${showValue(runs)})`);
  }
  const out = new Map<string, MigrationRun>();
  for (const run of runs) {
    if (run.status !== "completed") continue;
    const nominal = nominalOf(run);
    const key = JSON.stringify([run.method, run.contention, nominal.wss, nominal.rate]);
    if (out.has(key)) continue;
    out.set(key, {
      ...run,
      wssBytes: run.requestedWssBytes ?? run.wssBytes,
      dirtyPagesPerSecond: nominal.rate,
    });
  }
  return [...out.values()];
}

/** A run's bandwidth from its method's fit: B × the contention's factor, or NaN without one. */
function groupBandwidth(run: MigrationRun, fits: Readonly<Record<string, FitResult>>): number {
  const fit = fits[run.method];
  const summary = fit ? fittedSummary(run.method, fit)[0] : undefined;
  const factor = fit?.factors[run.contention]?.value ?? (fit?.groupBy === null ? 1 : undefined);
  return summary && factor !== undefined ? summary.bandwidthBytesPerSecond * factor : Number.NaN;
}

/**
 * Today's models' downtime for each run, seconds, at its method's fitted B
 * and contention factor: Xen pre-copy's last round over B
 * (`xenPrecopy(...).downtimeSeconds`; the Xen-rule runs, `xen-precopy-policy`,
 * `qemuXenRules`' stop-and-copy with the run's zero pages), KVM pre-copy's remainder at the
 * switch over B plus its own fixed switchover cost (`kvmPrecopy`'s
 * `downtimeSeconds`; NaN where it does not converge), and KVM post-copy's fixed
 * switchover pause (`kvmPostcopy`'s default, the paper's 47 ms). NaN for a
 * method without a fit or a contention without a factor.
 *
 * @param runs The runs (e.g. {@linkcode nominalRuns}).
 * @param fits One `fitContention` result per method.
 * @returns One downtime per run, seconds.
 *
 * @example Post-copy pauses for its switchover
 * ```ts
 * import { modelDowntimes } from "./workload_models.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "none", memoryBytes: 2 ** 30, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, migrationTimeSeconds: 10, status: "completed",
 *   extra: {},
 * };
 * assert.deepEqual(modelDowntimes([run], {}), [Number.NaN]);
 * ```
 */
export function modelDowntimes(
  runs: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
): number[] {
  return runs.map((run) => {
    const bandwidthBytesPerSecond = groupBandwidth(run, fits);
    const model = METHODS.find((m) => m.name === run.method)?.model;
    if (!Number.isFinite(bandwidthBytesPerSecond) || model === undefined) return Number.NaN;
    const input = { ...run, bandwidthBytesPerSecond };
    if (run.method === "xen-precopy-policy") {
      return qemuXenRules(runModelInput("modelDowntimes", run, 0, bandwidthBytesPerSecond))
        .downtimeSeconds;
    }
    if (model === "xen-precopy") return xenPrecopy(input).downtimeSeconds;
    if (model === "kvm-postcopy") return kvmPostcopy(input).downtimeSeconds;
    const result = kvmPrecopy(input, {
      ...(run.downtimeLimitSeconds !== undefined
        ? { downtimeLimitSeconds: run.downtimeLimitSeconds }
        : {}),
      ...(run.timeoutSeconds !== undefined ? { timeoutSeconds: run.timeoutSeconds } : {}),
    });
    return result.converged ? result.downtimeSeconds : Number.NaN;
  });
}

/**
 * Each run's migration time from its method's fit (`predictRuns`), seconds;
 * NaN for a method without a fit or a contention the fit has no factor for.
 *
 * @param runs The runs (e.g. {@linkcode nominalRuns}).
 * @param fits One `fitContention` result per method.
 * @returns One time per run, seconds.
 *
 * @example No fit, no line
 * ```ts
 * import { modelTimes } from "./workload_models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(modelTimes([], {}), []);
 * ```
 */
export function modelTimes(
  runs: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
): number[] {
  const out = runs.map(() => Number.NaN);
  for (const [method, fit] of Object.entries(fits)) {
    const indices = runs.flatMap((run, i) =>
      run.method === method && (fit.groupBy === null || fit.factors[run.contention]) ? [i] : []
    );
    if (indices.length === 0) continue;
    const times = predictRuns(indices.map((i) => runs[i]!), fit);
    indices.forEach((i, k) => (out[i] = times[k]!));
  }
  return out;
}

/**
 * The fitted downtime for each run, seconds: per method, `fitDowntime`
 * (the method's fixed switchover cost, given its fitted B × factor) on the
 * completed runs, then `predictRuns(..., { quantity: "downtimeSeconds" })`
 * for the runs given (`migrationDowntime`: what is left at the switch over
 * B plus the switchover cost; NaN where KVM pre-copy does not converge). A
 * method whose downtime cannot be fitted (fewer than 2 measured pauses)
 * falls back to {@linkcode modelDowntimes} and is named in `notFitted`.
 *
 * @param runs The runs to predict (e.g. {@linkcode nominalRuns}).
 * @param measured The measured runs the switchover costs are fitted to.
 * @param fits One `fitContention` result per method.
 * @returns One downtime per run, the fitted switchover cost per method, and the methods not fitted.
 *
 * @example No fits, no lines
 * ```ts
 * import { fittedDowntimes } from "./workload_models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fittedDowntimes([], [], {}), { values: [], switchoverSeconds: {}, notFitted: {} });
 * ```
 */
export function fittedDowntimes(
  runs: readonly MigrationRun[],
  measured: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
): {
  values: number[];
  switchoverSeconds: Record<string, Estimate>;
  notFitted: Record<string, string>;
} {
  const values = modelDowntimes(runs, fits);
  const switchoverSeconds: Record<string, Estimate> = {};
  const notFitted: Record<string, string> = {};
  for (const [method, fit] of Object.entries(fits)) {
    let downtimeFit: DowntimeFitResult;
    try {
      const usable = measured.filter((r) =>
        r.method === method && (fit.groupBy === null || fit.factors[r.contention])
      );
      downtimeFit = fitDowntime(usable, { fit, method, resamples: 0 });
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      notFitted[method] = error.message;
      continue;
    }
    switchoverSeconds[method] = downtimeFit.switchoverSeconds[method]!;
    const indices = runs.flatMap((run, i) =>
      run.method === method && (fit.groupBy === null || fit.factors[run.contention]) ? [i] : []
    );
    if (indices.length === 0) continue;
    const predicted = predictRuns(indices.map((i) => runs[i]!), downtimeFit, {
      quantity: "downtimeSeconds",
    });
    indices.forEach((i, k) => (values[i] = Number.isNaN(values[i]!) ? Number.NaN : predicted[k]!));
  }
  return { values, switchoverSeconds, notFitted };
}

/**
 * The fitted guest progress ratio for each run: per method, `fitNoise`
 * (dirty tracking cost for pre-copy, fault cost and destination slowdown
 * for post-copy, given the method's fitted B × factor) on the measured
 * runs, then `predictRuns(..., { quantity: "guestProgressRatio" })` for the
 * runs given. NaN for a method whose noise cannot be fitted (named in
 * `notFitted`) and for runs the model gives no ratio.
 *
 * @param runs The runs to predict (e.g. {@linkcode nominalRuns}).
 * @param measured The measured runs the noise parameters are fitted to.
 * @param fits One `fitContention` result per method.
 * @returns One ratio per run and the methods not fitted.
 *
 * @example No fits, no lines
 * ```ts
 * import { fittedProgress } from "./workload_models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fittedProgress([], [], {}), { values: [], notFitted: {} });
 * ```
 */
export function fittedProgress(
  runs: readonly MigrationRun[],
  measured: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
): { values: number[]; notFitted: Record<string, string> } {
  return predictPerMethod(runs, measured, fits, (run) => run.wssBytes > 0, (method, fit, own) => ({
    model: fitNoise(own, { fit, method, resamples: 0 }),
    quantity: "guestProgressRatio",
  }));
}

/**
 * The fitted co-located load's progress ratio for each run: per method,
 * `fitColocated` (the hog's loss per migration CPU second, the load's link
 * rate, given the method's fitted B × factor) on the measured runs, then
 * `predictRuns(..., { quantity: "colocatedProgressRatio" })` for the runs
 * given under CPU, network or memory contention. NaN for other runs and for
 * a method whose fit fails (named in `notFitted`).
 *
 * @param runs The runs to predict (e.g. {@linkcode nominalRuns}).
 * @param measured The measured runs the parameters are fitted to.
 * @param fits One `fitContention` result per method.
 * @returns One ratio per run and the methods not fitted.
 *
 * @example No fits, no lines
 * ```ts
 * import { fittedColocated } from "./workload_models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fittedColocated([], [], {}), { values: [], notFitted: {} });
 * ```
 */
export function fittedColocated(
  runs: readonly MigrationRun[],
  measured: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
): { values: number[]; notFitted: Record<string, string> } {
  const colocated = (run: MigrationRun) =>
    (COLOCATED_CONTENTIONS as readonly string[]).includes(run.contention);
  return predictPerMethod(runs, measured, fits, colocated, (method, fit, own) => {
    const model = fitColocated(own, { fit, method, resamples: 0 });
    const { cpuLossPerCpuSecond, linkBytesPerSecond, migrationCpu } = model.colocated;
    return {
      model,
      quantity: "colocatedProgressRatio",
      usable: (run) => {
        if (run.contention === "network") return linkBytesPerSecond !== null;
        if (run.contention === "cpu") {
          return cpuLossPerCpuSecond !== null && migrationCpu[method] !== undefined;
        }
        return true;
      },
    };
  });
}

/**
 * Per method: the runs its fit covers (its contention groups) that `wanted`
 * keeps, a model fitted on its measured runs (`fitModel`; a RangeError or
 * TypeError names the method in `notFitted`), and `predictRuns` of the
 * model's quantity for those runs it can predict (`usable`). NaN elsewhere.
 */
function predictPerMethod(
  runs: readonly MigrationRun[],
  measured: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
  wanted: (run: MigrationRun) => boolean,
  fitModel: (method: string, fit: FitResult, own: MigrationRun[]) => {
    model: FittedModel;
    quantity: RunQuantity;
    usable?: (run: MigrationRun) => boolean;
  },
): { values: number[]; notFitted: Record<string, string> } {
  const values = runs.map(() => Number.NaN);
  const notFitted: Record<string, string> = {};
  for (const [method, fit] of Object.entries(fits)) {
    const covered = (r: MigrationRun) =>
      r.method === method && (fit.groupBy === null || fit.factors[r.contention] !== undefined);
    const indices = runs.flatMap((run, i) => covered(run) && wanted(run) ? [i] : []);
    try {
      const { model, quantity, usable = () => true } = fitModel(
        method,
        fit,
        measured.filter(covered),
      );
      const kept = indices.filter((i) => usable(runs[i]!));
      if (kept.length === 0) continue;
      const predicted = predictRuns(kept.map((i) => runs[i]!), model, { quantity });
      kept.forEach((i, k) => (values[i] = predicted[k]!));
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      notFitted[method] = error.message;
    }
  }
  return { values, notFitted };
}
