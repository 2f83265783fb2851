import assert from "node:assert/strict";
import fc from "fast-check";
import { guestProgress } from "./guest_progress.ts";
import { kvmPrecopy } from "./kvm_precopy.ts";
import { xenPrecopy } from "./xen_precopy.ts";

const GIB = 2 ** 30;
const MIB = 2 ** 20;

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

Deno.test("guestProgress() post-copy: a first pass over W at max(1/d, p/B) + the fault cost", async (t) => {
  const input = {
    memoryBytes: 1.5 * GIB,
    wssBytes: 64 * MIB,
    dirtyPagesPerSecond: 1024,
    bandwidthBytesPerSecond: 125e6,
  };
  await t.step("a guest slower than the link loses nothing without a fault cost", () => {
    const result = guestProgress("kvm-postcopy", input);
    near(result.progressRatio, 1, "ratio");
    near(result.liveSeconds, 1.5 * GIB / 125e6, "live seconds");
  });
  await t.step("a first pass longer than the phase runs at 1/τ throughout", () => {
    // τ = 1/1024 + 10 µs; 16384 pages take 16.16 s > T = 12.88 s: ratio 1/(d·τ) = 1/(1 + d·λ).
    const result = guestProgress("kvm-postcopy", input, { faultSeconds: 1e-5 });
    near(result.progressRatio, 1 / (1 + 1024e-5), "ratio");
    near(result.faultedPages, (1.5 * GIB / 125e6) / (1 / 1024 + 1e-5), "faulted pages");
    near(result.lostSeconds, (1 - result.progressRatio) * result.liveSeconds, "lost seconds");
  });
  await t.step("a first pass inside the phase: ratio 1 - n(τ - 1/d)/T", () => {
    // d = 51200 pages/s > B/p = 30518: τ = p/B; W = 1 GiB, n = 262144 pages.
    const fast = { ...input, wssBytes: GIB, dirtyPagesPerSecond: 51200 };
    const T = 1.5 * GIB / 125e6;
    const tau = 4096 / 125e6 + 2e-6;
    const result = guestProgress("kvm-postcopy", fast, { faultSeconds: 2e-6 });
    near(result.progressRatio, 1 - 262144 * (tau - 1 / 51200) / T, "ratio");
    near(result.faultedPages, 262144, "faulted pages");
  });
  await t.step("the destination slowdown scales the post-copy phase", () => {
    const plain = guestProgress("kvm-postcopy", input, { faultSeconds: 1e-5 });
    const slow = guestProgress("kvm-postcopy", input, {
      faultSeconds: 1e-5,
      destinationSlowdown: 0.05,
    });
    near(slow.progressRatio, 0.95 * plain.progressRatio, "ratio");
  });
  await t.step("after a first pass only the pages it dirtied fault", () => {
    // M = 1 GiB, B = 1e8: T0 = 10.737 s dirties p·d·T0 = 225 MB < W; T1 = that / B.
    const passInput = {
      memoryBytes: GIB,
      wssBytes: 2 ** 28,
      dirtyPagesPerSecond: 5120,
      bandwidthBytesPerSecond: 1e8,
    };
    const T0 = GIB / 1e8;
    const T1 = 4096 * 5120 * T0 / 1e8;
    const phase = 1 / (1 + 5120 * 1e-4); // the first pass outlasts T1
    const result = guestProgress("kvm-postcopy", passInput, {
      faultSeconds: 1e-4,
      precopyPasses: 1,
    });
    near(result.liveSeconds, T0 + T1, "live seconds");
    near(result.progressRatio, (T0 + phase * T1) / (T0 + T1), "ratio");
  });
  await t.step("a guest that writes nothing loses nothing", () => {
    assert.equal(guestProgress("kvm-postcopy", { ...input, wssBytes: 0 }).progressRatio, 1);
    assert.equal(
      guestProgress("kvm-postcopy", { ...input, dirtyPagesPerSecond: 0 }).progressRatio,
      1,
    );
  });
});

