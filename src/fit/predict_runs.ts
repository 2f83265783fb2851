/**
 * Estimated migration times of runs under a fitted bandwidth model.
 *
 * @module
 */

import { checkObject } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { evaluatePlan, makePlan, resolveModelOptions } from "./_evaluate.ts";
import { runBandwidth } from "./_bandwidth.ts";
import { checkRunInputs, checkRuns } from "./_runs.ts";
import type { FittedModel } from "./types.ts";

/**
 * Estimates the migration time of each run with the model its method names
 * and the bandwidth a fit gives its group.
 *
 * The bandwidth of a run is B × factor(group) (× 1 + c·W/M for a KVM
 * post-copy run when the fit kept the `"postcopy-workload"` term). On the
 * efficiency scale B = efficiency × the run's `linkBandwidthBytesPerSecond`.
 * With one B per method, the run's method picks B.
 *
 * Methods: `"xen-precopy"` and `"xen-precopy-policy"` use `xenPrecopy`;
 * `"kvm-precopy"` uses `kvmPrecopy` with the run's
 * `downtimeLimitSeconds` when present (else the fit's option);
 * `"kvm-postcopy"` uses `kvmPostcopy`, with one pre-copy pass when
 * `postcopySwitch` is `"after-first-pass"` (none for `"immediate"`).
 * The run's status and measured time are not used, so new configurations can
 * be predicted too.
 *
 * Cost: O(n·N) for n runs and N pre-copy rounds each.
 *
 * @param runs The runs (configurations) to estimate.
 * @param fit A fit result, or any {@linkcode FittedModel}.
 * @returns Estimated seconds, one per run, in order.
 * @throws {TypeError} If `runs` is not an array of objects or a field has the wrong type.
 * @throws {RangeError} If a run names an unknown method, a group the fit has no factor for, or lacks the link bandwidth the efficiency scale needs.
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
 */
export function predictRuns(runs: readonly MigrationRun[], fit: FittedModel): number[] {
  const where = "predictRuns";
  const checked = checkRuns(where, runs);
  checkObject(where, "fit", fit);
  const modelOptions = resolveModelOptions(where, fit.modelOptions ?? {});
  const bandwidths = checked.map((run, i) => {
    checkRunInputs(where, run, i);
    return runBandwidth(where, fit, run, i);
  });
  const indices = checked.map((_, i) => i);
  const plan = makePlan(where, checked, indices, modelOptions);
  return Array.from(evaluatePlan(plan, bandwidths, new Float64Array(checked.length)));
}
