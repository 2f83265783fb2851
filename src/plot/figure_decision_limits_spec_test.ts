import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import { FIRST_WINDOW_ZONE_MAP } from "../analysis/_test_runs.ts";
import { decisionLimits } from "../analysis/decision_limits.ts";
import { decisionMap } from "../analysis/decision_map.ts";
import {
  type CellVerdict,
  type DecisionLimitsInput,
  figureDecisionLimitsSpec,
  LIMIT_VERDICTS,
  type LimitsVerdict,
  type MeasuredLimitPoint,
  SPARE_BANDS,
} from "./figure_decision_limits_spec.ts";

// A tiny map: M = 1 GiB, B = 125 MB/s, W in {0, 256 MiB} × d in {1024, 4096, 16384} pages/s,
// six cells (rows of W, rates within a row); x edges at log2 9, 11, 13, 15.
const MAP = decisionMap({
  memoryBytes: 2 ** 30,
  bandwidthBytesPerSecond: 125e6,
  wssBytes: [0, 2 ** 28],
  dirtyPagesPerSecond: [1024, 4096, 16384],
});

/** Hand-made verdicts: one spare per band for pre-copy, the band edges for post-copy. */
const PRE_SPARES = [-Infinity, -0.6, -0.2, 0.1, 0.5, 0.9];
const POST_SPARES = [Infinity, 0.75, 0.25, 0, -0.5, -0.51];
const verdict = (spare: number): CellVerdict => ({ meets: spare >= 0, spare });
const VERDICTS: LimitsVerdict[] = PRE_SPARES.map((pre, i) => ({
  precopy: verdict(pre),
  postcopy: verdict(POST_SPARES[i]!),
  verdict: LIMIT_VERDICTS[i % 4]!,
}));

/** Hand-made measured configurations, SYNTHETIC. */
function point(method: string, status: string): MeasuredLimitPoint {
  return {
    method,
    wssMib: 64,
    dirtyPagesPerSecond: 4096,
    x: 12,
    runs: 3,
    status,
    margins: { downtimeSeconds: 0.1 },
    unjudged: [],
  };
}
const MEASURED = [
  point("kvm-precopy", "meets"),
  point("kvm-precopy", "misses"),
  point("xen-precopy", "did not converge"),
  point("kvm-postcopy", "failed"),
];

const LIMITS = { maxDowntimeSeconds: 0.5, maxSlowdown: 0.1, deadlineSeconds: 30 };

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): Record<string, unknown>[] {
  return (mark as { data: Record<string, unknown>[] }).data;
}

/** A mark's channel value (a field name or a function). */
function channel(mark: unknown, name: string): unknown {
  return (mark as { channels: Record<string, { value: unknown }> }).channels[name]?.value;
}

Deno.test("LIMIT_VERDICTS and SPARE_BANDS list the legends' entries in order", () => {
  assert.deepEqual(LIMIT_VERDICTS, ["both", "pre-copy only", "post-copy only", "neither"]);
  assert.deepEqual(SPARE_BANDS, [
    "does not converge",
    "misses by > 50 %",
    "misses by ≤ 50 %",
    "meets, < 25 % to spare",
    "meets, 25–75 % to spare",
    "meets, > 75 % to spare",
  ]);
});

