/**
 * A decision map: pre-copy or post-copy over WSS × dirty rate.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { bytesToMib } from "../units.ts";
import { formatBandwidth, methodName, squareLegend } from "./_style.ts";
import type { FigureSpec, PanelSpec } from "./types.ts";

/** Options for {@linkcode figureDecisionMapSpec}. */
export interface FigureDecisionMapOptions {
  /**
   * A label for the scenario in the title, e.g. "network contention".
   *
   * @default {""}
   */
  scenario?: string;
  /**
   * The figure's width, CSS pixels.
   *
   * @default {900}
   */
  widthPixels?: number;
}

/** One cell of the map. */
export interface DecisionCell {
  /** W, bytes. */
  wssBytes: number;
  /** W, MiB (the y value). */
  wssMib: number;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
  /** Left edge, log2(pages/s). */
  x1: number;
  /** Right edge, log2(pages/s). */
  x2: number;
  /** Bottom edge, MiB. */
  y1: number;
  /** Top edge, MiB. */
  y2: number;
  /** Pre-copy migration time (or when it gave up), seconds. */
  precopySeconds: number;
  /** Post-copy migration time, seconds. */
  postcopySeconds: number;
  /** Pre-copy pause, seconds. */
  precopyDowntimeSeconds: number;
  /** Post-copy pause, seconds. */
  postcopyDowntimeSeconds: number;
  /** Whether pre-copy converged (always true for Xen, which forces a stop). */
  precopyConverged: boolean;
  /** "pre-copy faster", "post-copy faster" or "pre-copy does not converge". */
  decision: string;
  /** The pre-copy downtime's band, e.g. "0.3–1 s". */
  downtimeBand: string;
  /**
   * KVM pre-copy under QEMU's rule: whether the first 100 ms window decides
   * the stop, `"stops"`, `"continues"` or `"either"` (`kvmPrecopy`'s
   * `firstWindow`); null or absent otherwise.
   */
  precopyFirstWindow?: string | null;
  /** Where `precopyFirstWindow` is `"either"`: the other outcome's pause, seconds; else null or absent. */
  otherPrecopyDowntimeSeconds?: number | null;
  /** Where `precopyFirstWindow` is `"either"`: the other outcome's migration time, seconds; else null or absent. */
  otherPrecopySeconds?: number | null;
  /** Where `precopyFirstWindow` is `"either"`: whether the other outcome converged; else null or absent. */
  otherPrecopyConverged?: boolean | null;
}

/** A decision map's data (`decisionMap`): the cells and what the models were run with. */
export interface DecisionMap {
  /** M, bytes. */
  memoryBytes: number;
  /** B, bytes/s. */
  bandwidthBytesPerSecond: number;
  /** The pre-copy model compared with KVM post-copy. */
  precopy: "kvm-precopy" | "xen-precopy";
  /** The WSS values (rows), bytes, increasing. */
  wssBytes: number[];
  /** The dirty rates (columns), pages/s, increasing. */
  dirtyPagesPerSecond: number[];
  /** KVM pre-copy's downtime limit, seconds (said in the caption). */
  downtimeLimitSeconds: number;
  /** When KVM pre-copy gives up, seconds (said in the caption). */
  timeoutSeconds: number;
  /** One cell per (WSS, rate), rows of WSS in order, rates within a row. */
  cells: DecisionCell[];
}

/** What each cell says, in the legend's order: the colour domain of the top panel. */
export const DECISIONS: readonly string[] = [
  "pre-copy faster",
  "post-copy faster",
  "pre-copy does not converge",
];
/** The lower edges of the downtime bands (after the first), seconds. */
export const DOWNTIME_BAND_EDGES_SECONDS: readonly number[] = [0.1, 0.3, 1, 3, 10];
/** The downtime bands, in order: the colour domain of the bottom panel. */
export const DOWNTIME_BANDS: readonly string[] = [
  "< 0.1 s",
  "0.1–0.3 s",
  "0.3–1 s",
  "1–3 s",
  "3–10 s",
  "≥ 10 s",
];
const DECISION_COLORS = ["#0072B2", "#E69F00", "#D55E00"];
const BAND_COLORS = ["#e3eef9", "#c6dbef", "#6baed6", "#2171b5", "#08306b", "#000000"];

