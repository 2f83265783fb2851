/**
 * Figure 3: KVM pre-copy time and downtime against the downtime limit.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { bytesToMib } from "../units.ts";
import { formatBandwidth, markTitle, sourceSentence } from "./_style.ts";
import { resolveVmAndLink } from "./_options.ts";
import type { DataSource, FigureSpec } from "./types.ts";

/** One workload (a column of the figure). */
export interface DowntimeLimitWorkload {
  /** The column's label, e.g. "(a) WSS 0 MiB, 51200 pages/s". */
  label: string;
  /** W, bytes. */
  wssBytes: number;
  /** d, pages/s. */
  dirtyPagesPerSecond: number;
}

/** Options for {@linkcode figureDowntimeLimitSpec}. */
export interface FigureDowntimeLimitOptions {
  /**
   * M, bytes.
   *
   * @default {1610612736 (1.5 GiB, the paper's VM)}
   */
  memoryBytes?: number;
  /**
   * B, bytes/s.
   *
   * @default {125e6 (Gigabit Ethernet)}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * The workloads, one column each.
   *
   * @default {the paper's WSS 0 and WSS Full, with WSS 128 MiB between them, all at 51200 pages/s}
   */
  workloads?: readonly DowntimeLimitWorkload[];
  /**
   * The downtime limits to evaluate, seconds (the switch points found by
   * bisection are added).
   *
   * @default {241 limits spaced evenly in log from 0.01 s to 100 s}
   */
  downtimeLimitsSeconds?: readonly number[];
  /**
   * When the model gives up (a user's `migrate_cancel`), seconds.
   *
   * @default {600}
   */
  timeoutSeconds?: number;
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
   * The figure's width, CSS pixels.
   *
   * @default {1000}
   */
  widthPixels?: number;
}

/** One evaluated limit. */
export interface DowntimeLimitPoint {
  /** The workload's label. */
  workload: string;
  /** The downtime limit, seconds. */
  limitSeconds: number;
  /** Migration time (or the time it gave up), seconds. */
  timeSeconds: number;
  /** The pause (or the pause a forced switch would cost when it gave up), seconds. */
  downtimeSeconds: number;
  /** Iterative rounds before stop-and-copy. */
  iterations: number;
  /** "converged" or "did not converge". */
  outcome: string;
}

/** One measured run of a downtime limit sweep. */
export interface DowntimeLimitMeasurement {
  /** The workload's label (a column of the figure). */
  workload: string;
  /** The downtime limit it ran with, seconds. */
  limitSeconds: number;
  /** Its migration time, or when it was cancelled, seconds. */
  timeSeconds: number;
  /** Its pause, seconds; undefined when it did not converge (the guest never paused). */
  downtimeSeconds?: number;
  /** "converged" or "did not converge". */
  outcome: "converged" | "did not converge";
}

/** A limit where the model's behaviour jumps. */
export interface DowntimeLimitSwitch {
  /** The workload's label. */
  workload: string;
  /** The smallest limit with the new behaviour, seconds (to 1e-9 relative). */
  limitSeconds: number;
  /** What happens from there on. */
  what: string;
}

const OUTCOMES = ["converged", "did not converge"];
const OUTCOME_COLORS = ["#0072B2", "#D55E00"];

