/**
 * The three-cost decision map: which methods meet a user's limits over WSS
 * × dirty rate, by how much, with the measured configurations over it.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { checkObject, showValue } from "../_validate.ts";
import { bytesToMib } from "../units.ts";
import { formatBandwidth, methodName, sourceSentence, squareLegend } from "./_style.ts";
import type { DecisionMap } from "./figure_decision_map_spec.ts";
import type { DataSource, FigureSpec, PanelSpec } from "./types.ts";

/** A method's verdict in one model cell (`decisionLimits`). */
export interface CellVerdict {
  /** Whether every stated limit is met. */
  meets: boolean;
  /** The tightest margin as a fraction of its limit (−Infinity: does not converge). */
  spare: number;
}

/** One model cell's verdicts, in the map's order. */
export interface LimitsVerdict {
  /** Pre-copy. */
  precopy: CellVerdict;
  /** Post-copy. */
  postcopy: CellVerdict;
  /** "both", "pre-copy only", "post-copy only" or "neither". */
  verdict: string;
  /** Whether QEMU's first window decides pre-copy's verdict (`decisionLimits`); absent: no. */
  precopyDependsOnFirstWindow?: boolean;
}

/** One measured configuration against the limits (`measuredLimits`). */
export interface MeasuredLimitPoint {
  /** The method label. */
  method: string;
  /** W, MiB (the y value). */
  wssMib: number;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
  /** log2(d), the x value. */
  x: number;
  /** How many runs. */
  runs: number;
  /** "meets", "misses", "did not converge" or "failed". */
  status: string;
  /** Limit − measured mean per judged limit, in the limit's unit. */
  margins: { downtimeSeconds?: number; slowdown?: number; timeSeconds?: number };
  /** Limits that could not be judged from the runs ("slowdown" at WSS 0). */
  unjudged: string[];
}

/** What {@linkcode figureDecisionLimitsSpec} draws. */
export interface DecisionLimitsInput {
  /** The model's map (`decisionMap`). */
  map: DecisionMap;
  /** One verdict per cell (`decisionLimits`). */
  verdicts: readonly LimitsVerdict[];
  /** The limits, for the title. */
  limits: { maxDowntimeSeconds?: number; maxSlowdown?: number; deadlineSeconds?: number };
  /** Measured configurations to draw over the map (`measuredLimits`), with their source. */
  measured?: { points: readonly MeasuredLimitPoint[]; source: DataSource };
  /** What the slowdown limit was judged with on the map, e.g. "not modelled". */
  slowdownNote?: string;
  /** A scenario label, e.g. "network contention". */
  scenario?: string;
}

/** The verdicts, in the legend's order. */
export const LIMIT_VERDICTS: readonly string[] = [
  "both",
  "pre-copy only",
  "post-copy only",
  "neither",
];
const VERDICT_COLORS = ["#009E73", "#0072B2", "#E69F00", "#D55E00"];
/** The bands of the tightest margin, in the legend's order. */
export const SPARE_BANDS: readonly string[] = [
  "does not converge",
  "misses by > 50 %",
  "misses by ≤ 50 %",
  "meets, < 25 % to spare",
  "meets, 25–75 % to spare",
  "meets, > 75 % to spare",
];
const SPARE_COLORS = ["#555555", "#b2182b", "#ef8a62", "#d1e5f0", "#67a9cf", "#2166ac"];
const MEASURED_STATUS = ["meets", "misses", "did not converge", "failed"];
const MEASURED_COLORS = ["#ffffff", "#000000", "#999999", "#999999"];

function band(spare: number): string {
  if (spare === -Infinity) return SPARE_BANDS[0]!;
  if (!Number.isFinite(spare)) return SPARE_BANDS[5]!; // no limit: everything to spare
  if (spare < -0.5) return SPARE_BANDS[1]!;
  if (spare < 0) return SPARE_BANDS[2]!;
  if (spare < 0.25) return SPARE_BANDS[3]!;
  return spare < 0.75 ? SPARE_BANDS[4]! : SPARE_BANDS[5]!;
}

