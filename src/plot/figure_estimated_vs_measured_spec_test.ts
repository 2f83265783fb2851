import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { figureEstimatedVsMeasuredSpec } from "./figure_estimated_vs_measured_spec.ts";

const MEMORY = 1.5 * 2 ** 30;

function run(overrides: Partial<MigrationRun>): MigrationRun {
  return {
    method: "xen-precopy",
    contention: "none",
    memoryBytes: MEMORY,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 1024,
    pageBytes: 4096,
    migrationTimeSeconds: 14,
    status: "completed",
    extra: {},
    ...overrides,
  };
}

// A small grid, named synthetic: 2 contentions x 2 WSS x 2 rates x 3 repeats, plus one failed run.
function grid(): { runs: MigrationRun[]; estimates: number[] } {
  const runs: MigrationRun[] = [];
  const estimates: number[] = [];
  for (const contention of ["network", "none"]) {
    for (const wssBytes of [MEMORY, 2 ** 26]) {
      for (const dirtyPagesPerSecond of [51200, 1024]) {
        for (const repeat of [0, 1, 2]) {
          runs.push(
            run({ contention, wssBytes, dirtyPagesPerSecond, migrationTimeSeconds: 10 + repeat }),
          );
          estimates.push(10.5);
        }
      }
    }
  }
  runs.push(run({ status: "failed", migrationTimeSeconds: 600 }));
  estimates.push(Number.NaN);
  return { runs, estimates };
}

const source = { description: "a test grid", synthetic: true };

Deno.test("figureEstimatedVsMeasuredSpec() builds a main panel and two residual panels", async (t) => {
  const { runs, estimates } = grid();
  const figure = figureEstimatedVsMeasuredSpec(runs, estimates, {
    source,
    fitted: [{
      label: "Xen pre-copy",
      bandwidthBytesPerSecond: 118e6,
      bandwidthIntervalBytesPerSecond: [117e6, 119e6],
      factors: { network: { value: 0.3, low: 0.28, high: 0.32 } },
    }],
  });
  const [main, seconds, percent] = figure.panels;
  assert.deepEqual(figure.panels.map((p) => p.name), [
    "main",
    "residual-seconds",
    "residual-percent",
  ]);

  await t.step("main panel: line for the model, rules for the spread, dots for the means", () => {
    const marks = main!.plot.marks!;
    assert.ok(marks[0] instanceof Plot.Frame);
    assert.ok(marks[1] instanceof Plot.Line);
    assert.ok(marks[2] instanceof Plot.RuleX);
    assert.ok(marks[3] instanceof Plot.Dot);
    const dots = dataOf(marks[3]) as unknown as Record<string, number | string>[];
    assert.equal(dots.length, 8); // 2 contentions x 2 WSS x 2 rates
    for (const dot of dots) {
      assert.equal(dot.meanSeconds, 11);
      assert.equal(dot.minSeconds, 10);
      assert.equal(dot.maxSeconds, 12);
      assert.equal(dot.repeats, 3);
      assert.equal(dot.estimatedSeconds, 10.5);
    }
  });

  await t.step("domains: contentions in the paper's order, WSS by size with Full last", () => {
    assert.deepEqual(main!.plot.fx!.domain, ["none", "network"]);
    assert.deepEqual(main!.plot.color!.domain, ["64 MiB", "Full"]);
    assert.equal(main!.plot.x!.type, "log");
    assert.deepEqual(main!.plot.x!.ticks, [1024, 51200]);
    assert.deepEqual(main!.plot.fy!.domain, ["xen-precopy"]);
  });

  await t.step("residual panels: one dot per completed run, a zero line, shared x", () => {
    for (const panel of [seconds!, percent!]) {
      const marks = panel.plot.marks!;
      assert.ok(marks[1] instanceof Plot.RuleY);
      assert.deepEqual(dataOf(marks[1]), [0]);
      const dots = dataOf(marks[2]) as unknown as Record<string, number>[];
      assert.equal(dots.length, 24);
      assert.deepEqual(panel.plot.x!.domain, main!.plot.x!.domain);
      assert.equal(panel.plot.width, main!.plot.width);
      assert.equal(panel.plot.marginLeft, main!.plot.marginLeft);
    }
    const residuals = dataOf(seconds!.plot.marks![2]) as unknown as Record<
      string,
      number
    >[];
    assert.deepEqual(
      [...new Set(residuals.map((r) => r.residualSeconds))].sort(),
      [-0.5, 0.5, 1.5],
    );
    const pct = residuals.find((r) => r.residualSeconds === 1.5)!;
    assert.ok(Math.abs(pct.residualPercent! - (100 * 1.5) / 12) < 1e-12);
  });

  await t.step("title and caption say synthetic, give B, factors and the excluded run", () => {
    assert.ok(figure.title.startsWith("SYNTHETIC DATA"));
    assert.match(figure.caption, /SYNTHETIC/);
    assert.match(
      figure.caption,
      /Xen pre-copy: fitted B = 944\.0 Mbit\/s \(118\.00 MB\/s\), 95 % interval 936\.0–952\.0 Mbit\/s/,
    );
    assert.match(figure.caption, /network 0\.300 \[0\.280, 0\.320\]/);
    assert.match(figure.caption, /Left out \(not completed\): 1 xen-precopy failed\./);
  });

  await t.step("legend names every WSS and the three mark kinds", () => {
    assert.deepEqual(figure.legends[0]!.items.map((i) => i.label), ["64 MiB", "Full"]);
    assert.equal(figure.legends[1]!.items.length, 3);
  });
});

