/**
 * Validation of `kvmPrecopy`'s QEMU switch rule against a measured
 * downtime-limit sweep (issue #14): per workload the measured switch bracket
 * against the model's switch point, and per converged run the model's pause
 * against the guest-visible pause.
 *
 * @module
 */

import { checkNumber, checkObject, checkRuns } from "../_validate.ts";
import { median, upperMedian } from "../_stats.ts";
import type { MigrationRun } from "../data/types.ts";
import { kvmPrecopy, type KvmPrecopyOptions } from "../models/kvm_precopy.ts";
import { kvmSwitchLimit } from "../models/kvm_switch_limit.ts";
import type { MigrationInput } from "../models/types.ts";
import { groupSweepRuns, runModelInput } from "./_sweep_runs.ts";

/**
 * The default bound of {@linkcode SwitchRuleValidationOptions.freeHostLoadAverage}:
 * a run measured on a free host recorded a 1-minute load average below it.
 *
 * @example
 * ```ts
 * import { FREE_HOST_LOAD_AVERAGE } from "./switch_rule_validation.ts";
 * import assert from "node:assert/strict";
 * assert.equal(FREE_HOST_LOAD_AVERAGE, 1);
 * ```
 */
export const FREE_HOST_LOAD_AVERAGE = 1;

/** Options for {@linkcode switchRuleValidation}. */
export interface SwitchRuleValidationOptions {
  /**
   * One B for every run, bytes/s: the KVM pre-copy B fitted elsewhere, as
   * the report and Figure 3 use it. Without it each run's measured
   * throughput (`throughput_bytes_per_second`, transferred bytes over the
   * whole time, which understates B where a run waits) is used, else
   * `fallbackBandwidthBytesPerSecond`, else its link bandwidth.
   *
   * @default {each run's throughput}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * B for a run with no measured throughput, bytes/s (a fitted B); without
   * it such a run uses its link bandwidth.
   *
   * @default {undefined}
   */
  fallbackBandwidthBytesPerSecond?: number;
  /**
   * `kvmPrecopy`'s options (the limit and the timeout come from each run, the
   * write pattern from its `write_pattern` column where it has one).
   *
   * @default {{} (the QEMU rule)}
   */
  model?: KvmPrecopyOptions;
  /**
   * A pause is right when within this many seconds of the measured one, or
   * within `pauseRelativeTolerance` of it.
   *
   * @default {0.1}
   */
  pauseToleranceSeconds?: number;
  /**
   * A pause is right when within this fraction of the measured one, or within
   * `pauseToleranceSeconds`.
   *
   * @default {0.1}
   */
  pauseRelativeTolerance?: number;
  /**
   * A run was measured on a free host when it recorded the host's 1-minute
   * load average (`host_load_average`, the collector's disturbance columns)
   * and it was below this (see {@linkcode PauseComparison.freeHost}).
   *
   * @default {FREE_HOST_LOAD_AVERAGE}
   */
  freeHostLoadAverage?: number;
}

/** One workload's measured switch against the model's. */
export interface SwitchBracket {
  /** The workload, e.g. `WSS 128 MiB, 51200 pages/s, sweep`. */
  workload: string;
  /** The median measured W of its runs, bytes. */
  wssBytes: number;
  /** How the guest wrote (`sweep` or `random`). */
  writePattern: "sweep" | "random";
  /** Completed and non-convergent runs. */
  runs: number;
  /** The largest limit at which some run did not converge, seconds (null: none). */
  lastStuckSeconds: number | null;
  /** The smallest limit at which some run converged, seconds (null: none). */
  firstConvergedSeconds: number | null;
  /**
   * The bracket's lower end: the largest limit below `firstConvergedSeconds`
   * at which no run converged, seconds (null: none measured).
   */
  lowSeconds: number | null;
  /**
   * The bracket's upper end: the smallest limit above `lastStuckSeconds` at
   * which every run converged, seconds (null: none measured).
   */
  highSeconds: number | null;
  /** Limits between the ends whose runs disagree or go against the order, seconds. */
  mixedLimitsSeconds: number[];
  /**
   * The model's switch at the runs' median B, Z and d, seconds (null: it
   * never converges up to 30 s; 0.01, the lowest limit searched, when it
   * converges there already, see `modelAlwaysConverges`).
   */
  modelSwitchSeconds: number | null;
  /** Whether the model converges already at 0.01 s, the lowest limit searched. */
  modelAlwaysConverges: boolean;
  /**
   * Near its switch the model's outcome may flip back and forth with the
   * limit (as the repeats do): the smallest limit it converges at and the
   * largest it does not, scanned from 0.8 to 1.25 times the switch in steps
   * of 0.2 % of it, seconds (null when it converges everywhere or nowhere).
   */
  modelZoneSeconds: readonly [number, number] | null;
  /**
   * Whether the model agrees with the bracket: it converges at no limit up
   * to `lowSeconds` and at every limit from `highSeconds` (its zone lies
   * inside).
   */
  inside: boolean;
  /**
   * The model's chance to converge within the timeout at `lowSeconds` and at
   * `highSeconds` (`convergenceProbability`, at the runs' median B, Z and d):
   * 0 or 1 for the sweep writer, P = 1 - prod(1 - q_i) over the exact counts
   * for random writes, whose switch is where P crosses one half (null where
   * the bracket has no such end).
   */
  modelChanceSeconds: readonly [number | null, number | null];
  /** Runs whose outcome (converged or not) the model calls right at their own B. */
  callsRight: number;
}

