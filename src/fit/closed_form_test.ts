// The closed form behind the post-copy fits (log objective: ln B is a mean
// of logs), the quadratic part of mixed searches, direct evaluation and the
// onProgress option. Hand-made runs, synthetic, not measured.
import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { paperTimeSeconds, sweep } from "../models/sweep.ts";
import { evaluatePlan, makePlan, resolveModelOptions } from "./_evaluate.ts";
import { testRun } from "./_testing.ts";
import { crossValidate } from "./cross_validate.ts";
import { fitBandwidth } from "./fit_bandwidth.ts";
import { fitContention } from "./fit_contention.ts";

const GIB = 2 ** 30;

/** Post-copy runs at three memory sizes with times off M/B by known ratios. */
function postcopyRuns(contention: string, bandwidth: number): MigrationRun[] {
  const ratios = [1.02, 0.97, 1.05, 0.99, 1.01];
  return ratios.map((ratio, i) =>
    testRun({
      method: "kvm-postcopy",
      contention,
      memoryBytes: [1, 2, 4][i % 3]! * GIB,
      migrationTimeSeconds: ([1, 2, 4][i % 3]! * GIB / bandwidth) * ratio,
    })
  );
}

Deno.test("fitBandwidth() of post-copy runs under the log objective is the mean of ln(M/T)", () => {
  const runs = postcopyRuns("none", 1.1e8);
  const fit = fitBandwidth(runs, { resamples: 0 });
  // By hand: ln B = mean over runs of ln(M / T).
  const logB = runs.reduce((s, r) => s + Math.log(r.memoryBytes / r.migrationTimeSeconds), 0) /
    runs.length;
  const expected = Math.exp(logB);
  assert.ok(Math.abs(fit.bandwidthBytesPerSecond! / expected - 1) < 1e-12);
  assert.equal(fit.converged, true);
  // Every residual in log space sums to zero at the least-squares point.
  const sum = fit.residuals.reduce(
    (s, r) => s + Math.log(r.measuredSeconds / r.estimatedSeconds),
    0,
  );
  assert.ok(Math.abs(sum) < 1e-9);
});

Deno.test("fitContention() factors of post-copy groups are ratios of geometric means", () => {
  const runs = [...postcopyRuns("none", 1.2e8), ...postcopyRuns("network", 0.5e8)];
  const fit = fitContention(runs, { resamples: 10 });
  const mean = (group: string) => {
    const own = runs.filter((r) => r.contention === group);
    return own.reduce((s, r) => s + Math.log(r.memoryBytes / r.migrationTimeSeconds), 0) /
      own.length;
  };
  const factor = Math.exp(mean("network") - mean("none"));
  assert.ok(Math.abs(fit.factors.network!.value / factor - 1) < 1e-12);
  assert.ok(fit.factors.network!.low <= fit.factors.network!.value);
  assert.ok(fit.factors.network!.high >= fit.factors.network!.value);
});

Deno.test("fitContention() of mixed groups matches a fine scan of the full objective", () => {
  const runs = [
    ...postcopyRuns("none", 1.1e8),
    testRun({ migrationTimeSeconds: 10.5 }),
    testRun({ wssBytes: 2 ** 27, dirtyPagesPerSecond: 15360, migrationTimeSeconds: 11 }),
    testRun({ memoryBytes: 2 * GIB, migrationTimeSeconds: 21 }),
  ];
  const fit = fitBandwidth(runs, { resamples: 0, scale: "absolute" });
  // The objective by the public models: sum of squared log ratios at B.
  const objective = (b: number) =>
    runs.reduce((s, r) => {
      const e = r.method === "kvm-postcopy"
        ? r.memoryBytes / b
        : paperTimeSeconds(sweep("xen-precopy", { ...r, bandwidthBytesPerSecond: b }))[0]!;
      return s + Math.log(r.migrationTimeSeconds / e) ** 2;
    }, 0);
  const best = fit.bandwidthBytesPerSecond!;
  for (const step of [1e-3, 1e-4, 1e-5]) {
    assert.ok(objective(best) <= objective(best * (1 + step)) + 1e-15);
    assert.ok(objective(best) <= objective(best * (1 - step)) + 1e-15);
  }
  assert.ok(Math.abs(fit.objectiveValue - objective(best)) < 1e-12);
});

Deno.test("evaluatePlan() gives sweep()'s times on its direct paths", () => {
  const runs: MigrationRun[] = [];
  for (let i = 0; i < 60; i++) {
    const method = ["xen-precopy", "kvm-postcopy", "kvm-precopy"][i % 3]!;
    runs.push(testRun({
      method,
      memoryBytes: (1 + (i % 4)) * GIB,
      wssBytes: (i % 5) * 2 ** 27,
      dirtyPagesPerSecond: 1000 + 977 * i,
      ...(method === "kvm-postcopy" && i % 2 === 0 ? { postcopySwitch: "after-first-pass" } : {}),
    }));
  }
  const modelOptions = resolveModelOptions("test", {});
  const indices = runs.map((_, i) => i);
  const plan = makePlan("test", runs, indices, modelOptions);
  const bandwidths = runs.map((_, i) => 5e7 + 1e6 * i);
  const out = evaluatePlan(plan, bandwidths, new Float64Array(runs.length));
  runs.forEach((run, i) => {
    const model = run.method === "xen-precopy" ? "xen-precopy" : run.method;
    // The fit's own model options (KVM pre-copy's switch rule among them), as makePlan uses them.
    const options = run.method === "kvm-postcopy"
      ? { precopyPasses: run.postcopySwitch === "after-first-pass" ? 1 as const : 0 as const }
      : run.method === "kvm-precopy"
      ? modelOptions.kvmPrecopy
      : {};
    const expected = paperTimeSeconds(sweep(model as "xen-precopy", {
      ...run,
      bandwidthBytesPerSecond: bandwidths[i]!,
    }, options as never))[0]!;
    assert.equal(out[i], expected, `run ${i} (${run.method})`);
  });
});

Deno.test("onProgress reports each bootstrap resample and each fold", async (t) => {
  const runs = [...postcopyRuns("none", 1.1e8), ...postcopyRuns("cpu", 1e8)];
  await t.step("fitContention: one event per resample", () => {
    const events: string[] = [];
    fitContention(runs, {
      resamples: 4,
      onProgress: (p) => events.push(`${p.stage} ${p.done}/${p.total}`),
    });
    assert.deepEqual(events, [1, 2, 3, 4].map((k) => `bootstrap ${k}/4`));
  });
  await t.step("crossValidate: one event per fold", () => {
    const events: string[] = [];
    crossValidate(runs, {
      folds: 2,
      onProgress: (p) => events.push(`${p.stage} ${p.done}/${p.total}`),
    });
    assert.deepEqual(events, ["cross-validation 1/2", "cross-validation 2/2"]);
  });
  await t.step("a value that is not a function is refused", () => {
    assert.throws(
      () => fitContention(runs, { onProgress: 5 as unknown as () => void }),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message ===
          'fitContention: invalid option "onProgress", expected a function (got 5)',
    );
  });
});
