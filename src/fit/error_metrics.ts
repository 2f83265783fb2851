/**
 * Error metrics of estimated against measured migration times.
 *
 * @module
 */

import { showValue } from "../_validate.ts";
import type { ErrorMetrics } from "./types.ts";

/**
 * Summarises how far estimates are from measurements: RMSE, MAE, MAPE, the
 * largest error, R² and the bias, all of measured - estimated.
 *
 * R² = 1 - Σ(m - e)² / Σ(m - mean m)². It is NaN when every measured value
 * is the same (the total sum of squares is 0), never silently 1.
 *
 * Cost: O(n).
 *
 * @param measuredSeconds Measured times, seconds (each > 0).
 * @param estimatedSeconds Estimated times, seconds, one per measured time.
 * @returns The metrics.
 * @throws {TypeError} If an argument is not an array of numbers.
 * @throws {RangeError} If the arrays are empty or differ in length, a measured time is not > 0, or an estimate is not finite.
 *
 * @example Two runs
 * ```ts
 * import { errorMetrics } from "./error_metrics.ts";
 * import assert from "node:assert/strict";
 * const metrics = errorMetrics([10, 20], [11, 18]);
 * assert.equal(metrics.maeSeconds, 1.5);
 * assert.equal(metrics.maxErrorSeconds, 2);
 * assert.equal(metrics.biasSeconds, 0.5);
 * assert.ok(Math.abs(metrics.mapePercent - 10) < 1e-12);
 * ```
 */
export function errorMetrics(
  measuredSeconds: ArrayLike<number>,
  estimatedSeconds: ArrayLike<number>,
): ErrorMetrics {
  const where = "errorMetrics";
  checkArray(where, "measuredSeconds", measuredSeconds);
  checkArray(where, "estimatedSeconds", estimatedSeconds);
  const n = measuredSeconds.length;
  if (n === 0) {
    throw new RangeError(`${where}: invalid measuredSeconds, expected at least 1 value (got 0)`);
  }
  if (estimatedSeconds.length !== n) {
    throw new RangeError(
      `${where}: invalid estimatedSeconds, expected ${n} values to match measuredSeconds (got ${estimatedSeconds.length})`,
    );
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const m = measuredSeconds[i]!;
    const e = estimatedSeconds[i]!;
    if (typeof m !== "number" || typeof e !== "number") {
      throw new TypeError(
        `${where}: invalid value at index ${i}, expected numbers (got ${showValue(m)} and ${
          showValue(e)
        })`,
      );
    }
    if (!Number.isFinite(m) || m <= 0) {
      throw new RangeError(
        `${where}: invalid measuredSeconds at index ${i}, expected a finite number > 0 (got ${m})`,
      );
    }
    if (!Number.isFinite(e)) {
      throw new RangeError(
        `${where}: invalid estimatedSeconds at index ${i}, expected a finite number (got ${e})`,
      );
    }
    sum += m;
  }
  const mean = sum / n;
  let squares = 0;
  let absolute = 0;
  let percent = 0;
  let max = 0;
  let bias = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const m = measuredSeconds[i]!;
    const r = m - estimatedSeconds[i]!;
    squares += r * r;
    absolute += Math.abs(r);
    percent += Math.abs(r) / m;
    max = Math.max(max, Math.abs(r));
    bias += r;
    total += (m - mean) ** 2;
  }
  return {
    count: n,
    rmseSeconds: Math.sqrt(squares / n),
    maeSeconds: absolute / n,
    mapePercent: (100 * percent) / n,
    maxErrorSeconds: max,
    rSquared: total === 0 ? NaN : 1 - squares / total,
    biasSeconds: bias / n,
  };
}

function checkArray(where: string, name: string, value: unknown): void {
  const ok = Array.isArray(value) || ArrayBuffer.isView(value);
  if (!ok) {
    throw new TypeError(
      `${where}: invalid ${name}, expected an array of numbers (got ${showValue(value)})`,
    );
  }
}
