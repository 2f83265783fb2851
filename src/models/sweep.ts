/**
 * Evaluate a model over millions of configurations into typed arrays.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import { DEFAULT_PAGE_BYTES } from "../units.ts";
import { XEN_STOP_REASONS, xenRounds, type XenRoundsOutput } from "./_xen_rounds.ts";
import {
  type KvmPostcopyOptions,
  postcopyTransferredBytes,
  resolvePostcopyOptions,
} from "./kvm_postcopy.ts";
import { type KvmPrecopyOptions, kvmRounds, resolveKvmOptions } from "./kvm_precopy.ts";
import type { ModelName } from "./types.ts";
import { xenRoundsClosedForm } from "./_xen_closed_form.ts";
import {
  type ResolvedXenOptions,
  resolveXenOptions,
  type XenPrecopyOptions,
} from "./xen_precopy.ts";

/** A value per configuration: one number for all, or an array. */
export type SweepValues = number | ArrayLike<number>;

/** The inputs of a sweep, named as in {@linkcode MigrationInput}. */
export interface SweepGrid {
  /** M, bytes. */
  memoryBytes: SweepValues;
  /** W, bytes. */
  wssBytes: SweepValues;
  /** d, pages/s. */
  dirtyPagesPerSecond: SweepValues;
  /** B, bytes/s. */
  bandwidthBytesPerSecond: SweepValues;
  /**
   * p, bytes.
   *
   * @default {4096}
   */
  pageBytes?: SweepValues;
}

/** Options for {@linkcode sweep}: the layout plus the chosen model's options. */
export interface SweepOptions extends XenPrecopyOptions, KvmPrecopyOptions, KvmPostcopyOptions {
  /**
   * `"grid"`: every combination of the given values (the Cartesian product,
   * `memoryBytes` varying slowest and `pageBytes` fastest). `"columns"`: the
   * arrays are columns of one table, all of one length, read row by row.
   *
   * @default {"grid"}
   */
  layout?: "grid" | "columns";
  /**
   * Return the input columns of every configuration beside the results (five
   * more Float64Arrays). Turn off to save memory on very large sweeps.
   *
   * @default {true}
   */
  includeInputs?: boolean;
}

/** The input columns of a sweep, one value per configuration. */
export interface SweepInputs {
  /** M, bytes. */
  memoryBytes: Float64Array;
  /** W, bytes. */
  wssBytes: Float64Array;
  /** d, pages/s. */
  dirtyPagesPerSecond: Float64Array;
  /** B, bytes/s. */
  bandwidthBytesPerSecond: Float64Array;
  /** p, bytes. */
  pageBytes: Float64Array;
}

/** The result of {@linkcode sweep}: one entry per configuration in each array. */
export interface SweepResult {
  /** The model that was run. */
  model: ModelName;
  /** Number of configurations. */
  length: number;
  /** Migration time, seconds (as the model's `timeSeconds`). */
  timeSeconds: Float64Array;
  /** Pause at the switch, seconds (as the model's `downtimeSeconds`). */
  downtimeSeconds: Float64Array;
  /** Bytes sent (as the model's `transferredBytes`). */
  transferredBytes: Float64Array;
  /** Pre-copy rounds (0 for post-copy that switches at once). */
  iterations: Uint32Array;
  /** Index into `stopReasons` per configuration. */
  stopCode: Uint8Array;
  /** The names the codes stand for (for kvm-precopy, code 0 `"converged"` means it converged). */
  stopReasons: readonly string[];
  /** The inputs, when `includeInputs` is on. */
  inputs?: SweepInputs;
}

const FIELDS = [
  ["memoryBytes", "bytes", true],
  ["wssBytes", "bytes", false],
  ["dirtyPagesPerSecond", "pages/s", false],
  ["bandwidthBytesPerSecond", "bytes/s", true],
  ["pageBytes", "bytes", true],
] as const;

