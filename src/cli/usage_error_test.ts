import assert from "node:assert/strict";
import { UsageError } from "./usage_error.ts";

Deno.test("UsageError() keeps the message, the flag and the value", () => {
  const error = new UsageError('collect: invalid --timeout, expected seconds > 0 (got "6O")', {
    flag: "--timeout",
    value: "6O",
  });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "UsageError");
  assert.equal(error.message, 'collect: invalid --timeout, expected seconds > 0 (got "6O")');
  assert.equal(error.flag, "--timeout");
  assert.equal(error.value, "6O");
  assert.match(String(error), /^UsageError: collect: invalid --timeout/);
});

Deno.test("UsageError() without options has no flag, value or cause", () => {
  const error = new UsageError("fit: expected one DATASET (got 2)");
  assert.equal(error.flag, undefined);
  assert.equal(error.value, undefined);
  assert.equal(error.cause, undefined);
  assert.ok(!("cause" in error));
});

Deno.test("UsageError() keeps a cause and an argument's name", () => {
  const cause = new Deno.errors.NotFound("no such file");
  const error = new UsageError('fit: invalid DATASET, expected a file (got "a.csv")', {
    flag: "DATASET",
    value: "a.csv",
    cause,
  });
  assert.equal(error.cause, cause);
  assert.equal(error.flag, "DATASET");
});

Deno.test("UsageError() is not a TypeError or RangeError, so callers can tell it from a bug", () => {
  const error = new UsageError("x: invalid --y");
  assert.ok(!(error instanceof TypeError));
  assert.ok(!(error instanceof RangeError));
  assert.throws(() => {
    throw error;
  }, UsageError);
});
