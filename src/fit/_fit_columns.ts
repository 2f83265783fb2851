// The fit of many runs on columns (loadRunColumns), for `deno task fit`: the
// same numbers as fitContention / fitBandwidth (and crossValidate) on the runs
// as objects, without an object per run.
//
// It applies to KVM post-copy runs switching at once (T = M/B) and Xen
// pre-copy runs (`xen-precopy`, below 64 rounds), the log objective, one B
// for all methods, no extra term. Where a fit holds post-copy runs only, ln B
// of a group is the mean of ln(M / (T × link)) over its runs, a bootstrap
// resample is one pass of count-weighted sums per group (draws with the same
// mulberry32 numbers, in the same order, as bootstrapSamples, inlined), and a
// fold's fit is a mean over its training runs. With Xen runs, each group is
// searched as the object path searches it (_fit_mixed_columns.ts,
// _columns_search.ts). The sums run in the same order as the object path's,
// so the numbers agree bit for bit. Anything else (another method, option or
// a check the fit would fail) returns null: the caller fits the objects,
// which gives the same result or the error.
import { showValue } from "../_validate.ts";
import type { RunColumns } from "../data/load_run_columns.ts";
import {
  columnCrossValidation,
  type ColumnSelection,
  estimatesOf,
  metricsPerGroup,
  modelLevels,
} from "./_cv_columns.ts";
import { type FitProgress, resolveFitOptions } from "./_fit_public.ts";
import { LEVEL_HALF_WIDTH, medianOf } from "./_fit_params.ts";
import type { FitQuantities } from "./_fit_params.ts";
import { summarizeModel } from "./_fit_summary.ts";
import {
  drawCounts,
  mixedBootstrap,
  mixedFoldTheta,
  mixedGroups,
  mixedPoint,
} from "./_fit_mixed_columns.ts";
import { XEN_DIRECT_MAX_ITERATIONS } from "./_evaluate.ts";
import type { ResolvedXenOptions } from "../models/xen_precopy.ts";
import type { CrossValidateOptions, QuantityCrossValidation } from "./cross_validate.ts";
import { intervalInfo } from "./defaults.ts";
import { errorMetrics } from "./error_metrics.ts";
import type { ExcludedRuns, FitResult, FittedModel, RunResidual } from "./types.ts";

/** What the command line asks of {@linkcode fitRunColumns}. */
export interface ColumnFitRequest {
  /** A factor per contention group, or one B. */
  groupBy: "contention" | null;
  /** Folds of the cross-validation, 0 for none. */
  folds: number;
  /** Build each run's residual (the `--json` output); else `residuals` is empty. */
  residuals: boolean;
}

/** The fit and its cross-validation (null without folds). */
export interface ColumnFit {
  fit: FitResult;
  /** As crossValidate's, without the per-run `predictions` (empty). */
  cv: QuantityCrossValidation | null;
}

/**
 * Fits B and the factors on columns, with the bootstrap and the
 * cross-validation, as fitContention (or fitBandwidth) and crossValidate
 * do on the same runs as objects; null where the columnar fit does not apply.
 *
 * @param columns The runs.
 * @param options The fit's options (as for fitContention, plus `folds`).
 * @param request Grouping, folds, residuals.
 */
