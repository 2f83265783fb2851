import assert from "node:assert/strict";
import fc from "fast-check";
import { kvmPostcopy } from "./kvm_postcopy.ts";
import { kvmPrecopy } from "./kvm_precopy.ts";
import { sweep } from "./sweep.ts";
import { xenPrecopy } from "./xen_precopy.ts";

const MIB = 2 ** 20;
const paperGrid = {
  memoryBytes: 1.5 * 2 ** 30,
  wssBytes: [0, 64, 128, 256, 512, 1024, 1536].map((mib) => mib * MIB),
  dirtyPagesPerSecond: [1024, 5120, 15360, 51200],
  bandwidthBytesPerSecond: [62.5e6, 125e6],
};

Deno.test("sweep() matches the scalar models configuration by configuration", async (t) => {
  const scalar = {
    "xen-precopy": (input: Parameters<typeof xenPrecopy>[0]) => xenPrecopy(input),
    "kvm-precopy": (input: Parameters<typeof xenPrecopy>[0]) =>
      kvmPrecopy(input, { timeoutSeconds: 120 }),
    "kvm-postcopy": (input: Parameters<typeof xenPrecopy>[0]) =>
      kvmPostcopy(input, { precopyPasses: 1 }),
  } as const;
  for (const model of ["xen-precopy", "kvm-precopy", "kvm-postcopy"] as const) {
    await t.step(model, () => {
      const result = sweep(model, paperGrid, { timeoutSeconds: 120, precopyPasses: 1 });
      assert.equal(result.length, 7 * 4 * 2);
      const inputs = result.inputs!;
      for (let i = 0; i < result.length; i++) {
        const expected = scalar[model]({
          memoryBytes: inputs.memoryBytes[i]!,
          wssBytes: inputs.wssBytes[i]!,
          dirtyPagesPerSecond: inputs.dirtyPagesPerSecond[i]!,
          bandwidthBytesPerSecond: inputs.bandwidthBytesPerSecond[i]!,
        });
        assert.equal(result.migrationTimeSeconds[i], expected.migrationTimeSeconds);
        assert.equal(result.precopyTimeSeconds[i], expected.precopyTimeSeconds);
        assert.equal(result.downtimeSeconds[i], expected.downtimeSeconds);
        assert.equal(result.transferredBytes[i], expected.transferredBytes);
        if ("stopReason" in expected && "iterations" in expected) {
          assert.equal(result.stopReasons[result.stopCode[i]!], expected.stopReason);
          assert.equal(result.iterations[i], expected.iterations);
        }
      }
    });
  }
});

Deno.test("sweep() lays out a grid with the last axis fastest, or reads columns", () => {
  const grid = sweep("kvm-postcopy", {
    memoryBytes: [1e9, 2e9],
    wssBytes: 0,
    dirtyPagesPerSecond: [0, 10, 20],
    bandwidthBytesPerSecond: 1e8,
  });
  assert.deepEqual(Array.from(grid.inputs!.memoryBytes), [1e9, 1e9, 1e9, 2e9, 2e9, 2e9]);
  assert.deepEqual(Array.from(grid.inputs!.dirtyPagesPerSecond), [0, 10, 20, 0, 10, 20]);
  assert.deepEqual(Array.from(grid.migrationTimeSeconds), [10, 10, 10, 20, 20, 20]);
  const columns = sweep("kvm-postcopy", {
    memoryBytes: new Float64Array([1e9, 2e9, 4e9]),
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    bandwidthBytesPerSecond: [1e8, 2e8, 4e8],
  }, { layout: "columns", includeInputs: false });
  assert.deepEqual(Array.from(columns.migrationTimeSeconds), [10, 10, 10]);
  assert.equal(columns.inputs, undefined);
});

Deno.test("sweep() agrees with xenPrecopy() on random configurations", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          memoryBytes: fc.double({ min: 2 ** 20, max: 2 ** 36, noNaN: true }),
          fraction: fc.double({ min: 0, max: 1, noNaN: true }),
          dirtyPagesPerSecond: fc.double({ min: 0, max: 1e6, noNaN: true }),
          bandwidthBytesPerSecond: fc.double({ min: 1e5, max: 1e10, noNaN: true }),
        }),
        { minLength: 1, maxLength: 20 },
      ),
      (rows) => {
        const result = sweep("xen-precopy", {
          memoryBytes: rows.map((r) => r.memoryBytes),
          wssBytes: rows.map((r) => r.fraction * r.memoryBytes),
          dirtyPagesPerSecond: rows.map((r) => r.dirtyPagesPerSecond),
          bandwidthBytesPerSecond: rows.map((r) => r.bandwidthBytesPerSecond),
        }, { layout: "columns" });
        rows.forEach((r, i) => {
          const expected = xenPrecopy({ ...r, wssBytes: r.fraction * r.memoryBytes });
          const relative = Math.abs(result.precopyTimeSeconds[i]! - expected.precopyTimeSeconds) /
            expected.precopyTimeSeconds;
          assert.ok(
            relative <= 1e-9,
            `configuration ${i}: ${result.precopyTimeSeconds[i]} vs ${expected.precopyTimeSeconds}`,
          );
          assert.equal(result.iterations[i], expected.iterations);
        });
      },
    ),
  );
});

