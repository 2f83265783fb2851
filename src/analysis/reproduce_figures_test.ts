import assert from "node:assert/strict";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { render } from "../plot/render.ts";
import { type AxisLabels, axisLabels, overlaps, rows } from "../plot/_test_svg.ts";
import { oddGridRuns, SMALL_GRID, syntheticSweepRuns, tenGigabitRuns } from "./_test_runs.ts";
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
    {
      name: "NothingToFitError",
      message:
        "reproduceFigures: invalid runs, expected at least one method that can be fitted (got {})",
    },
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

/** Every axis of a rendered figure: labels present, no duplicates in a facet, no overlaps. */
function checkAxes(svg: string, what: string): AxisLabels[] {
  const xs = axisLabels(svg, "x");
  assert.ok(xs.length > 0, `${what}: no x tick labels`);
  const ys = axisLabels(svg, "y");
  for (const axis of [...xs, ...ys]) {
    const along = xs.includes(axis) ? "x" : "y";
    assert.ok(axis.labels.length > 0, `${what}: a ${along} axis without labels`);
    assert.equal(new Set(axis.labels).size, axis.labels.length, `${what}: ${axis.labels}`);
  }
  // No label overlaps another, in its facet or the neighbouring one.
  for (const row of rows(xs)) assert.deepEqual(overlaps(row, "x"), [], `${what}: x labels overlap`);
  for (const row of rows(ys)) assert.deepEqual(overlaps(row, "y"), [], `${what}: y labels overlap`);
  return xs;
}

/** The x tick labels of the first facet of each panel. */
function firstFacetLabels(axes: readonly AxisLabels[]): string[][] {
  const seen = new Set<number>();
  return axes.filter((a) => !seen.has(a.panel) && seen.add(a.panel)).map((a) => a.labels);
}

