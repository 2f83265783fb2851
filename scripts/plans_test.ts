import assert from "node:assert/strict";
import { formatHelp } from "../src/cli/mod.ts";
import { PLANS_COMMAND } from "./plans.ts";
import { runTask } from "./_task_testing.ts";

Deno.test("deno task plans --help prints the options and exits with 0", async () => {
  const { code, stdout, stderr } = await runTask("plans", ["--help"]);
  assert.deepEqual([code, stderr], [0, ""]);
  assert.equal(stdout, formatHelp(PLANS_COMMAND));
});

Deno.test("deno task plans refuses a mistake in one line, exit 2, before any work", async (t) => {
  const cases: [string, string[], string][] = [
    [
      "an unknown option",
      ["--bogus"],
      'plans: unknown option "--bogus", expected one of --migrations, --nodes, --folds, --seed, --resamples, --json, --help, --debug',
    ],
    ["one fold", ["--folds=1"], 'plans: invalid --folds, expected an integer >= 2 (got "1")'],
    [
      "a missing file",
      ["--migrations", "no/such.csv"],
      'plans: invalid --migrations, expected an existing file (got "no/such.csv": no such file or folder)',
    ],
    [
      "--nodes without its value",
      ["--nodes"],
      "plans: option --nodes needs a value, expected an existing file (got nothing)",
    ],
  ];
  for (const [name, args, message] of cases) {
    await t.step(name, async () => {
      assert.deepEqual(await runTask("plans", args), {
        code: 2,
        stdout: "",
        stderr: `${message}\n`,
      });
    });
  }
});