/** One converged run's pause, measured and modelled. */
export interface PauseComparison {
  /** The workload, as in {@linkcode SwitchBracket}. */
  workload: string;
  /** The run's downtime limit, seconds. */
  limitSeconds: number;
  /** The run's repeat index (0 when not given). */
  run: number;
  /** The guest-visible pause, seconds. */
  measuredSeconds: number;
  /** The model's pause, seconds. */
  modelSeconds: number;
  /** Within the tolerances (10 % or 100 ms by default). */
  ok: boolean;
  /**
   * Whether the first window decides the stop at this run's limit
   * (`kvmPrecopy`'s `firstWindow`: `"either"` where the sittings that
   * `socketBufferRangeBytes` spans go either way; null under the
   * between-rounds rule).
   */
  firstWindow: "stops" | "continues" | "either" | null;
  /** The model's other pause where `firstWindow` is `"either"`, seconds; else null. */
  otherModelSeconds: number | null;
  /** Within the tolerances of `modelSeconds` or, where there is one, of `otherModelSeconds`. */
  okOneOf: boolean;
  /**
   * Whether the host was free: true when the run recorded a load average
   * below `freeHostLoadAverage`, false when it recorded one at or above it,
   * null when it recorded none (sittings before the disturbance columns;
   * their metadata's host notes say what ran beside them).
   */
  freeHost: boolean | null;
}

/** The result of {@linkcode switchRuleValidation}. */
export interface SwitchRuleValidation {
  /** One per workload (requested WSS, dirty rate, write pattern), smallest W first. */
  brackets: SwitchBracket[];
  /** Every converged run that measured its pause. */
  pauses: PauseComparison[];
  /** The pauses outside the tolerances. */
  pauseMisses: PauseComparison[];
  /** The pauses outside the tolerances of both the model's outcomes (`okOneOf` false). */
  oneOfMisses: PauseComparison[];
  /** Runs the model's outcome call gets wrong, as `workload @ limit s (run r): measured`. */
  wrongCalls: string[];
}

/**
 * Validates `kvmPrecopy` (by default QEMU's switch rule) on the `kvm-precopy`
 * runs of a measured downtime-limit sweep. Runs are grouped by their
 * requested WSS, requested dirty rate and write pattern. Per group the
 * measured bracket is taken over all repeats: below `lowSeconds` no run
 * converged, from `highSeconds` on every run did, and the limits between
 * (repeats that disagree, or an outcome against the order) are listed as
 * mixed. The model's switch (`kvmSwitchLimit`, to 2 ms) is found at the
 * group's (upper) median W, B, zero bytes and dirty rate; outcome calls and pauses use
 * each run's own input (zero bytes from `zero_pages` x page size; 0 where a
 * run does not say, and then the model's pause includes the zero pages at
 * full size). Timeouts are the runs' own (`timeoutSeconds`, else 600 s).
 *
 * Cost: per group one bisection (about 15 model runs) and one model run per run.
 *
 * @param runs The sweep's runs, as `loadRuns` gives them (other methods and
 *   runs without a downtime limit are ignored).
 * @param options B, model options and the pause tolerances.
 * @returns The brackets, the pauses, the misses and the wrong calls.
 * @throws {TypeError} If `runs` is not an array or an option has the wrong type.
 * @throws {RangeError} If a tolerance is negative, or a run has no B (no
 *   throughput, no link bandwidth and no `bandwidthBytesPerSecond`).
 *
 * @example Two runs either side of the switch
 * ```ts
 * import { switchRuleValidation } from "./switch_rule_validation.ts";
 * import assert from "node:assert/strict";
 * const run = (limit: number, status: string, downtimeSeconds?: number) => ({
 *   method: "kvm-precopy", contention: "none", memoryBytes: 2 ** 30, wssBytes: 2 ** 27,
 *   dirtyPagesPerSecond: 51200, pageBytes: 4096, migrationTimeSeconds: 10, status,
 *   downtimeLimitSeconds: limit, timeoutSeconds: 60, linkBandwidthBytesPerSecond: 125e6,
 *   ...(downtimeSeconds === undefined ? {} : { downtimeSeconds }), extra: {},
 * });
 * const v = switchRuleValidation([run(0.3, "non-convergent"), run(2, "completed", 1.1)]);
 * const [b] = v.brackets;
 * assert.deepEqual([b!.lowSeconds, b!.highSeconds, b!.inside, b!.callsRight], [0.3, 2, true, 2]);
 * assert.deepEqual(b!.modelChanceSeconds, [0, 1]); // the sweep writer's chance: 0 or 1
 * assert.equal(v.pauses.length, 1);
 * assert.deepEqual(v.wrongCalls, []);
 * ```
 */
