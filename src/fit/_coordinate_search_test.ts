import assert from "node:assert/strict";
import { cellStart } from "./_cell_start.ts";
import { createSolver, lossFor } from "./_coordinate_search.ts";
import { layoutParams } from "./_fit_params.ts";
import { close, postcopyRuns, testData, testRun } from "./_testing.ts";
import { synthesizeRuns } from "./synthetic.ts";

Deno.test("lossFor() squares the log ratio or the seconds, Infinity for an unusable estimate", () => {
  const log = lossFor("log");
  close(log(2, 1), Math.LN2 ** 2);
  assert.equal(log(2, 0), Infinity);
  assert.equal(log(2, -1), Infinity);
  assert.equal(log(2, NaN), Infinity);
  assert.equal(log(2, Infinity), Infinity);
  const seconds = lossFor("seconds");
  assert.equal(seconds(3, 1), 4);
  assert.equal(seconds(3, -1), 16);
  assert.equal(seconds(3, Infinity), Infinity);
});

Deno.test("createSolver() finds each group's B in one cycle when the groups are independent", () => {
  const { data, options } = testData(postcopyRuns(100e6, { none: 1, cpu: 0.5 }));
  const layout = layoutParams(data, options);
  const solution = createSolver(data, layout, options, lossFor("log"))(null, null);
  assert.equal(solution.converged, true);
  assert.equal(solution.iterations, 1);
  close(solution.theta[0]!, Math.log(50e6), 1e-8); // cpu
  close(solution.theta[1]!, Math.log(100e6), 1e-8); // none
});

Deno.test("createSolver() weights each run by its count", async (t) => {
  // T = M/B: on log time the optimum ln B is the weighted mean
  // of ln(M/T); on seconds, 1/B = Σ w·T·M / Σ w·M².
  const runs = [[2 ** 30, 10], [2 ** 31, 22], [2 ** 32, 30]].map(([m, s]) =>
    testRun({ method: "kvm-postcopy", memoryBytes: m!, wssBytes: 0, migrationTimeSeconds: s! })
  );
  const weights = Float64Array.of(2, 1, 0);
  await t.step("log objective", () => {
    const { data, options } = testData(runs, {}, false);
    const solve = createSolver(data, layoutParams(data, options), options, lossFor("log"));
    const expected = (2 * Math.log(2 ** 30 / 10) + Math.log(2 ** 31 / 22)) / 3;
    close(solve(weights, null).theta[0]!, expected, 1e-8);
    close(
      solve(null, null).theta[0]!,
      (Math.log(2 ** 30 / 10 * 2 ** 31 / 22 * 2 ** 32 / 30)) / 3,
      1e-8,
    );
  });
  await t.step("seconds objective", () => {
    const { data, options } = testData(runs, { objective: "seconds" }, false);
    const solve = createSolver(data, layoutParams(data, options), options, lossFor("seconds"));
    const inverse = (2 * 10 * 2 ** 30 + 22 * 2 ** 31) / (2 * 2 ** 60 + 2 ** 62);
    close(Math.exp(-solve(weights, null).theta[0]!), inverse, 1e-6);
  });
});

Deno.test("cellStart() and createSolver() recover coupled levels and factors", async (t) => {
  // Noiseless synthetic runs (not measured): both methods at 100 MB/s, cpu at 0.5.
  const runs = synthesizeRuns({
    methods: ["xen-precopy", "kvm-postcopy"],
    factors: { none: 1, cpu: 0.5 },
    bandwidthBytesPerSecond: 100e6,
    noise: 0,
    repeats: 1,
  });
  const { data, options } = testData(runs, { bandwidthPer: "method" });
  const layout = layoutParams(data, options);
  assert.deepEqual(layout.params.map((p) => p.name), ["kvm-postcopy", "xen-precopy", "cpu"]);
  const truth = [Math.log(100e6), Math.log(100e6), Math.log(0.5)];
  const loss = lossFor("log");
  const solve = createSolver(data, layout, options, loss);
  await t.step("from the cells", () => {
    const start = cellStart(data, layout, options, loss);
    truth.forEach((x, k) => assert.ok(Math.abs(start[k]! - x) < 1e-6, `start ${k}: ${start[k]}`));
    const solution = solve(null, start);
    assert.equal(solution.converged, true);
    assert.ok(solution.iterations >= 2);
    truth.forEach((x, k) => assert.ok(Math.abs(solution.theta[k]! - x) < 1e-6, `theta ${k}`));
  });
  await t.step("from the crude centres", () => {
    const solution = solve(null, null);
    assert.equal(solution.converged, true);
    assert.ok(solution.iterations >= 2);
    truth.forEach((x, k) => assert.ok(Math.abs(solution.theta[k]! - x) < 1e-6, `theta ${k}`));
  });
});
