import assert from "node:assert/strict";
import fc from "fast-check";
import { xenRoundsClosedForm } from "./_xen_closed_form.ts";
import { xenRounds, type XenRoundsOutput } from "./_xen_rounds.ts";
import { sweep } from "./sweep.ts";
import { xenPrecopy } from "./xen_precopy.ts";

interface Case {
  memoryBytes: number;
  wssBytes: number;
  dirtyPagesPerSecond: number;
  bandwidthBytesPerSecond: number;
  pageBytes: number;
  maxIterations: number;
  maxTransferFactor: number;
  minDirtyPages: number;
}

const TOLERANCE = 1e-9;

function newOutput(): XenRoundsOutput {
  return {
    precopyTimeSeconds: 0,
    transferredBytes: 0,
    iterations: 0,
    stopCode: 0,
    stopAndCopyBytes: 0,
  };
}

function close(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= TOLERANCE * Math.max(Math.abs(actual), Math.abs(expected));
}

function run(c: Case, closedForm: boolean): { out: XenRoundsOutput; used: boolean } {
  const out = newOutput();
  const args = [
    c.memoryBytes,
    c.wssBytes,
    c.dirtyPagesPerSecond,
    c.bandwidthBytesPerSecond,
    c.pageBytes,
    c.maxIterations,
    c.maxTransferFactor,
    c.minDirtyPages,
  ] as const;
  if (!closedForm) return { out: xenRounds(...args, out), used: false };
  return { out, used: xenRoundsClosedForm(...args, out) };
}

/** Checks the closed form against the rounds; returns whether it answered. */
function assertAgrees(c: Case): boolean {
  const reference = run(c, false).out;
  const { out, used } = run(c, true);
  if (!used) return false;
  const where = JSON.stringify(c);
  assert.equal(out.iterations, reference.iterations, `iterations for ${where}`);
  assert.equal(out.stopCode, reference.stopCode, `stop code for ${where}`);
  for (const key of ["precopyTimeSeconds", "transferredBytes", "stopAndCopyBytes"] as const) {
    assert.ok(
      close(out[key], reference[key]),
      `${key} for ${where}: ${out[key]} vs ${reference[key]}`,
    );
  }
  return true;
}

// Inputs from physical ranges, with the edges drawn often: W = 0, W = M,
// d = 0, r = p·d/B exactly 1, r > 1, W exactly at the 50-page limit.
const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    memoryBytes: fc.oneof(
      fc.constantFrom(2 ** 30, 1.5 * 2 ** 30, 2 ** 34),
      fc.double({ min: 2 ** 20, max: 2 ** 40, noNaN: true }),
    ),
    wssShape: fc.oneof(
      fc.constantFrom("zero", "full", "fifty-pages"),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ),
    rateShape: fc.oneof(
      fc.constantFrom("zero", "one"),
      fc.double({ min: 0, max: 4, noNaN: true }),
    ),
    bandwidthBytesPerSecond: fc.double({ min: 1e5, max: 1e11, noNaN: true }),
    pageBytes: fc.oneof(fc.constant(4096), fc.integer({ min: 1, max: 2 ** 21 })),
    maxIterations: fc.oneof(fc.constantFrom(1, 2, 5, 29, 30), fc.integer({ min: 1, max: 3000 })),
    maxTransferFactor: fc.oneof(fc.constant(3), fc.double({ min: 0.5, max: 20, noNaN: true })),
    minDirtyPages: fc.oneof(fc.constantFrom(0, 50), fc.double({ min: 0, max: 5000, noNaN: true })),
  })
  .map((r) => {
    const m = r.memoryBytes;
    const wssBytes = r.wssShape === "zero"
      ? 0
      : r.wssShape === "full"
      ? m
      : r.wssShape === "fifty-pages"
      ? Math.min(m, r.minDirtyPages * r.pageBytes)
      : m * r.wssShape;
    const ratio = r.rateShape === "zero" ? 0 : r.rateShape === "one" ? 1 : r.rateShape;
    const dirtyPagesPerSecond = ratio * r.bandwidthBytesPerSecond / r.pageBytes;
    return {
      memoryBytes: m,
      wssBytes,
      dirtyPagesPerSecond,
      bandwidthBytesPerSecond: r.bandwidthBytesPerSecond,
      pageBytes: r.pageBytes,
      maxIterations: r.maxIterations,
      maxTransferFactor: r.maxTransferFactor,
      minDirtyPages: r.minDirtyPages,
    };
  });

