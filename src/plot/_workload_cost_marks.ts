// Private: the colours, the extra marks and the log axis of
// figureWorkloadCostSpec (Figures 2 and 4 and the noise figure).
import * as Plot from "../_deps/plot.ts";
import { logTicks, plainTick } from "./_log_ticks.ts";
import type {
  WorkloadCostPoint,
  WorkloadCosts,
  WorkloadModelPoint,
} from "./figure_workload_cost_spec.ts";

/** The paper's three methods in three distinct colours; other methods after them. */
const METHOD_COLORS: Record<string, string> = {
  "xen-precopy": "#000000",
  "xen-precopy-policy": "#000000",
  "kvm-precopy": "#0072B2",
  "kvm-postcopy": "#D55E00",
};

/** One colour per method, in the methods' order. */
export function methodColors(methods: readonly string[]): string[] {
  const others = ["#009E73", "#CC79A7", "#56B4E9", "#882255"];
  let k = 0;
  return methods.map((m) => METHOD_COLORS[m] ?? others[k++ % others.length]!);
}

/**
 * Proxy means as crosses, the secondary quantity's model dashed, and the
 * configurations whose runs did not complete as open triangles at the top of
 * the panel, each only when there are any.
 */
export function extraMarks(costs: WorkloadCosts, panel: (d: { contention: string }) => string) {
  const secondaryModel = costs.secondary?.model ?? [];
  const incomplete = costs.incomplete ?? [];
  return [
    ...(costs.points.some((p) => p.proxy === true)
      ? [Plot.dot(costs.points, {
        x: "position",
        y: "mean",
        stroke: "method",
        symbol: "times",
        r: 3.5,
        strokeWidth: 1.3,
        fy: panel,
        filter: (p: WorkloadCostPoint) => p.proxy === true,
      })]
      : []),
    ...(secondaryModel.length > 0
      ? [Plot.line(secondaryModel, {
        x: "position",
        y: "value",
        z: (d: WorkloadModelPoint) => `${d.method}|${d.wss}`,
        stroke: "method",
        strokeWidth: 1.2,
        strokeDasharray: "5,3",
        marker: "tick-x",
        fy: panel,
      })]
      : []),
    ...(incomplete.length > 0
      ? [Plot.dot(incomplete, {
        x: "position",
        frameAnchor: "top",
        dy: 8,
        symbol: "triangle",
        stroke: "method",
        fill: "white",
        r: 4,
        strokeWidth: 1.4,
        fy: panel,
      })]
      : []),
  ];
}

/** A log y scale over the values with 1/1.5 and 1.5 of margin, labelled ticks in plain numbers. */
export function logY(values: readonly number[]) {
  const domain = [Math.min(...values) / 1.5, Math.max(...values) * 1.5] as const;
  return { domain: [...domain], ticks: logTicks(domain[0], domain[1]), tickFormat: plainTick };
}
