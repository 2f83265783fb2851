// The fitting engine behind fitBandwidth, fitContention and crossValidate.
//
// Parameters live in log space: a level per group (one B, or efficiency, per
// contention group; factors are ratios to the baseline's), or a level per
// method plus a log factor per non-baseline group; optionally u for the
// post-copy workload term, multiplier 1 + (e^u - 1)·W/M. Each parameter is
// found by a bracketing 1-D search over the runs it touches; several coupled
// parameters are found by coordinate search (cycles until no parameter moves).
// Intervals: percentile bootstrap over runs, resampled within each group.
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { evaluatePlan, isPrecopy, makePlan, type Plan } from "./_evaluate.ts";
import { createRandom } from "./_random.ts";
import { minimize1d } from "./_search.ts";
import { errorMetrics } from "./error_metrics.ts";
import { predictRuns } from "./predict_runs.ts";
import type {
  ErrorMetrics,
  Estimate,
  ExcludedRuns,
  ExtraTermReport,
  FactorEstimate,
  FitResult,
  FittedModel,
  ResolvedFitOptions,
  RunResidual,
} from "./types.ts";

/** What the engine returns: a fit result without its options. */
export type CoreFit = Omit<FitResult, "options">;

interface Param {
  name: string;
  kind: "level" | "factor" | "extra";
  positions: number[];
  plan: Plan;
  center: number;
  halfWidth: number;
}

const SCAN_POINTS = 17;
/** Coordinate search stops when no parameter moved more than this in ln B during a cycle. */
const CYCLE_TOLERANCE = 1e-7;
const LOCAL_POINTS = 11;
const LOCAL_HALF_WIDTH = 0.3;
const LEVEL_HALF_WIDTH = Math.log(50);
const FACTOR_HALF_WIDTH = Math.log(50);
const EXTRA_RANGE: [number, number] = [Math.log(0.2), Math.log(5)];

/** The group label of a run. */
export function groupOf(groupBy: "contention" | null, run: MigrationRun): string {
  return groupBy === null ? "all" : run.contention;
}

/**
 * Fits the model to the given completed runs.
 *
 * @param where The public function's name.
 * @param runs All runs.
 * @param indices The completed runs of the selected methods.
 * @param options Resolved options (`extraTerm` here means: fit with the term).
 * @param excluded The runs left out, passed through.
 */