Deno.test("sweep() rejects bad grids with the field, index and value", async (t) => {
  await t.step("a negative dirty rate", () => {
    assert.throws(
      () => sweep("xen-precopy", { ...paperGrid, dirtyPagesPerSecond: [1024, -5] }),
      {
        name: "RangeError",
        message:
          'sweep: invalid grid field "dirtyPagesPerSecond" at index 1, expected a finite number >= 0 pages/s (got -5)',
      },
    );
  });
  await t.step("W > M", () => {
    assert.throws(
      () => sweep("xen-precopy", { ...paperGrid, wssBytes: 2 * 2 ** 30 }),
      {
        name: "RangeError",
        message:
          'sweep: invalid input "wssBytes" at configuration 0, expected bytes <= memoryBytes (1610612736) (got 2147483648)',
      },
    );
  });
  await t.step("columns of different lengths", () => {
    assert.throws(
      () =>
        sweep("kvm-postcopy", {
          memoryBytes: [1, 2, 3],
          wssBytes: [0, 0],
          dirtyPagesPerSecond: 0,
          bandwidthBytesPerSecond: 1,
        }, { layout: "columns" }),
      {
        name: "RangeError",
        message:
          'sweep: invalid grid field "wssBytes", expected 3 values to match the other columns (got 2)',
      },
    );
  });
  await t.step("an unknown model", () => {
    // deno-lint-ignore no-explicit-any
    assert.throws(() => sweep("xen-postcopy" as any, paperGrid), {
      name: "TypeError",
      message:
        'sweep: invalid model "xen-postcopy", expected "xen-precopy", "kvm-precopy", "kvm-postcopy" or "qemu-xen-rules"',
    });
  });
});

Deno.test("sweep() passes zeroBytes to kvm-precopy's QEMU rule and checks it", async (t) => {
  const grid = {
    memoryBytes: 1.5 * 2 ** 30,
    wssBytes: [0, 2 ** 27],
    dirtyPagesPerSecond: 51200,
    bandwidthBytesPerSecond: 119e6,
    zeroBytes: [0, 136 * MIB],
  };
  await t.step("each configuration equals kvmPrecopy with its zero bytes", () => {
    const result = sweep("kvm-precopy", grid, { downtimeLimitSeconds: 3 });
    assert.equal(result.length, 4);
    for (let i = 0; i < result.length; i++) {
      const expected = kvmPrecopy({
        memoryBytes: result.inputs!.memoryBytes[i]!,
        wssBytes: result.inputs!.wssBytes[i]!,
        dirtyPagesPerSecond: result.inputs!.dirtyPagesPerSecond[i]!,
        bandwidthBytesPerSecond: 119e6,
        zeroBytes: result.inputs!.zeroBytes[i]!,
      }, { downtimeLimitSeconds: 3 });
      assert.equal(result.downtimeSeconds[i], expected.downtimeSeconds);
      assert.equal(result.migrationTimeSeconds[i], expected.migrationTimeSeconds);
    }
    // Zero pages shorten the idle guest's pause by about the top share of Z over B (the
    // rest, earlyZeroFraction + spreadZeroFraction = 0.3, is scanned before the stop).
    const shorter = result.downtimeSeconds[0]! - result.downtimeSeconds[1]!;
    const top = 0.7 * 136 * MIB * (4096 - 9) / 4096 / 119e6;
    assert.ok(Math.abs(shorter - top) < 0.05, `shorter by ${shorter} s, expected about ${top}`);
  });
  await t.step("Z > M - W is rejected with the configuration", () => {
    assert.throws(() => sweep("kvm-precopy", { ...grid, zeroBytes: 1.5 * 2 ** 30 }), {
      name: "RangeError",
      message:
        'sweep: invalid input "zeroBytes" at configuration 1, expected bytes <= memoryBytes - wssBytes (1476395008) (got 1610612736)',
    });
  });
});

Deno.test("sweep() gives kvm-precopy's first window and other outcome, as kvmPrecopy does", () => {
  // The sweep's workloads at limits through the first window's zone (10.5-12.5 s on 1.5 GiB).
  const grid = {
    memoryBytes: 1.5 * 2 ** 30,
    wssBytes: [0, 2 ** 27, 1315 * MIB],
    dirtyPagesPerSecond: 51200,
    bandwidthBytesPerSecond: 119e6,
    zeroBytes: 33200 * 4096,
  };
  const seen = new Set<string>();
  for (const downtimeLimitSeconds of [0.3, 10.5, 11, 11.5, 12, 12.5]) {
    const options = { downtimeLimitSeconds, timeoutSeconds: 40 };
    const result = sweep("kvm-precopy", grid, options);
    for (let i = 0; i < result.length; i++) {
      const expected = kvmPrecopy({ ...grid, wssBytes: result.inputs!.wssBytes[i]! }, options);
      const outcome = result.firstWindowOutcomes![result.firstWindow![i]!];
      assert.equal(outcome, expected.firstWindow);
      seen.add(outcome!);
      const other = expected.otherOutcome;
      assert.equal(result.otherMigrationTimeSeconds![i], other?.migrationTimeSeconds ?? NaN);
      assert.equal(result.otherDowntimeSeconds![i], other?.downtimeSeconds ?? NaN);
      const stop = result.otherStopCode![i]!;
      assert.equal(stop === 255 ? null : result.stopReasons[stop], other?.stopReason ?? null);
    }
  }
  assert.deepEqual([...seen].sort(), ["continues", "either", "stops"]);
  // The other rule and the other models have no first window.
  const rounds = sweep("kvm-precopy", grid, { switchRule: "between-rounds" });
  assert.equal(rounds.firstWindow, undefined);
  assert.equal(sweep("xen-precopy", grid).otherDowntimeSeconds, undefined);
});
