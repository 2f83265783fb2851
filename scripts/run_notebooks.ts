// `deno task notebooks`: executes every notebook in notebooks/ with Jupyter's
// nbconvert and the Deno kernel, writing the executed copies (with outputs)
// into out/notebooks/. A cell that throws fails the task (exit code 1).
//
//   deno task notebooks                                  # all notebooks
//   deno task notebooks notebooks/03_precopy_or_postcopy.ipynb
//   deno run -A scripts/run_notebooks.ts --output-dir /tmp/nb
//
// Needs `jupyter nbconvert` (Debian: jupyter-nbconvert python3-nbclient
// python3-ipykernel) and the Deno kernel (`deno jupyter --install`); it
// registers the kernel itself when it is missing.

const args = [...Deno.args];
let outputDir = "out/notebooks";
const at = args.indexOf("--output-dir");
if (at >= 0) {
  outputDir = args[at + 1] ?? outputDir;
  args.splice(at, 2);
}
const root = new URL("..", import.meta.url).pathname;
const notebooks = args.length > 0 ? args : [...Deno.readDirSync(`${root}notebooks`)]
  .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
  .map((entry) => `${root}notebooks/${entry.name}`)
  .sort();

async function run(
  command: string,
  commandArgs: string[],
): Promise<{ code: number; text: string }> {
  try {
    const output = await new Deno.Command(command, {
      args: commandArgs,
      stdout: "piped",
      stderr: "piped",
      env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      text: decoder.decode(output.stdout) + decoder.decode(output.stderr),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { code: 127, text: `${command}: not found` };
    throw error;
  }
}

const version = await run("jupyter-nbconvert", ["--version"]);
if (version.code !== 0) {
  console.error(
    "run_notebooks: Jupyter's nbconvert is not installed, expected `jupyter-nbconvert` on PATH " +
      "(Debian: apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel)",
  );
  Deno.exit(2);
}
const kernels = await run("jupyter", ["kernelspec", "list", "--json"]);
if (!kernels.text.includes('"deno"')) {
  const install = await run(Deno.execPath(), ["jupyter", "--install", "--force"]);
  if (install.code !== 0) {
    console.error(`run_notebooks: could not register the Deno kernel:\n${install.text}`);
    Deno.exit(2);
  }
}

/** Code cells (other than "// Parameters" cells) that came back with no output at all. */
function silentCells(path: string): string[] {
  const notebook = JSON.parse(Deno.readTextFileSync(path));
  return notebook.cells.flatMap((
    cell: { cell_type: string; source: string | string[]; outputs?: unknown[] },
  ) => {
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    return cell.cell_type === "code" && !source.startsWith("// Parameters") &&
        (cell.outputs ?? []).length === 0
      ? [source.split("\n")[0]!.slice(0, 60)]
      : [];
  });
}

Deno.mkdirSync(outputDir, { recursive: true });
let failed = 0;
let incomplete = 0;
const MAX_ATTEMPTS = 3;
for (const notebook of notebooks) {
  const name = notebook.split("/").pop()!;
  // The Deno kernel sometimes loses a cell's output under nbconvert (seen under load, on
  // the first cell that displays something): run such a notebook again, up to 3 times in all.
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const started = performance.now();
    const result = await run("jupyter-nbconvert", [
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      "--ExecutePreprocessor.timeout=600",
      // nbclient waits only 4 s (its default) for output after a cell's reply, then drops it
      // silently; give a loaded machine longer.
      "--ExecutePreprocessor.iopub_timeout=60",
      "--output-dir",
      outputDir,
      notebook,
    ]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.code !== 0) {
      failed += 1;
      // nbconvert prints the failing cell and its traceback; keep the tail.
      const tail = result.text.split("\n")
        .filter((line) => !/Debugger warning|frozen modules|PYDEVD|Debugging will/.test(line))
        .slice(-40).join("\n");
      console.log(`FAILED ${name} (${seconds} s)\n${tail}`);
      break;
    }
    const silent = silentCells(`${outputDir}/${name}`);
    if (silent.length === 0) {
      console.log(`ok     ${name} (${seconds} s) -> ${outputDir}/${name}`);
      break;
    }
    if (attempt === MAX_ATTEMPTS) {
      incomplete += 1;
      console.log(
        `WARN   ${name}: ran without errors, but the kernel lost the output of ${silent.length} cell(s): ${
          silent.map((s) => JSON.stringify(s)).join(", ")
        }`,
      );
    } else {
      console.log(`retry  ${name}: the kernel lost the output of ${silent.length} cell(s)`);
    }
  }
}
console.log(
  `${notebooks.length - failed} notebooks ran, ${failed} failed${
    incomplete > 0 ? `, ${incomplete} with lost outputs` : ""
  }`,
);
Deno.exit(failed > 0 ? 1 : 0);
