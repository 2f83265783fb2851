import assert from "node:assert/strict";
import fc from "fast-check";
import { xenPrecopy } from "./xen_precopy.ts";

// The paper's testbed: a 1.5 GiB VM over Gigabit Ethernet, 4 KiB pages.
const M = 1.5 * 2 ** 30; // 1610612736 bytes
const B = 125e6; // 1 Gbit/s in bytes/s
const W64 = 64 * 2 ** 20; // 67108864 bytes

function close(actual: number, expected: number, relative = 1e-12) {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `expected ${expected}, got ${actual}`,
  );
}

Deno.test("xenPrecopy() follows the paper's equations, one hand-worked case per stop condition", async (t) => {
  await t.step("W = 0: one round of M/B, then few dirty pages", () => {
    // t1 = M/B = 1610612736 / 125e6 = 12.884901888 s; dirty = min(0, ...) = 0 < 50p.
    const result = xenPrecopy({
      memoryBytes: M,
      wssBytes: 0,
      dirtyPagesPerSecond: 51200,
      bandwidthBytesPerSecond: B,
    });
    assert.equal(result.iterations, 1);
    assert.equal(result.stopReason, "few-dirty-pages");
    close(result.precopyTimeSeconds, 12.884901888);
    assert.equal(result.transferredBytes, M);
    assert.equal(result.stopAndCopyBytes, 0);
    assert.equal(result.downtimeSeconds, 0);
  });

  await t.step(
    "W = 64 MiB, d = 15360: geometric rounds until fewer than 50 pages are dirty",
    () => {
      // t1 = 12.884901888; p·d·t1 = 810 MB > W, so t2 = W/B = 0.536870912.
      // From then on p·d·t < W and each round is r = p·d/B = 0.50331648 of the last:
      // t3 = 0.536870912·r = 0.27021597764..., ..., t10 = 0.00221105262...
      // After t10: p·d·t10 = 139107 bytes < 50p = 204800, so N = 10.
      const expectedRounds = [
        12.884901888,
        0.536870912,
        0.2702159776422298,
        0.1360041547066458,
        0.0684531324123244,
        0.03445358965074503,
        0.017341059466377415,
        0.008728041010087758,
        0.004392966878493014,
        0.0022110526260396917,
      ];
      const result = xenPrecopy({
        memoryBytes: M,
        wssBytes: W64,
        dirtyPagesPerSecond: 15360,
        bandwidthBytesPerSecond: B,
      });
      assert.equal(result.stopReason, "few-dirty-pages");
      assert.equal(result.iterations, 10);
      result.rounds.forEach((round, i) => {
        close(round.seconds, expectedRounds[i]!);
        close(round.bytes, expectedRounds[i]! * B);
      });
      close(result.precopyTimeSeconds, 13.963572774392942);
      close(result.stopAndCopyBytes, 139107.40310413175, 1e-9);
      close(result.downtimeSeconds, 139107.40310413175 / B, 1e-9);
    },
  );

  await t.step("W = 64 MiB, d = 51200: the working set is re-sent until round 30", () => {
    // r = p·d/B = 1.68 > 1, so every round after the first sends all of W: t = 0.536870912 s.
    // Sent after 30 rounds: M + 29·W = 3.56 GB < 3M = 4.83 GB, so the round cap fires.
    const result = xenPrecopy({
      memoryBytes: M,
      wssBytes: W64,
      dirtyPagesPerSecond: 51200,
      bandwidthBytesPerSecond: B,
    });
    assert.equal(result.stopReason, "max-iterations");
    assert.equal(result.iterations, 30);
    assert.equal(result.rounds[0]!.seconds, 12.884901888);
    for (const round of result.rounds.slice(1)) assert.equal(round.seconds, 0.536870912);
    close(result.precopyTimeSeconds, 12.884901888 + 29 * 0.536870912);
    assert.equal(result.transferredBytes, M + 29 * W64);
    assert.equal(result.stopAndCopyBytes, W64);
  });

  await t.step("W = M, d = 51200: the whole memory four times exceeds 3M", () => {
    // Rounds of M/B each; after 3 rounds V = 3M (not more), after 4 V = 4M > 3M.
    const result = xenPrecopy({
      memoryBytes: M,
      wssBytes: M,
      dirtyPagesPerSecond: 51200,
      bandwidthBytesPerSecond: B,
    });
    assert.equal(result.stopReason, "transfer-limit");
    assert.equal(result.iterations, 4);
    close(result.precopyTimeSeconds, 4 * 12.884901888);
    assert.equal(result.transferredBytes, 4 * M);
    assert.equal(result.stopAndCopyBytes, M);
  });
});

