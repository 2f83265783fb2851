/**
 * The collector's Xen-rule runs (`xen-precopy-policy`: QEMU's pre-copy driven
 * by Xen's stop rules) under the paper's accounting (`xenPrecopy`, T_pre) and
 * QEMU's (`qemuXenRules`, the whole migration): fitted B, time errors per
 * contention in sample and cross-validated, the stop reasons called, and the
 * pause errors (issue #14, item 3).
 *
 * @module
 */

import { checkRuns } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { crossValidate } from "../fit/cross_validate.ts";
import { DEFAULT_FOLDS, DEFAULT_SEED } from "../fit/defaults.ts";
import { type DowntimeErrorRow, downtimeErrors } from "../fit/downtime_errors.ts";
import { fitContention } from "../fit/fit_contention.ts";
import type { FitResult } from "../fit/types.ts";
import { qemuXenRules } from "../models/qemu_xen_rules.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { fittedSummary } from "./_fitted_summary.ts";
import { runModelInput } from "./_sweep_runs.ts";

/** The method of the runs compared. */
const METHOD = "xen-precopy-policy";

/**
 * How the runs are accounted: `"paper"`, the paper's equations
 * (`xenPrecopy`, its T_pre against the measured time, as the fits did before
 * issue #14); `"qemu"`, QEMU's (`qemuXenRules`, the fits' model today).
 */
export type XenRuleAccountingName = "paper" | "qemu";

/** Options for {@linkcode xenRuleAccounting}. */
export interface XenRuleAccountingOptions {
  /**
   * Folds of the cross-validation.
   *
   * @default {5} (`DEFAULT_FOLDS`)
   */
  folds?: number;
  /**
   * Seed of the folds.
   *
   * @default {1} (`DEFAULT_SEED`)
   */
  seed?: number;
}

/** The time errors of one group, percent. */
export interface XenRuleGroupErrors {
  /** Runs. */
  runs: number;
  /** In-sample time MAPE, percent. */
  inSampleMapePercent: number;
  /** Cross-validated time MAPE, percent. */
  cvMapePercent: number;
}

/** One accounting of the Xen-rule runs. */
export interface XenRuleAccounting {
  /** Which accounting. */
  accounting: XenRuleAccountingName;
  /** B fitted on all runs (the baseline group), bytes/s. */
  bandwidthBytesPerSecond: number;
  /** Time errors per contention group, and `all`, in the fit's group order. */
  groups: Record<string, XenRuleGroupErrors>;
  /** The pause: the fitted switchover cost, MAE and p90 in sample and cross-validated; null without 2 measured pauses. */
  downtime: DowntimeErrorRow | null;
  /** Completed runs with a recorded `xen_stop_reason`. */
  stopRuns: number;
  /** Of them, runs whose stop reason the model at the fitted B × factor names. */
  stopCallsRight: number;
  /** Runs per `"measured -> model"` stop reason pair. */
  stopCalls: Record<string, number>;
}

/**
 * Fits and cross-validates the `xen-precopy-policy` runs once per
 * accounting, and calls each completed run's stop reason at the fitted B
 * times its contention factor (with its zero pages for QEMU's accounting).
 * Under the paper's accounting the runs are fitted as `xen-precopy`, which
 * is what the fits did with them before they had a model of their own.
 *
 * Cost: per accounting one `fitContention`, `folds` fits for the time and
 * `downtimeErrors`' fits for the pause.
 *
 * @param runs The runs (other methods are ignored).
 * @param options The folds and seed.
 * @returns One row per accounting, `"paper"` first.
 * @throws {TypeError} If `runs` is not an array.
 * @throws {RangeError} For any reason `fitContention` or `crossValidate` throws
 *   (for example no completed xen-precopy-policy runs).
 *
 * @example Synthetic runs from the paper's model (not measured)
 * ```ts
 * import { xenRuleAccounting } from "./xen_rule_accounting.ts";
 * import { synthesizeRuns } from "../fit/synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 2, methods: ["xen-precopy"], repeats: 2, noise: 0.02 })
 *   .map((run) => ({ ...run, method: "xen-precopy-policy" }));
 * const [paper, qemu] = xenRuleAccounting(runs, { folds: 3 });
 * assert.deepEqual([paper!.accounting, qemu!.accounting], ["paper", "qemu"]);
 * assert.ok(paper!.groups.all!.cvMapePercent < qemu!.groups.all!.cvMapePercent); // the paper's own data
 * assert.equal(qemu!.stopRuns, 0); // synthetic runs record no stop reason
 * ```
 */
