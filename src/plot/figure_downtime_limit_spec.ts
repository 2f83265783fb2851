/**
 * Figure 3: KVM pre-copy time and downtime against the downtime limit.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { checkNumber, checkObject } from "../_validate.ts";
import { checkCurves, checkMeasured } from "./_downtime_limit_checks.ts";
import { bytesToMib } from "../units.ts";
import {
  facetWidth,
  logAxisMark,
  logTicks,
  niceLogTicks,
  plainTick,
  spacedTicks,
} from "./_log_ticks.ts";
import { formatBandwidth, markTitle, sourceSentence } from "./_style.ts";
import type { DataSource, FigureSpec, PanelSpec } from "./types.ts";

export type {
  DowntimeLimitCurves,
  DowntimeLimitMeasurement,
  DowntimeLimitPoint,
  DowntimeLimitSwitch,
  DowntimeLimitWorkload,
} from "./_downtime_limit_data.ts";
import type {
  DowntimeLimitCurves,
  DowntimeLimitMeasurement,
  DowntimeLimitPoint,
  DowntimeLimitSwitch,
} from "./_downtime_limit_data.ts";

/** Options for {@linkcode figureDowntimeLimitSpec}. */
export interface FigureDowntimeLimitOptions {
  /**
   * Where B came from, if it was fitted; synthetic sources mark the figure.
   *
   * @default {undefined (B is a nominal value)}
   */
  bandwidthSource?: DataSource;
  /**
   * Measured runs to draw over the model (rings), each in the column of its
   * `workload` label.
   *
   * @default {[] (a model-only figure)}
   */
  measured?: readonly DowntimeLimitMeasurement[];
  /**
   * Where the measured runs came from (required with `measured`).
   *
   * @default {undefined}
   */
  measuredSource?: DataSource;
  /**
   * One sentence for the caption on how the workloads (columns) were chosen.
   *
   * @default {""}
   */
  workloadsNote?: string;
  /**
   * The figure's width, CSS pixels.
   *
   * @default {1000, or 280 per workload plus the margins when wider}
   */
  widthPixels?: number;
}

/** What each rule is, for the caption. */
const RULE_TEXT = {
  "qemu":
    "QEMU's switch rule: the dirty count checked after every ~50 ms chunk, the bitmap synced once it dips below B x limit",
  "between-rounds": "the between-rounds rule: the dirty remainder / B checked after whole rounds",
} as const;

const OUTCOMES = ["converged", "did not converge"];
const OUTCOME_COLORS = ["#0072B2", "#D55E00"];

/**
 * Draws the shape of the paper's Figure 3 from the KVM pre-copy model's
 * curves (`downtimeLimitCurves`): the migration time (top, log scale) and
 * the downtime (bottom) against the user's downtime limit (log scale), one
 * column per workload. Each point is coloured by whether pre-copy converged
 * or was cancelled at the timeout; the switch points are dashed rules (where
 * pre-copy starts to converge, and M/B, from which the whole memory goes in
 * one stop-and-copy). Measured runs of a sweep, when given, are drawn over
 * the model: rings where they converged, crosses at the time they were
 * cancelled where they did not. Both log axes always have labelled ticks
 * (1-2-5 or finer inside one decade), thinned so labels never overlap at
 * the columns' width; the figure widens with more than 3 workloads.
 *
 * The figure only draws: the model was run and bisected before. When B was
 * fitted to data, `bandwidthSource` says from which (and marks synthetic ones).
 *
 * Cost: O(P) for P points.
 *
 * @param curves The model's points and switches, with the memory, B and timeout they used.
 * @param options B's source, measured runs and their source, width.
 * @returns The figure: two panels (time, downtime), and the points and switches it drew.
 * @throws {TypeError} If curves or an option has the wrong type, or measured runs have no source.
 * @throws {RangeError} If a measured run names no workload of the curves, or a value is out of range.
 *
 * @example A model-only Figure 3
 * ```ts
 * import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
 * import assert from "node:assert/strict";
 * const workload = { label: "(a) WSS 0 MiB", wssBytes: 0, dirtyPagesPerSecond: 51200 };
 * const point = (limitSeconds: number) => ({
 *   workload: workload.label, limitSeconds, timeSeconds: 12.9, downtimeSeconds: 0.01,
 *   iterations: 1, outcome: "converged",
 * });
 * const figure = figureDowntimeLimitSpec({
 *   memoryBytes: 1.5 * 2 ** 30, bandwidthBytesPerSecond: 125e6, timeoutSeconds: 600,
 *   workloads: [workload], limitRangeSeconds: [0.01, 100],
 *   points: [point(0.01), point(100)], switches: [],
 * });
 * assert.deepEqual(figure.panels.map((p) => p.name), ["time", "downtime"]);
 * assert.match(figure.caption, /nominal, not fitted/);
 * ```
 */