Deno.test("xenPrecopy() options override Xen's three constants", async (t) => {
  const input = {
    memoryBytes: M,
    wssBytes: W64,
    dirtyPagesPerSecond: 51200,
    bandwidthBytesPerSecond: B,
  };
  await t.step("maxIterations: 5 models today's Xen, 29 Xen 4.1's source", () => {
    assert.equal(xenPrecopy(input, { maxIterations: 5 }).iterations, 5);
    assert.equal(xenPrecopy(input, { maxIterations: 29 }).iterations, 29);
  });
  await t.step("maxTransferFactor: a lower limit fires earlier", () => {
    // M + k·W > 1.5M first when k = 13 (13·64 MiB = 832 MiB > 768 MiB): N = 14.
    const result = xenPrecopy(input, { maxTransferFactor: 1.5 });
    assert.equal(result.stopReason, "transfer-limit");
    assert.equal(result.iterations, 14);
  });
  await t.step("minDirtyPages: a higher floor stops the geometric rounds sooner", () => {
    const base = xenPrecopy({ ...input, dirtyPagesPerSecond: 15360 });
    const early = xenPrecopy({ ...input, dirtyPagesPerSecond: 15360 }, { minDirtyPages: 5000 });
    assert.ok(early.iterations < base.iterations);
    assert.equal(early.stopReason, "few-dirty-pages");
  });
  await t.step("migrationTimeSeconds adds the downtime to the time", () => {
    const result = xenPrecopy(input);
    close(result.migrationTimeSeconds, result.precopyTimeSeconds + W64 / B);
    assert.equal(result.downtimeSeconds, W64 / B);
  });
});

Deno.test("xenPrecopy() time is not monotone in the dirty rate", () => {
  // W = 0.7M. At d = 30000 the rounds are M, 0.7M, 0.689M, 0.677M: 3.07M > 3M after 4 rounds.
  // At d = 29000 the third and fourth rounds are a little shorter, 3M is first exceeded
  // after round 5, and the migration takes longer at the lower rate.
  const input = { memoryBytes: M, wssBytes: 0.7 * M, bandwidthBytesPerSecond: B };
  const slower = xenPrecopy({ ...input, dirtyPagesPerSecond: 29000 });
  const faster = xenPrecopy({ ...input, dirtyPagesPerSecond: 30000 });
  assert.equal(slower.iterations, 5);
  assert.equal(faster.iterations, 4);
  assert.equal(slower.stopReason, "transfer-limit");
  assert.equal(faster.stopReason, "transfer-limit");
  close(faster.precopyTimeSeconds, 39.48688155081342, 1e-9);
  assert.ok(slower.precopyTimeSeconds > faster.precopyTimeSeconds + 6);
});

const arbitraryInput = fc
  .record({
    memoryBytes: fc.double({ min: 2 ** 20, max: 2 ** 36, noNaN: true }),
    wssFraction: fc.oneof(
      fc.constant(0),
      fc.constant(1),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ),
    dirtyPagesPerSecond: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })),
    bandwidthBytesPerSecond: fc.double({ min: 1e5, max: 1e10, noNaN: true }),
  })
  .map(({ wssFraction, ...rest }) => ({ ...rest, wssBytes: wssFraction * rest.memoryBytes }));

