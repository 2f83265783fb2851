/**
 * Figures 2 and 4 and the noise figure: one cost of each method (downtime,
 * migration time, progress ratio) against the workload (WSS × dirty rate),
 * one panel per contention.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { markTitle, methodName, sourceSentence } from "./_style.ts";
import { extraMarks, logY, methodColors } from "./_workload_cost_marks.ts";
import type { DataSource, FigureSpec } from "./types.ts";

/** One workload on the x axis: a WSS and a dirty rate, at its position. */
export interface WorkloadSlot {
  /** WSS label ("64 MiB", "Full"). */
  wss: string;
  /** d, pages/s (the nominal, requested rate). */
  dirtyPagesPerSecond: number;
  /** Its place on the x axis: 0, 1, 2, ... (WSS groups in order of size, rates within). */
  position: number;
}

/** The repeats of one (method, contention, workload): mean and spread of the measured value. */
export interface WorkloadCostPoint {
  /** The method label. */
  method: string;
  /** The contention label. */
  contention: string;
  /** WSS label. */
  wss: string;
  /** d, pages/s (nominal). */
  dirtyPagesPerSecond: number;
  /** x position, the workload's plus a small offset per method so methods do not hide each other. */
  position: number;
  /** Mean of the repeats, in the quantity's unit. */
  mean: number;
  /** Smallest repeat. */
  min: number;
  /** Largest repeat. */
  max: number;
  /** How many repeats. */
  repeats: number;
  /** True when the values are a proxy, not the quantity measured (drawn as crosses). */
  proxy?: boolean;
}

/** The model's value at one (method, contention, workload). */
export interface WorkloadModelPoint {
  /** The method label. */
  method: string;
  /** The contention label. */
  contention: string;
  /** WSS label (lines join the rates of one WSS). */
  wss: string;
  /** d, pages/s (nominal). */
  dirtyPagesPerSecond: number;
  /** x position (the workload's, no offset). */
  position: number;
  /** The model's value, in the quantity's unit. */
  value: number;
}

/** The runs of one (method, contention, workload) that did not complete, drawn as triangles at the top. */
export interface WorkloadIncompletePoint {
  /** The method label. */
  method: string;
  /** The contention label. */
  contention: string;
  /** WSS label. */
  wss: string;
  /** d, pages/s (nominal). */
  dirtyPagesPerSecond: number;
  /** x position, with the method's offset (as the measured points). */
  position: number;
  /** The runs' status, e.g. "non-convergent". */
  status: string;
  /** How many runs. */
  runs: number;
}

/** What {@linkcode figureWorkloadCostSpec} draws (from `workloadCosts`). */
export interface WorkloadCosts {
  /** The run field drawn, e.g. `downtimeSeconds`. */
  quantity: string;
  /** The panels' contentions, in order. */
  contentions: string[];
  /** The methods, in the schema's order. */
  methods: string[];
  /** The x axis: every workload measured, in order. */
  workloads: WorkloadSlot[];
  /** Measured points. */
  points: WorkloadCostPoint[];
  /** Model points (empty: no model line). */
  model: WorkloadModelPoint[];
  /** Runs not drawn, by "method: why", with counts. */
  leftOut: Record<string, number>;
  /**
   * Configurations whose runs did not complete (no value of the quantity),
   * drawn as open triangles at the top of their panel.
   */
  incomplete?: WorkloadIncompletePoint[];
  /** How many drawn runs' values are a proxy (see the figure's caption), 0 if none. */
  proxyRuns: number;
  /** A second quantity's points, drawn as rings (e.g. the co-located load's progress ratio). */
  secondary?: { quantity: string; points: WorkloadCostPoint[]; model?: WorkloadModelPoint[] };
}

