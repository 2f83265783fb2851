// Evaluates the models for many runs at many bandwidths. Runs are grouped once
// into batches that share a model and its options (a plan); each evaluation
// then fills the bandwidth column and calls sweep() per batch.
import { showValue } from "../_validate.ts";
import { METHODS } from "../data/schema.ts";
import type { MigrationRun } from "../data/types.ts";
import { xenRounds, type XenRoundsOutput } from "../models/_xen_rounds.ts";

// Xen's round kernel for the fit's other direct evaluations (_columns_search.ts, _cv_columns.ts),
// through this file's one crossing into models' private files (tests/layers_test.ts).
export { xenRounds, type XenRoundsOutput };
import { postcopyTransferredBytes, resolvePostcopyOptions } from "../models/kvm_postcopy.ts";
import { type ResolvedKvmOptions, resolveKvmOptions } from "../models/kvm_precopy.ts";
import { type ResolvedQemuXenOptions, resolveQemuXenOptions } from "../models/qemu_xen_rules.ts";
// sweep()'s column loops of the QEMU models, run on a batch's columns (the "columns" path).
import { emptySweepResult, runKvm, runQemuXen } from "../models/_sweep_run.ts";
import {
  paperTimeSeconds,
  sweep,
  type SweepInputs,
  type SweepModelName,
  type SweepOptions,
  type SweepResult,
} from "../models/sweep.ts";
import type { ModelName } from "../models/types.ts";
import { type ResolvedXenOptions, resolveXenOptions } from "../models/xen_precopy.ts";
import type { FitModelOptions } from "./types.ts";

/** Methods a run may name, and the model each one uses. */
export const METHOD_MODELS: Readonly<Record<string, ModelName>> = Object.fromEntries(
  METHODS.map((m) => [m.name, m.model]),
);

/**
 * The model a method's runs are evaluated with: its METHOD_MODELS entry, but
 * `xen-precopy-policy` (QEMU's pre-copy under Xen's stop rules) has its own,
 * `qemuXenRules`, with the Xen constants of the `xenPrecopy` options.
 */
const SWEEP_MODELS: Readonly<Record<string, SweepModelName>> = {
  ...METHOD_MODELS,
  "xen-precopy-policy": "qemu-xen-rules",
};

/** The `sweep` model a method's runs are evaluated (and synthesized) with. */
export function sweepModelOf(method: string): SweepModelName | undefined {
  return SWEEP_MODELS[method];
}

/** Whether a method's time is piecewise in B (pre-copy). */
export function isPrecopy(method: string): boolean {
  return METHOD_MODELS[method] !== "kvm-postcopy";
}

/**
 * Below this many rounds sweep() runs Xen's rounds one by one (its closed
 * form starts at 64, `CLOSED_FORM_MIN_ITERATIONS` in sweep.ts), so a batch
 * can call the same recurrence directly, without sweep's checks and output
 * arrays, and get the same numbers.
 */
export const XEN_DIRECT_MAX_ITERATIONS = 64;

/**
 * How a batch is evaluated: through sweep(), the same model's per-run
 * function directly, or (the QEMU models) sweep()'s own column loop on the
 * batch's columns, with the options resolved once and the output allocated
 * once: sweep() without its per-call checks, copies and arrays.
 */
type BatchPath = "sweep" | "xen-rounds" | "postcopy" | "columns";

interface Batch {
  model: SweepModelName;
  options: SweepOptions;
  /** The evaluation path (same numbers either way). */
  path: BatchPath;
  /**
   * Whether the estimate is M/B exactly (KVM post-copy switching at once),
   * so that under the log objective its runs' loss is a quadratic in ln B.
   */
  logLinear: boolean;
  /** Positions (into the plan's run list) of this batch's runs. */
  positions: Int32Array;
  memoryBytes: Float64Array;
  wssBytes: Float64Array;
  dirtyPagesPerSecond: Float64Array;
  pageBytes: Float64Array;
  /** Zero-page bytes (kvm-precopy's QEMU rule, qemu-xen-rules), else 0. */
  zeroBytes: Float64Array;
  bandwidthBytesPerSecond: Float64Array;
  /** The "columns" path's resolved options, inputs and output (null on other paths). */
  columns: {
    options: ResolvedKvmOptions | ResolvedQemuXenOptions;
    inputs: SweepInputs;
    result: SweepResult;
  } | null;
}

