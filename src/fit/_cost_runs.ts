// What the downtime and noise fits share: the runs with a measured value of
// the quantity, option checks, and the residuals and metrics they report.
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import {
  type Measured,
  measuredProgress,
  measuredQuantity,
  MIN_MEASURED_PROGRESS_RUNS,
  type ProgressSource,
  type RunQuantity,
  withoutMeasuredProgress,
} from "./_quantity.ts";
import { checkRuns, resolveMethodOption, selectRuns } from "./_runs.ts";
import type { CostFitReport } from "./cost_types.ts";
import { DEFAULT_RESAMPLES, DEFAULT_SEED, intervalInfo } from "./defaults.ts";
import { predictRuns } from "./predict_runs.ts";
import { errorMetrics } from "./error_metrics.ts";
import type { ErrorMetrics, ExcludedRuns, FittedModel, RunResidual } from "./types.ts";

/** The completed runs of the selected methods that measured the quantity. */
export interface MeasuredRuns {
  /** The checked runs. */
  runs: MigrationRun[];
  /** Indices of the runs used. */
  indices: number[];
  /** Their measured values, in the quantity's unit. */
  measured: number[];
  /** Where each value came from (see {@linkcode Measured}). */
  sources: string[];
  /** Runs left out: not completed, or no measured value. */
  excluded: ExcludedRuns;
}

/**
 * Keeps the completed runs of `methods` that measured `quantity`, recording
 * every other run of those methods as excluded with its reason.
 *
 * @param where The public function's name.
 * @param runs The runs (checked here).
 * @param methods The methods, or null for all.
 * @param quantity The quantity.
 * @param minimum Fewest runs per method the caller needs.
 * @param progressSource For the guest progress ratio: which values to use
 * (see {@linkcode ProgressSource}); `"proxy"` returns the runs without their
 * measured ratio.
 */
export function measuredRuns(
  where: string,
  runs: readonly MigrationRun[],
  methods: readonly string[] | null,
  quantity: RunQuantity,
  minimum: number,
  progressSource: ProgressSource = "auto",
): MeasuredRuns {
  const progress = quantity === "guestProgressRatio";
  const given = checkRuns(where, runs);
  const checked = progress && progressSource === "proxy"
    ? given.map(withoutMeasuredProgress)
    : given;
  const selected = selectRuns(where, checked, methods);
  const measuredOnly = progress
    ? measuredOnlyMethods(checked, selected.indices, progressSource)
    : new Set<string>();
  const excluded: ExcludedRuns = {
    count: selected.excluded.count,
    byReason: { ...selected.excluded.byReason },
    runs: [...selected.excluded.runs],
  };
  const indices: number[] = [];
  const measured: number[] = [];
  const sources: string[] = [];
  for (const i of selected.indices) {
    const run = checked[i]!;
    const value: Measured = measuredOnly.has(run.method)
      ? measuredProgress(run, "measured")
      : measuredQuantity(quantity, run);
    if ("reason" in value) {
      excluded.count += 1;
      excluded.byReason[value.reason] = (excluded.byReason[value.reason] ?? 0) + 1;
      excluded.runs.push({ index: i, reason: value.reason });
      continue;
    }
    indices.push(i);
    measured.push(value.value);
    sources.push(value.source);
  }
  excluded.runs.sort((a, b) => a.index - b.index);
  const counts = new Map<string, number>();
  for (const i of indices) {
    counts.set(checked[i]!.method, (counts.get(checked[i]!.method) ?? 0) + 1);
  }
  const methodsSeen = new Set(selected.indices.map((i) => checked[i]!.method));
  for (const m of [...methodsSeen].sort()) {
    const count = counts.get(m) ?? 0;
    if (count < minimum) {
      throw new RangeError(
        `${where}: method "${m}" has too few completed runs with a measured "${quantity}", expected at least ${minimum} (got ${count})`,
      );
    }
  }
  return { runs: checked, indices, measured, sources, excluded };
}

/**
 * The methods whose guest progress is fitted on the measured ratio alone:
 * all with `"measured"`, none with `"proxy"`, and with `"auto"` those with at
 * least `MIN_MEASURED_PROGRESS_RUNS` runs that measured it.
 */
