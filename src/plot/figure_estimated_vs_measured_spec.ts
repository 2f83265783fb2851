/**
 * Figures 5 and 6: estimated against measured migration time, with residuals.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { bytesPerSecondToMbps } from "../units.ts";
import type { MigrationRun } from "../data/types.ts";
import type { Estimate } from "../fit/types.ts";
import {
  colorsFor,
  formatBandwidth,
  markTitle,
  methodName,
  orderContentions,
  orderMethods,
  sourceSentence,
  wssLabel,
} from "./_style.ts";
import type { DataSource, FigureSpec } from "./types.ts";

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

const DODGE = 1.045;

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
 * so the figure does not depend on how they were fitted. Runs whose status is
 * not `completed` are left out and counted in the caption. Points at one
 * dirty rate are nudged sideways by WSS (±4.5 % per step, said in the caption).
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

  // Completed runs with their estimates.
  const used: ({ run: MigrationRun; estimate: number } & Nominal)[] = [];
  runs.forEach((run, index) => {
    checkObject(where, `run ${index}`, run);
    if (run.status !== "completed") return;
    const estimate = estimatesSeconds[index];
    if (typeof estimate !== "number" || !Number.isFinite(estimate) || estimate <= 0) {
      throw new RangeError(
        `${where}: invalid estimate ${index}, expected a finite number > 0 seconds for a completed run (got ${
          showValue(estimate)
        })`,
      );
    }
    checkNumber(
      where,
      "input",
      `runs[${index}].migrationTimeSeconds`,
      run.migrationTimeSeconds,
      "positive",
      "seconds",
    );
    const nominal = nominalOf(run);
    checkNumber(
      where,
      "input",
      `runs[${index}].dirtyPagesPerSecond`,
      nominal.rate,
      "positive",
      "pages/s",
    );
    used.push({ run, estimate, ...nominal });
  });
  if (used.length === 0) {
    throw new RangeError(
      `${where}: invalid runs, expected at least one completed run (got ${runs.length} runs, none completed)`,
    );
  }
  const excluded = runs.length - used.length;

  // WSS labels in order of size ("Full" last), and their nudge factors.
  const wssOrder = new Map<string, number>();
  for (const { wss, wssSize } of used) {
    wssOrder.set(wss, Math.min(wssOrder.get(wss) ?? Infinity, wssSize));
  }
  const wssDomain = [...wssOrder.keys()].sort((a, b) => wssOrder.get(a)! - wssOrder.get(b)!);
  const nudge = new Map(
    wssDomain.map((label, i) => [label, DODGE ** (i - (wssDomain.length - 1) / 2)]),
  );
  const methods = orderMethods(used.map(({ run }) => run.method));
  const contentions = orderContentions(used.map(({ run }) => run.contention));
  const rates = [...new Set(used.map(({ rate }) => rate))].sort((a, b) => a - b);
  const requestedRates = used.some(({ requestedRate }) => requestedRate);
  const requestedWss = used.some(({ requestedWss }) => requestedWss);

  // Group the repeats of each configuration.
  const groups = new Map<
    string,
    {
      key: Omit<
        MeasuredPoint,
        "meanSeconds" | "minSeconds" | "maxSeconds" | "repeats" | "estimatedSeconds"
      >;
      times: number[];
      estimates: number[];
    }
  >();
  const residuals: ResidualPoint[] = [];
  for (const { run, estimate, rate, wss } of used) {
    const plotPagesPerSecond = rate * nudge.get(wss)!;
    const id = JSON.stringify([run.method, run.contention, wss, rate]);
    let group = groups.get(id);
    if (!group) {
      group = {
        key: {
          method: run.method,
          contention: run.contention,
          wss,
          dirtyPagesPerSecond: rate,
          plotPagesPerSecond,
        },
        times: [],
        estimates: [],
      };
      groups.set(id, group);
    }
    group.times.push(run.migrationTimeSeconds);
    group.estimates.push(estimate);
    const residualSeconds = run.migrationTimeSeconds - estimate;
    residuals.push({
      method: run.method,
      contention: run.contention,
      wss,
      dirtyPagesPerSecond: rate,
      plotPagesPerSecond,
      residualSeconds,
      residualPercent: (100 * residualSeconds) / run.migrationTimeSeconds,
    });
  }
  const points: MeasuredPoint[] = [...groups.values()].map(({ key, times, estimates }) => ({
    ...key,
    meanSeconds: mean(times),
    minSeconds: Math.min(...times),
    maxSeconds: Math.max(...times),
    repeats: times.length,
    estimatedSeconds: mean(estimates),
  })).sort((a, b) =>
    a.method.localeCompare(b.method) || a.contention.localeCompare(b.contention) ||
    wssDomain.indexOf(a.wss) - wssDomain.indexOf(b.wss) ||
    a.dirtyPagesPerSecond - b.dirtyPagesPerSecond
  );
  const spreads = points.filter((p) => p.repeats > 1);

  const colors = colorsFor(wssDomain);
  const color = { type: "ordinal" as const, domain: wssDomain, range: colors };
  const xDomain = [rates[0]! / 1.5, rates[rates.length - 1]! * 1.5];
  const x = (label: string | null) => ({
    type: "log" as const,
    domain: xDomain,
    ticks: rates,
    tickFormat: (d: number) => String(d),
    label,
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
  });
  const fx = { domain: contentions, label: null, padding: 0.12 };
  const fy = { domain: methods, label: null, tickFormat: methodName };
  const facet = { fx: "contention", fy: "method" } as const;
  const width = resolved.widthPixels;
  const margins = { marginLeft: 64, marginRight: 100 };
  const rowHeight = resolved.rowHeightPixels;
  const residualRow = Math.round(rowHeight / 2);

  const repeatsMax = Math.max(...points.map((p) => p.repeats));
  const repeatsMin = Math.min(...points.map((p) => p.repeats));
  const captionParts = [
    sourceSentence(resolved.source),
    `Dots: mean of ${
      repeatsMin === repeatsMax ? repeatsMin : `${repeatsMin}–${repeatsMax}`
    } repeat(s) per configuration; bars: min–max of the repeats; lines: the model's estimate (${
      methods.map(methodName).join(", ")
    }).`,
    fitSentence(resolved),
    "Residual = measured − estimated, per run (percent of the measured time).",
    `Points at one dirty rate are nudged sideways by WSS so they do not hide each other.`,
    requestedRates || requestedWss
      ? `Runs are placed and grouped by their requested ${
        requestedRates && requestedWss
          ? "dirty rate and WSS"
          : requestedRates
          ? "dirty rate"
          : "WSS"
      } (columns requested_dirty_pages_per_second, requested_wss); the model used each run's achieved values.`
      : "",
    excluded > 0 ? `Left out (not completed): ${excludedText(runs)}.` : "",
    resolved.note,
  ];

  // The two residual panels differ only in the field, the label and the bottom margin.
  const residualPanel = (
    name: string,
    field: "residualSeconds" | "residualPercent",
    label: string,
    xLabel: string | null,
    extraHeight: number,
    marginBottom: number,
  ) => ({
    name,
    plot: {
      width,
      height: residualRow * methods.length + extraHeight,
      ...margins,
      marginTop: 18,
      marginBottom,
      x: x(xLabel),
      y: { label, grid: true, nice: true, labelArrow: "none" },
      fx: { ...fx, axis: null },
      fy,
      color,
      marks: [
        Plot.frame({ stroke: "#ccc" }),
        Plot.ruleY([0], { stroke: "#555" }),
        Plot.dot(residuals, { x: "plotPagesPerSecond", y: field, stroke: "wss", r: 2.5, ...facet }),
      ],
    },
  });
  return {
    title: markTitle(resolved.title, resolved.source),
    subtitle: `${
      methods.map(methodName).join(", ")
    }: migration time against dirty rate, by WSS (colour) and contention (columns), with residuals`,
    caption: captionParts.filter((part) => part.length > 0).join(" "),
    legends: [
      {
        label: "WSS",
        items: wssDomain.map((label, i) => ({ label, color: colors[i]!, symbol: "dot" as const })),
      },
      {
        label: "Marks",
        items: [
          { label: "measured (mean)", color: "#333", symbol: "dot" },
          { label: "spread of repeats (min–max)", color: "#333", symbol: "range" },
          { label: "model estimate", color: "#333", symbol: "line" },
        ],
      },
    ],
    panels: [
      {
        name: "main",
        plot: {
          width,
          height: rowHeight * methods.length + 50,
          ...margins,
          marginTop: 24,
          marginBottom: 26,
          x: x(null),
          y: {
            label: "migration time (s)",
            zero: true,
            nice: true,
            grid: true,
            labelArrow: "none",
          },
          fx: { ...fx, axis: "top" },
          fy,
          color,
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
          ],
        },
      },
      residualPanel("residual-seconds", "residualSeconds", "residual (s)", null, 30, 22),
      residualPanel(
        "residual-percent",
        "residualPercent",
        "residual (%)",
        "dirty rate (pages/s, log scale)",
        50,
        40,
      ),
    ],
    widthPixels: width,
  };
}

interface Resolved {
  source: { description: string; synthetic: boolean };
  title: string;
  fitted: readonly FittedSummary[];
  note: string;
  widthPixels: number;
  rowHeightPixels: number;
}

function resolveOptions(where: string, options: FigureEstimatedVsMeasuredOptions): Resolved {
  const record = checkObject(where, "options", options);
  const source = checkObject(where, 'option "source"', record.source);
  if (typeof source.description !== "string" || typeof source.synthetic !== "boolean") {
    throw new TypeError(
      `${where}: invalid option "source", expected { description: string, synthetic: boolean } (got ${
        showValue(record.source)
      })`,
    );
  }
  const {
    title = "Estimated and measured migration time",
    fitted = [],
    note = "",
    widthPixels = 1100,
    rowHeightPixels = 230,
  } = options;
  if (!Array.isArray(fitted)) {
    throw new TypeError(
      `${where}: invalid option "fitted", expected an array (got ${showValue(fitted)})`,
    );
  }
  fitted.forEach((fit, i) => {
    checkObject(where, `option "fitted[${i}]"`, fit);
    checkNumber(
      where,
      "option",
      `fitted[${i}].bandwidthBytesPerSecond`,
      fit.bandwidthBytesPerSecond,
      "positive",
      "bytes/s",
    );
    const interval = fit.bandwidthIntervalBytesPerSecond;
    if (interval !== undefined && (!Array.isArray(interval) || interval.length !== 2)) {
      throw new TypeError(
        `${where}: invalid option "fitted[${i}].bandwidthIntervalBytesPerSecond", expected [low, high] (got ${
          showValue(interval)
        })`,
      );
    }
  });
  return {
    source: { description: source.description, synthetic: source.synthetic },
    title: String(title),
    fitted,
    note: String(note),
    widthPixels: checkNumber(where, "option", "widthPixels", widthPixels, "positive", "pixels"),
    rowHeightPixels: checkNumber(
      where,
      "option",
      "rowHeightPixels",
      rowHeightPixels,
      "positive",
      "pixels",
    ),
  };
}

function fitSentence(resolved: Resolved): string {
  return resolved.fitted.map((fit) => {
    const interval = fit.bandwidthIntervalBytesPerSecond;
    const b = `${fit.label}: fitted B = ${formatBandwidth(fit.bandwidthBytesPerSecond)}${
      interval && Number.isFinite(interval[0]) && Number.isFinite(interval[1])
        ? `, 95 % interval ${bytesPerSecondToMbps(interval[0]).toFixed(1)}–${
          bytesPerSecondToMbps(interval[1]).toFixed(1)
        } Mbit/s`
        : ""
    }`;
    const all = fit.factors ?? {};
    const factors = orderContentions(Object.keys(all)).map((group) => [group, all[group]!] as const)
      .map(([group, f]) =>
        Number.isFinite(f.low) && Number.isFinite(f.high)
          ? `${group} ${f.value.toFixed(3)} [${f.low.toFixed(3)}, ${f.high.toFixed(3)}]`
          : `${group} ${f.value.toFixed(3)}`
      );
    return factors.length > 0
      ? `${b}; contention factors (B_group = B × factor, 95 % interval): ${factors.join(", ")}.`
      : `${b}.`;
  }).join(" ");
}

/** Where a run sits in the figure: its nominal dirty rate and WSS. */
interface Nominal {
  rate: number;
  wss: string;
  wssSize: number;
  requestedRate: boolean;
  requestedWss: boolean;
}

