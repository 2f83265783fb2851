import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { fitBandwidth } from "./fit_bandwidth.ts";
import { fitContention } from "./fit_contention.ts";
import { synthesizeRuns } from "./synthetic.ts";

const TRUE_B = 112.5e6;
const TRUE_FACTORS = { none: 1, cpu: 0.95, network: 0.35, memory: 0.85 };

// Tolerance of the recovery tests: 1.5 % on B and on every factor, with 5 %
// log-normal noise on 1530 completed synthetic runs.
const TOLERANCE = 0.015;

function close(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(
    Math.abs(actual / expected - 1) <= relative,
    `${what}: ${actual} is not within ${relative * 100} % of ${expected}`,
  );
}

Deno.test("fitContention() recovers B and factors on the synthetic paper grid", () => {
  const runs = synthesizeRuns({ seed: 11 }); // synthetic, not measured
  const fit = fitContention(runs, { resamples: 40, seed: 3 });
  assert.equal(fit.scale, "absolute");
  assert.equal(fit.converged, true);
  close(fit.bandwidthBytesPerSecond!, TRUE_B, TOLERANCE, "B");
  for (const [group, factor] of Object.entries(TRUE_FACTORS)) {
    close(fit.factors[group]!.factor, factor, TOLERANCE, `factor ${group}`);
    assert.ok(fit.factors[group]!.low <= fit.factors[group]!.factor);
    assert.ok(fit.factors[group]!.high >= fit.factors[group]!.factor);
  }
  assert.deepEqual(fit.interval, { method: "bootstrap", resamples: 40, seed: 3, level: 0.95 });
  assert.ok(fit.bandwidth!.low < TRUE_B * 1.01 && fit.bandwidth!.high > TRUE_B * 0.99);
  // Non-convergent KVM pre-copy rows are excluded and counted.
  const nonConvergent = runs.filter((r) => r.status === "non-convergent").length;
  assert.ok(nonConvergent > 0);
  assert.equal(fit.excluded.count, nonConvergent);
  assert.deepEqual(fit.excluded.byReason, { 'status "non-convergent"': nonConvergent });
  assert.equal(fit.residuals.length, runs.length - nonConvergent);
  assert.equal(fit.metrics.count, fit.residuals.length);
  assert.deepEqual(Object.keys(fit.metricsByGroup), ["cpu", "memory", "network", "none"]);
  // 5 % noise: mean absolute percentage error near 4 %.
  assert.ok(fit.metrics.mapePercent > 2 && fit.metrics.mapePercent < 6);
  const r = fit.residuals[0]!;
  assert.ok(Math.abs(r.residualSeconds - (r.measuredSeconds - r.estimatedSeconds)) < 1e-12);
  assert.ok(Math.abs(r.residualPercent - (100 * r.residualSeconds) / r.measuredSeconds) < 1e-9);
});

Deno.test("fitContention() gives the same numbers for the same seed", () => {
  const runs = synthesizeRuns({ seed: 5, repeats: 1 }); // synthetic
  const a = fitContention(runs, { resamples: 15, seed: 9 });
  const b = fitContention(runs, { resamples: 15, seed: 9 });
  assert.deepEqual(a, b);
  const c = fitContention(runs, { resamples: 15, seed: 10 });
  assert.notDeepEqual(c.factors.cpu!.low, a.factors.cpu!.low);
  assert.equal(c.factors.cpu!.factor, a.factors.cpu!.factor);
});

Deno.test("fitContention() fits one B per method with shared factors", () => {
  const runs = synthesizeRuns({ seed: 8, repeats: 2, noise: 0.02 }); // synthetic
  const fit = fitContention(runs, { bandwidthPer: "method", resamples: 0 });
  assert.equal(fit.bandwidthBytesPerSecond, null);
  for (const method of ["xen-precopy", "kvm-precopy", "kvm-postcopy"]) {
    close(fit.bandwidthByMethod![method]!.value, TRUE_B, 0.01, method);
  }
  close(fit.factors.network!.factor, 0.35, 0.01, "network");
  assert.equal(fit.converged, true);
  assert.ok(fit.iterations >= 2);
  assert.deepEqual(fit.interval, { method: "none" });
  assert.ok(Number.isNaN(fit.factors.network!.low));
});

Deno.test("fitContention() fits the link efficiency across hosts with different links", () => {
  const fast = synthesizeRuns({ // synthetic
    seed: 21,
    repeats: 2,
    linkBandwidthBytesPerSecond: 125e6,
    bandwidthBytesPerSecond: 0.9 * 125e6,
  });
  const slow = synthesizeRuns({ // synthetic
    seed: 22,
    repeats: 2,
    linkBandwidthBytesPerSecond: 62.5e6,
    bandwidthBytesPerSecond: 0.9 * 62.5e6,
  });
  const fit = fitContention([...fast, ...slow], { resamples: 10 });
  assert.equal(fit.scale, "efficiency");
  close(fit.efficiency!.value, 0.9, TOLERANCE, "efficiency");
  close(fit.factors.memory!.factor, 0.85, TOLERANCE, "memory");
  assert.equal(fit.bandwidthBytesPerSecond, null);
  assert.deepEqual(fit.linkBandwidthsBytesPerSecond, [62.5e6, 125e6]);
  const one = fitContention(fast, { resamples: 0 });
  close(one.bandwidthBytesPerSecond!, 0.9 * 125e6, TOLERANCE, "B on one link");
  const absolute = fitContention(fast, { resamples: 0, scale: "absolute" });
  assert.equal(absolute.efficiency, null);
});

