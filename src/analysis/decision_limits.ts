/**
 * The three-cost decision: which methods of a decision map's cells meet
 * limits a user states (maximum downtime, maximum guest slowdown, a
 * deadline), and by how much.
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { DecisionMap } from "../plot/figure_decision_map_spec.ts";

/** The limits a user states; each is optional (an absent limit is met by every method). */
export interface DecisionLimits {
  /** The longest pause allowed, seconds. */
  maxDowntimeSeconds?: number;
  /** The largest slowdown allowed: 1 − guest progress ratio (0.1 = 10 % of the guest's work lost). */
  maxSlowdown?: number;
  /** The migration must end within this, seconds. */
  deadlineSeconds?: number;
}

/** One method in one cell against the limits. */
export interface MethodVerdict {
  /** Whether every stated limit is met (and, for pre-copy, it converged). */
  meets: boolean;
  /** Limit − value per stated limit (> 0: met with that much to spare), in the limit's unit. */
  margins: { downtimeSeconds?: number; slowdown?: number; timeSeconds?: number };
  /**
   * The tightest margin as a fraction of its limit (0.5: half the limit to
   * spare; −1: the value is twice the limit); NaN without limits, −Infinity
   * for a pre-copy that does not converge.
   */
  spare: number;
}

/** One cell's verdict. */
export interface LimitsCell {
  /** W, bytes. */
  wssBytes: number;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
  /** Pre-copy against the limits. */
  precopy: MethodVerdict;
  /** Post-copy against the limits. */
  postcopy: MethodVerdict;
  /** "both", "pre-copy only", "post-copy only" or "neither". */
  verdict: string;
  /**
   * Whether QEMU's first window decides pre-copy's verdict: the cell's pre-copy
   * pause is one of two (`precopyFirstWindow` `"either"`), one outcome meets
   * the limits and the other does not. `precopy` is then the one that does
   * not.
   */
  precopyDependsOnFirstWindow: boolean;
}

/** Options for {@linkcode decisionLimits}. */
export interface DecisionLimitsOptions {
  /**
   * The guest's progress ratio per cell (same order as `map.cells`) for each
   * method, from a noise model (e.g. `guestProgress` at the fitted
   * parameters). Without it a slowdown limit cannot be judged and throws.
   *
   * @default {undefined}
   */
  guestProgressRatio?: { precopy: ArrayLike<number>; postcopy: ArrayLike<number> };
}

/**
 * Judges each cell of a decision map (`decisionMap`) against the stated
 * limits: a method meets them when its downtime is at most
 * `maxDowntimeSeconds`, its migration time at most `deadlineSeconds`, and
 * its slowdown (1 − progress ratio, from `guestProgressRatio`) at most
 * `maxSlowdown`; a pre-copy that does not converge meets none. Margins
 * are limit − value, so the map can show by how much. Where QEMU's first
 * window makes pre-copy's pause one of two (`precopyFirstWindow`
 * `"either"`), pre-copy is judged by the worse outcome, and
 * `precopyDependsOnFirstWindow` says whether the other would have met the
 * limits. Pure.
 *
 * Cost: O(n) for n cells.
 *
 * @param map The decision map (the models' times and downtimes per cell).
 * @param limits The limits.
 * @param options The progress ratios per cell and method (needed for `maxSlowdown`).
 * @returns One verdict per cell, in the map's order.
 * @throws {TypeError} If an argument has the wrong type, or `maxSlowdown` is given without ratios.
 * @throws {RangeError} If a limit is negative or the ratios' lengths differ from the cells'.
 *
 * @example A 1 s pause limit rules out a pre-copy that pauses 2 s
 * ```ts
 * import { decisionLimits } from "./decision_limits.ts";
 * import assert from "node:assert/strict";
 * const cell = {
 *   wssBytes: 0, wssMib: 0, dirtyPagesPerSecond: 1024, x1: 0, x2: 1, y1: 0, y2: 1,
 *   precopySeconds: 10, postcopySeconds: 11, precopyDowntimeSeconds: 2,
 *   postcopyDowntimeSeconds: 0.047, precopyConverged: true, decision: "pre-copy faster",
 *   downtimeBand: "1–3 s",
 * };
 * const map = {
 *   memoryBytes: 2 ** 30, bandwidthBytesPerSecond: 125e6, precopy: "kvm-precopy" as const,
 *   wssBytes: [0], dirtyPagesPerSecond: [1024], downtimeLimitSeconds: 0.3, timeoutSeconds: 600,
 *   cells: [cell],
 * };
 * const [verdict] = decisionLimits(map, { maxDowntimeSeconds: 1, deadlineSeconds: 12 });
 * assert.equal(verdict!.verdict, "post-copy only");
 * assert.equal(verdict!.precopy.margins.downtimeSeconds, -1);
 * ```
 */
