import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { fitBandwidth } from "./fit_bandwidth.ts";
import { close } from "./_testing.ts";
import { synthesizeRuns } from "./synthetic.ts";

const TRUE_B = 112.5e6;

// Tolerance of the recovery tests: 1.5 % on B, with 5 % log-normal noise.
const TOLERANCE = 0.015;

Deno.test("fitBandwidth() finds an optimum that sits next to a step of the pre-copy time", () => {
  // Xen pre-copy with W = M: the number of rounds drops by one at some B, and
  // the time jumps there. Put the true B just above such a step.
  const memoryBytes = 2 ** 30;
  const config = { memoryBytes, wssBytes: memoryBytes, dirtyPagesPerSecond: 5120 };
  const rounds = (b: number) => xenPrecopy({ ...config, bandwidthBytesPerSecond: b }).iterations;
  let stepB = NaN;
  for (let b = 60e6; b < 200e6; b *= 1.001) {
    if (rounds(b * 1.001) !== rounds(b)) {
      stepB = b * 1.001;
      break;
    }
  }
  assert.ok(Number.isFinite(stepB), "no step found");
  let lo = stepB / 1.001;
  let hi = stepB;
  while (hi - lo > 1e-3) {
    const mid = (lo + hi) / 2;
    if (rounds(mid) === rounds(lo)) lo = mid;
    else hi = mid;
  }
  const trueB = hi * 1.0005; // 0.05 % above the step
  const time = (wssBytes: number) =>
    xenPrecopy({ ...config, wssBytes, bandwidthBytesPerSecond: trueB }).precopyTimeSeconds;
  const jump = time(memoryBytes) -
    xenPrecopy({ ...config, bandwidthBytesPerSecond: lo }).precopyTimeSeconds;
  assert.notEqual(Math.sign(jump), 0);
  const run = (wssBytes: number): MigrationRun => ({
    method: "xen-precopy",
    contention: "none",
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond: 5120,
    pageBytes: 4096,
    migrationTimeSeconds: time(wssBytes),
    status: "completed",
    extra: { source: "synthetic" },
  });
  const runs = [run(memoryBytes), run(memoryBytes), run(2 ** 28)];
  const fit = fitBandwidth(runs, { resamples: 0 });
  close(fit.bandwidthBytesPerSecond!, trueB, 1e-6, "B next to the step");
  assert.ok(fit.objectiveValue < 1e-12);
  const seconds = fitBandwidth(runs, { resamples: 0, objective: "seconds" });
  close(seconds.bandwidthBytesPerSecond!, trueB, 1e-6, "B next to the step, seconds");
});

Deno.test("fitBandwidth() fits one method and counts the others", () => {
  const runs = synthesizeRuns({ seed: 4, repeats: 2, factors: { none: 1 } }); // synthetic
  const fit = fitBandwidth(runs, { method: "kvm-postcopy", resamples: 0 });
  assert.equal(fit.runsUsed, 56);
  assert.equal(fit.runsOfOtherMethods, 112);
  assert.deepEqual(fit.options.method, ["kvm-postcopy"]);
  assert.deepEqual(Object.keys(fit.factors), ["all"]);
  close(fit.bandwidthBytesPerSecond!, TRUE_B, TOLERANCE, "B");
});

Deno.test("fitBandwidth() fits one B over every group, with a bootstrap interval", () => {
  const runs = synthesizeRuns({ seed: 6, repeats: 2 }); // synthetic, not measured
  const fit = fitBandwidth(runs, { method: "kvm-postcopy", resamples: 30, seed: 2 });
  assert.equal(fit.groupBy, null);
  assert.deepEqual(Object.keys(fit.factors), ["all"]);
  assert.deepEqual(fit.factors.all, { value: 1, low: 1, high: 1 });
  assert.deepEqual(Object.keys(fit.metricsByGroup), ["all"]);
  assert.ok(fit.residuals.every((r) => r.group === "all"));
  assert.equal(fit.options.baseline, "all");
  // The contention groups are pooled: B lies between the slowest and the fastest group's.
  const b = fit.bandwidthBytesPerSecond!;
  assert.ok(b > TRUE_B * 0.35 && b < TRUE_B);
  assert.equal(fit.bandwidth!.value, b);
  assert.ok(fit.bandwidth!.low < b && b < fit.bandwidth!.high);
  assert.deepEqual(fit.interval, { method: "bootstrap", resamples: 30, seed: 2, level: 0.95 });
  assert.deepEqual(fitBandwidth(runs, { method: "kvm-postcopy", resamples: 30, seed: 2 }), fit);
});

Deno.test("fitBandwidth() recovers B exactly from noiseless post-copy runs, T = M/B", () => {
  const runs: MigrationRun[] = [1, 2, 4].map((gib) => ({
    method: "kvm-postcopy",
    contention: "none",
    memoryBytes: gib * 2 ** 30,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    pageBytes: 4096,
    migrationTimeSeconds: (gib * 2 ** 30) / 90e6,
    status: "completed",
    extra: { source: "synthetic" },
  }));
  for (const objective of ["log", "seconds"] as const) {
    const fit = fitBandwidth(runs, { resamples: 0, objective });
    close(fit.bandwidthBytesPerSecond!, 90e6, 1e-7, objective);
    assert.ok(fit.metrics.maeSeconds < 1e-6);
    assert.deepEqual(fit.interval, { method: "none" });
    assert.ok(Number.isNaN(fit.bandwidth!.low) && Number.isNaN(fit.bandwidth!.high));
  }
});

Deno.test("fitBandwidth() fits the link efficiency when every run carries its link", () => {
  const runs = synthesizeRuns({ // synthetic, not measured
    seed: 9,
    repeats: 2,
    factors: { none: 1 },
    linkBandwidthBytesPerSecond: 125e6,
    bandwidthBytesPerSecond: 0.7 * 125e6,
  });
  const fit = fitBandwidth(runs, { resamples: 10 });
  assert.equal(fit.scale, "efficiency");
  close(fit.efficiency!.value, 0.7, TOLERANCE, "efficiency");
  close(
    fit.bandwidthBytesPerSecond!,
    fit.efficiency!.value * 125e6,
    1e-12,
    "B = efficiency × link",
  );
  assert.deepEqual(fit.linkBandwidthsBytesPerSecond, [125e6]);
  const absolute = fitBandwidth(runs, { resamples: 0, scale: "absolute" });
  assert.equal(absolute.efficiency, null);
  close(absolute.bandwidthBytesPerSecond!, fit.bandwidthBytesPerSecond!, 1e-6, "same B");
});

Deno.test("fitBandwidth() rejects bad options", () => {
  const runs = synthesizeRuns({ seed: 4, repeats: 1, factors: { none: 1 } }); // synthetic
  assert.throws(
    () => fitBandwidth(runs, { resamples: -1 }),
    new RangeError('fitBandwidth: invalid option "resamples", expected an integer >= 0 (got -1)'),
  );
  assert.throws(
    () => fitBandwidth(runs, { objective: "squares" as "log" }),
    new TypeError(
      'fitBandwidth: invalid option "objective", expected "log" or "seconds" (got "squares")',
    ),
  );
});