export function fitCore(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  options: ResolvedFitOptions,
  excluded: ExcludedRuns,
  runsOfOtherMethods: number,
): CoreFit {
  const n = indices.length;
  const selected = indices.map((i) => runs[i]!);
  const groups = selected.map((run) => groupOf(options.groupBy, run));
  const methods = selected.map((run) => run.method);
  const groupNames = [...new Set(groups)].sort();
  const methodNames = [...new Set(methods)].sort();
  const scale = resolveScale(where, options.scale, selected, indices);
  checkIdentifiable(where, options, selected, indices, groups, groupNames, methods, methodNames);

  const measured = new Float64Array(n);
  const link = new Float64Array(n);
  const workload = new Float64Array(n);
  const crude = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const run = selected[p]!;
    measured[p] = run.migrationTimeSeconds;
    link[p] = scale === "efficiency" ? run.linkBandwidthBytesPerSecond! : 1;
    workload[p] = options.extraTerm !== null && run.method === "kvm-postcopy"
      ? run.wssBytes / run.memoryBytes
      : 0;
    crude[p] = Math.log(run.memoryBytes / (run.migrationTimeSeconds * link[p]!));
  }

  // Parameters and, per run, which ones it uses.
  const params: Param[] = [];
  const levelOf = new Int32Array(n);
  const factorOf = new Int32Array(n).fill(-1);
  const addParam = (name: string, kind: Param["kind"], positions: number[]) => {
    const center = kind === "level" ? median(positions.map((p) => crude[p]!)) : 0;
    params.push({
      name,
      kind,
      positions,
      plan: makePlan(where, runs, positions.map((p) => indices[p]!), options.modelOptions),
      center,
      halfWidth: kind === "level" ? LEVEL_HALF_WIDTH : FACTOR_HALF_WIDTH,
    });
    return params.length - 1;
  };
  const positionsWhere = (test: (p: number) => boolean) => {
    const positions: number[] = [];
    for (let p = 0; p < n; p++) if (test(p)) positions.push(p);
    return positions;
  };
  if (options.bandwidthPer === "all") {
    for (const g of groupNames) {
      const k = addParam(g, "level", positionsWhere((p) => groups[p] === g));
      for (let p = 0; p < n; p++) if (groups[p] === g) levelOf[p] = k;
    }
  } else {
    for (const m of methodNames) {
      const k = addParam(m, "level", positionsWhere((p) => methods[p] === m));
      for (let p = 0; p < n; p++) if (methods[p] === m) levelOf[p] = k;
    }
    for (const g of groupNames) {
      if (g === options.baseline) continue;
      const k = addParam(g, "factor", positionsWhere((p) => groups[p] === g));
      for (let p = 0; p < n; p++) if (groups[p] === g) factorOf[p] = k;
    }
  }
  let extraIndex = -1;
  if (options.extraTerm !== null) {
    const positions = positionsWhere((p) => workload[p]! > 0);
    if (positions.length < 2) {
      throw new RangeError(
        `${where}: cannot fit extra term "${options.extraTerm}", expected at least 2 completed "kvm-postcopy" runs with wssBytes > 0 (got ${positions.length})`,
      );
    }
    extraIndex = addParam("postcopy-workload", "extra", positions);
  }
  const independent = options.bandwidthPer === "all" && extraIndex < 0;

  const bandwidthOf = (theta: Float64Array, p: number) => {
    const logLevel = theta[levelOf[p]!]! + (factorOf[p]! >= 0 ? theta[factorOf[p]!]! : 0);
    const extra = extraIndex >= 0 ? 1 + Math.expm1(theta[extraIndex]!) * workload[p]! : 1;
    return link[p]! * Math.exp(logLevel) * extra;
  };
  const lossOf = options.objective === "log"
    ? (m: number, e: number) => e > 0 && Number.isFinite(e) ? Math.log(m / e) ** 2 : Infinity
    : (m: number, e: number) => Number.isFinite(e) ? (m - e) ** 2 : Infinity;

  // With one B per method, start from independent fits of each
  // (method, group) cell: level = the baseline cell, factor = the mean offset.
  const cellStart = () => {
    const cells = new Map<string, number>();
    const keys = [
      ...new Set(Array.from({ length: n }, (_, p) => `${methods[p]}\u0000${groups[p]}`)),
    ];
    for (const key of keys) {
      const positions = positionsWhere((p) => `${methods[p]}\u0000${groups[p]}` === key);
      const plan = makePlan(where, runs, positions.map((p) => indices[p]!), options.modelOptions);
      const bandwidths = new Float64Array(positions.length);
      const estimates = new Float64Array(positions.length);
      const objective = (x: number) => {
        positions.forEach((p, j) => bandwidths[j] = link[p]! * Math.exp(x));
        evaluatePlan(plan, bandwidths, estimates);
        let sum = 0;
        positions.forEach((p, j) => sum += lossOf(measured[p]!, estimates[j]!));
        return sum;
      };
      const center = median(positions.map((p) => crude[p]!));
      cells.set(
        key,
        minimize1d(
          objective,
          center - LEVEL_HALF_WIDTH,
          center + LEVEL_HALF_WIDTH,
          SCAN_POINTS,
          options.tolerance,
          200,
        ).x,
      );
    }
    const start = new Float64Array(params.length);
    params.forEach((param, k) => {
      if (param.kind !== "level") return;
      const own = [...cells].filter(([key]) => key.startsWith(`${param.name}\u0000`));
      const base = cells.get(`${param.name}\u0000${options.baseline}`);
      start[k] = base ?? median(own.map(([, x]) => x));
    });
    params.forEach((param, k) => {
      if (param.kind !== "factor") return;
      const offsets = params.flatMap((level, j) => {
        const cell = cells.get(`${level.name}\u0000${param.name}`);
        return level.kind === "level" && cell !== undefined ? [cell - start[j]!] : [];
      });
      start[k] = offsets.reduce((a, b) => a + b, 0) / offsets.length;
    });
    return start;
  };

  const fullPlan = independent ? null : makePlan(where, runs, indices, options.modelOptions);
  const fullBandwidths = new Float64Array(n);
  const fullEstimates = new Float64Array(n);
  const fullLoss = (theta: Float64Array, weights: Float64Array | null) => {
    for (let p = 0; p < n; p++) fullBandwidths[p] = bandwidthOf(theta, p);
    evaluatePlan(fullPlan!, fullBandwidths, fullEstimates);
    let sum = 0;
    for (let p = 0; p < n; p++) {
      const w = weights === null ? 1 : weights[p]!;
      if (w > 0) sum += w * lossOf(measured[p]!, fullEstimates[p]!);
    }
    return sum;
  };

  // Scratch per parameter, allocated once: the runs it touches, their
  // bandwidths and estimates, and the per-run constants of its 1-D search.
  const scratch = params.map((param) => {
    const count = param.positions.length;
    return {
      bandwidths: new Float64Array(count),
      estimates: new Float64Array(count),
      /** Bandwidth at x = 0 (level, factor) or without the extra term (extra). */
      base: new Float64Array(count),
      /** W/M of each run (the extra term's slope). */
      workload: Float64Array.from(param.positions, (p) => workload[p]!),
      measured: Float64Array.from(param.positions, (p) => measured[p]!),
      logMeasured: Float64Array.from(param.positions, (p) => Math.log(measured[p]!)),
      weights: new Float64Array(count),
    };
  });
  const logObjective = options.objective === "log";

  const solve = (weights: Float64Array | null, start: Float64Array | null) => {
    const theta = Float64Array.from(params, (param) => param.kind === "level" ? param.center : 0);
    if (start !== null) theta.set(start);
    scratch.forEach((own, k) => {
      const positions = params[k]!.positions;
      for (let j = 0; j < positions.length; j++) {
        own.weights[j] = weights === null ? 1 : weights[positions[j]!]!;
      }
    });
    let iterations = 0;
    let converged = false;
    for (let cycle = 1; cycle <= options.maxIterations; cycle++) {
      iterations = cycle;
      const before = Float64Array.from(theta);
      let maxDelta = 0;
      let allConverged = true;
      params.forEach((param, k) => {
        const own = scratch[k]!;
        const { positions } = param;
        const count = positions.length;
        const { bandwidths, estimates, base, logMeasured, measured: seconds, weights: w } = own;
        // Each run's bandwidth with this parameter at 0, so that during the
        // search B = base·e^x (level, factor) or base·(1 + (e^x - 1)·W/M)
        // (extra): one exp per evaluation instead of one per run.
        const old = theta[k]!;
        theta[k] = 0;
        for (let j = 0; j < count; j++) base[j] = bandwidthOf(theta, positions[j]!);
        theta[k] = old;
        const slope = own.workload;
        const objective = (x: number) => {
          if (param.kind === "extra") {
            const c = Math.expm1(x);
            for (let j = 0; j < count; j++) bandwidths[j] = base[j]! * (1 + c * slope[j]!);
          } else {
            const scale = Math.exp(x);
            for (let j = 0; j < count; j++) bandwidths[j] = base[j]! * scale;
          }
          evaluatePlan(param.plan, bandwidths, estimates);
          let sum = 0;
          for (let j = 0; j < count; j++) {
            const weight = w[j]!;
            if (weight === 0) continue;
            const e = estimates[j]!;
            if (logObjective) {
              if (!(e > 0 && e < Infinity)) return Infinity;
              const r = logMeasured[j]! - Math.log(e);
              sum += weight * r * r;
            } else {
              if (!Number.isFinite(e)) return Infinity;
              const r = seconds[j]! - e;
              sum += weight * r * r;
            }
          }
          return sum;
        };
        const full = cycle === 1 && start === null;
        const [lo, hi] = param.kind === "extra"
          ? (full ? EXTRA_RANGE : [theta[k]! - LOCAL_HALF_WIDTH, theta[k]! + LOCAL_HALF_WIDTH])
          : full
          ? [param.center - param.halfWidth, param.center + param.halfWidth]
          : [theta[k]! - LOCAL_HALF_WIDTH, theta[k]! + LOCAL_HALF_WIDTH];
        const result = minimize1d(
          objective,
          lo,
          hi,
          full ? SCAN_POINTS : LOCAL_POINTS,
          options.tolerance,
          200,
        );
        maxDelta = Math.max(maxDelta, Math.abs(result.x - theta[k]!));
        allConverged &&= result.converged;
        theta[k] = result.x;
      });
      if (independent && start === null) {
        converged = allConverged;
        break;
      }
      if (cycle > 1 && maxDelta < Math.max(CYCLE_TOLERANCE, 10 * options.tolerance)) {
        converged = allConverged;
        break;
      }
      // Pattern move (as in Hooke-Jeeves): coordinate search zigzags when
      // parameters are coupled (B per method × factor per group), so try
      // going further along this cycle's overall step.
      if (cycle > 1 && !independent) {
        const step = theta.map((x, k) => x - before[k]!);
        const along = (alpha: number) =>
          fullLoss(before.map((x, k) => x + alpha * step[k]!), weights);
        const current = fullLoss(theta, weights);
        const move = minimize1d(along, 1, 9, 17, 1e-6, 100);
        if (move.value < current) theta.set(before.map((x, k) => x + move.x * step[k]!));
      }
    }
    return { theta, iterations, converged };
  };

  const point = solve(null, options.bandwidthPer === "method" ? cellStart() : null);

  // Bootstrap: resample runs within each stratum, refit from the point estimate.
  const strata = new Map<string, number[]>();
  for (let p = 0; p < n; p++) {
    const key = options.bandwidthPer === "all" ? groups[p]! : `${methods[p]}|${groups[p]}`;
    const members = strata.get(key) ?? [];
    members.push(p);
    strata.set(key, members);
  }
  const samples: Float64Array[] = [];
  if (options.resamples > 0) {
    const random = createRandom(options.seed);
    const weights = new Float64Array(n);
    for (let r = 0; r < options.resamples; r++) {
      weights.fill(0);
      for (const members of strata.values()) {
        for (let j = 0; j < members.length; j++) {
          weights[members[Math.floor(random() * members.length)]!]! += 1;
        }
      }
      samples.push(solve(weights, point.theta).theta);
    }
  }

  // Derived quantities: levels per group or method, factors per group.
  const estimate = (value: (theta: Float64Array) => number): Estimate => {
    const values = samples.map(value).sort((a, b) => a - b);
    return {
      value: value(point.theta),
      low: values.length === 0 ? NaN : quantile(values, 0.025),
      high: values.length === 0 ? NaN : quantile(values, 0.975),
    };
  };
  const indexOf = (name: string, kind: Param["kind"]) =>
    params.findIndex((param) => param.name === name && param.kind === kind);
  const factors: Record<string, FactorEstimate> = {};
  let baselineLevel: Estimate | null = null;
  let byMethod: Record<string, Estimate> | null = null;
  if (options.bandwidthPer === "all") {
    const base = indexOf(options.groupBy === null ? "all" : options.baseline, "level");
    baselineLevel = estimate((theta) => Math.exp(theta[base]!));
    for (const g of groupNames) {
      const k = indexOf(g, "level");
      const e = estimate((theta) => Math.exp(theta[k]! - theta[base]!));
      factors[g] = { factor: e.value, low: e.low, high: e.high };
    }
  } else {
    byMethod = {};
    for (const m of methodNames) {
      const k = indexOf(m, "level");
      byMethod[m] = estimate((theta) => Math.exp(theta[k]!));
    }
    for (const g of groupNames) {
      const k = indexOf(g, "factor");
      if (k < 0) factors[g] = { factor: 1, low: 1, high: 1 };
      else {
        const e = estimate((theta) => Math.exp(theta[k]!));
        factors[g] = { factor: e.value, low: e.low, high: e.high };
      }
    }
  }
  let extraTerm: ExtraTermReport | null = null;
  let extraEstimate: Estimate | null = null;
  if (extraIndex >= 0) {
    extraEstimate = estimate((theta) => Math.expm1(theta[extraIndex]!));
    extraTerm = {
      name: options.extraTerm!,
      coefficient: extraEstimate.value,
      low: extraEstimate.low,
      high: extraEstimate.high,
      kept: true,
      cvErrorWith: NaN,
      cvErrorWithout: NaN,
    };
  }
  const links = [...new Set(link)].sort((a, b) => a - b);
  const oneLink = scale === "efficiency" && links.length === 1 ? links[0]! : null;
  const times = (e: Estimate, k: number): Estimate => ({
    value: e.value * k,
    low: e.low * k,
    high: e.high * k,
  });
  let bandwidth: Estimate | null = null;
  let efficiency: Estimate | null = null;
  let bandwidthByMethod: Record<string, Estimate> | null = null;
  let efficiencyByMethod: Record<string, Estimate> | null = null;
  if (scale === "absolute") {
    bandwidth = baselineLevel;
    bandwidthByMethod = byMethod;
  } else {
    efficiency = baselineLevel;
    efficiencyByMethod = byMethod;
    if (oneLink !== null) {
      bandwidth = baselineLevel === null ? null : times(baselineLevel, oneLink);
      if (byMethod !== null) {
        bandwidthByMethod = Object.fromEntries(
          Object.entries(byMethod).map(([m, e]) => [m, times(e, oneLink)]),
        );
      }
    }
  }
  const model: FittedModel = {
    scale,
    groupBy: options.groupBy,
    bandwidthBytesPerSecond: bandwidth === null ? null : bandwidth.value,
    bandwidthByMethod,
    efficiency,
    efficiencyByMethod,
    factors,
    extraTerm,
    modelOptions: options.modelOptions,
  };
  // Residuals through the public prediction, so fit and predictRuns agree.
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
  for (const g of groupNames) {
    const members = residuals.filter((r) => r.group === g);
    metricsByGroup[g] = errorMetrics(
      members.map((r) => r.measuredSeconds),
      members.map((r) => r.estimatedSeconds),
    );
  }
  let objectiveValue = 0;
  for (let p = 0; p < n; p++) objectiveValue += lossOf(measured[p]!, estimated[p]!);
  return {
    ...model,
    bandwidth,
    linkBandwidthsBytesPerSecond: scale === "efficiency" ? links : [],
    interval: options.resamples > 0
      ? { method: "bootstrap", resamples: options.resamples, seed: options.seed, level: 0.95 }
      : { method: "none" },
    converged: point.converged,
    iterations: point.iterations,
    objectiveValue,
    residuals,
    metrics: errorMetrics(measured, estimated),
    metricsByGroup,
    excluded,
    runsUsed: n,
    runsOfOtherMethods,
  };
}

