import assert from "node:assert/strict";
import fc from "fast-check";
import { createRandom, normal } from "../_random.ts";
import { kvmPrecopy, type KvmPrecopyOptions } from "./kvm_precopy.ts";

/** 128 MiB written at random over the sweep's 1.5 GiB guest, at the report's B. */
const SWEEP_RANDOM = {
  memoryBytes: 1610612736,
  wssBytes: 2 ** 27,
  dirtyPagesPerSecond: 51000,
  bandwidthBytesPerSecond: 119e6,
  zeroBytes: 33230 * 4096,
};
const RANDOM = { writePattern: "random", timeoutSeconds: 40 } as const;

Deno.test("kvmPrecopy() random writes: the chance to converge is 0 far below the switch, 1 far above, and grows with the limit", () => {
  const chance = (limit: number, options: KvmPrecopyOptions = {}) =>
    kvmPrecopy(SWEEP_RANDOM, { ...RANDOM, ...options, downtimeLimitSeconds: limit })
      .convergenceProbability;
  assert.equal(chance(0.3), 0);
  assert.equal(chance(0.4), 0);
  assert.ok(chance(0.6) > 1 - 1e-9);
  let previous = 0;
  for (let limit = 0.3; limit <= 0.7; limit += 0.002) {
    const now = chance(limit);
    assert.ok(now >= previous - 1e-12, `chance falls at ${limit}: ${previous} -> ${now}`);
    previous = now;
  }
  // Without the threshold's scatter the switch comes later (the count's own scatter only).
  assert.ok(chance(0.497) > 0.5);
  assert.ok(chance(0.497, { bandwidthReadingSpread: 0 }) < 0.01);
});

Deno.test("kvmPrecopy() random writes: converged means a chance of at least one half, with the expected stop", () => {
  for (let limit = 0.45; limit <= 0.56; limit += 0.005) {
    const result = kvmPrecopy(SWEEP_RANDOM, { ...RANDOM, downtimeLimitSeconds: limit });
    assert.equal(result.converged, result.convergenceProbability >= 0.5);
    if (!result.converged) {
      assert.equal(result.migrationTimeSeconds, 40);
      continue;
    }
    assert.equal(result.stopReason, "converged");
    assert.ok(result.precopyTimeSeconds > 12 && result.precopyTimeSeconds <= 40);
    // The expected count at the stop lies below the threshold's upper scatter, B·L·(1 + 4 × 1.2 %).
    assert.ok(result.remainingBytes < 119e6 * limit * 1.048, `${limit}: ${result.remainingBytes}`);
    assert.ok(Number.isInteger(result.bitmapSyncs) && result.bitmapSyncs > result.iterations);
    assert.ok(
      Math.abs(
        result.migrationTimeSeconds - result.precopyTimeSeconds - result.stopAndCopySeconds,
      ) < 1e-9,
    );
  }
});

/**
 * One migration of a guest whose whole memory (`pages`) is written at random,
 * page by page: QEMU's rule as kvmPrecopy models it without bandwidth windows
 * (a sync whenever the count falls to the threshold; the threshold read with
 * a relative scatter `spread`). True when it switched before `timeout`.
 */
function pageLevelRun(
  pages: number,
  d: number,
  b: number,
  limit: number,
  timeout: number,
  spread: number,
  random: () => number,
): boolean {
  const wire = 4104;
  const perChunk = Math.round((b * 0.05) / wire);
  const threshold = (b * limit) / 4096;
  const dirty = new Uint8Array(pages).fill(1);
  let count = pages;
  let cursor = 0;
  let time = 0;
  let last = 0;
  for (;;) {
    const chunks = Math.max(1, Math.ceil((count - threshold) / perChunk));
    const send = Math.min(count, chunks * perChunk);
    if (time + (send * wire) / b > timeout) return false;
    for (let left = send; left > 0; cursor = (cursor + 1) % pages) {
      if (dirty[cursor] === 1) dirty[cursor] = 0, count--, left--;
    }
    time += (send * wire) / b;
    const writes = Math.round(d * (time - last));
    last = time;
    for (let k = 0; k < writes; k++) {
      const page = Math.floor(random() * pages);
      if (dirty[page] === 0) dirty[page] = 1, count++;
    }
    if (count === 0 || count < threshold * (1 + spread * normal(random))) return true;
  }
}

Deno.test("kvmPrecopy() random writes: the chance matches a seeded page-level Monte Carlo", () => {
  // 4 MiB written at 5,000 pages/s, 150 pages a chunk: the mean count settles near 0.15 s × B.
  const pages = 1024;
  const d = 5000;
  const b = (150 * 4104) / 0.05;
  const spread = 0.03;
  const input = {
    memoryBytes: pages * 4096,
    wssBytes: pages * 4096,
    dirtyPagesPerSecond: d,
    bandwidthBytesPerSecond: b,
  };
  const options = {
    writePattern: "random",
    timeoutSeconds: 10,
    bandwidthReadingSpread: spread,
    bandwidthWindowSeconds: 0,
    socketBufferBytes: 0,
  } as const;
  const runs = 300;
  for (const limit of [0.14, 0.145, 0.15]) {
    const random = createRandom(14);
    let switched = 0;
    for (let r = 0; r < runs; r++) {
      if (pageLevelRun(pages, d, b, limit, 10, spread, random)) switched++;
    }
    const model = kvmPrecopy(input, { ...options, downtimeLimitSeconds: limit });
    // The Monte Carlo's standard error is at most 0.03; the model takes the syncs as independent.
    assert.ok(
      Math.abs(switched / runs - model.convergenceProbability) < 0.12,
      `${limit}: Monte Carlo ${switched / runs}, model ${model.convergenceProbability}`,
    );
  }
});

Deno.test("kvmPrecopy() sweep writes and the between-rounds rule: the chance is 1 or 0, as converged", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1e5, noNaN: true }),
      fc.double({ min: 0, max: 3, noNaN: true }),
      fc.constantFrom("qemu" as const, "between-rounds" as const),
      (fraction, dirtyPagesPerSecond, limit, switchRule) => {
        const result = kvmPrecopy(
          { ...SWEEP_RANDOM, wssBytes: fraction * 2 ** 29, dirtyPagesPerSecond },
          { downtimeLimitSeconds: limit, timeoutSeconds: 40, switchRule },
        );
        assert.equal(result.convergenceProbability, result.converged ? 1 : 0);
      },
    ),
    { numRuns: 100, seed: 14 },
  );
});

Deno.test("kvmPrecopy() rejects a bad bandwidthReadingSpread", () => {
  assert.throws(() => kvmPrecopy(SWEEP_RANDOM, { bandwidthReadingSpread: -0.01 }), {
    name: "RangeError",
    message:
      'kvmPrecopy: invalid option "bandwidthReadingSpread", expected a finite number >= 0 (a relative standard deviation) (got -0.01)',
  });
});
