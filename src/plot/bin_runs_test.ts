import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { binRuns } from "./bin_runs.ts";

const MIB = 2 ** 20;
const M = 4096 * MIB;

function run(overrides: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "none",
    memoryBytes: M,
    wssBytes: 256 * MIB,
    dirtyPagesPerSecond: 1000,
    pageBytes: 4096,
    migrationTimeSeconds: 5,
    status: "completed",
    extra: { source: "synthetic" },
    ...overrides,
  };
}

Deno.test("binRuns() keeps few, far-apart rates and WSS as they are, with no sentence", () => {
  const runs = [
    run({ dirtyPagesPerSecond: 1024, wssBytes: 64 * MIB }),
    run({ dirtyPagesPerSecond: 5120, wssBytes: M }),
    run({ dirtyPagesPerSecond: 1024, wssBytes: 0 }),
  ];
  assert.deepEqual(binRuns(runs), {
    rates: [1024, 5120, 1024],
    wssLabels: ["64 MiB", "Full", "0 MiB"],
    wssSizes: [64 * MIB, Infinity, 0],
    rateBins: { rule: "exact", someRequested: false },
    wssBins: { rule: "exact", someRequested: false },
    sentence: "",
  });
});

Deno.test("binRuns() places runs at their requested rate and WSS and says so", () => {
  const runs = [
    run({ dirtyPagesPerSecond: 4877, requestedDirtyPagesPerSecond: 5120, requestedWssBytes: M }),
    run({
      dirtyPagesPerSecond: 1010,
      wssBytes: 250 * MIB,
      requestedDirtyPagesPerSecond: 1024,
      requestedWssBytes: 256 * MIB,
    }),
  ];
  const bins = binRuns(runs);
  assert.deepEqual(bins.rates, [5120, 1024]);
  assert.deepEqual(bins.wssLabels, ["Full", "256 MiB"]);
  assert.deepEqual(bins.wssSizes, [Infinity, 256 * MIB]);
  assert.deepEqual(bins.rateBins, { rule: "requested", someRequested: true });
  assert.deepEqual(bins.wssBins, { rule: "requested", someRequested: true });
  assert.equal(
    bins.sentence,
    "Runs are placed and grouped by their requested dirty rate and WSS (columns requested_dirty_pages_per_second, requested_wss); the model used each run's achieved values.",
  );
});

Deno.test("binRuns() bins scattered rates and WSS to 1-2-5 values and powers of two MiB", () => {
  // 12 runs: rates 1000 · 1.3^i (each 30 % above the last: more than 8 distinct, no
  // groups) and WSS 20 · 1.5^i MiB (12 distinct labels, more than 8).
  const runs = Array.from({ length: 12 }, (_, i) =>
    run({
      dirtyPagesPerSecond: 1000 * 1.3 ** i,
      wssBytes: Math.round(20 * 1.5 ** i) * MIB,
    }));
  const bins = binRuns(runs);
  assert.deepEqual(bins.rateBins, { rule: "nice", someRequested: false });
  assert.deepEqual(bins.wssBins, { rule: "nice", someRequested: false });
  // 1000, 1300 → 1000; 1690, 2197, 2856 → 2000; 3713 → 5000 (nearest in log: the 1-2-5
  // boundaries are sqrt(2) · 1000 = 1414 and sqrt(10) · 1000 = 3162).
  assert.deepEqual(bins.rates.slice(0, 6), [1000, 1000, 2000, 2000, 2000, 5000]);
  // 20 MiB → 16 (log2 20 = 4.32), 30 → 32, 45 → 32 (5.49), 68 → 64, 101 → 128 (6.66).
  assert.deepEqual(bins.wssLabels.slice(0, 5), ["16 MiB", "32 MiB", "32 MiB", "64 MiB", "128 MiB"]);
  assert.deepEqual(bins.wssSizes.slice(0, 5), [16, 32, 32, 64, 128].map((m) => m * MIB));
  assert.match(bins.sentence, /1-2-5 values/);
  assert.match(bins.sentence, /nearest power of two MiB/);
});

Deno.test("binRuns() of no runs is empty", () => {
  const bins = binRuns([]);
  assert.deepEqual([bins.rates, bins.wssLabels, bins.wssSizes], [[], [], []]);
  assert.equal(bins.sentence, "");
});
