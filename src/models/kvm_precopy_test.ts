import assert from "node:assert/strict";
import fc from "fast-check";
import { kvmPrecopy } from "./kvm_precopy.ts";

const M = 1.5 * 2 ** 30;
const B = 125e6;
const MIB = 2 ** 20;
/** The rule these tests were written for: the remainder checked between whole rounds. */
const ROUNDS = { switchRule: "between-rounds" } as const;

Deno.test("kvmPrecopy() between rounds stops once the remainder fits the downtime limit", async (t) => {
  await t.step("an idle guest: one round, nothing left, no pause", () => {
    const result = kvmPrecopy({
      memoryBytes: M,
      wssBytes: 0,
      dirtyPagesPerSecond: 0,
      bandwidthBytesPerSecond: B,
    }, ROUNDS);
    assert.equal(result.converged, true);
    assert.equal(result.iterations, 1);
    assert.equal(result.downtimeSeconds, 0);
    assert.equal(result.migrationTimeSeconds, M / B);
  });
  await t.step("W = 64 MiB, d = 5120: geometric rounds until the remainder < 0.3 s × B", () => {
    // t1 = 12.884901888 s; dirty = min(W, p·d·t1) = W = 67108864 bytes -> 0.537 s > 0.3 s.
    // t2 = 0.536870912 s; dirty = 4096·5120·0.536870912 = 11258999 bytes -> 0.0901 s <= 0.3 s: stop.
    const result = kvmPrecopy({
      memoryBytes: M,
      wssBytes: 64 * MIB,
      dirtyPagesPerSecond: 5120,
      bandwidthBytesPerSecond: B,
    }, ROUNDS);
    assert.equal(result.converged, true);
    assert.equal(result.iterations, 2);
    const remaining = 4096 * 5120 * 0.536870912;
    assert.ok(Math.abs(result.remainingBytes - remaining) < 1e-6);
    assert.ok(Math.abs(result.downtimeSeconds - remaining / B) < 1e-12);
    assert.ok(
      Math.abs(result.migrationTimeSeconds - (12.884901888 + 0.536870912 + remaining / B)) < 1e-9,
    );
    assert.ok(Math.abs(result.transferredBytes - (M + 64 * MIB + remaining)) < 1e-3);
  });
  await t.step("a limit above M/B sends everything in stop-and-copy", () => {
    const result = kvmPrecopy(
      { memoryBytes: M, wssBytes: M, dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: B },
      { ...ROUNDS, downtimeLimitSeconds: 13 },
    );
    assert.equal(result.converged, true);
    assert.equal(result.iterations, 0);
    assert.equal(result.downtimeSeconds, M / B);
  });
});

Deno.test("kvmPrecopy() between rounds gives up, never loops forever, when the remainder stays above the limit", async (t) => {
  await t.step("timeout: W dirtied faster than it is sent", () => {
    const result = kvmPrecopy(
      {
        memoryBytes: M,
        wssBytes: 256 * MIB,
        dirtyPagesPerSecond: 51200,
        bandwidthBytesPerSecond: B,
      },
      { ...ROUNDS, timeoutSeconds: 60 },
    );
    assert.equal(result.converged, false);
    assert.equal(result.stopReason, "timeout");
    assert.equal(result.migrationTimeSeconds, 60);
    assert.equal(result.remainingBytes, 256 * MIB);
    assert.ok(Math.abs(result.transferredBytes - 60 * B) < 1e-3);
  });
  await t.step("max-iterations: a zero limit with shrinking rounds", () => {
    const result = kvmPrecopy(
      { memoryBytes: M, wssBytes: 64 * MIB, dirtyPagesPerSecond: 1024, bandwidthBytesPerSecond: B },
      { ...ROUNDS, downtimeLimitSeconds: 0, maxIterations: 50 },
    );
    assert.equal(result.converged, false);
    assert.equal(result.stopReason, "max-iterations");
    assert.equal(result.iterations, 50);
  });
});

Deno.test("kvmPrecopy() between rounds shows Figure 3's sharp switch around the remainder's floor", () => {
  // The floor is W/B = 128 MiB / 125 MB/s = 1.073741824 s when p·d > B.
  const input = {
    memoryBytes: M,
    wssBytes: 128 * MIB,
    dirtyPagesPerSecond: 51200,
    bandwidthBytesPerSecond: B,
  };
  const floorSeconds = (128 * MIB) / B;
  const below = kvmPrecopy(input, {
    ...ROUNDS,
    downtimeLimitSeconds: floorSeconds * 0.999,
    timeoutSeconds: 300,
  });
  const above = kvmPrecopy(input, {
    ...ROUNDS,
    downtimeLimitSeconds: floorSeconds * 1.001,
    timeoutSeconds: 300,
  });
  assert.equal(below.converged, false);
  assert.equal(below.migrationTimeSeconds, 300);
  assert.equal(above.converged, true);
  assert.equal(above.iterations, 1);
  assert.ok(Math.abs(above.migrationTimeSeconds - (M / B + floorSeconds)) < 1e-9);
  // A 0.2 % change of the limit cuts the migration time more than 20-fold.
  assert.ok(below.migrationTimeSeconds / above.migrationTimeSeconds > 20);
});

Deno.test("kvmPrecopy() between rounds: invariants hold for random inputs", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 2 ** 20, max: 2 ** 34, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 2e5, noNaN: true }),
      fc.double({ min: 1e6, max: 1e10, noNaN: true }),
      fc.double({ min: 0, max: 2, noNaN: true }),
      (
        memoryBytes,
        fraction,
        dirtyPagesPerSecond,
        bandwidthBytesPerSecond,
        downtimeLimitSeconds,
      ) => {
        const result = kvmPrecopy(
          {
            memoryBytes,
            wssBytes: fraction * memoryBytes,
            dirtyPagesPerSecond,
            bandwidthBytesPerSecond,
          },
          { ...ROUNDS, downtimeLimitSeconds, timeoutSeconds: 120, maxIterations: 500 },
        );
        assert.ok(
          Number.isFinite(result.migrationTimeSeconds) && Number.isFinite(result.downtimeSeconds),
        );
        if (result.converged) {
          assert.ok(result.downtimeSeconds <= downtimeLimitSeconds + 1e-12);
          assert.ok(
            result.migrationTimeSeconds >=
              Math.min(memoryBytes / bandwidthBytesPerSecond, 120) - 1e-9,
          );
        } else {
          assert.ok(result.migrationTimeSeconds <= 120);
          assert.ok(result.downtimeSeconds > downtimeLimitSeconds);
        }
      },
    ),
  );
});

Deno.test("kvmPrecopy() rejects bad options", () => {
  const input = { memoryBytes: M, wssBytes: 0, dirtyPagesPerSecond: 0, bandwidthBytesPerSecond: B };
  assert.throws(() => kvmPrecopy(input, { downtimeLimitSeconds: -0.1 }), {
    name: "RangeError",
    message:
      'kvmPrecopy: invalid option "downtimeLimitSeconds", expected a finite number >= 0 seconds (got -0.1)',
  });
  assert.throws(() => kvmPrecopy(input, { timeoutSeconds: 0 }), {
    name: "RangeError",
    message:
      'kvmPrecopy: invalid option "timeoutSeconds", expected a finite number > 0 seconds (got 0)',
  });
});
