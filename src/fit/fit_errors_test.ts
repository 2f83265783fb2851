import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { fitBandwidth } from "./fit_bandwidth.ts";
import { fitContention } from "./fit_contention.ts";

function run(overrides: Partial<MigrationRun> = {}): MigrationRun {
  return {
    method: "xen-precopy",
    contention: "none",
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 1024,
    pageBytes: 4096,
    migrationTimeSeconds: 10,
    status: "completed",
    extra: {},
    ...overrides,
  };
}

function throwsWith(fn: () => unknown, type: ErrorConstructor, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    assert.equal((error as Error).message, message);
    return true;
  });
}

Deno.test("fitContention() and fitBandwidth() reject fits that cannot be done", async (t) => {
  await t.step("no completed runs", () => {
    throwsWith(
      () => fitContention([run({ status: "failed" }), run({ status: "failed" })]),
      RangeError,
      'fitContention: no completed runs to fit, expected at least 2 runs with status "completed" (got 0 of 2)',
    );
    throwsWith(
      () => fitBandwidth([run()], { method: "kvm-postcopy" }),
      RangeError,
      'fitBandwidth: no completed runs to fit, expected at least 2 runs with status "completed" and method "kvm-postcopy" (got 0 of 1)',
    );
  });
  await t.step("a group with one run", () => {
    throwsWith(
      () =>
        fitContention([
          run(),
          run({ wssBytes: 2 ** 27 }),
          run({ contention: "cpu", migrationTimeSeconds: 12 }),
        ]),
      RangeError,
      'fitContention: group "cpu" has too few completed runs, expected at least 2 (got 1: run 2)',
    );
  });
  await t.step("all pre-copy runs at one configuration", () => {
    throwsWith(
      () => fitBandwidth([run(), run({ migrationTimeSeconds: 11 }), run({ status: "failed" })]),
      RangeError,
      "fitBandwidth: the fit has all its 2 runs at one configuration, expected pre-copy runs at 2 or more configurations (memoryBytes, wssBytes, dirtyPagesPerSecond) to identify the bandwidth (got 1)",
    );
    // Post-copy at one configuration is identifiable (T = M/B).
    const fit = fitBandwidth([
      run({ method: "kvm-postcopy" }),
      run({ method: "kvm-postcopy", migrationTimeSeconds: 11 }),
    ], { resamples: 0 });
    assert.ok(fit.bandwidthBytesPerSecond! > 0);
  });
  await t.step("zero, negative and non-finite times", () => {
    for (const t of [0, -1, NaN, Infinity]) {
      throwsWith(
        () => fitBandwidth([run(), run({ wssBytes: 0, migrationTimeSeconds: t })]),
        RangeError,
        `fitBandwidth: invalid input "migrationTimeSeconds" at run 1, expected a finite number > 0 seconds (got ${t})`,
      );
    }
    throwsWith(
      () => fitBandwidth([run({ migrationTimeSeconds: "10" as unknown as number })]),
      TypeError,
      'fitBandwidth: invalid input "migrationTimeSeconds" at run 0, expected a finite number > 0 seconds (got "10")',
    );
  });
  await t.step("a missing baseline group", () => {
    throwsWith(
      () => fitContention([run({ contention: "cpu" }), run({ contention: "cpu", wssBytes: 0 })]),
      RangeError,
      'fitContention: baseline group "none" has no completed runs, expected one of "cpu"',
    );
  });
  await t.step("an unknown method", () => {
    throwsWith(
      () => fitBandwidth([run(), run({ method: "vmware", wssBytes: 0 })]),
      RangeError,
      'fitBandwidth: unknown method "vmware" at run 1, expected one of "xen-precopy", "xen-precopy-policy", "kvm-precopy", "kvm-postcopy"',
    );
  });
  await t.step("the efficiency scale without link bandwidths", () => {
    throwsWith(
      () => fitBandwidth([run(), run({ wssBytes: 0 })], { scale: "efficiency" }),
      RangeError,
      'fitBandwidth: missing input "linkBandwidthBytesPerSecond" at run 0, expected the link bandwidth on every run for scale "efficiency" (got undefined)',
    );
  });
  await t.step("the extra term without post-copy runs", () => {
    throwsWith(
      () =>
        fitContention([run(), run({ wssBytes: 0 }), run({ wssBytes: 2 ** 28 })], {
          extraTerm: "postcopy-workload",
          extraTermFolds: 2,
        }),
      RangeError,
      'fitContention: cannot fit extra term "postcopy-workload", expected at least 2 completed "kvm-postcopy" runs with wssBytes > 0 (got 0)',
    );
  });
});

Deno.test("fitContention() rejects bad runs and options", async (t) => {
  await t.step("runs that are not an array of objects", () => {
    throwsWith(
      () => fitContention("runs" as unknown as MigrationRun[]),
      TypeError,
      'fitContention: invalid runs, expected an array of runs (got "runs")',
    );
    throwsWith(
      () => fitContention([null as unknown as MigrationRun]),
      TypeError,
      "fitContention: invalid run at index 0, expected an object (got null)",
    );
  });
  await t.step("a bad model input", () => {
    throwsWith(
      () => fitContention([run(), run({ wssBytes: 2 ** 31 })]),
      RangeError,
      'fitContention: invalid input "wssBytes" at run 1, expected bytes <= memoryBytes (1073741824) (got 2147483648)',
    );
    throwsWith(
      () => fitContention([run(), run({ pageBytes: 0.5 })]),
      RangeError,
      'fitContention: invalid input "pageBytes" at run 1, expected an integer >= 1 bytes (got 0.5)',
    );
  });
  await t.step("options", () => {
    const runs = [run(), run({ wssBytes: 0 })];
    throwsWith(
      () => fitContention(runs, { objective: "squares" as "log" }),
      TypeError,
      'fitContention: invalid option "objective", expected "log" or "seconds" (got "squares")',
    );
    throwsWith(
      () => fitContention(runs, { resamples: -1 }),
      RangeError,
      'fitContention: invalid option "resamples", expected an integer >= 0 (got -1)',
    );
    throwsWith(
      () => fitContention(runs, { tolerance: 0 }),
      RangeError,
      'fitContention: invalid option "tolerance", expected a finite number > 0 (got 0)',
    );
    throwsWith(
      () => fitContention(runs, { method: [] }),
      TypeError,
      'fitContention: invalid option "method", expected a method name or a non-empty array of names (got [])',
    );
    throwsWith(
      () => fitContention(runs, { extraTermFolds: 1 }),
      RangeError,
      'fitContention: invalid option "extraTermFolds", expected an integer >= 2 (got 1)',
    );
    throwsWith(
      () => fitContention(runs, { modelOptions: { kvmPrecopy: { downtimeLimitSeconds: -1 } } }),
      RangeError,
      'fitContention: invalid option "downtimeLimitSeconds", expected a finite number >= 0 seconds (got -1)',
    );
  });
});
