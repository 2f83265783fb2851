import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import {
  type FigureWorkloadCostOptions,
  figureWorkloadCostSpec,
  type WorkloadCostPoint,
  type WorkloadCosts,
  type WorkloadModelPoint,
} from "./figure_workload_cost_spec.ts";

const SYNTHETIC = { description: "hand-made costs", synthetic: true };

/** A hand-made SYNTHETIC measured point. */
function point(over: Partial<WorkloadCostPoint>): WorkloadCostPoint {
  return {
    method: "kvm-precopy",
    contention: "cpu",
    wss: "64 MiB",
    dirtyPagesPerSecond: 1024,
    position: 0,
    mean: 0.2,
    min: 0.2,
    max: 0.2,
    repeats: 1,
    ...over,
  };
}

/** A hand-made model point. */
function model(over: Partial<WorkloadModelPoint>): WorkloadModelPoint {
  return {
    method: "kvm-precopy",
    contention: "cpu",
    wss: "64 MiB",
    dirtyPagesPerSecond: 1024,
    position: 0,
    value: 0.25,
    ...over,
  };
}

// Three workloads: 64 MiB at 1024 and 15,360 pages/s, Full at 1024 pages/s; three methods,
// two contentions; 3 configurations from 1 + 3 + 1 = 5 runs.
const COSTS: WorkloadCosts = {
  quantity: "downtimeSeconds",
  contentions: ["cpu", "network"],
  methods: ["xen-precopy", "kvm-precopy", "kvm-postcopy"],
  workloads: [
    { wss: "64 MiB", dirtyPagesPerSecond: 1024, position: 0 },
    { wss: "64 MiB", dirtyPagesPerSecond: 15360, position: 1 },
    { wss: "Full", dirtyPagesPerSecond: 1024, position: 2 },
  ],
  points: [
    point({ method: "xen-precopy", position: -0.11, mean: 0.4, min: 0.4, max: 0.4 }),
    point({
      position: 1,
      dirtyPagesPerSecond: 15360,
      mean: 0.3,
      min: 0.1,
      max: 0.6,
      repeats: 3,
    }),
    point({
      method: "kvm-postcopy",
      contention: "network",
      wss: "Full",
      position: 2.11,
      mean: 0.005,
      min: 0.005,
      max: 0.005,
    }),
  ],
  model: [
    model({ value: 0.25 }),
    model({ position: 1, dirtyPagesPerSecond: 15360, value: 0.9 }),
    model({ method: "kvm-postcopy", contention: "network", wss: "Full", position: 2, value: 0 }),
  ],
  leftOut: { "kvm-precopy: no downtime": 2 },
  proxyRuns: 0,
};

const OPTIONS: FigureWorkloadCostOptions = {
  source: SYNTHETIC,
  title: "Figure 2: downtime",
  yLabel: "downtime (s, log scale)",
  logY: true,
  modelNote: "Lines: a hand-made model.",
  note: "One more sentence.",
};

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): Record<string, unknown>[] {
  return (mark as { data: Record<string, unknown>[] }).data;
}

/** A mark's channel value (a field name or a function). */
function channel(mark: unknown, name: string): unknown {
  return (mark as { channels: Record<string, { value: unknown }> }).channels[name]?.value;
}