/**
 * Draws the three-cost decision over WSS × dirty rate: top, which methods
 * meet every stated limit (both, one, neither); below, one panel per
 * method with the tightest margin's band (how much of the limit is to
 * spare, or by how much it is missed). Measured configurations are drawn
 * over their method's panel: white dots meet the limits, black ones miss,
 * grey did not converge. The figure only draws.
 *
 * Cost: O(n) for n cells.
 *
 * @param input The map, verdicts, limits and measured points.
 * @returns The figure (three panels).
 * @throws {TypeError} If the input has the wrong type.
 * @throws {RangeError} If the verdicts do not match the cells one to one.
 *
 * @example Three panels
 * ```ts
 * import { figureDecisionLimitsSpec } from "./figure_decision_limits_spec.ts";
 * import { decisionMap } from "../analysis/decision_map.ts";
 * import { decisionLimits } from "../analysis/decision_limits.ts";
 * import assert from "node:assert/strict";
 * const map = decisionMap({ wssBytes: [0, 2 ** 28], dirtyPagesPerSecond: [1024, 51200] });
 * const limits = { maxDowntimeSeconds: 0.5 };
 * const figure = figureDecisionLimitsSpec({ map, verdicts: decisionLimits(map, limits), limits });
 * assert.equal(figure.panels.length, 3);
 * assert.match(figure.title, /downtime ≤ 0.5 s/);
 * ```
 */
export function figureDecisionLimitsSpec(input: DecisionLimitsInput): FigureSpec {
  const where = "figureDecisionLimitsSpec";
  checkObject(where, "input", input);
  const { map, verdicts, limits } = input;
  checkObject(where, "input.map", map);
  if (!Array.isArray(verdicts) || verdicts.length !== map.cells.length) {
    throw new RangeError(
      `${where}: invalid input.verdicts, expected one per cell (${map.cells.length}) (got ${
        showValue(verdicts?.length)
      })`,
    );
  }
  const stated = [
    limits.maxDowntimeSeconds !== undefined ? `downtime ≤ ${limits.maxDowntimeSeconds} s` : "",
    limits.maxSlowdown !== undefined ? `slowdown ≤ ${100 * limits.maxSlowdown} %` : "",
    limits.deadlineSeconds !== undefined ? `time ≤ ${limits.deadlineSeconds} s` : "",
  ].filter(Boolean);
  const preName = methodName(map.precopy);
  const cells = map.cells.map((cell, i) => ({
    ...cell,
    verdict: verdicts[i]!.verdict,
    preBand: band(verdicts[i]!.precopy.spare),
    postBand: band(verdicts[i]!.postcopy.spare),
  }));
  const decided = cells.filter((_, i) => verdicts[i]!.precopyDependsOnFirstWindow === true);
  const measured = input.measured?.points ?? [];
  const isPre = (p: MeasuredLimitPoint) => p.method !== "kvm-postcopy";
  return {
    title: `Which methods meet ${stated.join(", ") || "no limits"}? ${preName} and KVM post-copy${
      input.scenario ? ` under ${input.scenario}` : ""
    }`,
    subtitle: `M = ${bytesToMib(map.memoryBytes)} MiB, B = ${
      formatBandwidth(map.bandwidthBytesPerSecond)
    }; top: who meets every limit; below: each method's tightest margin; dots: measured`,
    caption: [
      `Map: model output (sweep over ${map.wssBytes.length} WSS × ${map.dirtyPagesPerSecond.length} dirty rates). A margin is limit − value; the band is the tightest one as a fraction of its limit.`,
      input.slowdownNote ?? "",
      firstWindowSentence(map, decided.length),
      input.measured
        ? `${
          sourceSentence(input.measured.source)
        } ${measured.length} configurations, the mean of their repeats against the same limits (white: meets, black: misses, grey: did not converge).`
        : "No measured points.",
    ].filter(Boolean).join(" "),
    legends: [
      squareLegend("Meets every limit", LIMIT_VERDICTS, VERDICT_COLORS),
      squareLegend("Tightest margin", SPARE_BANDS, SPARE_COLORS),
      ...(decided.length > 0
        ? [{
          label: "First window",
          items: [{
            label: "decides pre-copy's verdict",
            color: DECIDED_COLOR,
            symbol: "diamond" as const,
          }],
        }]
        : []),
    ],
    panels: [
      panel("verdict", cells, "verdict", [...LIMIT_VERDICTS], VERDICT_COLORS, [], map, "all"),
      panel(
        "precopy",
        cells,
        "preBand",
        [...SPARE_BANDS],
        SPARE_COLORS,
        measured.filter(isPre),
        map,
        preName,
        decided.length > 0
          ? [Plot.dot(decided, {
            x: (c: (typeof cells)[number]) => (c.x1 + c.x2) / 2,
            y: (c: (typeof cells)[number]) => (c.y1 + c.y2) / 2,
            symbol: "diamond",
            stroke: DECIDED_COLOR,
            fill: "none",
            strokeWidth: 1,
            r: 2.5,
          })]
          : [],
      ),
      panel(
        "postcopy",
        cells,
        "postBand",
        [...SPARE_BANDS],
        SPARE_COLORS,
        measured.filter((p) => !isPre(p)),
        map,
        "KVM post-copy",
      ),
    ],
    widthPixels: 900,
  };
}