/**
 * A run's nominal dirty rate and WSS: the requested values when the dataset
 * has them (`requestedDirtyPagesPerSecond`, `requestedWssBytes`,
 * as the collector writes), else the run's own (achieved) values.
 */
function nominalOf(run: MigrationRun): Nominal {
  const requestedRate = run.requestedDirtyPagesPerSecond ?? Number.NaN;
  const hasRate = Number.isFinite(requestedRate) && requestedRate > 0;
  const requestedWssBytes = run.requestedWssBytes ?? Number.NaN;
  let wss = wssLabel(run.wssBytes, run.memoryBytes);
  let wssSize = wss === "Full" ? Infinity : run.wssBytes;
  let hasWss = false;
  // A request of the whole memory is "full" (wssLabel gives "Full").
  if (Number.isFinite(requestedWssBytes)) {
    wss = wssLabel(requestedWssBytes, run.memoryBytes);
    wssSize = wss === "Full" ? Infinity : requestedWssBytes;
    hasWss = true;
  }
  return {
    rate: hasRate ? requestedRate : run.dirtyPagesPerSecond,
    wss,
    wssSize,
    requestedRate: hasRate,
    requestedWss: hasWss,
  };
}

function excludedText(runs: readonly MigrationRun[]): string {
  const counts = new Map<string, number>();
  for (const run of runs) {
    if (run.status === "completed") continue;
    const key = `${run.method} ${run.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([key, n]) => `${n} ${key}`).join(", ");
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
