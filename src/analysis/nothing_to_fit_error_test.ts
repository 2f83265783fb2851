import assert from "node:assert/strict";
import { NothingToFitError } from "./nothing_to_fit_error.ts";

Deno.test("NothingToFitError is a RangeError that lists why each method was not fitted", () => {
  const notFitted = { "kvm-postcopy": "fitContention: no baseline group" };
  const error = new NothingToFitError("analyzeReproduction", {
    notFitted,
    leftOut: ["kvm-postcopy / cpu: 1 completed run, a factor needs at least 2"],
  });
  assert.ok(error instanceof RangeError);
  assert.equal(error.name, "NothingToFitError");
  assert.equal(
    error.message,
    'analyzeReproduction: invalid runs, expected at least one method that can be fitted (got {"kvm-postcopy":"fitContention: no baseline group"})',
  );
  assert.deepEqual(error.notFitted, notFitted);
  assert.deepEqual(error.reasons, [
    "kvm-postcopy: fitContention: no baseline group",
    "left out kvm-postcopy / cpu: 1 completed run, a factor needs at least 2",
  ]);
});

Deno.test("NothingToFitError names the datasets not used when there was none to fit", async (t) => {
  await t.step("datasets not used", () => {
    const cause = new Error("inner");
    const error = new NothingToFitError("reproduceProject", {
      unused: ["data/a: no completed runs (3 rows), not used", "data/b: marked synthetic"],
      cause,
    });
    assert.equal(
      error.message,
      "reproduceProject: no measured dataset to fit, expected one with completed runs (got data/a: no completed runs (3 rows), not used; data/b: marked synthetic)",
    );
    assert.deepEqual(error.reasons, [
      "data/a: no completed runs (3 rows), not used",
      "data/b: marked synthetic",
    ]);
    assert.equal(error.cause, cause);
  });
  await t.step("nothing at all", () => {
    const error = new NothingToFitError("reproduceFigures");
    assert.equal(
      error.message,
      "reproduceFigures: invalid runs, expected at least one method that can be fitted (got {})",
    );
    assert.deepEqual(error.reasons, []);
    assert.equal(error.cause, undefined);
  });
});
