import assert from "node:assert/strict";
import fc from "fast-check";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "./kvm_precopy.ts";

// The sweep's full-memory workload (1.5 GiB, W = 1,315 MiB measured, at 51,200 pages/s,
// 33,200 zero pages) at the grid's B.
const M = 1.5 * 2 ** 30;
const FULL = {
  memoryBytes: M,
  wssBytes: 1315 * 2 ** 20,
  dirtyPagesPerSecond: 51200,
  bandwidthBytesPerSecond: 119e6,
  zeroBytes: 33200 * 4096,
};
const at = (limit: number, options = {}) =>
  kvmPrecopy(FULL, { downtimeLimitSeconds: limit, timeoutSeconds: 40, ...options });
/** Whether a result stopped at its first check (before the second window ends). */
const atOnce = (r: { converged: boolean; precopyTimeSeconds: number }) =>
  r.converged && r.precopyTimeSeconds < 0.2;

Deno.test("kvmPrecopy() first window: certain outside the sittings' range, either way inside", async (t) => {
  await t.step("10.5 s needs a first reading above the range's: it goes on", () => {
    const r = at(10.5);
    assert.equal(r.firstWindow, "continues");
    assert.equal(r.otherOutcome, null);
    assert.equal(atOnce(r), false);
  });
  await t.step("12.5 s stops at once at every reading in the range", () => {
    const r = at(12.5);
    assert.equal(r.firstWindow, "stops");
    assert.equal(r.otherOutcome, null);
    assert.ok(atOnce(r));
    assert.ok(r.downtimeSeconds > 12);
  });
  await t.step("11.5 s: both outcomes, the whole memory or a later stop", () => {
    const r = at(11.5);
    assert.equal(r.firstWindow, "either");
    const other = r.otherOutcome!;
    assert.notEqual(atOnce(r), atOnce(other));
    const [once, later] = atOnce(r) ? [r, other] : [other, r];
    // At once nearly the whole memory is left (zero pages at 9 bytes on the wire).
    assert.ok(once.downtimeSeconds > 12 && once.downtimeSeconds < 12.6, `${once.downtimeSeconds}`);
    // Later the count has fallen to about B x L, and the reading's scatter stops it a little early.
    assert.ok(
      later.downtimeSeconds > 10.3 && later.downtimeSeconds < 11.6,
      `${later.downtimeSeconds}`,
    );
    assert.ok(later.migrationTimeSeconds > once.migrationTimeSeconds);
    assert.ok(later.bitmapSyncs >= once.bitmapSyncs);
  });
  await t.step("the range's ends decide: one sitting, one outcome", () => {
    const [low, high] = KVM_PRECOPY_DEFAULTS.socketBufferRangeBytes;
    assert.ok(low < KVM_PRECOPY_DEFAULTS.socketBufferBytes);
    assert.ok(KVM_PRECOPY_DEFAULTS.socketBufferBytes < high);
    assert.equal(atOnce(at(11.5, { socketBufferBytes: low })), false);
    assert.equal(atOnce(at(11.5, { socketBufferBytes: high })), true);
    // A socket buffer given alone is its own range: no other outcome.
    for (const socketBufferBytes of [low, high]) {
      const r = at(11.5, { socketBufferBytes });
      assert.notEqual(r.firstWindow, "either");
      assert.equal(r.otherOutcome, null);
    }
    // The other outcome is the model at the other end of the range.
    const r = at(11.5);
    const end = at(11.5, { socketBufferBytes: atOnce(r) ? low : high });
    assert.equal(r.otherOutcome!.downtimeSeconds, end.downtimeSeconds);
    assert.equal(r.otherOutcome!.migrationTimeSeconds, end.migrationTimeSeconds);
  });
  await t.step("a range of one point is the sitting's own: no either", () => {
    const r = at(11.5, { socketBufferRangeBytes: [2.3e6, 2.3e6] });
    assert.equal(r.firstWindow, "stops");
  });
  await t.step("between rounds there is no first window", () => {
    const r = at(11.5, { switchRule: "between-rounds" });
    assert.equal(r.firstWindow, null);
    assert.equal(r.otherOutcome, null);
  });
});

Deno.test("kvmPrecopy() first window: a bad range is a RangeError naming it", () => {
  for (
    const socketBufferRangeBytes of [
      [3e6, 4e6], // does not hold socketBufferBytes (2.3 MB)
      [2e6, 1e6],
      [-1, 3e6],
      [1e6],
      [1e6, Number.NaN],
      "1e6,3e6",
    ]
  ) {
    assert.throws(
      () => at(11.5, { socketBufferRangeBytes }),
      (e: unknown) =>
        e instanceof RangeError && e.message.includes('"socketBufferRangeBytes"') &&
        e.message.includes("bytes"),
      String(socketBufferRangeBytes),
    );
  }
});

Deno.test("kvmPrecopy() first window: the outcomes differ only in the first check, for random inputs", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 2 ** 28, max: 2 ** 32, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1e5, noNaN: true }),
      fc.double({ min: 5e7, max: 2e8, noNaN: true }),
      fc.double({ min: 0.8, max: 1.2, noNaN: true }),
      (memoryBytes, fraction, dirtyPagesPerSecond, b, scale) => {
        const input = {
          memoryBytes,
          wssBytes: fraction * memoryBytes,
          dirtyPagesPerSecond,
          bandwidthBytesPerSecond: b,
        };
        // Limits about where the whole memory fits a first reading: the zone.
        const limit = (scale * memoryBytes) / (b + 1.7e7);
        const r = kvmPrecopy(input, { downtimeLimitSeconds: limit, timeoutSeconds: 60 });
        assert.ok(
          r.firstWindow === "stops" || r.firstWindow === "continues" || r.firstWindow === "either",
        );
        assert.equal(r.otherOutcome === null, r.firstWindow !== "either");
        assert.equal(r.firstWindow === "stops", atOnce(r) && r.firstWindow !== "either");
        if (r.otherOutcome !== null) {
          assert.notEqual(atOnce(r), atOnce(r.otherOutcome));
          // The stop at once leaves what the first check found, under its reading x L.
          const once = atOnce(r) ? r : r.otherOutcome;
          const [, high] = KVM_PRECOPY_DEFAULTS.socketBufferRangeBytes;
          assert.ok(once.remainingBytes < (b + high / 0.1) * limit);
        }
      },
    ),
    { numRuns: 150, seed: 8 },
  );
});
