// The noise model (guestProgress) for one run at its fitted bandwidth, shared
// by predictRuns and fitNoise.
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import {
  COLOCATED_CONTENTIONS,
  type ColocatedContention,
  colocatedRatio,
} from "../models/colocated_progress.ts";
import { postcopyBlockedSeconds, postcopyProgress } from "../models/postcopy_progress.ts";
import { isPrecopy, METHOD_MODELS } from "./_evaluate.ts";
import { baselineDirtyRate } from "./_quantity.ts";
import type { FittedBlocktime, FittedColocated, FittedNoise } from "./cost_types.ts";
import type { FittedModel } from "./types.ts";

/**
 * The progress ratio of one run with the noise parameters given as numbers
 * (inputs checked): pre-copy 1/(1 + c·d), post-copy the fault model.
 *
 * @param run The run.
 * @param bandwidth Its bandwidth, bytes/s.
 * @param tracking Pre-copy: seconds per tracked write.
 * @param fault Post-copy: seconds per fault beyond the transfer.
 * @param slowdown Post-copy: the destination's slowdown fraction.
 */
export function runProgress(
  run: MigrationRun,
  bandwidth: number,
  tracking: number,
  fault: number,
  slowdown: number,
): number {
  const d = baselineDirtyRate(run);
  if (isPrecopy(run.method)) return d === 0 || run.wssBytes === 0 ? 1 : 1 / (1 + tracking * d);
  const passes = run.postcopySwitch === "after-first-pass" ? 1 : 0;
  return postcopyProgress(
    {
      memoryBytes: run.memoryBytes,
      wssBytes: run.wssBytes,
      dirtyPagesPerSecond: d,
      bandwidthBytesPerSecond: bandwidth,
      pageBytes: run.pageBytes,
    },
    { faultSeconds: fault, destinationSlowdown: slowdown, precopyPasses: passes },
  ).progressRatio;
}

/**
 * The progress ratio `predictRuns` gives one run under a noise fit.
 *
 * @param where The public function's name.
 * @param fit The fit, with `noise`.
 * @param run The run (inputs checked).
 * @param i Its index, for messages.
 * @param bandwidth Its bandwidth, bytes/s.
 */
export function predictProgress(
  where: string,
  fit: FittedModel,
  run: MigrationRun,
  i: number,
  bandwidth: number,
): number {
  const noise = fitPart(
    where,
    fit,
    "noise",
    "fitNoise",
    "guestProgressRatio",
  ) as FittedNoise["noise"];
  if (METHOD_MODELS[run.method] === undefined) {
    throw new RangeError(
      `${where}: unknown method ${showValue(run.method)} at run ${i}, expected one of ${
        Object.keys(METHOD_MODELS).map((m) => `"${m}"`).join(", ")
      }`,
    );
  }
  const missing = (what: string, key: string, known: object) =>
    new RangeError(
      `${where}: no ${what} for ${showValue(key)} at run ${i}, expected one of ${
        Object.keys(known).map((k) => `"${k}"`).join(", ")
      }`,
    );
  if (isPrecopy(run.method)) {
    const tracking = noise.trackingSeconds[run.method];
    if (tracking === undefined) throw missing("tracking cost", run.method, noise.trackingSeconds);
    return runProgress(run, bandwidth, tracking.value, 0, 0);
  }
  const slowdown = noise.destinationSlowdown[run.contention];
  if (noise.faultSeconds === null || slowdown === undefined) {
    throw missing("post-copy fault parameters", run.contention, noise.destinationSlowdown);
  }
  return runProgress(run, bandwidth, 0, noise.faultSeconds.value, slowdown.value);
}

/**
 * The co-located load's progress ratio `predictRuns` gives one run under a
 * `fitColocated` fit, at the migration time and bytes the bandwidth model
 * predicts for it.
 *
 * @param where The public function's name.
 * @param fit The fit, with `colocated`.
 * @param run The run (inputs checked).
 * @param i Its index, for messages.
 * @param seconds Its predicted migration time, seconds.
 * @param bytes Its predicted bytes.
 */