export function xenRuleAccounting(
  runs: readonly MigrationRun[],
  options: XenRuleAccountingOptions = {},
): XenRuleAccounting[] {
  const where = "xenRuleAccounting";
  checkRuns(where, runs);
  const { folds = DEFAULT_FOLDS, seed = DEFAULT_SEED } = options;
  const policy = runs.filter((run) => run.method === METHOD);
  return (["paper", "qemu"] as const).map((accounting) => {
    const method = accounting === "paper" ? "xen-precopy" : METHOD;
    const these = policy.map((run) => ({ ...run, method }));
    const fit = fitContention(these, { method, resamples: 0, seed });
    const cv = crossValidate(these, { method, folds, seed });
    const groups: Record<string, XenRuleGroupErrors> = {};
    for (const [group, metrics] of Object.entries(fit.metricsByGroup)) {
      const out = cv.metricsByGroup[group];
      groups[group] = {
        runs: metrics.count,
        inSampleMapePercent: metrics.mapePercent,
        cvMapePercent: out?.mapePercent ?? NaN,
      };
    }
    groups.all = {
      runs: fit.metrics.count,
      inSampleMapePercent: fit.metrics.mapePercent,
      cvMapePercent: cv.metrics.mapePercent,
    };
    let downtime: DowntimeErrorRow | null = null;
    try {
      downtime = downtimeErrors(these, { resamples: 0, seed, folds })[method] ?? null;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
    return {
      accounting,
      bandwidthBytesPerSecond: fittedSummary(method, fit)[0]?.bandwidthBytesPerSecond ?? NaN,
      groups,
      downtime,
      ...stopCalls(these, fit, accounting),
    };
  });
}

/** A run's bandwidth from a fit: B (or the efficiency × the run's link) × its group's factor. */
function runBandwidth(fit: FitResult, run: MigrationRun): number {
  const factor = fit.factors[run.contention]?.value ?? (fit.groupBy === null ? 1 : NaN);
  const base = fit.scale === "efficiency"
    ? (fit.efficiencyByMethod?.[run.method]?.value ?? fit.efficiency?.value ?? NaN) *
      (run.linkBandwidthBytesPerSecond ?? NaN)
    : fit.bandwidthByMethod?.[run.method]?.value ?? fit.bandwidthBytesPerSecond ?? NaN;
  return base * factor;
}

function stopCalls(
  runs: readonly MigrationRun[],
  fit: FitResult,
  accounting: XenRuleAccountingName,
): Pick<XenRuleAccounting, "stopRuns" | "stopCallsRight" | "stopCalls"> {
  let stopRuns = 0;
  let stopCallsRight = 0;
  const calls: Record<string, number> = {};
  runs.forEach((run, index) => {
    const measured = run.extra?.xen_stop_reason;
    if (run.status !== "completed" || typeof measured !== "string" || measured === "") return;
    const b = runBandwidth(fit, run);
    if (!(b > 0)) return;
    const input = runModelInput("xenRuleAccounting", run, index, b);
    const model = accounting === "qemu"
      ? qemuXenRules(input).stopReason
      : xenPrecopy({ ...input, zeroBytes: 0 }).stopReason;
    stopRuns++;
    if (model === measured) stopCallsRight++;
    const key = `${measured} -> ${model}`;
    calls[key] = (calls[key] ?? 0) + 1;
  });
  const sorted = Object.fromEntries(
    Object.entries(calls).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );
  return { stopRuns, stopCallsRight, stopCalls: sorted };
}
