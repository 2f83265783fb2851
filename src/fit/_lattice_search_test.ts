import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import type { MigrationRun } from "../data/types.ts";
import { paperTimeSeconds, sweep } from "../models/sweep.ts";
import { cellStart } from "./_cell_start.ts";
import { createSolver, lossFor } from "./_coordinate_search.ts";
import { evaluatePlan, makePlan } from "./_evaluate.ts";
import { layoutParams } from "./_fit_params.ts";
import { latticeSearch, newLattice, type ParamObjective, stepsFinely } from "./_lattice_search.ts";
import { testData } from "./_testing.ts";
import { fitContention } from "./fit_contention.ts";
import { synthesizeRuns } from "./synthetic.ts";

const PROJECT = new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;

/** The project's completed runs of a method (measured). */
async function projectRuns(method: string): Promise<MigrationRun[]> {
  const { runs } = await loadRuns(PROJECT);
  return runs.filter((r) => r.method === method && r.status === "completed");
}

/** A one-run objective whose residual is g(x): on the lattice, the objective is g(x)^2. */
function oneRun(g: (x: number) => number): ParamObjective {
  const residualsAt = (x: number, into: Float64Array) => {
    into[0] = g(x);
    return into;
  };
  return {
    residualsAt,
    estimatesAt: residualsAt,
    residualOf: (_i, e) => e,
    objective: (_x, residuals) => residuals[0]! ** 2,
    count: 1,
    keys: null,
    origin: 0,
  };
}

Deno.test("latticeSearch() widens its scan to the lowest piece of a step objective", () => {
  // A parabola around 0.0125 plus 1e-7 everywhere but on the piece [0.0123, 0.0124) (made up):
  // the lowest point is that piece's right end, 0.0001 from the parabola's minimum.
  const g = (x: number) =>
    Math.sqrt((x - 0.0125) ** 2 + (Math.floor(x / 1e-4 + 1e-9) === 123 ? 0 : 1e-7));
  const own = oneRun(g);
  // From 0.01 the first scan (±16 points, ±0.0008) falls towards its end: it widens.
  const found = latticeSearch(newLattice(), own, 0.01, 16, 1e-10, 200, new Float64Array(1));
  assert.ok(found !== null);
  assert.ok(found.x >= 0.0123 && found.x < 0.0124, `x ${found.x}`);
  assert.ok(found.x > 0.0124 - 1e-9, `x ${found.x}`);
  // No point of a dense scan around it is lower.
  for (let k = 0; k <= 20_000; k++) {
    const x = 0.005 + k * 5e-7;
    assert.ok(g(x) ** 2 >= found.value - 1e-18, `scan ${x}: ${g(x) ** 2} < ${found.value}`);
  }
});

Deno.test("latticeSearch() gives up (null) when the objective falls beyond its widest scan", () => {
  const own = oneRun((x) => Math.exp(-x));
  assert.equal(latticeSearch(newLattice(), own, 0, 16, 1e-9, 200, new Float64Array(1)), null);
});

Deno.test("evaluatePlan() runs the QEMU models' columns as sweep() does, bit for bit", async () => {
  for (const method of ["kvm-precopy", "xen-precopy-policy"]) {
    const runs = (await projectRuns(method)).slice(0, 40);
    const plan = makePlan("test", runs, runs.map((_, i) => i), {
      xenPrecopy: {},
      kvmPrecopy: {},
      kvmPostcopy: {},
    });
    assert.ok(stepsFinely(plan));
    for (const scale of [0.5, 0.93, 1.0001]) {
      const bandwidths = runs.map((r) => r.linkBandwidthBytesPerSecond! * scale);
      const direct = evaluatePlan(plan, bandwidths, new Float64Array(runs.length));
      const expected = new Float64Array(runs.length);
      for (const batch of plan.batches) {
        const result = sweep(batch.model, {
          memoryBytes: batch.memoryBytes,
          wssBytes: batch.wssBytes,
          dirtyPagesPerSecond: batch.dirtyPagesPerSecond,
          bandwidthBytesPerSecond: Array.from(batch.positions, (p) => bandwidths[p]!),
          pageBytes: batch.pageBytes,
          zeroBytes: batch.zeroBytes,
        }, batch.options);
        const times = paperTimeSeconds(result);
        batch.positions.forEach((p, k) => expected[p] = times[k]!);
      }
      assert.deepEqual(direct, expected);
    }
  }
});

