// The model loops of sweep(): each runs one model over checked input
// columns (or, for Xen on a grid, straight over the axes) into the result's
// typed arrays.
import { XEN_STOP_REASONS, xenRounds, type XenRoundsOutput } from "./_xen_rounds.ts";
import { xenRoundsClosedForm } from "./_xen_closed_form.ts";
import { postcopyTransferredBytes, type ResolvedPostcopyOptions } from "./kvm_postcopy.ts";
import { kvmRounds } from "./_kvm_rounds.ts";
import { newQemuOutput, qemuSwitch } from "./_qemu_switch.ts";
import { FIRST_WINDOW_OUTCOMES, firstWindowCode } from "./_first_window.ts";
import {
  KVM_PRECOPY_DEFAULTS,
  KVM_STOP_REASONS,
  qemuInput,
  qemuMigrationSeconds,
  type ResolvedKvmOptions,
} from "./kvm_precopy.ts";
import type { ResolvedXenOptions } from "./xen_precopy.ts";
import { newQemuXenOutput, QEMU_XEN_STOP_REASONS, qemuXenRounds } from "./_qemu_xen_rounds.ts";
import type { ResolvedQemuXenOptions } from "./qemu_xen_rules.ts";
import type { SweepInputs, SweepModelName, SweepResult } from "./sweep.ts";

/**
 * From this round limit on, the Xen closed form is faster than the rounds.
 * Measured on the benchmark grid (bench/cases/sweep.ts, 10^6 configurations,
 * one core): maxIterations 30: loop 19 ms, closed form 25 ms; 100: 39 vs 30 ms;
 * 1000: 201 vs 51 ms. The loop's branches predict well on a grid, so its
 * rounds overlap in the CPU; the closed form's cost is fixed.
 */
const CLOSED_FORM_MIN_ITERATIONS = 64;
/** The QEMU rule's stop codes (converged, timeout, max-syncs) as KVM_STOP_REASONS codes. */
const QEMU_TO_KVM_CODE = [0, 1, 3] as const;
const POSTCOPY_STOP_REASONS = ["switched"] as const;

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
  return {
    precopyTimeSeconds: 0,
    transferredBytes: 0,
    iterations: 0,
    stopCode: 0,
    stopAndCopyBytes: 0,
  };
}

/** A result with every column allocated for `length` configurations, stop reasons empty. */
export function emptySweepResult(model: SweepModelName, length: number): SweepResult {
  return {
    model,
    length,
    migrationTimeSeconds: new Float64Array(length),
    precopyTimeSeconds: new Float64Array(length),
    downtimeSeconds: new Float64Array(length),
    transferredBytes: new Float64Array(length),
    iterations: new Uint32Array(length),
    stopCode: new Uint8Array(length),
    stopReasons: [],
  };
}

/** The Xen model over a grid, straight from the axes (no input columns). */
export function runXenGrid(
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
  const {
    migrationTimeSeconds,
    precopyTimeSeconds,
    downtimeSeconds,
    transferredBytes,
    iterations,
    stopCode,
  } = result;
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
            precopyTimeSeconds[i] = out.precopyTimeSeconds;
            migrationTimeSeconds[i] = out.precopyTimeSeconds + downtime;
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
export function runXenColumns(
  inputs: SweepInputs,
  result: SweepResult,
  options: ResolvedXenOptions,
): void {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } = inputs;
  const {
    migrationTimeSeconds,
    precopyTimeSeconds,
    downtimeSeconds,
    transferredBytes,
    iterations,
    stopCode,
  } = result;
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
    precopyTimeSeconds[i] = out.precopyTimeSeconds;
    migrationTimeSeconds[i] = out.precopyTimeSeconds + downtime;
    downtimeSeconds[i] = downtime;
    transferredBytes[i] = out.transferredBytes;
    iterations[i] = out.iterations;
    stopCode[i] = out.stopCode;
  }
}

/** The KVM pre-copy model over input columns. */
export function runKvm(
  inputs: SweepInputs,
  result: SweepResult,
  options: ResolvedKvmOptions,
): void {
  const { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond, pageBytes } = inputs;
  result.stopReasons = KVM_STOP_REASONS;
  if (options.switchRule === "qemu") {
    runQemu(inputs, result, options);
    return;
  }
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
    result.migrationTimeSeconds[i] = out.migrationTimeSeconds;
    result.precopyTimeSeconds[i] = out.precopyTimeSeconds;
    result.downtimeSeconds[i] = options.switchoverSeconds + out.downtimeSeconds;
    result.transferredBytes[i] = out.transferredBytes;
    result.iterations[i] = out.iterations;
    result.stopCode[i] = KVM_STOP_REASONS.indexOf(out.stopReason);
  }
}

