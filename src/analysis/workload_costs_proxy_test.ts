import assert from "node:assert/strict";
import * as Plot from "../_deps/plot.ts";
import type { MigrationRun } from "../data/types.ts";
import { figureWorkloadCostSpec } from "../plot/figure_workload_cost_spec.ts";
import { workloadCosts } from "./workload_costs.ts";
import { nominalRuns } from "./workload_models.ts";

/** A hand-made SYNTHETIC run (not measured). */
function run(over: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-postcopy",
    contention: "cpu",
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 15000,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    requestedDirtyPagesPerSecond: 15360,
    requestedWssBytes: 2 ** 26,
    status: "completed",
    extra: { source: "synthetic" },
    ...over,
  };
}

function dataOf(mark: unknown): Record<string, unknown>[] {
  return (mark as { data: Record<string, unknown>[] }).data;
}

Deno.test("workloadCosts() keeps measured ratios and proxies of one workload apart", () => {
  const runs = [
    run({ guestProgressRatio: 0.9, colocatedProgressRatio: 0.8 }),
    run({ guestProgressRatio: 0.94, colocatedProgressRatio: 0.9 }),
    run({ dirtyPagesPerSecond: 15360 * 0.97 }), // the proxy: 0.97
  ];
  const nominal = nominalRuns(runs);
  const costs = workloadCosts(runs, {
    quantity: "guestProgressRatio",
    secondary: "colocatedProgressRatio",
    model: { runs: nominal, values: [0.93] },
    secondaryModel: { runs: nominal, values: [0.85] },
  });
  assert.equal(costs.proxyRuns, 1);
  assert.deepEqual(
    costs.points.map((p) => [p.proxy ?? false, p.repeats, Number(p.mean.toFixed(6))]),
    [[false, 2, 0.92], [true, 1, 0.97]],
  );
  assert.deepEqual(
    costs.secondary!.points.map((p) => [p.repeats, Number(p.mean.toFixed(6))]),
    [[2, 0.85]],
  );
  assert.deepEqual(costs.secondary!.model!.map((p) => p.value), [0.85]);

  const figure = figureWorkloadCostSpec(costs, {
    source: { description: "hand-made", synthetic: true },
    title: "Noise",
    yLabel: "guest progress ratio",
    secondaryLabel: "co-located load",
  });
  const marks = figure.panels[0]!.plot.marks!;
  // frame, separators, labels, model line, bars, dots, rings, proxy crosses, co-located model.
  assert.equal(marks.length, 9);
  const dots = marks[5]!;
  const crosses = marks[7]!;
  const dashed = marks[8]!;
  assert.ok(dots instanceof Plot.Dot && crosses instanceof Plot.Dot);
  // Both marks get every point; each keeps its own kind through its filter.
  assert.equal(dataOf(crosses), costs.points);
  assert.ok(dashed instanceof Plot.Line);
  assert.deepEqual(dataOf(dashed), costs.secondary!.model);
  assert.deepEqual(figure.legends[1]!.items.map((i) => i.label), [
    "measured (mean)",
    "proxy (mean, ×)",
    "repeats (min–max)",
    "model",
    "co-located load (ring)",
    "co-located load model (dashed)",
  ]);
  // The y domain holds the secondary model's value too (linear axis from 0).
  assert.equal(figure.panels[0]!.plot.y!.zero, true);
});

Deno.test("workloadCosts() leaves out a ratio above MAX_PROGRESS_RATIO, counted, with no proxy instead", () => {
  const costs = workloadCosts([
    run({ guestProgressRatio: 0.95 }),
    run({ guestProgressRatio: 2.1, colocatedProgressRatio: 1.8 }),
  ], { quantity: "guestProgressRatio", secondary: "colocatedProgressRatio" });
  assert.deepEqual(costs.points.map((p) => p.repeats), [1]);
  assert.equal(costs.proxyRuns, 0);
  assert.deepEqual(costs.leftOut, {
    "kvm-postcopy: guest_progress_ratio above 1.2 (a disturbed baseline)": 1,
  });
  assert.equal(costs.secondary, undefined);
});
