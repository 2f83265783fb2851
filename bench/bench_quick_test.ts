// The benchmark's smoke check in CI: `deno task bench --quick` in-process.
// Times are not checked (no timed assertions); agreement with the numpy,
// scipy and pandas references is. Every case must run: a case whose function
// is missing fails. Without a Python with numpy, scipy and pandas the check is
// skipped with a plain message, except in CI (env CI = "true"), where it must
// run.
import assert from "node:assert/strict";
import { median } from "../src/_stats.ts";
import {
  agreementChecks,
  benchPython,
  type CaseResult,
  formatTable,
  pythonWorks,
  unavailableResult,
} from "./_harness.ts";
import { runBench } from "./run.ts";

const python = benchPython();
const available = await pythonWorks(python);
const inCi = Deno.env.get("CI") === "true";
if (!available && !inCi) {
  console.log(
    `bench_quick_test: ${python} cannot import numpy, scipy and pandas, so the agreement with the Python references is NOT checked here; ` +
      "install them with `bash scripts/install_system.sh bench` (or set BENCH_PYTHON) to run it",
  );
}

Deno.test({
  name: "bench --quick: every case runs and agrees with its Python reference",
  ignore: !available && !inCi,
  fn: async () => {
    assert.ok(
      available,
      `bench_quick_test: CI is "true" but ${python} cannot import numpy, scipy and pandas, expected .ci/run to install them`,
    );
    await quickCheck();
  },
});

async function quickCheck(): Promise<void> {
  const cases = ["sweep", "sweep-200", "fit", "load", "load-1m", "fit-1m", "fit-1m-mixed"];
  const results = await runBench({ quick: true, cases });
  assert.deepEqual(results.map((r) => r.case), cases);
  checkResults(results);
  // The sweep cases need only the models, so they always run.
  assert.equal(results[0]!.status, "ok");
  assert.equal(results[0]!.sizes.configurations, 10000);
  assert.equal(results[1]!.status, "ok");
  // The million-row cases in small: 4000 rows, memory measured on both sides.
  for (const result of results.slice(4)) {
    assert.equal(result.sizes.rows, 4000);
    assert.ok((result.extra.ours_peak_bytes as number) > 0);
    assert.ok((result.extra.reference_peak_bytes as number) > 0);
  }
}

/** Every case ran (none unavailable or skipped) and agrees with its reference. */
function checkResults(results: readonly CaseResult[]): void {
  for (const result of results) {
    assert.equal(
      result.status,
      "ok",
      `${result.case}: ${result.status}: ${result.note} ${result.agreement?.problems.join("; ")}`,
    );
    assert.ok(result.agreement?.ok);
    assert.ok(result.agreement!.checked.length > 0);
    assert.ok(result.ours_seconds! > 0 && result.reference_seconds! > 0);
  }
}

Deno.test("bench --quick fails a case that reports itself unavailable", () => {
  const missing = unavailableResult("fit", "", "", "fitContention is missing");
  assert.throws(
    () => checkResults([missing]),
    (error: Error) => error.message.startsWith("fit: unavailable: fitContention is missing"),
  );
});

Deno.test("agreementChecks() flags values outside the tolerance", async (t) => {
  await t.step("floats", () => {
    const checks = agreementChecks();
    checks.floats("x", [1, 0, 2], [1 + 1e-12, 0, 2], 1e-9);
    assert.equal(checks.build().ok, true);
    checks.floats("y", [1, 2], [1, 2 * (1 + 1e-6)], 1e-9);
    const agreement = checks.build();
    assert.equal(agreement.ok, false);
    assert.deepEqual(agreement.problems, [`y[1]: ours 2, reference ${2 * (1 + 1e-6)}`]);
    assert.ok(Math.abs(agreement.maxRelativeDifference - 1e-6) < 1e-11);
  });
  await t.step("NaN never agrees with a number", () => {
    const checks = agreementChecks();
    checks.floats("z", [NaN], [1], 1e-9);
    assert.equal(checks.build().ok, false);
  });
  await t.step("exact and lengths", () => {
    const checks = agreementChecks();
    checks.exact("codes", [0, 1, 2], [0, 1, 2]);
    assert.equal(checks.build().ok, true);
    checks.exact("codes", [0, 1], [0, 1, 2]);
    assert.deepEqual(checks.build().problems, ["codes: ours has 2 values, reference 3"]);
  });
});

Deno.test("median() and formatTable()", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const table = formatTable([{
    case: "sweep",
    description: "",
    status: "ok",
    note: "n",
    ours_seconds: 0.02,
    reference_seconds: 0.16,
    ratio: 8,
    ours_repeats: [0.02],
    reference_repeats: [0.16],
    sizes: { configurations: 1000000 },
    goal: "",
    agreement: { ok: true, checked: [], maxRelativeDifference: 0, problems: [] },
    extra: {},
  }]);
  assert.match(table, /sweep\s+configurations 1,000,000\s+20\.0 ms\s+160\.0 ms\s+8\.00x\s+yes\s+n/);
});
