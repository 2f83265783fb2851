// The benchmark's smoke check in CI: `deno task bench --quick` in-process.
// Times are not checked (no timed assertions); agreement with the numpy,
// scipy and pandas references is.
import assert from "node:assert/strict";
import { agreementChecks, formatTable, median } from "./_harness.ts";
import { runBench } from "./run.ts";

Deno.test("bench --quick: every available case agrees with its Python reference", async () => {
  const results = await runBench({ quick: true, cases: ["sweep", "sweep-200", "fit", "load"] });
  assert.equal(results.length, 4);
  for (const result of results) {
    if (result.status === "unavailable") continue;
    assert.equal(result.status, "ok", `${result.case}: ${result.agreement?.problems.join("; ")}`);
    assert.ok(result.agreement?.ok);
    assert.ok(result.agreement!.checked.length > 0);
    assert.ok(result.ours_seconds! > 0 && result.reference_seconds! > 0);
  }
  // The sweep cases need only the models, so they always run.
  assert.equal(results[0]!.status, "ok");
  assert.equal(results[0]!.sizes.configurations, 10000);
  assert.equal(results[1]!.status, "ok");
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
