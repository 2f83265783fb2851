// The data of Figure 3 (`figureDowntimeLimitSpec`): the model's curves over the
// downtime limits and the measured runs drawn over them.

/** One workload (a column of the figure). */
export interface DowntimeLimitWorkload {
  /** The column's label, e.g. "(a) WSS 0 MiB, 51200 pages/s". */
  label: string;
  /** W, bytes. */
  wssBytes: number;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
  /** Z, the workload's zero pages, bytes (`kvmPrecopy`'s `zeroBytes`; 0 when absent). */
  zeroBytes?: number;
  /** How the guest writes (`kvmPrecopy`'s `writePattern`; a sweep when absent). */
  writePattern?: "sweep" | "random";
}

/** One evaluated limit. */
export interface DowntimeLimitPoint {
  /** The workload's label. */
  workload: string;
  /** The downtime limit, seconds. */
  limitSeconds: number;
  /** Migration time (or the time it gave up), seconds. */
  timeSeconds: number;
  /** The pause (or the pause a forced switch would cost when it gave up), seconds. */
  downtimeSeconds: number;
  /** Iterative rounds before stop-and-copy. */
  iterations: number;
  /** "converged" or "did not converge". */
  outcome: string;
}

/** One measured run of a downtime limit sweep. */
export interface DowntimeLimitMeasurement {
  /** The workload's label (a column of the figure). */
  workload: string;
  /** The downtime limit it ran with, seconds. */
  limitSeconds: number;
  /** Its migration time, or when it was cancelled, seconds. */
  timeSeconds: number;
  /** Its pause, seconds; undefined when it did not converge (the guest never paused). */
  downtimeSeconds?: number;
  /** "converged" or "did not converge". */
  outcome: "converged" | "did not converge";
}

/** A limit where the model's behaviour jumps. */
export interface DowntimeLimitSwitch {
  /** The workload's label. */
  workload: string;
  /** The smallest limit with the new behaviour, seconds (to 1e-9 relative). */
  limitSeconds: number;
  /** What happens from there on. */
  what: string;
}

/** Figure 3's data: the KVM pre-copy model over the downtime limits (`downtimeLimitCurves`). */
export interface DowntimeLimitCurves {
  /** M, bytes. */
  memoryBytes: number;
  /** B, bytes/s. */
  bandwidthBytesPerSecond: number;
  /** When the model gave up on a migration that does not converge, seconds. */
  timeoutSeconds: number;
  /** The workloads, one column each, in order. */
  workloads: DowntimeLimitWorkload[];
  /** The smallest and largest limit evaluated, seconds (the x domain). */
  limitRangeSeconds: readonly [number, number];
  /** The model at each evaluated limit, per workload, in increasing limit. */
  points: DowntimeLimitPoint[];
  /** The limits where the model's behaviour jumps. */
  switches: DowntimeLimitSwitch[];
  /** The rule the points were run with (`kvmPrecopy`'s `switchRule`; QEMU's when absent). */
  switchRule?: "qemu" | "between-rounds";
  /**
   * Where QEMU's first bandwidth window can go either way (`kvmPrecopy`'s
   * `firstWindow: "either"`), the model's other outcome at those limits,
   * drawn as open diamonds.
   */
  firstWindow?: DowntimeLimitPoint[];
  /** A second rule's time and downtime, drawn as a thin labelled reference line. */
  reference?: { switchRule: "qemu" | "between-rounds"; points: DowntimeLimitPoint[] };
}