/**
 * The KVM pre-copy model's QEMU rule over input columns, with the first
 * window's outcome and, where it is "either", the other outcome.
 */
function runQemu(inputs: SweepInputs, result: SweepResult, options: ResolvedKvmOptions): void {
  const out = newQemuOutput();
  const other = newQemuOutput();
  const n = result.length;
  const firstWindow = new Uint8Array(n);
  const otherTime = new Float64Array(n).fill(NaN);
  const otherDowntime = new Float64Array(n).fill(NaN);
  const otherStop = new Uint8Array(n).fill(NO_OTHER_OUTCOME);
  // One input object, refilled per configuration (the tail's default depends on M).
  const input = qemuInput(1, 0, 0, 1, 4096, 0, options);
  for (let i = 0; i < n; i++) {
    const m = inputs.memoryBytes[i]!;
    input.memoryBytes = m;
    input.wssBytes = inputs.wssBytes[i]!;
    input.dirtyPagesPerSecond = inputs.dirtyPagesPerSecond[i]!;
    input.bandwidthBytesPerSecond = inputs.bandwidthBytesPerSecond[i]!;
    input.pageBytes = inputs.pageBytes[i]!;
    input.zeroBytes = inputs.zeroBytes[i]!;
    input.tailBytes = options.tailBytes ?? m * KVM_PRECOPY_DEFAULTS.tailFraction;
    qemuSwitch(input, out);
    result.precopyTimeSeconds[i] = out.precopyTimeSeconds;
    result.migrationTimeSeconds[i] = qemuMigrationSeconds(out);
    result.downtimeSeconds[i] = out.downtimeSeconds;
    result.transferredBytes[i] = out.transferredBytes;
    result.iterations[i] = out.rounds;
    result.stopCode[i] = QEMU_TO_KVM_CODE[out.stopCode]!;
    const code = firstWindowCode(input, out, options.socketBufferRangeBytes, other);
    firstWindow[i] = code;
    if (code === 2) {
      otherTime[i] = qemuMigrationSeconds(other);
      otherDowntime[i] = other.downtimeSeconds;
      otherStop[i] = QEMU_TO_KVM_CODE[other.stopCode]!;
    }
  }
  result.firstWindow = firstWindow;
  result.firstWindowOutcomes = FIRST_WINDOW_OUTCOMES;
  result.otherMigrationTimeSeconds = otherTime;
  result.otherDowntimeSeconds = otherDowntime;
  result.otherStopCode = otherStop;
}

/** `otherStopCode` where the first window has one outcome. */
const NO_OTHER_OUTCOME = 255;

/** The KVM post-copy model over input columns. */
export function runPostcopy(
  inputs: SweepInputs,
  result: SweepResult,
  options: ResolvedPostcopyOptions,
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
    result.migrationTimeSeconds[i] = bytes / b;
    result.precopyTimeSeconds[i] = options.precopyPasses === 0 ? 0 : memoryBytes[i]! / b;
    result.downtimeSeconds[i] = options.switchoverSeconds;
    result.iterations[i] = options.precopyPasses;
  }
}

/** QEMU's pre-copy under Xen's stop rules over input columns. */
export function runQemuXen(
  inputs: SweepInputs,
  result: SweepResult,
  options: ResolvedQemuXenOptions,
): void {
  result.stopReasons = QEMU_XEN_STOP_REASONS;
  const out = newQemuXenOutput();
  // One input object, refilled per configuration.
  const one = {
    ...options,
    memoryBytes: 1,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    bandwidthBytesPerSecond: 1,
    pageBytes: 4096,
    zeroBytes: 0,
  };
  for (let i = 0; i < result.length; i++) {
    one.memoryBytes = inputs.memoryBytes[i]!;
    one.wssBytes = inputs.wssBytes[i]!;
    one.dirtyPagesPerSecond = inputs.dirtyPagesPerSecond[i]!;
    one.bandwidthBytesPerSecond = inputs.bandwidthBytesPerSecond[i]!;
    one.pageBytes = inputs.pageBytes[i]!;
    one.zeroBytes = inputs.zeroBytes[i]!;
    qemuXenRounds(one, out);
    result.precopyTimeSeconds[i] = out.precopyTimeSeconds;
    result.migrationTimeSeconds[i] = out.precopyTimeSeconds + out.downtimeSeconds;
    result.downtimeSeconds[i] = out.downtimeSeconds;
    result.transferredBytes[i] = out.transferredBytes;
    result.iterations[i] = out.rounds;
    result.stopCode[i] = out.stopCode;
  }
}
