import assert from "node:assert/strict";
import { READING_LEVELS, readingQuantiles, relativeReadings } from "./reading_quantiles.ts";

Deno.test("relativeReadings: against the run's median, from 0.3 s on", () => {
  const samples = [
    { timeSeconds: 0.2, readingBytesPerSecond: 500 }, // the first windows: left out
    { timeSeconds: 0.4, readingBytesPerSecond: 90 },
    { timeSeconds: 0.6, readingBytesPerSecond: 100 },
    { timeSeconds: 0.8, readingBytesPerSecond: 110 },
  ];
  assert.deepEqual(relativeReadings(samples).map((x) => Math.round(x * 100) / 100), [-0.1, 0, 0.1]);
  assert.deepEqual(relativeReadings([]), []);
});

Deno.test("readingQuantiles: one pair per level, ascending, the extremes at 0 and 1", () => {
  const table = readingQuantiles([0.05, -0.05, 0, 0.1, -0.1]);
  assert.equal(table.length, READING_LEVELS.length);
  assert.deepEqual(table[0], [0, -0.1]);
  assert.deepEqual(table.at(-1), [1, 0.1]);
  assert.deepEqual(table.find(([p]) => p === 0.5), [0.5, 0]);
  for (let i = 1; i < table.length; i++) assert.ok(table[i]![1] >= table[i - 1]![1]);
});
