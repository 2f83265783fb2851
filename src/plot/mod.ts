/**
 * Drawing: pure specs that turn analysed data into Observable Plot panels
 * (the paper's Figures 5, 6 and 3 and the decision map), {@linkcode render}
 * to SVG or PNG without a browser, and HTML, Markdown and plain-text tables.
 *
 * No figure spec fits or runs a model: the analysis layer computes, this
 * layer only draws. It imports the data layer's vocabulary and the fit
 * layer's estimate type, nothing above them.
 *
 * @example A Markdown table and an SVG
 * ```ts
 * import { markdownTable, render } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const table = markdownTable([{ group: "cpu", factor: 0.5 }]);
 * assert.ok(table.includes("| cpu"));
 * const svg = render({
 *   title: "Empty",
 *   subtitle: "",
 *   caption: "",
 *   legends: [],
 *   panels: [{ name: "main", plot: { width: 200, height: 100, marks: [] } }],
 *   widthPixels: 200,
 * });
 * assert.ok(svg.startsWith("<svg"));
 * ```
 *
 * @module
 */

export type {
  DataSource,
  FigureSpec,
  LegendItem,
  LegendSpec,
  LegendSymbol,
  PanelPlotOptions,
  PanelScaleOptions,
  PanelSpec,
} from "./types.ts";
export { type FigureRecipe, type PngPool, pngPool, type PngPoolOptions } from "./png_pool.ts";
export { render, type RenderOptions, type RenderResult } from "./render.ts";
export {
  type FigureEstimatedVsMeasuredOptions,
  figureEstimatedVsMeasuredSpec,
  type FittedSummary,
  type MeasuredPoint,
  type NotConvergedPoint,
  type ResidualPoint,
} from "./figure_estimated_vs_measured_spec.ts";
export { type BinRule, binRuns, type BinSummary, type RunBins } from "./bin_runs.ts";
export {
  type DowntimeLimitCurves,
  type DowntimeLimitMeasurement,
  type DowntimeLimitPoint,
  type DowntimeLimitSwitch,
  type DowntimeLimitWorkload,
  type FigureDowntimeLimitOptions,
  figureDowntimeLimitSpec,
} from "./figure_downtime_limit_spec.ts";
export {
  type DecisionCell,
  type DecisionMap,
  type FigureDecisionMapOptions,
  figureDecisionMapSpec,
} from "./figure_decision_map_spec.ts";
export { htmlTable, type TableOptions } from "./html_table.ts";
export { markdownTable } from "./markdown_table.ts";
export { textTable, type TextTableOptions } from "./text_table.ts";
export {
  type FigurePlanGanttOptions,
  figurePlanGanttSpec,
  type GanttRow,
} from "./figure_plan_gantt_spec.ts";
export {
  type FigureWorkloadCostOptions,
  figureWorkloadCostSpec,
  type WorkloadCostPoint,
  type WorkloadCosts,
  type WorkloadIncompletePoint,
  type WorkloadModelPoint,
  type WorkloadSlot,
} from "./figure_workload_cost_spec.ts";
export {
  CPU_SERIES,
  type CpuUsePanel,
  type CpuUsePoint,
  type FigureCpuUseOptions,
  figureCpuUseSpec,
} from "./figure_cpu_use_spec.ts";
export {
  type CellVerdict,
  type DecisionLimitsInput,
  figureDecisionLimitsSpec,
  LIMIT_VERDICTS,
  type LimitsVerdict,
  type MeasuredLimitPoint,
  SPARE_BANDS,
} from "./figure_decision_limits_spec.ts";
