import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { CPU_SERIES } from "../plot/figure_cpu_use_spec.ts";
import { costFigures, FIG1_WORKLOAD, fig1Runs } from "./cost_figures.ts";
import { handFit } from "./_test_fits.ts";

const MIB = 2 ** 20;
const SYNTHETIC = { description: "hand-made runs", synthetic: true };

/** A hand-made SYNTHETIC run at Figure 1's workload (64 MiB, 15,360 pages/s, CPU contention). */
function run(over: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "cpu",
    memoryBytes: 2 ** 30,
    wssBytes: 64 * MIB,
    dirtyPagesPerSecond: 15000,
    requestedDirtyPagesPerSecond: 15360,
    pageBytes: 4096,
    migrationTimeSeconds: 12,
    downtimeSeconds: 0.3,
    status: "completed",
    extra: { source: "synthetic" },
    ...over,
  };
}

/** A hand-made SYNTHETIC run without a requested dirty rate. */
function unrequested(over: Partial<MigrationRun>): MigrationRun {
  const { requestedDirtyPagesPerSecond: _, ...rest } = run(over);
  return rest;
}

/** A hand-made SYNTHETIC run without a measured pause. */
function unpaused(over: Partial<MigrationRun>): MigrationRun {
  const { downtimeSeconds: _, ...rest } = run(over);
  return rest;
}

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): Record<string, unknown>[] {
  return (mark as { data: Record<string, unknown>[] }).data;
}

Deno.test("FIG1_WORKLOAD is the paper's Figure 1 workload", () => {
  assert.deepEqual(FIG1_WORKLOAD, {
    wssBytes: 64 * MIB,
    dirtyPagesPerSecond: 15360,
    contention: "cpu",
  });
});

Deno.test("fig1Runs() picks each method's first completed run at Figure 1's workload", () => {
  const trace = (name: string) => ({ source: "synthetic", trace_file: name });
  const runs = [
    run({ method: "kvm-postcopy", extra: trace("traces/post-1.qmp.jsonl.gz") }),
    run({ method: "kvm-postcopy", extra: trace("traces/post-2.qmp.jsonl.gz") }),
    run({ status: "failed", extra: trace("pre-1.qmp.jsonl.gz") }),
    run({ extra: trace("pre-2.qmp.jsonl.gz") }),
    // Not at the workload: another contention, rate or WSS, or no trace file.
    run({ method: "xen-precopy", contention: "network", extra: trace("x-net.qmp.jsonl.gz") }),
    run({
      method: "xen-precopy",
      requestedDirtyPagesPerSecond: 1024,
      extra: trace("x-1024.qmp.jsonl.gz"),
    }),
    run({ method: "xen-precopy", wssBytes: 128 * MIB, extra: trace("x-128.qmp.jsonl.gz") }),
    run({ method: "xen-precopy", extra: { source: "synthetic" } }),
    // The requested WSS and rate place a run, not the measured ones.
    run({
      method: "xen-precopy-policy",
      wssBytes: 60 * MIB,
      requestedWssBytes: 64 * MIB,
      dirtyPagesPerSecond: 9000,
      extra: trace("policy.qmp.jsonl.gz"),
    }),
    // Without a requested rate, the run's own; a name without the suffix is kept whole.
    unrequested({ method: "xen-precopy", dirtyPagesPerSecond: 15360, extra: trace("xen-trace") }),
  ];
  assert.deepEqual(fig1Runs(runs), [
    { method: "xen-precopy", traceBase: "xen-trace" },
    { method: "xen-precopy-policy", traceBase: "policy" },
    { method: "kvm-precopy", traceBase: "pre-2" },
    { method: "kvm-postcopy", traceBase: "traces/post-1" },
  ]);
  assert.deepEqual(fig1Runs(runs.slice(4, 8)), []);
});