export function predictColocated(
  where: string,
  fit: FittedModel,
  run: MigrationRun,
  i: number,
  seconds: number,
  bytes: number,
): number {
  const params = fitPart(
    where,
    fit,
    "colocated",
    "fitColocated",
    "colocatedProgressRatio",
  ) as FittedColocated["colocated"];
  const contention = run.contention as ColocatedContention;
  if (!COLOCATED_CONTENTIONS.includes(contention)) {
    throw new RangeError(
      `${where}: no co-located load model for contention ${
        showValue(run.contention)
      } at run ${i}, expected one of ${COLOCATED_CONTENTIONS.map((c) => `"${c}"`).join(", ")}`,
    );
  }
  if (contention === "memory") return 1;
  if (contention === "network") {
    if (params.linkBytesPerSecond === null) {
      throw new RangeError(`${where}: no link rate for contention "network" at run ${i}`);
    }
    return colocatedRatio(contention, seconds, bytes, 0, 1, params.linkBytesPerSecond.value);
  }
  const cpu = params.migrationCpu[run.method];
  if (params.cpuLossPerCpuSecond === null || cpu === undefined) {
    throw new RangeError(
      `${where}: no CPU loss or migration CPU model for ${
        showValue(run.method)
      } at run ${i}, expected one of ${
        Object.keys(params.migrationCpu).map((m) => `"${m}"`).join(", ")
      }`,
    );
  }
  const cpuSeconds = cpu.cpuSecondsPerByte * bytes + cpu.cpuSecondsPerSecond * seconds;
  return colocatedRatio(
    contention,
    seconds,
    bytes,
    cpuSeconds,
    params.cpuLossPerCpuSecond.value,
    1,
  );
}

/**
 * The post-copy blocktime of one run with the parameters as numbers (inputs
 * checked), seconds.
 *
 * @param run The run (post-copy).
 * @param bandwidth Its bandwidth, bytes/s.
 * @param fault Seconds per working-set fault beyond the transfer.
 * @param background Bytes queued ahead of the background faults, in all.
 */
export function runBlocktime(
  run: MigrationRun,
  bandwidth: number,
  fault: number,
  background: number,
): number {
  const passes = run.postcopySwitch === "after-first-pass" ? 1 : 0;
  return postcopyBlockedSeconds({
    memoryBytes: run.memoryBytes,
    wssBytes: run.wssBytes,
    dirtyPagesPerSecond: baselineDirtyRate(run),
    bandwidthBytesPerSecond: bandwidth,
    pageBytes: run.pageBytes,
  }, { faultSeconds: fault, backgroundFaultBytes: background, precopyPasses: passes });
}

/**
 * The blocktime `predictRuns` gives one run under a `fitBlocktime` fit, seconds.
 *
 * @param where The public function's name.
 * @param fit The fit, with `blocktime`.
 * @param run The run (inputs checked).
 * @param i Its index, for messages.
 * @param bandwidth Its bandwidth, bytes/s.
 */
export function predictBlocktime(
  where: string,
  fit: FittedModel,
  run: MigrationRun,
  i: number,
  bandwidth: number,
): number {
  const params = fitPart(
    where,
    fit,
    "blocktime",
    "fitBlocktime",
    "postcopyBlocktimeSeconds",
  ) as FittedBlocktime["blocktime"];
  if (METHOD_MODELS[run.method] !== "kvm-postcopy") {
    throw new RangeError(
      `${where}: no blocktime for method ${
        showValue(run.method)
      } at run ${i}, expected a post-copy method`,
    );
  }
  return runBlocktime(run, bandwidth, params.faultSeconds.value, params.backgroundFaultBytes.value);
}

/** The part of a fit a quantity needs (`noise`, `colocated`, `blocktime`), or a TypeError naming the fit to give. */
function fitPart(
  where: string,
  fit: FittedModel,
  key: string,
  fitter: string,
  quantity: string,
): unknown {
  const part = (fit as unknown as Record<string, unknown>)[key];
  if (part === undefined || part === null || typeof part !== "object") {
    throw new TypeError(
      `${where}: invalid fit, expected "${key}" (a ${fitter} result) for quantity "${quantity}" (got ${
        showValue(part)
      })`,
    );
  }
  return part;
}
