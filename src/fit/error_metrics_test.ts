import assert from "node:assert/strict";
import { errorMetrics } from "./error_metrics.ts";

Deno.test("errorMetrics() computes each metric", () => {
  // Hand computation: residuals 1, -2, 0.5 on measured 10, 20, 5.
  const m = errorMetrics([10, 20, 5], [9, 22, 4.5]);
  assert.equal(m.count, 3);
  assert.ok(Math.abs(m.rmseSeconds - Math.sqrt((1 + 4 + 0.25) / 3)) < 1e-12);
  assert.ok(Math.abs(m.maeSeconds - 3.5 / 3) < 1e-12);
  assert.ok(Math.abs(m.mapePercent - (100 * (0.1 + 0.1 + 0.1)) / 3) < 1e-12);
  assert.equal(m.maxErrorSeconds, 2);
  assert.ok(Math.abs(m.biasSeconds - (-0.5 / 3)) < 1e-12);
  // Mean 35/3; total sum of squares 350/3·... computed directly:
  const mean = 35 / 3;
  const total = (10 - mean) ** 2 + (20 - mean) ** 2 + (5 - mean) ** 2;
  assert.ok(Math.abs(m.rSquared - (1 - 5.25 / total)) < 1e-12);
  assert.ok(Number.isNaN(errorMetrics([2, 2], [1, 3]).rSquared));
});

Deno.test("errorMetrics() rejects bad input", () => {
  const cases: [() => unknown, ErrorConstructor, string][] = [
    [
      () => errorMetrics([], []),
      RangeError,
      "errorMetrics: invalid measuredSeconds, expected at least 1 value (got 0)",
    ],
    [
      () => errorMetrics([1, 2], [1]),
      RangeError,
      "errorMetrics: invalid estimatedSeconds, expected 2 values to match measuredSeconds (got 1)",
    ],
    [
      () => errorMetrics([0], [1]),
      RangeError,
      "errorMetrics: invalid measuredSeconds at index 0, expected a finite number > 0 (got 0)",
    ],
    [
      () => errorMetrics([1], [NaN]),
      RangeError,
      "errorMetrics: invalid estimatedSeconds at index 0, expected a finite number (got NaN)",
    ],
    [
      () => errorMetrics("1" as unknown as number[], [1]),
      TypeError,
      'errorMetrics: invalid measuredSeconds, expected an array of numbers (got "1")',
    ],
  ];
  for (const [fn, type, message] of cases) {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof type);
      assert.equal((error as Error).message, message);
      return true;
    });
  }
});