Deno.test("xenRoundsClosedForm() agrees with the round-by-round xenRounds()", () => {
  let answered = 0;
  let total = 0;
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      total++;
      if (assertAgrees(c)) answered++;
    }),
    { numRuns: 3000, seed: 8 },
  );
  // Most cases must be answered in closed form, or the test checks nothing.
  assert.ok(answered > 0.8 * total, `answered ${answered} of ${total}`);
});

Deno.test("xenRoundsClosedForm() at the edges", async (t) => {
  const base: Case = {
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 28,
    dirtyPagesPerSecond: 15360,
    bandwidthBytesPerSecond: 125e6,
    pageBytes: 4096,
    maxIterations: 30,
    maxTransferFactor: 3,
    minDirtyPages: 50,
  };
  await t.step("W = 0 stops after round 1 with few dirty pages", () => {
    const c = { ...base, wssBytes: 0 };
    assert.ok(assertAgrees(c));
    assert.equal(run(c, true).out.iterations, 1);
    assert.equal(run(c, true).out.stopCode, 1);
  });
  await t.step("d = 0 stops after round 1 with few dirty pages", () => {
    assert.ok(assertAgrees({ ...base, dirtyPagesPerSecond: 0 }));
  });
  await t.step("d = 0 with minDirtyPages = 0 runs empty rounds to the limit", () => {
    const c = { ...base, dirtyPagesPerSecond: 0, minDirtyPages: 0, maxIterations: 500 };
    assert.ok(assertAgrees(c));
    assert.equal(run(c, true).out.iterations, 500);
    assert.equal(run(c, true).out.stopCode, 2);
  });
  await t.step("r = 1 exactly resends the working set", () => {
    const c = {
      ...base,
      wssBytes: 3e8,
      dirtyPagesPerSecond: base.bandwidthBytesPerSecond / base.pageBytes,
    };
    assert.equal(c.dirtyPagesPerSecond * c.pageBytes, c.bandwidthBytesPerSecond);
    assert.ok(assertAgrees(c));
    // M + (i - 1)·W > 3M first at i - 1 > 2M/W = 7.16, i = 9.
    assert.equal(run(c, true).out.iterations, 9);
    assert.equal(run(c, true).out.stopCode, 0);
  });
  await t.step("r > 1 with a small working set runs to the round limit", () => {
    const c = { ...base, wssBytes: 3e7, dirtyPagesPerSecond: 51200, maxIterations: 100 };
    assert.ok(assertAgrees(c));
    // 2M/W = 71.6: the transfer limit stops round 73.
    assert.equal(run(c, true).out.iterations, 73);
    assert.equal(run(c, true).out.stopCode, 0);
    assert.ok(assertAgrees({ ...c, maxIterations: 30 }));
    assert.equal(run({ ...c, maxIterations: 30 }, true).out.stopCode, 2);
  });
  await t.step("exactly 3M sent is not over the limit (the rounds decide)", () => {
    // W = M and r > 1: S_3 = 3M exactly, so round 3 goes on and round 4 stops.
    const c = { ...base, wssBytes: base.memoryBytes, dirtyPagesPerSecond: 51200 };
    assert.equal(run(c, false).out.iterations, 4);
    assert.equal(run(c, true).used, false);
  });
  await t.step("exactly 50 dirty pages is not few (the rounds decide)", () => {
    const c = { ...base, wssBytes: 50 * 4096, dirtyPagesPerSecond: 51200 };
    assert.equal(run(c, false).out.stopCode, 2);
    assert.equal(run(c, true).used, false);
    const below = { ...c, wssBytes: 49 * 4096 };
    assert.ok(assertAgrees(below));
    assert.equal(run(below, true).out.stopCode, 1);
  });
  await t.step("a geometric run stops with few dirty pages", () => {
    const c = { ...base, dirtyPagesPerSecond: 5120, maxIterations: 200 };
    assert.ok(assertAgrees(c));
    assert.equal(run(c, true).out.stopCode, 1);
    assert.ok(run(c, true).out.iterations > 3);
  });
  await t.step("values outside the normal float range go to the rounds", () => {
    const c = { ...base, memoryBytes: 1e-300, wssBytes: 0, bandwidthBytesPerSecond: 1e10 };
    assert.equal(run(c, true).used, false);
  });
});

