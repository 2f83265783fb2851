/**
 * The run loader for many runs: a dataset file as typed columns, one entry
 * per run, instead of one object per run.
 *
 * @module
 */

import { fileUrl, findSidecar } from "./_source.ts";
import { type FastColumns, readCsvColumns } from "./_csv_columns.ts";
import { loadRuns } from "./load_runs.ts";
import type { DatasetWarning, MigrationRun, UnitConversion } from "./types.ts";

export { FAST_COLUMNS } from "./_csv_columns.ts";

/** A label column: a code per run and the labels the codes index (first seen first). */
export interface RunLabelColumn {
  /** Per run: the index of its label in `labels`. */
  codes: Int32Array;
  /** The distinct labels, in order of first appearance. */
  labels: string[];
}

/**
 * The runs of a dataset as columns: the run fields the fits read, SI, one
 * entry per run in file order (failed runs too).
 */
export interface RunColumns {
  /** The number of runs. */
  length: number;
  /** `method` of each run. */
  method: RunLabelColumn;
  /** `contention` of each run. */
  contention: RunLabelColumn;
  /** `status` of each run. */
  status: RunLabelColumn;
  /** M, bytes. */
  memoryBytes: Float64Array;
  /** W, bytes (`full` read as M). */
  wssBytes: Float64Array;
  /** d, pages/s. */
  dirtyPagesPerSecond: Float64Array;
  /** p, bytes. */
  pageBytes: Float64Array;
  /** The link's bandwidth, bytes/s; NaN where a run has none. */
  linkBandwidthBytesPerSecond: Float64Array;
  /** The measured time, seconds; NaN where a run has none. */
  migrationTimeSeconds: Float64Array;
  /** The 1-based line of the file where each run starts. */
  lines: Int32Array;
}

/** What {@linkcode loadRunColumns} returns. */
export interface LoadRunColumnsResult {
  /** The runs as columns. */
  columns: RunColumns;
  /**
   * The runs as objects when the file was read by {@linkcode loadRuns} (the
   * columns then come from them, and these objects also hold every other
   * field); null when the columns were read straight from the file, which
   * then holds nothing but {@linkcode FAST_COLUMNS} ({@linkcode runsFromColumns}
   * gives the same objects as `loadRuns`).
   */
  runs: MigrationRun[] | null;
  /** The loader's warnings (none on the direct path). */
  warnings: DatasetWarning[];
  /** The loader's unit conversions (none on the direct path). */
  conversions: UnitConversion[];
}

/**
 * Loads a dataset file as columns. A plain CSV file (`.csv`, no sidecar)
 * that holds only the schema's columns of {@linkcode FAST_COLUMNS}, under
 * their own names, without quotes, blank lines or labels outside the
 * vocabulary, is read straight into typed arrays, chunk by chunk: neither
 * its whole text nor an object per run is ever in memory. Any other file
 * (another format, gzip, a unit to convert, an extra column, a cell the
 * loader would warn about or refuse) is read by {@linkcode loadRuns}, with
 * its checks, warnings and messages, and its runs turned into columns.
 * Either way the columns hold the same numbers as `loadRuns`' runs.
 *
 * @param path The dataset file.
 * @returns The columns, and the runs as objects when `loadRuns` read them.
 * @throws {DatasetError} As {@linkcode loadRuns}, for a file it cannot read as runs.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 * @throws {TypeError} If `path` is not a string.
 *
 * @example A small CSV file, read as columns
 * ```ts
 * import { loadRunColumns } from "./load_run_columns.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(
 *   path,
 *   "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,status\n" +
 *     "kvm-postcopy,none,1073741824,0,0,8.6,completed\n" +
 *     "kvm-postcopy,cpu,1073741824,full,0,,failed\n",
 * );
 * const { columns, runs } = await loadRunColumns(path);
 * assert.equal(runs, null); // read straight into the columns
 * assert.equal(columns.length, 2);
 * assert.equal(columns.wssBytes[1], 1073741824);
 * assert.deepEqual(columns.status.labels, ["completed", "failed"]);
 * assert.ok(Number.isNaN(columns.migrationTimeSeconds[1]!));
 * assert.deepEqual([...columns.lines], [2, 3]);
 * await Deno.remove(path);
 * ```
 */
export async function loadRunColumns(path: string): Promise<LoadRunColumnsResult> {
  if (typeof path !== "string") {
    throw new TypeError(`loadRunColumns: invalid path, expected a string (got ${typeof path})`);
  }
  let fast: FastColumns | null = null;
  if (/\.csv$/i.test(path)) {
    const info = await Deno.stat(path).catch(() => null);
    if (info?.isFile && (await findSidecar("loadRunColumns", fileUrl(path))) === undefined) {
      fast = await readCsvColumns(path, info.size);
    }
  }
  if (fast !== null) return { columns: fast, runs: null, warnings: [], conversions: [] };
  const loaded = await loadRuns(path);
  return {
    columns: columnsFromRuns(loaded.runs, loaded.lines),
    runs: loaded.runs,
    warnings: loaded.warnings,
    conversions: loaded.conversions,
  };
}

