import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
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
  const ROUNDS = { switchRule: "between-rounds" } as const; // the fits' rule for now
  assert.deepEqual(predictRuns(runs, FIT), [
    xenPrecopy(at(100e6)).precopyTimeSeconds,
    xenPrecopy(at(50e6)).precopyTimeSeconds,
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
