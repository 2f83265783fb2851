// What a fit estimates, and how a parameter vector maps to bandwidths and
// back to named quantities.
//
// Parameters live in log space (a vector theta): a level per group (one B,
// or efficiency, per contention group; factors are ratios to the baseline's),
// or a level per method plus a log factor per non-baseline group; optionally
// u for the post-copy workload term, multiplier 1 + (e^u - 1)·W/M.
import { makePlan, type Plan } from "./_evaluate.ts";
import { type FitData, positionsWhere } from "./_fit_data.ts";
import type { ResolvedFitOptions } from "./types.ts";

/** The half-width, in ln B, of a level's or factor's first search: a factor of 50 either side. */
export const LEVEL_HALF_WIDTH = Math.log(50);
const FACTOR_HALF_WIDTH = Math.log(50);

/** One fitted parameter. */
export interface Param {
  /** The group or method it belongs to, or `"postcopy-workload"`. */
  name: string;
  /** A log level, a log factor, or the extra term's u. */
  kind: "level" | "factor" | "extra";
  /** The positions of the runs it touches. */
  positions: number[];
  /** The model plan of those runs. */
  plan: Plan;
  /** The centre of its first search (a crude level, or 0). */
  center: number;
  /** The half-width of its first search (levels and factors). */
  halfWidth: number;
}

/** The parameters of a fit and, per run, which of them it uses. */
export interface ParamLayout {
  /** The parameters, in the order of theta. */
  params: Param[];
  /** Per run: the index of its level. */
  levelOf: Int32Array;
  /** Per run: the index of its factor, or -1 (baseline, or one B for all methods). */
  factorOf: Int32Array;
  /** The index of the extra term, or -1. */
  extraIndex: number;
  /** Whether every run uses one parameter only, so each is found by one 1-D search. */
  independent: boolean;
  /** Whether the levels are per group (factors their ratios to the baseline's), not per method. */
  separable: boolean;
}

/**
 * Whether a fit's levels are per group: with one B for all methods, and with
 * one B per method when there is one method and no extra term. Then each
 * run's estimate depends on its group's product B·f_g alone, so a level per
 * group, s_g = ln B + ln f_g, is an exact reparametrization of one B and a
 * factor per non-baseline group, found by one 1-D search per group, with B
 * the baseline group's level and f_g = e^(s_g - s_baseline).
 */
export function isSeparable(data: FitData, options: ResolvedFitOptions): boolean {
  if (options.bandwidthPer === "all") return true;
  return data.methodNames.length === 1 && options.extraTerm === null &&
    data.groupNames.includes(options.baseline);
}

/**
 * Lays out the parameters: levels per group (one B for all methods) or per
 * method plus factors per non-baseline group, then the extra term.
 *
 * @param data The runs.
 * @param options Resolved options.
 * @param separable Levels per group ({@linkcode isSeparable}); false lays one B per method out
 * as a level per method and a factor per non-baseline group, searched by coordinate search.
 * @throws {RangeError} If the extra term is fitted with fewer than 2 post-copy runs with W > 0.
 */
