/**
 * Where a dataset given on a command line is: a file, or a folder holding
 * `runs.csv`.
 *
 * @module
 */

import { statOrUndefined } from "../_fs.ts";

/** A dataset path, resolved. */
export interface DatasetPath {
  /** Whether a file or a folder was given. */
  kind: "file" | "folder";
  /** The path as given (a trailing slash removed). */
  path: string;
  /** The file the runs are in: the file given, or the folder's `runs.csv` (or `runs.csv.gz`). */
  runsPath: string;
  /** The folder the runs file is in (where its sidecar is looked for). */
  folder: string;
  /**
   * The dataset's name for captions and reports: the folder's name for a
   * folder or a file named `runs.csv`, else the file's name without its
   * extensions (`mydata` for `mydata.csv.gz`).
   */
  name: string;
}

/** The runs files a dataset folder may hold, in the order they are looked for. */
export const FOLDER_RUNS_FILES: readonly string[] = ["runs.csv", "runs.csv.gz"];

function baseName(path: string): string {
  return path.split("/").filter((part) => part !== "").pop() ?? path;
}

function parentOf(path: string): string {
  const at = path.lastIndexOf("/");
  return at === -1 ? "." : at === 0 ? "/" : path.slice(0, at);
}

/**
 * Resolves a dataset given as a file or a folder, so that a command can take
 * either: a folder means its `runs.csv` (else `runs.csv.gz`) with the
 * sidecar beside it (see `loadDatasetFolder`); any other path is the runs
 * file itself. Only looks at the file system (`Deno.statSync`); reads
 * nothing.
 *
 * @param path A file or folder path.
 * @returns Which it is, the runs file, its folder and the dataset's name.
 * @throws {Deno.errors.NotFound} If nothing is at the path, or the folder holds no `runs.csv`; the message names the path and what was expected (and, for a folder, the CSV files it does hold).
 * @throws {TypeError} If the path is not a non-empty string.
 *
 * @example A folder and a file
 * ```ts
 * import { resolveDatasetPath } from "./resolve_dataset_path.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/runs.csv`, "method\n");
 * await Deno.writeTextFile(`${dir}/mine.csv`, "method\n");
 * const folder = resolveDatasetPath(`${dir}/`);
 * assert.equal(folder.kind, "folder");
 * assert.equal(folder.runsPath, `${dir}/runs.csv`);
 * assert.equal(folder.name, dir.split("/").pop());
 * const file = resolveDatasetPath(`${dir}/mine.csv`);
 * assert.equal(file.kind, "file");
 * assert.equal(file.folder, dir);
 * assert.equal(file.name, "mine");
 * assert.throws(() => resolveDatasetPath(`${dir}/nothing.csv`), Deno.errors.NotFound);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function resolveDatasetPath(path: string): DatasetPath {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(
      `resolveDatasetPath: invalid path, expected a file or folder path (got ${
        typeof path === "string" ? '""' : typeof path
      })`,
    );
  }
  const given = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const info = statOrUndefined(given);
  if (info === undefined) {
    throw new Deno.errors.NotFound(
      `resolveDatasetPath: cannot find "${path}", expected a dataset file or a folder holding runs.csv`,
    );
  }
  if (!info.isDirectory) {
    const file = baseName(given);
    const folder = parentOf(given);
    const stem = file.replace(/\.gz$/i, "");
    const name = stem === "runs.csv"
      ? baseName(folder === "." ? Deno.cwd() : folder)
      : stem.replace(/(.)\.[^.]*$/, "$1");
    return { kind: "file", path: given, runsPath: given, folder, name };
  }
  const name = baseName(given === "." ? Deno.cwd() : given);
  for (const file of FOLDER_RUNS_FILES) {
    const runsPath = `${given === "/" ? "" : given}/${file}`;
    if (statOrUndefined(runsPath)?.isFile) {
      return { kind: "folder", path: given, runsPath, folder: given, name };
    }
  }
  throw new Deno.errors.NotFound(
    `resolveDatasetPath: the folder "${path}" holds no runs.csv, expected a dataset folder ` +
      `holding runs.csv, or a dataset file${csvHint(given)}`,
  );
}

/** Names the data files a folder does hold, for the message. */
function csvHint(folder: string): string {
  const files: string[] = [];
  try {
    for (const entry of Deno.readDirSync(folder)) {
      if (entry.isFile && /\.(csv|tsv|json|jsonl|ndjson)(\.gz)?$/i.test(entry.name)) {
        files.push(entry.name);
      }
    }
  } catch {
    return "";
  }
  if (files.length === 0) return "";
  files.sort();
  const shown = files.slice(0, 3).map((f) => `"${f}"`).join(", ");
  return ` (it holds ${shown}${files.length > 3 ? ", ..." : ""}: give one as the file)`;
}