Deno.test("costFigures() draws Figures 2, 4 and noise from hand-made runs and fits", async (t) => {
  // Post-copy under CPU contention with W = 0: three repeats. Pre-copy under network
  // contention: one run, its progress the dirty-rate proxy 15000/15360. Pre-copy with no
  // contention: measured progress ratios 0.7, 0.8, 0.9, no pause (not in Figures 2 and 4).
  const post = [
    { migrationTimeSeconds: 19, downtimeSeconds: 0.004 },
    { migrationTimeSeconds: 21, downtimeSeconds: 0.006 },
    { migrationTimeSeconds: 20, downtimeSeconds: 0.005 },
  ].map((costs) =>
    run({
      method: "kvm-postcopy",
      memoryBytes: 1e9,
      wssBytes: 0,
      requestedWssBytes: 0,
      dirtyPagesPerSecond: 0,
      requestedDirtyPagesPerSecond: 0,
      ...costs,
    })
  );
  const runs = [
    ...post,
    run({ contention: "network" }),
    ...[0.7, 0.8, 0.9].map((ratio) =>
      unpaused({ contention: "none", extra: { guest_progress_ratio: ratio } })
    ),
    run({ contention: "none", status: "failed", extra: { guest_progress_ratio: 0.1 } }),
  ];
  // B = 100 MB/s, halved under CPU contention: post-copy sends M = 1e9 bytes in 20 s.
  const fits = {
    "kvm-postcopy": handFit(1e8, { none: 1, cpu: 0.5 }),
    "kvm-precopy": handFit(1e8, { none: 1, network: 0.8 }),
  };
  const panels = [{
    method: "kvm-precopy",
    run: "pre-2",
    migrationSeconds: [10, 20] as const,
    points: [{ series: CPU_SERIES[0], timeSeconds: 12, percent: 50 }],
  }];
  const figures = costFigures(runs, fits, { source: SYNTHETIC, fig1: panels });

  await t.step("Figure 2: downtime on a log axis, lines at the fitted switchover cost", () => {
    const fig2 = figures.fig2!;
    assert.equal(
      fig2.title,
      "SYNTHETIC DATA: Figure 2: downtime of each method against the workload",
    );
    const plot = fig2.panels[0]!.plot;
    assert.equal(plot.y!.type, "log");
    assert.equal(plot.y!.label, "downtime (s, log scale)");
    assert.deepEqual(plot.fy!.domain, ["(a) cpu contention", "(b) network contention"]);
    // The model line: post-copy's pause is its switchover cost, the median pause, 5 ms.
    const line = plot.marks!.find((m) => m instanceof Plot.Line)!;
    // Pre-copy, with one pause and no fitted cost, keeps today's model at B × 0.8 = 80 MB/s.
    const precopy = kvmPrecopy({
      memoryBytes: 2 ** 30,
      wssBytes: 64 * MIB,
      dirtyPagesPerSecond: 15360,
      pageBytes: 4096,
      bandwidthBytesPerSecond: 0.8e8,
    });
    assert.ok(precopy.converged);
    assert.deepEqual(dataOf(line).map((d) => [d.method, d.contention, d.value]), [
      ["kvm-postcopy", "cpu", 0.005],
      ["kvm-precopy", "network", precopy.downtimeSeconds],
    ]);
    assert.ok(fig2.caption.includes("fitDowntime, median: KVM post-copy 5.00 ms)."));
    assert.ok(
      fig2.caption.includes("KVM pre-copy: no switchover cost could be fitted;"),
      fig2.caption,
    );
    assert.ok(fig2.caption.endsWith("(source STOP to destination RESUME)."), fig2.caption);
  });

  await t.step("Figure 4: migration time on a linear axis, lines from the fits", () => {
    const fig4 = figures.fig4!;
    assert.equal(
      fig4.title,
      "SYNTHETIC DATA: Figure 4: migration time of each method against the workload",
    );
    const plot = fig4.panels[0]!.plot;
    assert.equal(plot.y!.type, "linear");
    assert.equal(plot.y!.label, "migration time (s)");
    const line = plot.marks!.find((m) => m instanceof Plot.Line)!;
    const postLine = dataOf(line).filter((d) => d.method === "kvm-postcopy");
    assert.equal(postLine.length, 1);
    assert.ok(Math.abs((postLine[0]!.value as number) - 20) < 1e-9, String(postLine[0]!.value));
    assert.ok(fig4.caption.includes("2 configurations from 4 runs;"), fig4.caption);
    assert.ok(fig4.caption.includes("Lines: the fitted models (predictRuns)"), fig4.caption);
  });

  await t.step("the noise figure: the dirty-rate proxy, said so on the axis and caption", () => {
    const noise = figures.noise!;
    assert.equal(figures.noiseIsProxy, true);
    assert.equal(
      noise.panels[0]!.plot.y!.label,
      "guest dirty rate achieved / requested (proxy)",
    );
    assert.ok(noise.caption.includes("PROXY: 1 of the runs"), noise.caption);
    assert.ok(noise.caption.includes("colocated_progress_ratio) is not in these runs."));
    // Post-copy's runs all have W = 0 (no progress to fit); pre-copy's four ratios are fitted.
    assert.ok(noise.caption.includes("KVM post-copy: no noise model could be fitted, no line."));
    assert.doesNotMatch(noise.caption, /KVM pre-copy: no noise model/);
    const line = noise.panels[0]!.plot.marks!.find((m) => m instanceof Plot.Line)!;
    const model = dataOf(line);
    assert.deepEqual(model.map((d) => [d.method, d.contention]), [["kvm-precopy", "network"]]);
    assert.ok((model[0]!.value as number) > 0 && (model[0]!.value as number) < 1);
  });

  await t.step("the progress medians cover every contention, proxies counted", () => {
    assert.deepEqual(figures.progressMedians, [
      { method: "kvm-precopy", contention: "none", runs: 3, proxyRuns: 0, median: 0.8 },
      {
        method: "kvm-precopy",
        contention: "network",
        runs: 1,
        proxyRuns: 1,
        median: 15000 / 15360,
      },
    ]);
  });

  await t.step("Figure 1 from the panels given", () => {
    assert.deepEqual(figures.notDrawn, {});
    assert.equal(
      figures.fig1!.title,
      "SYNTHETIC DATA: Figure 1: CPU use on the source host (WSS 64 MiB, 15,360 pages/s, CPU contention)",
    );
    assert.deepEqual(figures.fig1!.panels[0]!.plot.fy!.domain, ["KVM pre-copy"]);
  });
});