export function decisionLimits(
  map: DecisionMap,
  limits: DecisionLimits,
  options: DecisionLimitsOptions = {},
): LimitsCell[] {
  const where = "decisionLimits";
  checkObject(where, "map", map);
  checkObject(where, "limits", limits);
  checkObject(where, "options", options);
  const limit = (name: keyof DecisionLimits, unit: string) =>
    limits[name] === undefined
      ? undefined
      : checkNumber(where, "option", name, limits[name], "non-negative", unit);
  const maxDowntime = limit("maxDowntimeSeconds", "seconds");
  const deadline = limit("deadlineSeconds", "seconds");
  const maxSlowdown = limit("maxSlowdown", "1 (fraction of work lost)");
  const ratios = options.guestProgressRatio;
  if (maxSlowdown !== undefined) {
    if (!ratios) {
      throw new TypeError(
        `${where}: missing option "guestProgressRatio", expected ratios per cell for "maxSlowdown" (got undefined)`,
      );
    }
    for (const side of ["precopy", "postcopy"] as const) {
      if (ratios[side]?.length !== map.cells.length) {
        throw new RangeError(
          `${where}: invalid option "guestProgressRatio.${side}", expected one ratio per cell (${map.cells.length}) (got ${
            showValue(ratios[side]?.length)
          })`,
        );
      }
    }
  }
  const judge = (
    time: number,
    downtime: number,
    ratio: number | undefined,
    converged: boolean,
  ): MethodVerdict => {
    const margins: MethodVerdict["margins"] = {};
    if (maxDowntime !== undefined) margins.downtimeSeconds = maxDowntime - downtime;
    if (deadline !== undefined) margins.timeSeconds = deadline - time;
    if (maxSlowdown !== undefined) margins.slowdown = maxSlowdown - (1 - ratio!);
    const meets = converged && Object.values(margins).every((m) => m >= 0);
    return { meets, margins, spare: converged ? spareOf(margins, limits) : -Infinity };
  };
  return map.cells.map((cell, i) => {
    const main = judge(
      cell.precopySeconds,
      cell.precopyDowntimeSeconds,
      ratios?.precopy[i],
      cell.precopyConverged,
    );
    // Where the pause is one of two, pre-copy is judged by the worse outcome.
    const other = cell.precopyFirstWindow === "either" && cell.otherPrecopySeconds != null
      ? judge(
        cell.otherPrecopySeconds,
        cell.otherPrecopyDowntimeSeconds!,
        ratios?.precopy[i],
        cell.otherPrecopyConverged!,
      )
      : null;
    const precopy = other !== null && worse(other, main) ? other : main;
    const postcopy = judge(
      cell.postcopySeconds,
      cell.postcopyDowntimeSeconds,
      ratios?.postcopy[i],
      true,
    );
    return {
      wssBytes: cell.wssBytes,
      dirtyPagesPerSecond: cell.dirtyPagesPerSecond,
      precopy,
      postcopy,
      verdict: precopy.meets
        ? (postcopy.meets ? "both" : "pre-copy only")
        : (postcopy.meets ? "post-copy only" : "neither"),
      precopyDependsOnFirstWindow: other !== null && other.meets !== main.meets,
    };
  });
}

/** Whether verdict `a` is worse than `b`: it misses where `b` meets, or has less to spare. */
function worse(a: MethodVerdict, b: MethodVerdict): boolean {
  if (a.meets !== b.meets) return !a.meets;
  return a.spare < b.spare;
}

/**
 * The tightest of the margins as a fraction of its limit (a 0 limit counts
 * its margin's sign); NaN when no limit is stated.
 */
export function spareOf(
  margins: MethodVerdict["margins"],
  limits: DecisionLimits,
): number {
  const fractions: number[] = [];
  const add = (margin: number | undefined, limit: number | undefined) => {
    if (margin === undefined || limit === undefined) return;
    fractions.push(limit > 0 ? margin / limit : Math.sign(margin));
  };
  add(margins.downtimeSeconds, limits.maxDowntimeSeconds);
  add(margins.timeSeconds, limits.deadlineSeconds);
  add(margins.slowdown, limits.maxSlowdown);
  return fractions.length === 0 ? Number.NaN : Math.min(...fractions);
}
