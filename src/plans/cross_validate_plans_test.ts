import assert from "node:assert/strict";
import { errorMetrics } from "../fit/error_metrics.ts";
import { crossValidatePlans } from "./cross_validate_plans.ts";
import { fitPlans } from "./fit_plans.ts";
import { syntheticPlans } from "./_testing.ts";

Deno.test("crossValidatePlans() predicts each plan from a fit on the other folds", async (t) => {
  const plans = syntheticPlans(7, 9, 6, 0.03);
  const cv = crossValidatePlans(plans, { folds: 3, seed: 2 });
  await t.step("every measured migration once, every plan in one fold", () => {
    assert.equal(cv.predictions.length, 54);
    for (let p = 0; p < 9; p++) {
      const folds = new Set(cv.predictions.filter((r) => r.planIndex === p).map((r) => r.fold));
      assert.equal(folds.size, 1);
    }
    assert.deepEqual(new Set(cv.predictions.map((r) => r.fold)), new Set([0, 1, 2]));
    assert.equal(cv.metricsByFold.length, 3);
    assert.equal(cv.fits.length, 3);
  });
  await t.step("out of sample is a little worse than in sample, near the noise", () => {
    const fit = fitPlans(plans, { resamples: 0 });
    assert.ok(cv.metrics.mapePercent >= fit.metrics.mapePercent - 1e-9);
    assert.ok(cv.metrics.mapePercent < 4);
  });
  await t.step("makespans: first start to last end, measured and simulated", () => {
    assert.equal(cv.makespans.length, 9);
    const plan = plans[4]!;
    const rows = cv.predictions.filter((r) => r.planIndex === 4);
    const first = Math.min(...plan.migrations.map((m) => m.startSeconds));
    const measured = Math.max(...plan.migrations.map((m) =>
      m.startSeconds + m.migrationTimeSeconds!
    )) - first;
    const simulated =
      Math.max(...plan.migrations.map((m, i) => m.startSeconds + rows[i]!.estimatedSeconds)) -
      first;
    const span = cv.makespans.find((m) => m.planIndex === 4)!;
    assert.ok(Math.abs(span.measuredSeconds - measured) < 1e-9);
    assert.ok(Math.abs(span.estimatedSeconds - simulated) < 1e-9);
    const metrics = errorMetrics(
      cv.makespans.map((m) => m.measuredSeconds),
      cv.makespans.map((m) => m.estimatedSeconds),
    );
    assert.deepEqual(cv.makespanMetrics, metrics);
  });
  await t.step("foldBy keeps the plans of one unit together", () => {
    const byPair = crossValidatePlans(plans, {
      folds: 2,
      foldBy: (_, i) => String(Math.floor(i / 2)),
    });
    for (let p = 0; p < 8; p += 2) {
      const a = byPair.predictions.find((r) => r.planIndex === p)!.fold;
      const b = byPair.predictions.find((r) => r.planIndex === p + 1)!.fold;
      assert.equal(a, b);
    }
  });
  await t.step("the same seed gives the same folds", () => {
    const again = crossValidatePlans(plans, { folds: 3, seed: 2 });
    assert.deepEqual(again.predictions.map((r) => r.fold), cv.predictions.map((r) => r.fold));
  });
});

Deno.test("crossValidatePlans() rejects too many folds and bad options", async (t) => {
  const plans = syntheticPlans(8, 3, 3, 0);
  await t.step("more folds than plans", () => {
    assert.throws(
      () => crossValidatePlans(plans, { folds: 4 }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          'crossValidatePlans: invalid option "folds", expected an integer from 2 to the 3 fold units (got 4)',
    );
  });
  await t.step("foldBy not a function", () => {
    assert.throws(
      () => crossValidatePlans(plans, { foldBy: "scenario" as never }),
      (e: Error) =>
        e instanceof TypeError &&
        e.message ===
          'crossValidatePlans: invalid option "foldBy", expected a function (got "scenario")',
    );
  });
  await t.step("a training set without measurements", () => {
    const bare = plans.map((p, i) =>
      i === 0 ? p : { ...p, migrations: p.migrations.map(({ migrationTimeSeconds: _, ...m }) => m) }
    );
    assert.throws(
      () => crossValidatePlans(bare, { folds: 3 }),
      (e: Error) =>
        e instanceof RangeError && /training plans have no measured migration/.test(e.message),
    );
  });
});
