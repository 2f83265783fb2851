/**
 * Figure 3's model curves: KVM pre-copy time and downtime against the
 * downtime limit, and the limits where the behaviour jumps (by bisection).
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { kvmPrecopy, type KvmPrecopyOutcome, type KvmSwitchRule } from "../models/kvm_precopy.ts";
import { kvmSwitchLimit } from "../models/kvm_switch_limit.ts";
import type {
  DowntimeLimitCurves,
  DowntimeLimitPoint,
  DowntimeLimitSwitch,
  DowntimeLimitWorkload,
} from "../plot/figure_downtime_limit_spec.ts";
import { bytesToMib } from "../units.ts";
import { resolveVmAndLink } from "./_vm_and_link.ts";

/** Options for {@linkcode downtimeLimitCurves}. */
export interface DowntimeLimitCurvesOptions {
  /**
   * M, bytes.
   *
   * @default {1610612736 (1.5 GiB, the paper's VM)}
   */
  memoryBytes?: number;
  /**
   * B, bytes/s.
   *
   * @default {125e6 (Gigabit Ethernet)}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * The workloads, one column of the figure each; `zeroBytes` (bytes, default
   * 0) and `writePattern` (default a sweep) are `kvmPrecopy`'s.
   *
   * @default {the paper's WSS 0 and WSS Full, with WSS 128 MiB between them, all at 51200 pages/s}
   */
  workloads?: readonly DowntimeLimitWorkload[];
  /**
   * `kvmPrecopy`'s switch rule: QEMU's (`"qemu"`) or the older check between
   * whole rounds (`"between-rounds"`).
   *
   * @default {"qemu"}
   */
  switchRule?: KvmSwitchRule;
  /**
   * A second rule to evaluate at the same limits, drawn as a thin reference
   * line (`reference` of the result); none when undefined.
   *
   * @default {undefined}
   */
  referenceRule?: KvmSwitchRule;
  /**
   * The downtime limits to evaluate, seconds (the switch points found by
   * bisection are added).
   *
   * @default {241 limits spaced evenly in log from 0.01 s to 100 s}
   */
  downtimeLimitsSeconds?: readonly number[];
  /**
   * When the model gives up (a user's `migrate_cancel`), seconds.
   *
   * @default {600}
   */
  timeoutSeconds?: number;
}

const OUTCOMES = ["converged", "did not converge"] as const;

/**
 * Runs the KVM pre-copy model over the downtime limits for each workload
 * (the data of the paper's Figure 3): the migration time and the downtime at
 * every limit, and the limits where the behaviour jumps: where pre-copy
 * starts to converge (`kvmSwitchLimit`'s bisection, to 1e-6 of the smallest
 * limit), and M/B, from which the whole memory fits the limit at once. Both
 * sides of each switch are evaluated, so a step drawn through the points is
 * sharp. By default the model is QEMU's rule (`switchRule: "qemu"`).
 *
 * Cost: O(L + log(range/tolerance)) model runs per workload for L limits,
 * each a per-sync recurrence (QEMU's rule) or O(N) rounds (between rounds).
 *
 * @param options Memory, bandwidth, workloads, limits, timeout.
 * @returns The curves for `figureDowntimeLimitSpec`: points, switches and what they were run with.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a value is out of range (W > M, a negative limit).
 *
 * @example The sharp switch
 * ```ts
 * import { downtimeLimitCurves } from "./downtime_limit_curves.ts";
 * import assert from "node:assert/strict";
 * const curves = downtimeLimitCurves();
 * const full = curves.switches.filter((s) => s.workload.includes("Full"));
 * // QEMU's rule converges from 7.84 s; the whole 1.5 GiB fits the limit at M/B = 12.88 s.
 * assert.deepEqual(full.map((s) => s.what), ["starts to converge", "whole memory in one stop-and-copy"]);
 * assert.ok(Math.abs(full[0]!.limitSeconds - 7.835) < 0.001);
 * assert.ok(Math.abs(full[1]!.limitSeconds - 1.5 * 2 ** 30 / 125e6) < 1e-6);
 * ```
 */