export function switchRuleValidation(
  runs: readonly MigrationRun[],
  options: SwitchRuleValidationOptions = {},
): SwitchRuleValidation {
  const where = "switchRuleValidation";
  checkRuns(where, runs);
  checkObject(where, "options", options);
  const model = options.model ?? {};
  const { absolute, relative, freeLoad } = checkTolerances(where, options);
  const brackets: SwitchBracket[] = [];
  const pauses: PauseComparison[] = [];
  const wrongCalls: string[] = [];
  for (const group of groupSweepRuns(runs, model.writePattern ?? "sweep")) {
    const inputs = group.runs.map((run, k) =>
      runModelInput(
        where,
        run,
        k,
        options.bandwidthBytesPerSecond,
        options.fallbackBandwidthBytesPerSecond,
      )
    );
    const timeouts = group.runs.map((run) => run.timeoutSeconds ?? 600);
    const modelOptions = { ...model, writePattern: group.writePattern };
    let callsRight = 0;
    group.runs.forEach((run, k) => {
      const limitSeconds = run.downtimeLimitSeconds!;
      const result = kvmPrecopy(inputs[k]!, {
        ...modelOptions,
        downtimeLimitSeconds: limitSeconds,
        timeoutSeconds: timeouts[k]!,
      });
      const converged = run.status === "completed";
      if (result.converged === converged) callsRight++;
      else {
        const p = result.convergenceProbability;
        wrongCalls.push(
          `${group.label} @ ${limitSeconds} s (run ${
            run.run ?? 0
          }): measured ${run.status}, model ${result.converged ? "converged" : "non-convergent"}${
            p > 0 && p < 1 ? ` (chance ${p.toFixed(2)})` : ""
          }`,
        );
      }
      if (converged && run.downtimeSeconds !== undefined) {
        const measured = run.downtimeSeconds;
        const within = (seconds: number) => {
          const error = Math.abs(seconds - measured);
          return error <= absolute || error <= relative * measured;
        };
        const other = result.otherOutcome?.downtimeSeconds ?? null;
        const ok = within(result.downtimeSeconds);
        pauses.push({
          workload: group.label,
          limitSeconds,
          run: run.run ?? 0,
          measuredSeconds: measured,
          modelSeconds: result.downtimeSeconds,
          ok,
          firstWindow: result.firstWindow,
          otherModelSeconds: other,
          okOneOf: ok || (other !== null && within(other)),
          freeHost: run.hostLoadAverage === undefined ? null : run.hostLoadAverage < freeLoad,
        });
      }
    });
    const typical = typicalInput(inputs);
    const found = kvmSwitchLimit(typical, {
      ...modelOptions,
      timeoutSeconds: median(timeouts),
      lowSeconds: 0.01,
      highSeconds: 30,
      toleranceSeconds: 0.002,
    });
    const measured = measuredBracket(group.runs);
    const at = (limit: number) =>
      kvmPrecopy(typical, {
        ...modelOptions,
        downtimeLimitSeconds: limit,
        timeoutSeconds: median(timeouts),
      });
    const chanceAt = (limit: number | null) =>
      limit === null ? null : at(limit).convergenceProbability;
    brackets.push({
      workload: group.label,
      wssBytes: typical.wssBytes,
      writePattern: group.writePattern,
      runs: group.runs.length,
      ...measured,
      modelSwitchSeconds: found.limitSeconds,
      modelAlwaysConverges: found.limitSeconds !== null && found.stuckSeconds === null,
      modelZoneSeconds: found.limitSeconds !== null && found.stuckSeconds !== null
        ? modelZone(found.limitSeconds, found.stuckSeconds, (limit) => at(limit).converged)
        : null,
      inside: false,
      modelChanceSeconds: [chanceAt(measured.lowSeconds), chanceAt(measured.highSeconds)],
      callsRight,
    });
    const last = brackets[brackets.length - 1]!;
    // Inside: the model does not converge at or below the low end and converges from the high end on.
    const first = last.modelSwitchSeconds === null
      ? null
      : last.modelZoneSeconds?.[0] ?? last.modelSwitchSeconds;
    const stuck = last.modelZoneSeconds?.[1] ?? null;
    last.inside = first !== null &&
      (last.lowSeconds === null || first > last.lowSeconds) &&
      (last.highSeconds === null || stuck === null || stuck < last.highSeconds);
  }
  return {
    brackets,
    pauses,
    pauseMisses: pauses.filter((p) => !p.ok),
    oneOfMisses: pauses.filter((p) => !p.okOneOf),
    wrongCalls,
  };
}

