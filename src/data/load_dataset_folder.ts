/**
 * Load one dataset folder (`runs.csv` plus its metadata sidecar) for the
 * reproduction: runs, provenance lines and whether the data are synthetic.
 *
 * @module
 */

import { findSidecar } from "./_source.ts";
import { loadRuns } from "./load_runs.ts";
import type { DatasetMetadata, MigrationRun } from "./types.ts";

/** A dataset folder, loaded. */
export interface DatasetFolder {
  /** The folder's name, e.g. `qemu-tcg-1gbit`. */
  name: string;
  /** The runs of `runs.csv`. */
  runs: MigrationRun[];
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
 * Loads `<folder>/runs.csv` with `loadRuns` and its metadata sidecar by
 * `loadRuns`' rule: `runs.meta.json` if it exists, else
 * `<folder name>.meta.json` (what the collector writes). I/O at the edge of
 * the reproduction: `reproduceFigures` itself is pure.
 *
 * @param folder The dataset folder (path).
 * @returns The runs, metadata, provenance and counts.
 * @throws {DatasetError} If `runs.csv` or the sidecar cannot be read as runs or metadata.
 * @throws {Deno.errors.NotFound} If `runs.csv` does not exist.
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
  const dir = folder.replace(/\/+$/, "");
  const name = dir.split("/").pop() ?? dir;
  const csvPath = `${dir}/runs.csv`;
  const sidecar = await findSidecar(
    "loadDatasetFolder",
    new URL(csvPath, `file://${Deno.cwd()}/`),
  );
  const metadataPath = sidecar && `${dir}/${sidecar.fileName}`;
  const loaded = await loadRuns(csvPath, { metadata: metadataPath ?? false });
  const provenance: Record<string, string> = { dataset: `${name}/runs.csv` };
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
    runs: loaded.runs,
    metadata: loaded.metadata,
    metadataPath,
    provenance,
    synthetic: loaded.metadata?.synthetic === true ||
      loaded.runs.some((run) => run.extra.source === "synthetic"),
    completed: loaded.runs.filter((run) => run.status === "completed").length,
  };
}