export function fitRunColumns(
  columns: RunColumns,
  options: CrossValidateOptions,
  request: ColumnFitRequest,
): ColumnFit | null {
  const grouped = request.groupBy !== null;
  const where = grouped ? "fitContention" : "fitBandwidth";
  const { folds: _folds, groupBy: _groupBy, quantity: _quantity, ...fitOptions } = options;
  const resolved = resolveFitOptions(where, fitOptions, grouped);
  if (
    resolved.objective !== "log" || resolved.bandwidthPer !== "all" ||
    resolved.extraTerm !== null || resolved.method !== null ||
    resolved.modelOptions.kvmPostcopy?.precopyPasses !== 0
  ) return null;
  const xenOptions = resolved.modelOptions.xenPrecopy as ResolvedXenOptions;
  const selection = selectColumns(
    columns,
    resolved.scale,
    request.groupBy,
    resolved.baseline,
    xenOptions,
  );
  if (selection === null) return null;
  // Xen runs: through xenRounds, as the object path's direct path (below 64 rounds) evaluates them.
  if (selection.xenRuns !== null && !(xenOptions.maxIterations < XEN_DIRECT_MAX_ITERATIONS)) {
    return null;
  }
  const mixed = selection.xenRuns === null
    ? null
    : mixedGroups(columns, selection, selection.xenRuns, xenOptions);
  const tolerance = resolved.tolerance;
  let cv: QuantityCrossValidation | null = null;
  if (request.folds > 0) {
    const cvOptions = grouped
      ? resolveFitOptions("crossValidate", { ...fitOptions, groupBy: "contention" }, true)
      : resolveFitOptions("crossValidate", fitOptions, false);
    const core = columnCrossValidation(
      columns,
      selection,
      request.folds,
      resolved.seed,
      (p) => options.onProgress?.(p),
      mixed === null
        ? null
        : (foldOf, f) => mixedFoldTheta(columns, selection, mixed, tolerance, foldOf, f),
    );
    if (core === null) return null;
    cv = {
      folds: request.folds,
      seed: resolved.seed,
      quantity: "migrationTimeSeconds",
      ...core,
      excluded: selection.excluded,
      options: cvOptions,
    };
  }
  const point = mixed === null
    ? pointTheta(columns, selection)
    : mixedPoint(columns, selection, mixed, tolerance);
  const samples = mixed === null
    ? bootstrapThetas(selection, resolved.resamples, resolved.seed, options.onProgress)
    : mixedBootstrap(selection, mixed, point.theta, resolved, options.onProgress);
  const { model, bandwidth, linkBandwidthsBytesPerSecond } = summarizeModel(
    { scale: selection.scale, link: selection.link },
    groupQuantities(selection),
    point.theta,
    samples,
    resolved,
  );
  const fit: FitResult = {
    ...model,
    bandwidth,
    linkBandwidthsBytesPerSecond,
    interval: intervalInfo(resolved.resamples, resolved.seed),
    converged: point.converged,
    iterations: 1,
    ...inSample(columns, selection, model, request.residuals),
    excluded: selection.excluded,
    runsUsed: selection.positions.length,
    runsOfOtherMethods: 0,
    options: resolved,
  };
  return { fit, cv };
}

/**
 * The completed runs, their groups and the closed form's constants; null
 * where the columnar fit does not apply or the fit would refuse the runs.
 */
