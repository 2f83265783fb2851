/**
 * The run schema, written once (the method and contention vocabulary is in
 * `vocabulary.ts`, re-exported here):
 * every column a dataset or the collector's `runs.csv` may carry, the run
 * field it fills, its dimension and SI unit, whether it is required, the
 * label for tables and figures, and the base names that take unit suffixes
 * (`wss` for `wss_mib`). The loader, `toDataFrame`, the collector's
 * `runs.csv` writer, the fits, the figure styles and the benchmark read their
 * columns, units and labels from here.
 *
 * @module
 */

import type { MigrationRun } from "./types.ts";
import { CONTENTIONS, METHODS, POSTCOPY_SWITCHES, RUN_STATUSES } from "./vocabulary.ts";

export {
  CONTENTIONS,
  type ContentionTerm,
  methodLabel,
  METHODS,
  type MethodTerm,
  POSTCOPY_SWITCHES,
  RUN_STATUSES,
} from "./vocabulary.ts";

/** A {@linkcode MigrationRun} field a column can fill (every field but `extra`). */
export type RunField = Exclude<keyof MigrationRun, "extra">;

/**
 * What a column holds. The numeric dimensions fix the SI unit and the unit
 * suffixes a column name may carry; `label` is a short name checked as one
 * (letters, digits, spaces and `._+/:-`); `boolean` and `text` columns are
 * not typed fields and stay in `extra` as written.
 */
export type RunDimension =
  | "label"
  | "bytes"
  | "bytesPerSecond"
  | "pagesPerSecond"
  | "seconds"
  | "integer"
  | "ratio"
  | "boolean"
  | "text";

/** One column of the run schema. */
export interface RunColumn {
  /** The column's name in a file, snake_case with its unit, e.g. `wss_bytes`. */
  column: string;
  /** The run field it fills, or `undefined` for a column kept in `extra` as written. */
  field: RunField | undefined;
  /** What the column holds. */
  dimension: RunDimension;
  /** The SI unit of the field, e.g. `bytes`; `""` for labels, integers and text. */
  unit: string;
  /** Whether every run must have it. */
  required: boolean;
  /** Whether 0 is out of range (numbers must be > 0, else >= 0). */
  positive: boolean;
  /** Whether a number may be negative (a difference such as work lost, which noise can make < 0). */
  signed: boolean;
  /** A short name for tables and figures, e.g. `WSS`. */
  label: string;
  /** Base names that take unit suffixes, e.g. `wss` for `wss_mib`. */
  aliases: readonly string[];
  /** Whether `full` is accepted, meaning the run's whole memory (`memoryBytes`). */
  full: boolean;
  /** The labels a `label` column expects; another is kept, with a warning. */
  known: readonly string[] | undefined;
  /** `run` for the run schema every dataset may use; `collector` for what the collector adds. */
  group: "run" | "collector";
  /** A value for messages, e.g. `kvm-precopy`; `""` when none is given. */
  example: string;
}

type Entry = Partial<RunColumn> & Pick<RunColumn, "column" | "dimension" | "label">;

const SI_UNIT: Record<RunDimension, string> = {
  label: "",
  bytes: "bytes",
  bytesPerSecond: "bytes/s",
  pagesPerSecond: "pages/s",
  seconds: "seconds",
  integer: "",
  ratio: "1",
  boolean: "",
  text: "",
};

function column(group: RunColumn["group"], entry: Entry): RunColumn {
  return {
    field: undefined,
    unit: SI_UNIT[entry.dimension],
    required: false,
    positive: false,
    signed: false,
    aliases: [],
    full: false,
    known: undefined,
    example: "",
    group,
    ...entry,
  };
}
const run = (entry: Entry) => column("run", entry);
const collector = (entry: Entry) => column("collector", entry);

/**
 * The run schema: every column, in the order of the collector's `runs.csv`.
 * The `run` group is the schema every dataset may use; the `collector` group
 * is what `deno task collect` adds, typed where the analysis reads it and
 * kept in `extra` (as written) where it does not.
 *
 * `requested_wss` may be `full` like `wss_bytes`: the run's
 * `requestedWssBytes` is then its `memoryBytes`, so a request of the whole
 * memory and `full` read the same.
 *
 * @example The columns, fields and units
 * ```ts
 * import { RUN_SCHEMA } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * const wss = RUN_SCHEMA.find((c) => c.column === "wss_bytes");
 * assert.equal(wss?.field, "wssBytes");
 * assert.equal(wss?.unit, "bytes");
 * assert.deepEqual(wss?.aliases, ["wss"]);
 * const limit = RUN_SCHEMA.find((c) => c.field === "downtimeLimitSeconds");
 * assert.equal(limit?.column, "downtime_limit_seconds");
 * assert.equal(RUN_SCHEMA.filter((c) => c.group === "run").length, 13);
 * ```
 */
