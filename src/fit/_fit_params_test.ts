import assert from "node:assert/strict";
import fc from "fast-check";
import { median } from "../_stats.ts";
import { bandwidthOf, fitQuantities, initialTheta, layoutParams, medianOf } from "./_fit_params.ts";
import { close, MIXED_RUNS as MIXED, postcopyRuns, testData } from "./_testing.ts";

Deno.test("layoutParams() gives one level per group with one B for all methods", () => {
  const runs = postcopyRuns(100e6, { none: 1, cpu: 0.5 });
  const { data, options } = testData(runs);
  const layout = layoutParams(data, options);
  assert.deepEqual(layout.params.map((p) => [p.name, p.kind, p.positions]), [
    ["cpu", "level", [3, 4, 5]],
    ["none", "level", [0, 1, 2]],
  ]);
  // T = M/B exactly, so each group's crude level is ln B.
  close(layout.params[0]!.center, Math.log(50e6));
  close(layout.params[1]!.center, Math.log(100e6));
  assert.equal(layout.params[0]!.halfWidth, Math.log(50));
  assert.deepEqual(Array.from(layout.levelOf), [1, 1, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(layout.factorOf), [-1, -1, -1, -1, -1, -1]);
  assert.equal(layout.extraIndex, -1);
  assert.equal(layout.independent, true);
  assert.deepEqual(Array.from(initialTheta(layout)), layout.params.map((p) => p.center));
});

Deno.test("layoutParams() per method: levels per method, factors per other group, then the extra term", async (t) => {
  const { data, options } = testData(MIXED, {
    bandwidthPer: "method",
    extraTerm: "postcopy-workload",
  });
  const layout = layoutParams(data, options);
  await t.step("layout", () => {
    assert.deepEqual(layout.params.map((p) => [p.name, p.kind, p.positions]), [
      ["kvm-postcopy", "level", [2, 3, 6, 7]],
      ["xen-precopy", "level", [0, 1, 4, 5]],
      ["cpu", "factor", [4, 5, 6, 7]],
      ["postcopy-workload", "extra", [2, 3, 6, 7]],
    ]);
    assert.deepEqual(Array.from(layout.levelOf), [1, 1, 0, 0, 1, 1, 0, 0]);
    assert.deepEqual(Array.from(layout.factorOf), [-1, -1, -1, -1, 2, 2, 2, 2]);
    assert.equal(layout.extraIndex, 3);
    assert.equal(layout.independent, false);
    assert.deepEqual(Array.from(initialTheta(layout)).slice(2), [0, 0]);
  });
  await t.step("bandwidthOf() is link × e^(level + factor) × (1 + (e^u - 1)·W/M)", () => {
    const theta = Float64Array.of(Math.log(100e6), Math.log(80e6), Math.log(0.5), Math.log(1.25));
    close(bandwidthOf(layout, data, theta, 0), 80e6);
    close(bandwidthOf(layout, data, theta, 4), 40e6);
    close(bandwidthOf(layout, data, theta, 2), 100e6 * (1 + 0.25 * 0.25));
    close(bandwidthOf(layout, data, theta, 7), 100e6 * 0.5 * (1 + 0.25 * 0.5));
  });
  await t.step("fitQuantities() unpacks theta", () => {
    const q = fitQuantities(layout, data, options);
    const theta = Float64Array.of(Math.log(100e6), Math.log(80e6), Math.log(0.5), Math.log(1.25));
    assert.equal(q.baseline, null);
    close(q.byMethod!["kvm-postcopy"]!(theta), 100e6);
    close(q.byMethod!["xen-precopy"]!(theta), 80e6);
    assert.equal(q.factors.none, null);
    close(q.factors.cpu!(theta), 0.5);
    close(q.extra!(theta), 0.25);
  });
  await t.step("the extra term needs 2 post-copy runs with W > 0", () => {
    const runs = [...MIXED.slice(0, 3), { ...MIXED[3]!, wssBytes: 0 }];
    const few = testData(runs, { extraTerm: "postcopy-workload" }, false);
    assert.throws(
      () => layoutParams(few.data, few.options),
      new RangeError(
        'test: cannot fit extra term "postcopy-workload", expected at least 2 completed "kvm-postcopy" runs with wssBytes > 0 (got 1)',
      ),
    );
  });
});

Deno.test("fitQuantities() with one B for all methods gives factors as ratios to the baseline", () => {
  const { data, options } = testData(postcopyRuns(100e6, { none: 1, cpu: 0.5 }));
  const layout = layoutParams(data, options);
  const q = fitQuantities(layout, data, options);
  const theta = Float64Array.of(Math.log(30e6), Math.log(120e6));
  close(q.baseline!(theta), 120e6);
  assert.equal(q.byMethod, null);
  close(q.factors.cpu!(theta), 0.25);
  assert.equal(q.factors.none!(theta), 1);
  assert.equal(q.extra, null);
});

Deno.test("medianOf() equals the sorting median, duplicates and even counts included", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })), {
        minLength: 1,
        maxLength: 60,
      }),
      (values) => {
        const finite = values.map((v) => (Number.isFinite(v) && !Object.is(v, -0) ? v : 1));
        assert.equal(medianOf(Float64Array.from(finite)), median(finite));
      },
    ),
  );
});
