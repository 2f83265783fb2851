/**
 * Evaluate a model over millions of configurations into typed arrays.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import { DEFAULT_PAGE_BYTES } from "../units.ts";
import { type KvmPostcopyOptions, resolvePostcopyOptions } from "./kvm_postcopy.ts";
import { type KvmPrecopyOptions, resolveKvmOptions } from "./kvm_precopy.ts";
import type { ModelName } from "./types.ts";
import { type QemuXenRulesOptions, resolveQemuXenOptions } from "./qemu_xen_rules.ts";
import {
  emptySweepResult,
  runKvm,
  runPostcopy,
  runQemuXen,
  runXenColumns,
  runXenGrid,
} from "./_sweep_run.ts";
import {
  checkAxis,
  columnLength,
  expandInputs,
  FIELDS,
  firstWssOverMemory,
  firstZeroOverFree,
  valueAt,
} from "./_sweep_axes.ts";
import { resolveXenOptions, type XenPrecopyOptions } from "./xen_precopy.ts";

/**
 * The models {@linkcode sweep} runs: the paper's three ({@linkcode ModelName})
 * and `"qemu-xen-rules"`, QEMU's pre-copy under Xen's stop rules
 * (`qemuXenRules`, the collector's `xen-precopy-policy` runs).
 */
export type SweepModelName = ModelName | "qemu-xen-rules";

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
  /**
   * Z, bytes of zero pages (`kvm-precopy`'s QEMU rule and `qemu-xen-rules`;
   * the others ignore it).
   *
   * @default {0}
   */
  zeroBytes?: SweepValues;
}

/** How {@linkcode sweep} lays out and returns the configurations. */
export interface SweepLayoutOptions {
  /**
   * `"grid"`: every combination of the given values (the Cartesian product,
   * `memoryBytes` varying slowest and `zeroBytes` fastest). `"columns"`: the
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

/**
 * Each model's own options, by model name. The defaults are the model's:
 * for instance `maxIterations` is Xen's round cap (30, the paper's stop
 * condition 3) for `"xen-precopy"` but a give-up cap on rounds that never
 * reach the limit (10,000) for `"kvm-precopy"`.
 */
export interface SweepModelOptions {
  /** {@linkcode XenPrecopyOptions}. */
  "xen-precopy": XenPrecopyOptions;
  /** {@linkcode KvmPrecopyOptions}. */
  "kvm-precopy": KvmPrecopyOptions;
  /** {@linkcode KvmPostcopyOptions}. */
  "kvm-postcopy": KvmPostcopyOptions;
  /** {@linkcode QemuXenRulesOptions}. */
  "qemu-xen-rules": QemuXenRulesOptions;
}

/**
 * Options for {@linkcode sweep}: the layout plus the chosen model's own
 * options, with that model's defaults.
 *
 * @typeParam M The model's name.
 */
export type SweepOptions<M extends SweepModelName = SweepModelName> =
  & SweepLayoutOptions
  & SweepModelOptions[M];

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
  /** Z, bytes. */
  zeroBytes: Float64Array;
}

/** The result of {@linkcode sweep}: one entry per configuration in each array. */
export interface SweepResult {
  /** The model that was run. */
  model: SweepModelName;
  /** Number of configurations. */
  length: number;
  /** The whole migration, seconds (as the model's `migrationTimeSeconds`). */
  migrationTimeSeconds: Float64Array;
  /**
   * The iterative pre-copy phase, seconds (as the model's
   * `precopyTimeSeconds`): the paper's T_pre for Xen.
   */
  precopyTimeSeconds: Float64Array;
  /** Pause at the switch, seconds (as the model's `downtimeSeconds`). */
  downtimeSeconds: Float64Array;
  /** Bytes sent (as the model's `transferredBytes`). */
  transferredBytes: Float64Array;
  /** Pre-copy rounds (0 for post-copy that switches at once; kvm-precopy under QEMU's rule: the exact counts). */
  iterations: Uint32Array;
  /** Index into `stopReasons` per configuration. */
  stopCode: Uint8Array;
  /** The names the codes stand for (for kvm-precopy, code 0 `"converged"` means it converged). */
  stopReasons: readonly string[];
  /**
   * `"kvm-precopy"` under QEMU's rule: whether the first 100 ms window
   * decides the stop over `socketBufferRangeBytes`, as `kvmPrecopy`'s
   * `firstWindow`, an index into `firstWindowOutcomes` (0 `"stops"`, 1
   * `"continues"`, 2 `"either"`). Absent for the other models and rules.
   */
  firstWindow?: Uint8Array;
  /** The names `firstWindow`'s codes stand for. */
  firstWindowOutcomes?: readonly string[];
  /**
   * Where `firstWindow` is `"either"`: the other outcome's migration time,
   * seconds (as `kvmPrecopy`'s `otherOutcome.migrationTimeSeconds`); NaN
   * elsewhere.
   */
  otherMigrationTimeSeconds?: Float64Array;
  /** Where `firstWindow` is `"either"`: the other outcome's pause, seconds; NaN elsewhere. */
  otherDowntimeSeconds?: Float64Array;
  /**
   * Where `firstWindow` is `"either"`: the other outcome's index into
   * `stopReasons`; 255 elsewhere.
   */
  otherStopCode?: Uint8Array;
  /** The inputs, when `includeInputs` is on. */
  inputs?: SweepInputs;
}

