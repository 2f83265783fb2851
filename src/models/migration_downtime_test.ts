import assert from "node:assert/strict";
import fc from "fast-check";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "./kvm_precopy.ts";
import { migrationDowntime } from "./migration_downtime.ts";
import { xenPrecopy } from "./xen_precopy.ts";

const INPUT = {
  memoryBytes: 1.5 * 2 ** 30,
  wssBytes: 2 ** 27,
  dirtyPagesPerSecond: 15360,
  bandwidthBytesPerSecond: 125e6,
};

Deno.test("migrationDowntime() adds the switchover cost to what each model leaves", async (t) => {
  await t.step("Xen pre-copy: the last round's remainder over B", () => {
    // By hand: one round (maxIterations 1) of t1 = M/B = 12.88 s dirties
    // min(W, p·d·t1) = min(134 MB, 810 MB) = W, so the pause is W/B + the cost.
    const one = migrationDowntime("xen-precopy", INPUT, {
      switchoverSeconds: 0.03,
      xenPrecopy: { maxIterations: 1 },
    });
    assert.equal(one.stopAndCopyBytes, 2 ** 27);
    assert.ok(Math.abs(one.downtimeSeconds - (2 ** 27 / 125e6 + 0.03)) < 1e-12);
    const result = migrationDowntime("xen-precopy", INPUT, { switchoverSeconds: 0.03 });
    const xen = xenPrecopy(INPUT);
    assert.equal(result.stopAndCopyBytes, xen.stopAndCopyBytes);
    assert.equal(result.stopAndCopySeconds, xen.stopAndCopyBytes / 125e6);
    assert.equal(result.downtimeSeconds, result.stopAndCopySeconds + 0.03);
    assert.equal(result.switchoverSeconds, 0.03);
    assert.equal(result.converged, true);
  });
  await t.step("KVM pre-copy: kvmPrecopy's remainder, with its options", () => {
    const options = { downtimeLimitSeconds: 1.2 };
    const result = migrationDowntime("kvm-precopy", INPUT, {
      switchoverSeconds: 0.1,
      kvmPrecopy: options,
    });
    const kvm = kvmPrecopy(INPUT, options);
    assert.equal(kvm.converged, true);
    assert.equal(result.stopAndCopyBytes, kvm.remainingBytes);
    assert.equal(result.stopAndCopySeconds, kvm.stopAndCopySeconds);
    assert.ok(Math.abs(result.downtimeSeconds - (kvm.stopAndCopySeconds + 0.1)) < 1e-15);
  });
  await t.step(
    "KVM pre-copy by default: kvmPrecopy's own switchover cost, fitted on the grid",
    () => {
      const result = migrationDowntime("kvm-precopy", INPUT, {
        kvmPrecopy: { downtimeLimitSeconds: 1.2 },
      });
      const kvm = kvmPrecopy(INPUT, { downtimeLimitSeconds: 1.2 });
      assert.equal(result.switchoverSeconds, KVM_PRECOPY_DEFAULTS.switchoverSeconds);
      assert.equal(result.downtimeSeconds, kvm.downtimeSeconds);
      const own = migrationDowntime("kvm-precopy", INPUT, {
        kvmPrecopy: { downtimeLimitSeconds: 1.2, switchoverSeconds: 0.5 },
      });
      assert.equal(own.switchoverSeconds, 0.5);
      assert.equal(own.stopAndCopySeconds, kvm.stopAndCopySeconds);
    },
  );
  await t.step("KVM pre-copy that does not converge says so", () => {
    const result = migrationDowntime("kvm-precopy", { ...INPUT, dirtyPagesPerSecond: 51200 }, {
      kvmPrecopy: { downtimeLimitSeconds: 0.3, timeoutSeconds: 60 },
    });
    assert.equal(result.converged, false);
    assert.ok(result.stopAndCopySeconds > 0.3);
  });
  await t.step("post-copy: the cost alone, by default kvmPostcopy's 47 ms", () => {
    assert.deepEqual(migrationDowntime("kvm-postcopy", INPUT), {
      downtimeSeconds: 0.047,
      stopAndCopySeconds: 0,
      stopAndCopyBytes: 0,
      switchoverSeconds: 0.047,
      converged: true,
    });
    const pause = migrationDowntime("kvm-postcopy", INPUT, {
      kvmPostcopy: { switchoverSeconds: 0.01 },
    });
    assert.equal(pause.downtimeSeconds, 0.01);
  });
  await t.step("pre-copy's default cost is 0", () => {
    const result = migrationDowntime("xen-precopy", INPUT);
    assert.equal(result.switchoverSeconds, 0);
    assert.equal(result.downtimeSeconds, result.stopAndCopySeconds);
  });
});

Deno.test("migrationDowntime() grows with the cost and never falls below it", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("xen-precopy" as const, "kvm-precopy" as const, "kvm-postcopy" as const),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 1024 }),
      fc.integer({ min: 0, max: 60000 }),
      (model, cost, wssMib, d) => {
        const input = { ...INPUT, wssBytes: wssMib * 2 ** 20, dirtyPagesPerSecond: d };
        const options = { switchoverSeconds: cost, kvmPrecopy: { timeoutSeconds: 60 } };
        const result = migrationDowntime(model, input, options);
        assert.ok(result.downtimeSeconds >= cost);
        assert.ok(result.stopAndCopyBytes <= input.wssBytes || model === "kvm-precopy");
        const more = migrationDowntime(model, input, { ...options, switchoverSeconds: cost + 0.5 });
        assert.ok(Math.abs(more.downtimeSeconds - result.downtimeSeconds - 0.5) < 1e-9);
      },
    ),
    { seed: 13, numRuns: 200 },
  );
});

Deno.test("migrationDowntime() rejects bad models, inputs and options", async (t) => {
  await t.step("an unknown model", () => {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => migrationDowntime("xen" as any, INPUT),
      new TypeError(
        'migrationDowntime: invalid model, expected "xen-precopy", "kvm-precopy", "kvm-postcopy" (got "xen")',
      ),
    );
  });
  await t.step("a negative cost", () => {
    assert.throws(
      () => migrationDowntime("kvm-postcopy", INPUT, { switchoverSeconds: -1 }),
      new RangeError(
        'migrationDowntime: invalid option "switchoverSeconds", expected a finite number >= 0 seconds (got -1)',
      ),
    );
  });
  await t.step("an input the model rejects", () => {
    assert.throws(
      () => migrationDowntime("kvm-postcopy", { ...INPUT, bandwidthBytesPerSecond: 0 }),
      new RangeError(
        'kvmPostcopy: invalid input "bandwidthBytesPerSecond", expected a finite number > 0 bytes/s (got 0)',
      ),
    );
  });
});
