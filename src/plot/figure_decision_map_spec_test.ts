import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import { FIRST_WINDOW_ZONE_MAP } from "../analysis/_test_runs.ts";
import { decisionMap } from "../analysis/decision_map.ts";
import { figureDecisionMapSpec } from "./figure_decision_map_spec.ts";

const M = 2 ** 30;
const B = 125e6;

Deno.test("figureDecisionMapSpec() draws every cell of the map", async (t) => {
  const map = decisionMap({
    memoryBytes: M,
    bandwidthBytesPerSecond: B,
    wssBytes: [0, 2 ** 27, M],
    dirtyPagesPerSecond: [1024, 16384, 131072],
  });
  const figure = figureDecisionMapSpec(map, { scenario: "a test" });

  await t.step("two panels of rects over the cells, coloured by decision and band", () => {
    const [decision, downtime] = figure.panels;
    assert.deepEqual(decision!.plot.color!.domain, [
      "pre-copy faster",
      "post-copy faster",
      "pre-copy does not converge",
    ]);
    assert.equal(downtime!.plot.color!.domain!.length, 6);
    // Edges run from 2^8.5 to 2^18.5 pages/s: even powers of 2 inside.
    assert.deepEqual(decision!.plot.x!.ticks, [10, 12, 14, 16, 18]);
    const rect = decision!.plot.marks![0];
    assert.ok(rect instanceof Plot.Rect);
    assert.equal((rect as unknown as { data: unknown[] }).data.length, 9);
    assert.equal(figure.cells, map.cells);
  });

  await t.step("the caption counts the cells of each decision", () => {
    const counts = ["pre-copy faster", "post-copy faster", "pre-copy does not converge"].map((
      label,
    ) => figure.cells.filter((c) => c.decision === label).length);
    assert.match(
      figure.caption,
      new RegExp(`faster in ${counts[0]} cells, KVM post-copy \\(T = M/B\\) in ${counts[1]}`),
    );
    assert.match(figure.title, /KVM pre-copy against KVM post-copy under a test/);
  });
});

Deno.test("figureDecisionMapSpec() names Xen pre-copy in the title", () => {
  const figure = figureDecisionMapSpec(decisionMap({
    memoryBytes: M,
    precopy: "xen-precopy",
    wssBytes: [0, M],
    dirtyPagesPerSecond: [1024, 131072],
  }));
  assert.match(figure.title, /Xen pre-copy against KVM post-copy/);
  assert.doesNotMatch(figure.caption, /downtime limit/);
});

Deno.test("figureDecisionMapSpec() rejects a map without cells and a bad width", () => {
  const map = decisionMap({ memoryBytes: M, wssBytes: [0, M], dirtyPagesPerSecond: [1, 2] });
  assert.throws(
    () => figureDecisionMapSpec({ ...map, cells: [] }),
    new RangeError(
      "figureDecisionMapSpec: invalid map.cells, expected a non-empty array of cells (got [])",
    ),
  );
  assert.throws(
    () => figureDecisionMapSpec(map, { widthPixels: -1 }),
    new RangeError(
      'figureDecisionMapSpec: invalid option "widthPixels", expected a finite number > 0 pixels (got -1)',
    ),
  );
});

Deno.test("figureDecisionMapSpec() rings the cells whose pause the first window decides either way", () => {
  // 512 MiB at a 3.9 s limit: the first check's threshold (B + buffer / 0.1 s) × L
  // brackets what is left of the memory for some dirty rates, not for others.
  const map = decisionMap(FIRST_WINDOW_ZONE_MAP);
  const either = map.cells.filter((c) => c.precopyFirstWindow === "either");
  assert.ok(either.length > 0 && either.length < map.cells.length, `${either.length} either`);
  for (const c of map.cells) {
    assert.equal(c.otherPrecopyDowntimeSeconds === null, c.precopyFirstWindow !== "either");
  }
  const figure = figureDecisionMapSpec(map);
  const ringsOf = (panel: number) =>
    figure.panels[panel]!.plot.marks!.filter((m) => m instanceof Plot.Dot) as unknown as {
      data: unknown[];
    }[];
  assert.equal(ringsOf(0).length, 0);
  assert.deepEqual(ringsOf(1)[0]!.data, either);
  assert.equal(figure.legends.at(-1)!.label, "First window");
  assert.match(
    figure.caption,
    new RegExp(`Ringed in the downtime panel \\(${either.length} cells\\)`),
  );
  // At the default 0.3 s limit no cell is in the zone: no rings, no legend row, no sentence.
  const plain = figureDecisionMapSpec(decisionMap({ memoryBytes: 2 ** 29 }));
  assert.equal(plain.panels[1]!.plot.marks!.filter((m) => m instanceof Plot.Dot).length, 0);
  assert.ok(plain.legends.every((legend) => legend.label !== "First window"));
  assert.doesNotMatch(plain.caption, /Ringed/);
  // Xen pre-copy has no first window.
  const xen = decisionMap({ memoryBytes: 2 ** 29, precopy: "xen-precopy" });
  assert.ok(xen.cells.every((c) => c.precopyFirstWindow === null));
});