Deno.test("figureWorkloadCostSpec() draws the costs against the workload", async (t) => {
  const figure = figureWorkloadCostSpec(COSTS, OPTIONS);
  const plot = figure.panels[0]!.plot;

  await t.step("x runs through the workloads, labelled by dirty rate", () => {
    assert.equal(figure.panels.length, 1);
    assert.deepEqual(plot.x!.domain, [-0.6, 2.6]);
    assert.deepEqual(plot.x!.ticks, [0, 1, 2]);
    const format = plot.x!.tickFormat as (v: number) => string;
    assert.deepEqual([0, 1, 2, 0.5].map(format), ["1024", "15360", "1024", ""]);
    assert.equal(plot.x!.label, "dirty rate (pages/s) within each WSS group");
    assert.equal(plot.x!.tickRotate, undefined);
    assert.equal(plot.marginBottom, 44);
  });

  await t.step("a log y axis spans the finite positive values, half again either side", () => {
    assert.equal(plot.y!.type, "log");
    assert.equal(plot.y!.label, "downtime (s, log scale)");
    // Values: measured 0.005-0.6, model 0.25 and 0.9 (the model's 0 cannot sit on a log axis).
    const [lo, hi] = plot.y!.domain as number[];
    assert.ok(Math.abs(lo! - 0.005 / 1.5) < 1e-15, String(lo));
    assert.ok(Math.abs(hi! - 0.9 * 1.5) < 1e-12, String(hi));
    assert.equal(plot.y!.zero, undefined);
  });

  await t.step("one facet row per contention, lettered; methods in their colours", () => {
    assert.deepEqual(plot.fy!.domain, ["(a) cpu contention", "(b) network contention"]);
    assert.equal(plot.height, 300 * 2 + 80);
    assert.deepEqual(plot.color!.domain, ["xen-precopy", "kvm-precopy", "kvm-postcopy"]);
    assert.deepEqual(plot.color!.range, ["#000000", "#0072B2", "#D55E00"]);
    assert.equal(plot.width, 1100);
    assert.equal(figure.widthPixels, 1100);
  });

  await t.step("marks: group separators and labels, model lines, bars, dots", () => {
    const [frame, separators, labels, line, bars, dots, rings] = plot.marks!;
    assert.equal(plot.marks!.length, 7);
    assert.ok(frame instanceof Plot.Frame);
    assert.ok(separators instanceof Plot.RuleX);
    // The 64 MiB group holds positions 0-1 and Full position 2: one separator at 1.5.
    assert.deepEqual(dataOf(separators), [1.5]);
    assert.ok(labels instanceof Plot.Text);
    assert.deepEqual(dataOf(labels), [
      { wss: "64 MiB", position: 0.5 },
      { wss: "Full", position: 2 },
    ]);
    assert.ok(line instanceof Plot.Line);
    assert.equal(dataOf(line), COSTS.model);
    assert.equal(channel(line, "y"), "value");
    const z = channel(line, "z") as (d: WorkloadModelPoint) => string;
    assert.equal(z(COSTS.model[2]!), "kvm-postcopy|Full");
    const fy = (line as unknown as { fy: (d: { contention: string }) => string }).fy;
    assert.equal(fy({ contention: "network" }), "(b) network contention");
    assert.equal(fy({ contention: "memory" }), "memory");
    // Bars only for configurations with more than one repeat.
    assert.ok(bars instanceof Plot.RuleX);
    assert.deepEqual(dataOf(bars).map((p) => p.repeats), [3]);
    assert.equal(channel(bars, "y1"), "min");
    assert.equal(channel(bars, "y2"), "max");
    assert.ok(dots instanceof Plot.Dot);
    assert.equal(dataOf(dots), COSTS.points);
    assert.equal(channel(dots, "y"), "mean");
    assert.equal(channel(dots, "fill"), "method");
    assert.ok(rings instanceof Plot.Dot);
    assert.deepEqual(dataOf(rings), []);
  });

  await t.step("title, subtitle, legends and caption", () => {
    assert.equal(figure.title, "SYNTHETIC DATA: Figure 2: downtime");
    assert.equal(
      figure.subtitle,
      "Xen pre-copy, KVM pre-copy, KVM post-copy against the workload (WSS groups, dirty rate within each); panels: (a) cpu contention, (b) network contention",
    );
    assert.deepEqual(figure.legends.map((l) => l.label), ["Method", "Marks"]);
    assert.deepEqual(figure.legends[0]!.items, [
      { label: "Xen pre-copy", color: "#000000", symbol: "dot" },
      { label: "KVM pre-copy", color: "#0072B2", symbol: "dot" },
      { label: "KVM post-copy", color: "#D55E00", symbol: "dot" },
    ]);
    assert.deepEqual(figure.legends[1]!.items.map((i) => [i.label, i.symbol]), [
      ["measured (mean)", "dot"],
      ["repeats (min–max)", "range"],
      ["model", "line"],
    ]);
    assert.match(figure.caption, /^Data: SYNTHETIC, .*\(hand-made costs\)\. /);
    assert.ok(figure.caption.includes("3 configurations from 5 runs;"), figure.caption);
    assert.ok(figure.caption.includes("Not drawn: 2 kvm-precopy: no downtime."), figure.caption);
    assert.ok(
      figure.caption.endsWith("Lines: a hand-made model. One more sentence."),
      figure.caption,
    );
  });
});

