/**
 * The measured-run vocabulary shared by loaders, importers, fits and figures.
 *
 * @module
 */

/** The three methods the paper compares; datasets may carry other labels too. */
export type KnownMethod = "xen-precopy" | "kvm-precopy" | "kvm-postcopy";

/** The contention scenarios of the paper's Table 2; datasets may carry other labels too. */
export type KnownContention = "none" | "cpu" | "network" | "memory";

/**
 * One measured migration, as a loader returns it: the camelCase of the run
 * schema's column names, SI units, float64 numbers. The model inputs
 * (`memoryBytes`, `wssBytes`, `dirtyPagesPerSecond`, `pageBytes`) carry the
 * same names as {@linkcode MigrationInput}, so a row can be handed to a model.
 */
export interface MigrationRun {
  /** `xen-precopy`, `kvm-precopy`, `kvm-postcopy`, or another label kept as given. */
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
  /** Every column the schema does not name, by its original column name. */
  extra: Record<string, string | number>;
}
