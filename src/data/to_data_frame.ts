/**
 * danfojs frames of measured runs, for notebook display, grouping and describe.
 *
 * @module
 */

import { DataFrame as DanfoDataFrame } from "../_deps/danfojs.ts";

/**
 * A danfojs 1.1.2 `DataFrame` (`import { DataFrame } from "npm:danfojs@1.1.2"`), as
 * {@linkcode toDataFrame} returns it. See https://danfo.jsdata.org for its API.
 */
export type DataFrame = DanfoDataFrame;
import { TYPED_COLUMNS } from "./schema.ts";
import type { MigrationRun } from "./types.ts";

/** The run schema's fields, in column order: always in a frame. */
const FIELDS = TYPED_COLUMNS.filter((c) => c.group === "run").map((c) => c.field);

/** The collector's typed fields, in column order: in a frame when a run has them. */
const COLLECTOR_FIELDS = TYPED_COLUMNS.filter((c) => c.group === "collector").map((c) => c.field);

/** Fields that hold labels (null when missing, not NaN). */
const LABELS = new Set(TYPED_COLUMNS.filter((c) => c.dimension === "label").map((c) => c.field));

/**
 * Makes a danfojs `DataFrame` of runs: one row per run, one column per run
 * field of the run schema (camelCase, in schema order), one per typed
 * collector field that some run has (`downtimeLimitSeconds`, ...), and then
 * one per `extra` key (as named in the file, in first-seen order). A missing optional number is `NaN`, a
 * missing extra text is `null`.
 *
 * The frame is for looking (print, describe, groupby). danfojs labels number
 * columns `float32` but keeps the JavaScript float64 values; still, do the
 * arithmetic that matters (fits, models) on the runs, not on the frame.
 *
 * Cost: O(runs x columns).
 *
 * @param runs The runs, e.g. from {@linkcode loadRuns}.
 * @returns A danfojs DataFrame.
 * @throws {TypeError} If `runs` is not an array of objects.
 *
 * @example Describe migration times by method
 * ```ts
 * import { parseRuns, toDataFrame } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { runs } = parseRuns(
 *   "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,host\n" +
 *     "kvm-precopy,none,1e9,1e8,100,9.5,a\nkvm-postcopy,none,1e9,1e8,100,8.1,b\n",
 * );
 * const frame = toDataFrame(runs);
 * assert.deepEqual(frame.shape, [2, 14]);
 * assert.deepEqual(frame.column("migrationTimeSeconds").values, [9.5, 8.1]);
 * assert.deepEqual(frame.column("host").values, ["a", "b"]);
 * ```
 */
export function toDataFrame(runs: readonly MigrationRun[]): DataFrame {
  if (!Array.isArray(runs)) {
    throw new TypeError(
      `toDataFrame: invalid runs, expected an array of runs (got ${typeof runs})`,
    );
  }
  const extraNames: string[] = [];
  const seen = new Set<string>();
  runs.forEach((run, i) => {
    if (typeof run !== "object" || run === null) {
      throw new TypeError(`toDataFrame: invalid run ${i}, expected an object (got ${String(run)})`);
    }
    for (const key of Object.keys(run.extra ?? {})) {
      if (!seen.has(key)) {
        seen.add(key);
        extraNames.push(key);
      }
    }
  });
  const columns: Record<string, (string | number | null)[]> = {};
  const present = COLLECTOR_FIELDS.filter((field) => runs.some((run) => run[field] !== undefined));
  for (const field of [...FIELDS, ...present]) {
    columns[field] = runs.map((run) => {
      const value = run[field];
      return value === undefined ? (LABELS.has(field) ? null : NaN) : value;
    });
  }
  for (const name of extraNames) {
    const values = runs.map((run) => run.extra?.[name]);
    const numeric = values.every((v) => v === undefined || typeof v === "number");
    columns[name] = values.map((v) => v === undefined ? (numeric ? NaN : null) : v);
  }
  return new DanfoDataFrame(columns);
}
