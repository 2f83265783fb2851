import assert from "node:assert/strict";
import { DatasetError, type DatasetProblem } from "./dataset_error.ts";

const A: DatasetProblem = {
  file: "runs.csv",
  line: 3,
  column: 12,
  field: "wss_bytes",
  value: "-5",
  expected: "bytes >= 0",
  message: 'runs.csv:3:12: column "wss_bytes": "-5" is negative, expected bytes >= 0',
};
const B: DatasetProblem = {
  file: "runs.csv",
  line: 4,
  expected: "a method",
  message: 'runs.csv:4: column "method": "" is empty, expected a method',
};

Deno.test("DatasetError() heads its message with the file and count, then one line per problem", () => {
  const error = new DatasetError("runs.csv", [A, B]);
  assert.equal(
    error.message,
    [
      "runs.csv: cannot load runs, 2 problems",
      'runs.csv:3:12: column "wss_bytes": "-5" is negative, expected bytes >= 0',
      'runs.csv:4: column "method": "" is empty, expected a method',
    ].join("\n"),
  );
  assert.equal(error.problemCount, 2);
  assert.deepEqual(error.problems, [A, B]);
  assert.equal(error.file, "runs.csv");
});

Deno.test("DatasetError() says 1 problem in the singular", () => {
  assert.equal(
    new DatasetError("runs.csv", [B]).message.split("\n")[0],
    "runs.csv: cannot load runs, 1 problem",
  );
});

Deno.test("DatasetError() counts the problems it does not list", () => {
  const error = new DatasetError("big.csv", [A, B], 7);
  assert.equal(error.problemCount, 7);
  assert.equal(error.problems.length, 2);
  const lines = error.message.split("\n");
  assert.equal(lines[0], "big.csv: cannot load runs, 7 problems");
  assert.equal(lines.at(-1), "... and 5 more (raise maxProblems to see them)");
  assert.equal(lines.length, 4);
});

Deno.test("DatasetError() is a SyntaxError named DatasetError that keeps its cause", () => {
  const cause = new RangeError("inner");
  const error = new DatasetError("runs.csv", [A], 1, { cause });
  assert.ok(error instanceof SyntaxError);
  assert.ok(error instanceof Error);
  assert.equal(error.name, "DatasetError");
  assert.equal(error.cause, cause);
  assert.equal(new DatasetError("runs.csv", [A]).cause, undefined);
  assert.throws(() => {
    throw error;
  }, { name: "DatasetError", message: /^runs\.csv: cannot load runs, 1 problem\n/ });
});
