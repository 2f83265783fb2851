import assert from "node:assert/strict";
import { downtimeLimitCurves } from "../analysis/downtime_limit_curves.ts";
import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
import { figureEstimatedVsMeasuredSpec } from "./figure_estimated_vs_measured_spec.ts";
import * as Plot from "../_deps/plot.ts";
import { render } from "./render.ts";

const figure = figureDowntimeLimitSpec(downtimeLimitCurves());

Deno.test("render() writes an SVG with title, axis labels, legend and caption", () => {
  const svg = render(figure, { format: "svg" });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.includes("KVM pre-copy: migration time and downtime against the downtime limit"));
  assert.ok(svg.includes("downtime limit (s, log scale)"));
  assert.ok(svg.includes("migration time (s, log)"));
  assert.ok(svg.includes("did not converge (cancelled at 600 s)")); // the legend, as SVG text
  assert.ok(svg.includes("Model output of kvmPrecopy"));
  assert.ok(!svg.includes("<figure") && !svg.includes("<div")); // no HTML left
  assert.equal(svg.match(/<svg /g)!.length, 3); // the figure and its two panels
});

Deno.test("render() writes a PNG", () => {
  const png = render(figure, { format: "png", scale: 1 });
  assert.ok(png instanceof Uint8Array);
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Width in the IHDR chunk equals the figure's width at scale 1.
  const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
  assert.equal(width, figure.widthPixels);
});

Deno.test("render() rejects bad options and figures", () => {
  assert.throws(
    () => render(figure, { format: "gif" as "svg" }),
    new RangeError('render: invalid option "format", expected "svg" or "png" (got "gif")'),
  );
  assert.throws(
    () => render(figure, { scale: 0 }),
    new RangeError('render: invalid option "scale", expected a finite number > 0 (got 0)'),
  );
  assert.throws(
    () => render({ ...figure, panels: [] }),
    new TypeError('render: invalid figure "panels", expected a non-empty array (got [])'),
  );
  assert.throws(
    () => render({ ...figure, panels: [{ name: "x", plot: { title: "inner", marks: [] } }] }),
    new TypeError(
      'render: invalid panel "x", expected Plot options without title, caption or legend (got a <figure>)',
    ),
  );
});

Deno.test("render() keeps the estimated-vs-measured figure's labels, legend and caption", () => {
  const run = {
    method: "kvm-postcopy",
    contention: "none",
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 1024,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    status: "completed",
    extra: {},
  };
  const spec = figureEstimatedVsMeasuredSpec(
    [run, { ...run, dirtyPagesPerSecond: 5120, migrationTimeSeconds: 11 }],
    [10.2, 10.4],
    { source: { description: "two made-up runs", synthetic: true } },
  );
  const svg = render(spec);
  for (
    const text of [
      "SYNTHETIC DATA: Estimated and measured migration time",
      "migration time (s)",
      "residual (s)",
      "residual (%)",
      "dirty rate (pages/s, log scale)",
      "WSS",
      "64 MiB",
      "measured (mean)",
      "model estimate",
      "Data: SYNTHETIC",
      "KVM post-copy",
    ]
  ) {
    assert.ok(svg.includes(text), `missing "${text}"`);
  }
  assert.equal(svg.match(/<svg /g)!.length, 4); // the figure and its three panels
});

Deno.test("render() gives a figure the same SVG whatever was drawn before it", () => {
  const marked: typeof figure = {
    ...figure,
    panels: [{
      name: "marked",
      plot: { width: 300, height: 150, marks: [Plot.line([[0, 0], [1, 2]], { marker: true })] },
    }],
  };
  const first = render(marked);
  render(figure); // Observable Plot's marker counter moves on
  const second = render(marked);
  assert.ok(first.includes('id="plot-marker-1"'));
  assert.equal(second, first);
});
