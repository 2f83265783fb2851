/**
 * The plans of the collector's concurrent mode (`deno task collect
 * --concurrent`): 2-3 migrations at once between three hosts, so that they
 * share a source's uplink or a destination's downlink.
 *
 * @module
 */

import type { RunRow } from "./types.ts";

/**
 * How a plan's migrations share links:
 * - `shared-uplink`: a→b at 0 and a→c at the stagger (a's uplink is shared);
 * - `shared-downlink`: a→c at 0 and b→c at the stagger (c's downlink);
 * - `three`: a→b at 0, a→c at the stagger, b→c at twice it (a's uplink,
 *   then c's downlink; three at once at most).
 */
export type ConcurrentShape = "shared-uplink" | "shared-downlink" | "three";

/** Every shape, in the order the collector runs them. */
export const CONCURRENT_SHAPES: readonly ConcurrentShape[] = [
  "shared-uplink",
  "shared-downlink",
  "three",
];

/** The hosts of every concurrent plan. */
export const CONCURRENT_NODES: readonly string[] = ["a", "b", "c"];

/** One migration of a concurrent plan. */
export interface ConcurrentMigration {
  /** Unique in its plan, e.g. `m1`. */
  id: string;
  /** Source host (one of {@linkcode CONCURRENT_NODES}). */
  source: string;
  /** Destination host. */
  destination: string;
  /** When `migrate` is sent, seconds after the plan's start. */
  startSeconds: number;
}

/** A plan the concurrent mode runs. */
export interface ConcurrentPlan {
  /** The plan id, e.g. `shared-uplink-s4-r1` (rows and plan tables carry it). */
  id: string;
  /** Its shape. */
  shape: ConcurrentShape;
  /** Repeat index, 1-based. */
  run: number;
  /** Its migrations, in start order. */
  migrations: ConcurrentMigration[];
}

/** Options for {@linkcode concurrentPlans}. */
export interface ConcurrentPlansOptions {
  /**
   * The shapes to run.
   *
   * @default {["shared-uplink", "shared-downlink"]}
   */
  shapes?: readonly ConcurrentShape[];
  /**
   * Seconds between one migration's start and the next one's.
   *
   * @default {4}
   */
  staggerSeconds?: number;
  /**
   * Repeats of every shape.
   *
   * @default {1}
   */
  repeats?: number;
}

const LEGS: Record<ConcurrentShape, [string, string][]> = {
  "shared-uplink": [["a", "b"], ["a", "c"]],
  "shared-downlink": [["a", "c"], ["b", "c"]],
  three: [["a", "b"], ["a", "c"], ["b", "c"]],
};

/**
 * The concurrent plans to run: every shape, `repeats` times, repeats of all
 * shapes interleaved (repeat 1 of every shape first).
 *
 * @param options See {@linkcode ConcurrentPlansOptions}.
 * @returns The plans, in run order.
 * @throws {RangeError} If a shape is unknown, the stagger is negative or not
 * finite, or `repeats` is not a positive integer.
 *
 * @example Two migrations from host a, the second 4 s after the first
 * ```ts
 * import { concurrentPlans } from "./concurrent_plans.ts";
 * import assert from "node:assert/strict";
 *
 * const [plan] = concurrentPlans({ shapes: ["shared-uplink"] });
 * assert.equal(plan?.id, "shared-uplink-s4-r1");
 * assert.deepEqual(plan?.migrations.map((m) => [m.source, m.destination, m.startSeconds]), [
 *   ["a", "b", 0],
 *   ["a", "c", 4],
 * ]);
 * ```
 */
export function concurrentPlans(options: ConcurrentPlansOptions = {}): ConcurrentPlan[] {
  const {
    shapes = ["shared-uplink", "shared-downlink"],
    staggerSeconds = 4,
    repeats = 1,
  } = options;
  for (const shape of shapes) {
    if (!CONCURRENT_SHAPES.includes(shape)) {
      throw new RangeError(
        `concurrentPlans: invalid shape "${shape}", expected one of ${
          CONCURRENT_SHAPES.join(", ")
        }`,
      );
    }
  }
  if (!Number.isFinite(staggerSeconds) || staggerSeconds < 0) {
    throw new RangeError(
      `concurrentPlans: invalid staggerSeconds, expected seconds >= 0 (got ${staggerSeconds})`,
    );
  }
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(
      `concurrentPlans: invalid repeats, expected an integer >= 1 (got ${repeats})`,
    );
  }
  const plans: ConcurrentPlan[] = [];
  for (let run = 1; run <= repeats; run++) {
    for (const shape of shapes) {
      plans.push({
        id: `${shape}-s${staggerSeconds}-r${run}`,
        shape,
        run,
        migrations: LEGS[shape].map(([source, destination], k) => ({
          id: `m${k + 1}`,
          source,
          destination,
          startSeconds: k * staggerSeconds,
        })),
      });
    }
  }
  return plans;
}

/** Options for {@linkcode pendingConcurrentPlans}. */
export interface PendingConcurrentPlansOptions {
  /**
   * Run again a plan any of whose rows is not `completed` (its old rows are
   * then dropped by the collector).
   *
   * @default {false}
   */
  retryFailed?: boolean;
}

/**
 * The plans still to run: those without a row for each of their migrations
 * in `rows` (matched by the `plan` and `plan_migration` columns), and with
 * `retryFailed` also those with a row that is not `completed`.
 *
 * @param plans The plans asked for.
 * @param rows The rows already in `runs.csv`.
 * @param options See {@linkcode PendingConcurrentPlansOptions}.
 * @returns The plans to run, in the order given.
 *
 * @example A plan with both rows is done; one with a row missing is not
 * ```ts
 * import { concurrentPlans, pendingConcurrentPlans } from "./concurrent_plans.ts";
 * import assert from "node:assert/strict";
 *
 * const plans = concurrentPlans();
 * const rows = [
 *   { plan: "shared-uplink-s4-r1", plan_migration: "m1", status: "completed" },
 *   { plan: "shared-uplink-s4-r1", plan_migration: "m2", status: "failed" },
 *   { plan: "shared-downlink-s4-r1", plan_migration: "m1", status: "completed" },
 * ];
 * assert.deepEqual(pendingConcurrentPlans(plans, rows).map((p) => p.id), ["shared-downlink-s4-r1"]);
 * assert.equal(pendingConcurrentPlans(plans, rows, { retryFailed: true }).length, 2);
 * ```
 */
export function pendingConcurrentPlans(
  plans: readonly ConcurrentPlan[],
  rows: readonly RunRow[],
  options: PendingConcurrentPlansOptions = {},
): ConcurrentPlan[] {
  const { retryFailed = false } = options;
  return plans.filter((plan) => {
    const mine = rows.filter((row) => row.plan === plan.id);
    const all = plan.migrations.every((m) => mine.some((row) => row.plan_migration === m.id));
    if (!all) return true;
    return retryFailed && mine.some((row) => row.status !== "completed");
  });
}
