// The measured quantities the fits, predictions and cross-validation work on:
// the migration time, the pause, the bytes and the migrating VM's progress.
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";

/** What {@linkcode predictRuns} and `crossValidate` estimate for each run. */
export type RunQuantity =
  | "migrationTimeSeconds"
  | "downtimeSeconds"
  | "transferredBytes"
  | "guestProgressRatio";

/** The quantities, for option checks. */
export const RUN_QUANTITIES: readonly RunQuantity[] = [
  "migrationTimeSeconds",
  "downtimeSeconds",
  "transferredBytes",
  "guestProgressRatio",
];

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
 * The measured guest progress ratio of a run: its `guestProgressRatio` (or
 * `extra.guest_progress_ratio`) when it has one; else the proxy from the
 * guest's 1 s reports, the achieved over the requested dirty rate.
 */
export function measuredProgress(run: MigrationRun): Measured {
  const typed = (run as RunWithProgress).guestProgressRatio;
  const raw = typed ?? run.extra?.guest_progress_ratio;
  if (raw !== undefined && raw !== "") {
    const value = typeof raw === "number" ? raw : Number(raw);
    if (Number.isFinite(value) && value > 0) return { value, source: "guestProgressRatio" };
    return { reason: `guestProgressRatio ${showValue(raw)}` };
  }
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