Deno.test("reproduceFigures() draws odd grids with readable axes and captions", async (t) => {
  const cases = [
    { name: "40 runs, 4 GiB over 10 Gbit/s, one dirty rate per run", runs: tenGigabitRuns(5) },
    { name: "odd grid, scattered rates, requested rates given", runs: oddGridRuns(6, true) },
    { name: "odd grid, scattered rates, no requested rates", runs: oddGridRuns(6, false) },
  ];
  for (const { name, runs } of cases) {
    await t.step(name, () => {
      const result = reproduceFigures(runs, {
        source: { description: `SYNTHETIC test runs: ${name}`, synthetic: true },
        resamples: 0,
        folds: 2,
      });
      for (const figure of [result.fig5!, result.fig6!, result.fig3]) {
        assert.ok(!/\(\s*\)/.test(figure.caption), figure.caption);
        const xs = checkAxes(render(figure), `${name}: ${figure.title}`);
        // Every panel's ticks are the same (one shared x axis), at least two of them.
        for (const labels of firstFacetLabels(xs)) assert.ok(labels.length >= 2, String(labels));
      }
      // Figure 3's time axis is log: labelled ticks in each column.
      const time = axisLabels(render(result.fig3), "y").filter((a) => a.panel === 0);
      assert.ok(time.every((a) => a.labels.length >= 3), JSON.stringify(time));
      // Runs that did not converge are drawn as crosses, one per run, and named in the legend.
      const stuck = runs.filter((r) => r.method === "kvm-precopy" && r.status !== "completed");
      assert.ok(stuck.length > 0);
      const crosses = result.fig5!.panels[0]!.plot.marks![4] as { data: unknown[] };
      assert.equal(crosses.data.length, stuck.length);
      assert.ok(result.fig5!.legends[1]!.items.some((item) => item.symbol === "cross"));
      assert.match(
        result.fig5!.caption,
        new RegExp(`Crosses: ${stuck.length === 1 ? "a run" : `${stuck.length} runs`} that did`),
      );
    });
  }

  await t.step("rates per run: 1-2-5 bins, said in the caption", () => {
    const result = reproduceFigures(tenGigabitRuns(5), { source, resamples: 0, folds: 2 });
    const x = result.fig5!.panels[0]!.plot.x!;
    const ticks = x.ticks as number[];
    assert.ok(ticks.length >= 3 && ticks.length <= 7, String(ticks));
    for (const tick of ticks) assert.match(String(tick), /^[125]0*$/);
    assert.match(result.fig5!.caption, /bins at 1-2-5 values/);
    // Figure 3: the dataset's one WSS at its highest rate bin, model only (no limits in the runs).
    const columns = result.fig3.panels[0]!.plot.fx!.domain as string[];
    assert.equal(columns.length, 1);
    assert.match(columns[0]!, /^\(a\) WSS 1024 MiB, [125]0+ pages\/s$/);
    assert.match(result.fig3.caption, /Columns: no downtime limit sweep was given, so the one WSS/);
  });

  await t.step("requested rates: the bins are the requested rates", () => {
    const result = reproduceFigures(oddGridRuns(6, true), { source, resamples: 0, folds: 2 });
    const points = result.fig5!.panels[0]!.plot.marks![3] as {
      data: { dirtyPagesPerSecond: number }[];
    };
    assert.deepEqual(
      [...new Set(points.data.map((p) => p.dirtyPagesPerSecond))].sort((a, b) => a - b),
      [700, 3000, 9000, 40000, 90000],
    );
    assert.deepEqual(result.fig5!.panels[0]!.plot.x!.ticks, [700, 3000, 9000, 40000, 90000]);
    // Figure 3: smallest, middle and largest of the 4 WSS at 90000 pages/s.
    assert.deepEqual(
      (result.fig3.panels[0]!.plot.fx!.domain as string[]).map((l) => l.split(",")[0]),
      ["(a) WSS 0 MiB", "(b) WSS 100 MiB", "(c) WSS Full (3072 MiB)"],
    );
    assert.match(
      result.fig3.caption,
      /smallest, middle and largest of 4 WSS .* \(90000 pages\/s\)/,
    );
  });

  await t.step("no sweep: the dataset's KVM pre-copy runs drawn at their limit", () => {
    const runs = oddGridRuns(6, true).map((run) =>
      run.method === "kvm-precopy"
        ? { ...run, downtimeLimitSeconds: 0.3, timeoutSeconds: 120 }
        : run
    );
    const result = reproduceFigures(runs, { source, resamples: 0, folds: 2 });
    // The uncontended runs at 90000 pages/s of WSS 0, 100 MiB and Full, 3 repeats each.
    const drawn = runs.filter((r) =>
      r.method === "kvm-precopy" && r.contention === "none" &&
      r.requestedDirtyPagesPerSecond === 90000 && r.wssBytes !== 700 * 2 ** 20
    );
    assert.equal(drawn.length, 9);
    const marks = result.fig3.panels[0]!.plot.marks! as { data: { outcome: string }[] }[];
    const rings = marks[4]!.data;
    const crosses = marks[5]!.data;
    assert.equal(rings.length + crosses.length, drawn.length);
    assert.equal(crosses.length, drawn.filter((r) => r.status === "non-convergent").length);
    assert.ok(crosses.length > 0 && rings.length > 0);
    assert.match(result.fig3.caption, /Rings: 9 measured runs/);
    assert.match(result.fig3.caption, /cancelled at 120 s/);
    assert.match(result.fig3.caption, /, drawn at their downtime limit\./);
  });

  await t.step("a sweep of five workloads: five columns, labels apart", () => {
    const sweepRuns = syntheticSweepRuns([0, 128, 256, 512, "full"]);
    const result = reproduceFigures(synthesizeRuns(truth), {
      source,
      resamples: 0,
      folds: 2,
      downtimeSweep: { runs: sweepRuns, source: { description: "model sweep", synthetic: true } },
    });
    const columns = result.fig3.panels[0]!.plot.fx!.domain as string[];
    assert.deepEqual(columns.map((l) => l.split(",")[0]), [
      "(a) WSS 0 MiB",
      "(b) WSS 128 MiB",
      "(c) WSS 256 MiB",
      "(d) WSS 512 MiB",
      "(e) WSS Full (1536 MiB)",
    ]);
    const xs = checkAxes(render(result.fig3), "five workloads");
    assert.equal(xs.filter((a) => a.panel === 1).length, 5);
    assert.match(result.fig3.caption, /Columns: the 5 workloads of the measured sweep/);
  });
});