export function downtimeLimitCurves(options: DowntimeLimitCurvesOptions = {}): DowntimeLimitCurves {
  const where = "downtimeLimitCurves";
  checkObject(where, "options", options);
  const { memoryBytes, bandwidthBytesPerSecond } = resolveVmAndLink(where, options);
  const timeoutSeconds = checkNumber(
    where,
    "option",
    "timeoutSeconds",
    options.timeoutSeconds ?? 600,
    "positive",
    "seconds",
  );
  const workloads = options.workloads ?? defaultWorkloads(memoryBytes);
  if (!Array.isArray(workloads) || workloads.length === 0) {
    throw new TypeError(
      `${where}: invalid option "workloads", expected a non-empty array (got ${
        showValue(workloads)
      })`,
    );
  }
  const grid = resolveGrid(where, options.downtimeLimitsSeconds);
  const switchRule = checkRule(where, "switchRule", options.switchRule ?? "qemu");
  const referenceRule = options.referenceRule === undefined
    ? undefined
    : checkRule(where, "referenceRule", options.referenceRule);
  const low = Math.min(...grid);
  const high = Math.max(...grid);
  const inputOf = (workload: DowntimeLimitWorkload) => ({
    memoryBytes,
    wssBytes: workload.wssBytes,
    dirtyPagesPerSecond: workload.dirtyPagesPerSecond,
    bandwidthBytesPerSecond,
    ...(workload.zeroBytes !== undefined ? { zeroBytes: workload.zeroBytes } : {}),
  });
  const patternOf = (workload: DowntimeLimitWorkload) =>
    workload.writePattern !== undefined ? { writePattern: workload.writePattern } : {};
  const model = (workload: DowntimeLimitWorkload, limit: number, rule = switchRule) =>
    kvmPrecopy(inputOf(workload), {
      downtimeLimitSeconds: limit,
      timeoutSeconds,
      switchRule: rule,
      ...patternOf(workload),
    });
  // The other outcome where the first window goes either way (QEMU's rule).
  const firstWindow: DowntimeLimitPoint[] = [];
  const point = (workload: DowntimeLimitWorkload, limit: number, rule = switchRule) => {
    const result = model(workload, limit, rule);
    if (result.otherOutcome !== null && rule === switchRule) {
      firstWindow.push(pointOf(workload, limit, result.otherOutcome));
    }
    return pointOf(workload, limit, result);
  };

  const points: DowntimeLimitPoint[] = [];
  const reference: DowntimeLimitPoint[] = [];
  const switches: DowntimeLimitSwitch[] = [];
  for (const workload of workloads) {
    checkObject(where, "workload", workload);
    // Where pre-copy starts to converge (kvmSwitchLimit's bisection).
    const limits = [...grid];
    const whole = memoryBytes / bandwidthBytesPerSecond;
    const switchOf = (rule: KvmSwitchRule) =>
      kvmSwitchLimit(inputOf(workload), {
        timeoutSeconds,
        switchRule: rule,
        ...patternOf(workload),
        lowSeconds: low,
        highSeconds: high,
        toleranceSeconds: 1e-6 * low,
      });
    const found = switchOf(switchRule);
    if (found.limitSeconds !== null && found.stuckSeconds !== null) {
      const at = found.limitSeconds;
      if (Math.abs(at - whole) > 1e-6 * whole) {
        switches.push({ workload: workload.label, limitSeconds: at, what: "starts to converge" });
      }
      limits.push(at, found.stuckSeconds);
    }
    // From M/B on, the whole memory goes in one stop-and-copy.
    if (whole >= low && whole <= high) {
      switches.push({
        workload: workload.label,
        limitSeconds: whole,
        what: "whole memory in one stop-and-copy",
      });
      limits.push(whole, whole * (1 - 1e-9));
    }
    for (const limit of limits.sort((a, b) => a - b)) points.push(point(workload, limit));
    if (referenceRule === undefined) continue;
    // The reference rule at the same limits and both sides of its own switch.
    const other = switchOf(referenceRule);
    const own = other.limitSeconds !== null && other.stuckSeconds !== null
      ? [other.limitSeconds, other.stuckSeconds]
      : [];
    for (const limit of [...limits, ...own].sort((a, b) => a - b)) {
      reference.push(point(workload, limit, referenceRule));
    }
  }
  return {
    memoryBytes,
    bandwidthBytesPerSecond,
    timeoutSeconds,
    workloads: [...workloads],
    limitRangeSeconds: [low, high],
    points,
    switches,
    switchRule,
    ...(firstWindow.length > 0 ? { firstWindow } : {}),
    ...(referenceRule !== undefined
      ? { reference: { switchRule: referenceRule, points: reference } }
      : {}),
  };
}

/** One point of a curve: a model outcome at a limit. */
function pointOf(
  workload: DowntimeLimitWorkload,
  limit: number,
  result: Omit<KvmPrecopyOutcome, "stopReason">,
): DowntimeLimitPoint {
  return {
    workload: workload.label,
    limitSeconds: limit,
    timeSeconds: result.migrationTimeSeconds,
    downtimeSeconds: result.downtimeSeconds,
    iterations: result.iterations,
    outcome: result.converged ? OUTCOMES[0] : OUTCOMES[1],
  };
}

/** The limits to evaluate, checked (241 log-spaced from 0.01 to 100 s by default). */
function resolveGrid(where: string, given: readonly number[] | undefined): readonly number[] {
  const grid = given ?? Array.from({ length: 241 }, (_, i) => 10 ** (-2 + i / 60));
  if (!Array.isArray(grid) || grid.length < 2) {
    throw new TypeError(
      `${where}: invalid option "downtimeLimitsSeconds", expected an array of at least 2 limits (got ${
        showValue(grid)
      })`,
    );
  }
  grid.forEach((limit, i) =>
    checkNumber(where, "option", `downtimeLimitsSeconds[${i}]`, limit, "positive", "seconds")
  );
  return grid;
}

function checkRule(where: string, name: string, value: unknown): KvmSwitchRule {
  if (value !== "qemu" && value !== "between-rounds") {
    throw new TypeError(
      `${where}: invalid option "${name}", expected "qemu" or "between-rounds" (got ${
        showValue(value)
      })`,
    );
  }
  return value;
}

/** The paper's columns: WSS 0, 128 MiB and Full, at 51200 pages/s. */
function defaultWorkloads(memoryBytes: number): DowntimeLimitWorkload[] {
  return [
    { label: "(a) WSS 0 MiB, 51200 pages/s", wssBytes: 0, dirtyPagesPerSecond: 51200 },
    {
      label: "(b) WSS 128 MiB, 51200 pages/s",
      wssBytes: Math.min(2 ** 27, memoryBytes),
      dirtyPagesPerSecond: 51200,
    },
    {
      label: `(c) WSS Full (${bytesToMib(memoryBytes)} MiB), 51200 pages/s`,
      wssBytes: memoryBytes,
      dirtyPagesPerSecond: 51200,
    },
  ];
}
