import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { KVM_PRECOPY_DEFAULTS, kvmPrecopy } from "../models/kvm_precopy.ts";
import { handFit } from "./_test_fits.ts";
import {
  fittedDowntimes,
  fittedProgress,
  modelDowntimes,
  modelTimes,
  nominalRuns,
} from "./workload_models.ts";

/** A hand-made SYNTHETIC run: M = 1e9 bytes, W = 0, no contention. */
function run(over: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-postcopy",
    contention: "none",
    memoryBytes: 1e9,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    status: "completed",
    extra: { source: "synthetic" },
    ...over,
  };
}

const B = 1e8;
/** Every method at B = 100 MB/s, CPU contention halving it; no factor for memory contention. */
const FITS = {
  "kvm-postcopy": handFit(B, { none: 1, cpu: 0.5 }),
  "kvm-precopy": handFit(B, { none: 1, cpu: 0.5 }),
  "xen-precopy": handFit(B, { none: 1, cpu: 0.5 }),
};

Deno.test("nominalRuns() keeps one run per method, contention and requested workload", async (t) => {
  const first = run({
    method: "kvm-precopy",
    contention: "cpu",
    wssBytes: 60e6,
    requestedWssBytes: 64e6,
    dirtyPagesPerSecond: 15000,
    requestedDirtyPagesPerSecond: 15360,
    migrationTimeSeconds: 11,
    downtimeLimitSeconds: 0.5,
  });
  const runs = [
    run({ status: "failed", migrationTimeSeconds: 99 }),
    first,
    run({ ...first, dirtyPagesPerSecond: 14000, migrationTimeSeconds: 12 }),
    run({ ...first, contention: "network" }),
    run({ ...first, requestedDirtyPagesPerSecond: 1024 }),
    run({}),
  ];
  const nominal = nominalRuns(runs);

  await t.step("repeats collapse to the first; failed runs are skipped", () => {
    assert.equal(nominal.length, 4);
    assert.deepEqual(nominal.map((r) => [r.method, r.contention, r.dirtyPagesPerSecond]), [
      ["kvm-precopy", "cpu", 15360],
      ["kvm-precopy", "network", 15360],
      ["kvm-precopy", "cpu", 1024],
      ["kvm-postcopy", "none", 0],
    ]);
  });

  await t.step("the requested WSS and rate become the run's; other fields are the first's", () => {
    assert.equal(nominal[0]!.wssBytes, 64e6);
    assert.equal(nominal[0]!.migrationTimeSeconds, 11);
    assert.equal(nominal[0]!.downtimeLimitSeconds, 0.5);
    // Without requested values, the run's own are its nominal ones.
    assert.equal(nominal[3]!.wssBytes, 0);
    assert.equal(nominal[3]!.migrationTimeSeconds, 10);
  });

  await t.step("no runs, no nominal runs; a non-array is a TypeError", () => {
    assert.deepEqual(nominalRuns([]), []);
    assert.throws(
      () => nominalRuns({} as unknown as MigrationRun[]),
      new TypeError("nominalRuns: invalid runs, expected an array (got {})"),
    );
  });
});

