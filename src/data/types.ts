/**
 * The measured-run vocabulary shared by loaders, importers, fits and figures.
 *
 * @module
 */

/**
 * The three methods the paper compares, and the collector's QEMU pre-copy
 * stopped by Xen's rule (`xen-precopy-policy`); datasets may carry other
 * labels too. See `METHODS` in `schema.ts` for their names and models.
 */
export type KnownMethod = "xen-precopy" | "xen-precopy-policy" | "kvm-precopy" | "kvm-postcopy";

/** The contention scenarios of the paper's Table 2; datasets may carry other labels too. */
export type KnownContention = "none" | "cpu" | "network" | "memory";

/**
 * One measured migration, as a loader returns it: the camelCase of the run
 * schema's column names, SI units, float64 numbers. The model inputs
 * (`memoryBytes`, `wssBytes`, `dirtyPagesPerSecond`, `pageBytes`) carry the
 * same names as {@linkcode MigrationInput}, so a row can be handed to a model.
 */
export interface MigrationRun {
  /** `xen-precopy`, `xen-precopy-policy`, `kvm-precopy`, `kvm-postcopy`, or another label kept as given. */
  method: string;
  /** `none`, `cpu`, `network`, `memory`, or another label kept as given. */
  contention: string;
  /** M, bytes. */
  memoryBytes: number;
  /** W, bytes. */
  wssBytes: number;
  /** d, pages/s (the rate the guest achieved, where known). */
  dirtyPagesPerSecond: number;
  /** p, bytes (4096 when the dataset does not say). */
  pageBytes: number;
  /** The nominal link the migration ran over, bytes/s, if known. */
  linkBandwidthBytesPerSecond?: number;
  /** Measured migration time, seconds. */
  migrationTimeSeconds: number;
  /** Measured pause, seconds, if known. */
  downtimeSeconds?: number;
  /** Bytes the migration sent, if known. */
  transferredBytes?: number;
  /** Pre-copy rounds, if known. */
  iterations?: number;
  /** `completed`, `failed`, `non-convergent`, `corrupt`, ...; `completed` when the dataset does not say. */
  status: string;
  /** Repeat index, if given. */
  run?: number;
  /**
   * The working set the collector asked the guest for, bytes, if given
   * (`requested_wss`); `full` reads as `memoryBytes`, as for `wssBytes`.
   */
  requestedWssBytes?: number;
  /** The dirty rate the collector asked for, pages/s, if given (`requested_dirty_pages_per_second`). */
  requestedDirtyPagesPerSecond?: number;
  /** Where `dirtyPagesPerSecond` comes from (`guest`: measured in the guest; `requested`), if given. */
  dirtyRateSource?: string;
  /** QEMU's downtime limit for the run, seconds, if given (`downtime_limit_seconds`). */
  downtimeLimitSeconds?: number;
  /** QEMU's accelerator (`tcg`, `kvm`), if given. */
  accelerator?: string;
  /** The downtime QEMU reported in `query-migrate`, seconds, if given (`qmp_downtime_seconds`). */
  qmpDowntimeSeconds?: number;
  /** How a `kvm-postcopy` run switched to post-copy (`after-first-pass`, `immediate`), if given. */
  postcopySwitch?: string;
  /** When the collector gave up on the run, seconds after its start, if given (`timeout_seconds`). */
  timeoutSeconds?: number;
  /**
   * The migrating VM's work during the migration over its work in the same time at its
   * baseline rate (1 = no slowdown), from the collector's progress trace, if measured.
   */
  guestProgressRatio?: number;
  /** The migrating VM's work lost, seconds of baseline progress, if measured. */
  guestLostSeconds?: number;
  /** The same ratio for the co-located load (none under `none` contention), if measured. */
  colocatedProgressRatio?: number;
  /** QEMU's `postcopy-blocktime` on the destination, seconds, if measured. */
  postcopyBlocktimeSeconds?: number;
  /** CPU seconds of the source QEMU's migration work (main loop and migration threads). */
  sourceMigrationCpuSeconds?: number;
  /** CPU seconds of the destination QEMU's migration work (main loop and migration threads). */
  destinationMigrationCpuSeconds?: number;
  /**
   * Seconds the source QEMU's main loop and migration threads spent runnable but waiting for
   * a CPU during the migration (schedstat run delay), if measured: host CPU contention.
   */
  sourceMigrationRunDelaySeconds?: number;
  /** The same for the source QEMU's vCPU threads, if measured. */
  sourceVcpuRunDelaySeconds?: number;
  /**
   * Host CPU seconds during the migration used by neither QEMU, the contention load nor the
   * collector (other work on the host), if measured; sampling can make it slightly negative.
   */
  hostOtherCpuSeconds?: number;
  /** The host's 1-minute load average when `migrate` was sent (dimensionless), if measured. */
  hostLoadAverage?: number;
  /** How the guest's dirtier wrote: `sweep` (cyclic over the WSS) or `random`, if recorded. */
  writePattern?: string;
  /** Every column the schema does not name, by its original column name. */
  extra: Record<string, string | number>;
}