Deno.test("figureWorkloadCostSpec() draws runs that did not complete as triangles at the top", () => {
  const incomplete = [
    { ...point({ position: 0.89 }), status: "non-convergent", runs: 2 },
    { ...point({ position: 1.89, contention: "network" }), status: "non-convergent", runs: 1 },
  ].map(({ method, contention, wss, dirtyPagesPerSecond, position, status, runs }) => ({
    method,
    contention,
    wss,
    dirtyPagesPerSecond,
    position,
    status,
    runs,
  }));
  const figure = figureWorkloadCostSpec({ ...COSTS, leftOut: {}, incomplete }, OPTIONS);
  const triangles = figure.panels[0]!.plot.marks!.at(-1)!;
  assert.ok(triangles instanceof Plot.Dot);
  assert.equal(dataOf(triangles), incomplete);
  assert.equal((triangles as unknown as { frameAnchor: string }).frameAnchor, "top");
  assert.equal(channel(triangles, "y"), undefined);
  assert.equal(channel(triangles, "stroke"), "method");
  assert.deepEqual(
    figure.legends[1]!.items.find((i) => i.symbol === "triangle"),
    { label: "did not complete (top)", color: "#333", symbol: "triangle" },
  );
  assert.ok(
    figure.caption.includes(
      "Triangles at the top of a panel: a configuration's runs that did not complete, so have no value (3 kvm-precopy non-convergent).",
    ),
    figure.caption,
  );
  assert.ok(!figure.caption.includes("Not drawn"), figure.caption);
  // Without incomplete runs there is no triangle mark, legend item or sentence.
  const without = figureWorkloadCostSpec(COSTS, OPTIONS);
  assert.equal(without.legends[1]!.items.some((i) => i.symbol === "triangle"), false);
  assert.ok(!without.caption.includes("Triangles"));
});

Deno.test("figureWorkloadCostSpec() without a model, with rings and a reference line", () => {
  const secondary = {
    quantity: "colocatedProgressRatio",
    points: [point({ method: "kvm-postcopy", position: 0.11, mean: 0.7, min: 0.7, max: 0.7 })],
  };
  const figure = figureWorkloadCostSpec(
    { ...COSTS, model: [], leftOut: {}, secondary, methods: ["kvm-precopy", "a", "b"] },
    {
      source: { description: "", synthetic: false },
      title: "Noise",
      yLabel: "guest progress ratio",
      reference: 1,
      modelNote: "not shown without a model",
      secondaryLabel: "co-located load",
      widthPixels: 800,
    },
  );
  const plot = figure.panels[0]!.plot;
  assert.equal(figure.title, "Noise");
  assert.equal(plot.y!.type, "linear");
  assert.equal(plot.y!.zero, true);
  assert.equal(plot.y!.domain, undefined);
  assert.equal(plot.width, 800);
  // Methods outside the paper's three take the next colours in turn.
  assert.deepEqual(plot.color!.range, ["#0072B2", "#009E73", "#CC79A7"]);
  // The reference rule comes before the model line.
  const reference = plot.marks![3];
  assert.ok(reference instanceof Plot.RuleY);
  assert.deepEqual(dataOf(reference), [1]);
  assert.equal(plot.marks!.length, 8);
  assert.deepEqual(dataOf(plot.marks![7]), secondary.points);
  assert.equal(channel(plot.marks![7], "stroke"), "method");
  assert.deepEqual(figure.legends[1]!.items.map((i) => [i.label, i.symbol]), [
    ["measured (mean)", "dot"],
    ["repeats (min–max)", "range"],
    ["co-located load (ring)", "ring"],
  ]);
  assert.ok(figure.caption.startsWith("Data: measured. 3 configurations"), figure.caption);
  assert.ok(
    figure.caption.endsWith("No model line: no model of this quantity is fitted yet."),
    figure.caption,
  );
  assert.doesNotMatch(figure.caption, /Not drawn|not shown without a model/);
});