/**
 * Draws a decision map (from `decisionMap`) for one memory size, bandwidth
 * and contention scenario: over WSS × dirty rate, which method migrates
 * faster (pre-copy, post-copy, or pre-copy does not converge at all), and the
 * pause pre-copy gives (post-copy's pause is its constant switchover, stated
 * in the caption). The figure only draws: the models ran before.
 *
 * Cost: O(n) for n cells.
 *
 * @param map The cells and what the models were run with.
 * @param options Scenario label and width.
 * @returns The figure (two panels) and its cells in `cells`.
 * @throws {TypeError} If the map or an option has the wrong type.
 * @throws {RangeError} If the map has no cells or the width is out of range.
 *
 * @example Counting cells in the caption
 * ```ts
 * import { figureDecisionMapSpec } from "./figure_decision_map_spec.ts";
 * import assert from "node:assert/strict";
 * const cell = (x1: number, decision: string) => ({
 *   wssBytes: 0, wssMib: 0, dirtyPagesPerSecond: 2 ** (x1 + 0.5), x1, x2: x1 + 1, y1: -1, y2: 1,
 *   precopySeconds: 10, postcopySeconds: 11, precopyDowntimeSeconds: 0.01,
 *   postcopyDowntimeSeconds: 0.047, precopyConverged: true, decision, downtimeBand: "< 0.1 s",
 * });
 * const figure = figureDecisionMapSpec({
 *   memoryBytes: 2 ** 30, bandwidthBytesPerSecond: 125e6, precopy: "kvm-precopy",
 *   wssBytes: [0], dirtyPagesPerSecond: [1448, 2896], downtimeLimitSeconds: 0.3,
 *   timeoutSeconds: 600, cells: [cell(10, "pre-copy faster"), cell(11, "pre-copy faster")],
 * });
 * assert.match(figure.caption, /KVM pre-copy is faster in 2 cells/);
 * ```
 */
export function figureDecisionMapSpec(
  map: DecisionMap,
  options: FigureDecisionMapOptions = {},
): FigureSpec & { cells: DecisionCell[] } {
  const where = "figureDecisionMapSpec";
  checkObject(where, "map", map);
  if (!Array.isArray(map.cells) || map.cells.length === 0) {
    throw new RangeError(
      `${where}: invalid map.cells, expected a non-empty array of cells (got ${
        showValue(map.cells)
      })`,
    );
  }
  checkObject(where, "options", options);
  const widthPixels = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? 900,
    "positive",
    "pixels",
  );
  const { cells, memoryBytes, bandwidthBytesPerSecond, precopy } = map;
  const preName = methodName(precopy);
  const scenario = options.scenario ? ` under ${options.scenario}` : "";
  return {
    title: `Pre-copy or post-copy? ${preName} against KVM post-copy${scenario} (model)`,
    subtitle: `M = ${bytesToMib(memoryBytes)} MiB, B = ${
      formatBandwidth(bandwidthBytesPerSecond)
    }; top: which migrates faster; bottom: ${preName}'s downtime`,
    caption: caption(map),
    legends: [
      squareLegend("Faster", DECISIONS, DECISION_COLORS),
      squareLegend("Pre-copy downtime", DOWNTIME_BANDS, BAND_COLORS),
      ...(eitherCells(cells).length > 0
        ? [{
          label: "First window",
          items: [{ label: EITHER_LABEL, color: EITHER_COLOR, symbol: "ring" as const }],
        }]
        : []),
    ],
    panels: panels(cells, widthPixels),
    widthPixels,
    cells,
  };
}

const EITHER_LABEL = "the pause is one of two";
const EITHER_COLOR = "#999999";

/** The cells whose pre-copy pause QEMU's first window decides either way. */
function eitherCells(cells: readonly DecisionCell[]): DecisionCell[] {
  return cells.filter((c) => c.precopyFirstWindow === "either");
}

