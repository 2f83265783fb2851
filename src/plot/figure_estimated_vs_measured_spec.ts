/**
 * Figures 5 and 6: estimated against measured migration time, with residuals.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import type { Estimate } from "../fit/types.ts";
import { captionText, type Resolved, resolveOptions } from "./_estimated_vs_measured_text.ts";
import { facetWidth, logAxisMark, plainTick, spacedTicks } from "./_log_ticks.ts";
import { type ArrangedRuns, arrangeRuns, drawnRuns } from "./_measured_points.ts";
import { colorsFor, markTitle, methodName } from "./_style.ts";
import type { DataSource, FigureSpec, PanelSpec } from "./types.ts";

/** Options for {@linkcode figureEstimatedVsMeasuredSpec}. */
export interface FigureEstimatedVsMeasuredOptions {
  /** Where the runs came from; synthetic data are marked so in title and caption. */
  source: DataSource;
  /**
   * The figure's title (the SYNTHETIC mark is added in front when needed).
   *
   * @default {"Estimated and measured migration time"}
   */
  title?: string;
  /**
   * The fitted parameters behind the estimates, stated in the caption: one
   * entry per fit (e.g. one per method).
   *
   * @default {[]}
   */
  fitted?: readonly FittedSummary[];
  /**
   * One more sentence for the caption (how the fit was made, the interval method).
   *
   * @default {""}
   */
  note?: string;
  /**
   * The figure's width, CSS pixels.
   *
   * @default {1100}
   */
  widthPixels?: number;
  /**
   * Height of one facet row of the main panel, CSS pixels (a residual panel
   * row is half of it).
   *
   * @default {230}
   */
  rowHeightPixels?: number;
}

/** A fit's parameters, as the caption states them. */
export interface FittedSummary {
  /** What was fitted, e.g. "Xen pre-copy". */
  label: string;
  /** The fitted baseline bandwidth B, bytes/s. */
  bandwidthBytesPerSecond: number;
  /** The 95 % interval of B, bytes/s, as [low, high] (NaN ends: not computed). */
  bandwidthIntervalBytesPerSecond?: readonly [number, number];
  /** Fitted contention factors (B_group = B × factor) with 95 % intervals. */
  factors?: Readonly<Record<string, Estimate>>;
}

/** One measured configuration: the repeats of a (method, contention, WSS, rate). */
export interface MeasuredPoint {
  /** The run's method label. */
  method: string;
  /** The run's contention label. */
  contention: string;
  /** WSS label: "64 MiB", or "Full" when W = M. */
  wss: string;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
  /** d, nudged sideways per WSS so that points at one rate do not hide each other, pages/s. */
  plotPagesPerSecond: number;
  /** Mean measured time of the repeats, seconds. */
  meanSeconds: number;
  /** Shortest repeat, seconds. */
  minSeconds: number;
  /** Longest repeat, seconds. */
  maxSeconds: number;
  /** Number of repeats. */
  repeats: number;
  /** Mean estimate of the repeats, seconds. */
  estimatedSeconds: number;
}

/** One run's residual. */
export interface ResidualPoint {
  /** The run's method label. */
  method: string;
  /** The run's contention label. */
  contention: string;
  /** WSS label. */
  wss: string;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
  /** d, nudged sideways per WSS, pages/s. */
  plotPagesPerSecond: number;
  /** Measured − estimated, seconds. */
  residualSeconds: number;
  /** (Measured − estimated) / measured × 100, percent. */
  residualPercent: number;
}

/** One run that did not converge, drawn at the time it was cancelled. */
export interface NotConvergedPoint {
  /** The run's method label. */
  method: string;
  /** The run's contention label. */
  contention: string;
  /** WSS label. */
  wss: string;
  /** d, pages/s (the run's bin). */
  dirtyPagesPerSecond: number;
  /** d, nudged sideways per WSS, pages/s. */
  plotPagesPerSecond: number;
  /** When the run was cancelled (its `migrationTimeSeconds`), seconds. */
  cancelledSeconds: number;
}