const DECIDED_COLOR = "#333333";

/** The caption's sentence on the cells whose pre-copy verdict QEMU's first window decides, or "". */
function firstWindowSentence(map: DecisionMap, decided: number): string {
  const either = map.cells.filter((c) => c.precopyFirstWindow === "either").length;
  if (either === 0) return "";
  return `In ${either} cells QEMU's first 100 ms bandwidth window makes pre-copy's pause one of two values, depending on the machine (kvmPrecopy's firstWindow "either"); pre-copy is judged there by the worse outcome, and in ${decided} of them (open diamonds) the other outcome would meet every limit.`;
}

function panel(
  name: string,
  cells: readonly Record<string, unknown>[],
  fill: string,
  domain: string[],
  range: string[],
  measured: readonly MeasuredLimitPoint[],
  map: DecisionMap,
  label: string,
  extraMarks: readonly unknown[] = [],
): PanelSpec {
  const first = map.cells[0]!;
  const last = map.cells[map.cells.length - 1]!;
  return {
    name,
    plot: {
      width: 900,
      height: 260,
      marginLeft: 64,
      marginRight: 20,
      marginTop: 18,
      marginBottom: 40,
      x: {
        domain: [first.x1, last.x2],
        label: "dirty rate (pages/s, log scale)",
        labelAnchor: "center",
        labelArrow: "none",
        tickFormat: (v: number) => String(2 ** v),
        ticks: Array.from({ length: 20 }, (_, k) => 2 * k).filter((t) =>
          t >= first.x1 && t <= last.x2
        ),
      },
      y: { domain: [first.y1, last.y2], label: "WSS (MiB)", labelArrow: "none" },
      color: { type: "ordinal", domain, range },
      marks: [
        Plot.rect(cells, {
          x1: "x1",
          x2: "x2",
          y1: "y1",
          y2: "y2",
          fill,
          stroke: fill,
          strokeWidth: 0.6,
        }),
        Plot.dot(measured, {
          x: "x",
          y: "wssMib",
          r: 4.5,
          stroke: "#000",
          fill: (p: MeasuredLimitPoint) =>
            MEASURED_COLORS[MEASURED_STATUS.indexOf(p.status)] ?? "#999",
        }),
        ...extraMarks,
        Plot.text([label], { frameAnchor: "top-left", dx: 4, dy: 4, fontWeight: "bold" }),
        Plot.frame(),
      ],
    },
  };
}
