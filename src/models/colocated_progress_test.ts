import assert from "node:assert/strict";
import { colocatedProgress, colocatedRatio } from "./colocated_progress.ts";

Deno.test("colocatedProgress() gives each load's ratio by hand", async (t) => {
  const input = { migrationTimeSeconds: 20, transferredBytes: 1.2e9, sourceMigrationCpuSeconds: 2 };
  await t.step("cpu: 1 − κ·m/T", () => {
    // 1 − 1.5 × 2 / 20 = 0.85; lost (1 − 0.85) × 20 = 3 s.
    const result = colocatedProgress("cpu", input, { cpuLossPerCpuSecond: 1.5 });
    assert.ok(Math.abs(result.progressRatio - 0.85) < 1e-12, String(result.progressRatio));
    assert.ok(Math.abs(result.lostSeconds - 3) < 1e-12);
    // κ defaults to 1: 1 − 2/20.
    assert.ok(Math.abs(colocatedProgress("cpu", input).progressRatio - 0.9) < 1e-12);
  });
  await t.step("network: 1 − (bytes/T)/C", () => {
    // 60 MB/s of a 125 MB/s link (the default C) leaves 0.52.
    assert.ok(Math.abs(colocatedProgress("network", input).progressRatio - 0.52) < 1e-12);
    const ratio = colocatedProgress("network", input, { linkBytesPerSecond: 80e6 }).progressRatio;
    assert.ok(Math.abs(ratio - 0.25) < 1e-12);
  });
  await t.step("memory: 1, whatever the migration", () => {
    assert.deepEqual(colocatedProgress("memory", input), { progressRatio: 1, lostSeconds: 0 });
  });
  await t.step("clamped at 0 when the migration would take more than everything", () => {
    assert.equal(colocatedRatio("network", 10, 2e9, 0, 1, 100e6), 0);
    assert.equal(colocatedRatio("cpu", 10, 0, 20, 1, 1), 0);
  });
});

Deno.test("colocatedProgress() rejects what it cannot model", () => {
  const input = { migrationTimeSeconds: 20, transferredBytes: 1.2e9 };
  assert.throws(() => colocatedProgress("none" as "cpu", input), {
    name: "TypeError",
    message:
      'colocatedProgress: invalid contention, expected "cpu", "network", "memory" (got "none")',
  });
  assert.throws(() => colocatedProgress("cpu", input), {
    name: "RangeError",
    message:
      'colocatedProgress: missing field "sourceMigrationCpuSeconds", expected CPU seconds for contention "cpu" (got undefined)',
  });
  assert.throws(() => colocatedProgress("network", { ...input, migrationTimeSeconds: 0 }), {
    name: "RangeError",
    message:
      'colocatedProgress: invalid input "migrationTimeSeconds", expected a finite number > 0 seconds (got 0)',
  });
  assert.throws(() => colocatedProgress("network", input, { linkBytesPerSecond: -1 }), {
    name: "RangeError",
    message:
      'colocatedProgress: invalid option "linkBytesPerSecond", expected a finite number > 0 bytes/s (got -1)',
  });
});