/** Runs grouped by model and options, ready to evaluate at any bandwidths. */
export interface Plan {
  /** Number of runs. */
  length: number;
  batches: Batch[];
}

/**
 * Checks the model options once and fills in their defaults.
 *
 * @param where The public function's name.
 * @param options The options per model.
 */
export function resolveModelOptions(where: string, options: FitModelOptions): FitModelOptions {
  const { xenPrecopy = {}, kvmPrecopy = {}, kvmPostcopy = {} } = options;
  return {
    xenPrecopy: resolveXenOptions(where, xenPrecopy),
    kvmPrecopy: resolveKvmOptions(where, kvmPrecopy),
    kvmPostcopy: resolvePostcopyOptions(where, kvmPostcopy),
  };
}

/**
 * Groups runs into batches by model and per-run options. Throws for a method
 * no model covers and for unusable run settings (`downtimeLimitSeconds`, `postcopySwitch`).
 *
 * @param where The public function's name.
 * @param runs All runs.
 * @param indices Which runs (indices into `runs`) the plan covers, in order.
 * @param modelOptions Resolved model options.
 */
export function makePlan(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  modelOptions: FitModelOptions,
): Plan {
  type Entry = { model: SweepModelName; options: SweepOptions; positions: number[] };
  const byKey = new Map<SweepModelName, Map<number | null, Entry>>();
  indices.forEach((index, position) => {
    const run = runs[index]!;
    const model = SWEEP_MODELS[run.method];
    if (model === undefined) {
      throw new RangeError(
        `${where}: unknown method ${showValue(run.method)} at run ${index}, expected one of ${
          Object.keys(METHOD_MODELS).map((m) => `"${m}"`).join(", ")
        }`,
      );
    }
    // The per-run setting that splits a model's runs into batches, if any.
    const setting = model === "xen-precopy" || model === "qemu-xen-rules"
      ? null
      : model === "kvm-precopy"
      ? downtimeLimit(where, run, index, modelOptions)
      : precopyPasses(where, run, index, modelOptions);
    // Keyed by model, then setting (no string built per run).
    let bySetting = byKey.get(model);
    if (bySetting === undefined) byKey.set(model, bySetting = new Map());
    let entry = bySetting.get(setting);
    if (entry === undefined) {
      const options: SweepOptions = model === "xen-precopy" || model === "qemu-xen-rules"
        ? { ...modelOptions.xenPrecopy }
        : model === "kvm-precopy"
        ? { ...modelOptions.kvmPrecopy, downtimeLimitSeconds: setting! }
        : { ...modelOptions.kvmPostcopy, precopyPasses: setting as 0 | 1 };
      entry = {
        model,
        options: { ...options, layout: "columns", includeInputs: false },
        positions: [],
      };
      bySetting.set(setting, entry);
    }
    entry.positions.push(position);
  });
  const entries = [...byKey.values()].flatMap((bySetting) => [...bySetting.values()]);
  const batches = entries.map(({ model, options, positions }) => {
    const count = positions.length;
    const memoryBytes = new Float64Array(count);
    const wssBytes = new Float64Array(count);
    const dirtyPagesPerSecond = new Float64Array(count);
    const pageBytes = new Float64Array(count);
    const zeroBytes = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const run = runs[indices[positions[k]!]!]!;
      memoryBytes[k] = run.memoryBytes;
      wssBytes[k] = run.wssBytes;
      dirtyPagesPerSecond[k] = run.dirtyPagesPerSecond;
      pageBytes[k] = run.pageBytes;
      zeroBytes[k] = model === "kvm-precopy" || model === "qemu-xen-rules" ? runZeroBytes(run) : 0;
    }
    const path: BatchPath = model === "kvm-postcopy" ? "postcopy" : model === "xen-precopy" &&
        (options as ResolvedXenOptions).maxIterations < XEN_DIRECT_MAX_ITERATIONS
      ? "xen-rounds"
      : model === "kvm-precopy" || model === "qemu-xen-rules"
      ? "columns"
      : "sweep";
    const bandwidthBytesPerSecond = new Float64Array(count);
    const inputs = {
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      bandwidthBytesPerSecond,
      pageBytes,
      zeroBytes,
    };
    return {
      model,
      options,
      path,
      logLinear: model === "kvm-postcopy" &&
        (options as { precopyPasses?: 0 | 1 }).precopyPasses === 0,
      positions: Int32Array.from(positions),
      memoryBytes,
      wssBytes,
      dirtyPagesPerSecond,
      pageBytes,
      zeroBytes,
      bandwidthBytesPerSecond,
      columns: path === "columns" ? columnsOf(where, model, options, inputs) : null,
    };
  });
  return { length: indices.length, batches };
}

