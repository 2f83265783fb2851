// Private tick helpers for log axes (Figures 3, 5 and 6): ticks that are
// always labelled, inside one decade too, and thinned so labels never overlap.
import * as Plot from "../_deps/plot.ts";

/** Powers of ten in [low, high]. */
export function decades(low: number, high: number): number[] {
  return ladderTicks(low, high, [1]);
}

/** Mantissas per decade, coarse to fine. */
const LADDERS: readonly (readonly number[])[] = [
  [1],
  [1, 3],
  [1, 2, 5],
  [1, 1.5, 2, 3, 5, 7],
  [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9],
];

/** m·10^e in [low, high] for each mantissa m. */
function ladderTicks(low: number, high: number, mantissas: readonly number[]): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(low)) - 1; e <= Math.ceil(Math.log10(high)); e++) {
    for (const m of mantissas) {
      const t = Number((m * 10 ** e).toPrecision(6));
      if (t >= low * (1 - 1e-9) && t <= high * (1 + 1e-9)) out.push(t);
    }
  }
  return out;
}

/** Evenly spaced 1-2-5 steps (as a linear axis would) in [low, high], at least `count`. */
function linearTicks(low: number, high: number, count: number): number[] {
  let step = 10 ** Math.ceil(Math.log10(high - low));
  const steps = [1, 0.5, 0.2];
  for (let i = 0; i < 60; i++) {
    const s = step * steps[i % 3]!;
    const out: number[] = [];
    for (let t = Math.ceil(low / s - 1e-9) * s; t <= high * (1 + 1e-12); t += s) {
      out.push(Number(t.toPrecision(12)));
    }
    if (out.length >= count) return out;
    if (i % 3 === 2) step /= 10;
  }
  return [low, high];
}

/**
 * Ticks for a log axis over [low, high] (both > 0): the coarsest ladder
 * (decades, 1-3, 1-2-5, finer) that gives at least 3 ticks, every k-th of
 * them when there are more than `maxTicks`; evenly spaced values when even
 * the finest ladder gives fewer than 3 (a range inside a fraction of a
 * decade). Never empty.
 */
export function logTicks(low: number, high: number, maxTicks = 8): number[] {
  if (!(low > 0) || !(high >= low)) return [];
  if (high === low) return [low];
  for (const ladder of LADDERS) {
    const ticks = ladderTicks(low, high, ladder);
    if (ticks.length >= 3) {
      const k = Math.ceil(ticks.length / maxTicks);
      return ticks.filter((_, i) => i % k === 0);
    }
  }
  return linearTicks(low, high, 3);
}

/**
 * A log axis' tick label as a plain decimal number ("0.1", "1", "10",
 * "0.0005"), never with an SI prefix ("100m") or an exponent: the unit is in
 * the axis label.
 */
export function plainTick(value: number): string {
  const text = String(Number(value.toPrecision(6)));
  if (!text.includes("e")) return text;
  if (Math.abs(value) >= 1) return BigInt(Math.round(value)).toString();
  const digits = Math.min(100, 5 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(digits).replace(/0+$/, "").replace(/\.$/, "");
}

/** 1-2-5 ticks (or finer) covering the values' range, for a log axis; see {@linkcode logTicks}. */
export function niceLogTicks(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  return logTicks(Math.min(...positive), Math.max(...positive));
}

/** Width of a tick label in pixels (DejaVu Sans digits are 0.64 em; Plot draws 10 px). */
export function labelWidth(label: string, fontPixels = 10): number {
  return label.length * fontPixels * 0.64;
}

/**
 * Every k-th tick, with k the smallest that keeps the labels of a log axis
 * `widthPixels` wide over `domain` from overlapping (at least `gapPixels`
 * apart); the first tick is always kept.
 */
export function spacedTicks(
  ticks: readonly number[],
  domain: readonly [number, number],
  widthPixels: number,
  format: (value: number) => string,
  gapPixels = 4,
): number[] {
  const [lo, hi] = domain;
  const span = Math.log(hi / lo);
  const at = (v: number) => (widthPixels * Math.log(v / lo)) / span;
  for (let k = 1; k <= ticks.length; k++) {
    const kept = ticks.filter((_, i) => i % k === 0);
    let ok = true;
    for (let i = 1; i < kept.length && ok; i++) {
      const a = kept[i - 1]!;
      const b = kept[i]!;
      const need = (labelWidth(format(a)) + labelWidth(format(b))) / 2 + gapPixels;
      ok = at(b) - at(a) >= need;
    }
    if (ok) return kept;
  }
  return ticks.slice(0, 1);
}

/**
 * The width of one facet column of a band scale (Plot's `fx` with
 * `padding`) over a panel `widthPixels` wide with the given margins, pixels.
 */
export function facetWidth(
  widthPixels: number,
  margins: { marginLeft: number; marginRight: number },
  columns: number,
  padding: number,
): number {
  const inner = widthPixels - margins.marginLeft - margins.marginRight;
  return (inner * (1 - padding)) / (columns + padding);
}

/**
 * An explicit axis mark for a log scale that labels every tick given. (Plot's
 * implicit log axis runs any tickFormat through d3's log tickFormat, which
 * blanks the labels of ticks it finds too dense, e.g. 5000 beside 2000.) An
 * explicit axis replaces the implicit one; the grid still follows the
 * scale's `ticks`.
 */
export function logAxisMark(
  axis: "x" | "y",
  ticks: readonly number[],
  options: {
    label: string | null;
    labelAnchor?: "center";
    anchor?: "bottom" | "top" | "left" | "right";
    format?: (value: number) => string;
  },
): Plot.CompoundMark {
  const { format = plainTick, ...rest } = options;
  const axisOptions = { ...rest, labelArrow: "none" as const, text: format };
  return axis === "x"
    ? Plot.axisX([...ticks], axisOptions as Plot.AxisXOptions)
    : Plot.axisY([...ticks], axisOptions as Plot.AxisYOptions);
}