Deno.test("figureWorkloadCostSpec() tilts the rate labels past 12 workloads", () => {
  const workloads = Array.from({ length: 13 }, (_, k) => ({
    wss: "64 MiB",
    dirtyPagesPerSecond: 1024 * (k + 1),
    position: k,
  }));
  const plot = figureWorkloadCostSpec({ ...COSTS, workloads }, OPTIONS).panels[0]!.plot;
  assert.equal(plot.x!.tickRotate, -45);
  assert.equal(plot.marginBottom, 62);
  assert.deepEqual(plot.x!.domain, [-0.6, 12.6]);
  // One WSS group: no separator, one label at the middle position.
  assert.deepEqual(dataOf(plot.marks![1]), []);
  assert.deepEqual(dataOf(plot.marks![2]), [{ wss: "64 MiB", position: 6 }]);
});

Deno.test("figureWorkloadCostSpec() rejects bad costs and options", () => {
  const where = "figureWorkloadCostSpec";
  assert.throws(
    () => figureWorkloadCostSpec(null as unknown as WorkloadCosts, OPTIONS),
    new TypeError(`${where}: invalid costs, expected an object (got null)`),
  );
  assert.throws(
    () => figureWorkloadCostSpec(COSTS, undefined as unknown as FigureWorkloadCostOptions),
    new TypeError(`${where}: invalid options, expected an object (got undefined)`),
  );
  assert.throws(
    () => figureWorkloadCostSpec({ ...COSTS, model: "none" as unknown as [] }, OPTIONS),
    new TypeError(`${where}: invalid costs.model, expected an array (got "none")`),
  );
  assert.throws(
    () => figureWorkloadCostSpec({ ...COSTS, points: [] }, OPTIONS),
    new RangeError(
      `${where}: invalid costs.points, expected at least one measured point (got 0; left out: {"kvm-precopy: no downtime":2})`,
    ),
  );
  assert.throws(
    () =>
      figureWorkloadCostSpec(COSTS, {
        ...OPTIONS,
        yLabel: 3 as unknown as string,
      }),
    new TypeError(
      `${where}: invalid options, expected "title" and "yLabel" strings (got "Figure 2: downtime", 3)`,
    ),
  );
  assert.throws(
    () => figureWorkloadCostSpec(COSTS, { ...OPTIONS, widthPixels: -5 }),
    new RangeError(
      `${where}: invalid option "widthPixels", expected a finite number > 0 pixels (got -5)`,
    ),
  );
});

Deno.test("figureWorkloadCostSpec() labels a log axis with plain numbers, not SI prefixes", async (t) => {
  const { render } = await import("./render.ts");
  const { axisLabels, overlaps } = await import("./_test_svg.ts");
  const labelsOf = (costs: WorkloadCosts) => {
    const axes = axisLabels(render(figureWorkloadCostSpec(costs, OPTIONS)), "y");
    for (const axis of axes) assert.deepEqual(overlaps(axis, "y"), []);
    return [...new Set(axes.flatMap((axis) => axis.labels))];
  };
  await t.step("0.005 s to 0.9 s: the decades in seconds", () => {
    // The domain is [0.005 / 1.5, 0.9 × 1.5] = [0.00333, 1.35]: three decades (d3: 10m, 100m, 1).
    assert.deepEqual(labelsOf(COSTS), ["0.01", "0.1", "1"]);
  });
  await t.step("0.0001 s to 0.02 s: d3 would write 100µ, 1m and 10m", () => {
    const small = {
      ...COSTS,
      points: [point({ mean: 1e-4, min: 1e-4, max: 1e-4 })],
      model: [model({ value: 0.02 })],
    };
    const labels = labelsOf(small);
    // [0.0001 / 1.5, 0.02 × 1.5] = [0.0000667, 0.03]: three decades.
    assert.deepEqual(labels, ["0.0001", "0.001", "0.01"]);
    for (const label of labels) assert.match(label, /^\d+(\.\d+)?$/, label);
  });
  await t.step("the unit is in the axis label", () => {
    const spec = figureWorkloadCostSpec(COSTS, OPTIONS);
    assert.equal(spec.panels[0]!.plot.y!.label, "downtime (s, log scale)");
  });
});