/** The fit's objective at theta (sum of squared log ratios), as the runs' estimates give it. */
function objectiveAt(runs: MigrationRun[], bandwidthPer: "all" | "method") {
  const { data, options } = testData(runs, { bandwidthPer });
  // "method": the coupled layout (a level and factors), which one-method fits no longer use.
  const layout = layoutParams(data, options, bandwidthPer === "all");
  const loss = lossFor("log");
  const solve = createSolver(data, layout, options, loss);
  const start = bandwidthPer === "method" ? cellStart(data, layout, options, loss) : null;
  const theta = solve(null, start).theta;
  // Each group's level s_g, and the objective at those levels.
  const levels: Record<string, number> = {};
  data.groups.forEach((g, p) => {
    const factor = layout.factorOf[p]! >= 0 ? theta[layout.factorOf[p]!]! : 0;
    levels[g] = theta[layout.levelOf[p]!]! + factor;
  });
  const plan = makePlan("test", data.runs, data.indices, options.modelOptions);
  const bandwidths = data.groups.map((g, p) => data.link[p]! * Math.exp(levels[g]!));
  const estimates = evaluatePlan(plan, bandwidths, new Float64Array(bandwidths.length));
  let sum = 0;
  estimates.forEach((e, p) => sum += loss(data.measured[p]!, e));
  return { levels, objective: sum, independent: layout.independent };
}

Deno.test("one method: the separable layout and the coupled one agree, the separable one no worse", async (t) => {
  await t.step("post-copy (closed form): the same levels", () => {
    const runs = synthesizeRuns({ // synthetic, not measured
      seed: 4,
      methods: ["kvm-postcopy"],
      repeats: 2,
      factors: { none: 1, cpu: 0.9, network: 0.4 },
      noise: 0.05,
    });
    const separable = objectiveAt(runs, "all");
    const coupled = objectiveAt(runs, "method");
    assert.deepEqual([separable.independent, coupled.independent], [true, false]);
    for (const g of Object.keys(separable.levels)) {
      assert.ok(Math.abs(separable.levels[g]! - coupled.levels[g]!) < 1e-9, g);
    }
    assert.ok(Math.abs(separable.objective - coupled.objective) < 1e-12 * coupled.objective);
  });
  for (const method of ["kvm-precopy", "xen-precopy-policy"]) {
    await t.step(
      `${method} on qemu-tcg-1gbit/ (step objective): separable <= coupled`,
      async () => {
        const runs = await projectRuns(method);
        const separable = objectiveAt(runs, "all");
        const coupled = objectiveAt(runs, "method");
        // Within the refinement's 1e-7 in ln B at a step's edge (a few 1e-10 here).
        assert.ok(
          separable.objective <= coupled.objective * (1 + 1e-6),
          `${separable.objective} > ${coupled.objective}`,
        );
      },
    );
  }
});

Deno.test("fitContention() with one B per method and one method fits the groups separably", async () => {
  const runs = (await projectRuns("xen-precopy-policy")).filter((_, i) => i % 2 === 0);
  const all = fitContention(runs, { resamples: 20 });
  const perMethod = fitContention(runs, { resamples: 20, bandwidthPer: "method" });
  // The same levels: B is the method's, the baseline's factor fixed at 1, the others equal.
  assert.deepEqual(perMethod.bandwidthByMethod!["xen-precopy-policy"], all.bandwidth);
  assert.deepEqual(perMethod.factors.none, { value: 1, low: 1, high: 1 });
  for (const g of ["cpu", "network", "memory"]) {
    assert.deepEqual(perMethod.factors[g], all.factors[g]);
  }
  assert.equal(perMethod.objectiveValue, all.objectiveValue);
});
