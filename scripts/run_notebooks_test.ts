import assert from "node:assert/strict";
import { formatHelp } from "../src/cli/mod.ts";
import { NOTEBOOKS_COMMAND } from "./run_notebooks.ts";

const SCRIPT = new URL("./run_notebooks.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** Runs `deno task notebooks ARGS` as the task does; returns its status and output. */
async function notebooks(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--config", CONFIG, SCRIPT, ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", MIGRATION_MODEL_DEBUG: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

Deno.test("deno task notebooks --help prints the options and exits with 0", async () => {
  const { code, stdout, stderr } = await notebooks(["--help"]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(stdout, formatHelp(NOTEBOOKS_COMMAND));
  assert.match(stdout, /^usage: deno task notebooks \[options\] \[NOTEBOOK \.\.\.\]\n/);
  assert.match(
    stdout,
    /\n {2}--output-dir DIR +where the executed copies go \(default out\/notebooks\)\n/,
  );
});

Deno.test("deno task notebooks refuses a mistake in one line, exit 2, before any work", async (t) => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out`;
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    const cases: [string, string[], string][] = [
      [
        "an unknown option",
        ["--bogus", "--output-dir", out],
        'notebooks: unknown option "--bogus", expected one of --output-dir, --help, --debug',
      ],
      [
        "--output-dir without its value",
        ["--output-dir"],
        "notebooks: option --output-dir needs a value, expected a folder to write into (made if missing), not a file (got nothing)",
      ],
      [
        "--output-dir on a file",
        [`--output-dir=${dir}/file`],
        `notebooks: invalid --output-dir, expected a folder to write into (made if missing), not a file (got "${dir}/file": a file is in the way)`,
      ],
      [
        "a notebook that does not exist",
        ["--output-dir", out, "notebooks/99_missing.ipynb"],
        'notebooks: invalid NOTEBOOK, expected an existing file named *.ipynb (got "notebooks/99_missing.ipynb": no such file or folder)',
      ],
      [
        "a file that is not a notebook",
        ["--output-dir", out, `${dir}/file`],
        `notebooks: invalid NOTEBOOK, expected an existing file named *.ipynb (got "${dir}/file": not a *.ipynb file)`,
      ],
    ];
    for (const [name, args, message] of cases) {
      await t.step(name, async () => {
        assert.deepEqual(await notebooks(args), { code: 2, stdout: "", stderr: `${message}\n` });
        // Refused before any work: the output folder was not made.
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