/**
 * Evaluates one of the models over a grid or a table of configurations
 * and writes the results into typed arrays, with no object per configuration.
 * It is the engine behind decision maps and the benchmark.
 *
 * Every value is checked first (finite, in range, W <= M), so the loop
 * itself runs on trusted numbers. The KVM results equal the scalar models'
 * (`kvmPrecopy`, `kvmPostcopy`) to the last bit (for `kvmPrecopy` under
 * QEMU's rule, the outcome at `socketBufferBytes`, its `firstWindow`, and the
 * time, pause and stop of its `otherOutcome` in the `other*` columns),
 * as do `"qemu-xen-rules"`'s
 * (`qemuXenRules`) and Xen's for
 * `maxIterations` < 64. From 64 rounds on, the Xen rounds are summed in
 * closed form (they are constant or geometric after round 1), which costs
 * O(log N) instead of O(N): the number of rounds and the stop reason equal
 * `xenPrecopy`'s, and times and bytes agree to about 1e-13 relative. Where a
 * stop condition sits within rounding distance of its threshold, that
 * configuration runs round by round instead.
 *
 * Cost: O(n·N) time for n configurations and N rounds each (O(n·log N) for
 * Xen with `maxIterations` >= 64; QEMU's rule runs a configuration twice
 * where the other end of `socketBufferRangeBytes` may change its first
 * check, which a range collapsed to `socketBufferBytes` avoids); memory 8 bytes × 4 + 5 per configuration (plus 18 for the first
 * window's columns under QEMU's rule, plus 40 with
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
 * assert.deepEqual(Array.from(result.migrationTimeSeconds), [2 ** 30 / 125e6, 2 ** 31 / 125e6]);
 * assert.deepEqual(Array.from(result.precopyTimeSeconds), [0, 0]);
 * ```
 */
export function sweep<M extends SweepModelName>(
  model: M,
  grid: SweepGrid,
  options: SweepOptions<M> = {},
): SweepResult {
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
      field === "pageBytes"
        ? record[field] ?? DEFAULT_PAGE_BYTES
        : field === "zeroBytes"
        ? record[field] ?? 0
        : record[field],
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
  const zeroIndex = firstZeroOverFree(axes, layout, length);
  if (zeroIndex >= 0) {
    const free = valueAt(axes, layout, length, 0, zeroIndex) -
      valueAt(axes, layout, length, 1, zeroIndex);
    const z = valueAt(axes, layout, length, 5, zeroIndex);
    throw new RangeError(
      `${where}: invalid input "zeroBytes" at configuration ${zeroIndex}, expected bytes <= memoryBytes - wssBytes (${free}) (got ${z})`,
    );
  }
  const direct = model === "xen-precopy" && layout === "grid" && axes[5]!.length === 1;
  const inputs = includeInputs || !direct
    ? expandInputs(axes, layout, length, !includeInputs)
    : undefined;
  const result: SweepResult = emptySweepResult(model, length);
  if (model === "xen-precopy") {
    const resolved = resolveXenOptions(where, modelOptions);
    if (direct) runXenGrid(axes, result, resolved);
    else runXenColumns(inputs!, result, resolved);
  } else if (model === "kvm-precopy") {
    runKvm(inputs!, result, resolveKvmOptions(where, modelOptions));
  } else if (model === "kvm-postcopy") {
    runPostcopy(inputs!, result, resolvePostcopyOptions(where, modelOptions));
  } else if (model === "qemu-xen-rules") {
    runQemuXen(inputs!, result, resolveQemuXenOptions(where, modelOptions));
  } else {
    throw new TypeError(
      `${where}: invalid model ${
        showValue(model)
      }, expected "xen-precopy", "kvm-precopy", "kvm-postcopy" or "qemu-xen-rules"`,
    );
  }
  if (includeInputs && inputs !== undefined) result.inputs = inputs;
  return result;
}

/**
 * The time the paper's section 4 compares with a measured migration time, per
 * configuration: T_pre (the iterative rounds, without the stop-and-copy) for
 * Xen pre-copy, and the whole migration for KVM pre-copy and post-copy. The
 * fits, the synthetic datasets and the decision map use it.
 *
 * @param result A sweep's result.
 * @returns `result.precopyTimeSeconds` for `"xen-precopy"`, otherwise
 * `result.migrationTimeSeconds` (the array itself, not a copy).
 *
 * @example Xen's T_pre leaves the stop-and-copy out
 * ```ts
 * import { paperTimeSeconds, sweep } from "./sweep.ts";
 * import assert from "node:assert/strict";
 * const grid = {
 *   memoryBytes: 2 ** 30,
 *   wssBytes: 2 ** 26,
 *   dirtyPagesPerSecond: 51200,
 *   bandwidthBytesPerSecond: 125e6,
 * };
 * const xen = sweep("xen-precopy", grid);
 * assert.equal(paperTimeSeconds(xen), xen.precopyTimeSeconds);
 * assert.ok(xen.precopyTimeSeconds[0]! < xen.migrationTimeSeconds[0]!);
 * const post = sweep("kvm-postcopy", grid);
 * assert.equal(paperTimeSeconds(post), post.migrationTimeSeconds);
 * ```
 */
export function paperTimeSeconds(result: SweepResult): Float64Array {
  return result.model === "xen-precopy" ? result.precopyTimeSeconds : result.migrationTimeSeconds;
}
