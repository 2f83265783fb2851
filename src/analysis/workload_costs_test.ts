import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { figureWorkloadCostSpec } from "../plot/figure_workload_cost_spec.ts";
import { SMALL_GRID } from "./_test_runs.ts";
import { analyzeReproduction } from "./analyze_reproduction.ts";
import { costFigures } from "./cost_figures.ts";
import { measuredCost, workloadCosts } from "./workload_costs.ts";
import { modelDowntimes, modelTimes, nominalRuns } from "./workload_models.ts";

/** A hand-made SYNTHETIC run. */
function run(over: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "cpu",
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 15000,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    downtimeSeconds: 0.3,
    requestedDirtyPagesPerSecond: 15360,
    requestedWssBytes: 2 ** 26,
    status: "completed",
    extra: { source: "synthetic" },
    ...over,
  };
}

Deno.test("workloadCosts() groups repeats by method, contention and nominal workload", async (t) => {
  const runs = [
    run({ downtimeSeconds: 0.2 }),
    run({ downtimeSeconds: 0.4, dirtyPagesPerSecond: 14000 }),
    run({ method: "kvm-postcopy", downtimeSeconds: 0.005 }),
    run({ contention: "network", wssBytes: 2 ** 30, requestedWssBytes: 2 ** 30 }),
    run({ status: "non-convergent" }),
    run({ contention: "none" }),
  ];
  const costs = workloadCosts(runs, { quantity: "downtimeSeconds" });
  await t.step("means, spreads, axis and what was left out", () => {
    const pre = costs.points.find((p) => p.method === "kvm-precopy" && p.contention === "cpu")!;
    assert.equal(pre.repeats, 2);
    assert.ok(Math.abs(pre.mean - 0.3) < 1e-12);
    assert.deepEqual([pre.min, pre.max], [0.2, 0.4]);
    assert.deepEqual(costs.workloads.map((w) => w.wss), ["64 MiB", "Full"]);
    assert.deepEqual(costs.contentions, ["cpu", "network"]);
    assert.deepEqual(costs.leftOut, {});
    assert.deepEqual(
      costs.incomplete?.map(({ method, contention, wss, status, runs }) => ({
        method,
        contention,
        wss,
        status,
        runs,
      })),
      [{
        method: "kvm-precopy",
        contention: "cpu",
        wss: "64 MiB",
        status: "non-convergent",
        runs: 1,
      }],
    );
    // At its method's offset, as the measured points.
    assert.equal(costs.incomplete![0]!.position, pre.position);
    // Methods are nudged to either side of the workload's position.
    const post = costs.points.find((p) => p.method === "kvm-postcopy")!;
    assert.ok(pre.position < 0 && post.position > 0);
  });
  await t.step("model values are drawn at the nominal workloads, NaN left out", () => {
    const nominal = nominalRuns(runs);
    const values = nominal.map((r, i) => (r.method === "kvm-postcopy" ? Number.NaN : i + 1));
    const withModel = workloadCosts(runs, {
      quantity: "downtimeSeconds",
      model: { runs: nominal, values },
    });
    assert.equal(withModel.model.length, 2); // cpu kvm-precopy and network; postcopy NaN, none not drawn
    assert.ok(withModel.model.every((m) => Number.isInteger(m.position)));
    assert.throws(
      () =>
        workloadCosts(runs, { quantity: "downtimeSeconds", model: { runs: nominal, values: [] } }),
      { name: "RangeError", message: /workloadCosts: invalid option "model"/ },
    );
  });
  await t.step("the progress ratio: measured when given, else the dirty rate proxy", () => {
    assert.deepEqual(measuredCost(run({}), "guestProgressRatio"), {
      value: 15000 / 15360,
      proxy: true,
    });
    assert.deepEqual(
      measuredCost(run({ extra: { guest_progress_ratio: "0.8" } }), "guestProgressRatio"),
      { value: 0.8, proxy: false },
    );
    assert.equal(
      measuredCost(run({ wssBytes: 0, requestedWssBytes: 0 }), "guestProgressRatio"),
      "no progress (WSS 0)",
    );
    assert.equal(measuredCost(run({}), "colocatedProgressRatio"), "no colocated_progress_ratio");
  });
  await t.step("errors", () => {
    assert.throws(
      () => workloadCosts(runs, { quantity: "bytes" as "downtimeSeconds" }),
      { name: "RangeError", message: /workloadCosts: invalid option "quantity"/ },
    );
    assert.throws(
      () =>
        figureWorkloadCostSpec(workloadCosts([], { quantity: "downtimeSeconds" }), {
          source: { description: "", synthetic: true },
          title: "t",
          yLabel: "y",
        }),
      { name: "RangeError", message: /figureWorkloadCostSpec: invalid costs.points/ },
    );
  });
});

