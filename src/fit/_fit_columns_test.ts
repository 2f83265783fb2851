import assert from "node:assert/strict";
import fc from "fast-check";
import { columnsFromRuns, FAST_COLUMNS, loadRunColumns } from "../data/load_run_columns.ts";
import { loadRuns } from "../data/load_runs.ts";
import type { MigrationRun } from "../data/types.ts";
import { type ColumnFitRequest, fitRunColumns } from "./_fit_columns.ts";
import { crossValidate, type CrossValidateOptions } from "./cross_validate.ts";
import { fitBandwidth } from "./fit_bandwidth.ts";
import { fitContention } from "./fit_contention.ts";
import { synthesizeRuns } from "./synthetic.ts";

const PROJECT = new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;

/** The runs as a CSV of the fast columns (what loadRunColumns reads straight into columns). */
function csvOf(runs: readonly MigrationRun[]): string {
  const cell = (run: MigrationRun, column: string) => {
    const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = (run as unknown as Record<string, unknown>)[field];
    return value === undefined || Number.isNaN(value) ? "" : String(value);
  };
  return [FAST_COLUMNS.join(","), ...runs.map((r) => FAST_COLUMNS.map((c) => cell(r, c)).join(","))]
    .join("\n") + "\n";
}

/** The runs written to a CSV file and read back as columns, straight from the file. */
async function columnsOf(runs: readonly MigrationRun[]) {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, csvOf(runs));
    const loaded = await loadRunColumns(path);
    assert.equal(loaded.runs, null);
    return { columns: loaded.columns, runs: (await loadRuns(path)).runs };
  } finally {
    await Deno.remove(path);
  }
}

/** The object path: fitContention (or fitBandwidth) and crossValidate on the runs. */
function objectFit(runs: MigrationRun[], options: CrossValidateOptions, request: ColumnFitRequest) {
  const { folds: _folds, groupBy: _groupBy, quantity: _quantity, ...fitOptions } = options;
  const fit = request.groupBy === null
    ? fitBandwidth(runs, fitOptions)
    : fitContention(runs, fitOptions);
  const cv = request.folds === 0 ? null : {
    ...crossValidate(runs, { ...fitOptions, folds: request.folds, groupBy: request.groupBy }),
    predictions: [],
  };
  return { fit, cv };
}

Deno.test("fitRunColumns() gives fitContention's and crossValidate's numbers, bit for bit", async (t) => {
  const project = (await loadRuns(PROJECT)).runs.filter((r) => r.method === "kvm-postcopy");
  const synthetic = synthesizeRuns({ // synthetic, not measured
    seed: 9,
    methods: ["kvm-postcopy"],
    repeats: 3,
    factors: { none: 1, cpu: 0.9, network: 0.4 },
    noise: 0.05,
  }).map((run, i) => i % 17 === 0 ? { ...run, status: "failed" } : run);
  // Groups with KVM post-copy and Xen pre-copy runs (a group of Xen runs only too), as on the
  // bench's mixed file: the searches in each resample and fold.
  const mixed = synthesizeRuns({ // synthetic, not measured
    seed: 11,
    methods: ["kvm-postcopy", "xen-precopy"],
    repeats: 2,
    factors: { none: 1, cpu: 0.9, network: 0.4 },
    noise: 0.05,
    linkBandwidthBytesPerSecond: 1.25e9,
  }).filter((run) => run.contention !== "network" || run.method === "xen-precopy");
  const xenOnly = mixed.filter((run) => run.method === "xen-precopy");
  const cases: [string, MigrationRun[], CrossValidateOptions, ColumnFitRequest][] = [
    ["the project's post-copy runs, by contention", project, {}, {
      groupBy: "contention",
      folds: 5,
      residuals: true,
    }],
    ["the project's post-copy runs, one B", project, { seed: 3, resamples: 50 }, {
      groupBy: null,
      folds: 3,
      residuals: true,
    }],
    ["synthetic runs with failed ones, absolute scale", synthetic, { scale: "absolute" }, {
      groupBy: "contention",
      folds: 4,
      residuals: false,
    }],
    ["synthetic runs, no bootstrap, no folds", synthetic, { resamples: 0 }, {
      groupBy: "contention",
      folds: 0,
      residuals: true,
    }],
    ["the project's post-copy runs with synthetic Xen pre-copy runs", [...project, ...mixed], {
      resamples: 40,
    }, { groupBy: "contention", folds: 5, residuals: true }],
    ["synthetic Xen pre-copy runs only, one B", xenOnly, { seed: 5, resamples: 30 }, {
      groupBy: null,
      folds: 3,
      residuals: true,
    }],
    ["synthetic mixed runs, Xen capped at 12 rounds, absolute scale", mixed, {
      scale: "absolute",
      resamples: 30,
      modelOptions: { xenPrecopy: { maxIterations: 12 } },
    }, { groupBy: "contention", folds: 4, residuals: false }],
  ];
  for (const [name, runs, options, request] of cases) {
    await t.step(name, async () => {
      const { columns, runs: loaded } = await columnsOf(runs);
      const fast = fitRunColumns(columns, options, request);
      assert.ok(fast !== null);
      const expected = objectFit(loaded, options, request);
      if (!request.residuals) expected.fit.residuals = [];
      assert.deepEqual(fast, expected);
    });
  }
});

