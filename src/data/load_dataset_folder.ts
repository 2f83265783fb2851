/**
 * Load one dataset folder (`runs.csv` plus its metadata sidecar), or one
 * dataset file with its sidecar, for the reproduction and the fits: runs,
 * provenance lines and whether the data are synthetic.
 *
 * @module
 */

import { fileUrl, findSidecar } from "./_source.ts";
import { loadRuns } from "./load_runs.ts";
import { resolveDatasetPath } from "./resolve_dataset_path.ts";
import type { DatasetMetadata, DatasetWarning, MigrationRun, UnitConversion } from "./types.ts";

/** A dataset folder (or file), loaded. */
export interface DatasetFolder {
  /** The folder's name, e.g. `qemu-tcg-1gbit` (for a file, see `resolveDatasetPath`). */
  name: string;
  /** The runs file read: `<folder>/runs.csv`, or the file given. */
  runsPath: string;
  /** The runs of `runs.csv`. */
  runs: MigrationRun[];
  /** The loader's unit conversions, as `loadRuns` returns them. */
  conversions: UnitConversion[];
  /** The loader's warnings, as `loadRuns` returns them. */
  warnings: DatasetWarning[];
  /** Indices into `runs` of the runs not completed, as `loadRuns` returns them. */
  notCompleted: number[];
  /** The 1-based line of the runs file where each run starts, as `loadRuns` returns them. */
  lines: number[];
  /** The sidecar's metadata, if a sidecar was found. */
  metadata: DatasetMetadata | undefined;
  /** The sidecar that was read, if any. */
  metadataPath: string | undefined;
  /** Provenance lines for a report: the file, every metadata field, every unit conversion. */
  provenance: Record<string, string>;
  /** True when the metadata say so or a run carries `extra.source = "synthetic"`. */
  synthetic: boolean;
  /** Completed runs. */
  completed: number;
}

/**
 * Loads `<folder>/runs.csv` (else `runs.csv.gz`) with `loadRuns` and its
 * metadata sidecar by `loadRuns`' rule: `runs.meta.json` if it exists, else
 * `<folder name>.meta.json` (what the collector writes). A file may be given
 * instead of a folder: it is read with the sidecar beside it by the same
 * rule (see `resolveDatasetPath`). I/O at the edge of the reproduction:
 * `reproduceFigures` itself is pure.
 *
 * @param folder The dataset folder, or a dataset file (path).
 * @returns The runs, metadata, conversions, warnings, provenance and counts.
 * @throws {DatasetError} If `runs.csv` or the sidecar cannot be read as runs or metadata.
 * @throws {Deno.errors.NotFound} If nothing is at the path, or the folder holds no `runs.csv`.
 *
 * @example A folder written on the fly
 * ```ts
 * import { loadDatasetFolder } from "./load_dataset_folder.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/runs.csv`,
 *   "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds\n" +
 *     "kvm-postcopy,none,1e9,0,0,8.1\n",
 * );
 * const name = dir.split("/").pop();
 * await Deno.writeTextFile(`${dir}/${name}.meta.json`, JSON.stringify({ hypervisor: "qemu" }));
 * const folder = await loadDatasetFolder(dir);
 * assert.equal(folder.metadataPath, `${dir}/${name}.meta.json`);
 * assert.equal(folder.runs.length, 1);
 * assert.equal(folder.provenance.hypervisor, "qemu");
 * assert.equal(folder.synthetic, false);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadDatasetFolder(folder: string): Promise<DatasetFolder> {
  const resolved = resolveDatasetPath(folder);
  const { name, runsPath } = resolved;
  const dir = resolved.folder;
  const sidecar = await findSidecar(
    "loadDatasetFolder",
    fileUrl(runsPath),
  );
  const metadataPath = sidecar && `${dir}/${sidecar.fileName}`;
  const loaded = await loadRuns(runsPath, { metadata: metadataPath ?? false });
  const fileName = runsPath.split("/").pop() ?? runsPath;
  const provenance: Record<string, string> = {
    dataset: resolved.kind === "folder" || fileName.startsWith("runs.")
      ? `${name}/${fileName}`
      : fileName,
  };
  if (loaded.metadata) {
    provenance.metadata = metadataPath!.split("/").pop()!;
    for (const [key, value] of Object.entries(loaded.metadata)) {
      if (key === "extra" || value === undefined) continue;
      provenance[key] = String(value);
    }
    // Keys the schema does not name (the collector's accelerator, memory_meaning,
    // other_load, ...) are provenance too, where they are plain values.
    for (const [key, value] of Object.entries(loaded.metadata.extra ?? {})) {
      if (["string", "number", "boolean"].includes(typeof value)) provenance[key] = String(value);
    }
  } else {
    provenance.metadata = "none found (runs.meta.json or <folder>.meta.json)";
  }
  for (const conversion of loaded.conversions) {
    provenance[`conversion ${conversion.column}`] = JSON.stringify(conversion);
  }
  return {
    name,
    runsPath,
    runs: loaded.runs,
    conversions: loaded.conversions,
    warnings: loaded.warnings,
    notCompleted: loaded.notCompleted,
    lines: loaded.lines,
    metadata: loaded.metadata,
    metadataPath,
    provenance,
    synthetic: loaded.metadata?.synthetic === true ||
      loaded.runs.some((run) => run.extra.source === "synthetic"),
    completed: loaded.runs.filter((run) => run.status === "completed").length,
  };
}