Deno.test("modelDowntimes() runs each method's model at its fitted B × contention factor", async (t) => {
  const W = 2 ** 26;
  // Xen pre-copy with the guest dirtying faster than B: its last round is the whole W, W/B.
  const xen = run({ method: "xen-precopy", wssBytes: W, dirtyPagesPerSecond: 51200 });
  await t.step("Xen pre-copy: the last round over B, at half B under CPU contention", () => {
    const [none, cpu] = modelDowntimes([xen, { ...xen, contention: "cpu" }], FITS);
    assert.ok(Math.abs(none! - W / B) < 1e-12, String(none)); // 0.671 s
    assert.ok(Math.abs(cpu! - W / (0.5 * B)) < 1e-12, String(cpu)); // 1.342 s
  });

  await t.step("KVM post-copy: its fixed switchover pause, whatever the bandwidth", () => {
    assert.deepEqual(modelDowntimes([run({}), run({ contention: "cpu" })], FITS), [0.047, 0.047]);
  });

  await t.step("KVM pre-copy: NaN where it does not converge; the run's limit is used", () => {
    const pre = run({ method: "kvm-precopy", wssBytes: W, dirtyPagesPerSecond: 51200 });
    // W/B = 0.67 s exceeds the default 0.3 s limit: no convergence.
    assert.deepEqual(modelDowntimes([pre], FITS), [Number.NaN]);
    const [limited] = modelDowntimes([{ ...pre, downtimeLimitSeconds: 1 }], FITS);
    const expected = kvmPrecopy({ ...pre, bandwidthBytesPerSecond: B }, {
      downtimeLimitSeconds: 1,
    });
    assert.ok(expected.converged);
    assert.equal(limited, expected.downtimeSeconds);
    // At most the limit plus kvmPrecopy's fixed switchover cost.
    assert.ok(
      limited! > 0.3 && limited! <= 1 + KVM_PRECOPY_DEFAULTS.switchoverSeconds,
      String(limited),
    );
  });

  await t.step("NaN without a fit, a factor or a known method; one group has factor 1", () => {
    const values = modelDowntimes([
      run({ contention: "memory" }),
      run({ method: "xen-precopy-policy" }),
      run({ method: "a-new-method" }),
    ], FITS);
    assert.deepEqual(values, [Number.NaN, Number.NaN, Number.NaN]);
    const [ungrouped] = modelDowntimes([{ ...xen, contention: "memory" }], {
      "xen-precopy": handFit(2 * B, null),
    });
    assert.ok(Math.abs(ungrouped! - W / (2 * B)) < 1e-12, String(ungrouped));
  });
});

Deno.test("modelTimes() predicts each run's migration time from its method's fit", () => {
  // Post-copy with W = 0 sends M once: T = M / (B × factor) = 1e9 / 1e8 = 10 s, 20 s at half B.
  const runs = [
    run({}),
    run({ contention: "cpu" }),
    run({ contention: "memory" }),
    run({ method: "kvm-precopy", contention: "network" }),
    run({ method: "xen-precopy-policy" }),
  ];
  const times = modelTimes(runs, FITS);
  assert.ok(Math.abs(times[0]! - 10) < 1e-9, String(times[0]));
  assert.ok(Math.abs(times[1]! - 20) < 1e-9, String(times[1]));
  // No factor for memory or network contention, no fit for the policy method.
  assert.deepEqual(times.slice(2), [Number.NaN, Number.NaN, Number.NaN]);
  const [ungrouped] = modelTimes([run({ contention: "memory" })], {
    "kvm-postcopy": handFit(2 * B, null),
  });
  assert.ok(Math.abs(ungrouped! - 5) < 1e-9, String(ungrouped));
});

