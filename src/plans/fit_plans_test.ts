import assert from "node:assert/strict";
import { fitPlans } from "./fit_plans.ts";
import { simulatePlan } from "./simulate_plan.ts";
import { syntheticPlans, TRUTH } from "./_testing.ts";

Deno.test("fitPlans() recovers link fractions and the overhead", async (t) => {
  await t.step("exactly, without noise", () => {
    const fit = fitPlans(syntheticPlans(1, 6, 6, 0), { resamples: 0 });
    assert.ok(Math.abs(fit.linkFractions["500 Mbit/s"]!.value - 0.8) < 1e-3);
    assert.ok(Math.abs(fit.linkFractions["1000 Mbit/s"]!.value - 0.92) < 1e-3);
    assert.ok(Math.abs(fit.overheadSeconds.value - 2.5) < 0.02);
    assert.ok(fit.converged);
    assert.ok(fit.metrics.mapePercent < 0.05);
    assert.deepEqual(fit.interval, { method: "none" });
    assert.ok(Number.isNaN(fit.overheadSeconds.low));
  });
  await t.step("within its bootstrap interval, with 3 % noise", () => {
    const plans = syntheticPlans(2, 16, 8, 0.03);
    const fit = fitPlans(plans, { resamples: 25, seed: 3 });
    for (const [key, truth] of Object.entries(TRUTH.linkFractions!)) {
      const e = fit.linkFractions[key]!;
      assert.ok(e.low < e.value && e.value < e.high, key);
      assert.ok(Math.abs(e.value - truth.value) < 0.02, `${key}: ${e.value}`);
      assert.ok(e.low < truth.value && truth.value < e.high, `${key}: [${e.low}, ${e.high}]`);
    }
    assert.ok(Math.abs(fit.overheadSeconds.value - 2.5) < 0.6);
    assert.deepEqual(fit.interval, { method: "bootstrap", resamples: 25, seed: 3, level: 0.95 });
    assert.equal(fit.migrationsUsed, 128);
    assert.equal(fit.plansUsed, 16);
    assert.ok(fit.metrics.mapePercent > 1.5 && fit.metrics.mapePercent < 4);
  });
  await t.step("its result is simulatePlan's parameters, and residuals match a simulation", () => {
    const plans = syntheticPlans(4, 3, 5, 0.02);
    const fit = fitPlans(plans, { resamples: 0 });
    const simulated = simulatePlan(plans[1]!, fit);
    const rows = fit.residuals.filter((r) => r.planIndex === 1);
    assert.equal(rows.length, 5);
    rows.forEach((r, i) => {
      assert.ok(
        Math.abs(r.estimatedSeconds - simulated.migrations[i]!.migrationTimeSeconds) < 1e-9,
      );
      assert.ok(Math.abs(r.residualSeconds - (r.measuredSeconds - r.estimatedSeconds)) < 1e-12);
      assert.equal(r.plan, "1");
    });
  });
  await t.step("overhead: false keeps it at 0", () => {
    const fit = fitPlans(syntheticPlans(5, 3, 5, 0), { resamples: 0, overhead: false });
    assert.equal(fit.overheadSeconds.value, 0);
    assert.ok(fit.linkFractions["500 Mbit/s"]!.value < 0.8); // the overhead goes into the fractions
  });
});

Deno.test("fitPlans() rejects plans without measurements and bad options", async (t) => {
  const plans = syntheticPlans(6, 2, 3, 0);
  await t.step("no measured migration", () => {
    const bare = plans.map((p) => ({
      ...p,
      migrations: p.migrations.map(({ migrationTimeSeconds: _, ...m }) => m),
    }));
    assert.throws(
      () => fitPlans(bare),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          'fitPlans: invalid plans, expected at least 1 migration with "migrationTimeSeconds" (got 0 in 2 plans)',
    );
  });
  await t.step("not an array", () => {
    assert.throws(
      () => fitPlans({} as never),
      (e: Error) =>
        e instanceof TypeError &&
        e.message === "fitPlans: invalid plans, expected an array of plans (got {})",
    );
  });
  await t.step("resamples", () => {
    assert.throws(
      () => fitPlans(plans, { resamples: -1 }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message === 'fitPlans: invalid option "resamples", expected an integer >= 0 (got -1)',
    );
  });
  await t.step("overhead", () => {
    assert.throws(
      () => fitPlans(plans, { overhead: "yes" as never }),
      (e: Error) =>
        e instanceof TypeError &&
        e.message === 'fitPlans: invalid option "overhead", expected true or false (got "yes")',
    );
  });
  await t.step("a bad plan, as simulatePlan says", () => {
    const bad = [{
      ...plans[0]!,
      migrations: [{ ...plans[0]!.migrations[0]!, source: "nowhere" }],
    }];
    assert.throws(
      () => fitPlans(bad),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          'fitPlans: invalid input "migrations[0].source", expected a key of "nodes" (got "nowhere")',
    );
  });
});
