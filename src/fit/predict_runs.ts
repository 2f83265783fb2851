/**
 * Estimated migration times of runs under a fitted bandwidth model.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { evaluatePlan, isPrecopy, makePlan, resolveModelOptions } from "./_evaluate.ts";
import { runBandwidth } from "./_bandwidth.ts";
import { predictBlocktime, predictColocated, predictProgress } from "./_noise_predict.ts";
import { RUN_QUANTITIES, type RunQuantity } from "./_quantity.ts";
import { checkRunInputs, checkRuns } from "./_runs.ts";
import type { FittedDowntime, FittedNoise } from "./cost_types.ts";
import type { FittedModel } from "./types.ts";

/** Options for {@linkcode predictRuns}. */
export interface PredictRunsOptions {
  /**
   * What to estimate: `"migrationTimeSeconds"` (the model's time, as the
   * fits compare it), `"downtimeSeconds"` (the guest's pause: what is left at
   * the switch over B plus the fit's `switchoverSeconds` per method, when it
   * has them), `"transferredBytes"` (the model's bytes sent),
   * `"guestProgressRatio"` (the noise model, with a `fitNoise` result's
   * `noise`), `"colocatedProgressRatio"` (`colocatedProgress` at the model's
   * time and bytes, with a `fitColocated` result's `colocated`) or
   * `"postcopyBlocktimeSeconds"` (`postcopyBlocktime`, with a `fitBlocktime`
   * result's `blocktime`; post-copy runs only).
   *
   * @default {"migrationTimeSeconds"}
   */
  quantity?: RunQuantity;
}

/**
 * Estimates the migration time of each run with the model its method names
 * and the bandwidth a fit gives its group.
 *
 * The bandwidth of a run is B × factor(group) (× 1 + c·W/M for a KVM
 * post-copy run when the fit kept the `"postcopy-workload"` term). On the
 * efficiency scale B = efficiency × the run's `linkBandwidthBytesPerSecond`.
 * With one B per method, the run's method picks B.
 *
 * Methods: `"xen-precopy"` uses `xenPrecopy`; `"xen-precopy-policy"` (QEMU's
 * pre-copy under Xen's stop rules) uses `qemuXenRules` with the run's zero
 * pages and `xenPrecopy`'s constants;
 * `"kvm-precopy"` uses `kvmPrecopy` with the run's
 * `downtimeLimitSeconds` when present (else the fit's option);
 * `"kvm-postcopy"` uses `kvmPostcopy`, with one pre-copy pass when
 * `postcopySwitch` is `"after-first-pass"` (none for `"immediate"`).
 * The run's status and measured time are not used, so new configurations can
 * be predicted too.
 *
 * With `quantity: "downtimeSeconds"` the estimate is `migrationDowntime`'s:
 * for pre-copy the model's stop-and-copy (what is left at the switch over B)
 * plus the fit's `switchoverSeconds[method]` (none without them); for
 * post-copy that cost alone (kvmPostcopy's `switchoverSeconds` option
 * without them). `"transferredBytes"` gives the model's bytes;
 * `"guestProgressRatio"` the `guestProgress` of each run at its baseline
 * dirty rate (`requestedDirtyPagesPerSecond` when it has one) with the
 * parameters of a `fitNoise` result.
 *
 * Cost: O(n·N) for n runs and N pre-copy rounds each.
 *
 * @param runs The runs (configurations) to estimate.
 * @param fit A fit result, or any {@linkcode FittedModel} (with `switchoverSeconds` or `noise` for those quantities).
 * @param options Which quantity to estimate.
 * @returns Estimates in the quantity's unit (seconds by default), one per run, in order.
 * @throws {TypeError} If `runs` is not an array of objects, a field has the wrong type, the quantity is unknown, or the fit lacks the noise parameters the progress needs.
 * @throws {RangeError} If a run names an unknown method, a group the fit has no factor for, a method the fit has no switchover cost for, or lacks the link bandwidth the efficiency scale needs.
 *
 * @example Post-copy at a fitted 100 MB/s with a CPU factor of 0.5
 * ```ts
 * import { predictRuns } from "./predict_runs.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "cpu", memoryBytes: 1e9, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, migrationTimeSeconds: 20,
 *   status: "completed", extra: {},
 * };
 * const [seconds] = predictRuns([run], {
 *   scale: "absolute", groupBy: "contention", bandwidthBytesPerSecond: 100e6,
 *   bandwidthByMethod: null, efficiency: null, efficiencyByMethod: null,
 *   factors: { none: { value: 1, low: 1, high: 1 }, cpu: { value: 0.5, low: 0.4, high: 0.6 } },
 *   extraTerm: null, modelOptions: {},
 * });
 * assert.ok(Math.abs(seconds! - 20) < 1e-9);
 * ```
 *
 * @example The pause of a post-copy run with a fitted switchover cost
 * ```ts
 * import { predictRuns } from "./predict_runs.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "none", memoryBytes: 1e9, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, migrationTimeSeconds: 10,
 *   status: "completed", extra: {},
 * };
 * const fit = {
 *   scale: "absolute" as const, groupBy: null, bandwidthBytesPerSecond: 100e6,
 *   bandwidthByMethod: null, efficiency: null, efficiencyByMethod: null, factors: {},
 *   extraTerm: null, modelOptions: {},
 *   switchoverSeconds: { "kvm-postcopy": { value: 0.004, low: 0.003, high: 0.005 } },
 * };
 * assert.deepEqual(predictRuns([run], fit, { quantity: "downtimeSeconds" }), [0.004]);
 * assert.deepEqual(predictRuns([run], fit, { quantity: "transferredBytes" }), [1e9]);
 * ```
 */
