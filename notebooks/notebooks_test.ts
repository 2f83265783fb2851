// Executes every notebook with Jupyter and the Deno kernel (through
// scripts/run_notebooks.ts); a cell that throws fails the test. Without
// Jupyter the test is skipped with a plain message, except in CI
// (env CI = "true"), where the notebooks are tests and must run.
import assert from "node:assert/strict";

const root = new URL("..", import.meta.url).pathname;

async function hasNbconvert(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("jupyter-nbconvert", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

const available = await hasNbconvert();
const inCi = Deno.env.get("CI") === "true";
if (!available && !inCi) {
  console.log(
    "notebooks_test: Jupyter (jupyter-nbconvert) is not installed, so the notebooks are NOT executed here; " +
      "install it with `bash scripts/install_system.sh jupyter` to run them",
  );
}

const notebooks = [...Deno.readDirSync(`${root}notebooks`)]
  .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
  .map((entry) => entry.name)
  .sort();

Deno.test("notebooks/ holds the five notebooks, committed with outputs cleared", () => {
  assert.deepEqual(notebooks, [
    "01_reproduce_figures.ipynb",
    "02_fit_your_cluster.ipynb",
    "03_precopy_or_postcopy.ipynb",
    "04_kvm_precopy_downtime_limit.ipynb",
    "05_plan_a_drain.ipynb",
  ]);
  for (const name of notebooks) {
    const notebook = JSON.parse(Deno.readTextFileSync(`${root}notebooks/${name}`));
    assert.equal(notebook.metadata.kernelspec.name, "deno", name);
    for (const cell of notebook.cells) {
      if (cell.cell_type !== "code") continue;
      assert.deepEqual(cell.outputs, [], `${name}: a code cell has outputs`);
      assert.equal(cell.execution_count, null, `${name}: a code cell has an execution count`);
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const match of source.matchAll(/from\s+"([^"]+)"/g)) {
        assert.equal(match[1], "../mod.ts", `${name}: imports ${match[1]}, expected ../mod.ts only`);
      }
    }
  }
});

for (const name of notebooks) {
  Deno.test({
    name: `notebook ${name} runs in Jupyter without a failing cell`,
    ignore: !available && !inCi,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      assert.ok(
        available,
        'notebooks_test: CI is "true" but jupyter-nbconvert is missing, expected .ci/run to install it',
      );
      const outputDir = await Deno.makeTempDir({ prefix: "notebooks_test_" });
      try {
        const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--allow-all",
            `${root}scripts/run_notebooks.ts`,
            "--output-dir",
            outputDir,
            `${root}notebooks/${name}`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
        assert.equal(code, 0, text);
        const executed = JSON.parse(await Deno.readTextFile(`${outputDir}/${name}`));
        const errors = executed.cells.flatMap((cell: { outputs?: { output_type: string }[] }) =>
          (cell.outputs ?? []).filter((output) => output.output_type === "error")
        );
        assert.deepEqual(errors, []);
        // Every code cell but the parameter cells shows something (rich output or text).
        const silent = executed.cells.filter((
          cell: { cell_type: string; source: string | string[]; outputs?: unknown[] },
        ) => {
          const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
          return cell.cell_type === "code" && !source.startsWith("// Parameters") &&
            (cell.outputs ?? []).length === 0;
        });
        assert.deepEqual(silent.map((cell: { source: string[] }) => cell.source.join("").slice(0, 60)), []);
      } finally {
        await Deno.remove(outputDir, { recursive: true });
      }
    },
  });
}
