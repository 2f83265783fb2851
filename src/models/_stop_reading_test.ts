import assert from "node:assert/strict";
import { expectedEarlyChecks, readingSurvival, type ReadingTable } from "./_stop_reading.ts";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "./kvm_precopy.ts";

const uniform: ReadingTable = { levels: [0, 1], deviations: [-0.1, 0.1] };

Deno.test("readingSurvival is one below the table, zero above it, linear between", () => {
  assert.equal(readingSurvival(uniform, -0.2), 1);
  assert.equal(readingSurvival(uniform, 0.1), 0);
  assert.ok(Math.abs(readingSurvival(uniform, 0) - 0.5) < 1e-12);
  assert.ok(Math.abs(readingSurvival(uniform, 0.05) - 0.25) < 1e-12);
  const steps: ReadingTable = { levels: [0, 0.5, 0.9, 1], deviations: [-0.1, 0, 0, 0.2] };
  assert.ok(Math.abs(readingSurvival(steps, -0.05) - 0.75) < 1e-12);
  assert.ok(Math.abs(readingSurvival(steps, 0) - 0.1) < 1e-12); // the jump at 0
  assert.ok(Math.abs(readingSurvival(steps, 0.1) - 0.05) < 1e-12);
});

Deno.test("expectedEarlyChecks: a reading of B everywhere keeps the deterministic stop", () => {
  const point: ReadingTable = { levels: [0, 1], deviations: [0, 0] };
  // Check j holds (1 + j / 100) x the threshold: only j <= 0 stops at a reading of B.
  const early = expectedEarlyChecks((j) => j / 100 - 0.001, 10, point);
  assert.deepEqual(early, { checks: 0, excess: -0.001 });
  const none = expectedEarlyChecks((j) => j / 100, 10, { levels: [], deviations: [] });
  assert.deepEqual(none, { checks: 0, excess: 0 });
});

Deno.test("expectedEarlyChecks against a direct sum over the windows", () => {
  // Excess 1 % per check; a uniform reading in [-10 %, +10 %]: sum the windows by hand.
  const excess = (j: number) => j * 0.01;
  const got = expectedEarlyChecks(excess, 12, uniform);
  let survive = 1;
  let want = 0;
  let wantExcess = 0;
  for (let w = 6; w > -20; w--) {
    const e = 2 * w + 1;
    const l = 2 * w;
    const sE = e <= 12 ? readingSurvival(uniform, excess(e)) : 0;
    const sL = readingSurvival(uniform, excess(l));
    want += survive * (sE * e + (sL - sE) * l);
    wantExcess += survive * (sE * excess(e) + (sL - sE) * excess(l));
    survive *= 1 - sL;
  }
  assert.ok(Math.abs(got.checks - want) < 1e-9, `${got.checks} vs ${want}`);
  assert.ok(Math.abs(got.excess - wantExcess) < 1e-9);
  assert.ok(Math.abs(got.excess - got.checks * 0.01) < 1e-9, "one check is 1 % here");
  assert.ok(got.checks > 0, "a symmetric reading stops early on average when the count falls");
});

Deno.test("expectedEarlyChecks: the bitmap running empty ends the walk there", () => {
  // Past the stop nothing is left after two checks: stop there at the latest.
  const got = expectedEarlyChecks((j) => (j < -2 ? Number.NaN : 0.5 + j * 0.01), 0, uniform);
  // Window -1 (checks -1, -2) cannot stop (excess 0.48 > 0.1); check -4 is empty.
  assert.deepEqual(got, { checks: -4, excess: -1 });
});

Deno.test("kvmPrecopy: the scattering reading lengthens a large limit's pause, not a small one's", () => {
  const idle = {
    memoryBytes: 1.5 * 2 ** 30,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    bandwidthBytesPerSecond: 119e6,
    zeroBytes: 136e6,
  };
  const fixed = { bandwidthReadingQuantiles: [] };
  const at = (limit: number, options = {}) =>
    kvmPrecopy(idle, { downtimeLimitSeconds: limit, ...options });
  const large = at(9).downtimeSeconds - at(9, fixed).downtimeSeconds;
  const small = at(0.6).downtimeSeconds - at(0.6, fixed).downtimeSeconds;
  assert.ok(large > 0.1 && large < 0.5, `9 s: ${large}`);
  assert.ok(Math.abs(small) < 0.02, `0.6 s: ${small}`);
  // The bytes only move between pre-copy and stop-and-copy.
  assert.ok(Math.abs(at(9).transferredBytes - at(9, fixed).transferredBytes) < 1);
  const moved = at(9, fixed).precopyTimeSeconds - at(9).precopyTimeSeconds;
  assert.ok(Math.abs(moved - large) < 1e-9);
  assert.equal(at(9).bitmapSyncs, at(9, fixed).bitmapSyncs);
});

Deno.test("kvmPrecopy: whether it converges does not depend on the reading table", () => {
  const input = {
    memoryBytes: 1.5 * 2 ** 30,
    wssBytes: 2 ** 27,
    dirtyPagesPerSecond: 51200,
    bandwidthBytesPerSecond: 119e6,
  };
  for (const limit of [0.5, 0.7, 0.72, 0.73, 0.75, 1, 3]) {
    const scatter = kvmPrecopy(input, { downtimeLimitSeconds: limit, timeoutSeconds: 40 });
    const fixed = kvmPrecopy(input, {
      downtimeLimitSeconds: limit,
      timeoutSeconds: 40,
      bandwidthReadingQuantiles: [],
    });
    assert.equal(scatter.converged, fixed.converged, `limit ${limit}`);
  }
});

Deno.test("bandwidthReadingQuantiles is checked", () => {
  const input = {
    memoryBytes: 2 ** 30,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    bandwidthBytesPerSecond: 1e8,
  };
  const bad: unknown[] = [
    [[0, 0]],
    [[0.1, -0.1], [1, 0.1]],
    [[0, 0.1], [1, -0.1]],
    [[0, -0.1], [0, 0], [1, 0.1]],
    [[0, -2], [1, 0]],
    [[0, "a"], [1, 0]],
  ];
  for (const table of bad) {
    assert.throws(
      () => kvmPrecopy(input, { bandwidthReadingQuantiles: table as [number, number][] }),
      /bandwidthReadingQuantiles/,
    );
  }
  assert.throws(
    () => kvmPrecopy(input, { bandwidthReadingQuantiles: 3 as unknown as [number, number][] }),
    TypeError,
  );
  const table = KVM_PRECOPY_DEFAULTS.bandwidthReadingQuantiles;
  assert.equal(table[0]![0], 0);
  assert.equal(table.at(-1)![0], 1);
});
