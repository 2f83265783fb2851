// The noise model (guestProgress) for one run at its fitted bandwidth, shared
// by predictRuns and fitNoise.
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { postcopyProgress } from "../models/postcopy_progress.ts";
import { isPrecopy, METHOD_MODELS } from "./_evaluate.ts";
import { baselineDirtyRate } from "./_quantity.ts";
import type { FittedNoise } from "./cost_types.ts";
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
  const noise = (fit as Partial<FittedNoise>).noise;
  if (noise === undefined || noise === null || typeof noise !== "object") {
    throw new TypeError(
      `${where}: invalid fit, expected "noise" (a fitNoise result) for quantity "guestProgressRatio" (got ${
        showValue(noise)
      })`,
    );
  }
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