export function layoutParams(
  data: FitData,
  options: ResolvedFitOptions,
  separable: boolean = isSeparable(data, options),
): ParamLayout {
  const { where, runs, indices, groups, methods, crude } = data;
  const n = indices.length;
  const params: Param[] = [];
  const levelOf = new Int32Array(n);
  const factorOf = new Int32Array(n).fill(-1);
  const addParam = (name: string, kind: Param["kind"], positions: number[]) => {
    let center = 0;
    if (kind === "level") {
      const values = new Float64Array(positions.length);
      for (let j = 0; j < positions.length; j++) values[j] = crude[positions[j]!]!;
      center = medianOf(values);
    }
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
  const assign = (
    labels: readonly string[],
    label: string,
    kind: Param["kind"],
    to: Int32Array,
  ) => {
    const k = addParam(label, kind, positionsWhere(n, (p) => labels[p] === label));
    for (let p = 0; p < n; p++) if (labels[p] === label) to[p] = k;
  };
  if (separable) {
    for (const g of data.groupNames) assign(groups, g, "level", levelOf);
  } else {
    for (const m of data.methodNames) assign(methods, m, "level", levelOf);
    for (const g of data.groupNames) {
      if (g !== options.baseline) assign(groups, g, "factor", factorOf);
    }
  }
  let extraIndex = -1;
  if (options.extraTerm !== null) {
    const positions = positionsWhere(n, (p) => data.workload[p]! > 0);
    if (positions.length < 2) {
      throw new RangeError(
        `${where}: cannot fit extra term "${options.extraTerm}", expected at least 2 completed "kvm-postcopy" runs with wssBytes > 0 (got ${positions.length})`,
      );
    }
    extraIndex = addParam("postcopy-workload", "extra", positions);
  }
  const independent = separable && extraIndex < 0;
  return { params, levelOf, factorOf, extraIndex, independent, separable };
}

/**
 * The median of `values` (reordered in place), as `median` in _stats.ts
 * computes it, the mean of the middle two for an even count, found by
 * selection in O(n) instead of a sort (the fit takes the median of every
 * group's runs, a million at a time).
 */
export function medianOf(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  const h = (values.length - 1) * 0.5;
  const lo = Math.floor(h);
  const low = select(values, lo);
  let high = low;
  if (lo + 1 < values.length) {
    // After selection everything right of lo is >= values[lo]: the next order statistic is their minimum.
    high = values[lo + 1]!;
    for (let i = lo + 2; i < values.length; i++) if (values[i]! < high) high = values[i]!;
  }
  return low + (h - lo) * (high - low);
}

/** The k-th smallest value (0-based), by Hoare's selection; reorders `values` around it. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >>> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k]!;
}

/** The starting vector: each level at its centre, factors and the extra term at 0. */
export function initialTheta(layout: ParamLayout): Float64Array {
  return Float64Array.from(layout.params, (param) => param.kind === "level" ? param.center : 0);
}

/**
 * The bandwidth of the run at position p under theta, bytes/s (or the
 * fraction of its link times the link).
 */
export function bandwidthOf(
  layout: ParamLayout,
  data: FitData,
  theta: Float64Array,
  p: number,
): number {
  const { levelOf, factorOf, extraIndex } = layout;
  const logLevel = theta[levelOf[p]!]! + (factorOf[p]! >= 0 ? theta[factorOf[p]!]! : 0);
  const extra = extraIndex >= 0 ? 1 + Math.expm1(theta[extraIndex]!) * data.workload[p]! : 1;
  return data.link[p]! * Math.exp(logLevel) * extra;
}

/** A named quantity as a function of theta. */
export type Quantity = (theta: Float64Array) => number;

/** The named quantities a fit reports, each as a function of theta. */
export interface FitQuantities {
  /** The baseline level (one B for all methods), or null with one B per method. */
  baseline: Quantity | null;
  /** The level per method, or null with one B for all methods. */
  byMethod: Record<string, Quantity> | null;
  /** The factor per group; null for a factor fixed at 1 (the baseline with one B per method). */
  factors: Record<string, Quantity | null>;
  /** The extra term's coefficient e^u - 1, or null. */
  extra: Quantity | null;
}

/**
 * Unpacks theta into the quantities a fit reports: levels as e^x, factors as
 * ratios to the baseline level (one B for all methods) or e^x (one B per
 * method), the extra term as e^u - 1.
 *
 * @param layout The parameters.
 * @param data The runs (for the group and method names).
 * @param options Resolved options.
 */
export function fitQuantities(
  layout: ParamLayout,
  data: FitData,
  options: ResolvedFitOptions,
): FitQuantities {
  const { params, extraIndex } = layout;
  const indexOf = (name: string, kind: Param["kind"]) =>
    params.findIndex((param) => param.name === name && param.kind === kind);
  const factors: Record<string, Quantity | null> = {};
  let baseline: Quantity | null = null;
  let byMethod: Record<string, Quantity> | null = null;
  if (layout.separable) {
    const base = indexOf(options.groupBy === null ? "all" : options.baseline, "level");
    const level = (theta: Float64Array) => Math.exp(theta[base]!);
    for (const g of data.groupNames) {
      const k = indexOf(g, "level");
      factors[g] = (theta) => Math.exp(theta[k]! - theta[base]!);
    }
    if (options.bandwidthPer === "all") baseline = level;
    else {
      // One B per method, one method: its B is the baseline's level, the baseline's factor 1.
      byMethod = { [data.methodNames[0]!]: level };
      factors[options.groupBy === null ? "all" : options.baseline] = null;
    }
  } else {
    byMethod = {};
    for (const m of data.methodNames) {
      const k = indexOf(m, "level");
      byMethod[m] = (theta) => Math.exp(theta[k]!);
    }
    for (const g of data.groupNames) {
      const k = indexOf(g, "factor");
      factors[g] = k < 0 ? null : (theta) => Math.exp(theta[k]!);
    }
  }
  const extra = extraIndex >= 0 ? (theta: Float64Array) => Math.expm1(theta[extraIndex]!) : null;
  return { baseline, byMethod, factors, extra };
}
