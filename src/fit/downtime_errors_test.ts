import assert from "node:assert/strict";
import { quantileSorted } from "../_stats.ts";
import { BANDWIDTH_FIT, costRuns } from "./_cost_testing.ts";
import { crossValidate } from "./cross_validate.ts";
import { downtimeErrors } from "./downtime_errors.ts";
import { fitContention } from "./fit_contention.ts";
import { fitDowntime } from "./fit_downtime.ts";
import { predictRuns } from "./predict_runs.ts";

// Synthetic, not measured: pauses from migrationDowntime at B = 100 MB/s with ±4 ms noise.
const RUNS = costRuns({
  switchoverSeconds: { "xen-precopy": 0.03, "kvm-postcopy": 0.005 },
  trackingSeconds: {},
  faultSeconds: 0,
  destinationSlowdown: { none: 0, cpu: 0 },
  noise: 0.004,
  seed: 8,
}).map((run) => ({ ...run, migrationTimeSeconds: predictRuns([run], BANDWIDTH_FIT)[0]! }));

const absolute = (rows: { residualSeconds: number }[]) =>
  rows.map((r) => Math.abs(r.residualSeconds)).sort((a, b) => a - b);

Deno.test("downtimeErrors() gives each method's cost, MAE and p90, in sample and cross-validated", () => {
  const rows = downtimeErrors(RUNS, { resamples: 30, folds: 3, seed: 5 });
  assert.deepEqual(Object.keys(rows), ["kvm-postcopy", "xen-precopy"]);
  for (const method of ["kvm-postcopy", "xen-precopy"]) {
    const row = rows[method]!;
    const fit = fitContention(RUNS, { method, resamples: 0, seed: 5 });
    const downtime = fitDowntime(RUNS, { fit, method, resamples: 30, seed: 5 });
    assert.deepEqual(row.switchoverSeconds, downtime.switchoverSeconds[method]);
    const inSample = absolute(downtime.residuals);
    assert.equal(row.inSample.count, 24);
    assert.ok(Math.abs(row.inSample.maeSeconds - downtime.metrics.maeSeconds) < 1e-15);
    assert.equal(row.inSample.p90AbsoluteErrorSeconds, quantileSorted(inSample, 0.9));
    const cv = crossValidate(RUNS, { method, folds: 3, seed: 5, quantity: "downtimeSeconds" });
    const outOfSample = absolute(cv.predictions);
    assert.equal(row.crossValidated.p90AbsoluteErrorSeconds, quantileSorted(outOfSample, 0.9));
    assert.ok(Math.abs(row.crossValidated.maeSeconds - cv.metrics.maeSeconds) < 1e-15);
    // Uniform ±4 ms noise: MAE about 2 ms, p90 about 3.6 ms.
    assert.ok(row.inSample.maeSeconds > 0.001 && row.inSample.maeSeconds < 0.003);
    assert.ok(row.crossValidated.p90AbsoluteErrorSeconds < 0.0045);
  }
  assert.ok(Math.abs(rows["kvm-postcopy"]!.switchoverSeconds.value - 0.005) < 0.001);
  assert.ok(Math.abs(rows["xen-precopy"]!.switchoverSeconds.value - 0.03) < 0.001);
});