/**
 * Builds the shape of the paper's Figure 3 from the KVM pre-copy model: the
 * migration time (top, log scale) and the downtime (bottom) against the
 * user's downtime limit (log scale), one column per workload. Each point is
 * coloured by whether pre-copy converged or was cancelled at the timeout.
 * The limits where the behaviour jumps are found by bisection (convergence
 * is monotone in the limit: the rounds do not depend on it, only when they
 * stop) and drawn as dashed rules: where pre-copy starts to converge, and
 * M/B, from which the whole memory goes in one stop-and-copy.
 *
 * This is a model figure: no measurement is plotted. When B was fitted to
 * data, `bandwidthSource` says from which (and marks synthetic ones).
 *
 * Cost: O(L·N) model rounds for L limits of N rounds each.
 *
 * @param options Memory, bandwidth, workloads, limits.
 * @returns The figure: two panels (time, downtime) and the switch points in `switches`.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a value is out of range (W > M, a negative limit).
 *
 * @example The sharp switch
 * ```ts
 * import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
 * import assert from "node:assert/strict";
 * const figure = figureDowntimeLimitSpec();
 * const full = figure.switches.find((s) => s.workload.includes("Full"))!;
 * // The whole 1.5 GiB memory fits the limit at M/B = 12.88 s.
 * assert.ok(Math.abs(full.limitSeconds - 1.5 * 2 ** 30 / 125e6) < 1e-6);
 * ```
 */
