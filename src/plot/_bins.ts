// Private: where a run sits on a figure whose axis is the dirty rate or the WSS.
// Rates and WSS that vary run to run are grouped into bins: the requested
// values when every run has one, the values themselves when they are few and
// well apart, else a few nice values (1-2-5 for rates, powers of two MiB for WSS).
import type { MigrationRun } from "../data/types.ts";
import { bytesToMib, mibToBytes } from "../units.ts";
import { wssLabel } from "./_style.ts";

/** How a figure grouped the runs along one axis. */
export type BinRule = "requested" | "exact" | "clusters" | "nice";

/** At most this many distinct values are kept as they are (one tick or colour each). */
const MAX_EXACT = 8;
/** ... and only if neighbours differ by at least this factor. */
const MIN_EXACT_RATIO = 1.25;
/** Sorted rates further apart than this factor start a new cluster. */
const CLUSTER_GAP = 1.25;
/** A cluster may span at most this factor (largest / smallest rate). */
const CLUSTER_SPAN = 2;

/** The runs' dirty rates, binned: one value per run (pages/s) and the rule used. */
export interface RateBins {
  /** Bin of each run, pages/s (same order as the runs). */
  rates: number[];
  /** The rule that made the bins. */
  rule: BinRule;
  /** Whether any run had a requested rate (all of them when the rule is "requested"). */
  someRequested: boolean;
}

/** The runs' WSS, binned: a label and a size (Infinity for "Full") per run, and the rule. */
export interface WssBins {
  /** Label of each run's bin ("64 MiB", "Full"). */
  labels: string[];
  /** Size of each run's bin, bytes; Infinity for "Full" (sorts last). */
  sizes: number[];
  /** The rule that made the bins. */
  rule: BinRule;
  /** Whether any run had a requested WSS (all of them when the rule is "requested"). */
  someRequested: boolean;
}

/** A positive finite request, else undefined. */
function requested(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The 1-2-5 value (…, 1000, 2000, 5000, 10000, …) nearest to `value` in log. */
export function nearestOneTwoFive(value: number): number {
  if (!(value > 0)) return value;
  const e = Math.floor(Math.log10(value));
  let best = value;
  let distance = Infinity;
  for (const m of [1, 2, 5, 10]) {
    const candidate = Number((m * 10 ** e).toPrecision(6));
    const d = Math.abs(Math.log(value / candidate));
    if (d < distance) [best, distance] = [candidate, d];
  }
  return best;
}

/** Whether the distinct values are few and far enough apart to be kept as they are. */
function keepExact(values: readonly number[]): boolean {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length > MAX_EXACT) return false;
  for (let i = 1; i < distinct.length; i++) {
    if (distinct[i]! < distinct[i - 1]! * MIN_EXACT_RATIO) return false;
  }
  return true;
}

/** 2 significant digits: 4870 → 4900, 51234 → 51000. */
function twoDigits(value: number): number {
  return Number(value.toPrecision(2));
}

/**
 * The values' clusters, each labelled by its median to 2 significant
 * digits: sorted values split where neighbours are more than 25 % apart.
 * Undefined unless there are 2 to 8 clusters, each spanning at most a
 * factor of 2, with distinct labels (the values sit near a few nominal ones).
 */
function clusters(values: readonly number[]): Map<number, number> | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  const groups: number[][] = [[sorted[0]!]];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! > sorted[i - 1]! * CLUSTER_GAP) groups.push([]);
    groups.at(-1)!.push(sorted[i]!);
  }
  if (groups.length < 2 || groups.length > MAX_EXACT) return undefined;
  if (groups.some((g) => g.at(-1)! > g[0]! * CLUSTER_SPAN)) return undefined;
  const labels = groups.map((g) => twoDigits(g[Math.floor((g.length - 1) / 2)]!));
  if (new Set(labels).size !== labels.length) return undefined;
  const out = new Map<number, number>();
  groups.forEach((g, i) => g.forEach((v) => out.set(v, labels[i]!)));
  return out;
}

/**
 * Bins the runs' dirty rates: the requested rates when every run has one;
 * else each run's requested rate where given and its achieved rate
 * otherwise, kept as they are when there are at most 8 distinct values at
 * least 25 % apart; else, when they gather around 2 to 8 values (split
 * where sorted neighbours are more than 25 % apart, each group within a
 * factor of 2), one bin per group at its median to 2 significant digits;
 * else the nearest 1-2-5 value in log.
 */
