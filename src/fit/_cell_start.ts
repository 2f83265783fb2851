// The start of a coordinate search with one B per method: independent 1-D
// fits of each (method, group) cell (split from _coordinate_search.ts).
import { median } from "../_stats.ts";
import { type Loss, SCAN_POINTS, SEARCH_STEPS } from "./_coordinate_search.ts";
import { evaluatePlan, makePlan } from "./_evaluate.ts";
import { type FitData, positionsWhere } from "./_fit_data.ts";
import { LEVEL_HALF_WIDTH, type ParamLayout } from "./_fit_params.ts";
import { minimize1d } from "../_search.ts";
import type { ResolvedFitOptions } from "./types.ts";

/**
 * With one B per method, a start from independent fits of each (method,
 * group) cell: level = the baseline cell (or the median cell), factor = the
 * mean offset of its cells from their method's level.
 *
 * @param data The runs.
 * @param layout The parameters.
 * @param options Resolved options.
 * @param loss The loss of one run.
 */
export function cellStart(
  data: FitData,
  layout: ParamLayout,
  options: ResolvedFitOptions,
  loss: Loss,
): Float64Array {
  const { params } = layout;
  const { methods, groups, link, measured, crude } = data;
  const n = data.indices.length;
  const cells = new Map<string, number>();
  const keyOf = (p: number) => `${methods[p]}\u0000${groups[p]}`;
  const keys = [...new Set(Array.from({ length: n }, (_, p) => keyOf(p)))];
  for (const key of keys) {
    const positions = positionsWhere(n, (p) => keyOf(p) === key);
    const plan = makePlan(
      data.where,
      data.runs,
      positions.map((p) => data.indices[p]!),
      options.modelOptions,
    );
    const bandwidths = new Float64Array(positions.length);
    const estimates = new Float64Array(positions.length);
    const objective = (x: number) => {
      positions.forEach((p, j) => bandwidths[j] = link[p]! * Math.exp(x));
      evaluatePlan(plan, bandwidths, estimates);
      let sum = 0;
      positions.forEach((p, j) => sum += loss(measured[p]!, estimates[j]!));
      return sum;
    };
    const center = median(positions.map((p) => crude[p]!));
    const lo = center - LEVEL_HALF_WIDTH;
    const hi = center + LEVEL_HALF_WIDTH;
    cells.set(key, minimize1d(objective, lo, hi, SCAN_POINTS, options.tolerance, SEARCH_STEPS).x);
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
}
