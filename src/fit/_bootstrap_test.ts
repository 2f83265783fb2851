import assert from "node:assert/strict";
import {
  bootstrapSamples,
  bootstrapStrata,
  INTERVAL_QUANTILES,
  percentileEstimate,
} from "./_bootstrap.ts";
import { MIXED_RUNS, testData } from "./_testing.ts";
import { INTERVAL_LEVEL } from "./defaults.ts";

Deno.test("INTERVAL_QUANTILES are the tails of the 95 % interval, exactly", () => {
  assert.equal(INTERVAL_LEVEL, 0.95);
  assert.deepEqual(INTERVAL_QUANTILES, [0.025, 0.975]);
});

Deno.test("bootstrapStrata() groups runs by group, or by method and group", () => {
  const { data } = testData(MIXED_RUNS);
  assert.deepEqual(bootstrapStrata(data, "all"), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  assert.deepEqual(bootstrapStrata(data, "method"), [[0, 1], [2, 3], [4, 5], [6, 7]]);
});

Deno.test("bootstrapSamples() draws seeded counts that keep every stratum's size", () => {
  const strata = [[0, 1, 2], [3, 4]];
  const draws: number[][] = [];
  const samples = bootstrapSamples(strata, 5, 50, 7, (weights) => {
    draws.push(Array.from(weights));
    return Float64Array.of(weights[0]!);
  });
  assert.equal(samples.length, 50);
  for (const counts of draws) {
    assert.equal(counts[0]! + counts[1]! + counts[2]!, 3);
    assert.equal(counts[3]! + counts[4]!, 2);
    assert.ok(counts.every((c) => Number.isInteger(c) && c >= 0));
  }
  // Not every draw is the identity: some run is drawn twice in some resample.
  assert.ok(draws.some((counts) => counts.some((c) => c > 1)));
  const again = bootstrapSamples(strata, 5, 50, 7, (weights) => Float64Array.of(weights[0]!));
  assert.deepEqual(again, samples);
  const other = bootstrapSamples(strata, 5, 50, 8, (weights) => Float64Array.of(weights[0]!));
  assert.notDeepEqual(other, samples);
  assert.deepEqual(bootstrapSamples(strata, 5, 0, 7, () => assert.fail("refit")), []);
});

Deno.test("percentileEstimate() gives the value at the point and type 7 quantiles of the samples", () => {
  const point = Float64Array.of(0);
  // Quantity x + 1 over samples 0..4 (given out of order): values 1..5.
  const samples = [3, 0, 4, 1, 2].map((x) => Float64Array.of(x));
  const e = percentileEstimate(point, samples, (theta) => theta[0]! + 1);
  assert.equal(e.value, 1);
  // (5 - 1) × 0.025 = 0.1 of the way from 1 to 2; 3.9: 0.9 of the way from 4 to 5.
  assert.ok(Math.abs(e.low - 1.1) < 1e-12);
  assert.ok(Math.abs(e.high - 4.9) < 1e-12);
  const none = percentileEstimate(point, [], (theta) => theta[0]!);
  assert.equal(none.value, 0);
  assert.ok(Number.isNaN(none.low) && Number.isNaN(none.high));
});
