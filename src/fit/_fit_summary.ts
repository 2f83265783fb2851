// What a fit reports: the fitted model with intervals (from the point
// estimate and the bootstrap), and the residuals and error metrics of the
// runs it used.
import { percentileEstimate } from "./_bootstrap.ts";
import type { Loss } from "./_coordinate_search.ts";
import type { FitData } from "./_fit_data.ts";
import type { FitQuantities } from "./_fit_params.ts";
import { errorMetrics } from "./error_metrics.ts";
import { predictRuns } from "./predict_runs.ts";
import type {
  ErrorMetrics,
  Estimate,
  FitResult,
  FittedModel,
  ResolvedFitOptions,
  RunResidual,
} from "./types.ts";

/** The fitted model and the bandwidth in bytes/s where it is one number. */
export interface ModelSummary {
  /** What predictRuns needs. */
  model: FittedModel;
  /** Baseline B with its interval, bytes/s (null per method, or over several links). */
  bandwidth: Estimate | null;
  /** The distinct link bandwidths on the efficiency scale, bytes/s (empty on the absolute scale). */
  linkBandwidthsBytesPerSecond: number[];
}

/**
 * The fitted model: every quantity at the point estimate with its bootstrap
 * interval, levels as B (absolute scale) or efficiency, and B in bytes/s on
 * the efficiency scale when all runs share one link.
 *
 * @param data The runs' scale and links (a FitData, or the columnar fit's).
 * @param quantities The quantities as functions of theta.
 * @param point The point estimate's parameters.
 * @param samples The bootstrap's parameters.
 * @param options Resolved options (`extraTerm` here means: fitted with the term).
 */
export function summarizeModel(
  data: Pick<FitData, "scale" | "link">,
  quantities: FitQuantities,
  point: Float64Array,
  samples: readonly Float64Array[],
  options: ResolvedFitOptions,
): ModelSummary {
  const estimate = (quantity: (theta: Float64Array) => number) =>
    percentileEstimate(point, samples, quantity);
  const baselineLevel = quantities.baseline === null ? null : estimate(quantities.baseline);
  const byMethod = quantities.byMethod === null ? null : Object.fromEntries(
    Object.entries(quantities.byMethod).map(([m, quantity]) => [m, estimate(quantity)]),
  );
  const factors: Record<string, Estimate> = {};
  for (const [g, quantity] of Object.entries(quantities.factors)) {
    factors[g] = quantity === null ? { value: 1, low: 1, high: 1 } : estimate(quantity);
  }
  const extra = quantities.extra === null ? null : estimate(quantities.extra);
  const { scale } = data;
  const links = [...new Set(data.link)].sort((a, b) => a - b);
  const oneLink = scale === "efficiency" && links.length === 1 ? links[0]! : null;
  const times = (e: Estimate, k: number): Estimate => ({
    value: e.value * k,
    low: e.low * k,
    high: e.high * k,
  });
  let bandwidth: Estimate | null = null;
  let bandwidthByMethod: Record<string, Estimate> | null = null;
  if (scale === "absolute") {
    bandwidth = baselineLevel;
    bandwidthByMethod = byMethod;
  } else if (oneLink !== null) {
    bandwidth = baselineLevel === null ? null : times(baselineLevel, oneLink);
    if (byMethod !== null) {
      bandwidthByMethod = Object.fromEntries(
        Object.entries(byMethod).map(([m, e]) => [m, times(e, oneLink)]),
      );
    }
  }
  const model: FittedModel = {
    scale,
    groupBy: options.groupBy,
    bandwidthBytesPerSecond: bandwidth === null ? null : bandwidth.value,
    bandwidthByMethod,
    efficiency: scale === "absolute" ? null : baselineLevel,
    efficiencyByMethod: scale === "absolute" ? null : byMethod,
    factors,
    extraTerm: extra === null ? null : {
      name: options.extraTerm!,
      value: extra.value,
      low: extra.low,
      high: extra.high,
      kept: true,
      cvErrorWith: NaN,
      cvErrorWithout: NaN,
    },
    modelOptions: options.modelOptions,
  };
  return {
    model,
    bandwidth,
    linkBandwidthsBytesPerSecond: scale === "efficiency" ? links : [],
  };
}

/** The in-sample part of a fit result. */
export type ResidualSummary = Pick<
  FitResult,
  "residuals" | "metrics" | "metricsByGroup" | "objectiveValue"
>;

/**
 * Residuals of every run used, through the public prediction (so that a
 * fit and predictRuns agree), their metrics overall and per group, and the
 * objective at the estimate.
 *
 * @param data The runs.
 * @param model The fitted model.
 * @param loss The loss of one run.
 */
export function summarizeResiduals(
  data: FitData,
  model: FittedModel,
  loss: Loss,
): ResidualSummary {
  const { selected, measured, groups, indices } = data;
  const estimated = predictRuns(selected, model);
  const residuals: RunResidual[] = selected.map((run, p) => {
    const m = measured[p]!;
    const e = estimated[p]!;
    return {
      index: indices[p]!,
      method: run.method,
      group: groups[p]!,
      measuredSeconds: m,
      estimatedSeconds: e,
      residualSeconds: m - e,
      residualPercent: (100 * (m - e)) / m,
    };
  });
  const metricsByGroup: Record<string, ErrorMetrics> = {};
  for (const g of data.groupNames) {
    const members = residuals.filter((r) => r.group === g);
    metricsByGroup[g] = errorMetrics(
      members.map((r) => r.measuredSeconds),
      members.map((r) => r.estimatedSeconds),
    );
  }
  let objectiveValue = 0;
  for (let p = 0; p < selected.length; p++) objectiveValue += loss(measured[p]!, estimated[p]!);
  return { residuals, metrics: errorMetrics(measured, estimated), metricsByGroup, objectiveValue };
}