/**
 * From this round limit on, the Xen closed form is faster than the rounds.
 * Measured on the benchmark grid (bench/sweep_case.ts, 10^6 configurations,
 * one core): maxIterations 30: loop 19 ms, closed form 25 ms; 100: 39 vs 30 ms;
 * 1000: 201 vs 51 ms. The loop's branches predict well on a grid, so its
 * rounds overlap in the CPU; the closed form's cost is fixed.
 */
const CLOSED_FORM_MIN_ITERATIONS = 64;
const KVM_STOP_REASONS = ["converged", "timeout", "max-iterations"] as const;
const POSTCOPY_STOP_REASONS = ["switched"] as const;

/**
 * Evaluates one of the three models over a grid or a table of configurations
 * and writes the results into typed arrays, with no object per configuration.
 * It is the engine behind decision maps and the benchmark.
 *
 * Every value is checked first (finite, in range, W <= M), so the loop
 * itself runs on trusted numbers. The KVM results equal the scalar models'
 * (`kvmPrecopy`, `kvmPostcopy`) to the last bit, and so do Xen's for
 * `maxIterations` < 64. From 64 rounds on, the Xen rounds are summed in
 * closed form (they are constant or geometric after round 1), which costs
 * O(log N) instead of O(N): the number of rounds and the stop reason equal
 * `xenPrecopy`'s, and times and bytes agree to about 1e-13 relative. Where a
 * stop condition sits within rounding distance of its threshold, that
 * configuration runs round by round instead.
 *
 * Cost: O(n·N) time for n configurations and N rounds each (O(n·log N) for
 * Xen with `maxIterations` >= 64); memory 8 bytes × 3 + 5 per configuration (plus 40 with
 * `includeInputs`, or for the KVM models and `layout: "columns"`, except
 * that full-length Float64Array columns are read in place when the inputs
 * are not returned).
 *
 * @param model Which model to run.
 * @param grid The values of M, W, d, B and p: numbers or arrays.
 * @param options The layout and the model's own options.
 * @returns The results, one array entry per configuration.
 * @throws {TypeError} If the grid or an option has the wrong type or shape.
 * @throws {RangeError} If a value is out of range, W > M, or column lengths differ.
 *
 * @example A small Xen grid
 * ```ts
 * import { sweep } from "./sweep.ts";
 * import assert from "node:assert/strict";
 * const result = sweep("xen-precopy", {
 *   memoryBytes: 1.5 * 2 ** 30,
 *   wssBytes: [0, 2 ** 26, 2 ** 28],
 *   dirtyPagesPerSecond: [1024, 5120, 15360, 51200],
 *   bandwidthBytesPerSecond: 125e6,
 * });
 * assert.equal(result.length, 12);
 * assert.equal(result.stopReasons[result.stopCode[0]!], "few-dirty-pages");
 * ```
 *
 * @example Columns of a table, with post-copy
 * ```ts
 * import { sweep } from "./sweep.ts";
 * import assert from "node:assert/strict";
 * const result = sweep("kvm-postcopy", {
 *   memoryBytes: [2 ** 30, 2 ** 31],
 *   wssBytes: [0, 0],
 *   dirtyPagesPerSecond: [0, 0],
 *   bandwidthBytesPerSecond: [125e6, 125e6],
 * }, { layout: "columns" });
 * assert.deepEqual(Array.from(result.timeSeconds), [2 ** 30 / 125e6, 2 ** 31 / 125e6]);
 * ```
 */
