// Notebook 02 with a mistyped datasetPath fails loudly: no quiet fallback to synthetic data,
// and out/fitted_parameters.json is not written. Runs the notebook with Jupyter's nbconvert
// and the Deno kernel (skipped without them, except in CI, as notebooks_test.ts).
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

const available = await hasNbconvert() || Deno.env.get("CI") === "true";

/** Registers the Deno kernel when Jupyter does not list it (notebooks_test.ts may run beside this). */
async function ensureDenoKernel(): Promise<void> {
  const list = await new Deno.Command("jupyter", { args: ["kernelspec", "list", "--json"] })
    .output();
  if (new TextDecoder().decode(list.stdout).includes('"deno"')) return;
  const install = await new Deno.Command(Deno.execPath(), { args: ["jupyter", "--install", "--force"] })
    .output();
  assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));
}

Deno.test({
  name: "notebook 02 with a datasetPath that does not exist fails and exports nothing",
  ignore: !available,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const notebook = JSON.parse(
        await Deno.readTextFile(`${root}notebooks/02_fit_your_cluster.ipynb`),
      );
      const exportPath = `${dir}/out/fitted_parameters.json`;
      let replaced = 0;
      for (const cell of notebook.cells) {
        if (cell.cell_type !== "code") continue;
        const source = (cell.source as string[]).join("")
          .replace('from "../mod.ts"', `from "${new URL("../mod.ts", import.meta.url).href}"`)
          .replace(/const datasetPath: string \| null = "[^"]*";/, () => {
            replaced += 1;
            return 'const datasetPath: string | null = "../data/qemu-tcg-1gbitt";';
          })
          .replace(/const exportPath = "[^"]*";/, () => {
            replaced += 1;
            return `const exportPath = ${JSON.stringify(exportPath)};`;
          });
        cell.source = [source];
      }
      assert.equal(replaced, 2, "the parameters cell sets datasetPath and exportPath");
      await ensureDenoKernel();
      await Deno.mkdir(`${dir}/nb`);
      await Deno.writeTextFile(`${dir}/nb/02.ipynb`, JSON.stringify(notebook));
      const output = await new Deno.Command("jupyter-nbconvert", {
        args: [
          "--to",
          "notebook",
          "--execute",
          "--ExecutePreprocessor.kernel_name=deno",
          "--ExecutePreprocessor.timeout=300",
          "--output-dir",
          `${dir}/executed`,
          `${dir}/nb/02.ipynb`,
        ],
        env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(output.stdout) +
        new TextDecoder().decode(output.stderr);
      assert.notEqual(output.code, 0, "the notebook ran to its end");
      assert.match(text, /qemu-tcg-1gbitt/);
      assert.match(text, /NotFound/);
      // It stopped at the load (nbconvert prints the failing cell), before any fit or export.
      assert.match(text, /NotFound: [^\n]*qemu-tcg-1gbitt/);
      await assert.rejects(() => Deno.stat(exportPath), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
