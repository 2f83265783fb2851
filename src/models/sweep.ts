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
import { resolveXenOptions, type XenPrecopyOptions } from "./xen_precopy.ts";

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

const KVM_STOP_REASONS = ["converged", "timeout", "max-iterations"] as const;
const POSTCOPY_STOP_REASONS = ["switched"] as const;

/**
 * Evaluates one of the three models over a grid or a table of configurations
 * and writes the results into typed arrays, with no object per configuration.
 * It is the engine behind decision maps and the benchmark.
 *
 * Every value is checked first (finite, in range, W <= M), so the loop
 * itself runs on trusted numbers. Results equal the scalar models'
 * (`xenPrecopy`, `kvmPrecopy`, `kvmPostcopy`) to the last bit.
 *
 * Cost: O(n·N) time for n configurations and N rounds each; memory 8 bytes
 * × 3 + 5 per configuration (plus 40 with `includeInputs`).
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
  const inputs = expandInputs(axes, layout, length);
  for (let i = 0; i < length; i++) {
    const w = inputs.wssBytes[i]!;
    const m = inputs.memoryBytes[i]!;
    if (w > m) {
      throw new RangeError(
        `${where}: invalid input "wssBytes" at configuration ${i}, expected bytes <= memoryBytes (${m}) (got ${w})`,
      );
    }
  }
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
  if (model === "xen-precopy") runXen(inputs, result, resolveXenOptions(where, modelOptions));
  else if (model === "kvm-precopy") runKvm(inputs, result, resolveKvmOptions(where, modelOptions));
  else if (model === "kvm-postcopy") {
    runPostcopy(inputs, result, resolvePostcopyOptions(where, modelOptions));
  } else {
    throw new TypeError(
      `${where}: invalid model ${
        showValue(model)
      }, expected "xen-precopy", "kvm-precopy" or "kvm-postcopy"`,
    );
  }
  if (includeInputs) result.inputs = inputs;
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

function expandInputs(
  axes: ArrayLike<number>[],
  layout: "grid" | "columns",
  length: number,
): SweepInputs {
  const columns = axes.map(() => new Float64Array(length));
  if (layout === "columns") {
    axes.forEach((axis, a) => {
      const column = columns[a]!;
      if (axis.length === 1) column.fill(axis[0]!);
      else column.set(axis);
    });
  } else {
    // Row-major product: the last axis varies fastest.
    let repeat = length;
    axes.forEach((axis, a) => {
      const column = columns[a]!;
      repeat /= axis.length;
      for (let i = 0; i < length; i++) column[i] = axis[Math.floor(i / repeat) % axis.length]!;
    });
  }
  const [memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes] =
    columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes };
}

function runXen(
  inputs: SweepInputs,
  result: SweepResult,
  options: ReturnType<typeof resolveXenOptions>,
): void {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } = inputs;
  const out: XenRoundsOutput = {
    timeSeconds: 0,
    transferredBytes: 0,
    iterations: 0,
    stopCode: 0,
    stopAndCopyBytes: 0,
  };
  result.stopReasons = XEN_STOP_REASONS;
  for (let i = 0; i < result.length; i++) {
    const b = bandwidthBytesPerSecond[i]!;
    xenRounds(
      memoryBytes[i]!,
      wssBytes[i]!,
      dirtyPagesPerSecond[i]!,
      b,
      pageBytes[i]!,
      options.maxIterations,
      options.maxTransferFactor,
      options.minDirtyPages,
      out,
    );
    const downtime = out.stopAndCopyBytes / b;
    result.timeSeconds[i] = out.timeSeconds + (options.includeStopAndCopy ? downtime : 0);
    result.downtimeSeconds[i] = downtime;
    result.transferredBytes[i] = out.transferredBytes;
    result.iterations[i] = out.iterations;
    result.stopCode[i] = out.stopCode;
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
