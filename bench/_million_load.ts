// Our side of the `load-1m` case, one run per process (so that its peak
// memory is its own): loadRunColumns(CSV), as `deno task fit` loads a file,
// then the checksums that bench/reference/million.py writes for pandas' side.
//
// `deno run --allow-read --allow-write bench/_million_load.ts CSV OUT.json`
import { loadRunColumns, type RunColumns } from "../src/data/load_run_columns.ts";
import type { MigrationRun } from "../src/data/types.ts";

/** The numeric run fields million.py's checksums cover (load.py's NUMERIC fields). */
export const CHECKSUM_FIELDS = [
  "memoryBytes",
  "wssBytes",
  "dirtyPagesPerSecond",
  "pageBytes",
  "linkBandwidthBytesPerSecond",
  "migrationTimeSeconds",
  "downtimeSeconds",
  "transferredBytes",
  "iterations",
  "run",
] as const;

/** The label fields million.py counts. */
export const LABEL_FIELDS = ["method", "contention", "status"] as const;

/** Sum and count of the finite values of each numeric field, and each label's count. */
export function runChecksums(runs: readonly MigrationRun[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CHECKSUM_FIELDS) {
    let sum = 0;
    let count = 0;
    for (const run of runs) {
      const v = (run as unknown as Record<string, unknown>)[field];
      if (typeof v === "number" && Number.isFinite(v)) {
        sum += v;
        count += 1;
      }
    }
    out[field] = [sum, count];
  }
  for (const field of LABEL_FIELDS) {
    const counts: Record<string, number> = {};
    for (const run of runs) {
      const v = String(run[field]);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    out[field] = counts;
  }
  return out;
}

/**
 * The same checksums of columns read straight from a file: the fields the
 * columns hold, and [0, 0] for the others (such a file has none of their
 * columns: loadRunColumns reads it directly only then).
 */
export function columnChecksums(columns: RunColumns): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const held: Record<string, Float64Array> = {
    memoryBytes: columns.memoryBytes,
    wssBytes: columns.wssBytes,
    dirtyPagesPerSecond: columns.dirtyPagesPerSecond,
    pageBytes: columns.pageBytes,
    linkBandwidthBytesPerSecond: columns.linkBandwidthBytesPerSecond,
    migrationTimeSeconds: columns.migrationTimeSeconds,
  };
  for (const field of CHECKSUM_FIELDS) {
    const values = held[field];
    let sum = 0;
    let count = 0;
    for (let i = 0; values !== undefined && i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        count += 1;
      }
    }
    out[field] = [sum, count];
  }
  for (const field of LABEL_FIELDS) {
    const { codes, labels } = columns[field];
    const counts = new Float64Array(labels.length);
    for (let i = 0; i < codes.length; i++) counts[codes[i]!]! += 1;
    out[field] = Object.fromEntries(labels.map((label, k) => [label, counts[k]!]));
  }
  return out;
}

if (import.meta.main) {
  const [path, outPath] = Deno.args;
  if (path === undefined || outPath === undefined) {
    throw new TypeError("_million_load: missing arguments, expected CSV OUT.json (got fewer)");
  }
  const { columns, runs } = await loadRunColumns(path);
  await Deno.writeTextFile(
    outPath,
    JSON.stringify({
      rows: columns.length,
      direct: runs === null,
      checksums: runs === null ? columnChecksums(columns) : runChecksums(runs),
    }),
  );
}