function selectColumns(
  columns: RunColumns,
  scale: "auto" | "absolute" | "efficiency",
  groupBy: "contention" | null,
  baseline: string,
  xenOptions: ResolvedXenOptions,
): ColumnSelection | null {
  const { method, status, contention, migrationTimeSeconds: time } = columns;
  const linkColumn = columns.linkBandwidthBytesPerSecond;
  const excluded: ExcludedRuns = { count: 0, byReason: {}, runs: [] };
  const reasons = status.labels.map((label) => `status ${showValue(label)}`);
  const completed = status.labels.indexOf("completed");
  const postcopy = method.labels.indexOf("kvm-postcopy");
  const xen = method.labels.indexOf("xen-precopy");
  const used: number[] = [];
  let missingLinks = 0;
  let xenCount = 0;
  for (let i = 0; i < columns.length; i++) {
    const code = status.codes[i]!;
    if (code !== completed) {
      const reason = reasons[code]!;
      excluded.count += 1;
      excluded.byReason[reason] = (excluded.byReason[reason] ?? 0) + 1;
      excluded.runs.push({ index: i, reason });
      continue;
    }
    const t = time[i]!;
    const kind = method.codes[i]!;
    if (!(t > 0 && t < Infinity)) return null;
    if (kind === xen && xen >= 0) {
      // The inputs the object path checks (checkRunInputs); a bad one goes there for its message.
      if (!xenInputsValid(columns, i)) return null;
      xenCount++;
    } else if (kind !== postcopy) return null;
    if (Number.isNaN(linkColumn[i]!)) missingLinks++;
    used.push(i);
  }
  // The scale of "auto" from the links: efficiency when every run has one, absolute when none
  // has; some missing is left to the object path (it decides per training set, or refuses).
  const someMissing = missingLinks > 0 && missingLinks < used.length;
  if (used.length === 0 || (someMissing && scale !== "absolute")) return null;
  if (missingLinks > 0 && scale === "efficiency") return null;
  const absolute = scale === "absolute" || missingLinks > 0;
  const n = used.length;
  const positions = Int32Array.from(used);
  const link = new Float64Array(n);
  const constant = new Float64Array(n);
  const groupCodes = new Int32Array(n);
  const names = groupBy === null ? ["all"] : contention.labels;
  const present = new Uint8Array(names.length);
  for (let p = 0; p < n; p++) {
    const i = positions[p]!;
    link[p] = absolute ? 1 : linkColumn[i]!;
    // As the object path's quadratic constant: ln T - ln M + ln link.
    constant[p] = Math.log(time[i]!) - Math.log(columns.memoryBytes[i]!) + Math.log(link[p]!);
    const code = groupBy === null ? 0 : contention.codes[i]!;
    groupCodes[p] = code;
    present[code] = 1;
  }
  const groupNames = names.filter((_, code) => present[code] === 1).sort();
  // Per label code: the index of its group in groupNames (the parameter's index).
  const paramOf = Int32Array.from(names, (name) => groupNames.indexOf(name));
  const group = Int32Array.from(groupCodes, (code) => paramOf[code]!);
  const sizes = new Int32Array(groupNames.length);
  for (let p = 0; p < n; p++) sizes[group[p]!]! += 1;
  if (groupBy !== null && !groupNames.includes(baseline)) return null;
  if (sizes.some((size) => size < 2)) return null;
  const xenRuns = xenCount === 0
    ? null
    : Uint8Array.from(positions, (i) => method.codes[i] === xen ? 1 : 0);
  return {
    positions,
    group,
    groupNames,
    xenRuns,
    xenOptions,
    groupBy,
    baseline: groupBy === null ? "all" : baseline,
    scale: absolute ? "absolute" : "efficiency",
    link,
    constant,
    excluded,
  };
}

/** Whether a Xen run's inputs pass checkRunInputs: M > 0, 0 <= W <= M, d >= 0, page >= 1. */
function xenInputsValid(columns: RunColumns, i: number): boolean {
  const m = columns.memoryBytes[i]!;
  const w = columns.wssBytes[i]!;
  const d = columns.dirtyPagesPerSecond[i]!;
  const page = columns.pageBytes[i]!;
  return m > 0 && m < Infinity && w >= 0 && w <= m && d >= 0 && d < Infinity &&
    Number.isInteger(page) && page >= 1;
}

/** The point estimate: per group minus the mean of the constants, and whether it is in range. */
function pointTheta(
  columns: RunColumns,
  selection: ColumnSelection,
): { theta: Float64Array; converged: boolean } {
  const { group, constant, groupNames, positions, link } = selection;
  const k = groupNames.length;
  const total = new Float64Array(k);
  const weighted = new Float64Array(k);
  for (let p = 0; p < group.length; p++) {
    total[group[p]!]! += 1;
    weighted[group[p]!]! += constant[p]!;
  }
  const theta = new Float64Array(k);
  let converged = true;
  for (let g = 0; g < k; g++) {
    theta[g] = -(weighted[g]! / total[g]!);
    // The first search's range: a factor of 50 either side of the median crude level.
    const crude = new Float64Array(total[g]!);
    let j = 0;
    for (let p = 0; p < group.length; p++) {
      if (group[p] !== g) continue;
      const i = positions[p]!;
      crude[j++] = Math.log(
        columns.memoryBytes[i]! / (columns.migrationTimeSeconds[i]! * link[p]!),
      );
    }
    const center = medianOf(crude);
    converged &&= theta[g]! > center - LEVEL_HALF_WIDTH && theta[g]! < center + LEVEL_HALF_WIDTH;
  }
  return { theta, converged };
}

/**
 * The bootstrap's parameters, one vector per resample: per stratum (a group,
 * in order of first appearance) as many draws with replacement as it has
 * runs, counted per run, then each group's count-weighted mean. The draws
 * are mulberry32 (createRandom) inlined: the same numbers in the same order
 * as bootstrapSamples, so the same resamples.
 */