export function binRates(runs: readonly MigrationRun[]): RateBins {
  const asked = runs.map((run) => requested(run.requestedDirtyPagesPerSecond));
  const values = runs.map((run, i) => asked[i] ?? run.dirtyPagesPerSecond);
  const someRequested = asked.some((v) => v !== undefined);
  if (runs.length > 0 && asked.every((v) => v !== undefined && v > 0)) {
    return { rates: values, rule: "requested", someRequested };
  }
  if (keepExact(values)) return { rates: values, rule: "exact", someRequested };
  const grouped = clusters(values);
  if (grouped) {
    return { rates: values.map((v) => grouped.get(v)!), rule: "clusters", someRequested };
  }
  return { rates: values.map(nearestOneTwoFive), rule: "nice", someRequested };
}

/**
 * Bins the runs' WSS: labels of the requested WSS when every run has one
 * (a request of the whole memory is "Full"); else each run's requested or
 * achieved WSS, kept as they are when there are at most 8 distinct labels,
 * and else 0, "Full" (W = M) and the nearest power of two MiB in log.
 */
export function binWss(runs: readonly MigrationRun[]): WssBins {
  const asked = runs.map((run) => requested(run.requestedWssBytes));
  const bytes = runs.map((run, i) => asked[i] ?? run.wssBytes);
  const exact = bytes.map((w, i) => wssLabel(w, runs[i]!.memoryBytes));
  const sizeOf = (label: string, w: number) => label === "Full" ? Infinity : w;
  const allAsked = runs.length > 0 && asked.every((v) => v !== undefined);
  const someRequested = asked.some((v) => v !== undefined);
  if (allAsked || new Set(exact).size <= MAX_EXACT) {
    return {
      labels: exact,
      sizes: exact.map((label, i) => sizeOf(label, bytes[i]!)),
      rule: allAsked ? "requested" : "exact",
      someRequested,
    };
  }
  const binned = bytes.map((w, i) =>
    w === 0 || w >= runs[i]!.memoryBytes ? w : mibToBytes(2 ** Math.round(Math.log2(bytesToMib(w))))
  );
  const labels = binned.map((w, i) =>
    w >= runs[i]!.memoryBytes ? "Full" : wssLabel(w, runs[i]!.memoryBytes)
  );
  return {
    labels,
    sizes: labels.map((label, i) => sizeOf(label, binned[i]!)),
    rule: "nice",
    someRequested,
  };
}

/** How one axis was binned, as the caption needs it. */
export interface BinSummary {
  /** The rule that made the bins. */
  rule: BinRule;
  /** Whether any run had a requested value (all of them when the rule is "requested"). */
  someRequested: boolean;
}

/** The caption's sentences on how runs were grouped, or "" when they sit at their own values. */
export function binningSentence(rates: BinSummary, wss: BinSummary): string {
  const parts: string[] = [];
  const asked = [
    ...(rates.someRequested ? [["dirty rate", "requested_dirty_pages_per_second"]] : []),
    ...(wss.someRequested ? [["WSS", "requested_wss"]] : []),
  ];
  if (asked.length > 0) {
    const partly = [rates, wss].some((bins) => bins.someRequested && bins.rule !== "requested");
    parts.push(
      `Runs are placed and grouped by their requested ${
        asked.map(([what]) => what).join(" and ")
      } (columns ${asked.map(([, column]) => column).join(", ")}${
        partly ? "; where given, else the achieved value" : ""
      }); the model used each run's achieved values.`,
    );
  }
  if (rates.rule === "clusters") {
    parts.push(
      "Dirty rates vary run to run, so runs are grouped where their rates gather (sorted rates more than 25 % apart start a new group; each group is labelled by its median rate to 2 significant digits, the requested rate where given, else the achieved rate); a line joins the mean estimates of the groups' runs.",
    );
  }
  if (rates.rule === "nice") {
    parts.push(
      "Dirty rates vary run to run, so runs are grouped into bins at 1-2-5 values (each run to the value nearest in log to its requested rate where given, else its achieved rate); a line joins the mean estimates of the bins' runs.",
    );
  }
  if (wss.rule === "nice") {
    parts.push(
      "WSS vary run to run, so runs are grouped to the nearest power of two MiB in log (0 and Full kept).",
    );
  }
  return parts.join(" ");
}
