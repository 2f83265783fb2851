import assert from "node:assert/strict";
import { lossFor } from "./_coordinate_search.ts";
import { fitQuantities, layoutParams } from "./_fit_params.ts";
import { summarizeModel, summarizeResiduals } from "./_fit_summary.ts";
import { close, MIXED_RUNS, postcopyRuns, testData } from "./_testing.ts";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";

const thetaOf = (...values: number[]) => Float64Array.from(values, Math.log);

Deno.test("summarizeModel() reports efficiency, and B in bytes/s on one link", async (t) => {
  const runs = postcopyRuns(100e6, { none: 1, cpu: 0.5 });
  const onLink = (link: number) =>
    runs.map((run, i) => ({ ...run, linkBandwidthBytesPerSecond: i === 0 ? link : 125e6 }));
  // theta: [ln efficiency of cpu, ln efficiency of none]; two resamples.
  const point = thetaOf(0.4, 0.8);
  const samples = [thetaOf(0.3, 0.7), thetaOf(0.5, 0.9)];
  await t.step("one link", () => {
    const { data, options } = testData(onLink(125e6), { resamples: 2 });
    const quantities = fitQuantities(layoutParams(data, options), data, options);
    const { model, bandwidth, linkBandwidthsBytesPerSecond } = summarizeModel(
      data,
      quantities,
      point,
      samples,
      options,
    );
    assert.equal(model.scale, "efficiency");
    close(model.efficiency!.value, 0.8);
    // Type 7 quantiles of two values: 2.5 % and 97.5 % of the way from 0.7 to 0.9.
    close(model.efficiency!.low, 0.705);
    close(model.efficiency!.high, 0.895);
    close(bandwidth!.value, 100e6);
    close(bandwidth!.low, 0.705 * 125e6);
    close(model.bandwidthBytesPerSecond!, 100e6);
    close(model.factors.cpu!.value, 0.5);
    close(model.factors.cpu!.low, 0.3 / 0.7 + 0.025 * (0.5 / 0.9 - 0.3 / 0.7));
    assert.deepEqual(model.factors.none, { value: 1, low: 1, high: 1 });
    assert.deepEqual(linkBandwidthsBytesPerSecond, [125e6]);
    assert.equal(model.extraTerm, null);
  });
  await t.step("two links: no single B", () => {
    const { data, options } = testData(onLink(62.5e6), { resamples: 2 });
    const quantities = fitQuantities(layoutParams(data, options), data, options);
    const summary = summarizeModel(data, quantities, point, samples, options);
    assert.equal(summary.bandwidth, null);
    assert.equal(summary.model.bandwidthBytesPerSecond, null);
    close(summary.model.efficiency!.value, 0.8);
    assert.deepEqual(summary.linkBandwidthsBytesPerSecond, [62.5e6, 125e6]);
  });
});

Deno.test("summarizeModel() per method on the absolute scale, with the extra term", () => {
  const { data, options } = testData(MIXED_RUNS, {
    bandwidthPer: "method",
    extraTerm: "postcopy-workload",
    resamples: 0,
  });
  const quantities = fitQuantities(layoutParams(data, options), data, options);
  const point = thetaOf(100e6, 80e6, 0.5, 1.25);
  const { model, bandwidth } = summarizeModel(data, quantities, point, [], options);
  assert.equal(model.scale, "absolute");
  assert.equal(bandwidth, null);
  assert.equal(model.efficiency, null);
  assert.equal(model.efficiencyByMethod, null);
  close(model.bandwidthByMethod!["kvm-postcopy"]!.value, 100e6);
  close(model.bandwidthByMethod!["xen-precopy"]!.value, 80e6);
  assert.ok(Number.isNaN(model.bandwidthByMethod!["xen-precopy"]!.low));
  close(model.factors.cpu!.value, 0.5);
  assert.deepEqual(model.factors.none, { value: 1, low: 1, high: 1 });
  const { value, ...rest } = model.extraTerm!;
  close(value, 0.25);
  assert.deepEqual(rest, {
    name: "postcopy-workload",
    low: NaN,
    high: NaN,
    kept: true,
    cvErrorWith: NaN,
    cvErrorWithout: NaN,
  });
});

Deno.test("summarizeResiduals() gives measured - estimated through the models, and the objective", () => {
  const { data, options } = testData(MIXED_RUNS, { resamples: 0 });
  const quantities = fitQuantities(layoutParams(data, options), data, options);
  const { model } = summarizeModel(data, quantities, thetaOf(60e6, 120e6), [], options);
  const loss = lossFor("log");
  const summary = summarizeResiduals(data, model, loss);
  assert.equal(summary.residuals.length, 8);
  const estimate = (i: number) => {
    const run = MIXED_RUNS[i]!;
    const input = { ...run, bandwidthBytesPerSecond: run.contention === "cpu" ? 60e6 : 120e6 };
    return run.method === "kvm-postcopy"
      ? kvmPostcopy(input).migrationTimeSeconds
      : xenPrecopy(input).precopyTimeSeconds;
  };
  summary.residuals.forEach((r, i) => {
    const run = MIXED_RUNS[i]!;
    assert.equal(r.index, i);
    assert.equal(r.group, run.contention);
    assert.equal(r.measuredSeconds, run.migrationTimeSeconds);
    close(r.estimatedSeconds, estimate(i));
    close(r.residualSeconds, run.migrationTimeSeconds - estimate(i));
    close(r.residualPercent, (100 * r.residualSeconds) / run.migrationTimeSeconds);
  });
  let objective = 0;
  MIXED_RUNS.forEach((run, i) => objective += loss(run.migrationTimeSeconds, estimate(i)));
  close(summary.objectiveValue, objective);
  assert.deepEqual(Object.keys(summary.metricsByGroup), ["cpu", "none"]);
  assert.equal(summary.metricsByGroup.cpu!.count, 4);
  assert.equal(summary.metrics.count, 8);
});