/** The pause tolerances and the free host's load bound, checked. */
function checkTolerances(
  where: string,
  options: SwitchRuleValidationOptions,
): { absolute: number; relative: number; freeLoad: number } {
  const absolute = checkNumber(
    where,
    "option",
    "pauseToleranceSeconds",
    options.pauseToleranceSeconds ?? 0.1,
    "non-negative",
    "seconds",
  );
  const relative = checkNumber(
    where,
    "option",
    "pauseRelativeTolerance",
    options.pauseRelativeTolerance ?? 0.1,
    "non-negative",
    "a fraction",
  );
  const freeLoad = checkNumber(
    where,
    "option",
    "freeHostLoadAverage",
    options.freeHostLoadAverage ?? FREE_HOST_LOAD_AVERAGE,
    "non-negative",
  );
  return { absolute, relative, freeLoad };
}

/**
 * The group's W, B, Z and d on its first run's M and p: upper medians (a
 * value some run had), as `downtimeLimitSweep` gives Figure 3's workloads.
 */
function typicalInput(inputs: readonly Required<MigrationInput>[]): Required<MigrationInput> {
  return {
    ...inputs[0]!,
    wssBytes: upperMedian(inputs.map((i) => i.wssBytes)),
    bandwidthBytesPerSecond: upperMedian(inputs.map((i) => i.bandwidthBytesPerSecond)),
    zeroBytes: upperMedian(inputs.map((i) => i.zeroBytes)),
    dirtyPagesPerSecond: upperMedian(inputs.map((i) => i.dirtyPagesPerSecond)),
  };
}

/**
 * The smallest converging and the largest stuck limit from 0.8 to 1.25 times
 * the switch `at` (which converges; `stuck`, just below it, does not).
 */
function modelZone(
  at: number,
  stuck: number,
  converges: (limit: number) => boolean,
): readonly [number, number] {
  let first = at;
  let last = stuck;
  for (let k = 0; k <= 225; k++) {
    const limit = at * (0.8 + 0.002 * k);
    if (converges(limit)) first = Math.min(first, limit);
    else last = Math.max(last, limit);
  }
  return [first, last];
}

/** The measured bracket over all repeats, with the limits where they disagree. */
function measuredBracket(runs: readonly MigrationRun[]): Pick<
  SwitchBracket,
  "lastStuckSeconds" | "firstConvergedSeconds" | "lowSeconds" | "highSeconds" | "mixedLimitsSeconds"
> {
  const byLimit = new Map<number, { stuck: number; done: number }>();
  for (const run of runs) {
    const entry = byLimit.get(run.downtimeLimitSeconds!) ?? { stuck: 0, done: 0 };
    if (run.status === "completed") entry.done++;
    else entry.stuck++;
    byLimit.set(run.downtimeLimitSeconds!, entry);
  }
  const limits = [...byLimit.keys()].sort((a, b) => a - b);
  const stuck = limits.filter((l) => byLimit.get(l)!.stuck > 0);
  const done = limits.filter((l) => byLimit.get(l)!.done > 0);
  const lastStuckSeconds = stuck.length > 0 ? stuck[stuck.length - 1]! : null;
  const firstConvergedSeconds = done.length > 0 ? done[0]! : null;
  const below = limits.filter((l) => firstConvergedSeconds === null || l < firstConvergedSeconds);
  const above = limits.filter((l) => lastStuckSeconds === null || l > lastStuckSeconds);
  const lowSeconds = below.length > 0 ? below[below.length - 1]! : null;
  const highSeconds = above.length > 0 ? above[0]! : null;
  const mixedLimitsSeconds = limits.filter((l) =>
    (lowSeconds === null || l > lowSeconds) && (highSeconds === null || l < highSeconds)
  );
  return { lastStuckSeconds, firstConvergedSeconds, lowSeconds, highSeconds, mixedLimitsSeconds };
}
