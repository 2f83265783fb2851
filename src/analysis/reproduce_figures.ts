/**
 * The reproduction pipeline behind `deno task reproduce` and notebook 01:
 * the analysis (`analyzeReproduction`), Figures 5, 6 and 3 drawn from it,
 * and the report.
 *
 * @module
 */

import type { MigrationRun } from "../data/types.ts";
import {
  type DowntimeLimitSwitch,
  figureDowntimeLimitSpec,
} from "../plot/figure_downtime_limit_spec.ts";
import { figureEstimatedVsMeasuredSpec } from "../plot/figure_estimated_vs_measured_spec.ts";
import type { FigureSpec } from "../plot/types.ts";
import type { FigureRecipe } from "../plot/png_pool.ts";
import { analyze } from "./_analyze.ts";
import type {
  AnalyzeReproductionOptions,
  EstimatedVsMeasuredInput,
  ReproductionAnalysis,
  ReproductionFits,
} from "./analyze_reproduction.ts";
import { type ReproductionFigureFiles, reproductionReport } from "./reproduction_report.ts";
import { type CpuUsePanel, figureCpuUseSpec } from "../plot/figure_cpu_use_spec.ts";
import { checkObject } from "../_validate.ts";
import { type CostFigures, costFigures } from "./cost_figures.ts";

/**
 * Where `deno task reproduce` writes the figures, relative to the report:
 * `figures/<name>.svg` and `.png`.
 */
export const DEFAULT_FIGURE_FILES: ReproductionFigureFiles = {
  fig5: ["figures/fig5.svg", "figures/fig5.png"],
  fig6: ["figures/fig6.svg", "figures/fig6.png"],
  fig3: ["figures/fig3.svg", "figures/fig3.png"],
  fig1: ["figures/fig1.svg", "figures/fig1.png"],
  fig2: ["figures/fig2.svg", "figures/fig2.png"],
  fig4: ["figures/fig4.svg", "figures/fig4.png"],
  noise: ["figures/noise.svg", "figures/noise.png"],
};

/** Options for {@linkcode reproduceFigures}. */
export interface ReproduceFiguresOptions extends AnalyzeReproductionOptions {
  /**
   * The figures' files, relative to the report, as the report lists them.
   *
   * @default {DEFAULT_FIGURE_FILES (figures/fig5.svg, figures/fig5.png, ...)}
   */
  figureFiles?: ReproductionFigureFiles;
  /**
   * Figure 1's panels (`cpuUse` of each method's progress trace, read at
   * the edge), or why there are none (said in the report).
   *
   * @default {"no progress traces were given"}
   */
  fig1?: readonly CpuUsePanel[] | string;
  /**
   * The runs of the cost figures and fits (Figures 1, 2, 4, noise: downtime,
   * progress), when they are more than the runs the time fits use (e.g.
   * datasets measured with the progress trace beside ones without it).
   *
   * @default {the runs}
   */
  costRuns?: readonly MigrationRun[];
  /**
   * Called with each figure, and how it was drawn (its spec builder and
   * arguments, as data), as soon as it is drawn, before the fits that follow
   * it (e.g. to render it on a worker meanwhile); the result holds the same
   * figures.
   *
   * @default {undefined (no calls)}
   */
  onFigure?: (
    name: keyof ReproductionFigureFiles,
    figure: FigureSpec,
    recipe: FigureRecipe,
  ) => void;
}

/**
 * The result of {@linkcode reproduceFigures}: the fits and the sweep
 * comparison of `analyzeReproduction`, the figures drawn, and the report.
 */
export interface ReproduceFiguresResult extends ReproductionFits {
  /** The measured sweep against the model, per workload (empty without a sweep). */
  sweepComparison: ReproductionAnalysis["sweepComparison"];
  /** Figure 5 (pre-copy methods), or null without pre-copy fits. */
  fig5: FigureSpec | null;
  /** Figure 6 (KVM post-copy), or null without a post-copy fit. */
  fig6: FigureSpec | null;
  /** Figure 3's shape from the KVM pre-copy model at the fitted (or nominal) B, with a sweep's runs. */
  fig3: FigureSpec & { switches: DowntimeLimitSwitch[] };
  /** Figure 2 (downtime), Figure 4 (migration time), the noise figure and Figure 1 (`costFigures`). */
  costFigures: CostFigures;
  /** The report, Markdown. */
  reportMarkdown: string;
}

