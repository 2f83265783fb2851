/**
 * Measured migrations in: the run schema and its vocabulary, the loaders
 * ({@linkcode loadRuns} over the pure {@linkcode parseRuns}, dataset
 * folders), the QEMU and libvirt importers, the dataset error that lists
 * every problem, and {@linkcode toDataFrame} for display.
 *
 * Runs come out with the models' names and SI units. This layer imports
 * nothing from the rest of the toolkit but the unit helpers.
 *
 * @example Parse a CSV with a unit-suffixed column
 * ```ts
 * import { METHODS, parseRuns } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = [
 *   "method,contention,memory_bytes,wss_mib,dirty_pages_per_second,migration_time_seconds",
 *   "kvm-postcopy,none,1073741824,256,5120,8.6",
 * ].join("\n");
 * const { runs } = parseRuns(text, { fileName: "runs.csv" });
 * assert.equal(runs[0]?.wssBytes, 256 * 2 ** 20);
 * assert.ok(METHODS.some((term) => term.name === runs[0]?.method));
 * ```
 *
 * @module
 */

export type {
  DatasetMetadata,
  DatasetWarning,
  ImportRunOptions,
  KnownContention,
  KnownMethod,
  MigrationRun,
  RunFormat,
  RunSource,
  UnitConversion,
} from "./types.ts";
export {
  CONTENTIONS,
  type ContentionTerm,
  methodLabel,
  METHODS,
  type MethodTerm,
  POSTCOPY_SWITCHES,
  RUN_SCHEMA,
  type RunColumn,
  type RunDimension,
  type RunField,
  TYPED_COLUMNS,
} from "./schema.ts";
export { DatasetError, type DatasetProblem } from "./dataset_error.ts";
export { parseRuns, type ParseRunsOptions, type ParseRunsResult } from "./parse_runs.ts";
export { loadRuns, type LoadRunsOptions } from "./load_runs.ts";
export {
  columnsFromRuns,
  FAST_COLUMNS,
  loadRunColumns,
  type LoadRunColumnsResult,
  type RunColumns,
  type RunLabelColumn,
  runsFromColumns,
} from "./load_run_columns.ts";
export { type DatasetFolder, loadDatasetFolder } from "./load_dataset_folder.ts";
export { type DatasetPath, FOLDER_RUNS_FILES, resolveDatasetPath } from "./resolve_dataset_path.ts";
export {
  importQmp,
  type ImportQmpOptions,
  type ImportQmpResult,
  type QmpSample,
} from "./import_qmp.ts";
export {
  importLibvirt,
  type ImportLibvirtOptions,
  type ImportLibvirtResult,
} from "./import_libvirt.ts";
export { type DataFrame, toDataFrame } from "./to_data_frame.ts";
export {
  type CpuSample,
  type HostSample,
  parseProgressTrace,
  type ParseProgressTraceOptions,
  type ProgressSample,
  type ProgressTrace,
  type ThreadTicks,
} from "./parse_progress_trace.ts";
export { loadProgressTrace } from "./load_progress_trace.ts";