export function figureDowntimeLimitSpec(
  options: FigureDowntimeLimitOptions = {},
): FigureSpec & { points: DowntimeLimitPoint[]; switches: DowntimeLimitSwitch[] } {
  const where = "figureDowntimeLimitSpec";
  checkObject(where, "options", options);
  const { memoryBytes, bandwidthBytesPerSecond } = resolveVmAndLink(where, options);
  const timeoutSeconds = checkNumber(
    where,
    "option",
    "timeoutSeconds",
    options.timeoutSeconds ?? 600,
    "positive",
    "seconds",
  );
  const widthPixels = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? 1000,
    "positive",
    "pixels",
  );
  const workloads = options.workloads ?? [
    { label: "(a) WSS 0 MiB, 51200 pages/s", wssBytes: 0, dirtyPagesPerSecond: 51200 },
    {
      label: "(b) WSS 128 MiB, 51200 pages/s",
      wssBytes: Math.min(2 ** 27, memoryBytes),
      dirtyPagesPerSecond: 51200,
    },
    {
      label: `(c) WSS Full (${bytesToMib(memoryBytes)} MiB), 51200 pages/s`,
      wssBytes: memoryBytes,
      dirtyPagesPerSecond: 51200,
    },
  ];
  if (!Array.isArray(workloads) || workloads.length === 0) {
    throw new TypeError(
      `${where}: invalid option "workloads", expected a non-empty array (got ${
        showValue(workloads)
      })`,
    );
  }
  const measured = options.measured ?? [];
  const labels = workloads.map((w) => w.label);
  measured.forEach((m, i) => {
    checkObject(where, `measured[${i}]`, m);
    if (!labels.includes(m.workload)) {
      throw new RangeError(
        `${where}: invalid measured[${i}].workload, expected one of the workloads' labels (got ${
          showValue(m.workload)
        })`,
      );
    }
    checkNumber(
      where,
      "option",
      `measured[${i}].limitSeconds`,
      m.limitSeconds,
      "positive",
      "seconds",
    );
    checkNumber(
      where,
      "option",
      `measured[${i}].timeSeconds`,
      m.timeSeconds,
      "positive",
      "seconds",
    );
  });
  if (measured.length > 0 && options.measuredSource === undefined) {
    throw new TypeError(
      `${where}: invalid option "measuredSource", expected a data source with the measured runs (got undefined)`,
    );
  }
  const grid = options.downtimeLimitsSeconds ??
    Array.from({ length: 241 }, (_, i) => 10 ** (-2 + i / 60));
  if (!Array.isArray(grid) || grid.length < 2) {
    throw new TypeError(
      `${where}: invalid option "downtimeLimitsSeconds", expected an array of at least 2 limits (got ${
        showValue(grid)
      })`,
    );
  }
  grid.forEach((limit, i) =>
    checkNumber(where, "option", `downtimeLimitsSeconds[${i}]`, limit, "positive", "seconds")
  );
  const low = Math.min(...grid);
  const high = Math.max(...grid);
  const model = (workload: DowntimeLimitWorkload, limit: number) =>
    kvmPrecopy(
      {
        memoryBytes,
        wssBytes: workload.wssBytes,
        dirtyPagesPerSecond: workload.dirtyPagesPerSecond,
        bandwidthBytesPerSecond,
      },
      // The between-rounds rule until Figure 3 moves to QEMU's (issue #14).
      { downtimeLimitSeconds: limit, timeoutSeconds, switchRule: "between-rounds" },
    );

  const points: DowntimeLimitPoint[] = [];
  const switches: DowntimeLimitSwitch[] = [];
  for (const workload of workloads) {
    checkObject(where, "workload", workload);
    // Where pre-copy starts to converge (monotone in the limit: bisect).
    const limits = [...grid];
    const whole = memoryBytes / bandwidthBytesPerSecond;
    if (!model(workload, low).converged && model(workload, high).converged) {
      const at = bisect(low, high, (limit) => model(workload, limit).converged);
      if (Math.abs(at - whole) > 1e-6 * whole) {
        switches.push({ workload: workload.label, limitSeconds: at, what: "starts to converge" });
      }
      limits.push(at, at * (1 - 1e-9));
    }
    // From M/B on, the whole memory goes in one stop-and-copy.
    if (whole >= low && whole <= high) {
      switches.push({
        workload: workload.label,
        limitSeconds: whole,
        what: "whole memory in one stop-and-copy",
      });
      limits.push(whole, whole * (1 - 1e-9));
    }
    for (const limit of limits.sort((a, b) => a - b)) {
      const result = model(workload, limit);
      points.push({
        workload: workload.label,
        limitSeconds: limit,
        timeSeconds: result.migrationTimeSeconds,
        downtimeSeconds: result.downtimeSeconds,
        iterations: result.iterations,
        outcome: result.converged ? OUTCOMES[0]! : OUTCOMES[1]!,
      });
    }
  }

  const source = options.bandwidthSource;
  const bSentence = source
    ? `B = ${formatBandwidth(bandwidthBytesPerSecond)}, fitted to: ${
      sourceSentence(source).replace(/^Data: /, "")
    }`
    : `B = ${formatBandwidth(bandwidthBytesPerSecond)} (nominal, not fitted).`;
  const switchText = switches.map((s) =>
    `${s.workload.split(" ")[0]} ${s.what} at ${s.limitSeconds.toFixed(3)} s`
  ).join("; ");
  const x = {
    type: "log" as const,
    domain: [low, high],
    ticks: decades(low, high),
    tickFormat: (d: number) => String(d),
    label: "downtime limit (s, log scale)",
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
  };
  const fx = { domain: workloads.map((w) => w.label), label: null, padding: 0.1 };
  const color = { type: "ordinal" as const, domain: OUTCOMES, range: OUTCOME_COLORS };
  const margins = { marginLeft: 64, marginRight: 24 };
  const rule = Plot.ruleX(switches, {
    x: "limitSeconds",
    fx: "workload",
    stroke: "#777",
    strokeDasharray: "4,3",
  });
  const measuredSource = options.measuredSource;
  const title = `KVM pre-copy: migration time and downtime against the downtime limit (${
    measured.length > 0 ? "model and measured runs" : "model"
  })`;
  const ringMarks = (y: "timeSeconds" | "downtimeSeconds") =>
    measured.length === 0 ? [] : [
      Plot.dot(measured.filter((m) => m[y] !== undefined), {
        x: "limitSeconds",
        y,
        fx: "workload",
        stroke: "outcome",
        fill: "white",
        strokeWidth: 1.6,
        r: 4.5,
      }),
    ];
  return {
    title: markTitle(title, {
      description: "",
      synthetic: Boolean(source?.synthetic || measuredSource?.synthetic),
    }),
    subtitle: `M = ${
      bytesToMib(memoryBytes)
    } MiB; a small change of the limit flips a migration that never ends into an immediate stop-and-copy (the paper's Figure 3)`,
    caption: [
      measured.length > 0 && measuredSource
        ? `Small dots and grey steps: kvmPrecopy (QEMU's rule: stop-and-copy once the dirty remainder / B fits the limit). Rings: ${measured.length} measured runs, ${
          sourceSentence(measuredSource).replace(/^Data: /, "").replace(/\.$/, "")
        }; a measured run that did not converge is drawn at the time it was cancelled and has no downtime.`
        : `Model output of kvmPrecopy (QEMU's rule: stop-and-copy once the dirty remainder / B fits the limit), no measurement plotted.`,
      bSentence,
      `Runs that do not converge are cancelled at ${timeoutSeconds} s; their downtime is the pause a forced switch would cost then.`,
      switchText ? `Dashed: ${switchText}.` : "",
    ].filter((part) => part.length > 0).join(" "),
    legends: [{
      label: "Outcome",
      items: [
        { label: OUTCOMES[0]!, color: OUTCOME_COLORS[0]!, symbol: "dot" },
        {
          label: `${OUTCOMES[1]!} (cancelled at ${timeoutSeconds} s)`,
          color: OUTCOME_COLORS[1]!,
          symbol: "dot",
        },
        { label: "switch point", color: "#777", symbol: "line" },
        ...(measured.length > 0
          ? [{ label: "measured run", color: "#333", symbol: "ring" as const }]
          : []),
      ],
    }],
    panels: [
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
            ticks: niceLogTicks([...points, ...measured].map((p) => p.timeSeconds)),
            tickFormat: (d: number) => String(d),
          },
          fx: { ...fx, axis: "top" },
          color,
          marks: [
            Plot.frame({ stroke: "#ccc" }),
            rule,
            Plot.line(points, {
              x: "limitSeconds",
              y: "timeSeconds",
              fx: "workload",
              curve: "step-after",
              stroke: "#999",
            }),
            Plot.dot(points, {
              x: "limitSeconds",
              y: "timeSeconds",
              fx: "workload",
              fill: "outcome",
              r: 2,
            }),
            ...ringMarks("timeSeconds"),
          ],
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
          y: { label: "downtime (s)", grid: true, zero: true, labelArrow: "none" },
          fx: { ...fx, axis: null },
          color,
          marks: [
            Plot.frame({ stroke: "#ccc" }),
            rule,
            Plot.line(points, {
              x: "limitSeconds",
              y: "downtimeSeconds",
              fx: "workload",
              curve: "step-after",
              stroke: "#999",
            }),
            Plot.dot(points, {
              x: "limitSeconds",
              y: "downtimeSeconds",
              fx: "workload",
              fill: "outcome",
              r: 2,
            }),
            ...ringMarks("downtimeSeconds"),
          ],
        },
      },
    ],
    widthPixels,
    points,
    switches,
  };
}

/** Smallest x in [low, high] with ok(x), for ok monotone false → true. */
function bisect(low: number, high: number, ok: (x: number) => boolean): number {
  let a = low;
  let b = high;
  for (let i = 0; i < 200 && (b - a) > 1e-12 * b; i++) {
    const mid = Math.sqrt(a * b);
    if (ok(mid)) b = mid;
    else a = mid;
  }
  return b;
}

/** Powers of ten in [low, high]. */
function decades(low: number, high: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(low) - 1e-9); e <= Math.floor(Math.log10(high) + 1e-9); e++) {
    out.push(Number(`1e${e}`));
  }
  return out;
}

/** 1-2-5 ticks covering the values' range (for a log axis); finer when that gives fewer than 3. */
function niceLogTicks(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0);
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const ticks = (mantissas: readonly number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
      for (const m of mantissas) {
        const t = m * 10 ** e;
        if (t >= low * 0.999 && t <= high * 1.001) out.push(Number(t.toPrecision(6)));
      }
    }
    return out;
  };
  const coarse = ticks([1, 2, 5]);
  return coarse.length >= 3 ? coarse : ticks([1, 1.5, 2, 3, 5, 7]);
}