/** Options for {@linkcode figureWorkloadCostSpec}. */
export interface FigureWorkloadCostOptions {
  /** Where the runs came from; synthetic data are marked so. */
  source: DataSource;
  /** The title (the SYNTHETIC mark is added in front when needed). */
  title: string;
  /** The y axis label with its unit, e.g. "downtime (s, log scale)". */
  yLabel: string;
  /**
   * A log y axis (for downtime, which spans milliseconds to seconds).
   *
   * @default {false}
   */
  logY?: boolean;
  /**
   * A horizontal reference line, e.g. 1 for a progress ratio (no slowdown).
   *
   * @default {undefined (none)}
   */
  reference?: number;
  /**
   * What the model lines are, for the caption ("" when there are none).
   *
   * @default {""}
   */
  modelNote?: string;
  /**
   * The legend's label of the secondary points (rings).
   *
   * @default {"secondary"}
   */
  secondaryLabel?: string;
  /**
   * One more sentence for the caption (what a proxy is, ...).
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
}

const PANEL_LETTERS = "abcdefgh";

/**
 * Draws one cost of each method against the workload, as the paper's
 * Figures 2 (downtime) and 4 (migration time) do: the x axis runs through
 * the WSS groups (labelled above each group) and, within each, the dirty
 * rates; one panel per contention, (a), (b), ...; one colour per method. A
 * dot is the mean of a configuration's repeats and a vertical bar their
 * min–max; a line, where given, is the model at the same workloads, one per
 * WSS group. The figure only draws: the values were computed before.
 *
 * Cost: O(n) for n points.
 *
 * @param costs The measured points, the model's and the axis.
 * @param options Source, title, y label and scale, caption notes, width.
 * @returns The figure (one panel, faceted by contention).
 * @throws {TypeError} If costs or options have the wrong type.
 * @throws {RangeError} If there are no measured points, or the width is not positive.
 *
 * @example Two methods at one workload
 * ```ts
 * import { figureWorkloadCostSpec } from "./figure_workload_cost_spec.ts";
 * import assert from "node:assert/strict";
 * const point = (method: string, mean: number) => ({
 *   method, contention: "cpu", wss: "64 MiB", dirtyPagesPerSecond: 15360, position: 0,
 *   mean, min: mean, max: mean, repeats: 1,
 * });
 * const figure = figureWorkloadCostSpec({
 *   quantity: "downtimeSeconds", contentions: ["cpu"], methods: ["kvm-precopy", "kvm-postcopy"],
 *   workloads: [{ wss: "64 MiB", dirtyPagesPerSecond: 15360, position: 0 }],
 *   points: [point("kvm-precopy", 0.3), point("kvm-postcopy", 0.005)],
 *   model: [], leftOut: {}, proxyRuns: 0,
 * }, {
 *   source: { description: "an example", synthetic: true },
 *   title: "Downtime", yLabel: "downtime (s)", logY: true,
 * });
 * assert.ok(figure.title.startsWith("SYNTHETIC"));
 * assert.equal(figure.panels[0]!.plot.y!.type, "log");
 * assert.match(figure.caption, /2 configurations/);
 * ```
 */
export function figureWorkloadCostSpec(
  costs: WorkloadCosts,
  options: FigureWorkloadCostOptions,
): FigureSpec {
  const where = "figureWorkloadCostSpec";
  checkObject(where, "costs", costs);
  checkObject(where, "options", options);
  for (const field of ["points", "model", "workloads", "contentions", "methods"] as const) {
    if (!Array.isArray(costs[field])) {
      throw new TypeError(
        `${where}: invalid costs.${field}, expected an array (got ${showValue(costs[field])})`,
      );
    }
  }
  if (costs.points.length === 0) {
    throw new RangeError(
      `${where}: invalid costs.points, expected at least one measured point (got 0; left out: ${
        JSON.stringify(costs.leftOut)
      })`,
    );
  }
  if (typeof options.title !== "string" || typeof options.yLabel !== "string") {
    throw new TypeError(
      `${where}: invalid options, expected "title" and "yLabel" strings (got ${
        showValue(options.title)
      }, ${showValue(options.yLabel)})`,
    );
  }
  const width = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? 1100,
    "positive",
    "pixels",
  );
  const colors = methodColors(costs.methods);
  return {
    title: markTitle(options.title, options.source),
    subtitle: `${
      costs.methods.map(methodName).join(", ")
    } against the workload (WSS groups, dirty rate within each); panels: ${
      costs.contentions.map((c, i) => `(${PANEL_LETTERS[i] ?? i}) ${c} contention`).join(", ")
    }`,
    caption: captionOf(costs, options),
    legends: [
      {
        label: "Method",
        items: costs.methods.map((m, i) => ({
          label: methodName(m),
          color: colors[i]!,
          symbol: "dot" as const,
        })),
      },
      {
        label: "Marks",
        items: [
          { label: "measured (mean)", color: "#333", symbol: "dot" as const },
          ...(costs.points.some((p) => p.proxy)
            ? [{ label: "proxy (mean, ×)", color: "#333", symbol: "cross" as const }]
            : []),
          { label: "repeats (min–max)", color: "#333", symbol: "range" as const },
          ...((costs.incomplete ?? []).length > 0
            ? [{ label: "did not complete (top)", color: "#333", symbol: "triangle" as const }]
            : []),
          ...(costs.model.length > 0
            ? [{ label: "model", color: "#333", symbol: "line" as const }]
            : []),
          ...(costs.secondary
            ? [{
              label: `${options.secondaryLabel ?? "secondary"} (ring)`,
              color: "#333",
              symbol: "ring" as const,
            }]
            : []),
          ...((costs.secondary?.model ?? []).length > 0
            ? [{
              label: `${options.secondaryLabel ?? "secondary"} model (dashed)`,
              color: "#333",
              symbol: "line" as const,
            }]
            : []),
        ],
      },
    ],
    panels: [{ name: "main", plot: plotOf(costs, options, colors, width) }],
    widthPixels: width,
  };
}