Deno.test("costFigures() draws Figures 2, 4 and noise with model lines from the fits (SYNTHETIC)", () => {
  const runs = synthesizeRuns({
    ...SMALL_GRID,
    seed: 4,
    factors: { none: 1, cpu: 0.9, network: 0.4 },
  });
  const { fits } = analyzeReproduction(runs, {
    source: { description: "synthesizeRuns seed 4", synthetic: true },
    resamples: 0,
    folds: 2,
  });
  const nominal = nominalRuns(runs);
  const times = modelTimes(nominal, fits);
  // The synthetic times are the model's with 2 % noise: the measured means lie near the lines.
  const costs = workloadCosts(runs, {
    quantity: "migrationTimeSeconds",
    model: { runs: nominal, values: times },
  });
  for (const point of costs.points) {
    const line = costs.model.find((m) =>
      m.method === point.method && m.contention === point.contention && m.wss === point.wss &&
      m.dirtyPagesPerSecond === point.dirtyPagesPerSecond
    )!;
    assert.ok(Math.abs(point.mean / line.value - 1) < 0.1, JSON.stringify({ point, line }));
  }
  const downtimes = modelDowntimes(nominal, fits);
  const post = nominal.findIndex((r) => r.method === "kvm-postcopy");
  assert.equal(downtimes[post], 0.047);
  const figures = costFigures(runs, fits, {
    source: { description: "synthesizeRuns seed 4", synthetic: true },
    fig1: "no traces",
  });
  assert.ok(figures.fig2!.title.startsWith("SYNTHETIC"));
  assert.equal(figures.fig2!.panels[0]!.plot.y!.type, "log");
  // synthesizeRuns' rows carry no requested rate, so no progress (measured or proxy) to draw.
  assert.equal(figures.noise, null);
  assert.match(figures.notDrawn.noise!, /no completed runs with the quantity/);
  assert.equal(figures.fig1, null);
  assert.equal(figures.notDrawn.fig1, "no traces");
});

Deno.test("costFigures() draws the co-located ratio as rings when the runs have it", () => {
  // Hand-made SYNTHETIC runs with the collector's noise columns.
  const runs = [
    run({ extra: { guest_progress_ratio: 0.9, colocated_progress_ratio: 0.7 } }),
    run({
      method: "kvm-postcopy",
      wssBytes: 0,
      requestedWssBytes: 0,
      extra: { colocated_progress_ratio: 0.8 },
    }),
  ];
  const costs = workloadCosts(runs, {
    quantity: "guestProgressRatio",
    secondary: "colocatedProgressRatio",
  });
  assert.equal(costs.proxyRuns, 0);
  assert.deepEqual(costs.points.map((p) => p.mean), [0.9]);
  assert.deepEqual(costs.secondary!.points.map((p) => p.mean).sort(), [0.7, 0.8]);
  // One axis for both: WSS 0 (co-located only) comes first.
  assert.deepEqual(costs.workloads.map((w) => w.wss), ["0 MiB", "64 MiB"]);
  const figures = costFigures(runs, {}, {
    source: { description: "hand-made", synthetic: true },
    fig1: "none",
  });
  assert.match(figures.noise!.caption, /Rings: the co-located load's measured ratio/);
  assert.equal(figures.noise!.panels[0]!.plot.y!.label, "guest progress ratio");
  assert.deepEqual(figures.progressMedians, [
    { method: "kvm-precopy", contention: "cpu", runs: 1, proxyRuns: 0, median: 0.9 },
  ]);
});
