import assert from "node:assert/strict";
import { median, quantileSorted, upperMedian } from "./_stats.ts";

Deno.test("median() averages the middle two for an even count", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

Deno.test("upperMedian() returns an element, the upper middle for an even count", () => {
  assert.equal(upperMedian([4, 1, 3, 2]), 3);
  assert.equal(upperMedian([5]), 5);
  assert.ok(Number.isNaN(upperMedian([])));
});

Deno.test("quantileSorted() interpolates between ranks (type 7)", () => {
  // numpy.quantile([1, 2, 3, 4], [0.25, 0.9]) -> [1.75, 3.7]
  assert.ok(Math.abs(quantileSorted([1, 2, 3, 4], 0.25) - 1.75) < 1e-12);
  assert.ok(Math.abs(quantileSorted([1, 2, 3, 4], 0.9) - 3.7) < 1e-12);
  assert.equal(quantileSorted([7], 0.3), 7);
});