/** The caption: data, what a point is, what was left out, the model and notes. */
function captionOf(costs: WorkloadCosts, options: FigureWorkloadCostOptions): string {
  const runs = costs.points.reduce((sum, p) => sum + p.repeats, 0);
  const left = Object.entries(costs.leftOut).map(([why, n]) => `${n} ${why}`).join(", ");
  const incomplete = new Map<string, number>();
  for (const p of costs.incomplete ?? []) {
    const key = `${p.method} ${p.status}`;
    incomplete.set(key, (incomplete.get(key) ?? 0) + p.runs);
  }
  const triangles = [...incomplete].map(([why, n]) => `${n} ${why}`).join(", ");
  return [
    sourceSentence(options.source),
    `${costs.points.length} configurations from ${runs} runs; a dot is the mean of a configuration's repeats, a bar their min–max; methods are nudged sideways at each workload.`,
    triangles
      ? `Triangles at the top of a panel: a configuration's runs that did not complete, so have no value (${triangles}).`
      : "",
    left ? `Not drawn: ${left}.` : "",
    costs.model.length > 0 && options.modelNote ? options.modelNote : "",
    costs.model.length === 0 ? "No model line: no model of this quantity is fitted yet." : "",
    options.note ?? "",
  ].filter((s) => s.length > 0).join(" ");
}

/** Plot options: x through the workloads, facets by contention, dots, bars and model lines. */
function plotOf(
  costs: WorkloadCosts,
  options: FigureWorkloadCostOptions,
  colors: string[],
  width: number,
) {
  const { workloads } = costs;
  const n = workloads.length;
  // Group boundaries and centres of the WSS groups.
  const groups: { wss: string; from: number; to: number }[] = [];
  for (const slot of workloads) {
    const last = groups.at(-1);
    if (last && last.wss === slot.wss) last.to = slot.position;
    else groups.push({ wss: slot.wss, from: slot.position, to: slot.position });
  }
  const separators = groups.slice(1).map((g) => g.from - 0.5);
  const labels = groups.map((g) => ({ wss: g.wss, position: (g.from + g.to) / 2 }));
  const panelOf = new Map(
    costs.contentions.map((c, i) => [c, `(${PANEL_LETTERS[i] ?? i}) ${c} contention`]),
  );
  const panel = (d: { contention: string }) => panelOf.get(d.contention) ?? d.contention;
  const rate = (v: number) => {
    const d = workloads.find((w) => w.position === v)?.dirtyPagesPerSecond;
    return d === undefined ? "" : String(Number(d.toPrecision(6)));
  };
  const values = costs.points.concat(costs.secondary?.points ?? []).flatMap((p) => [
    p.min,
    p.max,
  ]).concat(
    costs.model.map((p) => p.value),
    (costs.secondary?.model ?? []).map((p) => p.value),
  ).filter((v) => Number.isFinite(v) && (!options.logY || v > 0));
  const facets = [...panelOf.values()];
  const proxies = costs.points.some((p) => p.proxy === true);
  return {
    width,
    height: 300 * costs.contentions.length + 80,
    marginLeft: 64,
    marginRight: 130,
    marginTop: 30,
    marginBottom: n > 12 ? 62 : 44,
    x: {
      type: "linear",
      domain: [-0.6, n - 0.4],
      ticks: workloads.map((w) => w.position),
      tickFormat: rate,
      ...(n > 12 ? { tickRotate: -45 } : {}),
      label: "dirty rate (pages/s) within each WSS group",
      labelAnchor: "center",
      labelArrow: "none",
    },
    y: {
      type: options.logY ? "log" : "linear",
      label: options.yLabel,
      grid: true,
      nice: true,
      labelArrow: "none",
      ...(options.logY ? {} : { zero: true }),
      // A log axis: plain numbers ("0.1", not d3's "100m"), the unit in the label.
      ...(values.length > 0 && options.logY ? logY(values) : {}),
    },
    fy: { domain: facets, label: null, padding: 0.12 },
    color: { type: "ordinal", domain: costs.methods, range: colors },
    marks: [
      Plot.frame({ stroke: "#ccc" }),
      Plot.ruleX(separators, { stroke: "#ddd" }),
      Plot.text(labels, {
        x: "position",
        text: "wss",
        frameAnchor: "top",
        dy: -9,
        fontSize: 10,
        fill: "#444",
      }),
      ...(options.reference !== undefined
        ? [Plot.ruleY([options.reference], { stroke: "#888", strokeDasharray: "4,3" })]
        : []),
      Plot.line(costs.model, {
        x: "position",
        y: "value",
        z: (d: WorkloadModelPoint) => `${d.method}|${d.wss}`,
        stroke: "method",
        strokeWidth: 1.4,
        marker: "tick-x",
        fy: panel,
      }),
      Plot.ruleX(costs.points.filter((p) => p.repeats > 1), {
        x: "position",
        y1: "min",
        y2: "max",
        stroke: "method",
        strokeWidth: 1.4,
        fy: panel,
      }),
      Plot.dot(costs.points, {
        x: "position",
        y: "mean",
        fill: "method",
        r: 3,
        fy: panel,
        ...(proxies ? { filter: (p: WorkloadCostPoint) => !p.proxy } : {}),
      }),
      Plot.dot(costs.secondary?.points ?? [], {
        x: "position",
        y: "mean",
        stroke: "method",
        fill: "white",
        r: 4,
        fy: panel,
      }),
      ...extraMarks(costs, panel),
    ],
  };
}
