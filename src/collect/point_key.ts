import type { GridPoint, RunRow } from "./types.ts";

/** Options for {@linkcode pointKey}. */
export interface PointKeyOptions {
  /**
   * For a row: add its `downtime_limit_seconds`, to match the points of a
   * downtime limit sweep (planned points add theirs when they have one).
   *
   * @default {false}
   */
  downtimeLimit?: boolean;
}

/**
 * The key that identifies a grid point in `runs.csv`: method, contention,
 * requested working set, requested dirty rate and repeat index, and the
 * downtime limit for the points of a sweep, and the write pattern when it is
 * `random` (the default `sweep` adds nothing, so older rows keep their keys).
 *
 * @param point A planned point, or a row with the columns `method`,
 * `contention`, `requested_wss`, `requested_dirty_pages_per_second` and `run`
 * (and `downtime_limit_seconds` with the `downtimeLimit` option).
 * @param options See {@linkcode PointKeyOptions}.
 * @returns A string such as `kvm-precopy|none|268435456|5120|1`, or
 * `kvm-precopy|none|268435456|5120|1|limit=1.2` for a point of a sweep.
 *
 * @example A point and its row share a key
 * ```ts
 * import { pointKey } from "./point_key.ts";
 * import assert from "node:assert/strict";
 *
 * const point = { method: "kvm-precopy", contention: "none", wss: "full", dirtyPagesPerSecond: 5120, run: 1 } as const;
 * const row = { method: "kvm-precopy", contention: "none", requested_wss: "full", requested_dirty_pages_per_second: "5120", run: "1", downtime_limit_seconds: "1.2" };
 * assert.equal(pointKey(point), pointKey(row));
 * assert.equal(pointKey({ ...point, downtimeLimitSeconds: 1.2 }), pointKey(row, { downtimeLimit: true }));
 * ```
 */
export function pointKey(point: GridPoint | RunRow, options: PointKeyOptions = {}): string {
  if ("dirtyPagesPerSecond" in point) {
    const p = point as GridPoint;
    const key = [
      p.method,
      p.contention,
      String(p.wss),
      String(p.dirtyPagesPerSecond),
      String(p.run),
    ];
    if (p.downtimeLimitSeconds !== undefined) key.push(`limit=${p.downtimeLimitSeconds}`);
    if (p.writePattern === "random") key.push("pattern=random");
    return key.join("|");
  }
  const r = point as RunRow;
  const key = [
    r.method,
    r.contention,
    String(r.requested_wss),
    String(Number(r.requested_dirty_pages_per_second)),
    String(Number(r.run)),
  ];
  if (options.downtimeLimit) key.push(`limit=${Number(r.downtime_limit_seconds)}`);
  if (r.write_pattern === "random") key.push("pattern=random");
  return key.join("|");
}
