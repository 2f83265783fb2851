import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { guestProgress } from "../models/guest_progress.ts";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { migrationDowntime } from "../models/migration_downtime.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { qemuXenRules } from "../models/qemu_xen_rules.ts";
import { predictRuns } from "./predict_runs.ts";
import type { FittedModel } from "./types.ts";

const FIT: FittedModel = {
  scale: "absolute",
  groupBy: "contention",
  bandwidthBytesPerSecond: 100e6,
  bandwidthByMethod: null,
  efficiency: null,
  efficiencyByMethod: null,
  factors: {
    none: { value: 1, low: 1, high: 1 },
    network: { value: 0.5, low: 0.4, high: 0.6 },
  },
  extraTerm: null,
  modelOptions: {},
};

function run(overrides: Partial<MigrationRun> = {}): MigrationRun {
  return {
    method: "xen-precopy",
    contention: "none",
    memoryBytes: 1.5 * 2 ** 30,
    wssBytes: 2 ** 28,
    dirtyPagesPerSecond: 15360,
    pageBytes: 4096,
    migrationTimeSeconds: 1,
    status: "completed",
    extra: {},
    ...overrides,
  };
}

Deno.test("predictRuns() uses the model each run's method names", () => {
  const input = { memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 28, dirtyPagesPerSecond: 15360 };
  const runs = [
    run(),
    run({ method: "xen-precopy-policy", contention: "network" }),
    run({ method: "kvm-precopy" }),
    run({ method: "kvm-precopy", downtimeLimitSeconds: 0.03 }),
    run({ method: "kvm-precopy", downtimeLimitSeconds: 3 }),
    run({ method: "kvm-postcopy", contention: "network" }),
    run({ method: "kvm-postcopy", postcopySwitch: "after-first-pass" }),
    run({ method: "kvm-postcopy", postcopySwitch: "immediate" }),
  ];
  const at = (b: number) => ({ ...input, bandwidthBytesPerSecond: b });
  const ROUNDS = {} as const; // the fits' rule: QEMU's, kvmPrecopy's default
  assert.deepEqual(predictRuns(runs, FIT), [
    xenPrecopy(at(100e6)).precopyTimeSeconds,
    qemuXenRules(at(50e6)).migrationTimeSeconds, // QEMU's pre-copy under Xen's rules
    kvmPrecopy(at(100e6), ROUNDS).migrationTimeSeconds,
    kvmPrecopy(at(100e6), { ...ROUNDS, downtimeLimitSeconds: 0.03 }).migrationTimeSeconds,
    kvmPrecopy(at(100e6), { ...ROUNDS, downtimeLimitSeconds: 3 }).migrationTimeSeconds,
    kvmPostcopy(at(50e6)).migrationTimeSeconds,
    kvmPostcopy(at(100e6), { precopyPasses: 1 }).migrationTimeSeconds,
    kvmPostcopy(at(100e6)).migrationTimeSeconds,
  ]);
});

Deno.test("predictRuns() applies the efficiency scale, per-method B and the kept extra term", () => {
  const input = { memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 28, dirtyPagesPerSecond: 15360 };
  const efficiency: FittedModel = {
    ...FIT,
    scale: "efficiency",
    bandwidthBytesPerSecond: null,
    efficiency: { value: 0.8, low: NaN, high: NaN },
  };
  const [t] = predictRuns([run({ linkBandwidthBytesPerSecond: 125e6 })], efficiency);
  assert.equal(t, xenPrecopy({ ...input, bandwidthBytesPerSecond: 100e6 }).precopyTimeSeconds);
  const perMethod: FittedModel = {
    ...FIT,
    bandwidthBytesPerSecond: null,
    bandwidthByMethod: { "kvm-postcopy": { value: 80e6, low: NaN, high: NaN } },
    extraTerm: {
      name: "postcopy-workload",
      value: 0.5,
      low: NaN,
      high: NaN,
      kept: true,
      cvErrorWith: 0,
      cvErrorWithout: 1,
    },
  };
  const [post] = predictRuns(
    [run({ method: "kvm-postcopy", wssBytes: input.memoryBytes })],
    perMethod,
  );
  assert.equal(post, input.memoryBytes / (80e6 * 1.5));
  const dropped = { ...perMethod, extraTerm: { ...perMethod.extraTerm!, kept: false } };
  const [plain] = predictRuns([run({ method: "kvm-postcopy" })], dropped);
  assert.equal(plain, input.memoryBytes / 80e6);
});

Deno.test("predictRuns() rejects what it cannot predict", () => {
  const cases: [MigrationRun, FittedModel, ErrorConstructor, string][] = [
    [
      run({ method: "hyper-v" }),
      FIT,
      RangeError,
      'predictRuns: unknown method "hyper-v" at run 0, expected one of "xen-precopy", "xen-precopy-policy", "kvm-precopy", "kvm-postcopy"',
    ],
    [
      run({ contention: "disk" }),
      FIT,
      RangeError,
      'predictRuns: no factor for contention "disk" at run 0, expected one of "none", "network"',
    ],
    [
      run(),
      { ...FIT, scale: "efficiency", efficiency: { value: 0.9, low: NaN, high: NaN } },
      RangeError,
      'predictRuns: missing input "linkBandwidthBytesPerSecond" at run 0, expected the link bandwidth the efficiency scale needs (got undefined)',
    ],
    [
      run({ method: "kvm-precopy", downtimeLimitSeconds: Number.NaN }),
      FIT,
      RangeError,
      'predictRuns: invalid "downtimeLimitSeconds" at run 0, expected a finite number >= 0 seconds (got NaN)',
    ],
    [
      run({ method: "kvm-precopy", downtimeLimitSeconds: -1 }),
      FIT,
      RangeError,
      'predictRuns: invalid "downtimeLimitSeconds" at run 0, expected a finite number >= 0 seconds (got -1)',
    ],
    [
      run({ method: "kvm-postcopy", postcopySwitch: "later" }),
      FIT,
      RangeError,
      'predictRuns: invalid "postcopySwitch" at run 0, expected "after-first-pass" or "immediate" (got "later")',
    ],
    [
      run({ memoryBytes: -1 }),
      FIT,
      RangeError,
      'predictRuns: invalid input "memoryBytes" at run 0, expected a finite number > 0 bytes (got -1)',
    ],
  ];
  for (const [r, fit, type, message] of cases) {
    assert.throws(() => predictRuns([r], fit), (error: unknown) => {
      assert.ok(error instanceof type);
      assert.equal((error as Error).message, message);
      return true;
    });
  }
});

