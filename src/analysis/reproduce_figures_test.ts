import assert from "node:assert/strict";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { SMALL_GRID } from "./_test_runs.ts";
import { reproduceFigures } from "./reproduce_figures.ts";

// SYNTHETIC runs from the models with known B and factors (not measurements).
const truth = { seed: 11, ...SMALL_GRID };
const source = { description: "synthesizeRuns seed 11", synthetic: true };

Deno.test("reproduceFigures() fits each method and builds Figures 5, 6 and 3", async (t) => {
  const runs = synthesizeRuns(truth);
  const result = reproduceFigures(runs, {
    source,
    provenance: { dataset: "test" },
    resamples: 20,
    folds: 3,
  });

  await t.step("one fit per method, recovering the true B and factor", () => {
    assert.deepEqual(Object.keys(result.fits), ["xen-precopy", "kvm-precopy", "kvm-postcopy"]);
    for (const fit of Object.values(result.fits)) {
      assert.ok(Math.abs(fit.bandwidth!.value / 112.5e6 - 1) < 0.02, String(fit.bandwidth!.value));
      assert.ok(Math.abs(fit.factors.network!.value - 0.4) < 0.02);
    }
    assert.deepEqual(result.notFitted, {});
  });

  await t.step("estimates for completed runs, NaN for the others", () => {
    assert.equal(result.estimatesSeconds.length, runs.length);
    runs.forEach((run, i) => {
      const estimate = result.estimatesSeconds[i]!;
      if (run.status === "completed") assert.ok(estimate > 0);
      else assert.ok(Number.isNaN(estimate));
    });
  });

  await t.step("figures: pre-copy rows in Figure 5, post-copy in Figure 6, all synthetic", () => {
    assert.deepEqual(result.fig5!.panels[0]!.plot.fy!.domain, ["xen-precopy", "kvm-precopy"]);
    assert.deepEqual(result.fig6!.panels[0]!.plot.fy!.domain, ["kvm-postcopy"]);
    for (const figure of [result.fig5!, result.fig6!, result.fig3]) {
      assert.ok(figure.title.startsWith("SYNTHETIC DATA"), figure.title);
      assert.match(figure.caption, /SYNTHETIC/);
    }
    // Figure 3 runs at the fitted KVM pre-copy B.
    const b = result.fits["kvm-precopy"]!.bandwidth!.value;
    assert.ok(result.fig3.caption.includes(`${(b * 8e-6).toFixed(1)} Mbit/s`));
  });

  await t.step("the report states synthetic data, B, factors and metrics per contention", () => {
    const md = result.reportMarkdown;
    assert.match(md, /\*\*SYNTHETIC DATA\.\*\*/);
    assert.match(md, /### Xen pre-copy\n\n- B = \*\*\d+\.\d Mbit\/s\*\*/);
    assert.match(md, /\| kvm-postcopy \| network \| \d+ \|/);
    assert.match(md, /3-fold cross-validation/);
    assert.match(md, /\| dataset \| test \|/);
    assert.ok(!md.includes("measured, synthesizeRuns"));
  });
});

Deno.test("reproduceFigures() lists a method it cannot fit instead of dropping it", () => {
  const runs = synthesizeRuns({ ...truth, methods: ["kvm-postcopy", "xen-precopy"] })
    .map((run) =>
      run.method === "xen-precopy" && run.contention === "none"
        ? { ...run, contention: "cpu" } // no baseline group left for Xen
        : run
    );
  const result = reproduceFigures(runs, { source, resamples: 0, folds: 2 });
  assert.deepEqual(Object.keys(result.fits), ["kvm-postcopy"]);
  assert.match(result.notFitted["xen-precopy"]!, /baseline/);
  assert.equal(result.fig5, null);
  assert.match(result.reportMarkdown, /### Xen pre-copy: not fitted/);
});

Deno.test("reproduceFigures() rejects bad input", () => {
  assert.throws(
    () => reproduceFigures("runs" as unknown as [], { source }),
    new TypeError('reproduceFigures: invalid runs, expected an array (got "runs")'),
  );
  assert.throws(
    () => reproduceFigures([], { source: { description: "x" } as unknown as typeof source }),
    new TypeError(
      'reproduceFigures: invalid option "source", expected { description: string, synthetic: boolean } (got {"description":"x"})',
    ),
  );
  assert.throws(
    () => reproduceFigures([], { source }),
    new RangeError(
      "reproduceFigures: invalid runs, expected at least one method that can be fitted (got {})",
    ),
  );
});

Deno.test("reproduceFigures() leaves out a contention group with one run and says so", () => {
  const base = synthesizeRuns({ ...truth, methods: ["kvm-postcopy"] });
  const lone = { ...base[0]!, contention: "memory" }; // the only "memory" run
  const result = reproduceFigures([...base, lone], { source, resamples: 0, folds: 2 });
  assert.deepEqual(result.leftOut, [
    "kvm-postcopy / memory: 1 completed run, a factor needs at least 2",
  ]);
  assert.ok(Number.isNaN(result.estimatesSeconds[base.length]!));
  assert.deepEqual(Object.keys(result.fits["kvm-postcopy"]!.factors).sort(), ["network", "none"]);
  assert.match(result.fig6!.caption, /Not shown \(not fitted\): kvm-postcopy \/ memory/);
  assert.match(
    result.reportMarkdown,
    /Left out of the fits \(and the figures\):\n\n- kvm-postcopy/,
  );
});
