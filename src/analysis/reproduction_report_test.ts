import assert from "node:assert/strict";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { SMALL_GRID, sweepRun, tenGigabitRuns } from "./_test_runs.ts";
import { analyzeReproduction } from "./analyze_reproduction.ts";
import { type ReproductionFigureFiles, reproductionReport } from "./reproduction_report.ts";

// SYNTHETIC runs from the models (not measurements).
const runs = synthesizeRuns({ seed: 13, methods: ["kvm-precopy"], ...SMALL_GRID });
const source = { description: "synthesizeRuns seed 13", synthetic: true };
const files: ReproductionFigureFiles = {
  fig5: ["figs/five.svg", "figs/five.png", "png/five.png"],
  fig6: ["six.svg"],
  fig3: ["three.svg"],
};

Deno.test("reproductionReport() writes the analysis as Markdown", async (t) => {
  const analysis = analyzeReproduction(runs, {
    source,
    provenance: { host: "test" },
    resamples: 5,
    folds: 2,
  });
  const md = reproductionReport({ analysis, figureFiles: files });

  await t.step("sections in order, the synthetic banner first", () => {
    const headings = md.split("\n").filter((line) => line.startsWith("#"));
    assert.deepEqual(headings, [
      "# Reproduction report: estimated and measured migration time",
      "## Data provenance",
      "## Fitted bandwidth and contention factors",
      "### KVM pre-copy",
      "## Error metrics (measured − estimated)",
      "## Figures",
    ]);
    assert.ok(md.includes("> **SYNTHETIC DATA.**"));
    assert.ok(md.includes("| host | test |"));
    assert.ok(md.includes(`\n${runs.length} runs:\n`));
  });

  await t.step("B with its interval from the fit, and the folds of the cross-validation", () => {
    const b = analysis.fits["kvm-precopy"]!.bandwidth!;
    assert.ok(
      md.includes(
        `- B = **${(b.value * 8e-6).toFixed(1)} Mbit/s** (${b.value.toFixed(0)} bytes/s)`,
      ),
    );
    assert.ok(md.includes("2-fold cross-validation"));
    assert.ok(md.includes("5 resamples, seed 1"));
  });

  await t.step("the figures' files as the caller passed them", () => {
    assert.ok(md.includes("- `figs/five.svg`, `five.png`, `png/five.png`: pre-copy"));
    assert.ok(md.includes("- `six.svg`: the same for KVM post-copy (T = M/B)."));
    assert.ok(md.includes("- `three.svg`: KVM pre-copy time and downtime"));
    assert.ok(!md.includes("fig5"));
  });

  await t.step("no sweep section without a sweep; one with it", () => {
    assert.ok(!md.includes("## Figure 3: measured downtime limit sweep"));
    const withSweep = analyzeReproduction(runs, {
      source,
      resamples: 0,
      folds: 2,
      downtimeSweep: {
        runs: [sweepRun(2 ** 27, 0.5, "non-convergent", 40), sweepRun(2 ** 27, 2, "completed", 14)],
        source: { description: "hand-made sweep", synthetic: true },
      },
    });
    const text = reproductionReport({ analysis: withSweep, figureFiles: files });
    assert.ok(text.includes("## Figure 3: measured downtime limit sweep"));
    assert.match(
      text,
      /\| \(a\) WSS 128 MiB, 51200 pages\/s \| [\d.]+ s \| 0\.5 s \| 2 s \| \d of 2 \|/,
    );
  });

  await t.step(
    "a switch-rule section with a sweep: the brackets and both rules on the fitted runs",
    () => {
      assert.ok(!md.includes("## KVM pre-copy: QEMU's switch rule against the measurements"));
      const withSweep = analyzeReproduction(runs, {
        source,
        resamples: 0,
        folds: 2,
        downtimeSweep: {
          runs: [
            sweepRun(2 ** 27, 0.5, "non-convergent", 40),
            sweepRun(2 ** 27, 2, "completed", 14),
          ],
          source: { description: "hand-made sweep", synthetic: true },
        },
      });
      const text = reproductionReport({ analysis: withSweep, figureFiles: files });
      const section = text.slice(text.indexOf("## KVM pre-copy: QEMU's switch rule"));
      assert.ok(section.startsWith("## KVM pre-copy: QEMU's switch rule against the measurements"));
      assert.ok(section.includes("Data: SYNTHETIC"));
      assert.match(
        section,
        /\| WSS 128 MiB, 51200 pages\/s, sweep \| 2 \| 0\.5 s \| none \| 2 s \| /,
      );
      const grid = withSweep.switchRule!.grid;
      assert.deepEqual(grid.map((g) => g.switchRule), ["between-rounds", "qemu"]);
      assert.ok(
        section.includes(`| qemu | ${+(grid[1]!.bandwidthBytesPerSecond * 8e-6).toPrecision(4)} |`),
      );
    },
  );
});

Deno.test("reproductionReport() rejects a missing figure file list", () => {
  const analysis = analyzeReproduction(runs, { source, resamples: 0, folds: 2 });
  assert.throws(
    () => reproductionReport({ analysis, figureFiles: { ...files, fig6: [] } }),
    new TypeError(
      "reproductionReport: invalid input.figureFiles.fig6, expected a non-empty array of paths (got [])",
    ),
  );
});

Deno.test("reproductionReport() says how Figures 5 and 6 grouped the runs", () => {
  // SYNTHETIC runs, one dirty rate per run: binned to 1-2-5 values.
  const analysis = analyzeReproduction(tenGigabitRuns(5), {
    source: { description: "tenGigabitRuns seed 5", synthetic: true },
    resamples: 0,
    folds: 2,
  });
  const md = reproductionReport({ analysis, figureFiles: files });
  assert.match(
    md,
    /\n- Figures 5 and 6: Dirty rates vary run to run, so runs are grouped into bins at 1-2-5 values/,
  );
});