function measuredOnlyMethods(
  runs: readonly MigrationRun[],
  indices: readonly number[],
  source: ProgressSource,
): Set<string> {
  if (source === "proxy") return new Set();
  const counts = new Map<string, number>();
  for (const i of indices) {
    const run = runs[i]!;
    const add = "value" in measuredProgress(run, "measured") ? 1 : 0;
    counts.set(run.method, (counts.get(run.method) ?? 0) + add);
  }
  return new Set(
    [...counts].filter(([, n]) => source === "measured" || n >= MIN_MEASURED_PROGRESS_RUNS)
      .map(([m]) => m),
  );
}

/** Resolved options every cost fit shares. */
export interface CostOptions {
  fit: FittedModel;
  method: string[] | null;
  resamples: number;
  seed: number;
}

/**
 * Checks the options every cost fit shares: the bandwidth fit, the methods,
 * the bootstrap's resamples and seed.
 *
 * @param where The public function's name.
 * @param options The options.
 */
export function resolveCostOptions(where: string, options: unknown): CostOptions {
  const record = checkObject(where, "options", options);
  const { fit, method, resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED } = record;
  if (fit === undefined || fit === null || typeof fit !== "object") {
    throw new TypeError(
      `${where}: invalid option "fit", expected a bandwidth fit (fitContention's result) (got ${
        showValue(fit)
      })`,
    );
  }
  const methods = resolveMethodOption(where, method);
  checkNumber(where, "option", "resamples", resamples, "integer>=0");
  checkNumber(where, "option", "seed", seed, "integer>=0");
  return {
    fit: fit as FittedModel,
    method: methods,
    resamples: resamples as number,
    seed: seed as number,
  };
}

/** The positions of each method's runs, in order of first appearance. */
export function methodStrata(
  runs: readonly MigrationRun[],
  indices: readonly number[],
): Map<string, number[]> {
  const strata = new Map<string, number[]>();
  indices.forEach((i, p) => {
    const method = runs[i]!.method;
    const members = strata.get(method) ?? [];
    members.push(p);
    strata.set(method, members);
  });
  return strata;
}

/**
 * What every cost fit reports besides its parameters: the model's estimate
 * of each run used (`predictRuns`), their residuals and metrics, the
 * interval's description, the runs left out and the count.
 *
 * @param data The runs with a measured value (`measuredRuns`).
 * @param model The fitted model (the fit's parameters).
 * @param quantity The quantity fitted.
 * @param resolved The resolved options (resamples and seed).
 * @param converged Whether the fit's searches settled.
 */
export function costReport(
  data: MeasuredRuns,
  model: Parameters<typeof predictRuns>[1],
  quantity: RunQuantity,
  resolved: { resamples: number; seed: number },
  converged: boolean,
): CostFitReport {
  const estimated = predictRuns(data.indices.map((i) => data.runs[i]!), model, { quantity });
  return {
    quantity,
    interval: intervalInfo(resolved.resamples, resolved.seed),
    converged,
    ...costResiduals(data.runs, data.indices, data.measured, estimated),
    excluded: data.excluded,
    runsUsed: data.indices.length,
  };
}

/**
 * Residuals and metrics (overall, per method, per contention group) of the
 * runs used, in the quantity's unit.
 *
 * @param runs The checked runs.
 * @param indices The runs used.
 * @param measured Their measured values.
 * @param estimated Their estimates.
 */
export function costResiduals(
  runs: readonly MigrationRun[],
  indices: readonly number[],
  measured: readonly number[],
  estimated: readonly number[],
): Pick<CostFitReport, "residuals" | "metrics" | "metricsByMethod" | "metricsByGroup"> {
  const residuals: RunResidual[] = indices.map((i, p) => {
    const m = measured[p]!;
    const e = estimated[p]!;
    return {
      index: i,
      method: runs[i]!.method,
      group: runs[i]!.contention,
      measuredSeconds: m,
      estimatedSeconds: e,
      residualSeconds: m - e,
      residualPercent: (100 * (m - e)) / m,
    };
  });
  const by = (key: "method" | "group") => {
    const out: Record<string, ErrorMetrics> = {};
    for (const name of [...new Set(residuals.map((r) => r[key]))].sort()) {
      const rows = residuals.filter((r) => r[key] === name);
      out[name] = errorMetrics(
        rows.map((r) => r.measuredSeconds),
        rows.map((r) => r.estimatedSeconds),
      );
    }
    return out;
  };
  return {
    residuals,
    metrics: errorMetrics(measured, estimated),
    metricsByMethod: by("method"),
    metricsByGroup: by("group"),
  };
}