Deno.test("figureDecisionLimitsSpec() draws the verdicts and each method's margins", async (t) => {
  const figure = figureDecisionLimitsSpec({
    map: MAP,
    verdicts: VERDICTS,
    limits: LIMITS,
    measured: { points: MEASURED, source: { description: "hand-made", synthetic: true } },
    slowdownNote: "Slowdown: not modelled on the map.",
    scenario: "network contention",
  });
  const [top, pre, post] = figure.panels;

  await t.step("three panels over the same axes, with units", () => {
    assert.deepEqual(figure.panels.map((p) => p.name), ["verdict", "precopy", "postcopy"]);
    for (const panel of figure.panels) {
      assert.equal(panel.plot.x!.label, "dirty rate (pages/s, log scale)");
      assert.equal(panel.plot.y!.label, "WSS (MiB)");
      const [lo, hi] = panel.plot.x!.domain as number[];
      assert.ok(Math.abs(lo! - 9) < 1e-9 && hi === 15, String([lo, hi]));
      assert.deepEqual(panel.plot.y!.domain, [-128, 384]);
      // Even powers of 2 inside the edges, labelled in pages/s.
      assert.deepEqual(panel.plot.x!.ticks, [10, 12, 14]);
      const format = panel.plot.x!.tickFormat as (v: number) => string;
      assert.deepEqual([10, 12, 14].map(format), ["1024", "4096", "16384"]);
    }
    assert.deepEqual(top!.plot.color!.domain, [...LIMIT_VERDICTS]);
    assert.deepEqual(pre!.plot.color!.domain, [...SPARE_BANDS]);
    assert.deepEqual(post!.plot.color!.domain, [...SPARE_BANDS]);
    assert.equal(figure.widthPixels, 900);
  });

  await t.step("rects: one per cell, filled by verdict or the tightest margin's band", () => {
    const marks = figure.panels.map((p) => p.plot.marks![0]);
    for (const mark of marks) {
      assert.ok(mark instanceof Plot.Rect);
      assert.equal(dataOf(mark).length, 6);
      assert.equal(channel(mark, "x1"), "x1");
      assert.equal(channel(mark, "y2"), "y2");
    }
    assert.deepEqual(["verdict", "preBand", "postBand"], marks.map((m) => channel(m, "fill")));
    const cells = dataOf(marks[0]);
    assert.deepEqual(cells.map((c) => c.verdict), [...LIMIT_VERDICTS, "both", "pre-copy only"]);
    // Each pre-copy spare falls in the next band: -Infinity, -60 %, -20 %, 10 %, 50 %, 90 %.
    assert.deepEqual(cells.map((c) => c.preBand), [...SPARE_BANDS]);
    // Band edges: no limit (Infinity) and 75 % are "> 75 %", 25 % is "25–75 %", 0 meets,
    // -50 % misses by "≤ 50 %", -51 % by "> 50 %".
    assert.deepEqual(cells.map((c) => c.postBand), [
      SPARE_BANDS[5],
      SPARE_BANDS[5],
      SPARE_BANDS[4],
      SPARE_BANDS[3],
      SPARE_BANDS[2],
      SPARE_BANDS[1],
    ]);
    assert.deepEqual(cells.map((c) => c.dirtyPagesPerSecond), [
      1024,
      4096,
      16384,
      1024,
      4096,
      16384,
    ]);
  });

  await t.step("measured dots: pre-copy methods on the pre-copy panel, coloured by status", () => {
    const dots = figure.panels.map((p) => p.plot.marks![1]);
    assert.ok(dots.every((d) => d instanceof Plot.Dot));
    assert.deepEqual(dataOf(dots[0]), []);
    assert.deepEqual(dataOf(dots[1]).map((p) => p.method), [
      "kvm-precopy",
      "kvm-precopy",
      "xen-precopy",
    ]);
    assert.deepEqual(dataOf(dots[2]).map((p) => p.method), ["kvm-postcopy"]);
    assert.equal(channel(dots[1], "x"), "x");
    assert.equal(channel(dots[1], "y"), "wssMib");
    const fill = channel(dots[1], "fill") as (p: MeasuredLimitPoint) => string;
    assert.deepEqual(MEASURED.map(fill), ["#ffffff", "#000000", "#999999", "#999999"]);
    assert.equal(fill(point("kvm-precopy", "unknown")), "#999");
  });

  await t.step("each panel is labelled with what it shows", () => {
    const labels = figure.panels.map((p) => p.plot.marks![2]);
    assert.ok(labels.every((m) => m instanceof Plot.Text));
    assert.deepEqual(labels.map((m) => dataOf(m)), [["all"], ["KVM pre-copy"], ["KVM post-copy"]]);
    assert.ok(figure.panels.every((p) => p.plot.marks![3] instanceof Plot.Frame));
  });

  await t.step("title, subtitle, caption and legends", () => {
    assert.equal(
      figure.title,
      "Which methods meet downtime ≤ 0.5 s, slowdown ≤ 10 %, time ≤ 30 s? KVM pre-copy and KVM post-copy under network contention",
    );
    assert.ok(
      figure.subtitle.startsWith("M = 1024 MiB, B = 1000.0 Mbit/s (125.00 MB/s); "),
      figure.subtitle,
    );
    assert.ok(
      figure.caption.startsWith("Map: model output (sweep over 2 WSS × 3 dirty rates)."),
      figure.caption,
    );
    assert.ok(figure.caption.includes("Slowdown: not modelled on the map."), figure.caption);
    assert.match(figure.caption, /Data: SYNTHETIC, .*\(hand-made\)\. 4 configurations, the mean/);
    assert.deepEqual(figure.legends.map((l) => l.label), ["Meets every limit", "Tightest margin"]);
    assert.deepEqual(figure.legends[0]!.items.map((i) => i.label), [...LIMIT_VERDICTS]);
    assert.deepEqual(figure.legends[1]!.items.map((i) => i.label), [...SPARE_BANDS]);
    assert.deepEqual(figure.legends[0]!.items.map((i) => i.color), top!.plot.color!.range);
    assert.deepEqual(figure.legends[1]!.items.map((i) => i.color), pre!.plot.color!.range);
    assert.ok(figure.legends.every((l) => l.items.every((i) => i.symbol === "square")));
  });
});