export function predictRuns(
  runs: readonly MigrationRun[],
  fit: FittedModel | FittedDowntime | FittedNoise,
  options: PredictRunsOptions = {},
): number[] {
  const where = "predictRuns";
  const checked = checkRuns(where, runs);
  checkObject(where, "fit", fit);
  const quantity = (checkObject(where, "options", options).quantity ??
    "migrationTimeSeconds") as RunQuantity;
  if (!RUN_QUANTITIES.includes(quantity)) {
    throw new TypeError(
      `${where}: invalid option "quantity", expected ${
        RUN_QUANTITIES.map((q) => `"${q}"`).join(" or ")
      } (got ${showValue(quantity)})`,
    );
  }
  const modelOptions = resolveModelOptions(where, fit.modelOptions ?? {});
  const bandwidths = checked.map((run, i) => {
    checkRunInputs(where, run, i);
    return runBandwidth(where, fit, run, i);
  });
  if (quantity === "guestProgressRatio") {
    return checked.map((run, i) => predictProgress(where, fit, run, i, bandwidths[i]!));
  }
  if (quantity === "postcopyBlocktimeSeconds") {
    return checked.map((run, i) => predictBlocktime(where, fit, run, i, bandwidths[i]!));
  }
  const indices = checked.map((_, i) => i);
  const costs = quantity === "downtimeSeconds"
    ? (fit as Partial<FittedDowntime>).switchoverSeconds
    : undefined;
  // A fitted switchover cost replaces KVM pre-copy's own fixed part of the pause.
  const planOptions = costs === undefined ? modelOptions : {
    ...modelOptions,
    kvmPrecopy: { ...modelOptions.kvmPrecopy, switchoverSeconds: 0 },
  };
  const plan = makePlan(where, checked, indices, planOptions);
  if (quantity === "colocatedProgressRatio") {
    const n = checked.length;
    const times = evaluatePlan(plan, bandwidths, new Float64Array(n), "timeSeconds");
    const bytes = evaluatePlan(plan, bandwidths, new Float64Array(n), "transferredBytes");
    return checked.map((run, i) => predictColocated(where, fit, run, i, times[i]!, bytes[i]!));
  }
  const column = quantity === "migrationTimeSeconds" ? "timeSeconds" : quantity;
  const values = Array.from(
    evaluatePlan(plan, bandwidths, new Float64Array(checked.length), column),
  );
  if (costs === undefined) return values;
  return checked.map((run, i) => {
    const cost = costs[run.method];
    if (cost === undefined) {
      throw new RangeError(
        `${where}: no switchover cost for method ${
          showValue(run.method)
        } at run ${i}, expected one of ${Object.keys(costs).map((m) => `"${m}"`).join(", ")}`,
      );
    }
    return (isPrecopy(run.method) ? values[i]! : 0) + cost.value;
  });
}
