import type { GridPoint, RunRow } from "./types.ts";

/**
 * The key that identifies a grid point in `runs.csv`: method, contention,
 * requested working set, requested dirty rate and repeat index.
 *
 * @param point A planned point, or a row with the columns `method`,
 * `contention`, `requested_wss`, `requested_dirty_pages_per_second` and `run`.
 * @returns A string such as `kvm-precopy|none|268435456|5120|1`.
 *
 * @example A point and its row share a key
 * ```ts
 * import { pointKey } from "./point_key.ts";
 * import assert from "node:assert/strict";
 *
 * const point = { method: "kvm-precopy", contention: "none", wss: "full", dirtyPagesPerSecond: 5120, run: 1 } as const;
 * const row = { method: "kvm-precopy", contention: "none", requested_wss: "full", requested_dirty_pages_per_second: "5120", run: "1" };
 * assert.equal(pointKey(point), pointKey(row));
 * ```
 */
export function pointKey(point: GridPoint | RunRow): string {
  if ("dirtyPagesPerSecond" in point) {
    const p = point as GridPoint;
    return [p.method, p.contention, String(p.wss), String(p.dirtyPagesPerSecond), String(p.run)]
      .join("|");
  }
  const r = point as RunRow;
  return [
    r.method,
    r.contention,
    String(r.requested_wss),
    String(Number(r.requested_dirty_pages_per_second)),
    String(Number(r.run)),
  ].join("|");
}
