/**
 * The measured side of the three-cost decision: each measured configuration
 * of one contention judged against a user's limits, to draw over the
 * model's map.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { nominalOf } from "./_workload_terms.ts";
import type { MeasuredLimitPoint } from "../plot/figure_decision_limits_spec.ts";
import { bytesToMib } from "../units.ts";
import type { DecisionLimits } from "./decision_limits.ts";
import { measuredCost } from "./workload_costs.ts";

/**
 * Judges the measured runs of one contention against the limits, per
 * method and nominal workload (requested WSS and rate): the mean of the
 * completed repeats' downtime, migration time and guest progress ratio
 * (measured, or the dirty-rate proxy; see `measuredCost`) against
 * `maxDowntimeSeconds`, `deadlineSeconds` and `maxSlowdown`. A workload
 * whose runs all did not complete is "did not converge" (pre-copy) or
 * "failed". A slowdown limit is not judged where the runs have no progress
 * (WSS 0), and the point says so in `unjudged`.
 *
 * Cost: O(n) for n runs.
 *
 * @param runs The measured runs.
 * @param limits The limits.
 * @param options The contention whose runs are judged.
 * @returns One point per method and workload.
 * @throws {TypeError} If an argument has the wrong type.
 *
 * @example A run that pauses 0.3 s misses a 0.1 s limit
 * ```ts
 * import { measuredLimits } from "./measured_limits.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-precopy", contention: "none", memoryBytes: 2 ** 30, wssBytes: 2 ** 26,
 *   dirtyPagesPerSecond: 1000, pageBytes: 4096, migrationTimeSeconds: 10,
 *   downtimeSeconds: 0.3, status: "completed", extra: {},
 * };
 * const [point] = measuredLimits([run], { maxDowntimeSeconds: 0.1 }, { contention: "none" });
 * assert.equal(point!.status, "misses");
 * assert.ok(Math.abs(point!.margins.downtimeSeconds! + 0.2) < 1e-12);
 * ```
 */
export function measuredLimits(
  runs: readonly MigrationRun[],
  limits: DecisionLimits,
  options: { contention: string },
): MeasuredLimitPoint[] {
  const where = "measuredLimits";
  if (!Array.isArray(runs)) {
    throw new TypeError(`${where}: invalid runs, expected an array (got ${showValue(runs)})`);
  }
  checkObject(where, "limits", limits);
  checkObject(where, "options", options);
  const groups = new Map<string, MigrationRun[]>();
  for (const run of runs) {
    if (run.contention !== options.contention) continue;
    const nominal = nominalOf(run);
    const key = JSON.stringify([run.method, nominal.wss, nominal.rate]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => judgeGroup(group, limits));
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/** One workload's runs against the limits. */
function judgeGroup(group: readonly MigrationRun[], limits: DecisionLimits): MeasuredLimitPoint {
  const first = group[0]!;
  const nominal = nominalOf(first);
  const completed = group.filter((r) => r.status === "completed");
  const base = {
    method: first.method,
    wssMib: bytesToMib(first.requestedWssBytes ?? first.wssBytes),
    dirtyPagesPerSecond: nominal.rate,
    x: Math.log2(nominal.rate),
    runs: group.length,
  };
  if (completed.length === 0) {
    const stuck = group.some((r) => r.status === "non-convergent");
    return { ...base, status: stuck ? "did not converge" : "failed", margins: {}, unjudged: [] };
  }
  const values = (quantity: "downtimeSeconds" | "migrationTimeSeconds" | "guestProgressRatio") =>
    mean(completed.flatMap((r) => {
      const cost = measuredCost(r, quantity);
      return typeof cost === "string" ? [] : [cost.value];
    }));
  const margins: MeasuredLimitPoint["margins"] = {};
  const unjudged: string[] = [];
  const downtime = values("downtimeSeconds");
  const time = values("migrationTimeSeconds");
  const ratio = values("guestProgressRatio");
  if (limits.maxDowntimeSeconds !== undefined) {
    if (downtime === undefined) unjudged.push("downtime");
    else margins.downtimeSeconds = limits.maxDowntimeSeconds - downtime;
  }
  if (limits.deadlineSeconds !== undefined && time !== undefined) {
    margins.timeSeconds = limits.deadlineSeconds - time;
  }
  if (limits.maxSlowdown !== undefined) {
    if (ratio === undefined) unjudged.push("slowdown");
    else margins.slowdown = limits.maxSlowdown - (1 - ratio);
  }
  const meets = Object.values(margins).every((m) => m >= 0);
  return { ...base, status: meets ? "meets" : "misses", margins, unjudged };
}