/** The caption's sentence on the cells whose pause is one of two, or "". */
function eitherSentence(cells: readonly DecisionCell[]): string {
  const either = eitherCells(cells);
  if (either.length === 0) return "";
  const pauses = either.flatMap((c) => [c.precopyDowntimeSeconds, c.otherPrecopyDowntimeSeconds!]);
  const range = `${Math.min(...pauses).toFixed(2)}–${Math.max(...pauses).toFixed(2)} s`;
  return `Ringed in the downtime panel (${either.length} cells): QEMU's first 100 ms bandwidth reading decides whether the migration stops at its first check, and that reading moves from one machine to another (kvmPrecopy's socketBufferRangeBytes), so the pause there is one of two values (${range} over these cells); each cell is coloured by the outcome at socketBufferBytes.`;
}

/** The caption: the grid, the count of each decision, the models' limits and pauses. */
function caption(map: DecisionMap): string {
  const { cells, precopy } = map;
  const preName = methodName(precopy);
  const counts = DECISIONS.map((label) => cells.filter((c) => c.decision === label).length);
  const postPause = cells[0]!.postcopyDowntimeSeconds;
  return [
    `Model output (sweep over ${map.wssBytes.length} WSS × ${map.dirtyPagesPerSecond.length} dirty rates), no measurement.`,
    `${preName} is faster in ${counts[0]} cells, KVM post-copy (T = M/B) in ${
      counts[1]
    }; pre-copy does not converge in ${counts[2]}${
      precopy === "kvm-precopy"
        ? ` (the remainder never fits the ${map.downtimeLimitSeconds} s downtime limit; cancelled at ${map.timeoutSeconds} s)`
        : ""
    }.`,
    `Both pre-copy models send the whole memory in their first round, so at best they match T = M/B (at WSS 0, ahead only by post-copy's switchover); the trade is downtime.`,
    `Post-copy's downtime is its switchover pause, ${
      (postPause * 1000).toFixed(1)
    } ms everywhere; it pays instead with remote page faults while it runs.`,
    precopy === "kvm-precopy"
      ? "Where pre-copy does not converge, its downtime is the pause a forced switch would cost."
      : "",
    eitherSentence(cells),
  ].filter((part) => part.length > 0).join(" ");
}

/** The two panels, the decision over the downtime band, tiled by the cells' edges. */
function panels(cells: readonly DecisionCell[], widthPixels: number): PanelSpec[] {
  // x is log2 of the dirty rate on a linear scale (Plot's log axis drops
  // labels between decades); ticks are labelled with the rate itself.
  const lo = cells[0]!.x1;
  const hi = cells[cells.length - 1]!.x2;
  const x = {
    domain: [lo, hi],
    label: "dirty rate (pages/s, log scale)",
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
    tickFormat: (v: number) => String(2 ** v),
    ticks: Array.from({ length: 20 }, (_, k) => 2 * k).filter((t) => t >= lo && t <= hi),
  };
  const y = {
    domain: [cells[0]!.y1, cells[cells.length - 1]!.y2],
    label: "WSS (MiB)",
    labelArrow: "none" as const,
  };
  const either = eitherCells(cells);
  const panel = (name: string, fill: string, domain: readonly string[], range: string[]) => ({
    name,
    plot: {
      width: widthPixels,
      height: 300,
      marginLeft: 64,
      marginRight: 20,
      marginTop: 10,
      marginBottom: 40,
      x,
      y,
      color: { type: "ordinal", domain: [...domain], range },
      marks: [
        Plot.rect(cells, {
          x1: "x1",
          x2: "x2",
          y1: "y1",
          y2: "y2",
          fill,
          stroke: fill,
          strokeWidth: 0.6,
          inset: 0,
        }),
        // Cells whose pause the first window decides either way, ringed at their centres.
        ...(name === "downtime" && either.length > 0
          ? [Plot.dot(either, {
            x: (c: DecisionCell) => (c.x1 + c.x2) / 2,
            y: (c: DecisionCell) => (c.y1 + c.y2) / 2,
            stroke: EITHER_COLOR,
            fill: "none",
            strokeWidth: 1,
            r: 2.2,
          })]
          : []),
        Plot.frame(),
      ],
    },
  });
  return [
    panel("decision", "decision", DECISIONS, DECISION_COLORS),
    panel("downtime", "downtimeBand", DOWNTIME_BANDS, BAND_COLORS),
  ];
}
