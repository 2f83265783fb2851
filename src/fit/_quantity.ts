// The measured quantities the fits, predictions and cross-validation work on:
// the migration time, the pause, the bytes and the migrating VM's progress.
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";

/** What {@linkcode predictRuns} and `crossValidate` estimate for each run. */
export type RunQuantity =
  | "migrationTimeSeconds"
  | "downtimeSeconds"
  | "transferredBytes"
  | "guestProgressRatio"
  | "colocatedProgressRatio"
  | "postcopyBlocktimeSeconds";

/** The quantities, for option checks. */
export const RUN_QUANTITIES: readonly RunQuantity[] = [
  "migrationTimeSeconds",
  "downtimeSeconds",
  "transferredBytes",
  "guestProgressRatio",
  "colocatedProgressRatio",
  "postcopyBlocktimeSeconds",
];

/**
 * Where a guest progress ratio may come from: `"measured"` (the collector's
 * `guest_progress_ratio` only), `"proxy"` (the achieved over the requested
 * dirty rate, for every run, ignoring a measured ratio), or `"auto"`: per
 * method, the measured ratio only when the method has at least
 * {@linkcode MIN_MEASURED_PROGRESS_RUNS} runs with one, else the measured
 * ratio where a run has it and the proxy elsewhere.
 */
export type ProgressSource = "auto" | "measured" | "proxy";

/** The progress sources, for option checks. */
export const PROGRESS_SOURCES: readonly ProgressSource[] = ["auto", "measured", "proxy"];

/**
 * The fewest runs of a method with a measured `guest_progress_ratio` for the
 * noise fit (`progressSource: "auto"`) to use the measured ratio alone for
 * that method: 12, one per guest configuration and contention of the first
 * three guest configurations of the noise grid (4 contentions × 3).
 */
export const MIN_MEASURED_PROGRESS_RUNS = 12;

/**
 * The largest measured progress ratio (guest or co-located) the fits take:
 * 1.2. A load cannot do more work during the migration than at its baseline
 * rate beyond its own rate noise (a few % on the shared collection machine);
 * a ratio above this says the baseline itself was disturbed (the noise
 * grid's sittings at a load average of 10-12 have guest ratios of 1.27-2.12
 * and co-located ratios of 1.65-1.84). Such runs are excluded, with the
 * reason, not fitted.
 */
export const MAX_PROGRESS_RATIO = 1.2;

/**
 * A run with the noise columns the collector is adding (`guest_progress_ratio`
 * and friends); they are read when present, typed or in `extra`.
 */
export interface RunWithProgress extends MigrationRun {
  /** The migrating VM's work during the migration over its baseline work in the same time. */
  guestProgressRatio?: number;
}

/** A measured value, or why the run has none. */
export type Measured = { value: number; source: string } | { reason: string };

/**
 * The measured guest progress ratio of a run over the time the guest runs
 * (as `guestProgress` defines it): its `guestProgressRatio` (or
 * `extra.guest_progress_ratio`, the work in [0, T] over the baseline rate's,
 * the pause included) × T/(T − downtime), since the guest does no work in
 * its pause; above `MAX_PROGRESS_RATIO` (before that) it is excluded. Else
 * the proxy from the guest's 1 s reports, the achieved over the requested
 * dirty rate (no reports in the pause either).
 */
export function measuredProgress(
  run: MigrationRun,
  source: "either" | "measured" | "proxy" = "either",
): Measured {
  const typed = (run as RunWithProgress).guestProgressRatio;
  const raw = typed ?? run.extra?.guest_progress_ratio;
  if (source !== "proxy" && raw !== undefined && raw !== "") {
    const value = typeof raw === "number" ? raw : Number(raw);
    if (Number.isFinite(value) && value > MAX_PROGRESS_RATIO) {
      return { reason: `guest_progress_ratio above ${MAX_PROGRESS_RATIO} (a disturbed baseline)` };
    }
    if (!(Number.isFinite(value) && value > 0)) {
      return { reason: `guestProgressRatio ${showValue(raw)}` };
    }
    // Over the time the guest runs, as guestProgress defines it: it does no work in the pause.
    const seconds = run.migrationTimeSeconds;
    const pause = run.downtimeSeconds;
    const live = pause !== undefined && pause >= 0 && pause < seconds
      ? value * seconds / (seconds - pause)
      : value;
    return { value: live, source: "guestProgressRatio" };
  }
  if (source === "measured") return { reason: "no guest_progress_ratio" };
  if (run.wssBytes === 0) return { reason: "wssBytes 0 (the guest writes nothing)" };
  const requested = run.requestedDirtyPagesPerSecond;
  if (requested === undefined) return { reason: "no requestedDirtyPagesPerSecond" };
  if (requested === 0) {
    return { reason: "requestedDirtyPagesPerSecond 0 (the guest writes nothing)" };
  }
  if (run.dirtyRateSource === "requested") {
    return { reason: 'dirtyRateSource "requested" (no guest reports)' };
  }
  const value = run.dirtyPagesPerSecond / requested;
  if (!(value > 0)) return { reason: `dirtyPagesPerSecond ${run.dirtyPagesPerSecond}` };
  return { value, source: "dirty-rate-proxy" };
}

/**
 * The measured value of a quantity for a run (completed runs only: the
 * caller has selected them).
 *
 * @param quantity The quantity.
 * @param run The run.
 */
export function measuredQuantity(quantity: RunQuantity, run: MigrationRun): Measured {
  if (quantity === "guestProgressRatio") return measuredProgress(run);
  if (quantity === "colocatedProgressRatio") {
    if (run.contention === "none") return { reason: "contention none (no co-located load)" };
    const value = measuredColumn(run, "colocatedProgressRatio", "colocated_progress_ratio");
    return "value" in value && value.value > MAX_PROGRESS_RATIO
      ? { reason: `colocated_progress_ratio above ${MAX_PROGRESS_RATIO} (a disturbed baseline)` }
      : value;
  }
  if (quantity === "postcopyBlocktimeSeconds") {
    if (run.method !== "kvm-postcopy") return { reason: "not post-copy (no blocktime)" };
    return measuredColumn(run, "postcopyBlocktimeSeconds", "postcopy_blocktime_seconds");
  }
  const value = run[quantity];
  const name = quantity;
  if (value === undefined) return { reason: `no ${name}` };
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    return { reason: `${name} ${showValue(value)}` };
  }
  return { value, source: name };
}

/**
 * The guest's baseline dirty rate, pages/s: the rate the collector asked for
 * when the run says, else the rate it records.
 */
export function baselineDirtyRate(run: MigrationRun): number {
  return run.requestedDirtyPagesPerSecond ?? run.dirtyPagesPerSecond;
}

/**
 * A run's value of a noise column: the typed field, or the collector's
 * column in `extra` (a string), positive and finite; else why not.
 */
export function measuredColumn(run: MigrationRun, field: string, column: string): Measured {
  const typed = (run as unknown as Record<string, unknown>)[field];
  const raw = typed ?? run.extra?.[column];
  if (raw === undefined || raw === "") return { reason: `no ${column}` };
  const value = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isFinite(value) || value <= 0) return { reason: `${column} ${showValue(raw)}` };
  return { value, source: field };
}

/**
 * The run without its measured guest progress ratio (typed and in `extra`),
 * so that its proxy is used: for the proxy fit beside the measured one.
 */
export function withoutMeasuredProgress(run: MigrationRun): MigrationRun {
  const { guestProgressRatio: _typed, ...rest } = run as RunWithProgress;
  const { guest_progress_ratio: _column, ...extra } = run.extra ?? {};
  return { ...rest, extra };
}
