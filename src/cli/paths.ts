/**
 * Command-line values that are paths: checked against the file system when
 * the command line is read, before any work.
 *
 * @module
 */

import { statOrUndefined } from "../_fs.ts";
import { type DatasetPath, resolveDatasetPath } from "../data/resolve_dataset_path.ts";
import { type ValueParser, ValueRejected } from "./values.ts";

/** What an existing path must be. */
export type PathKind = "file" | "folder" | "file or folder";

/**
 * A path to an existing file, folder, or either; with `extension`, a file
 * whose name ends so (`.ipynb`).
 *
 * @param kind What the path must be.
 * @param options The file extension required, if any.
 * @returns The parser (the path as given).
 *
 * @example A notebook
 * ```ts
 * import { existingPath } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.ipynb`, "{}");
 * const notebook = existingPath("file", { extension: ".ipynb" });
 * assert.equal(notebook.parse(`${dir}/a.ipynb`), `${dir}/a.ipynb`);
 * assert.throws(() => notebook.parse(`${dir}/b.ipynb`), /no such file/);
 * assert.throws(() => notebook.parse(dir), /a folder/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function existingPath(
  kind: PathKind,
  options: { extension?: string } = {},
): ValueParser<string> {
  const { extension } = options;
  const expected = `an existing ${kind}${extension ? ` named *${extension}` : ""}`;
  return {
    expected,
    placeholder: kind === "folder" ? "DIR" : "PATH",
    parse(text) {
      const shown = (why: string) => `${JSON.stringify(text)}: ${why}`;
      if (text === "") throw new ValueRejected(expected);
      const info = statOrUndefined(text);
      if (info === undefined) throw new ValueRejected(expected, shown("no such file or folder"));
      if (kind === "file" && info.isDirectory) {
        throw new ValueRejected(expected, shown("a folder"));
      }
      if (kind === "folder" && !info.isDirectory) {
        throw new ValueRejected(expected, shown("not a folder"));
      }
      if (extension !== undefined && !text.endsWith(extension)) {
        throw new ValueRejected(expected, shown(`not a *${extension} file`));
      }
      return text;
    },
  };
}

/**
 * A folder to write into: it may not exist yet (the command makes it), but
 * must not be a file.
 *
 * @returns The parser (the path as given).
 *
 * @example An output folder
 * ```ts
 * import { outputFolder } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * const file = await Deno.makeTempFile();
 * assert.equal(outputFolder().parse("out/new"), "out/new");
 * assert.throws(() => outputFolder().parse(file), /a file is in the way/);
 * await Deno.remove(file);
 * ```
 */
export function outputFolder(): ValueParser<string> {
  const expected = "a folder to write into (made if missing), not a file";
  return {
    expected,
    placeholder: "DIR",
    parse(text) {
      if (text.trim() === "") throw new ValueRejected(expected);
      const info = statOrUndefined(text);
      if (info !== undefined && !info.isDirectory) {
        throw new ValueRejected(expected, `${JSON.stringify(text)}: a file is in the way`);
      }
      return text;
    },
  };
}

/**
 * A dataset: a file, or a folder holding `runs.csv` (see
 * `resolveDatasetPath`), resolved.
 *
 * @returns The parser.
 *
 * @example A folder
 * ```ts
 * import { datasetPath } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * const dataset = datasetPath().parse("data/qemu-tcg-1gbit");
 * assert.equal(dataset.runsPath, "data/qemu-tcg-1gbit/runs.csv");
 * assert.throws(() => datasetPath().parse("data/nothing"), /no such file or folder/);
 * ```
 */
export function datasetPath(): ValueParser<DatasetPath> {
  const expected = "a dataset file, or a folder holding runs.csv";
  return {
    expected,
    placeholder: "DATASET",
    parse(text) {
      if (text === "") throw new ValueRejected(expected);
      const info = statOrUndefined(text);
      if (info === undefined) {
        throw new ValueRejected(expected, `${JSON.stringify(text)}: no such file or folder`);
      }
      try {
        return resolveDatasetPath(text);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        throw new ValueRejected(expected, `${JSON.stringify(text)}: a folder without runs.csv`);
      }
    },
  };
}
