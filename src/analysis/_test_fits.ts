// Private, for tests: hand-made bandwidth fits (SYNTHETIC, not fitted to any data).
import type { FitResult } from "../fit/types.ts";

/**
 * A hand-made fit: B in bytes/s and a factor per contention (none when `factors` is null:
 * one group, factor 1), no intervals. Only B, the factors and the grouping are read.
 */
export function handFit(
  bandwidthBytesPerSecond: number,
  factors: Record<string, number> | null,
): FitResult {
  const metrics = {
    count: 0,
    rmseSeconds: 0,
    maeSeconds: 0,
    mapePercent: 0,
    maxErrorSeconds: 0,
    rSquared: 1,
    biasSeconds: 0,
  };
  const estimate = (value: number) => ({ value, low: Number.NaN, high: Number.NaN });
  return {
    scale: "absolute",
    groupBy: factors === null ? null : "contention",
    bandwidthBytesPerSecond,
    bandwidthByMethod: null,
    efficiency: null,
    efficiencyByMethod: null,
    factors: Object.fromEntries(Object.entries(factors ?? {}).map(([k, v]) => [k, estimate(v)])),
    extraTerm: null,
    modelOptions: {},
    bandwidth: estimate(bandwidthBytesPerSecond),
    linkBandwidthsBytesPerSecond: [],
    interval: { method: "none" },
    converged: true,
    iterations: 0,
    objectiveValue: 0,
    residuals: [],
    metrics,
    metricsByGroup: {},
    excluded: { count: 0, byReason: {}, runs: [] },
    runsUsed: 0,
    runsOfOtherMethods: 0,
    options: {
      method: null,
      groupBy: factors === null ? null : "contention",
      baseline: "none",
      objective: "log",
      scale: "absolute",
      bandwidthPer: "all",
      extraTerm: null,
      extraTermFolds: 5,
      resamples: 0,
      seed: 1,
      maxIterations: 30,
      tolerance: 1e-9,
      modelOptions: {},
    },
  };
}