Deno.test("fitRunColumns() agrees with the object path on random post-copy and mixed runs", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 2, max: 4 }),
      fc.boolean(),
      async (seed, repeats, folds, withXen) => {
        const runs = synthesizeRuns({ // synthetic, not measured
          seed,
          methods: withXen ? ["kvm-postcopy", "xen-precopy"] : ["kvm-postcopy"],
          repeats,
          factors: { none: 1, cpu: 0.8 },
          noise: 0.1,
        });
        const { columns, runs: loaded } = await columnsOf(runs);
        const request: ColumnFitRequest = { groupBy: "contention", folds, residuals: true };
        const options = { resamples: 20, seed };
        assert.deepEqual(
          fitRunColumns(columns, options, request),
          objectFit(loaded, options, request),
        );
      },
    ),
    { numRuns: 15 },
  );
});

Deno.test("fitRunColumns() leaves to the object path what its closed form does not cover", async (t) => {
  const base = synthesizeRuns({ // synthetic, not measured
    seed: 2,
    methods: ["kvm-postcopy"],
    repeats: 2,
    factors: { none: 1, cpu: 0.9 },
    noise: 0.05,
    linkBandwidthBytesPerSecond: 1.25e9,
  });
  const request: ColumnFitRequest = { groupBy: "contention", folds: 3, residuals: false };
  const three = base.slice(0, 3).map((run) => ({ ...run, contention: "memory" }));
  const cases: [string, MigrationRun[], CrossValidateOptions, ColumnFitRequest][] = [
    ["a KVM pre-copy run", [...base, { ...base[0]!, method: "kvm-precopy" }], {}, request],
    ["Xen pre-copy runs of 64 rounds or more", [...base, { ...base[0]!, method: "xen-precopy" }], {
      modelOptions: { xenPrecopy: { maxIterations: 64 } },
    }, request],
    ["the seconds objective", base, { objective: "seconds" }, request],
    ["one B per method", base, { bandwidthPer: "method" }, request],
    ["the extra term", base, { extraTerm: "postcopy-workload" }, request],
    ["a method option", base, { method: "kvm-postcopy" }, request],
    ["post-copy after the first pass", base, {
      modelOptions: { kvmPostcopy: { precopyPasses: 1 } },
    }, request],
    ["a group of one run", [...base, { ...base[0]!, contention: "memory" }], {}, request],
    ["no baseline group", base.filter((r) => r.contention !== "none"), {}, request],
    ["a group too small for the folds", [...base, ...three], {}, { ...request, folds: 2 }],
    [
      "a link missing (auto scale)",
      [{ ...base[0]!, linkBandwidthBytesPerSecond: NaN }, ...base],
      {},
      request,
    ],
  ];
  for (const [name, runs, options, req] of cases) {
    await t.step(name, () => {
      assert.equal(fitRunColumns(columnsFromRuns(runs), options, req), null);
    });
  }
  await t.step("while the same runs without the change are fitted", () => {
    assert.notEqual(fitRunColumns(columnsFromRuns(base), {}, request), null);
    const xen = [...base, { ...base[0]!, method: "xen-precopy" }];
    assert.notEqual(fitRunColumns(columnsFromRuns(xen), {}, request), null);
  });
});
