/**
 * The vocabulary every model, loader, fit and notebook shares.
 *
 * @module
 */

/**
 * One migration configuration, in SI units. These names are the ones the
 * dataset loader gives its rows, so a measured run can be handed to a model
 * as it is.
 */
export interface MigrationInput {
  /** M: the VM's memory, in bytes. */
  memoryBytes: number;
  /** W: the working set the guest keeps writing, in bytes (0 <= W <= M). */
  wssBytes: number;
  /** d: how many pages the guest writes per second (pages/s). */
  dirtyPagesPerSecond: number;
  /** B: the bandwidth available to the migration, in bytes/s. */
  bandwidthBytesPerSecond: number;
  /**
   * p: the page size, in bytes.
   *
   * @default {4096}
   */
  pageBytes?: number;
  /**
   * Z: bytes of zero pages (0 <= Z <= M - W). QEMU counts a zero page at p
   * bytes in what is pending but sends it in 9 bytes; only `kvmPrecopy`'s
   * QEMU rule uses it. A measured run's `zero_pages` × p.
   *
   * @default {0}
   */
  zeroBytes?: number;
}

/** One pre-copy round: how long it took and how much it sent. */
export interface Round {
  /** The round's duration t_i, in seconds. */
  seconds: number;
  /** The bytes sent in the round, B * t_i. */
  bytes: number;
}

/** Names of the three migration models. */
export type ModelName = "xen-precopy" | "kvm-precopy" | "kvm-postcopy";