Deno.test("fitContention() keeps the post-copy workload term only when it helps", async (t) => {
  await t.step("synthetic data with the term: kept, coefficient recovered", () => {
    const runs = synthesizeRuns({ // synthetic
      seed: 31,
      repeats: 2,
      methods: ["kvm-postcopy", "xen-precopy"],
      postcopyWorkloadCoefficient: 0.33,
      noise: 0.03,
    });
    const fit = fitContention(runs, { extraTerm: "postcopy-workload", resamples: 0 });
    assert.equal(fit.extraTerm!.kept, true);
    assert.ok(fit.extraTerm!.cvErrorWith < fit.extraTerm!.cvErrorWithout);
    assert.ok(Math.abs(fit.extraTerm!.coefficient - 0.33) < 0.05);
    close(fit.bandwidthBytesPerSecond!, TRUE_B, TOLERANCE, "B");
  });
  await t.step("synthetic data without the term: coefficient near 0, report consistent", () => {
    const runs = synthesizeRuns({ // synthetic
      seed: 32,
      repeats: 2,
      methods: ["kvm-postcopy", "xen-precopy"],
      noise: 0.03,
    });
    const fit = fitContention(runs, { extraTerm: "postcopy-workload", resamples: 0 });
    assert.ok(Math.abs(fit.extraTerm!.coefficient) < 0.05);
    assert.equal(fit.extraTerm!.kept, fit.extraTerm!.cvErrorWith < fit.extraTerm!.cvErrorWithout);
  });
});

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

Deno.test("fitContention() fits one efficiency per method on the efficiency scale", () => {
  const runs = synthesizeRuns({ // synthetic
    seed: 41,
    repeats: 2,
    noise: 0.02,
    linkBandwidthBytesPerSecond: 125e6,
    bandwidthBytesPerSecond: 0.8 * 125e6,
  });
  const fit = fitContention(runs, { bandwidthPer: "method", resamples: 5 });
  assert.equal(fit.efficiency, null);
  for (const method of ["xen-precopy", "kvm-precopy", "kvm-postcopy"]) {
    close(fit.efficiencyByMethod![method]!.value, 0.8, 0.01, method);
    close(fit.bandwidthByMethod![method]!.value, 100e6, 0.01, `${method} bytes/s`);
  }
  close(fit.factors.cpu!.factor, 0.95, 0.01, "cpu");
});

Deno.test("fitContention() gives the kept extra term a bootstrap interval", () => {
  const runs = synthesizeRuns({ // synthetic
    seed: 33,
    repeats: 2,
    methods: ["kvm-postcopy"],
    factors: { none: 1, network: 0.4 },
    postcopyWorkloadCoefficient: 0.33,
    noise: 0.03,
  });
  const fit = fitContention(runs, { extraTerm: "postcopy-workload", resamples: 20 });
  assert.equal(fit.extraTerm!.kept, true);
  assert.ok(fit.extraTerm!.low < fit.extraTerm!.coefficient);
  assert.ok(fit.extraTerm!.high > fit.extraTerm!.coefficient);
  assert.ok(fit.extraTerm!.low < 0.33 && fit.extraTerm!.high > 0.33);
  assert.ok(fit.iterations >= 2);
});

Deno.test("fitContention() per method on the synthetic paper grid: unbiased, intervals cover about 92 %", () => {
  // Synthetic, not measured: synthesizeRuns' defaults (true B 900 Mbit/s,
  // factors cpu 0.95, network 0.35, memory 0.85, 5 % log-normal noise) over
  // 20 seeds, one fit per method as `deno task reproduce` does. The noise is
  // multiplicative with median 1, so least squares on ln time is the maximum-
  // likelihood fit and has no Jensen bias; single datasets still miss: seed 1
  // gives Xen pre-copy B 892.4 [887.4, 898.9] Mbit/s here (100 resamples;
  // [887.1, 898.4] with reproduce's 200), 2.3 sd below the truth.
  // Over 200 seeds (100 resamples) the 95 % percentile intervals covered the
  // truth 87-95 % of the time per quantity (mean 92 %): a bootstrap over ~140
  // runs per group with 100-200 resamples is a little narrow, not biased.
  // Over these 20 seeds: 206 of 240 intervals (0.86).
  const seeds = 20;
  const truth: Record<string, number> = { ...TRUE_FACTORS, none: TRUE_B };
  let intervals = 0;
  let covered = 0;
  const logErrors: Record<string, number[]> = {};
  for (let seed = 1; seed <= seeds; seed++) {
    const runs = synthesizeRuns({ seed }); // synthetic
    for (const method of ["xen-precopy", "kvm-precopy", "kvm-postcopy"]) {
      const fit = fitContention(runs, { method, resamples: 100, seed });
      for (const group of Object.keys(truth)) {
        const e = group === "none"
          ? { value: fit.bandwidth!.value, low: fit.bandwidth!.low, high: fit.bandwidth!.high }
          : { ...fit.factors[group]!, value: fit.factors[group]!.factor };
        intervals += 1;
        if (e.low <= truth[group]! && truth[group]! <= e.high) covered += 1;
        (logErrors[`${method} ${group}`] ??= []).push(Math.log(e.value / truth[group]!));
      }
    }
  }
  const coverage = covered / intervals;
  assert.equal(intervals, 240);
  assert.ok(coverage >= 0.8 && coverage <= 0.99, `coverage ${coverage}`);
  // No bias: the mean log error of every quantity is within 3 standard errors of 0.
  for (const [quantity, errors] of Object.entries(logErrors)) {
    const mean = errors.reduce((a, b) => a + b, 0) / seeds;
    const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1));
    assert.ok(Math.abs(mean) < 3 * sd / Math.sqrt(seeds), `${quantity}: mean ln error ${mean}`);
  }
});
