import assert from "node:assert/strict";
import { formatHelp } from "../src/cli/mod.ts";
import { REPRODUCE_COMMAND } from "./reproduce.ts";
import { runTask } from "./_task_testing.ts";

Deno.test("deno task reproduce --help prints the options and exits with 0", async () => {
  const { code, stdout, stderr } = await runTask("reproduce", ["--help"]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(stdout, formatHelp(REPRODUCE_COMMAND));
  assert.match(stdout, /\n {2}--data DATASET +one dataset instead of every data\/\*\/: a file/);
  assert.match(
    stdout,
    /\n {2}--out DIR +where the figures and report\.md go .*\(default out\/\)\n/,
  );
});

Deno.test("deno task reproduce refuses a mistake in one line, exit 2, before any work", async (t) => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out`;
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    await Deno.mkdir(`${dir}/empty-folder`);
    const cases: [string, string[], string][] = [
      [
        "an unknown option",
        ["--bogus", "--out", out],
        'reproduce: unknown option "--bogus", expected one of --data, --out, --resamples, --synthetic, --help, --debug',
      ],
      [
        "--data on a path that does not exist",
        ["--data=/my/dir", "--out", out],
        'reproduce: invalid --data, expected a dataset file, or a folder holding runs.csv (got "/my/dir": no such file or folder)',
      ],
      [
        "--data on a folder without runs.csv",
        ["--out", out, "--data", `${dir}/empty-folder`],
        `reproduce: invalid --data, expected a dataset file, or a folder holding runs.csv (got "${dir}/empty-folder": a folder without runs.csv)`,
      ],
      [
        "--data without its value",
        ["--out", out, "--data"],
        "reproduce: option --data needs a value, expected a dataset file, or a folder holding runs.csv (got nothing)",
      ],
      [
        "--data followed by another option",
        ["--data", "--out", out],
        'reproduce: option --data needs a value, expected a dataset file, or a folder holding runs.csv (got the option "--out")',
      ],
      [
        "--out on a file",
        [`--out=${dir}/file`],
        `reproduce: invalid --out, expected a folder to write into (made if missing), not a file (got "${dir}/file": a file is in the way)`,
      ],
      [
        "a negative --resamples",
        ["--out", out, "--resamples", "-1"],
        'reproduce: invalid --resamples, expected an integer >= 0 (got "-1")',
      ],
      [
        "an argument",
        ["--out", out, "data/qemu-tcg-1gbit"],
        'reproduce: unexpected argument "data/qemu-tcg-1gbit", expected options only (see --help)',
      ],
      [
        "--data with --synthetic",
        ["--out", out, "--synthetic", "--data", "data/qemu-tcg-1gbit"],
        'reproduce: --data and --synthetic given together, expected one of them (got --data "data/qemu-tcg-1gbit")',
      ],
    ];
    for (const [name, args, message] of cases) {
      await t.step(name, async () => {
        assert.deepEqual(await runTask("reproduce", args), {
          code: 2,
          stdout: "",
          stderr: `${message}\n`,
        });
        // Refused before any work: nothing was written.
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      });
    }
    await t.step(
      "an empty dataset file: the loader's one line, exit 2, nothing written",
      async () => {
        const { code, stdout, stderr } = await runTask("reproduce", [
          "--data",
          `${dir}/file`,
          "--out",
          out,
        ]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(stderr, /^[^\n]*file[^\n]*\n(?:[^\n]+\n)*$/);
        assert.doesNotMatch(stderr, /\n\s+at /);
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