Deno.test("xenPrecopy() invariants hold for random inputs", async (t) => {
  await t.step("precopyTimeSeconds >= M/B, with equality when W = 0 or d = 0", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const result = xenPrecopy(input);
        const firstRound = input.memoryBytes / input.bandwidthBytesPerSecond;
        assert.ok(result.precopyTimeSeconds >= firstRound);
        if (input.wssBytes === 0 || input.dirtyPagesPerSecond === 0) {
          assert.equal(result.precopyTimeSeconds, firstRound);
          assert.equal(result.iterations, 1);
        }
      }),
    );
  });
  await t.step("rounds never grow and N <= maxIterations", () => {
    fc.assert(
      fc.property(arbitraryInput, fc.integer({ min: 1, max: 40 }), (input, maxIterations) => {
        const result = xenPrecopy(input, { maxIterations });
        assert.ok(result.iterations <= maxIterations);
        assert.equal(result.rounds.length, result.iterations);
        for (let i = 1; i < result.rounds.length; i++) {
          assert.ok(result.rounds[i]!.seconds <= result.rounds[i - 1]!.seconds);
        }
      }),
    );
  });
  await t.step("when the transfer limit fires, 3M is exceeded by less than one round", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const result = xenPrecopy(input);
        if (result.stopReason !== "transfer-limit") return;
        const lastRound = result.rounds.at(-1)!.bytes;
        assert.ok(result.transferredBytes > 3 * input.memoryBytes);
        assert.ok(result.transferredBytes - lastRound <= 3 * input.memoryBytes);
      }),
    );
  });
  await t.step("time and bytes agree: transferredBytes = B × precopyTimeSeconds", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const result = xenPrecopy(input);
        close(
          result.transferredBytes,
          result.precopyTimeSeconds * input.bandwidthBytesPerSecond,
          1e-9,
        );
      }),
    );
  });
});

Deno.test("xenPrecopy() rejects bad input, naming the field, the value and the unit", async (t) => {
  const good = {
    memoryBytes: M,
    wssBytes: W64,
    dirtyPagesPerSecond: 5120,
    bandwidthBytesPerSecond: B,
  };
  const cases: [string, Record<string, unknown>, ErrorConstructor, string][] = [
    [
      "NaN memory",
      { memoryBytes: NaN },
      RangeError,
      'xenPrecopy: invalid input "memoryBytes", expected a finite number > 0 bytes (got NaN)',
    ],
    [
      "negative dirty rate",
      { dirtyPagesPerSecond: -1 },
      RangeError,
      'xenPrecopy: invalid input "dirtyPagesPerSecond", expected a finite number >= 0 pages/s (got -1)',
    ],
    [
      "zero bandwidth",
      { bandwidthBytesPerSecond: 0 },
      RangeError,
      'xenPrecopy: invalid input "bandwidthBytesPerSecond", expected a finite number > 0 bytes/s (got 0)',
    ],
    [
      "W > M",
      { wssBytes: 2 * M },
      RangeError,
      `xenPrecopy: invalid input "wssBytes", expected bytes <= memoryBytes (${M}) (got ${2 * M})`,
    ],
    [
      "fractional page size",
      { pageBytes: 4096.5 },
      RangeError,
      'xenPrecopy: invalid input "pageBytes", expected an integer >= 1 bytes (got 4096.5)',
    ],
    [
      "missing field",
      { wssBytes: undefined },
      TypeError,
      'xenPrecopy: invalid input "wssBytes", expected a finite number >= 0 bytes (got undefined)',
    ],
    [
      "string bandwidth",
      { bandwidthBytesPerSecond: "1 Gbps" },
      TypeError,
      'xenPrecopy: invalid input "bandwidthBytesPerSecond", expected a finite number > 0 bytes/s (got "1 Gbps")',
    ],
  ];
  for (const [name, patch, errorClass, message] of cases) {
    await t.step(name, () => {
      // deno-lint-ignore no-explicit-any
      assert.throws(() => xenPrecopy({ ...good, ...patch } as any), {
        name: errorClass.name,
        message,
      });
    });
  }
  await t.step("bad options", () => {
    assert.throws(() => xenPrecopy(good, { maxIterations: 0 }), {
      name: "RangeError",
      message: 'xenPrecopy: invalid option "maxIterations", expected an integer >= 1 (got 0)',
    });
    assert.throws(() => xenPrecopy(good, { maxTransferFactor: Infinity }), {
      name: "RangeError",
      message:
        'xenPrecopy: invalid option "maxTransferFactor", expected a finite number > 0 (got Infinity)',
    });
  });
});
