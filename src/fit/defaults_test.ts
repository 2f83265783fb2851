import assert from "node:assert/strict";
import { DEFAULT_RESAMPLES, DEFAULT_SEED, INTERVAL_LEVEL, intervalInfo } from "./defaults.ts";

Deno.test("intervalInfo() names a percentile bootstrap at INTERVAL_LEVEL, or none for 0 resamples", async (t) => {
  await t.step("with resamples", () => {
    assert.deepEqual(intervalInfo(DEFAULT_RESAMPLES, DEFAULT_SEED), {
      method: "bootstrap",
      resamples: DEFAULT_RESAMPLES,
      seed: DEFAULT_SEED,
      level: INTERVAL_LEVEL,
    });
    assert.deepEqual(intervalInfo(1, 7), {
      method: "bootstrap",
      resamples: 1,
      seed: 7,
      level: 0.95,
    });
  });
  await t.step("without", () => {
    assert.deepEqual(intervalInfo(0, 3), { method: "none" });
  });
});
