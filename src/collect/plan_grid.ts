import { checkNumber } from "../_validate.ts";
import { MIB } from "../units.ts";
import {
  COLLECT_CONTENTIONS,
  COLLECT_METHODS,
  type CollectContention,
  type CollectMethod,
  type GridPoint,
  type RequestedWss,
} from "./types.ts";

/** Options for {@linkcode planGrid}. */
export interface PlanGridOptions {
  /**
   * Working sets to run, bytes or `"full"`, in the order the guests are booted
   * (the first ones are covered first).
   *
   * @default {[0, 64 MiB, 128 MiB, 256 MiB, 512 MiB, 1024 MiB, "full"]}
   */
  wss?: readonly RequestedWss[];
  /**
   * Requested dirty rates, pages/s.
   *
   * @default {[1024, 5120, 15360, 51200]}
   */
  dirtyPagesPerSecond?: readonly number[];
  /**
   * Contention scenarios.
   *
   * @default {["none", "cpu", "network", "memory"]}
   */
  contentions?: readonly CollectContention[];
  /**
   * Methods.
   *
   * @default {["kvm-precopy", "kvm-postcopy", "xen-precopy-policy"]}
   */
  methods?: readonly CollectMethod[];
  /**
   * How many repeats of every point (run indices 1..repeats).
   *
   * @default {1}
   */
  repeats?: number;
  /**
   * Downtime limits to sweep, seconds: every `kvm-precopy` point is run once
   * per limit (the paper's Figure 3). Other methods keep the session's limit.
   *
   * @default {undefined (no sweep: the session's limit)}
   */
  downtimeLimitsSeconds?: readonly number[];
}

/** The paper's working sets (section 5): 0, 64, 128, 256, 512, 1024 MiB and the full VM. */
export const PAPER_WSS: readonly RequestedWss[] = [
  0,
  64 * MIB,
  128 * MIB,
  256 * MIB,
  512 * MIB,
  1024 * MIB,
  "full",
];

/** The paper's dirty rates, pages/s. */
export const PAPER_DIRTY_PAGES_PER_SECOND: readonly number[] = [1024, 5120, 15360, 51200];

/** Visits indices 0..n-1 middle first, then halves: early items spread over the range. */
function spreadOrder(n: number): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  const queue: Array<[number, number]> = [[0, n - 1]];
  while (queue.length > 0) {
    const [lo, hi] = queue.shift()!;
    if (lo > hi) continue;
    const mid = Math.floor((lo + hi) / 2);
    if (!seen.has(mid)) {
      seen.add(mid);
      order.push(mid);
    }
    queue.push([lo, mid - 1], [mid + 1, hi]);
  }
  return order;
}

/**
 * Plans the collector's grid: every working set x dirty rate x contention x
 * method, repeated, in the order the collector runs it.
 *
 * A guest is booted once per (working set, dirty rate), so points are grouped
 * by that pair; the pairs are visited in a spread order (middle first, then
 * halves of the range) so that an interrupted run covers the range evenly, and
 * inside a pair every contention x method combination is run, contentions
 * interleaved with methods. Repeat `r + 1` starts only after every point of
 * repeat `r`.
 *
 * @param options The axes, see {@linkcode PlanGridOptions}.
 * @returns The points, in run order.
 * @throws {RangeError} If an axis is empty, a size or rate is negative or not finite, a
 * downtime limit is not positive, or `repeats` is not an integer >= 1.
 *
 * @example The paper's grid has 336 points
 * ```ts
 * import { planGrid } from "./plan_grid.ts";
 * import assert from "node:assert/strict";
 *
 * const points = planGrid();
 * assert.equal(points.length, 336);
 * assert.deepEqual(points[0], {
 *   method: "kvm-precopy", contention: "none", wss: 256 * 2 ** 20, dirtyPagesPerSecond: 5120, run: 1,
 * });
 * ```
 */
export function planGrid(options: PlanGridOptions = {}): GridPoint[] {
  const {
    wss = PAPER_WSS,
    dirtyPagesPerSecond = PAPER_DIRTY_PAGES_PER_SECOND,
    contentions = COLLECT_CONTENTIONS,
    methods = COLLECT_METHODS,
    repeats = 1,
    downtimeLimitsSeconds,
  } = options;
  checkNumber("planGrid", "option", "repeats", repeats, "integer>=1", "");
  for (
    const [name, axis] of [
      ["wss", wss],
      ["dirtyPagesPerSecond", dirtyPagesPerSecond],
      ["contentions", contentions],
      ["methods", methods],
    ] as const
  ) {
    if (axis.length === 0) {
      throw new RangeError(
        `planGrid: invalid option "${name}", expected a non-empty list (got [])`,
      );
    }
  }
  for (const w of wss) {
    if (w !== "full") checkNumber("planGrid", "option", "wss", w, "non-negative", "bytes");
  }
  for (const d of dirtyPagesPerSecond) {
    checkNumber("planGrid", "option", "dirtyPagesPerSecond", d, "non-negative", "pages/s");
  }
  if (downtimeLimitsSeconds !== undefined && downtimeLimitsSeconds.length === 0) {
    throw new RangeError(
      `planGrid: invalid option "downtimeLimitsSeconds", expected a non-empty list (got [])`,
    );
  }
  for (const limit of downtimeLimitsSeconds ?? []) {
    checkNumber("planGrid", "option", "downtimeLimitsSeconds", limit, "positive", "seconds");
  }
  const pairs: Array<[RequestedWss, number]> = [];
  const wssOrder = spreadOrder(wss.length);
  const rateOrder = spreadOrder(dirtyPagesPerSecond.length);
  // Diagonal walk over the (wss, rate) pairs so that both axes vary early.
  const n = wss.length * dirtyPagesPerSecond.length;
  for (let k = 0; k < n; k++) {
    const i = k % wss.length;
    const j = (Math.floor(k / wss.length) + i) % dirtyPagesPerSecond.length;
    pairs.push([wss[wssOrder[i]!]!, dirtyPagesPerSecond[rateOrder[j]!]!]);
  }
  const combos: Array<[CollectContention, CollectMethod]> = [];
  for (let k = 0; k < contentions.length * methods.length; k++) {
    const c = k % contentions.length;
    const m = (Math.floor(k / contentions.length) + c) % methods.length;
    combos.push([contentions[c]!, methods[m]!]);
  }
  const points: GridPoint[] = [];
  for (let run = 1; run <= repeats; run++) {
    for (const [w, d] of pairs) {
      for (const [contention, method] of combos) {
        const point: GridPoint = { method, contention, wss: w, dirtyPagesPerSecond: d, run };
        if (method !== "kvm-precopy" || downtimeLimitsSeconds === undefined) points.push(point);
        else {
          for (const limit of downtimeLimitsSeconds) {
            points.push({ ...point, downtimeLimitSeconds: limit });
          }
        }
      }
    }
  }
  return points;
}
