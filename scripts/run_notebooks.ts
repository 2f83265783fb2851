// `deno task notebooks`: executes every notebook in notebooks/ with Jupyter's
// nbconvert and the Deno kernel, writing the executed copies (with outputs)
// into out/notebooks/. A cell that throws fails the task (exit code 1).
//
//   deno task notebooks                                  # all notebooks
//   deno task notebooks notebooks/03_precopy_or_postcopy.ipynb
//   deno task notebooks --output-dir /tmp/nb
//   deno task notebooks --help
//
// Needs `jupyter nbconvert` (Debian: jupyter-nbconvert python3-nbclient
// python3-ipykernel) and the Deno kernel (`deno jupyter --install`); it
// registers the kernel itself when it is missing.

import {
  existingPath,
  option,
  outputFolder,
  parseCommandLine,
  runCommand,
} from "../src/cli/mod.ts";

/** The command line of `deno task notebooks`. */
export const NOTEBOOKS_COMMAND = {
  name: "notebooks",
  usage: "deno task notebooks [options] [NOTEBOOK ...]",
  description: `Executes the notebooks with Jupyter's nbconvert and the Deno kernel and writes the
executed copies, with their outputs, to the output folder. A cell that throws
fails the task (exit status 1). Needs jupyter-nbconvert (Debian:
jupyter-nbconvert python3-nbclient python3-ipykernel); registers the Deno
kernel when it is missing.`,
  options: {
    "output-dir": option(outputFolder(), {
      help: "where the executed copies go",
      default: "out/notebooks",
    }),
  },
  positionals: {
    name: "NOTEBOOK",
    help: "notebooks to run (default every notebooks/*.ipynb)",
    parser: existingPath("file", { extension: ".ipynb" }),
  },
  examples: [
    "deno task notebooks",
    "deno task notebooks notebooks/03_precopy_or_postcopy.ipynb --output-dir /tmp/nb",
  ],
};

const root = new URL("..", import.meta.url).pathname;

function allNotebooks(): string[] {
  return [...Deno.readDirSync(`${root}notebooks`)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
    .map((entry) => `${root}notebooks/${entry.name}`)
    .sort();
}

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

/** Checks nbconvert and registers the Deno kernel; a status to exit with when that fails. */
async function prepareJupyter(): Promise<number | undefined> {
  const version = await run("jupyter-nbconvert", ["--version"]);
  if (version.code !== 0) {
    throw new Deno.errors.NotFound(
      "notebooks: Jupyter's nbconvert is not installed, expected `jupyter-nbconvert` on PATH " +
        "(Debian: apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel)",
    );
  }
  const kernels = await run("jupyter", ["kernelspec", "list", "--json"]);
  if (!kernels.text.includes('"deno"')) {
    const install = await run(Deno.execPath(), ["jupyter", "--install", "--force"]);
    if (install.code !== 0) {
      console.error(`notebooks: could not register the Deno kernel:\n${install.text}`);
      return 2;
    }
  }
  return undefined;
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

/** Runs one notebook, again when the kernel lost outputs; says how it went. */
async function runNotebook(
  notebook: string,
  outputDir: string,
): Promise<"ok" | "failed" | "incomplete"> {
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
      // nbconvert prints the failing cell and its traceback; keep the tail.
      const tail = result.text.split("\n")
        .filter((line) => !/Debugger warning|frozen modules|PYDEVD|Debugging will/.test(line))
        .slice(-40).join("\n");
      console.log(`FAILED ${name} (${seconds} s)\n${tail}`);
      return "failed";
    }
    const silent = silentCells(`${outputDir}/${name}`);
    if (silent.length === 0) {
      console.log(`ok     ${name} (${seconds} s) -> ${outputDir}/${name}`);
      return "ok";
    }
    if (attempt === MAX_ATTEMPTS) {
      console.log(
        `WARN   ${name}: ran without errors, but the kernel lost the output of ${silent.length} cell(s): ${
          silent.map((s) => JSON.stringify(s)).join(", ")
        }`,
      );
      return "incomplete";
    }
    console.log(`retry  ${name}: the kernel lost the output of ${silent.length} cell(s)`);
  }
  return "incomplete";
}

const MAX_ATTEMPTS = 3;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(NOTEBOOKS_COMMAND, Deno.args);
  const outputDir = values["output-dir"];
  const notebooks = positionals.length > 0 ? positionals : allNotebooks();
  const status = await prepareJupyter();
  if (status !== undefined) return status;
  Deno.mkdirSync(outputDir, { recursive: true });
  let failed = 0;
  let incomplete = 0;
  for (const notebook of notebooks) {
    const outcome = await runNotebook(notebook, outputDir);
    if (outcome === "failed") failed += 1;
    if (outcome === "incomplete") incomplete += 1;
  }
  console.log(
    `${notebooks.length - failed} notebooks ran, ${failed} failed${
      incomplete > 0 ? `, ${incomplete} with lost outputs` : ""
    }`,
  );
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) await runCommand(main);