/**
 * Builds the paper's Figures 5 and 6 (and their KVM pre-copy sibling) as a
 * {@linkcode FigureSpec}: measured migration time against the dirty rate
 * (log scale), one colour per WSS, one facet column per contention and one
 * facet row per method. A dot is the mean of a configuration's repeats and a
 * vertical bar their min–max spread; a line is the model's estimate. Two
 * residual panels below share the x axis: measured − estimated in seconds and
 * in percent of the measured time, each with a zero line.
 *
 * The estimates come in as an array (one per run, e.g. from `predictRuns`),
 * so the figure does not depend on how they were fitted. Runs that did not
 * converge (`non-convergent`) are drawn as crosses at the time they were
 * cancelled, with no estimate or residual; runs with any other status that
 * is not `completed` are left out and counted in the caption. Points at one
 * dirty rate are nudged sideways by WSS (±4.5 % per step at most, said in
 * the caption).
 *
 * Dirty rates and WSS that vary run to run are binned (said in the
 * caption): to the requested values when every run has them
 * (`requestedDirtyPagesPerSecond`, `requestedWssBytes`); else kept as they
 * are when there are at most 8 values at least 25 % apart (8 WSS); else
 * rates to the nearest 1-2-5 value in log and WSS to the nearest power of
 * two MiB. The x ticks are the rate bins, every k-th one when their labels
 * would overlap at the facet's width.
 *
 * Cost: O(n log n) for n runs.
 *
 * @param runs The measured runs.
 * @param estimatesSeconds The estimated migration time of each run, seconds (same order and length).
 * @param options The data source, the fitted parameters for the caption, sizes.
 * @returns The figure: three panels (main, residual seconds, residual percent).
 * @throws {TypeError} If runs, estimates or options have the wrong type.
 * @throws {RangeError} If the lengths differ, an estimate of a completed run is not a finite
 *   positive number, or no run is completed.
 *
 * @example Two runs, one estimate each
 * ```ts
 * import { figureEstimatedVsMeasuredSpec } from "./figure_estimated_vs_measured_spec.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "none", memoryBytes: 2 ** 30, wssBytes: 2 ** 26,
 *   dirtyPagesPerSecond: 1024, pageBytes: 4096, migrationTimeSeconds: 10, status: "completed",
 *   extra: {},
 * };
 * const figure = figureEstimatedVsMeasuredSpec(
 *   [run, { ...run, migrationTimeSeconds: 12 }],
 *   [10.5, 10.5],
 *   { source: { description: "an example", synthetic: true } },
 * );
 * assert.equal(figure.panels.length, 3);
 * assert.ok(figure.title.startsWith("SYNTHETIC"));
 * ```
 */
export function figureEstimatedVsMeasuredSpec(
  runs: readonly MigrationRun[],
  estimatesSeconds: ArrayLike<number>,
  options: FigureEstimatedVsMeasuredOptions,
): FigureSpec {
  const where = "figureEstimatedVsMeasuredSpec";
  if (!Array.isArray(runs)) {
    throw new TypeError(`${where}: invalid runs, expected an array (got ${showValue(runs)})`);
  }
  if (
    typeof estimatesSeconds !== "object" || estimatesSeconds === null ||
    typeof estimatesSeconds.length !== "number"
  ) {
    throw new TypeError(
      `${where}: invalid estimatesSeconds, expected an array of numbers (got ${
        showValue(estimatesSeconds)
      })`,
    );
  }
  if (estimatesSeconds.length !== runs.length) {
    throw new RangeError(
      `${where}: invalid estimatesSeconds, expected one estimate per run (${runs.length}) (got ${estimatesSeconds.length})`,
    );
  }
  const resolved = resolveOptions(where, options);
  const { used, stuck, rules } = drawnRuns(where, runs, estimatesSeconds);
  const arranged = arrangeRuns(used, stuck, rules);
  return draw(arranged, resolved, captionText(resolved, arranged, runs));
}

/** The figure: title, legends, the main panel and the two residual panels. */
function draw(arranged: ArrangedRuns, resolved: Resolved, caption: string): FigureSpec {
  const { wssDomain, methods } = arranged;
  const scales = scalesOf(arranged, resolved);
  return {
    title: markTitle(resolved.title, resolved.source),
    subtitle: `${
      methods.map(methodName).join(", ")
    }: migration time against dirty rate, by WSS (colour) and contention (columns), with residuals`,
    caption,
    legends: [
      {
        label: "WSS",
        items: wssDomain.map((label, i) => ({
          label,
          color: scales.colors[i]!,
          symbol: "dot" as const,
        })),
      },
      {
        label: "Marks",
        items: [
          { label: "measured (mean)", color: "#333", symbol: "dot" },
          { label: "spread of repeats (min–max)", color: "#333", symbol: "range" },
          { label: "model estimate", color: "#333", symbol: "line" },
          ...(arranged.stuck.length > 0
            ? [{
              label: "did not converge (at the time it was cancelled)",
              color: "#333",
              symbol: "cross" as const,
            }]
            : []),
        ],
      },
    ],
    panels: [
      mainPanel(arranged, scales),
      residualPanel(arranged, scales, {
        name: "residual-seconds",
        field: "residualSeconds",
        label: "residual (s)",
        xLabel: null,
        extraHeight: 30,
        marginBottom: 22,
      }),
      residualPanel(arranged, scales, {
        name: "residual-percent",
        field: "residualPercent",
        label: "residual (%)",
        xLabel: "dirty rate (pages/s, log scale)",
        extraHeight: 50,
        marginBottom: 40,
      }),
    ],
    widthPixels: scales.width,
  };
}

