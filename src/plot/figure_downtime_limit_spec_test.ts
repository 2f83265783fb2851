import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import { downtimeLimitCurves } from "../analysis/downtime_limit_curves.ts";
import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
import { axisLabels, overlaps } from "./_test_svg.ts";
import { render } from "./render.ts";

const M = 1.5 * 2 ** 30;

Deno.test("figureDowntimeLimitSpec() draws the sharp switch of Figure 3", async (t) => {
  const workloads = [
    { label: "WSS 128 MiB", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 },
    { label: "WSS Full", wssBytes: M, dirtyPagesPerSecond: 51200 },
  ];
  const curves = downtimeLimitCurves({ workloads });
  const figure = figureDowntimeLimitSpec(curves);

  await t.step("panels: time (log y) and downtime, dots coloured by outcome, x log", () => {
    assert.deepEqual(figure.panels.map((p) => p.name), ["time", "downtime"]);
    const [time, downtime] = figure.panels;
    assert.equal(time!.plot.y!.type, "log");
    assert.equal(time!.plot.x!.type, "log");
    const [lo, hi] = time!.plot.x!.domain as number[];
    assert.ok(Math.abs(lo! - 0.01) < 1e-12 && Math.abs(hi! - 100) < 1e-9);
    assert.deepEqual(time!.plot.color!.domain, ["converged", "did not converge"]);
    assert.deepEqual(downtime!.plot.fx!.domain, ["WSS 128 MiB", "WSS Full"]);
    const marks = downtime!.plot.marks!;
    assert.ok(marks[1] instanceof Plot.RuleX);
    assert.ok(marks[2] instanceof Plot.Line);
    assert.ok(marks[3] instanceof Plot.Dot);
    // Every point of the curves is drawn, and every switch is a rule.
    assert.equal(dataOf(marks[3]).length, curves.points.length);
    assert.equal(dataOf(marks[1]).length, curves.switches.length);
    assert.equal(figure.switches, curves.switches);
  });

  await t.step("the caption names each switch point", () => {
    for (const s of curves.switches) {
      assert.ok(figure.caption.includes(`${s.what} at ${s.limitSeconds.toFixed(3)} s`), s.what);
    }
  });

  await t.step("a nominal B is called nominal; a synthetic fitted B marks the title", () => {
    assert.match(figure.caption, /nominal, not fitted/);
    const fitted = figureDowntimeLimitSpec(
      downtimeLimitCurves({ bandwidthBytesPerSecond: 110e6 }),
      { bandwidthSource: { description: "paper grid", synthetic: true } },
    );
    assert.ok(fitted.title.startsWith("SYNTHETIC DATA"));
    assert.match(fitted.caption, /SYNTHETIC/);
  });
});

Deno.test("figureDowntimeLimitSpec() rejects bad curves and options", () => {
  const curves = downtimeLimitCurves({
    workloads: [{ label: "w", wssBytes: 0, dirtyPagesPerSecond: 1 }],
    downtimeLimitsSeconds: [0.1, 1],
  });
  assert.throws(
    () => figureDowntimeLimitSpec({ ...curves, points: "none" as unknown as [] }),
    new TypeError('figureDowntimeLimitSpec: invalid curves.points, expected an array (got "none")'),
  );
  assert.throws(
    () => figureDowntimeLimitSpec({ ...curves, firstWindow: 3 as unknown as [] }),
    new TypeError(
      "figureDowntimeLimitSpec: invalid curves.firstWindow, expected an array of points or no field (got 3)",
    ),
  );
  assert.throws(
    () => figureDowntimeLimitSpec(curves, { widthPixels: 0 }),
    new RangeError(
      'figureDowntimeLimitSpec: invalid option "widthPixels", expected a finite number > 0 pixels (got 0)',
    ),
  );
});

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): unknown[] {
  return (mark as { data: unknown[] }).data;
}