/** A sweep column evaluatePlan can return. */
export type PlanColumn = "timeSeconds" | "downtimeSeconds" | "transferredBytes";

/**
 * Estimated seconds (or another sweep column) of every run in a plan at the given bandwidths.
 *
 * @param plan The plan.
 * @param bandwidthBytesPerSecond One bandwidth per plan position.
 * @param out Receives one value per plan position.
 * @param column Which sweep column: the time (default), the pause or the bytes.
 */
export function evaluatePlan(
  plan: Plan,
  bandwidthBytesPerSecond: ArrayLike<number>,
  out: Float64Array,
  column: PlanColumn = "timeSeconds",
): Float64Array {
  for (const batch of plan.batches) {
    const { positions } = batch;
    // The direct paths compute the time only; other columns go through sweep().
    if (batch.columns !== null && column === "timeSeconds") {
      for (let k = 0; k < positions.length; k++) {
        batch.bandwidthBytesPerSecond[k] = bandwidthBytesPerSecond[positions[k]!]!;
      }
      const { options, inputs, result } = batch.columns;
      if (batch.model === "kvm-precopy") runKvm(inputs, result, options as ResolvedKvmOptions);
      else runQemuXen(inputs, result, options as ResolvedQemuXenOptions);
      // The whole migration: paperTimeSeconds for both.
      const values = result.migrationTimeSeconds;
      for (let k = 0; k < positions.length; k++) out[positions[k]!] = values[k]!;
      continue;
    }
    if (batch.path !== "sweep" && batch.path !== "columns" && column === "timeSeconds") {
      evaluateDirect(batch, bandwidthBytesPerSecond, out);
      continue;
    }
    for (let k = 0; k < positions.length; k++) {
      batch.bandwidthBytesPerSecond[k] = bandwidthBytesPerSecond[positions[k]!]!;
    }
    const result = sweep(batch.model, {
      memoryBytes: batch.memoryBytes,
      wssBytes: batch.wssBytes,
      dirtyPagesPerSecond: batch.dirtyPagesPerSecond,
      bandwidthBytesPerSecond: batch.bandwidthBytesPerSecond,
      pageBytes: batch.pageBytes,
      zeroBytes: batch.zeroBytes,
    }, batch.options);
    // "timeSeconds" is the paper's time: Xen's T_pre, the whole migration for KVM (paperTimeSeconds).
    const values = column === "timeSeconds" ? paperTimeSeconds(result) : result[column];
    for (let k = 0; k < positions.length; k++) out[positions[k]!] = values[k]!;
  }
  return out;
}