function resolveScale(
  where: string,
  scale: ResolvedFitOptions["scale"],
  selected: readonly MigrationRun[],
  indices: readonly number[],
): "absolute" | "efficiency" {
  if (scale === "absolute") return "absolute";
  const missing = selected.findIndex((run) => run.linkBandwidthBytesPerSecond === undefined);
  if (scale === "auto") return missing < 0 ? "efficiency" : "absolute";
  if (missing >= 0) {
    throw new RangeError(
      `${where}: missing input "linkBandwidthBytesPerSecond" at run ${
        indices[missing]
      }, expected the link bandwidth on every run for scale "efficiency" (got undefined)`,
    );
  }
  return "efficiency";
}

function checkIdentifiable(
  where: string,
  options: ResolvedFitOptions,
  selected: readonly MigrationRun[],
  indices: readonly number[],
  groups: readonly string[],
  groupNames: readonly string[],
  methods: readonly string[],
  methodNames: readonly string[],
): void {
  if (options.groupBy !== null && !groupNames.includes(options.baseline)) {
    throw new RangeError(
      `${where}: baseline group ${
        showValue(options.baseline)
      } has no completed runs, expected one of ${groupNames.map((g) => `"${g}"`).join(", ")}`,
    );
  }
  const check = (label: string, members: number[]) => {
    if (members.length < 2) {
      throw new RangeError(
        `${where}: ${label} has too few completed runs, expected at least 2 (got ${members.length}${
          members.length === 1 ? `: run ${indices[members[0]!]}` : ""
        })`,
      );
    }
    const first = selected[members[0]!]!;
    const oneConfiguration = members.every((p) => {
      const r = selected[p]!;
      return r.memoryBytes === first.memoryBytes && r.wssBytes === first.wssBytes &&
        r.dirtyPagesPerSecond === first.dirtyPagesPerSecond && r.pageBytes === first.pageBytes &&
        r.linkBandwidthBytesPerSecond === first.linkBandwidthBytesPerSecond;
    });
    if (oneConfiguration && members.every((p) => isPrecopy(methods[p]!))) {
      throw new RangeError(
        `${where}: ${label} has all its ${members.length} runs at one configuration, expected pre-copy runs at 2 or more configurations (memoryBytes, wssBytes, dirtyPagesPerSecond) to identify the bandwidth (got 1)`,
      );
    }
  };
  const membersOf = (labels: readonly string[]) => {
    const members = new Map<string, number[]>();
    labels.forEach((label, p) => {
      const list = members.get(label);
      if (list === undefined) members.set(label, [p]);
      else list.push(p);
    });
    return members;
  };
  const byGroup = membersOf(groups);
  for (const g of groupNames) {
    check(options.groupBy === null ? "the fit" : `group "${g}"`, byGroup.get(g)!);
  }
  if (options.bandwidthPer === "method") {
    const byMethod = membersOf(methods);
    for (const m of methodNames) check(`method "${m}"`, byMethod.get(m)!);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return quantile(sorted, 0.5);
}

/** Linear-interpolation quantile of sorted values (type 7). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