function bootstrapThetas(
  selection: ColumnSelection,
  resamples: number,
  seed: number,
  onProgress: ((progress: FitProgress) => void) | undefined,
): Float64Array[] {
  const samples: Float64Array[] = [];
  if (resamples === 0) return samples;
  const { group, constant, groupNames } = selection;
  // Strata in order of first appearance, each with its members' constants.
  const order: number[] = [];
  const members: number[][] = groupNames.map(() => []);
  for (let p = 0; p < group.length; p++) {
    const g = group[p]!;
    if (members[g]!.length === 0) order.push(g);
    members[g]!.push(p);
  }
  const constants = members.map((own) => Float64Array.from(own, (p) => constant[p]!));
  // Counts in bytes, so that a stratum's counts stay in cache: a count above 255 (wrapped)
  // shows in their sum, and that resample's stratum is drawn again into 32-bit counts.
  const counts = members.map((own) => new Uint8Array(own.length));
  const wide = members.map((own) => new Int32Array(own.length));
  let state = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    const theta = new Float64Array(groupNames.length);
    for (const g of order) {
      const before = state;
      let sums = drawAndSum(counts[g]!, constants[g]!, state);
      if (sums.total !== counts[g]!.length) sums = drawAndSum(wide[g]!, constants[g]!, before);
      state = sums.state;
      theta[g] = -(sums.weighted / sums.total);
    }
    samples.push(theta);
    onProgress?.({ stage: "bootstrap", done: r + 1, total: resamples });
  }
  return samples;
}

/**
 * One stratum of a resample: as many draws as it has runs (`drawCounts`,
 * mulberry32 from `state`), counted per run, then the count-weighted sums in position order,
 * as the object path sums (a zero count adds 0). Returns the sums and the
 * generator's state after the draws.
 */
function drawAndSum(
  count: Uint8Array | Int32Array,
  c: Float64Array,
  from: number,
): { total: number; weighted: number; state: number } {
  const size = count.length;
  const state = drawCounts(count, from);
  let total = 0;
  let weighted = 0;
  for (let k = 0; k < size; k++) {
    const w = count[k]!;
    total += w;
    weighted += w * c[k]!;
  }
  return { total, weighted, state };
}

/** The quantities of one level per group: B (or efficiency) of the baseline, factors as ratios. */
function groupQuantities(selection: ColumnSelection): FitQuantities {
  const { groupNames } = selection;
  const base = groupNames.indexOf(selection.baseline);
  const factors: FitQuantities["factors"] = {};
  for (const [k, g] of groupNames.entries()) {
    factors[g] = (theta) => Math.exp(theta[k]! - theta[base]!);
  }
  return { baseline: (theta) => Math.exp(theta[base]!), byMethod: null, factors, extra: null };
}

/** The in-sample part: residuals (when asked), metrics overall and per group, the objective. */
function inSample(
  columns: RunColumns,
  selection: ColumnSelection,
  model: FittedModel,
  withResiduals: boolean,
): Pick<FitResult, "residuals" | "metrics" | "metricsByGroup" | "objectiveValue"> {
  const { positions, group, groupNames } = selection;
  const n = positions.length;
  const measured = new Float64Array(n);
  for (let p = 0; p < n; p++) measured[p] = columns.migrationTimeSeconds[positions[p]!]!;
  const estimated = estimatesOf(columns, selection, modelLevels(selection, model), null);
  let objectiveValue = 0;
  for (let p = 0; p < n; p++) {
    const e = estimated[p]!;
    objectiveValue += e > 0 && Number.isFinite(e) ? Math.log(measured[p]! / e) ** 2 : Infinity;
  }
  const residuals: RunResidual[] = [];
  if (withResiduals) {
    const method = columns.method;
    for (let p = 0; p < n; p++) {
      const i = positions[p]!;
      const m = measured[p]!;
      const e = estimated[p]!;
      residuals.push({
        index: i,
        method: method.labels[method.codes[i]!]!,
        group: groupNames[group[p]!]!,
        measuredSeconds: m,
        estimatedSeconds: e,
        residualSeconds: m - e,
        residualPercent: (100 * (m - e)) / m,
      });
    }
  }
  return {
    residuals,
    metrics: errorMetrics(measured, estimated),
    metricsByGroup: metricsPerGroup(groupNames, group, measured, estimated),
    objectiveValue,
  };
}
