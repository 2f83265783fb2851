import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { binningSentence, binRates, binWss, nearestOneTwoFive } from "./_bins.ts";

const M = 4 * 2 ** 30;

function run(overrides: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "none",
    memoryBytes: M,
    wssBytes: 2 ** 28,
    dirtyPagesPerSecond: 1000,
    pageBytes: 4096,
    migrationTimeSeconds: 5,
    status: "completed",
    extra: { source: "synthetic" },
    ...overrides,
  };
}

Deno.test("nearestOneTwoFive() rounds to the 1-2-5 value nearest in log", () => {
  const cases: [number, number][] = [
    [1, 1],
    [1.4, 1],
    [1.5, 2], // ln(1.5 / 1) = 0.405 > ln(2 / 1.5) = 0.288
    [3.1, 2], // below sqrt(2 · 5) = 3.16
    [3.2, 5],
    [7, 5], // below sqrt(5 · 10) = 7.07
    [7.2, 10],
    [4870, 5000],
    [51200, 50000],
    [0.013, 0.01],
  ];
  for (const [value, expected] of cases) {
    assert.equal(nearestOneTwoFive(value), expected, String(value));
  }
});

Deno.test("binRates() keeps requested rates, few distinct rates, else bins to 1-2-5", async (t) => {
  await t.step("every run requested a rate: the requested rates", () => {
    const runs = [5118, 4877, 1010].map((d, i) =>
      run({ dirtyPagesPerSecond: d, requestedDirtyPagesPerSecond: i < 2 ? 5120 : 1024 })
    );
    assert.deepEqual(binRates(runs), {
      rates: [5120, 5120, 1024],
      rule: "requested",
      someRequested: true,
    });
  });
  await t.step("a few rates far apart: as they are", () => {
    const runs = [1024, 5120, 15360, 51200, 1024].map((d) => run({ dirtyPagesPerSecond: d }));
    assert.deepEqual(binRates(runs), {
      rates: [1024, 5120, 15360, 51200, 1024],
      rule: "exact",
      someRequested: false,
    });
  });
  await t.step("rates scattered around a few values: one bin per group, at its median", () => {
    const runs = [980, 1100, 1030, 1900, 2300, 4800, 5300, 9000, 11000, 48000].map((d) =>
      run({ dirtyPagesPerSecond: d })
    );
    const bins = binRates(runs);
    assert.equal(bins.rule, "clusters");
    assert.deepEqual(bins.rates, [1000, 1000, 1000, 1900, 1900, 4800, 4800, 9000, 9000, 48000]);
  });
  await t.step("rates spread evenly (no groups): 1-2-5 bins", () => {
    // 30 rates from 1000 to 400,000, each 23 % above the last: one group spanning 400x.
    const runs = Array.from(
      { length: 30 },
      (_, i) => run({ dirtyPagesPerSecond: 1000 * 400 ** (i / 29) }),
    );
    const bins = binRates(runs);
    assert.equal(bins.rule, "nice");
    assert.deepEqual(
      [...new Set(bins.rates)],
      [1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000],
    );
  });
  await t.step("two rates closer than 25 %: binned", () => {
    const runs = [1000, 1200].map((d) => run({ dirtyPagesPerSecond: d }));
    assert.deepEqual(binRates(runs).rates, [1000, 1000]);
  });
});

Deno.test("binWss() keeps requested or few WSS, else bins to powers of two MiB", async (t) => {
  const MiB = 2 ** 20;
  await t.step("requested WSS: labels of the requests, a request of M is Full", () => {
    const runs = [
      run({ wssBytes: M - 40 * MiB, requestedWssBytes: M }),
      run({ wssBytes: 63 * MiB, requestedWssBytes: 64 * MiB }),
    ];
    assert.deepEqual(binWss(runs), {
      labels: ["Full", "64 MiB"],
      sizes: [Infinity, 64 * MiB],
      rule: "requested",
      someRequested: true,
    });
  });
  await t.step("many WSS: 0, Full and the nearest power of two MiB", () => {
    const runs = [0, 60, 70, 100, 130, 250, 260, 500, 530, 4096].map((w) =>
      run({ wssBytes: w * MiB })
    );
    const bins = binWss(runs);
    assert.equal(bins.rule, "nice");
    assert.deepEqual(bins.labels, [
      "0 MiB",
      "64 MiB",
      "64 MiB",
      "128 MiB",
      "128 MiB",
      "256 MiB",
      "256 MiB",
      "512 MiB",
      "512 MiB",
      "Full",
    ]);
    assert.equal(bins.sizes.at(-1), Infinity);
  });
});

Deno.test("binningSentence() says how runs were grouped, and nothing for exact values", () => {
  const none = { rule: "exact" as const, someRequested: false };
  assert.equal(binningSentence(none, none), "");
  assert.match(
    binningSentence({ rule: "requested", someRequested: true }, none),
    /^Runs are placed and grouped by their requested dirty rate \(columns requested_dirty_pages_per_second\)/,
  );
  assert.match(
    binningSentence({ rule: "nice", someRequested: false }, { rule: "nice", someRequested: false }),
    /bins at 1-2-5 values.*nearest power of two MiB/,
  );
  assert.match(
    binningSentence({ rule: "clusters", someRequested: false }, none),
    /grouped where their rates gather/,
  );
  assert.match(
    binningSentence({ rule: "exact", someRequested: true }, none),
    /where given, else the achieved value/,
  );
});
