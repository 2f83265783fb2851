/**
 * Figure 1: CPU use over time on the source host, one panel per method.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { markTitle, methodName, sourceSentence } from "./_style.ts";
import type { DataSource, FigureSpec } from "./types.ts";

/** The three series of Figure 1, in the legend's order. */
export const CPU_SERIES = [
  "migrating VM (vCPU)",
  "co-located load",
  "migration (main loop + migration threads)",
] as const;

const SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73"];

/** CPU use of one series over one sampling interval. */
export interface CpuUsePoint {
  /** One of {@linkcode CPU_SERIES}. */
  series: string;
  /** The interval's end on the figure's time axis, seconds. */
  timeSeconds: number;
  /** CPU use, percent of one core. */
  percent: number;
}

/** One panel: a run of one method. */
export interface CpuUsePanel {
  /** The method label. */
  method: string;
  /** The run, e.g. its trace file's name (stated in the caption). */
  run: string;
  /** The points (`cpuUse`). */
  points: readonly CpuUsePoint[];
  /** When the migration ran on the time axis, seconds: [start, end]. */
  migrationSeconds: readonly [number, number];
  /**
   * The dataset the run comes from; when every panel has one, the caption
   * names these datasets instead of `options.source`.
   */
  source?: DataSource;
}

/** Options for {@linkcode figureCpuUseSpec}. */
export interface FigureCpuUseOptions {
  /** Where the traces came from; synthetic ones are marked so. */
  source: DataSource;
  /**
   * The workload and contention, for the title.
   *
   * @default {"WSS 64 MiB, 15,360 pages/s, CPU contention"}
   */
  workload?: string;
  /**
   * The figure's width, CSS pixels.
   *
   * @default {1000}
   */
  widthPixels?: number;
}

/**
 * Draws the paper's Figure 1 from measured CPU samples: CPU use (percent of
 * one core) against time of the migrating VM, the co-located load and the
 * migration on the source host, one panel per method, with the migration's
 * span shaded. The figure only draws: `cpuUse` computed the points.
 *
 * Cost: O(n) for n points.
 *
 * @param panels One run per method.
 * @param options Source, workload label, width.
 * @returns The figure (one panel, a facet row per method).
 * @throws {TypeError} If the panels or options have the wrong type.
 * @throws {RangeError} If there are no panels or the width is not positive.
 *
 * @example One method's run (SYNTHETIC points)
 * ```ts
 * import { figureCpuUseSpec } from "./figure_cpu_use_spec.ts";
 * import assert from "node:assert/strict";
 * const figure = figureCpuUseSpec([{
 *   method: "kvm-precopy", run: "a synthetic run", migrationSeconds: [10, 20],
 *   points: [{ series: "migrating VM (vCPU)", timeSeconds: 10.1, percent: 50 }],
 * }], { source: { description: "made up", synthetic: true } });
 * assert.ok(figure.title.startsWith("SYNTHETIC"));
 * assert.deepEqual(figure.panels[0]!.plot.fy!.domain, ["KVM pre-copy"]);
 * ```
 */
export function figureCpuUseSpec(
  panels: readonly CpuUsePanel[],
  options: FigureCpuUseOptions,
): FigureSpec {
  const where = "figureCpuUseSpec";
  if (!Array.isArray(panels) || panels.length === 0) {
    throw new RangeError(
      `${where}: invalid panels, expected a non-empty array of runs (got ${showValue(panels)})`,
    );
  }
  checkObject(where, "options", options);
  const width = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? 1000,
    "positive",
    "pixels",
  );
  const workload = options.workload ?? "WSS 64 MiB, 15,360 pages/s, CPU contention";
  const rows = panels.map((p) => methodName(p.method));
  const points = panels.flatMap((p, i) =>
    p.points.map((point: CpuUsePoint) => ({ ...point, row: rows[i]! }))
  );
  const spans = panels.map((p, i) => ({
    row: rows[i]!,
    start: p.migrationSeconds[0],
    end: p.migrationSeconds[1],
  }));
  const tMax = Math.max(...points.map((p) => p.timeSeconds), ...spans.map((s) => s.end));
  const tMin = Math.min(0, ...points.map((p) => p.timeSeconds));
  return {
    title: markTitle(`Figure 1: CPU use on the source host (${workload})`, options.source),
    subtitle:
      "CPU use (% of one core) of the migrating VM, the co-located load and the migration, one panel per method; shaded: the migration",
    caption: [
      sourceSentence(panelSource(panels) ?? options.source),
      `Runs: ${panels.map((p) => `${methodName(p.method)} ${p.run}`).join("; ")}.`,
      "From the progress trace's /proc samples (every 0.1 s): migrating VM = the source QEMU's vCPU threads; migration = its main loop and migration threads; co-located load = the contention process.",
    ].join(" "),
    legends: [{
      label: "CPU use of",
      items: CPU_SERIES.map((label, k) => ({
        label,
        color: SERIES_COLORS[k]!,
        symbol: "line" as const,
      })),
    }],
    panels: [{
      name: "main",
      plot: {
        width,
        height: 170 * rows.length + 60,
        marginLeft: 56,
        marginRight: 170,
        marginBottom: 40,
        x: {
          domain: [tMin, tMax],
          label: "time (s)",
          labelAnchor: "center",
          labelArrow: "none",
        },
        y: { label: "CPU (%)", domain: [0, 110], grid: true, labelArrow: "none" },
        fy: { domain: rows, label: null },
        color: { type: "ordinal", domain: [...CPU_SERIES], range: SERIES_COLORS },
        marks: [
          Plot.rectX(spans, { x1: "start", x2: "end", fy: "row", fill: "#eee" }),
          Plot.frame({ stroke: "#ccc" }),
          Plot.line(points, {
            x: "timeSeconds",
            y: "percent",
            z: "series",
            stroke: "series",
            strokeWidth: 1.2,
            fy: "row",
          }),
        ],
      },
    }],
    widthPixels: width,
  };
}

/** The panels' own datasets, each named once, when every panel has one. */
function panelSource(panels: readonly CpuUsePanel[]): DataSource | undefined {
  if (panels.length === 0 || panels.some((p) => p.source === undefined)) return undefined;
  const descriptions = [...new Set(panels.map((p) => p.source!.description))];
  return {
    description: descriptions.join("; "),
    synthetic: panels.some((p) => p.source!.synthetic),
  };
}