const xenOut: XenRoundsOutput = {
  precopyTimeSeconds: 0,
  transferredBytes: 0,
  iterations: 0,
  stopCode: 0,
  stopAndCopyBytes: 0,
};

/** A batch through its model's per-run function: what sweep() computes, without its checks. */
function evaluateDirect(
  batch: Batch,
  bandwidthBytesPerSecond: ArrayLike<number>,
  out: Float64Array,
): void {
  const { positions, memoryBytes, wssBytes, dirtyPagesPerSecond, pageBytes } = batch;
  if (batch.path === "postcopy") {
    const passes = (batch.options as { precopyPasses: 0 | 1 }).precopyPasses;
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k]!;
      const b = bandwidthBytesPerSecond[p]!;
      const bytes = postcopyTransferredBytes(
        memoryBytes[k]!,
        wssBytes[k]!,
        dirtyPagesPerSecond[k]!,
        b,
        pageBytes[k]!,
        passes,
      );
      out[p] = bytes / b;
    }
    return;
  }
  // The paper's T_pre, as paperTimeSeconds gives it for Xen.
  const { maxIterations, maxTransferFactor, minDirtyPages } = batch.options as ResolvedXenOptions;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]!;
    const b = bandwidthBytesPerSecond[p]!;
    xenRounds(
      memoryBytes[k]!,
      wssBytes[k]!,
      dirtyPagesPerSecond[k]!,
      b,
      pageBytes[k]!,
      maxIterations,
      maxTransferFactor,
      minDirtyPages,
      xenOut,
    );
    out[p] = xenOut.precopyTimeSeconds;
  }
}

/** The "columns" path of a batch: its options resolved as sweep() resolves them, its output. */
function columnsOf(
  where: string,
  model: SweepModelName,
  options: SweepOptions,
  inputs: SweepInputs,
): NonNullable<Batch["columns"]> {
  const { layout: _layout, includeInputs: _includeInputs, ...modelOptions } = options;
  const length = inputs.memoryBytes.length;
  return {
    options: model === "kvm-precopy"
      ? resolveKvmOptions(where, modelOptions)
      : resolveQemuXenOptions(where, modelOptions as Parameters<typeof resolveQemuXenOptions>[1]),
    inputs,
    result: emptySweepResult(model, length),
  };
}

function downtimeLimit(
  where: string,
  run: MigrationRun,
  index: number,
  modelOptions: FitModelOptions,
): number {
  const value = run.downtimeLimitSeconds;
  if (value === undefined) return modelOptions.kvmPrecopy!.downtimeLimitSeconds!;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `${where}: invalid "downtimeLimitSeconds" at run ${index}, expected a finite number >= 0 seconds (got ${
        showValue(value)
      })`,
    );
  }
  return value;
}

function precopyPasses(
  where: string,
  run: MigrationRun,
  index: number,
  modelOptions: FitModelOptions,
): 0 | 1 {
  const raw = run.postcopySwitch;
  if (raw === undefined) return modelOptions.kvmPostcopy!.precopyPasses!;
  if (raw === "after-first-pass") return 1;
  if (raw === "immediate") return 0;
  throw new RangeError(
    `${where}: invalid "postcopySwitch" at run ${index}, expected "after-first-pass" or "immediate" (got ${
      showValue(raw)
    })`,
  );
}

/**
 * Zero-page bytes of a run (its `zero_pages` x page size, at most M - W), for
 * kvmPrecopy's QEMU rule and qemuXenRules; 0 when the run does not say.
 */
function runZeroBytes(run: MigrationRun): number {
  const raw = run.extra?.zero_pages;
  const pages = typeof raw === "number" ? raw : raw === undefined || raw === "" ? NaN : Number(raw);
  if (!Number.isFinite(pages) || pages < 0) return 0;
  return Math.min(pages * run.pageBytes, run.memoryBytes - run.wssBytes);
}