export function figureDowntimeLimitSpec(
  curves: DowntimeLimitCurves,
  options: FigureDowntimeLimitOptions = {},
): FigureSpec & { points: DowntimeLimitPoint[]; switches: DowntimeLimitSwitch[] } {
  const where = "figureDowntimeLimitSpec";
  checkCurves(where, curves);
  checkObject(where, "options", options);
  const widthPixels = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? Math.max(1000, 88 + 280 * curves.workloads.length),
    "positive",
    "pixels",
  );
  const measured = options.measured ?? [];
  checkMeasured(where, measured, curves.workloads.map((w) => w.label));
  if (measured.length > 0 && options.measuredSource === undefined) {
    throw new TypeError(
      `${where}: invalid option "measuredSource", expected a data source with the measured runs (got undefined)`,
    );
  }
  const { points, switches } = curves;
  const source = options.bandwidthSource;
  const measuredSource = options.measuredSource;
  const title = `KVM pre-copy: migration time and downtime against the downtime limit (${
    measured.length > 0 ? "model and measured runs" : "model"
  })`;
  return {
    title: markTitle(title, {
      description: "",
      synthetic: Boolean(source?.synthetic || measuredSource?.synthetic),
    }),
    subtitle: `M = ${
      bytesToMib(curves.memoryBytes)
    } MiB; a small change of the limit flips a migration that never ends into an immediate stop-and-copy (the paper's Figure 3)`,
    caption: caption(curves, measured, source, measuredSource, options.workloadsNote ?? ""),
    legends: [{
      label: "Outcome",
      items: [
        { label: OUTCOMES[0]!, color: OUTCOME_COLORS[0]!, symbol: "dot" },
        {
          label: `${OUTCOMES[1]!} (cancelled at ${curves.timeoutSeconds} s)`,
          color: OUTCOME_COLORS[1]!,
          symbol: "dot",
        },
        { label: "switch point", color: "#777", symbol: "line" },
        ...(curves.firstWindow
          ? [{
            label: "the other outcome where the first 100 ms decide",
            color: "#555",
            symbol: "diamond" as const,
          }]
          : []),
        ...(curves.reference
          ? [{
            label: `reference: ${curves.reference.switchRule} rule`,
            color: "#888",
            symbol: "line" as const,
          }]
          : []),
        ...(measured.some((m) => m.outcome === "converged")
          ? [{ label: "measured run", color: OUTCOME_COLORS[0]!, symbol: "ring" as const }]
          : []),
        ...(measured.some((m) => m.outcome !== "converged")
          ? [{
            label: "measured run that did not converge (at the time it was cancelled)",
            color: OUTCOME_COLORS[1]!,
            symbol: "cross" as const,
          }]
          : []),
      ],
    }],
    panels: panels(curves, measured, widthPixels),
    widthPixels,
    points,
    switches,
  };
}

/** The caption: what the dots and rings are, where B came from, the timeout, the switches. */
function caption(
  curves: DowntimeLimitCurves,
  measured: readonly DowntimeLimitMeasurement[],
  source: DataSource | undefined,
  measuredSource: DataSource | undefined,
  workloadsNote: string,
): string {
  const b = formatBandwidth(curves.bandwidthBytesPerSecond);
  const bSentence = source
    ? `B = ${b}, fitted to: ${sourceSentence(source).replace(/^Data: /, "")}`
    : `B = ${b} (nominal, not fitted).`;
  const switchText = curves.switches.map((s) =>
    `${s.workload.split(" ")[0]} ${s.what} at ${s.limitSeconds.toFixed(3)} s`
  ).join("; ");
  const rule = RULE_TEXT[curves.switchRule ?? "qemu"];
  return [
    measured.length > 0 && measuredSource
      ? `Small dots and grey steps: kvmPrecopy (${rule}). Rings: ${measured.length} measured runs, ${
        sourceSentence(measuredSource).replace(/^Data: /, "").replace(/\.$/, "")
      }; a measured run that did not converge is a cross instead, drawn at the time it was cancelled, with no downtime.`
      : `Model output of kvmPrecopy (${rule}), no measurement plotted.`,
    curves.firstWindow
      ? `Open diamonds: at these limits QEMU's first bandwidth window decides the stop, and its reading moves from one sitting to another (kvmPrecopy's socketBufferRangeBytes), so the migration either stops at its first check, pausing for nearly the whole memory, or goes on and stops later; the diamond is the model's other outcome (otherOutcome).`
      : "",
    curves.reference
      ? `Thin dotted line, for reference: kvmPrecopy with ${
        RULE_TEXT[curves.reference.switchRule]
      }.`
      : "",
    bSentence,
    `Runs that do not converge are cancelled at ${curves.timeoutSeconds} s; their downtime is the pause a forced switch would cost then.`,
    switchText ? `Dashed: ${switchText}.` : "",
    workloadsNote,
  ].filter((part) => part.length > 0).join(" ");
}

