import assert from "node:assert/strict";
import { BANDWIDTH_FIT, costRuns } from "./_cost_testing.ts";
import { crossValidate } from "./cross_validate.ts";
import { fitContention } from "./fit_contention.ts";
import { fitDowntime } from "./fit_downtime.ts";
import { predictRuns } from "./predict_runs.ts";
import { synthesizeRuns } from "./synthetic.ts";

Deno.test("crossValidate() predicts every completed run out of sample, deterministically", () => {
  const runs = synthesizeRuns({ seed: 12, repeats: 2 }); // synthetic
  const completed = runs.filter((r) => r.status === "completed").length;
  const cv = crossValidate(runs, { folds: 4, seed: 7 });
  assert.equal(cv.predictions.length, completed);
  assert.equal(cv.metricsByFold.length, 4);
  assert.deepEqual(new Set(cv.predictions.map((p) => p.fold)), new Set([0, 1, 2, 3]));
  assert.deepEqual(crossValidate(runs, { folds: 4, seed: 7 }), cv);
  // Each fold's runs are predicted by a fit that did not see them: the
  // prediction differs from the full fit's, but not by much on this grid.
  const full = fitContention(runs, { resamples: 0 });
  const inSample = new Map(full.residuals.map((r) => [r.index, r.estimatedSeconds]));
  const differs = cv.predictions.filter((p) => p.estimatedSeconds !== inSample.get(p.index));
  assert.ok(differs.length > completed / 2);
  assert.ok(cv.metrics.mapePercent < 1.2 * full.metrics.mapePercent);
  assert.ok(cv.rmsLogError > 0.03 && cv.rmsLogError < 0.08); // noise sd 0.05
});

Deno.test("crossValidate() rejects too many folds for a group", () => {
  const runs = synthesizeRuns({ // synthetic
    seed: 1,
    repeats: 1,
    methods: ["kvm-postcopy"],
    wssBytes: [0],
    dirtyPagesPerSecond: [0, 1],
    factors: { none: 1, cpu: 0.5 },
  });
  assert.throws(() => crossValidate(runs, { folds: 2 }), (error: unknown) => {
    assert.ok(error instanceof RangeError);
    assert.equal(
      (error as Error).message,
      'crossValidate: group "cpu" has too few completed runs for 2 folds, expected at least 2 left in every training set (got 2 runs)',
    );
    return true;
  });
  assert.throws(() => crossValidate(runs, { folds: 1 }), (error: unknown) => {
    assert.ok(error instanceof RangeError);
    assert.equal(
      (error as Error).message,
      'crossValidate: invalid option "folds", expected an integer >= 2 (got 1)',
    );
    return true;
  });
});

Deno.test("crossValidate() with groupBy null validates a single-B fit", () => {
  const runs = synthesizeRuns({ seed: 3, repeats: 2, factors: { none: 1 } }); // synthetic
  const cv = crossValidate(runs, { folds: 3, groupBy: null });
  assert.deepEqual(Object.keys(cv.metricsByGroup), ["all"]);
  assert.equal(cv.options.groupBy, null);
  assert.ok(cv.metrics.mapePercent < 6);
});

Deno.test("crossValidate() quantity: the pause and the guest's progress out of sample", async (t) => {
  const truth = {
    switchoverSeconds: { "xen-precopy": 0.03, "kvm-precopy": 0.2, "kvm-postcopy": 0.005 },
    trackingSeconds: { "xen-precopy": 2e-7, "kvm-precopy": 5e-7 },
    faultSeconds: 4e-6,
    destinationSlowdown: { none: 0.01, cpu: 0.05 },
    noise: 0.004,
    seed: 6,
  };
  // Synthetic, not measured; times are the migration models' at B = 100 MB/s.
  const runs = costRuns(truth).map((run) => ({
    ...run,
    migrationTimeSeconds: predictRuns([run], BANDWIDTH_FIT)[0]!,
  }));
  await t.step("downtimeSeconds: every run predicted by the other folds' costs", () => {
    const cv = crossValidate(runs, { folds: 3, seed: 2, quantity: "downtimeSeconds" });
    assert.equal(cv.quantity, "downtimeSeconds");
    assert.equal(cv.predictions.length, runs.length);
    cv.predictions.forEach((p) => assert.equal(p.measuredSeconds, runs[p.index]!.downtimeSeconds));
    const inSample = fitDowntime(runs, { fit: BANDWIDTH_FIT, resamples: 0 });
    assert.ok(cv.metrics.maeSeconds >= 0.9 * inSample.metrics.maeSeconds);
    assert.ok(cv.metrics.maeSeconds < 0.004); // the noise is uniform ±4 ms: MAE about 2 ms
  });
  await t.step("guestProgressRatio: the proxy against the noise model", () => {
    const cv = crossValidate(runs, { folds: 3, seed: 2, quantity: "guestProgressRatio" });
    assert.equal(cv.quantity, "guestProgressRatio");
    cv.predictions.forEach((p) => {
      const run = runs[p.index]!;
      assert.equal(p.measuredSeconds, run.dirtyPagesPerSecond / run.requestedDirtyPagesPerSecond!);
    });
    assert.ok(cv.metrics.maeSeconds > 0.001 && cv.metrics.maeSeconds < 0.004);
  });
  await t.step("transferredBytes needs runs that measured it", () => {
    assert.throws(
      () => crossValidate(runs, { folds: 3, quantity: "transferredBytes" }),
      new RangeError(
        'crossValidate: method "kvm-postcopy" has too few completed runs with a measured "transferredBytes", expected at least 2 (got 0)',
      ),
    );
  });
  await t.step("an unknown quantity", () => {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => crossValidate(runs, { quantity: "noise" as any }),
      new TypeError(
        'crossValidate: invalid option "quantity", expected "migrationTimeSeconds" or "downtimeSeconds" or "transferredBytes" or "guestProgressRatio" or "colocatedProgressRatio" or "postcopyBlocktimeSeconds" (got "noise")',
      ),
    );
  });
});
