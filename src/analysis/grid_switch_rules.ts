/**
 * KVM pre-copy on a grid dataset under each of `kvmPrecopy`'s switch rules:
 * the cross-validated time and pause errors and every convergence call
 * (issue #14's "must not get worse").
 *
 * @module
 */

import { quantileSorted } from "../_stats.ts";
import { checkRuns } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { crossValidate } from "../fit/cross_validate.ts";
import { DEFAULT_FOLDS, DEFAULT_SEED } from "../fit/defaults.ts";
import { fitContention } from "../fit/fit_contention.ts";
import type { FitResult } from "../fit/types.ts";
import { kvmPrecopy, type KvmSwitchRule } from "../models/kvm_precopy.ts";
import { runModelInput } from "./_sweep_runs.ts";

/** Options for {@linkcode gridSwitchRules}. */
export interface GridSwitchRulesOptions {
  /**
   * The rules to compare, in order.
   *
   * @default {["between-rounds", "qemu"]}
   */
  switchRules?: readonly KvmSwitchRule[];
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

/** One switch rule on the grid. */
export interface GridSwitchRule {
  /** The rule (`kvmPrecopy`'s `switchRule`). */
  switchRule: KvmSwitchRule;
  /** Cross-validated time MAPE over the completed kvm-precopy runs, percent. */
  cvTimeMapePercent: number;
  /** Cross-validated pause MAE over the completed runs with a pause, seconds (switchover cost refitted per fold). */
  cvDowntimeMaeSeconds: number;
  /** 90th percentile of the cross-validated pause's absolute error, seconds (type 7, as numpy). */
  cvDowntimeP90Seconds: number;
  /** B fitted on all runs (the `none` group), bytes/s. */
  bandwidthBytesPerSecond: number;
  /** Completed and non-convergent kvm-precopy runs called. */
  runs: number;
  /** Runs whose outcome the model at the fitted B (and the run's group factor) calls right. */
  callsRight: number;
  /** The wrong calls, as `contention, W MiB, d pages/s @ limit s (run r): measured status`. */
  wrongCalls: string[];
}

/**
 * Fits and cross-validates `kvm-precopy` on a grid dataset once per switch
 * rule (zero pages from the runs' `zero_pages`, as the fits take them) and
 * calls every completed or non-convergent run's outcome at the fitted B
 * times its contention factor, with the run's own limit and timeout (0.3 s
 * and 600 s where it does not say).
 *
 * Cost: per rule one `fitContention`, and `folds` fits for each of the time
 * and the pause.
 *
 * @param runs The grid's runs, as `loadRuns` gives them.
 * @param options The rules, folds and seed.
 * @returns One row per rule.
 * @throws {TypeError} If `runs` is not an array.
 * @throws {RangeError} For any reason `fitContention` or `crossValidate` throws
 *   (for example no completed kvm-precopy runs).
 *
 * @example Synthetic runs (not measured)
 * ```ts
 * import { gridSwitchRules } from "./grid_switch_rules.ts";
 * import { synthesizeRuns } from "../fit/synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 2, methods: ["kvm-precopy"], repeats: 2, noise: 0.02 });
 * const [old, qemu] = gridSwitchRules(runs, { folds: 3 });
 * assert.deepEqual([old!.switchRule, qemu!.switchRule], ["between-rounds", "qemu"]);
 * assert.ok(qemu!.callsRight <= qemu!.runs && qemu!.cvTimeMapePercent > 0);
 * ```
 */
export function gridSwitchRules(
  runs: readonly MigrationRun[],
  options: GridSwitchRulesOptions = {},
): GridSwitchRule[] {
  const where = "gridSwitchRules";
  checkRuns(where, runs);
  const {
    switchRules = ["between-rounds", "qemu"],
    folds = DEFAULT_FOLDS,
    seed = DEFAULT_SEED,
  } = options;
  return switchRules.map((switchRule) => {
    const modelOptions = { kvmPrecopy: { switchRule } };
    const common = { method: "kvm-precopy", folds, seed, modelOptions } as const;
    const time = crossValidate(runs, common);
    const pause = crossValidate(runs, { ...common, quantity: "downtimeSeconds" });
    const fit = fitContention(runs, { method: "kvm-precopy", resamples: 0, seed, modelOptions });
    const calls = callOutcomes(runs, fit, switchRule);
    return {
      switchRule,
      cvTimeMapePercent: time.metrics.mapePercent,
      cvDowntimeMaeSeconds: pause.metrics.maeSeconds,
      cvDowntimeP90Seconds: quantileSorted(
        pause.predictions.map((p) => Math.abs(p.residualSeconds)).sort((a, b) => a - b),
        0.9,
      ),
      bandwidthBytesPerSecond: baseline(fit, runs.find((r) => r.method === "kvm-precopy")!),
      ...calls,
    };
  });
}

/** The fitted B of a run's link (absolute, or efficiency x link), before its group factor. */
function baseline(fit: FitResult, run: MigrationRun): number {
  if (fit.scale === "efficiency") {
    const efficiency = fit.efficiencyByMethod?.["kvm-precopy"]?.value ?? fit.efficiency!.value;
    return efficiency * (run.linkBandwidthBytesPerSecond ?? 125e6);
  }
  return fit.bandwidthByMethod?.["kvm-precopy"]?.value ?? fit.bandwidthBytesPerSecond ?? NaN;
}

function callOutcomes(
  runs: readonly MigrationRun[],
  fit: FitResult,
  switchRule: KvmSwitchRule,
): Pick<GridSwitchRule, "runs" | "callsRight" | "wrongCalls"> {
  let count = 0;
  let callsRight = 0;
  const wrongCalls: string[] = [];
  runs.forEach((run, index) => {
    if (run.method !== "kvm-precopy") return;
    if (run.status !== "completed" && run.status !== "non-convergent") return;
    const b = baseline(fit, run) * (fit.factors[run.contention]?.value ?? 1);
    const result = kvmPrecopy(runModelInput("gridSwitchRules", run, index, b), {
      switchRule,
      downtimeLimitSeconds: run.downtimeLimitSeconds ?? 0.3,
      timeoutSeconds: run.timeoutSeconds ?? 600,
    });
    count++;
    if (result.converged === (run.status === "completed")) callsRight++;
    else {
      wrongCalls.push(
        `${run.contention}, ${
          (run.wssBytes / 2 ** 20).toFixed(0)
        } MiB, ${run.dirtyPagesPerSecond} pages/s @ ${run.downtimeLimitSeconds ?? 0.3} s (run ${
          run.run ?? 0
        }): measured ${run.status}`,
      );
    }
  });
  return { runs: count, callsRight, wrongCalls };
}