Deno.test("figureDecisionLimitsSpec() without limits or measured points says so", () => {
  const xen = decisionMap({
    memoryBytes: 2 ** 30,
    precopy: "xen-precopy",
    wssBytes: [0, 2 ** 28],
    dirtyPagesPerSecond: [1024, 4096, 16384],
  });
  const figure = figureDecisionLimitsSpec({ map: xen, verdicts: VERDICTS, limits: {} });
  assert.equal(figure.title, "Which methods meet no limits? Xen pre-copy and KVM post-copy");
  assert.ok(figure.caption.endsWith("No measured points."), figure.caption);
  assert.deepEqual(dataOf(figure.panels[1]!.plot.marks![2]), ["Xen pre-copy"]);
  assert.deepEqual(figure.panels.map((p) => dataOf(p.plot.marks![1]).length), [0, 0, 0]);
  const one = figureDecisionLimitsSpec({
    map: MAP,
    verdicts: VERDICTS,
    limits: { deadlineSeconds: 12 },
  });
  assert.match(one.title, /^Which methods meet time ≤ 12 s\? KVM pre-copy and KVM post-copy$/);
});

Deno.test("figureDecisionLimitsSpec() rejects a bad input and verdicts that miss cells", () => {
  const where = "figureDecisionLimitsSpec";
  assert.throws(
    () => figureDecisionLimitsSpec(null as unknown as DecisionLimitsInput),
    new TypeError(`${where}: invalid input, expected an object (got null)`),
  );
  assert.throws(
    () =>
      figureDecisionLimitsSpec(
        { verdicts: VERDICTS, limits: {} } as unknown as DecisionLimitsInput,
      ),
    new TypeError(`${where}: invalid input.map, expected an object (got undefined)`),
  );
  assert.throws(
    () => figureDecisionLimitsSpec({ map: MAP, verdicts: VERDICTS.slice(1), limits: {} }),
    new RangeError(`${where}: invalid input.verdicts, expected one per cell (6) (got 5)`),
  );
  assert.throws(
    () =>
      figureDecisionLimitsSpec({
        map: MAP,
        verdicts: {} as unknown as LimitsVerdict[],
        limits: {},
      }),
    new RangeError(`${where}: invalid input.verdicts, expected one per cell (6) (got undefined)`),
  );
});

Deno.test("figureDecisionLimitsSpec() says where QEMU's first window decides pre-copy's verdict", () => {
  // 512 MiB at a 3.9 s limit: three cells whose pause is one of two (about 4.3 s at
  // once, 3.9 s later), and a 5 s deadline that only the stop at once meets.
  const map = decisionMap(FIRST_WINDOW_ZONE_MAP);
  const either = map.cells.filter((c) => c.precopyFirstWindow === "either").length;
  const at = (limits: { deadlineSeconds: number }) =>
    figureDecisionLimitsSpec({ map, verdicts: decisionLimits(map, limits), limits }).caption;
  assert.match(
    at({ deadlineSeconds: 5 }),
    new RegExp(
      `In ${either} cells QEMU's first 100 ms.*in ${either} of them \\(open diamonds\\) the other outcome`,
    ),
  );
  assert.match(at({ deadlineSeconds: 100 }), /in 0 of them \(open diamonds\) the other outcome/);
  // The decided cells are drawn over the pre-copy panel, with a legend row.
  const tight = { deadlineSeconds: 5 };
  const figure = figureDecisionLimitsSpec({
    map,
    verdicts: decisionLimits(map, tight),
    limits: tight,
  });
  const dots = (panel: number) =>
    figure.panels[panel]!.plot.marks!.filter((m) => m instanceof Plot.Dot) as unknown as {
      data: unknown[];
    }[];
  assert.deepEqual(dots(1).map((d) => d.data.length), [0, either]); // measured (none), decided
  assert.deepEqual(dots(2).map((d) => d.data.length), [0]);
  assert.equal(figure.legends.at(-1)!.label, "First window");
  assert.doesNotMatch(
    figureDecisionLimitsSpec({ map: MAP, verdicts: decisionLimits(MAP, {}), limits: {} }).caption,
    /first 100 ms/,
  );
});
