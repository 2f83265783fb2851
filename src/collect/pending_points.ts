import { pointKey } from "./point_key.ts";
import type { GridPoint, RunRow } from "./types.ts";

/** Options for {@linkcode pendingPoints}. */
export interface PendingPointsOptions {
  /**
   * Run again the points whose every row has status `failed` (a collector
   * fault such as a guest that did not boot), keeping the failed rows.
   *
   * @default {false}
   */
  retryFailed?: boolean;
}

/**
 * The planned points that `runs.csv` does not hold yet, in plan order: what a
 * resumed collector still has to run.
 *
 * A point is done when a row with its key ({@linkcode pointKey}) exists,
 * whatever its status (`completed`, `non-convergent`, `corrupt`, `failed`):
 * a measured failure is a result, not a gap. With `retryFailed`, points whose
 * rows are all `failed` are planned again.
 *
 * @param plan The planned points, in run order.
 * @param rows The rows already written.
 * @param options See {@linkcode PendingPointsOptions}.
 * @returns The points still to run.
 *
 * @example Resuming skips the done point
 * ```ts
 * import { pendingPoints } from "./pending_points.ts";
 * import assert from "node:assert/strict";
 *
 * const plan = [
 *   { method: "kvm-precopy", contention: "none", wss: 0, dirtyPagesPerSecond: 1024, run: 1 },
 *   { method: "kvm-postcopy", contention: "none", wss: 0, dirtyPagesPerSecond: 1024, run: 1 },
 * ] as const;
 * const rows = [{
 *   method: "kvm-precopy", contention: "none", requested_wss: "0",
 *   requested_dirty_pages_per_second: "1024", run: "1", status: "non-convergent",
 * }];
 * assert.deepEqual(pendingPoints(plan, rows), [plan[1]]);
 * ```
 */
export function pendingPoints(
  plan: readonly GridPoint[],
  rows: readonly RunRow[],
  options: PendingPointsOptions = {},
): GridPoint[] {
  const { retryFailed = false } = options;
  const statuses = new Map<string, string[]>();
  for (const row of rows) {
    // A row is done for its point with and without its downtime limit (sweeps key by limit).
    for (const key of [pointKey(row), pointKey(row, { downtimeLimit: true })]) {
      const list = statuses.get(key) ?? [];
      list.push(String(row.status));
      statuses.set(key, list);
    }
  }
  return plan.filter((point) => {
    const seen = statuses.get(pointKey(point));
    if (seen === undefined) return true;
    return retryFailed && seen.every((status) => status === "failed");
  });
}
