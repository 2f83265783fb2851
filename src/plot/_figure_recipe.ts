// How a figure is drawn, as data: the spec builder's name and its arguments
// (runs, estimates, curves, options: all structured-cloneable), so that a
// worker can build the same FigureSpec and compose its SVG there.
import { figureCpuUseSpec } from "./figure_cpu_use_spec.ts";
import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
import { figureEstimatedVsMeasuredSpec } from "./figure_estimated_vs_measured_spec.ts";
import { figureWorkloadCostSpec } from "./figure_workload_cost_spec.ts";
import type { FigureSpec } from "./types.ts";

/** A figure as its spec builder and the builder's arguments. */
export type FigureRecipe =
  | {
    builder: "figureEstimatedVsMeasuredSpec";
    args: Parameters<typeof figureEstimatedVsMeasuredSpec>;
  }
  | { builder: "figureDowntimeLimitSpec"; args: Parameters<typeof figureDowntimeLimitSpec> }
  | { builder: "figureCpuUseSpec"; args: Parameters<typeof figureCpuUseSpec> }
  | { builder: "figureWorkloadCostSpec"; args: Parameters<typeof figureWorkloadCostSpec> };

/** Builds the recipe's figure. */
export function buildFigure(recipe: FigureRecipe): FigureSpec {
  switch (recipe.builder) {
    case "figureEstimatedVsMeasuredSpec":
      return figureEstimatedVsMeasuredSpec(...recipe.args);
    case "figureDowntimeLimitSpec":
      return figureDowntimeLimitSpec(...recipe.args);
    case "figureCpuUseSpec":
      return figureCpuUseSpec(...recipe.args);
    case "figureWorkloadCostSpec":
      return figureWorkloadCostSpec(...recipe.args);
  }
  throw new TypeError(
    `buildFigure: unknown builder ${JSON.stringify((recipe as FigureRecipe).builder)}`,
  );
}