/**
 * Runs the paper's comparison on a dataset and draws it: the analysis of
 * `analyzeReproduction` (for each method, the baseline bandwidth B and a
 * factor per contention group with bootstrap intervals, predictions,
 * cross-validation; Figure 3's model at the fitted KVM pre-copy B), then
 * Figure 5 (Xen and KVM pre-copy), Figure 6 (KVM post-copy), Figure 3, and
 * the Markdown report (`reproductionReport`): B and factors with intervals,
 * error metrics per method and contention (in sample and cross-validated),
 * excluded runs and the data's provenance.
 *
 * A method whose fit throws (e.g. no baseline group) is listed in
 * `notFitted` and in the report, never dropped silently. Pure: no I/O, no
 * clock; the same runs and seed give the same result.
 *
 * Cost: (1 + resamples + folds) fits per method.
 *
 * @param runs The runs, as `loadRuns` or `synthesizeRuns` give them.
 * @param options The data source, provenance, resamples, folds, seed, a sweep, the figures' files.
 * @returns Fits, estimates, figures and the report.
 * @throws {TypeError} If runs or options have the wrong type.
 * @throws {RangeError} If no method could be fitted.
 *
 * @example Synthetic post-copy runs
 * ```ts
 * import { reproduceFigures } from "./reproduce_figures.ts";
 * import { synthesizeRuns } from "../fit/synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 3, methods: ["kvm-postcopy"], repeats: 2 }); // synthetic
 * const result = reproduceFigures(runs, {
 *   source: { description: "synthesizeRuns seed 3", synthetic: true },
 *   resamples: 10,
 *   folds: 3,
 * });
 * assert.equal(result.fig5, null);
 * assert.ok(result.fig6!.title.startsWith("SYNTHETIC"));
 * assert.ok(result.reportMarkdown.includes("SYNTHETIC"));
 * ```
 */
export function reproduceFigures(
  runs: readonly MigrationRun[],
  options: ReproduceFiguresOptions,
): ReproduceFiguresResult {
  const { onFigure } = options;
  // Figure 1 needs no fit: drawn first, it can be rasterised while the fits run (costFigures
  // draws it again, the same, in its place).
  if (onFigure && Array.isArray(options.fig1) && options.fig1.length > 0) {
    checkObject("reproduceFigures", 'option "source"', options.source);
    const args = [options.fig1, { source: options.source }] as const;
    onFigure("fig1", figureCpuUseSpec(...args), { builder: "figureCpuUseSpec", args: [...args] });
  }
  const analysis = analyze("reproduceFigures", runs, options);
  const draw = (name: "fig5" | "fig6", input: EstimatedVsMeasuredInput | null) => {
    if (!input) return null;
    const args = [input.runs, input.estimatesSeconds, input.options] as const;
    const figure = figureEstimatedVsMeasuredSpec(...args);
    onFigure?.(name, figure, { builder: "figureEstimatedVsMeasuredSpec", args: [...args] });
    return figure;
  };
  const fig5 = draw("fig5", analysis.fig5);
  const fig6 = draw("fig6", analysis.fig6);
  const fig3Args = [analysis.fig3.curves, analysis.fig3.options] as const;
  const fig3 = figureDowntimeLimitSpec(...fig3Args);
  onFigure?.("fig3", fig3, { builder: "figureDowntimeLimitSpec", args: [...fig3Args] });
  const costs = costFigures(options.costRuns ?? runs, analysis.fits, {
    source: analysis.source,
    fig1: options.fig1 ?? "no progress traces were given",
    ...(onFigure ? { onFigure } : {}),
  });
  return {
    fits: analysis.fits,
    crossValidation: analysis.crossValidation,
    notFitted: analysis.notFitted,
    leftOut: analysis.leftOut,
    crossValidationFailed: analysis.crossValidationFailed,
    estimatesSeconds: analysis.estimatesSeconds,
    fig5,
    fig6,
    fig3,
    sweepComparison: analysis.sweepComparison,
    costFigures: costs,
    reportMarkdown: reproductionReport({
      analysis,
      figureFiles: options.figureFiles ?? DEFAULT_FIGURE_FILES,
      costFigures: costs,
    }),
  };
}
