import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import { CPU_SERIES, type CpuUsePanel, figureCpuUseSpec } from "./figure_cpu_use_spec.ts";

/** Hand-made SYNTHETIC panels: two methods, a few points each (percent of one core). */
const PANELS: CpuUsePanel[] = [
  {
    method: "kvm-postcopy",
    run: "post.qmp.jsonl.gz",
    migrationSeconds: [8, 22],
    points: [
      { series: CPU_SERIES[0], timeSeconds: 3, percent: 90 },
      { series: CPU_SERIES[2], timeSeconds: 25, percent: 40 },
    ],
  },
  {
    method: "kvm-precopy",
    run: "pre.qmp.jsonl.gz",
    migrationSeconds: [10, 20],
    points: [
      { series: CPU_SERIES[0], timeSeconds: -2, percent: 100 },
      { series: CPU_SERIES[1], timeSeconds: 5, percent: 60 },
      { series: CPU_SERIES[2], timeSeconds: 12, percent: 35 },
    ],
  },
];
const SYNTHETIC = { description: "hand-made panels", synthetic: true };

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): Record<string, unknown>[] {
  return (mark as { data: Record<string, unknown>[] }).data;
}

Deno.test("CPU_SERIES lists the three series of Figure 1 in the legend's order", () => {
  assert.deepEqual(CPU_SERIES, [
    "migrating VM (vCPU)",
    "co-located load",
    "migration (main loop + migration threads)",
  ]);
});

Deno.test("figureCpuUseSpec() draws one facet row per panel, in the panels' order", async (t) => {
  const figure = figureCpuUseSpec(PANELS, { source: SYNTHETIC });
  const plot = figure.panels[0]!.plot;

  await t.step("one Plot panel; rows named by method label; height grows per row", () => {
    assert.equal(figure.panels.length, 1);
    assert.equal(figure.panels[0]!.name, "main");
    assert.deepEqual(plot.fy!.domain, ["KVM post-copy", "KVM pre-copy"]);
    assert.equal(plot.fy!.label, null);
    assert.equal(plot.height, 170 * 2 + 60);
    assert.equal(plot.width, 1000);
    assert.equal(figure.widthPixels, 1000);
  });

  await t.step("axes: time in seconds from min(0, first point) to the last point or span", () => {
    // Points run from -2 s to 25 s, the spans end at 20 and 22 s.
    assert.deepEqual(plot.x!.domain, [-2, 25]);
    assert.equal(plot.x!.label, "time (s)");
    assert.equal(plot.y!.label, "CPU (%)");
    assert.deepEqual(plot.y!.domain, [0, 110]);
    assert.deepEqual(plot.color!.domain, [...CPU_SERIES]);
    assert.equal(plot.color!.range!.length, 3);
  });

  await t.step("marks: shaded migration spans, a frame, one line per series", () => {
    const [spans, frame, line] = plot.marks!;
    assert.ok(spans instanceof Plot.Rect);
    assert.ok(frame instanceof Plot.Frame);
    assert.ok(line instanceof Plot.Line);
    assert.deepEqual(dataOf(spans), [
      { row: "KVM post-copy", start: 8, end: 22 },
      { row: "KVM pre-copy", start: 10, end: 20 },
    ]);
    const lineChannels = (line as unknown as { channels: Record<string, { value: unknown }> })
      .channels;
    assert.equal(lineChannels.x!.value, "timeSeconds");
    assert.equal(lineChannels.y!.value, "percent");
    assert.equal(lineChannels.z!.value, "series");
    assert.equal(lineChannels.stroke!.value, "series");
    assert.equal((line as unknown as { fy: unknown }).fy, "row");
    // Every point is drawn once, tagged with its panel's row.
    const points = dataOf(line);
    assert.equal(points.length, 5);
    assert.deepEqual(points.map((p) => [p.row, p.timeSeconds]), [
      ["KVM post-copy", 3],
      ["KVM post-copy", 25],
      ["KVM pre-copy", -2],
      ["KVM pre-copy", 5],
      ["KVM pre-copy", 12],
    ]);
  });

  await t.step("legend: the three series as lines, in the colour scale's colours", () => {
    assert.equal(figure.legends.length, 1);
    const [legend] = figure.legends;
    assert.equal(legend!.label, "CPU use of");
    assert.deepEqual(legend!.items.map((i) => i.label), [...CPU_SERIES]);
    assert.ok(legend!.items.every((i) => i.symbol === "line"));
    assert.deepEqual(legend!.items.map((i) => i.color), plot.color!.range);
  });

  await t.step("title, subtitle and caption: workload, SYNTHETIC mark, runs named", () => {
    assert.equal(
      figure.title,
      "SYNTHETIC DATA: Figure 1: CPU use on the source host (WSS 64 MiB, 15,360 pages/s, CPU contention)",
    );
    assert.match(figure.subtitle, /CPU use \(% of one core\)/);
    assert.match(figure.caption, /^Data: SYNTHETIC, .* \(hand-made panels\)\./);
    assert.ok(
      figure.caption.includes(
        "Runs: KVM post-copy post.qmp.jsonl.gz; KVM pre-copy pre.qmp.jsonl.gz.",
      ),
      figure.caption,
    );
    assert.match(figure.caption, /every 0\.1 s/);
  });
});