Deno.test("predictRuns() quantity: the pause, the bytes and the progress of each model", async (t) => {
  const input = { memoryBytes: 1.5 * 2 ** 30, wssBytes: 2 ** 28, dirtyPagesPerSecond: 15360 };
  const at = (b: number) => ({ ...input, bandwidthBytesPerSecond: b });
  const runs = [
    run(),
    run({ method: "kvm-precopy", contention: "network" }),
    run({ method: "kvm-postcopy" }),
  ];
  const costs = {
    ...FIT,
    switchoverSeconds: {
      "xen-precopy": { value: 0.03, low: NaN, high: NaN },
      "kvm-precopy": { value: 0.2, low: NaN, high: NaN },
      "kvm-postcopy": { value: 0.004, low: NaN, high: NaN },
    },
  };
  await t.step("downtimeSeconds: migrationDowntime with the fitted costs", () => {
    assert.deepEqual(predictRuns(runs, costs, { quantity: "downtimeSeconds" }), [
      migrationDowntime("xen-precopy", at(100e6), { switchoverSeconds: 0.03 }).downtimeSeconds,
      migrationDowntime("kvm-precopy", at(50e6), { switchoverSeconds: 0.2 }).downtimeSeconds,
      0.004,
    ]);
  });
  await t.step("downtimeSeconds without costs: the models' own pauses", () => {
    assert.deepEqual(predictRuns(runs, FIT, { quantity: "downtimeSeconds" }), [
      xenPrecopy(at(100e6)).downtimeSeconds,
      kvmPrecopy(at(50e6)).downtimeSeconds,
      kvmPostcopy(at(100e6)).downtimeSeconds,
    ]);
  });
  await t.step("transferredBytes: the models' bytes", () => {
    assert.deepEqual(predictRuns(runs, FIT, { quantity: "transferredBytes" }), [
      xenPrecopy(at(100e6)).transferredBytes,
      kvmPrecopy(at(50e6)).transferredBytes,
      kvmPostcopy(at(100e6)).transferredBytes,
    ]);
  });
  await t.step("migrationTimeSeconds is the default", () => {
    assert.deepEqual(
      predictRuns(runs, FIT, { quantity: "migrationTimeSeconds" }),
      predictRuns(runs, FIT),
    );
  });
  await t.step("guestProgressRatio: guestProgress at the baseline rate", () => {
    const noise = {
      ...FIT,
      noise: {
        trackingSeconds: {
          "xen-precopy": { value: 1e-6, low: NaN, high: NaN },
          "kvm-precopy": { value: 2e-6, low: NaN, high: NaN },
        },
        faultSeconds: { value: 5e-6, low: NaN, high: NaN },
        destinationSlowdown: { none: { value: 0.02, low: NaN, high: NaN } },
      },
    };
    const slowed = runs.map((r) => ({ ...r, requestedDirtyPagesPerSecond: 15360 }));
    slowed[2] = { ...slowed[2]!, dirtyPagesPerSecond: 9000 }; // achieved, not the model's input
    assert.deepEqual(predictRuns(slowed, noise, { quantity: "guestProgressRatio" }), [
      guestProgress("xen-precopy", at(100e6), { trackingSeconds: 1e-6 }).progressRatio,
      guestProgress("kvm-precopy", at(50e6), { trackingSeconds: 2e-6 }).progressRatio,
      guestProgress("kvm-postcopy", at(100e6), { faultSeconds: 5e-6, destinationSlowdown: 0.02 })
        .progressRatio,
    ]);
  });
  await t.step("errors: an unknown quantity, a missing cost, no noise parameters", () => {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => predictRuns(runs, FIT, { quantity: "pause" as any }),
      new TypeError(
        'predictRuns: invalid option "quantity", expected "migrationTimeSeconds" or "downtimeSeconds" or "transferredBytes" or "guestProgressRatio" or "colocatedProgressRatio" or "postcopyBlocktimeSeconds" (got "pause")',
      ),
    );
    assert.throws(
      () =>
        predictRuns([run({ method: "xen-precopy-policy" })], costs, {
          quantity: "downtimeSeconds",
        }),
      new RangeError(
        'predictRuns: no switchover cost for method "xen-precopy-policy" at run 0, expected one of "xen-precopy", "kvm-precopy", "kvm-postcopy"',
      ),
    );
    assert.throws(
      () => predictRuns(runs, FIT, { quantity: "guestProgressRatio" }),
      new TypeError(
        'predictRuns: invalid fit, expected "noise" (a fitNoise result) for quantity "guestProgressRatio" (got undefined)',
      ),
    );
  });
});