export function sweep(model: ModelName, grid: SweepGrid, options: SweepOptions = {}): SweepResult {
  const where = "sweep";
  const record = checkObject(where, "grid", grid);
  const optionRecord = checkObject(where, "options", options);
  const { layout = "grid", includeInputs = true, ...modelOptions } = optionRecord;
  if (layout !== "grid" && layout !== "columns") {
    throw new TypeError(
      `${where}: invalid option "layout", expected "grid" or "columns" (got ${showValue(layout)})`,
    );
  }
  if (typeof includeInputs !== "boolean") {
    throw new TypeError(
      `${where}: invalid option "includeInputs", expected true or false (got ${
        showValue(includeInputs)
      })`,
    );
  }
  const axes = FIELDS.map(([field, unit, positive]) =>
    checkAxis(
      where,
      field,
      field === "pageBytes" ? record[field] ?? DEFAULT_PAGE_BYTES : record[field],
      unit,
      positive,
    )
  );
  const length = layout === "grid"
    ? axes.reduce((n, axis) => n * axis.length, 1)
    : columnLength(where, axes);
  const badIndex = firstWssOverMemory(axes, layout, length);
  if (badIndex >= 0) {
    const m = valueAt(axes, layout, length, 0, badIndex);
    const w = valueAt(axes, layout, length, 1, badIndex);
    throw new RangeError(
      `${where}: invalid input "wssBytes" at configuration ${badIndex}, expected bytes <= memoryBytes (${m}) (got ${w})`,
    );
  }
  // The Xen grid runs straight from the axes; everything else reads columns.
  const direct = model === "xen-precopy" && layout === "grid";
  const inputs = includeInputs || !direct
    ? expandInputs(axes, layout, length, !includeInputs)
    : undefined;
  const result: SweepResult = {
    model,
    length,
    timeSeconds: new Float64Array(length),
    downtimeSeconds: new Float64Array(length),
    transferredBytes: new Float64Array(length),
    iterations: new Uint32Array(length),
    stopCode: new Uint8Array(length),
    stopReasons: [],
  };
  if (model === "xen-precopy") {
    const resolved = resolveXenOptions(where, modelOptions);
    if (direct) runXenGrid(axes, result, resolved);
    else runXenColumns(inputs!, result, resolved);
  } else if (model === "kvm-precopy") {
    runKvm(inputs!, result, resolveKvmOptions(where, modelOptions));
  } else if (model === "kvm-postcopy") {
    runPostcopy(inputs!, result, resolvePostcopyOptions(where, modelOptions));
  } else {
    throw new TypeError(
      `${where}: invalid model ${
        showValue(model)
      }, expected "xen-precopy", "kvm-precopy" or "kvm-postcopy"`,
    );
  }
  if (includeInputs && inputs !== undefined) result.inputs = inputs;
  return result;
}