Deno.test("figureDowntimeLimitSpec() labels its log axes inside one decade too", () => {
  // Cancelled at 20 s and converged at about 14 s: every time sits between 10 and 20 s
  // (under the between-rounds rule; QEMU's needs 20.6 s just above its switch).
  const curves = downtimeLimitCurves({
    workloads: [{ label: "(a) WSS 128 MiB", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 }],
    timeoutSeconds: 20,
    switchRule: "between-rounds",
  });
  const times = curves.points.map((p) => p.timeSeconds);
  assert.ok(Math.min(...times) > 10 && Math.max(...times) <= 20, String(times));
  const figure = figureDowntimeLimitSpec(curves);
  const svg = render(figure);
  const time = axisLabels(svg, "y").filter((a) => a.panel === 0);
  assert.equal(time.length, 1);
  assert.ok(time[0]!.labels.length >= 3, String(time[0]!.labels));
  assert.deepEqual(time[0]!.labels, (figure.panels[0]!.plot.y!.ticks as number[]).map(String));
  assert.deepEqual(overlaps(time[0]!, "y"), []);
  const x = axisLabels(svg, "x").filter((a) => a.panel === 1)[0]!;
  assert.deepEqual(x.labels, ["0.01", "0.1", "1", "10", "100"]);
});

Deno.test("figureDowntimeLimitSpec() draws a reference rule as a thin labelled line", () => {
  const workloads = [{ label: "(a) WSS 128 MiB", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 }];
  const curves = downtimeLimitCurves({ workloads, referenceRule: "between-rounds" });
  const figure = figureDowntimeLimitSpec(curves);
  const marks = figure.panels[0]!.plot.marks!;
  const lines = marks.filter((m) => m instanceof Plot.Line);
  assert.equal(lines.length, 2);
  assert.equal(dataOf(lines[0]).length, curves.points.length);
  assert.equal(dataOf(lines[1]).length, curves.reference!.points.length);
  assert.match(figure.caption ?? "", /kvmPrecopy \(QEMU's switch rule: /);
  assert.match(
    figure.caption ?? "",
    /Thin dotted line, for reference: kvmPrecopy with the between-rounds rule/,
  );
  const items = figure.legends![0]!.items.map((i) => i.label);
  assert.ok(items.includes("reference: between-rounds rule"));
  const plain = figureDowntimeLimitSpec(downtimeLimitCurves({ workloads }));
  assert.equal(plain.panels[0]!.plot.marks!.filter((m) => m instanceof Plot.Line).length, 1);
  assert.ok(!(plain.caption ?? "").includes("for reference"));
});

Deno.test("figureDowntimeLimitSpec() draws the first window's other outcome as open diamonds", () => {
  const workloads = [{ label: "(a) WSS 0 MiB", wssBytes: 0, dirtyPagesPerSecond: 51200 }];
  const curves = downtimeLimitCurves({ workloads });
  // At 125 MB/s the idle guest's first check stops at once from about 12 s at one end of
  // socketBufferRangeBytes and later at the other, below M/B = 12.88 s.
  const other = curves.firstWindow ?? [];
  assert.ok(other.length > 0);
  for (const p of other) {
    assert.ok(p.limitSeconds > 10 && p.limitSeconds < 12.9, `${p.limitSeconds}`);
    const main = curves.points.find((q) => q.limitSeconds === p.limitSeconds)!;
    // The two outcomes differ: one pauses for nearly the whole memory, the other less.
    assert.ok(Math.abs(main.downtimeSeconds - p.downtimeSeconds) > 0.05, `${p.limitSeconds}`);
  }
  const figure = figureDowntimeLimitSpec(curves);
  const diamonds = figure.panels[0]!.plot.marks!.filter((m) =>
    m instanceof Plot.Dot && dataOf(m) === other
  );
  assert.equal(diamonds.length, 1);
  assert.ok(figure.legends![0]!.items.some((i) => i.symbol === "diamond"));
  assert.match(
    figure.caption ?? "",
    /Open diamonds: at these limits QEMU's first bandwidth window/,
  );
  const { firstWindow: _, ...single } = curves;
  const plain = figureDowntimeLimitSpec(single);
  assert.ok(!plain.legends![0]!.items.some((i) => i.symbol === "diamond"));
  assert.ok(!(plain.caption ?? "").includes("Open diamonds"));
});