Deno.test("figureCpuUseSpec() takes a workload label and a width; measured data are unmarked", () => {
  const figure = figureCpuUseSpec([PANELS[1]!], {
    source: { description: "a test rig", synthetic: false },
    workload: "WSS 128 MiB, no contention",
    widthPixels: 640,
  });
  assert.equal(figure.title, "Figure 1: CPU use on the source host (WSS 128 MiB, no contention)");
  assert.ok(figure.caption.startsWith("Data: measured, a test rig."), figure.caption);
  assert.equal(figure.widthPixels, 640);
  assert.equal(figure.panels[0]!.plot.width, 640);
  assert.equal(figure.panels[0]!.plot.height, 170 + 60);
  // With no point past the span, the span's end closes the axis.
  assert.deepEqual(figure.panels[0]!.plot.x!.domain, [-2, 20]);
  // With every point after 0 s, the axis starts at 0.
  const later = figureCpuUseSpec([PANELS[0]!], { source: SYNTHETIC });
  assert.deepEqual(later.panels[0]!.plot.x!.domain, [0, 25]);
});

Deno.test("figureCpuUseSpec() rejects no panels, bad options and a bad width", () => {
  assert.throws(
    () => figureCpuUseSpec([], { source: SYNTHETIC }),
    new RangeError(
      "figureCpuUseSpec: invalid panels, expected a non-empty array of runs (got [])",
    ),
  );
  assert.throws(
    () => figureCpuUseSpec("kvm-precopy" as unknown as CpuUsePanel[], { source: SYNTHETIC }),
    new RangeError(
      'figureCpuUseSpec: invalid panels, expected a non-empty array of runs (got "kvm-precopy")',
    ),
  );
  assert.throws(
    () => figureCpuUseSpec(PANELS, null as unknown as { source: typeof SYNTHETIC }),
    new TypeError("figureCpuUseSpec: invalid options, expected an object (got null)"),
  );
  assert.throws(
    () => figureCpuUseSpec(PANELS, { source: SYNTHETIC, widthPixels: 0 }),
    new RangeError(
      'figureCpuUseSpec: invalid option "widthPixels", expected a finite number > 0 pixels (got 0)',
    ),
  );
});

Deno.test("figureCpuUseSpec() names the panels' own datasets, once each, when every panel has one", () => {
  const rig = { description: "rig A", synthetic: false };
  const both = figureCpuUseSpec([{ ...PANELS[0]!, source: rig }, { ...PANELS[1]!, source: rig }], {
    source: { description: "rig A; rig B", synthetic: false },
  });
  assert.ok(both.caption.startsWith("Data: measured, rig A. Runs:"), both.caption);
  // One panel without a dataset: the options' source is named.
  const mixed = figureCpuUseSpec([{ ...PANELS[0]!, source: rig }, PANELS[1]!], {
    source: { description: "rig A; rig B", synthetic: false },
  });
  assert.ok(mixed.caption.startsWith("Data: measured, rig A; rig B."), mixed.caption);
});