Deno.test("fittedDowntimes() adds each method's fitted switchover cost to the model", async (t) => {
  // Three measured post-copy pauses: their median, 5 ms, is the switchover cost.
  const measured = [0.004, 0.006, 0.005].map((downtimeSeconds) => run({ downtimeSeconds }));
  const W = 2 ** 26;
  const pre = run({ method: "kvm-precopy", wssBytes: W, dirtyPagesPerSecond: 51200 });
  const xen = run({ method: "xen-precopy", wssBytes: W, dirtyPagesPerSecond: 51200 });
  const result = fittedDowntimes(
    [run({}), run({ contention: "cpu" }), run({ contention: "memory" }), pre, xen],
    [...measured, { ...pre, downtimeSeconds: 0.7 }],
    FITS,
  );

  await t.step("post-copy: the cost alone, at every contention with a factor", () => {
    assert.equal(result.switchoverSeconds["kvm-postcopy"]!.value, 0.005);
    assert.ok(Number.isNaN(result.switchoverSeconds["kvm-postcopy"]!.low)); // no resamples
    assert.deepEqual(result.values.slice(0, 3), [0.005, 0.005, Number.NaN]);
  });

  await t.step("a method with too few pauses keeps today's model and says why", () => {
    assert.deepEqual(Object.keys(result.notFitted).sort(), ["kvm-precopy", "xen-precopy"]);
    assert.equal(
      result.notFitted["kvm-precopy"],
      'fitDowntime: method "kvm-precopy" has too few completed runs with a measured "downtimeSeconds", expected at least 2 (got 1)',
    );
    assert.ok(Number.isNaN(result.values[3]!)); // KVM pre-copy does not converge
    assert.ok(Math.abs(result.values[4]! - W / B) < 1e-12, String(result.values[4]));
  });

  await t.step(
    "Xen pre-copy: W/B plus the cost; a KVM pre-copy that does not converge stays NaN",
    () => {
      const pauses = [0.68, 0.7, 0.69].map((downtimeSeconds) => ({ ...xen, downtimeSeconds }));
      const both = fittedDowntimes([xen], pauses, { "xen-precopy": FITS["xen-precopy"] });
      // Median of measured - W/B (0.671 s): 0.69 - 0.671 s.
      const cost = both.switchoverSeconds["xen-precopy"]!.value;
      assert.ok(Math.abs(cost - (0.69 - W / B)) < 1e-12, String(cost));
      assert.ok(Math.abs(both.values[0]! - 0.69) < 1e-12, String(both.values[0]));
      const none = fittedDowntimes([pre], [{ ...pre, downtimeSeconds: 0.3 }, {
        ...pre,
        downtimeSeconds: 0.4,
      }], { "kvm-precopy": FITS["kvm-precopy"] });
      assert.deepEqual(none.notFitted, {});
      assert.deepEqual(none.values, [Number.NaN]);
    },
  );

  await t.step("no fits, no values", () => {
    assert.deepEqual(fittedDowntimes([run({})], measured, {}), {
      values: [Number.NaN],
      switchoverSeconds: {},
      notFitted: {},
    });
  });
});

Deno.test("fittedProgress() predicts the guest's progress ratio from the fitted noise", () => {
  // SYNTHETIC pre-copy runs slowed by a tracking cost of 2 µs per write: ratio 1/(1 + 2e-6·d).
  const precopy = (d: number) =>
    run({
      method: "kvm-precopy",
      memoryBytes: 2 ** 30,
      wssBytes: 2 ** 28,
      dirtyPagesPerSecond: d / (1 + 2e-6 * d),
      requestedDirtyPagesPerSecond: d,
    });
  const measured = [1024, 5120, 15360, 51200].map(precopy);
  const nominal = nominalRuns([
    precopy(15360),
    { ...precopy(15360), wssBytes: 0, requestedWssBytes: 0 },
    run({}),
  ]);
  const fits = { "kvm-precopy": handFit(B, null), "kvm-postcopy": FITS["kvm-postcopy"] };
  const { values, notFitted } = fittedProgress(nominal, [...measured, run({})], fits);
  // 1/1.03072 = 0.97020, to the fit's search tolerance.
  assert.ok(Math.abs(values[0]! - 1 / (1 + 2e-6 * 15360)) < 1e-6, String(values[0]));
  // W = 0: the guest writes nothing, no ratio; post-copy has no measured progress to fit.
  assert.ok(Number.isNaN(values[1]!));
  assert.ok(Number.isNaN(values[2]!));
  assert.deepEqual(Object.keys(notFitted), ["kvm-postcopy"]);
  assert.match(notFitted["kvm-postcopy"]!, /^fitNoise: /);
  assert.deepEqual(fittedProgress(nominal, measured, {}), {
    values: [Number.NaN, Number.NaN, Number.NaN],
    notFitted: {},
  });
});
