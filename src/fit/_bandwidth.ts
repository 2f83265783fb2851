// The bandwidth a fitted model gives one run, shared by predictRuns.
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import type { FittedModel } from "./types.ts";

/**
 * The bandwidth a fitted model gives one run, bytes/s.
 *
 * @param where The public function's name.
 * @param fit The model.
 * @param run The run.
 * @param i Its index, for messages.
 */
export function runBandwidth(
  where: string,
  fit: FittedModel,
  run: MigrationRun,
  i: number,
): number {
  let level: number;
  const perMethod = fit.scale === "efficiency" ? fit.efficiencyByMethod : fit.bandwidthByMethod;
  if (perMethod !== null && perMethod !== undefined) {
    const estimate = perMethod[run.method];
    if (estimate === undefined) {
      throw new RangeError(
        `${where}: no bandwidth for method ${showValue(run.method)} at run ${i}, expected one of ${
          Object.keys(perMethod).map((m) => `"${m}"`).join(", ")
        }`,
      );
    }
    level = estimate.value;
  } else if (fit.scale === "efficiency") {
    if (fit.efficiency === null) {
      throw new TypeError(
        `${where}: invalid fit, expected "efficiency" on the efficiency scale (got null)`,
      );
    }
    level = fit.efficiency.value;
  } else {
    if (typeof fit.bandwidthBytesPerSecond !== "number") {
      throw new TypeError(
        `${where}: invalid fit, expected "bandwidthBytesPerSecond" to be a number (got ${
          showValue(fit.bandwidthBytesPerSecond)
        })`,
      );
    }
    level = fit.bandwidthBytesPerSecond;
  }
  if (fit.scale === "efficiency") {
    if (run.linkBandwidthBytesPerSecond === undefined) {
      throw new RangeError(
        `${where}: missing input "linkBandwidthBytesPerSecond" at run ${i}, expected the link bandwidth the efficiency scale needs (got undefined)`,
      );
    }
    level *= run.linkBandwidthBytesPerSecond;
  }
  let factor = 1;
  if (fit.groupBy === "contention") {
    const estimate = fit.factors[run.contention];
    if (estimate === undefined) {
      throw new RangeError(
        `${where}: no factor for contention ${
          showValue(run.contention)
        } at run ${i}, expected one of ${Object.keys(fit.factors).map((g) => `"${g}"`).join(", ")}`,
      );
    }
    factor = estimate.value;
  }
  let extra = 1;
  if (fit.extraTerm?.kept && run.method === "kvm-postcopy") {
    extra = 1 + fit.extraTerm.value * (run.wssBytes / run.memoryBytes);
  }
  const bandwidth = level * factor * extra;
  if (!Number.isFinite(bandwidth) || bandwidth <= 0) {
    throw new RangeError(
      `${where}: invalid fit, expected a bandwidth > 0 bytes/s for run ${i} (got ${bandwidth})`,
    );
  }
  return bandwidth;
}