export const RUN_SCHEMA: readonly RunColumn[] = [
  run({
    column: "method",
    field: "method",
    dimension: "label",
    required: true,
    label: "method",
    example: "kvm-precopy",
    known: METHODS.map((m) => m.name),
  }),
  run({
    column: "contention",
    field: "contention",
    dimension: "label",
    required: true,
    label: "contention",
    example: "none",
    known: CONTENTIONS.map((c) => c.name),
  }),
  run({
    column: "memory_bytes",
    field: "memoryBytes",
    dimension: "bytes",
    required: true,
    positive: true,
    label: "memory",
    aliases: ["memory"],
  }),
  run({
    column: "wss_bytes",
    field: "wssBytes",
    dimension: "bytes",
    required: true,
    label: "WSS",
    aliases: ["wss"],
    full: true,
  }),
  run({
    column: "dirty_pages_per_second",
    field: "dirtyPagesPerSecond",
    dimension: "pagesPerSecond",
    required: true,
    label: "dirty rate",
  }),
  run({
    column: "page_bytes",
    field: "pageBytes",
    dimension: "integer",
    unit: "bytes",
    positive: true,
    label: "page size",
  }),
  run({
    column: "link_bandwidth_bytes_per_second",
    field: "linkBandwidthBytesPerSecond",
    dimension: "bytesPerSecond",
    positive: true,
    label: "link bandwidth",
    aliases: ["link_bandwidth", "bandwidth"],
  }),
  run({
    column: "migration_time_seconds",
    field: "migrationTimeSeconds",
    dimension: "seconds",
    required: true,
    label: "migration time",
    aliases: ["migration_time"],
  }),
  run({
    column: "downtime_seconds",
    field: "downtimeSeconds",
    dimension: "seconds",
    label: "downtime",
    aliases: ["downtime"],
  }),
  run({
    column: "transferred_bytes",
    field: "transferredBytes",
    dimension: "bytes",
    label: "transferred",
    aliases: ["transferred"],
  }),
  run({ column: "iterations", field: "iterations", dimension: "integer", label: "rounds" }),
  run({
    column: "status",
    field: "status",
    dimension: "label",
    label: "status",
    example: "completed",
    known: RUN_STATUSES,
  }),
  run({ column: "run", field: "run", dimension: "integer", label: "repeat" }),
  collector({
    column: "requested_wss",
    field: "requestedWssBytes",
    dimension: "bytes",
    label: "requested WSS",
    aliases: ["requested_wss"],
    full: true,
  }),
  collector({
    column: "requested_dirty_pages_per_second",
    field: "requestedDirtyPagesPerSecond",
    dimension: "pagesPerSecond",
    label: "requested dirty rate",
  }),
  collector({
    column: "dirty_rate_source",
    field: "dirtyRateSource",
    dimension: "label",
    label: "dirty rate source",
    example: "guest",
  }),
  collector({
    column: "downtime_limit_seconds",
    field: "downtimeLimitSeconds",
    dimension: "seconds",
    label: "downtime limit",
    aliases: ["downtime_limit"],
  }),
  collector({
    column: "accelerator",
    field: "accelerator",
    dimension: "label",
    label: "accelerator",
    example: "tcg",
  }),
  collector({ column: "ram_total_bytes", dimension: "bytes", label: "RAM total" }),
  collector({ column: "zero_pages", dimension: "integer", label: "zero pages" }),
  collector({ column: "normal_pages", dimension: "integer", label: "normal pages" }),
  collector({ column: "filler_bytes", dimension: "bytes", label: "filler" }),
  collector({
    column: "throughput_bytes_per_second",
    dimension: "bytesPerSecond",
    label: "throughput",
  }),
  collector({
    column: "qmp_downtime_seconds",
    field: "qmpDowntimeSeconds",
    dimension: "seconds",
    label: "QMP downtime",
    aliases: ["qmp_downtime"],
  }),
  collector({ column: "downtime_source", dimension: "label", label: "downtime source" }),
  collector({ column: "setup_time_seconds", dimension: "seconds", label: "setup time" }),
  collector({
    column: "postcopy_switch",
    field: "postcopySwitch",
    dimension: "label",
    label: "post-copy switch",
    example: "immediate",
    known: POSTCOPY_SWITCHES,
  }),
  collector({ column: "postcopy_switched", dimension: "boolean", label: "switched" }),
  collector({ column: "xen_stop_reason", dimension: "label", label: "Xen stop reason" }),
  collector({
    column: "timeout_seconds",
    field: "timeoutSeconds",
    dimension: "seconds",
    label: "timeout",
    aliases: ["timeout"],
  }),
  collector({ column: "verify", dimension: "text", label: "verification" }),
  collector({ column: "started_at", dimension: "text", label: "started at" }),
  collector({ column: "trace_file", dimension: "text", label: "trace" }),
  collector({ column: "message", dimension: "text", label: "message" }),
  // Migration noise (issue #13): empty on rows written before the collector measured it.
  collector({
    column: "guest_progress_ratio",
    field: "guestProgressRatio",
    dimension: "ratio",
    label: "guest progress",
  }),
  collector({
    column: "guest_lost_seconds",
    field: "guestLostSeconds",
    dimension: "seconds",
    label: "guest lost",
    aliases: ["guest_lost"],
    signed: true,
  }),
  collector({
    column: "colocated_progress_ratio",
    field: "colocatedProgressRatio",
    dimension: "ratio",
    label: "co-located progress",
  }),
  collector({
    column: "postcopy_blocktime_seconds",
    field: "postcopyBlocktimeSeconds",
    dimension: "seconds",
    label: "post-copy blocktime",
    aliases: ["postcopy_blocktime"],
  }),
  collector({
    column: "postcopy_vcpu_blocktime_seconds",
    dimension: "text",
    label: "per-vCPU blocktime (s, ';'-joined)",
  }),
  collector({
    column: "source_migration_cpu_seconds",
    field: "sourceMigrationCpuSeconds",
    dimension: "seconds",
    label: "source migration CPU",
    aliases: ["source_migration_cpu"],
  }),
  collector({
    column: "destination_migration_cpu_seconds",
    field: "destinationMigrationCpuSeconds",
    dimension: "seconds",
    label: "destination migration CPU",
    aliases: ["destination_migration_cpu"],
  }),
  collector({
    column: "write_pattern",
    field: "writePattern",
    dimension: "label",
    label: "write pattern",
    example: "sweep",
    known: ["sweep", "random"],
  }),
  collector({ column: "host_cpu", dimension: "text", label: "host CPU" }),
  // Host disturbance: empty on rows written before the collector measured it.
  collector({
    column: "source_migration_run_delay_seconds",
    field: "sourceMigrationRunDelaySeconds",
    dimension: "seconds",
    label: "source migration run delay",
    aliases: ["source_migration_run_delay"],
  }),
  collector({
    column: "source_vcpu_run_delay_seconds",
    field: "sourceVcpuRunDelaySeconds",
    dimension: "seconds",
    label: "source vCPU run delay",
    aliases: ["source_vcpu_run_delay"],
  }),
  collector({
    column: "host_other_cpu_seconds",
    field: "hostOtherCpuSeconds",
    dimension: "seconds",
    label: "host other CPU",
    aliases: ["host_other_cpu"],
    signed: true,
  }),
  collector({
    column: "host_load_average",
    field: "hostLoadAverage",
    dimension: "ratio",
    label: "host load average (1 min)",
  }),
];

/**
 * The schema's typed columns (those with a run field), in schema order.
 *
 * @example The run schema's fields, then the collector's
 * ```ts
 * import { TYPED_COLUMNS } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TYPED_COLUMNS[0]?.field, "method");
 * assert.equal(TYPED_COLUMNS.at(-1)?.field, "hostLoadAverage");
 * assert.ok(TYPED_COLUMNS.every((c) => c.field !== undefined));
 * ```
 */
export const TYPED_COLUMNS: readonly (RunColumn & { field: RunField })[] = RUN_SCHEMA.filter(
  (c): c is RunColumn & { field: RunField } => c.field !== undefined,
);
