/**
 * A decision map: pre-copy or post-copy over WSS × dirty rate.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { KvmPostcopyOptions } from "../models/kvm_postcopy.ts";
import type { KvmPrecopyOptions } from "../models/kvm_precopy.ts";
import { paperTimeSeconds, sweep } from "../models/sweep.ts";
import type { XenPrecopyOptions } from "../models/xen_precopy.ts";
import { bytesToMib } from "../units.ts";
import { formatBandwidth, methodName } from "./_style.ts";
import { resolveVmAndLink } from "./_options.ts";
import type { FigureSpec } from "./types.ts";

/** Options for {@linkcode figureDecisionMapSpec}. */
export interface FigureDecisionMapOptions {
  /**
   * M, bytes.
   *
   * @default {1610612736 (1.5 GiB)}
   */
  memoryBytes?: number;
  /**
   * B available to the migration (after contention), bytes/s.
   *
   * @default {125e6}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * The pre-copy model compared with KVM post-copy.
   *
   * @default {"kvm-precopy"}
   */
  precopy?: "kvm-precopy" | "xen-precopy";
  /**
   * WSS values, bytes (rows of the map; each <= memoryBytes).
   *
   * @default {40 values from 0 to memoryBytes}
   */
  wssBytes?: readonly number[];
  /**
   * Dirty rates, pages/s (columns of the map).
   *
   * @default {48 values spaced evenly in log from 256 to 262144}
   */
  dirtyPagesPerSecond?: readonly number[];
  /**
   * Options of the KVM pre-copy model (downtime limit, timeout).
   *
   * @default {{}}
   */
  kvmPrecopy?: KvmPrecopyOptions;
  /**
   * Options of the Xen pre-copy model.
   *
   * @default {{}}
   */
  xenPrecopy?: XenPrecopyOptions;
  /**
   * Options of the KVM post-copy model (switchover pause).
   *
   * @default {{}}
   */
  kvmPostcopy?: KvmPostcopyOptions;
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
}

const DECISIONS = ["pre-copy faster", "post-copy faster", "pre-copy does not converge"];
const DECISION_COLORS = ["#0072B2", "#E69F00", "#D55E00"];
const BAND_EDGES = [0.1, 0.3, 1, 3, 10];
const BANDS = ["< 0.1 s", "0.1–0.3 s", "0.3–1 s", "1–3 s", "3–10 s", "≥ 10 s"];
const BAND_COLORS = ["#e3eef9", "#c6dbef", "#6baed6", "#2171b5", "#08306b", "#000000"];

/**
 * Builds a decision map for one memory size, bandwidth and contention
 * scenario: over WSS × dirty rate, which method migrates faster (pre-copy,
 * post-copy, or pre-copy does not converge at all), and the pause pre-copy
 * gives (post-copy's pause is its constant switchover, stated in the
 * caption). All numbers come from {@linkcode sweep} over the grid.
 *
 * Cost: O(n·N) for n cells and N pre-copy rounds each.
 *
 * @param options Memory, bandwidth, grids and model options.
 * @returns The figure (two panels) and its cells in `cells`.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a value is out of range (W > M).
 *
 * @example Heavy writers favour post-copy
 * ```ts
 * import { figureDecisionMapSpec } from "./figure_decision_map_spec.ts";
 * import assert from "node:assert/strict";
 * const { cells } = figureDecisionMapSpec();
 * const heavy = cells.find((c) => c.wssBytes === 1.5 * 2 ** 30 && c.dirtyPagesPerSecond > 1e5)!;
 * assert.equal(heavy.decision, "pre-copy does not converge");
 * ```
 */