function checkAxis(
  where: string,
  field: string,
  value: unknown,
  unit: string,
  positive: boolean,
): ArrayLike<number> {
  const values: ArrayLike<unknown> = typeof value === "number"
    ? [value]
    : (value !== null && typeof value === "object" && "length" in value)
    ? value as ArrayLike<unknown>
    : (() => {
      throw new TypeError(
        `${where}: invalid grid field "${field}", expected a number or an array of numbers (got ${
          showValue(value)
        })`,
      );
    })();
  if (values.length === 0) {
    throw new RangeError(
      `${where}: invalid grid field "${field}", expected at least one value (got [])`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const ok = typeof v === "number" && Number.isFinite(v) &&
      (positive ? v > 0 : v >= 0) && (field !== "pageBytes" || Number.isInteger(v));
    if (!ok) {
      const expected = field === "pageBytes"
        ? "an integer >= 1"
        : positive
        ? "a finite number > 0"
        : "a finite number >= 0";
      throw new RangeError(
        `${where}: invalid grid field "${field}" at index ${i}, expected ${expected} ${unit} (got ${
          showValue(v)
        })`,
      );
    }
  }
  return values as ArrayLike<number>;
}

function columnLength(where: string, axes: ArrayLike<number>[]): number {
  const length = Math.max(...axes.map((axis) => axis.length));
  axes.forEach((axis, i) => {
    if (axis.length !== 1 && axis.length !== length) {
      throw new RangeError(
        `${where}: invalid grid field "${
          FIELDS[i]![0]
        }", expected ${length} values to match the other columns (got ${axis.length})`,
      );
    }
  });
  return length;
}

/** The value of one field (by axis index) at configuration i. */
function valueAt(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
  a: number,
  i: number,
): number {
  const axis = axes[a]!;
  if (layout === "columns") return axis.length === 1 ? axis[0]! : axis[i]!;
  let repeat = length;
  for (let b = 0; b <= a; b++) repeat /= axes[b]!.length;
  return axis[Math.floor(i / repeat) % axis.length]!;
}

/** The first configuration with W > M, or -1. */
function firstWssOverMemory(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
): number {
  const memory = axes[0]!;
  const wss = axes[1]!;
  if (layout === "columns") {
    for (let i = 0; i < length; i++) {
      const w = wss.length === 1 ? wss[0]! : wss[i]!;
      if (w > (memory.length === 1 ? memory[0]! : memory[i]!)) return i;
    }
    return -1;
  }
  // Grid: M varies slowest, W next; the rest of a configuration's index is 0.
  const perMemory = length / memory.length;
  const perWss = perMemory / wss.length;
  for (let m = 0; m < memory.length; m++) {
    for (let w = 0; w < wss.length; w++) {
      if (wss[w]! > memory[m]!) return m * perMemory + w * perWss;
    }
  }
  return -1;
}

/**
 * The input columns, one value per configuration. With `borrow` (the inputs
 * are not returned), a column given as a Float64Array of full length is read
 * in place instead of copied: callers such as the fits sweep the same runs
 * many times, and an allocation per column per call costs more than the model.
 */
function expandInputs(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
  borrow = false,
): SweepInputs {
  let columns: Float64Array[];
  if (layout === "columns") {
    columns = axes.map((axis) => {
      if (borrow && axis instanceof Float64Array && axis.length === length) return axis;
      const column = new Float64Array(length);
      if (axis.length === 1) column.fill(axis[0]!);
      else column.set(axis);
      return column;
    });
  } else {
    columns = axes.map(() => new Float64Array(length));
    // Row-major product: the last axis varies fastest, each value in a block of `repeat`.
    let repeat = length;
    axes.forEach((axis, a) => {
      const column = columns[a]!;
      repeat /= axis.length;
      for (let start = 0, v = 0; start < length; start += repeat, v = (v + 1) % axis.length) {
        column.fill(axis[v]!, start, start + repeat);
      }
    });
  }
  const [memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes] =
    columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes };
}

/**
 * The Xen rounds of one configuration into `out`: closed form from
 * CLOSED_FORM_MIN_ITERATIONS rounds on (or the rounds when a stop decision is
 * too close to call in closed form), the rounds below.
 */
function xenOne(
  m: number,
  w: number,
  d: number,
  b: number,
  p: number,
  options: ResolvedXenOptions,
  out: XenRoundsOutput,
): XenRoundsOutput {
  const { maxIterations, maxTransferFactor, minDirtyPages } = options;
  if (
    maxIterations < CLOSED_FORM_MIN_ITERATIONS ||
    !xenRoundsClosedForm(m, w, d, b, p, maxIterations, maxTransferFactor, minDirtyPages, out)
  ) {
    xenRounds(m, w, d, b, p, maxIterations, maxTransferFactor, minDirtyPages, out);
  }
  return out;
}

function newXenOutput(): XenRoundsOutput {
  return { timeSeconds: 0, transferredBytes: 0, iterations: 0, stopCode: 0, stopAndCopyBytes: 0 };
}

