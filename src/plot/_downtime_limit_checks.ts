// Private: the input checks of figureDowntimeLimitSpec (the curves and the measured runs).
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { DowntimeLimitCurves, DowntimeLimitMeasurement } from "./_downtime_limit_data.ts";

/** Checks the shape of the curves the figure draws. */
export function checkCurves(where: string, curves: DowntimeLimitCurves): void {
  checkObject(where, "curves", curves);
  for (const field of ["workloads", "points", "switches"] as const) {
    if (!Array.isArray(curves[field])) {
      throw new TypeError(
        `${where}: invalid curves.${field}, expected an array (got ${showValue(curves[field])})`,
      );
    }
  }
  if (curves.firstWindow !== undefined && !Array.isArray(curves.firstWindow)) {
    throw new TypeError(
      `${where}: invalid curves.firstWindow, expected an array of points or no field (got ${
        showValue(curves.firstWindow)
      })`,
    );
  }
  const range = curves.limitRangeSeconds;
  if (!Array.isArray(range) || range.length !== 2) {
    throw new TypeError(
      `${where}: invalid curves.limitRangeSeconds, expected [low, high] seconds (got ${
        showValue(range)
      })`,
    );
  }
  checkNumber(where, "input", "curves.memoryBytes", curves.memoryBytes, "positive", "bytes");
  checkNumber(
    where,
    "input",
    "curves.bandwidthBytesPerSecond",
    curves.bandwidthBytesPerSecond,
    "positive",
    "bytes/s",
  );
  checkNumber(
    where,
    "input",
    "curves.timeoutSeconds",
    curves.timeoutSeconds,
    "positive",
    "seconds",
  );
}

/** Checks each measured run: a workload of the figure, a positive limit and time. */
export function checkMeasured(
  where: string,
  measured: readonly DowntimeLimitMeasurement[],
  labels: readonly string[],
): void {
  measured.forEach((m, i) => {
    checkObject(where, `measured[${i}]`, m);
    if (!labels.includes(m.workload)) {
      throw new RangeError(
        `${where}: invalid measured[${i}].workload, expected one of the workloads' labels (got ${
          showValue(m.workload)
        })`,
      );
    }
    checkNumber(
      where,
      "option",
      `measured[${i}].limitSeconds`,
      m.limitSeconds,
      "positive",
      "seconds",
    );
    checkNumber(
      where,
      "option",
      `measured[${i}].timeSeconds`,
      m.timeSeconds,
      "positive",
      "seconds",
    );
  });
}