/** The scales and sizes every panel shares. */
function scalesOf(arranged: ArrangedRuns, resolved: Resolved) {
  const { wssDomain, methods, contentions, rates } = arranged;
  const colors = colorsFor(wssDomain);
  const xDomain: [number, number] = [rates[0]! / 1.5, rates[rates.length - 1]! * 1.5];
  const margins = { marginLeft: 64, marginRight: 100 };
  const padding = 0.12;
  const tickFormat = plainTick;
  const ticks = spacedTicks(
    rates,
    xDomain,
    facetWidth(resolved.widthPixels, margins, contentions.length, padding),
    tickFormat,
  );
  return {
    colors,
    color: { type: "ordinal" as const, domain: wssDomain, range: colors },
    xTicks: ticks,
    x: (label: string | null) => ({
      type: "log" as const,
      domain: xDomain,
      ticks,
      tickFormat,
      label,
      labelAnchor: "center" as const,
      labelArrow: "none" as const,
    }),
    fx: { domain: contentions, label: null, padding },
    fy: { domain: methods, label: null, tickFormat: methodName },
    facet: { fx: "contention", fy: "method" } as const,
    width: resolved.widthPixels,
    margins,
    rowHeight: resolved.rowHeightPixels,
  };
}

type Scales = ReturnType<typeof scalesOf>;

/** The main panel: the model's lines, the repeats' min–max bars and their means. */
function mainPanel(arranged: ArrangedRuns, scales: Scales): PanelSpec {
  const { points, spreads, methods } = arranged;
  const { facet } = scales;
  return {
    name: "main",
    plot: {
      width: scales.width,
      height: scales.rowHeight * methods.length + 50,
      ...scales.margins,
      marginTop: 24,
      marginBottom: 26,
      x: scales.x(null),
      y: {
        label: "migration time (s)",
        zero: true,
        nice: true,
        grid: true,
        labelArrow: "none",
      },
      fx: { ...scales.fx, axis: "top" },
      fy: scales.fy,
      color: scales.color,
      marks: [
        Plot.frame({ stroke: "#ccc" }),
        Plot.line(points, {
          x: "dirtyPagesPerSecond",
          y: "estimatedSeconds",
          z: "wss",
          stroke: "wss",
          strokeWidth: 1.5,
          // A tick at each estimate, so an estimate with no neighbour still shows.
          marker: "tick-x",
          ...facet,
        }),
        Plot.ruleX(spreads, {
          x: "plotPagesPerSecond",
          y1: "minSeconds",
          y2: "maxSeconds",
          stroke: "wss",
          strokeWidth: 1.5,
          ...facet,
        }),
        Plot.dot(points, {
          x: "plotPagesPerSecond",
          y: "meanSeconds",
          fill: "wss",
          r: 3,
          ...facet,
        }),
        Plot.dot(arranged.stuck, {
          x: "plotPagesPerSecond",
          y: "cancelledSeconds",
          stroke: "wss",
          symbol: "times",
          strokeWidth: 1.5,
          r: 3.5,
          ...facet,
        }),
        logAxisMark("x", scales.xTicks, { label: null }),
      ],
    },
  };
}

/** A residual panel; the two differ only in the field, the labels and the bottom margin. */
function residualPanel(
  arranged: ArrangedRuns,
  scales: Scales,
  panel: {
    name: string;
    field: "residualSeconds" | "residualPercent";
    label: string;
    xLabel: string | null;
    extraHeight: number;
    marginBottom: number;
  },
): PanelSpec {
  const residualRow = Math.round(scales.rowHeight / 2);
  return {
    name: panel.name,
    plot: {
      width: scales.width,
      height: residualRow * arranged.methods.length + panel.extraHeight,
      ...scales.margins,
      marginTop: 18,
      marginBottom: panel.marginBottom,
      x: scales.x(panel.xLabel),
      y: { label: panel.label, grid: true, nice: true, labelArrow: "none" },
      fx: { ...scales.fx, axis: null },
      fy: scales.fy,
      color: scales.color,
      marks: [
        Plot.frame({ stroke: "#ccc" }),
        Plot.ruleY([0], { stroke: "#555" }),
        Plot.dot(arranged.residuals, {
          x: "plotPagesPerSecond",
          y: panel.field,
          stroke: "wss",
          r: 2.5,
          ...scales.facet,
        }),
        logAxisMark("x", scales.xTicks, {
          label: panel.xLabel,
          ...(panel.xLabel ? { labelAnchor: "center" as const } : {}),
        }),
      ],
    },
  };
}
