// Private: the runs of Figures 5 and 6 arranged for drawing: each run's nominal place,
// the repeats of a configuration grouped into one point, and each run's residual.
import type { MigrationRun } from "../data/types.ts";
import { orderContentions, orderMethods, wssLabel } from "./_style.ts";
import type { MeasuredPoint, ResidualPoint } from "./figure_estimated_vs_measured_spec.ts";

/** How far points at one dirty rate are nudged apart per WSS step (a factor on the rate). */
const DODGE = 1.045;

/** Where a run sits in the figure: its nominal dirty rate and WSS. */
export interface Nominal {
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
export function nominalOf(run: MigrationRun): Nominal {
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

export function excludedText(runs: readonly MigrationRun[]): string {
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

/** A completed run with its estimate and nominal place. */
export interface UsedRun extends Nominal {
  /** The run. */
  run: MigrationRun;
  /** Its estimate, seconds. */
  estimate: number;
}

/** The runs as the figure draws them. */
export interface ArrangedRuns {
  /** One point per configuration (method, contention, WSS, rate), sorted. */
  points: MeasuredPoint[];
  /** The points with more than one repeat (their min–max bars). */
  spreads: MeasuredPoint[];
  /** One residual per run. */
  residuals: ResidualPoint[];
  /** WSS labels in order of size ("Full" last). */
  wssDomain: string[];
  /** Methods (facet rows), in the paper's order. */
  methods: string[];
  /** Contentions (facet columns), in the paper's order. */
  contentions: string[];
  /** The nominal dirty rates, increasing. */
  rates: number[];
  /** Whether any run was placed by its requested dirty rate. */
  requestedRates: boolean;
  /** Whether any run was placed by its requested WSS. */
  requestedWss: boolean;
}

/**
 * Groups the repeats of each configuration into a point (mean, min, max,
 * mean estimate), computes each run's residual, and nudges each WSS
 * sideways so that points at one rate do not hide each other.
 */
export function arrangeRuns(used: readonly UsedRun[]): ArrangedRuns {
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
  return {
    points,
    spreads,
    residuals,
    wssDomain,
    methods,
    contentions,
    rates,
    requestedRates,
    requestedWss,
  };
}