Deno.test("sweep() with the closed form equals xenPrecopy() per configuration", () => {
  fc.assert(
    fc.property(
      fc.array(caseArbitrary, { minLength: 1, maxLength: 20 }),
      fc.integer({
        min: 64,
        max: 400,
      }),
      (cases, maxIterations) => {
        const column = (key: keyof Case) => cases.map((c) => c[key]);
        const options = { maxIterations, maxTransferFactor: 3, minDirtyPages: 50 };
        const result = sweep("xen-precopy", {
          memoryBytes: column("memoryBytes"),
          wssBytes: column("wssBytes"),
          dirtyPagesPerSecond: column("dirtyPagesPerSecond"),
          bandwidthBytesPerSecond: column("bandwidthBytesPerSecond"),
          pageBytes: column("pageBytes"),
        }, { layout: "columns", ...options });
        cases.forEach((c, i) => {
          const expected = xenPrecopy(c, options);
          assert.equal(result.iterations[i], expected.iterations);
          assert.equal(result.stopReasons[result.stopCode[i]!], expected.stopReason);
          assert.ok(close(result.precopyTimeSeconds[i]!, expected.precopyTimeSeconds));
          assert.ok(close(result.transferredBytes[i]!, expected.transferredBytes));
          assert.ok(close(result.downtimeSeconds[i]!, expected.downtimeSeconds));
        });
      },
    ),
    { numRuns: 200, seed: 88 },
  );
});

Deno.test("sweep() over a grid with and without inputs gives the same results", () => {
  const grid = {
    memoryBytes: [2 ** 30, 2 ** 33],
    wssBytes: [0, 2 ** 26, 2 ** 30],
    dirtyPagesPerSecond: [0, 1024, 51200],
    bandwidthBytesPerSecond: [1e7, 125e6],
    pageBytes: [4096, 8192],
  };
  for (const maxIterations of [30, 100]) {
    const a = sweep("xen-precopy", grid, { maxIterations });
    const b = sweep("xen-precopy", grid, { maxIterations, includeInputs: false });
    assert.equal(b.inputs, undefined);
    assert.deepEqual(b.precopyTimeSeconds, a.precopyTimeSeconds);
    assert.deepEqual(b.iterations, a.iterations);
    for (let i = 0; i < a.length; i++) {
      const input = {
        memoryBytes: a.inputs!.memoryBytes[i]!,
        wssBytes: a.inputs!.wssBytes[i]!,
        dirtyPagesPerSecond: a.inputs!.dirtyPagesPerSecond[i]!,
        bandwidthBytesPerSecond: a.inputs!.bandwidthBytesPerSecond[i]!,
        pageBytes: a.inputs!.pageBytes[i]!,
      };
      const expected = xenPrecopy(input, { maxIterations });
      assert.equal(a.iterations[i], expected.iterations);
      assert.ok(close(a.precopyTimeSeconds[i]!, expected.precopyTimeSeconds));
    }
  }
});

Deno.test("sweep() reports the first configuration with W > M", async (t) => {
  await t.step("grid", () => {
    assert.throws(
      () =>
        sweep("xen-precopy", {
          memoryBytes: [2 ** 31, 2 ** 30],
          wssBytes: [0, 2 ** 31],
          dirtyPagesPerSecond: [1, 2],
          bandwidthBytesPerSecond: 1e8,
        }, { includeInputs: false }),
      {
        name: "RangeError",
        message:
          `sweep: invalid input "wssBytes" at configuration 6, expected bytes <= memoryBytes (1073741824) (got 2147483648)`,
      },
    );
  });
  await t.step("columns", () => {
    assert.throws(
      () =>
        sweep("xen-precopy", {
          memoryBytes: 100,
          wssBytes: [0, 50, 101],
          dirtyPagesPerSecond: 1,
          bandwidthBytesPerSecond: 1e8,
        }, { layout: "columns" }),
      {
        name: "RangeError",
        message:
          `sweep: invalid input "wssBytes" at configuration 2, expected bytes <= memoryBytes (100) (got 101)`,
      },
    );
  });
});

Deno.test("sweep() reads Float64Array columns in place without changing them", () => {
  const columns = {
    memoryBytes: Float64Array.from([2 ** 30, 2 ** 31, 2 ** 32]),
    wssBytes: Float64Array.from([0, 2 ** 28, 2 ** 32]),
    dirtyPagesPerSecond: Float64Array.from([1024, 15360, 51200]),
    bandwidthBytesPerSecond: Float64Array.from([125e6, 1e8, 1e9]),
    pageBytes: Float64Array.from([4096, 4096, 4096]),
  };
  const copies = Object.fromEntries(
    Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)]),
  );
  for (const model of ["xen-precopy", "kvm-precopy", "kvm-postcopy"] as const) {
    const borrowed = sweep(model, columns, { layout: "columns", includeInputs: false });
    const copied = sweep(model, columns, { layout: "columns" });
    assert.deepEqual(borrowed.migrationTimeSeconds, copied.migrationTimeSeconds);
    assert.deepEqual(borrowed.transferredBytes, copied.transferredBytes);
    assert.notEqual(copied.inputs!.memoryBytes, columns.memoryBytes);
    assert.deepEqual(columns, copies);
  }
});