export function figureDecisionMapSpec(
  options: FigureDecisionMapOptions = {},
): FigureSpec & { cells: DecisionCell[] } {
  const where = "figureDecisionMapSpec";
  checkObject(where, "options", options);
  const { memoryBytes, bandwidthBytesPerSecond } = resolveVmAndLink(where, options);
  const precopy = options.precopy ?? "kvm-precopy";
  if (precopy !== "kvm-precopy" && precopy !== "xen-precopy") {
    throw new RangeError(
      `${where}: invalid option "precopy", expected "kvm-precopy" or "xen-precopy" (got ${
        showValue(precopy)
      })`,
    );
  }
  const widthPixels = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? 900,
    "positive",
    "pixels",
  );
  const wss = [
    ...(options.wssBytes ?? Array.from({ length: 40 }, (_, i) => (memoryBytes * i) / 39)),
  ].sort((a, b) => a - b);
  const rates = [
    ...(options.dirtyPagesPerSecond ??
      Array.from({ length: 48 }, (_, i) => 256 * 2 ** ((10 * i) / 47))),
  ].sort((a, b) => a - b);
  for (const [name, values] of [["wssBytes", wss], ["dirtyPagesPerSecond", rates]] as const) {
    if (values.length < 2) {
      throw new RangeError(
        `${where}: invalid option "${name}", expected at least 2 values (got ${showValue(values)})`,
      );
    }
  }
  const grid = {
    memoryBytes,
    wssBytes: wss,
    dirtyPagesPerSecond: rates,
    bandwidthBytesPerSecond,
  };
  const pre = sweep(precopy, grid, {
    ...(precopy === "kvm-precopy" ? options.kvmPrecopy : options.xenPrecopy),
    includeInputs: false,
  });
  const post = sweep("kvm-postcopy", grid, { ...options.kvmPostcopy, includeInputs: false });
  const timeoutSeconds = options.kvmPrecopy?.timeoutSeconds ?? 600;
  const limitSeconds = options.kvmPrecopy?.downtimeLimitSeconds ?? 0.3;

  // Cell edges: geometric midpoints in x, arithmetic in y.
  const xEdges = edges(rates, true);
  const yEdges = edges(wss.map(bytesToMib), false);
  const cells: DecisionCell[] = [];
  let i = 0;
  for (let w = 0; w < wss.length; w++) {
    for (let d = 0; d < rates.length; d++, i++) {
      const precopySeconds = paperTimeSeconds(pre)[i]!;
      const postcopySeconds = post.migrationTimeSeconds[i]!;
      const converged = precopy === "xen-precopy" ||
        pre.stopReasons[pre.stopCode[i]!] === "converged";
      const precopyDowntimeSeconds = pre.downtimeSeconds[i]!;
      cells.push({
        wssBytes: wss[w]!,
        wssMib: bytesToMib(wss[w]!),
        dirtyPagesPerSecond: rates[d]!,
        x1: Math.log2(xEdges[d]!),
        x2: Math.log2(xEdges[d + 1]!),
        y1: yEdges[w]!,
        y2: yEdges[w + 1]!,
        precopySeconds,
        postcopySeconds,
        precopyDowntimeSeconds,
        postcopyDowntimeSeconds: post.downtimeSeconds[i]!,
        precopyConverged: converged,
        decision: !converged
          ? DECISIONS[2]!
          : precopySeconds <= postcopySeconds
          ? DECISIONS[0]!
          : DECISIONS[1]!,
        downtimeBand: BANDS[BAND_EDGES.filter((edge) => precopyDowntimeSeconds >= edge).length]!,
      });
    }
  }

  // x is log2 of the dirty rate on a linear scale (Plot's log axis drops
  // labels between decades); ticks are labelled with the rate itself.
  const lo = Math.log2(xEdges[0]!);
  const hi = Math.log2(xEdges[xEdges.length - 1]!);
  const x = {
    domain: [lo, hi],
    label: "dirty rate (pages/s, log scale)",
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
    tickFormat: (v: number) => String(2 ** v),
    ticks: Array.from({ length: 20 }, (_, k) => 2 * k).filter((t) => t >= lo && t <= hi),
  };
  const y = {
    domain: [yEdges[0]!, yEdges[yEdges.length - 1]!],
    label: "WSS (MiB)",
    labelArrow: "none" as const,
  };
  const rect = (fill: string) =>
    Plot.rect(cells, {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fill,
      stroke: fill,
      strokeWidth: 0.6,
      inset: 0,
    });
  const preName = methodName(precopy);
  const counts = DECISIONS.map((label) => cells.filter((c) => c.decision === label).length);
  const postPause = cells[0]!.postcopyDowntimeSeconds;
  const scenario = options.scenario ? ` under ${options.scenario}` : "";
  return {
    title: `Pre-copy or post-copy? ${preName} against KVM post-copy${scenario} (model)`,
    subtitle: `M = ${bytesToMib(memoryBytes)} MiB, B = ${
      formatBandwidth(bandwidthBytesPerSecond)
    }; top: which migrates faster; bottom: ${preName}'s downtime`,
    caption: [
      `Model output (sweep over ${wss.length} WSS × ${rates.length} dirty rates), no measurement.`,
      `${preName} is faster in ${counts[0]} cells, KVM post-copy (T = M/B) in ${
        counts[1]
      }; pre-copy does not converge in ${counts[2]}${
        precopy === "kvm-precopy"
          ? ` (the remainder never fits the ${limitSeconds} s downtime limit; cancelled at ${timeoutSeconds} s)`
          : ""
      }.`,
      `Both pre-copy models send the whole memory in their first round, so at best they match T = M/B (at WSS 0, ahead only by post-copy's switchover); the trade is downtime.`,
      `Post-copy's downtime is its switchover pause, ${
        (postPause * 1000).toFixed(1)
      } ms everywhere; it pays instead with remote page faults while it runs.`,
      precopy === "kvm-precopy"
        ? "Where pre-copy does not converge, its downtime is the pause a forced switch would cost."
        : "",
    ].filter((part) => part.length > 0).join(" "),
    legends: [
      {
        label: "Faster",
        items: DECISIONS.map((label, k) => ({
          label,
          color: DECISION_COLORS[k]!,
          symbol: "square" as const,
        })),
      },
      {
        label: "Pre-copy downtime",
        items: BANDS.map((label, k) => ({
          label,
          color: BAND_COLORS[k]!,
          symbol: "square" as const,
        })),
      },
    ],
    panels: [
      {
        name: "decision",
        plot: {
          width: widthPixels,
          height: 300,
          marginLeft: 64,
          marginRight: 20,
          marginTop: 10,
          marginBottom: 40,
          x,
          y,
          color: { type: "ordinal", domain: DECISIONS, range: DECISION_COLORS },
          marks: [rect("decision"), Plot.frame()],
        },
      },
      {
        name: "downtime",
        plot: {
          width: widthPixels,
          height: 300,
          marginLeft: 64,
          marginRight: 20,
          marginTop: 10,
          marginBottom: 40,
          x,
          y,
          color: { type: "ordinal", domain: BANDS, range: BAND_COLORS },
          marks: [rect("downtimeBand"), Plot.frame()],
        },
      },
    ],
    widthPixels,
    cells,
  };
}

/** Cell edges around sorted centres: midpoints (geometric when `log`), ends mirrored. */
function edges(centres: readonly number[], log: boolean): number[] {
  const f = log ? Math.log : (v: number) => v;
  const g = log ? Math.exp : (v: number) => v;
  const c = centres.map(f);
  const out = [c[0]! - (c[1]! - c[0]!) / 2];
  for (let k = 1; k < c.length; k++) out.push((c[k - 1]! + c[k]!) / 2);
  out.push(c[c.length - 1]! + (c[c.length - 1]! - c[c.length - 2]!) / 2);
  return out.map(g);
}