Deno.test("guestProgress() pre-copy: 1/(1 + c·d) over the rounds", () => {
  const input = {
    memoryBytes: 1.5 * GIB,
    wssBytes: 256 * MIB,
    dirtyPagesPerSecond: 5120,
    bandwidthBytesPerSecond: 125e6,
  };
  const xen = guestProgress("xen-precopy", input, { trackingSeconds: 1e-5 });
  near(xen.progressRatio, 1 / 1.0512, "Xen ratio");
  near(xen.liveSeconds, xenPrecopy(input).precopyTimeSeconds, "Xen live seconds");
  const kvm = guestProgress("kvm-precopy", input, { trackingSeconds: 1e-5 });
  const model = kvmPrecopy(input);
  near(kvm.liveSeconds, model.migrationTimeSeconds - model.downtimeSeconds, "KVM live seconds");
  near(kvm.lostSeconds, (1 - 1 / 1.0512) * kvm.liveSeconds, "KVM lost seconds");
  assert.equal(guestProgress("kvm-precopy", input).progressRatio, 1);
  assert.equal(
    guestProgress("kvm-precopy", { ...input, wssBytes: 0 }, { trackingSeconds: 1 })
      .progressRatio,
    1,
  );
});

Deno.test("guestProgress() post-copy ratio is in (0, 1] and falls with W and the fault cost", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1536 }),
      fc.integer({ min: 1, max: 1536 }),
      fc.integer({ min: 1, max: 100000 }),
      fc.double({ min: 0, max: 1e-3, noNaN: true }),
      fc.double({ min: 0, max: 1e-3, noNaN: true }),
      fc.constantFrom(0 as const, 1 as const),
      (w1, w2, d, f1, f2, precopyPasses) => {
        const [small, large] = w1 <= w2 ? [w1, w2] : [w2, w1];
        const [low, high] = f1 <= f2 ? [f1, f2] : [f2, f1];
        const at = (wssMib: number, faultSeconds: number) =>
          guestProgress("kvm-postcopy", {
            memoryBytes: 1.5 * GIB,
            wssBytes: wssMib * MIB,
            dirtyPagesPerSecond: d,
            bandwidthBytesPerSecond: 125e6,
          }, { faultSeconds, precopyPasses }).progressRatio;
        const ratio = at(small, low);
        assert.ok(ratio > 0 && ratio <= 1 + 1e-12, `ratio ${ratio}`);
        assert.ok(at(large, low) <= ratio + 1e-12, "larger W");
        assert.ok(at(small, high) <= ratio + 1e-12, "larger fault cost");
      },
    ),
    { seed: 7, numRuns: 300 },
  );
});

Deno.test("guestProgress() rejects bad models and options", async (t) => {
  const input = {
    memoryBytes: GIB,
    wssBytes: MIB,
    dirtyPagesPerSecond: 1,
    bandwidthBytesPerSecond: 1e8,
  };
  await t.step("an unknown model", () => {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => guestProgress("postcopy" as any, input),
      new TypeError(
        'guestProgress: invalid model, expected "xen-precopy", "kvm-precopy", "kvm-postcopy" (got "postcopy")',
      ),
    );
  });
  await t.step("a negative fault cost", () => {
    assert.throws(
      () => guestProgress("kvm-postcopy", input, { faultSeconds: -1e-6 }),
      new RangeError(
        'guestProgress: invalid option "faultSeconds", expected a finite number >= 0 seconds (got -0.000001)',
      ),
    );
  });
  await t.step("a slowdown of 1 or more", () => {
    assert.throws(
      () => guestProgress("kvm-postcopy", input, { destinationSlowdown: 1 }),
      new RangeError(
        'guestProgress: invalid option "destinationSlowdown", expected a fraction >= 0 and < 1 (got 1)',
      ),
    );
  });
  await t.step("a bad input", () => {
    assert.throws(
      () => guestProgress("xen-precopy", { ...input, wssBytes: 2 * GIB }),
      new RangeError(
        `guestProgress: invalid input "wssBytes", expected bytes <= memoryBytes (${GIB}) (got ${
          2 * GIB
        })`,
      ),
    );
  });
});