/** The Xen model over a grid, straight from the axes (no input columns). */
function runXenGrid(
  axes: ArrayLike<number>[],
  result: SweepResult,
  options: ResolvedXenOptions,
): void {
  const [ms, ws, ds, bs, ps] = axes.map((axis) => Float64Array.from(axis)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const { timeSeconds, downtimeSeconds, transferredBytes, iterations, stopCode } = result;
  const addStopAndCopy = options.includeStopAndCopy;
  const out = newXenOutput();
  result.stopReasons = XEN_STOP_REASONS;
  let i = 0;
  for (let a = 0; a < ms.length; a++) {
    const m = ms[a]!;
    for (let b = 0; b < ws.length; b++) {
      const w = ws[b]!;
      for (let c = 0; c < ds.length; c++) {
        const d = ds[c]!;
        for (let e = 0; e < bs.length; e++) {
          const bandwidth = bs[e]!;
          for (let f = 0; f < ps.length; f++) {
            xenOne(m, w, d, bandwidth, ps[f]!, options, out);
            const downtime = out.stopAndCopyBytes / bandwidth;
            timeSeconds[i] = out.timeSeconds + (addStopAndCopy ? downtime : 0);
            downtimeSeconds[i] = downtime;
            transferredBytes[i] = out.transferredBytes;
            iterations[i] = out.iterations;
            stopCode[i] = out.stopCode;
            i++;
          }
        }
      }
    }
  }
}

/** The Xen model over input columns. */
function runXenColumns(
  inputs: SweepInputs,
  result: SweepResult,
  options: ResolvedXenOptions,
): void {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } = inputs;
  const { timeSeconds, downtimeSeconds, transferredBytes, iterations, stopCode } = result;
  const addStopAndCopy = options.includeStopAndCopy;
  const out = newXenOutput();
  result.stopReasons = XEN_STOP_REASONS;
  for (let i = 0; i < result.length; i++) {
    const bandwidth = bandwidthBytesPerSecond[i]!;
    xenOne(
      memoryBytes[i]!,
      wssBytes[i]!,
      dirtyPagesPerSecond[i]!,
      bandwidth,
      pageBytes[i]!,
      options,
      out,
    );
    const downtime = out.stopAndCopyBytes / bandwidth;
    timeSeconds[i] = out.timeSeconds + (addStopAndCopy ? downtime : 0);
    downtimeSeconds[i] = downtime;
    transferredBytes[i] = out.transferredBytes;
    iterations[i] = out.iterations;
    stopCode[i] = out.stopCode;
  }
}

function runKvm(
  inputs: SweepInputs,
  result: SweepResult,
  options: ReturnType<typeof resolveKvmOptions>,
): void {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } = inputs;
  result.stopReasons = KVM_STOP_REASONS;
  for (let i = 0; i < result.length; i++) {
    const out = kvmRounds(
      memoryBytes[i]!,
      wssBytes[i]!,
      dirtyPagesPerSecond[i]!,
      bandwidthBytesPerSecond[i]!,
      pageBytes[i]!,
      options.downtimeLimitSeconds,
      options.timeoutSeconds,
      options.maxIterations,
    );
    result.timeSeconds[i] = out.timeSeconds;
    result.downtimeSeconds[i] = out.downtimeSeconds;
    result.transferredBytes[i] = out.transferredBytes;
    result.iterations[i] = out.iterations;
    result.stopCode[i] = KVM_STOP_REASONS.indexOf(out.stopReason);
  }
}

function runPostcopy(
  inputs: SweepInputs,
  result: SweepResult,
  options: ReturnType<typeof resolvePostcopyOptions>,
): void {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } = inputs;
  result.stopReasons = POSTCOPY_STOP_REASONS;
  for (let i = 0; i < result.length; i++) {
    const b = bandwidthBytesPerSecond[i]!;
    const bytes = postcopyTransferredBytes(
      memoryBytes[i]!,
      wssBytes[i]!,
      dirtyPagesPerSecond[i]!,
      b,
      pageBytes[i]!,
      options.precopyPasses,
    );
    result.transferredBytes[i] = bytes;
    result.timeSeconds[i] = bytes / b;
    result.downtimeSeconds[i] = options.switchoverSeconds;
    result.iterations[i] = options.precopyPasses;
  }
}
