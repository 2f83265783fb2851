// Private styling shared by the figure specs: colours, labels and orderings.
import * as Plot from "../_deps/plot.ts";
import { CONTENTIONS, methodLabel, METHODS } from "../data/schema.ts";
import { bytesPerSecondToMbps, bytesToMib } from "../units.ts";
import type { DataSource, LegendSpec } from "./types.ts";

/** Colour-blind-safe colours (Okabe-Ito, yellow left out) plus three more, ordered. */
const PALETTE = [
  "#000000",
  "#0072B2",
  "#56B4E9",
  "#009E73",
  "#E69F00",
  "#D55E00",
  "#CC79A7",
  "#882255",
  "#999999",
  "#44AA99",
];

/** One colour per domain value: the palette, or viridis for long domains. */
export function colorsFor(domain: readonly string[]): string[] {
  if (domain.length <= PALETTE.length) return PALETTE.slice(0, domain.length);
  const scale = Plot.scale({ color: { type: "ordinal", scheme: "viridis", domain } });
  return domain.map((value) => String(scale.apply(value)));
}

/** Known contention labels first, in the paper's order (the schema's vocabulary), then others sorted. */
export function orderContentions(labels: Iterable<string>): string[] {
  const known: string[] = CONTENTIONS.map((c) => c.name);
  const set = new Set(labels);
  return [...known.filter((k) => set.has(k)), ...[...set].filter((k) => !known.includes(k)).sort()];
}

/** Known method labels first, in the schema's order, then others sorted. */
export function orderMethods(labels: Iterable<string>): string[] {
  const known: string[] = METHODS.map((m) => m.name);
  const set = new Set(labels);
  return [...known.filter((k) => set.has(k)), ...[...set].filter((k) => !known.includes(k)).sort()];
}

/** "Xen pre-copy" for "xen-precopy" (the schema's method label); other labels unchanged. */
export function methodName(method: string): string {
  return methodLabel(method);
}

/** "Full" when W = M, else the WSS in MiB ("64 MiB"). */
export function wssLabel(wssBytes: number, memoryBytes: number): string {
  if (wssBytes === memoryBytes) return "Full";
  const mib = bytesToMib(wssBytes);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/** "945.6 Mbit/s (118.2 MB/s)". */
export function formatBandwidth(bytesPerSecond: number): string {
  return `${bytesPerSecondToMbps(bytesPerSecond).toFixed(1)} Mbit/s (${
    (bytesPerSecond / 1e6).toFixed(2)
  } MB/s)`;
}

/** Title with the SYNTHETIC mark in front when the data are synthetic. */
export function markTitle(title: string, source: DataSource): string {
  return source.synthetic ? `SYNTHETIC DATA: ${title}` : title;
}

/** The caption's data sentence, naming synthetic data as such. */
export function sourceSentence(source: DataSource): string {
  const description = source.description.trim();
  if (source.synthetic) {
    return `Data: SYNTHETIC, generated from the model with seeded noise, not measured${
      description ? ` (${description})` : ""
    }.`;
  }
  return description ? `Data: measured, ${description}.` : "Data: measured.";
}

/**
 * A legend row of coloured squares, one per category in order: the key of a
 * figure whose cells are filled by category (the decision figures' bands).
 */
export function squareLegend(
  label: string,
  categories: readonly string[],
  colors: readonly string[],
): LegendSpec {
  return {
    label,
    items: categories.map((category, k) => ({
      label: category,
      color: colors[k]!,
      symbol: "square" as const,
    })),
  };
}