Deno.test("costFigures() says why each figure was not drawn", () => {
  // Only runs without CPU or network contention: none of the three cost figures.
  const quiet = [run({ contention: "none" }), run({ contention: "memory" })];
  const figures = costFigures(quiet, {}, { source: SYNTHETIC, fig1: [] });
  const why = "no completed runs with the quantity under CPU or network contention";
  assert.deepEqual(figures.notDrawn, {
    fig2: why,
    fig4: why,
    noise: why,
    fig1: "no traces at Figure 1's workload",
  });
  assert.deepEqual([figures.fig2, figures.fig4, figures.noise, figures.fig1], [
    null,
    null,
    null,
    null,
  ]);
  assert.equal(figures.noiseIsProxy, false);
  // Too few pauses for the downtime fit: no rows, and the fit's reason.
  assert.deepEqual(figures.downtimeErrors.rows, {});
  assert.match(figures.downtimeErrors.failed ?? "", /too few completed runs/);
  // The medians still cover the runs with a progress value: both proxies, 15000/15360.
  assert.deepEqual(figures.progressMedians.map((m) => [m.contention, m.proxyRuns]), [
    ["none", 1],
    ["memory", 1],
  ]);
  const measured = costFigures([run({ extra: { guest_progress_ratio: "0.75" } })], {}, {
    source: { description: "a lab", synthetic: false },
    fig1: "no progress traces in this dataset",
  });
  assert.equal(measured.notDrawn.fig1, "no progress traces in this dataset");
  assert.equal(measured.noise!.panels[0]!.plot.y!.label, "guest progress ratio");
  assert.ok(measured.noise!.caption.startsWith("Data: measured, a lab."));
  assert.ok(measured.noise!.caption.includes("Ratio: the guest's work during the migration"));
  assert.equal(measured.fig2!.title, "Figure 2: downtime of each method against the workload");
  // Without fits there is no line, and the caption says so instead of naming the model.
  assert.doesNotMatch(measured.fig2!.caption, /fitDowntime/);
  assert.ok(
    measured.fig2!.caption.includes("No model line: no model of this quantity is fitted yet."),
  );
});
