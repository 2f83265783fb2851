import assert from "node:assert/strict";
import { crossValidate } from "./cross_validate.ts";
import { fitContention } from "./fit_contention.ts";
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