/**
 * The columns of runs (as `loadRuns` gives them): labels coded in order of
 * first appearance, a missing link bandwidth or time as NaN.
 *
 * @param runs The runs.
 * @param lines The 1-based line of each run (`loadRuns`' `lines`); by default 0 for each.
 * @returns The columns.
 *
 * @example Two runs
 * ```ts
 * import { columnsFromRuns } from "./load_run_columns.ts";
 * import assert from "node:assert/strict";
 * const base = { contention: "none", wssBytes: 0, dirtyPagesPerSecond: 0, pageBytes: 4096, extra: {} };
 * const columns = columnsFromRuns([
 *   { ...base, method: "kvm-postcopy", memoryBytes: 1e9, migrationTimeSeconds: 8, status: "completed" },
 *   { ...base, method: "xen-precopy", memoryBytes: 2e9, migrationTimeSeconds: 9, status: "completed" },
 * ]);
 * assert.deepEqual(columns.method.labels, ["kvm-postcopy", "xen-precopy"]);
 * assert.deepEqual([...columns.method.codes], [0, 1]);
 * assert.ok(Number.isNaN(columns.linkBandwidthBytesPerSecond[0]!));
 * ```
 */
export function columnsFromRuns(
  runs: readonly MigrationRun[],
  lines: readonly number[] = [],
): RunColumns {
  const n = runs.length;
  const labelColumn = (field: "method" | "contention" | "status"): RunLabelColumn => {
    const codes = new Int32Array(n);
    const labels: string[] = [];
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const label = runs[i]![field];
      let code = index.get(label);
      if (code === undefined) {
        code = labels.push(label) - 1;
        index.set(label, code);
      }
      codes[i] = code;
    }
    return { codes, labels };
  };
  const numbers = (value: (run: MigrationRun) => number | undefined) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = value(runs[i]!) ?? NaN;
    return out;
  };
  return {
    length: n,
    method: labelColumn("method"),
    contention: labelColumn("contention"),
    status: labelColumn("status"),
    memoryBytes: numbers((r) => r.memoryBytes),
    wssBytes: numbers((r) => r.wssBytes),
    dirtyPagesPerSecond: numbers((r) => r.dirtyPagesPerSecond),
    pageBytes: numbers((r) => r.pageBytes),
    linkBandwidthBytesPerSecond: numbers((r) => r.linkBandwidthBytesPerSecond),
    migrationTimeSeconds: numbers((r) => r.migrationTimeSeconds),
    lines: Int32Array.from({ length: n }, (_, i) => lines[i] ?? 0),
  };
}

/**
 * The runs of columns read straight from a file (`loadRunColumns` with
 * `runs: null`), as `loadRuns` gives them: the same fields in the same
 * order, `extra` empty, no link bandwidth where it is NaN.
 *
 * @param columns The columns.
 * @returns One run per entry.
 *
 * @example Back to objects
 * ```ts
 * import { columnsFromRuns, runsFromColumns } from "./load_run_columns.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "none", memoryBytes: 1e9, wssBytes: 0,
 *   dirtyPagesPerSecond: 0, pageBytes: 4096, migrationTimeSeconds: 8, status: "completed",
 *   extra: {}, linkBandwidthBytesPerSecond: 1.25e9,
 * };
 * assert.deepEqual(runsFromColumns(columnsFromRuns([run])), [run]);
 * ```
 */
export function runsFromColumns(columns: RunColumns): MigrationRun[] {
  const { method, contention, status, linkBandwidthBytesPerSecond: link } = columns;
  const runs: MigrationRun[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const run: MigrationRun = {
      method: method.labels[method.codes[i]!]!,
      contention: contention.labels[contention.codes[i]!]!,
      memoryBytes: columns.memoryBytes[i]!,
      wssBytes: columns.wssBytes[i]!,
      dirtyPagesPerSecond: columns.dirtyPagesPerSecond[i]!,
      pageBytes: columns.pageBytes[i]!,
      migrationTimeSeconds: columns.migrationTimeSeconds[i]!,
      status: status.labels[status.codes[i]!]!,
      extra: {},
    };
    if (!Number.isNaN(link[i]!)) run.linkBandwidthBytesPerSecond = link[i]!;
    runs[i] = run;
  }
  return runs;
}
