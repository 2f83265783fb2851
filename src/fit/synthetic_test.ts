import assert from "node:assert/strict";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { qemuXenRules } from "../models/qemu_xen_rules.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { synthesizeRuns } from "./synthetic.ts";

Deno.test("synthesizeRuns() builds the paper's grid, marked synthetic", () => {
  const runs = synthesizeRuns();
  assert.equal(runs.length, 7 * 4 * 4 * 3 * 5);
  assert.ok(runs.every((r) => r.extra.source === "synthetic" && r.extra.seed === 1));
  assert.deepEqual([...new Set(runs.map((r) => r.contention))], [
    "none",
    "cpu",
    "network",
    "memory",
  ]);
  assert.deepEqual([...new Set(runs.map((r) => r.wssBytes / 2 ** 20))], [
    0,
    64,
    128,
    256,
    512,
    1024,
    1536,
  ]);
  // Non-convergent KVM pre-copy configurations are marked, nothing else.
  for (const r of runs) {
    const b = 112.5e6 * { none: 1, cpu: 0.95, network: 0.35, memory: 0.85 }[r.contention]!;
    if (r.method === "kvm-precopy") {
      // The fits' rule: QEMU's, kvmPrecopy's default.
      const converged = kvmPrecopy({ ...r, bandwidthBytesPerSecond: b }).converged;
      assert.equal(r.status, converged ? "completed" : "non-convergent");
    } else assert.equal(r.status, "completed");
  }
});

Deno.test("synthesizeRuns() is seeded and noiseless at noise 0", () => {
  assert.deepEqual(
    synthesizeRuns({ seed: 4, repeats: 1 }),
    synthesizeRuns({ seed: 4, repeats: 1 }),
  );
  assert.notDeepEqual(
    synthesizeRuns({ seed: 4, repeats: 1 }),
    synthesizeRuns({ seed: 5, repeats: 1 }),
  );
  const [first] = synthesizeRuns({ noise: 0, methods: ["xen-precopy"], repeats: 1 });
  const expected = xenPrecopy({ ...first!, bandwidthBytesPerSecond: 112.5e6 }).precopyTimeSeconds;
  assert.equal(first!.migrationTimeSeconds, expected);
});

Deno.test("synthesizeRuns() rejects bad options", () => {
  const cases: [() => unknown, ErrorConstructor, string][] = [
    [
      () => synthesizeRuns({ methods: ["vmware"] }),
      RangeError,
      'synthesizeRuns: invalid option "methods", expected names among "xen-precopy", "xen-precopy-policy", "kvm-precopy", "kvm-postcopy" (got "vmware")',
    ],
    [
      () => synthesizeRuns({ wssBytes: [2 ** 40] }),
      RangeError,
      'synthesizeRuns: invalid option "wssBytes", expected bytes <= memoryBytes (1610612736) (got 1099511627776)',
    ],
    [
      () => synthesizeRuns({ factors: { none: 0 } }),
      RangeError,
      'synthesizeRuns: invalid option "factors.none", expected a finite number > 0 (got 0)',
    ],
    [
      () => synthesizeRuns({ repeats: 0 }),
      RangeError,
      'synthesizeRuns: invalid option "repeats", expected an integer >= 1 (got 0)',
    ],
    [
      () => synthesizeRuns({ postcopyWorkloadCoefficient: -1 }),
      RangeError,
      'synthesizeRuns: invalid option "postcopyWorkloadCoefficient", expected a finite number > -1 (got -1)',
    ],
  ];
  for (const [fn, type, message] of cases) {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof type);
      assert.equal((error as Error).message, message);
      return true;
    });
  }
});

Deno.test("synthesizeRuns() makes xen-precopy-policy runs from qemuXenRules, the model the fits use for them", () => {
  const runs = synthesizeRuns({
    methods: ["xen-precopy-policy"],
    noise: 0,
    wssBytes: [256 * 2 ** 20],
    dirtyPagesPerSecond: [15360],
    factors: { none: 1 },
    repeats: 1,
  });
  const expected = qemuXenRules({
    memoryBytes: runs[0]!.memoryBytes,
    wssBytes: 256 * 2 ** 20,
    dirtyPagesPerSecond: 15360,
    bandwidthBytesPerSecond: 112.5e6,
    pageBytes: 4096,
  });
  assert.equal(runs.length, 1);
  // And not from the paper's accounting, which gives another time here.
  assert.ok(
    Math.abs(
      runs[0]!.migrationTimeSeconds - xenPrecopy({
        memoryBytes: runs[0]!.memoryBytes,
        wssBytes: 256 * 2 ** 20,
        dirtyPagesPerSecond: 15360,
        bandwidthBytesPerSecond: 112.5e6,
        pageBytes: 4096,
      }).precopyTimeSeconds,
    ) > 0.02,
  );
  assert.ok(Math.abs(runs[0]!.migrationTimeSeconds - expected.migrationTimeSeconds) < 1e-9);
});
