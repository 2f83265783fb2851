import assert from "node:assert/strict";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { SMALL_GRID, sweepRun } from "./_test_runs.ts";
import { analyzeReproduction } from "./analyze_reproduction.ts";
import { compareSweepWithModel, downtimeLimitSweep } from "./downtime_limit_sweep.ts";

// SYNTHETIC runs from the models with known B and factors (not measurements).
const truth = { seed: 12, ...SMALL_GRID };
const source = { description: "synthesizeRuns seed 12", synthetic: true };

Deno.test("analyzeReproduction() gives the data the figures and the report are drawn from", async (t) => {
  const runs = synthesizeRuns(truth);
  const analysis = analyzeReproduction(runs, { source, resamples: 5, folds: 3 });

  await t.step("fits, estimates and counts, with the resolved settings", () => {
    assert.deepEqual(Object.keys(analysis.fits), ["xen-precopy", "kvm-precopy", "kvm-postcopy"]);
    assert.deepEqual(Object.keys(analysis.crossValidation), Object.keys(analysis.fits));
    assert.equal(analysis.estimatesSeconds.length, runs.length);
    assert.deepEqual(analysis.settings, { resamples: 5, folds: 3, seed: 1 });
    assert.equal(analysis.runCounts.reduce((sum, c) => sum + c.runs, 0), runs.length);
    assert.deepEqual(
      [...new Set(analysis.runCounts.map((c) => c.method))],
      ["xen-precopy", "kvm-precopy", "kvm-postcopy"],
    );
  });

  await t.step("Figures 5 and 6: the runs of their methods with their estimates", () => {
    const pre = analysis.fig5!;
    assert.ok(pre.runs.every((r) => r.method !== "kvm-postcopy"));
    assert.equal(pre.runs.length, pre.estimatesSeconds.length);
    assert.deepEqual(pre.options.fitted!.map((f) => f.label), ["Xen pre-copy", "KVM pre-copy"]);
    assert.match(pre.options.note!, /^Intervals: percentile bootstrap over runs .* 5 resamples/);
    const post = analysis.fig6!;
    assert.ok(post.runs.every((r) => r.method === "kvm-postcopy"));
    const completed = post.runs.map((r, i) => [r, post.estimatesSeconds[i]!] as const)
      .filter(([r]) => r.status === "completed");
    assert.ok(completed.every(([, estimate]) => estimate > 0));
  });

  await t.step("Figure 3's curves run at the fitted KVM pre-copy B", () => {
    const b = analysis.fits["kvm-precopy"]!.bandwidth!.value;
    assert.equal(analysis.fig3.curves.bandwidthBytesPerSecond, b);
    assert.equal(analysis.fig3.curves.memoryBytes, runs[0]!.memoryBytes);
    assert.match(analysis.fig3.options.bandwidthSource!.description, /KVM pre-copy fit$/);
    assert.equal(analysis.fig3.options.measured, undefined);
    assert.equal(analysis.sweep, undefined);
    assert.deepEqual(analysis.sweepComparison, []);
  });
});

Deno.test("analyzeReproduction() compares a measured sweep with the model at the fitted B", () => {
  const runs = synthesizeRuns({ ...truth, methods: ["kvm-precopy"] });
  const sweepRuns = [
    sweepRun(2 ** 27, 0.6, "non-convergent", 40),
    sweepRun(2 ** 27, 1.2, "completed", 13.9),
    sweepRun(2 ** 27, 2, "failed", 3),
  ];
  const sweepSource = { description: "hand-made sweep", synthetic: true };
  const analysis = analyzeReproduction(runs, {
    source,
    resamples: 0,
    folds: 2,
    downtimeSweep: { runs: sweepRuns, source: sweepSource },
  });
  const b = analysis.fits["kvm-precopy"]!.bandwidth!.value;
  const sweep = downtimeLimitSweep(sweepRuns);
  assert.deepEqual(analysis.sweepComparison, compareSweepWithModel(sweep, b));
  assert.deepEqual(analysis.fig3.curves.workloads, sweep.workloads);
  assert.equal(analysis.fig3.curves.timeoutSeconds, 40);
  assert.equal(analysis.fig3.options.measured!.length, 2);
  assert.equal(analysis.fig3.options.measuredSource, sweepSource);
  assert.deepEqual(analysis.sweep!.leftOut, { failed: 1 });
  assert.equal(analysis.sweep!.source, sweepSource);
});

Deno.test("analyzeReproduction() rejects bad input in its own name", () => {
  assert.throws(
    () => analyzeReproduction("runs" as unknown as [], { source }),
    new TypeError('analyzeReproduction: invalid runs, expected an array (got "runs")'),
  );
  assert.throws(
    () => analyzeReproduction([], { source, folds: 0 }),
    new RangeError(
      'analyzeReproduction: invalid option "folds", expected an integer >= 1 (got 0)',
    ),
  );
  assert.throws(
    () => analyzeReproduction([], { source }),
    {
      name: "NothingToFitError",
      message:
        "analyzeReproduction: invalid runs, expected at least one method that can be fitted (got {})",
    },
  );
});
