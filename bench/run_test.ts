import assert from "node:assert/strict";
import { formatHelp } from "../src/cli/mod.ts";
import { runTask } from "../scripts/_task_testing.ts";
import { BENCH_COMMAND, CASES } from "./run.ts";

Deno.test("deno task bench --help prints the options and exits with 0", async () => {
  const { code, stdout, stderr } = await runTask("bench", ["--help"]);
  assert.deepEqual([code, stderr], [0, ""]);
  assert.equal(stdout, formatHelp(BENCH_COMMAND));
});

Deno.test("deno task bench refuses a mistake in one line, exit 2, before any work", async (t) => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/bench.json`;
  const names = CASES.map((c) => `"${c.name}"`).join(", ");
  try {
    const cases: [string, string[], string][] = [
      [
        "an unknown option",
        ["--bogus", "--out", out],
        'bench: unknown option "--bogus", expected one of --quick, --case, --repeats, --out, --help, --debug',
      ],
      [
        "an unknown case",
        ["--case", "fit,nope", "--out", out],
        `bench: invalid --case, expected a comma-separated list, each one of ${names} (got "nope" in "fit,nope")`,
      ],
      [
        "no repeats",
        ["--repeats=0", "--out", out],
        'bench: invalid --repeats, expected an integer >= 1 (got "0")',
      ],
      [
        "a flag given a value",
        ["--quick=yes"],
        'bench: option --quick takes no value, expected --quick alone (got "yes")',
      ],
    ];
    for (const [name, args, message] of cases) {
      await t.step(name, async () => {
        assert.deepEqual(await runTask("bench", args), {
          code: 2,
          stdout: "",
          stderr: `${message}\n`,
        });
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