/**
 * What a dataset's `<name>.meta.json` sidecar says about how the runs were
 * measured. The file's keys are snake_case (`hypervisor_version`, `host_cpu`,
 * `measured_by`); the loader returns them in camelCase. Every field is
 * optional; keys the schema does not name are kept in `extra`.
 */
export interface DatasetMetadata {
  /** Hypervisor, e.g. `qemu-kvm` or `xen`. */
  hypervisor?: string;
  /** Hypervisor version, e.g. `8.2.2`. */
  hypervisorVersion?: string;
  /** Host CPU model. */
  hostCpu?: string;
  /** The migration link, e.g. `1 GbE` or `unix socket, same host`. */
  link?: string;
  /** The guest: memory, vCPUs, OS, workload. */
  guest?: string;
  /** When the runs were measured (ISO 8601 date preferred). */
  date?: string;
  /** Who measured the runs. */
  measuredBy?: string;
  /** Where the data come from: a paper, a repository, a URL. */
  source?: string;
  /** The data's licence. */
  license?: string;
  /** `true` when the runs are synthetic (generated, not measured). */
  synthetic?: boolean;
  /** Every other key of the sidecar, as given. */
  extra: Record<string, unknown>;
}

/**
 * One unit conversion a loader applied to a whole column, so that no
 * conversion is silent: `value_in_si = value_in_column * factor`.
 */
export interface UnitConversion {
  /** The column as named in the file, e.g. `wss_mib`. */
  column: string;
  /** The schema column it fills, e.g. `wss_bytes`. */
  schemaColumn: string;
  /** The run field it fills, e.g. `wssBytes`. */
  field: string;
  /** The unit the column holds, e.g. `MiB`. */
  fromUnit: string;
  /** The SI unit of the field, e.g. `bytes`. */
  toUnit: string;
  /** SI units per column unit, e.g. 1048576 for MiB to bytes. */
  factor: number;
}

/**
 * Something odd but usable that a loader noticed (a byte order mark, an
 * unknown method label, runs that did not complete). Warnings with the same
 * message are merged; `count` says how often it happened.
 */
export interface DatasetWarning {
  /** The file (or source name) the warning is about. */
  file: string;
  /** The first 1-based line where it happened, if it is tied to a line. */
  line?: number;
  /** The schema column it is about, if any. */
  field?: string;
  /** What happened, in the `where: what` form. */
  message: string;
  /** How many times it happened. */
  count: number;
}

/** The text formats the run loader reads. */
export type RunFormat = "csv" | "tsv" | "json" | "jsonl";

/**
 * What a job-statistics importer cannot read from QEMU or libvirt and must be
 * told: the workload's working set and the contention scenario (and, where
 * the statistics do not show it, the method). Nothing here is ever guessed:
 * a missing `contention` or `wssBytes` is an error.
 */
export interface ImportRunOptions {
  /**
   * The contention scenario: `none`, `cpu`, `network`, `memory` or another label.
   * Required.
   *
   * @default {undefined (an error)}
   */
  contention?: string;
  /**
   * W, the working set, in bytes, or `"full"` for the whole memory. Required.
   *
   * @default {undefined (an error)}
   */
  wssBytes?: number | "full";
  /**
   * The method label. QMP traces show post-copy (a `postcopy-active` status or
   * post-copy bytes); libvirt statistics do not, so it is required there.
   *
   * @default {from the trace for QMP; an error for libvirt}
   */
  method?: string;
  /**
   * d, the guest's dirty rate, in pages/s, when known better than the
   * hypervisor's estimate.
   *
   * @default {the hypervisor's last non-zero estimate, else 0 (said in `notes`)}
   */
  dirtyPagesPerSecond?: number;
  /**
   * The nominal link, in bytes/s (the statistics give only the throughput achieved).
   *
   * @default {undefined}
   */
  linkBandwidthBytesPerSecond?: number;
  /**
   * The repeat index.
   *
   * @default {undefined}
   */
  run?: number;
  /**
   * The name used in messages.
   *
   * @default {the base name, "<text>" or "<bytes>"}
   */
  fileName?: string;
  /**
   * How many problems to list in a {@linkcode DatasetError}.
   *
   * @default {20}
   */
  maxProblems?: number;
}

/**
 * Where a loader or importer reads from: a file path, a `file:`/`http:`/`https:`
 * URL, the text itself (a string with a line break, or starting with `[` or
 * `{`), or UTF-8 bytes.
 */
export type RunSource = string | URL | Uint8Array;