Deno.test("figureEstimatedVsMeasuredSpec() labels measured data as measured", () => {
  const figure = figureEstimatedVsMeasuredSpec([run({})], [14], {
    source: { description: "QEMU TCG, 1 Gbit/s", synthetic: false },
  });
  assert.ok(!figure.title.includes("SYNTHETIC"));
  assert.match(figure.caption, /^Data: measured, QEMU TCG, 1 Gbit\/s\./);
  // One run: no spread bar.
  assert.equal(dataOf(figure.panels[0]!.plot.marks![2]).length, 0);
});

Deno.test("figureEstimatedVsMeasuredSpec() rejects bad input", async (t) => {
  await t.step("lengths differ", () => {
    assert.throws(
      () => figureEstimatedVsMeasuredSpec([run({})], [1, 2], { source }),
      new RangeError(
        "figureEstimatedVsMeasuredSpec: invalid estimatesSeconds, expected one estimate per run (1) (got 2)",
      ),
    );
  });
  await t.step("an estimate is not finite", () => {
    assert.throws(
      () => figureEstimatedVsMeasuredSpec([run({})], [Number.NaN], { source }),
      new RangeError(
        "figureEstimatedVsMeasuredSpec: invalid estimate 0, expected a finite number > 0 seconds for a completed run (got NaN)",
      ),
    );
  });
  await t.step("no completed run", () => {
    assert.throws(
      () => figureEstimatedVsMeasuredSpec([run({ status: "failed" })], [1], { source }),
      new RangeError(
        "figureEstimatedVsMeasuredSpec: invalid runs, expected at least one completed run (got 1 runs, none completed)",
      ),
    );
  });
  await t.step("source missing", () => {
    assert.throws(
      () =>
        figureEstimatedVsMeasuredSpec(
          [run({})],
          [1],
          {} as unknown as Parameters<typeof figureEstimatedVsMeasuredSpec>[2],
        ),
      new TypeError(
        'figureEstimatedVsMeasuredSpec: invalid option "source", expected an object (got undefined)',
      ),
    );
  });
  await t.step("runs not an array", () => {
    assert.throws(
      () => figureEstimatedVsMeasuredSpec("runs" as unknown as MigrationRun[], [], { source }),
      new TypeError(
        'figureEstimatedVsMeasuredSpec: invalid runs, expected an array (got "runs")',
      ),
    );
  });
});

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): unknown[] {
  return (mark as { data: unknown[] }).data;
}

Deno.test("figureEstimatedVsMeasuredSpec() places measured runs at their requested rate and WSS", () => {
  // As the collector writes them: achieved rates scatter around the requested one,
  // and "full" is all memory left after a margin.
  const runs = [
    run({ dirtyPagesPerSecond: 5118, requestedDirtyPagesPerSecond: 5120 }),
    run({ dirtyPagesPerSecond: 4877.7, requestedDirtyPagesPerSecond: 5120 }),
    run({
      wssBytes: MEMORY - 40 * 2 ** 20,
      dirtyPagesPerSecond: 1000,
      requestedDirtyPagesPerSecond: 1024,
      requestedWssBytes: MEMORY,
    }),
  ];
  const figure = figureEstimatedVsMeasuredSpec(runs, [14, 14, 20], { source });
  const main = figure.panels[0]!;
  assert.deepEqual(main.plot.x!.ticks, [1024, 5120]);
  assert.deepEqual(main.plot.color!.domain, ["64 MiB", "Full"]);
  const dots = dataOf(main.plot.marks![3]) as { dirtyPagesPerSecond: number; repeats: number }[];
  assert.deepEqual(dots.map((d) => [d.dirtyPagesPerSecond, d.repeats]), [[5120, 2], [1024, 1]]);
  assert.match(figure.caption, /requested dirty rate and WSS/);
});

Deno.test("figureEstimatedVsMeasuredSpec() draws runs that did not converge as crosses", () => {
  const runs = [
    run({ method: "kvm-precopy" }),
    run({ method: "kvm-precopy", status: "non-convergent", migrationTimeSeconds: 60 }),
    run({ method: "kvm-precopy", status: "non-convergent", migrationTimeSeconds: Number.NaN }),
    run({ method: "kvm-precopy", status: "failed", migrationTimeSeconds: 3 }),
  ];
  const figure = figureEstimatedVsMeasuredSpec(runs, [14, Number.NaN, Number.NaN, Number.NaN], {
    source,
  });
  const marks = figure.panels[0]!.plot.marks!;
  assert.ok(marks[4] instanceof Plot.Dot);
  assert.deepEqual(
    (dataOf(marks[4]) as { cancelledSeconds: number; wss: string }[]).map((d) => [
      d.cancelledSeconds,
      d.wss,
    ]),
    [[60, "64 MiB"]],
  );
  assert.ok(figure.legends[1]!.items.some((item) => item.symbol === "cross"));
  assert.match(
    figure.caption,
    /Crosses: a run that did not converge \(1 kvm-precopy non-convergent\)/,
  );
  // One without a time cannot be drawn: left out, with the failed one.
  assert.match(
    figure.caption,
    /Left out \(not completed\): 1 kvm-precopy non-convergent, 1 kvm-precopy failed\./,
  );
  // No residual for it.
  assert.equal(dataOf(figure.panels[1]!.plot.marks![2]).length, 1);
});
