import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import { logAxisMark, logTicks, spacedTicks } from "./_log_ticks.ts";
import { axisLabels, overlaps } from "./_test_svg.ts";
import { render } from "./render.ts";

/** A one-panel figure with a log x axis over [600, 300000] labelled at `ticks`. */
function figure(ticks: number[], widthPixels: number): string {
  return render({
    title: "ticks",
    subtitle: "",
    caption: "",
    legends: [],
    widthPixels,
    panels: [{
      name: "main",
      plot: {
        width: widthPixels,
        height: 120,
        x: { type: "log", domain: [600, 300000] },
        y: { domain: [0, 1], ticks: [0, 0.5, 1] },
        marks: [Plot.dotX([1000, 100000]), logAxisMark("x", ticks, { label: null })],
      },
    }],
  });
}

Deno.test("axisLabels() and overlaps() read tick labels back and find overlaps", () => {
  const dense = Array.from({ length: 30 }, (_, i) => Math.round(600 * 500 ** (i / 29)));
  const crowded = axisLabels(figure(dense, 300), "x");
  assert.equal(crowded.length, 1);
  assert.deepEqual(crowded[0]!.labels, dense.map(String));
  assert.ok(overlaps(crowded[0]!, "x").length > 0);
  // Every label of the ticks spacedTicks keeps is there, and none overlap.
  const kept = spacedTicks(logTicks(600, 300000), [600, 300000], 300 - 40, String);
  const spaced = axisLabels(figure(kept, 300), "x")[0]!;
  assert.deepEqual(spaced.labels, kept.map(String));
  assert.deepEqual(overlaps(spaced, "x"), []);
  // The y axis (implicit, linear) is read too.
  assert.deepEqual(axisLabels(figure(kept, 300), "y")[0]!.labels, ["0.0", "0.5", "1.0"]);
});
