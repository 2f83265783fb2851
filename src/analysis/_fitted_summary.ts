// Private: a fit as the figures' captions and the report state it.
import type { FitResult } from "../fit/types.ts";
import { methodLabel } from "../data/schema.ts";
import type { FittedSummary } from "../plot/figure_estimated_vs_measured_spec.ts";

/** The caption's summary of a fit: B (absolute, or efficiency × one link) and factors. */
export function fittedSummary(method: string, fit: FitResult): FittedSummary[] {
  const label = method ? methodLabel(method) : "fit";
  if (fit.bandwidth) {
    return [{
      label,
      bandwidthBytesPerSecond: fit.bandwidth.value,
      bandwidthIntervalBytesPerSecond: [fit.bandwidth.low, fit.bandwidth.high],
      factors: fit.factors,
    }];
  }
  if (fit.efficiency && fit.linkBandwidthsBytesPerSecond.length === 1) {
    const link = fit.linkBandwidthsBytesPerSecond[0]!;
    return [{
      label: `${label} (efficiency ${fit.efficiency.value.toFixed(3)} of the link)`,
      bandwidthBytesPerSecond: fit.efficiency.value * link,
      bandwidthIntervalBytesPerSecond: [fit.efficiency.low * link, fit.efficiency.high * link],
      factors: fit.factors,
    }];
  }
  return [];
}

/** How the fit's intervals were computed, in words. */
export function intervalText(fit: FitResult): string {
  return fit.interval.method === "bootstrap"
    ? `percentile bootstrap over runs within each group, ${fit.interval.resamples} resamples, seed ${fit.interval.seed}`
    : "none computed";
}