/** The two panels, time (log y) over downtime, sharing the log x axis and the columns. */
function panels(
  curves: DowntimeLimitCurves,
  measured: readonly DowntimeLimitMeasurement[],
  widthPixels: number,
): PanelSpec[] {
  const { points, workloads } = curves;
  const [low, high] = curves.limitRangeSeconds;
  const margins = { marginLeft: 64, marginRight: 24 };
  const padding = 0.14;
  const tickFormat = plainTick;
  const x = {
    type: "log" as const,
    domain: [low, high],
    ticks: spacedTicks(
      logTicks(low, high),
      [low, high],
      facetWidth(widthPixels, margins, workloads.length, padding),
      tickFormat,
    ),
    tickFormat,
    label: "downtime limit (s, log scale)",
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
  };
  const fx = { domain: workloads.map((w) => w.label), label: null, padding };
  const color = { type: "ordinal" as const, domain: OUTCOMES, range: OUTCOME_COLORS };
  const timeTicks = niceLogTicks([...points, ...measured].map((p) => p.timeSeconds));
  const marks = (y: "timeSeconds" | "downtimeSeconds") =>
    panelMarks(curves, measured, y, { xTicks: x.ticks, timeTicks, xLabel: x.label });
  return [
    {
      name: "time",
      plot: {
        width: widthPixels,
        height: 260,
        ...margins,
        marginTop: 26,
        marginBottom: 28,
        x: { ...x, label: null },
        y: {
          type: "log",
          label: "migration time (s, log)",
          grid: true,
          labelArrow: "none",
          ticks: timeTicks,
          tickFormat,
        },
        fx: { ...fx, axis: "top" },
        color,
        marks: marks("timeSeconds"),
      },
    },
    {
      name: "downtime",
      plot: {
        width: widthPixels,
        height: 220,
        ...margins,
        marginTop: 14,
        marginBottom: 40,
        x,
        y: {
          label: "downtime (s)",
          labelAnchor: "center",
          grid: true,
          zero: true,
          labelArrow: "none",
        },
        fx: { ...fx, axis: null },
        color,
        marks: marks("downtimeSeconds"),
      },
    },
  ];
}

/** The marks of one panel (both draw the same marks, each for its own y field), with explicit log axes. */
function panelMarks(
  curves: DowntimeLimitCurves,
  measured: readonly DowntimeLimitMeasurement[],
  y: "timeSeconds" | "downtimeSeconds",
  axes: { xTicks: number[]; timeTicks: number[]; xLabel: string },
): unknown[] {
  const { points, switches } = curves;
  const time = y === "timeSeconds";
  return [
    Plot.frame({ stroke: "#ccc" }),
    Plot.ruleX(switches, {
      x: "limitSeconds",
      fx: "workload",
      stroke: "#777",
      strokeDasharray: "4,3",
    }),
    Plot.line(points, {
      x: "limitSeconds",
      y,
      fx: "workload",
      curve: "step-after",
      stroke: "#999",
    }),
    Plot.dot(points, { x: "limitSeconds", y, fx: "workload", fill: "outcome", r: 2 }),
    ...(measured.length === 0 ? [] : [
      Plot.dot(measured.filter((m) => m.outcome === "converged" && m[y] !== undefined), {
        x: "limitSeconds",
        y,
        fx: "workload",
        stroke: "outcome",
        fill: "white",
        strokeWidth: 1.6,
        r: 4.5,
      }),
      // Runs that did not converge: crosses at the time they were cancelled (no downtime).
      Plot.dot(measured.filter((m) => m.outcome !== "converged" && m[y] !== undefined), {
        x: "limitSeconds",
        y,
        fx: "workload",
        stroke: "outcome",
        symbol: "times",
        strokeWidth: 2,
        r: 4.5,
      }),
    ]),
    // The other outcome where the first window goes either way.
    ...(curves.firstWindow
      ? [Plot.dot(curves.firstWindow, {
        x: "limitSeconds",
        y,
        fx: "workload",
        symbol: "diamond",
        stroke: "#555",
        fill: "none",
        strokeWidth: 1.2,
        r: 3.5,
      })]
      : []),
    // The reference rule, thin and dotted (after the runs, so that the marks' order stays).
    ...(curves.reference
      ? [Plot.line(curves.reference.points, {
        x: "limitSeconds",
        y,
        fx: "workload",
        curve: "step-after",
        stroke: "#888",
        strokeWidth: 0.8,
        strokeDasharray: "1.5,2",
      })]
      : []),
    // Explicit log axes, so that every tick is labelled; the y label runs along
    // the axis, clear of the columns' titles above.
    logAxisMark("x", axes.xTicks, {
      label: time ? null : axes.xLabel,
      ...(time ? {} : { labelAnchor: "center" as const }),
    }),
    ...(time
      ? [logAxisMark("y", axes.timeTicks, {
        label: "migration time (s, log)",
        labelAnchor: "center",
      })]
      : []),
  ];
}
