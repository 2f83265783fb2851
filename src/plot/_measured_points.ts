// Private: the runs of Figures 5 and 6 arranged for drawing: each run's nominal place,
// the repeats of a configuration grouped into one point, and each run's residual.
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { binRates, type BinSummary, binWss } from "./_bins.ts";
import { orderContentions, orderMethods } from "./_style.ts";
import type {
  MeasuredPoint,
  NotConvergedPoint,
  ResidualPoint,
} from "./figure_estimated_vs_measured_spec.ts";

/** How far points at one dirty rate are nudged apart per WSS step at most (a factor on the rate). */
const DODGE = 1.045;

/** Where a run sits in the figure: its dirty rate bin and WSS bin. */
export interface Nominal {
  /** The dirty rate bin, pages/s. */
  rate: number;
  /** The WSS bin's label. */
  wss: string;
  /** The WSS bin's size, bytes (Infinity for "Full"). */
  wssSize: number;
}

/** Where each run sits (its bins), and the rules that made the bins. */
export interface Placed {
  /** One place per run, in the runs' order. */
  places: Nominal[];
  /** How the dirty rates were binned. */
  rateBins: BinSummary;
  /** How the WSS were binned. */
  wssBins: BinSummary;
}

/**
 * The runs' places on the figure: dirty rates and WSS binned together over
 * all the runs given (`binRates`, `binWss`).
 */
export function placeRuns(runs: readonly MigrationRun[]): Placed {
  const rates = binRates(runs);
  const wss = binWss(runs);
  return {
    places: runs.map((_, i) => ({
      rate: rates.rates[i]!,
      wss: wss.labels[i]!,
      wssSize: wss.sizes[i]!,
    })),
    rateBins: { rule: rates.rule, someRequested: rates.someRequested },
    wssBins: { rule: wss.rule, someRequested: wss.someRequested },
  };
}

/** "42 kvm-precopy non-convergent, 1 xen-precopy failed": the runs with a status in `statuses`. */
export function statusText(
  runs: readonly MigrationRun[],
  which: (run: MigrationRun) => boolean,
): string {
  const counts = new Map<string, number>();
  for (const run of runs) {
    if (!which(run)) continue;
    const key = `${run.method} ${run.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([key, n]) => `${n} ${key}`).join(", ");
}

/** Whether the figure draws a run: completed, or not converged with the time it was cancelled. */
export function isDrawn(run: MigrationRun): boolean {
  return run.status === "completed" ||
    (run.status === "non-convergent" && run.migrationTimeSeconds > 0 &&
      Number.isFinite(run.migrationTimeSeconds));
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** A drawn run with its place (and its estimate, for a completed one). */
export interface UsedRun extends Nominal {
  /** The run. */
  run: MigrationRun;
  /** Its estimate, seconds (NaN for a run that did not converge). */
  estimate: number;
}

/** The runs as the figure draws them. */
export interface ArrangedRuns {
  /** One point per configuration (method, contention, WSS, rate), sorted. */
  points: MeasuredPoint[];
  /** The points with more than one repeat (their min–max bars). */
  spreads: MeasuredPoint[];
  /** One residual per completed run. */
  residuals: ResidualPoint[];
  /** One mark per run that did not converge, at the time it was cancelled. */
  stuck: NotConvergedPoint[];
  /** WSS labels in order of size ("Full" last). */
  wssDomain: string[];
  /** Methods (facet rows), in the paper's order. */
  methods: string[];
  /** Contentions (facet columns), in the paper's order. */
  contentions: string[];
  /** The dirty rate bins, increasing. */
  rates: number[];
  /** How the dirty rates were binned. */
  rateBins: BinSummary;
  /** How the WSS were binned. */
  wssBins: BinSummary;
}

/**
 * Groups the repeats of each configuration into a point (mean, min, max,
 * mean estimate), computes each completed run's residual, places each run
 * that did not converge, and nudges each WSS sideways so that points at one
 * rate do not hide each other (less than 4.5 % per step when the rate bins
 * are close, so the nudged points stay nearer their own bin).
 */
export function arrangeRuns(
  used: readonly UsedRun[],
  stuckRuns: readonly UsedRun[],
  rules: Pick<ArrangedRuns, "rateBins" | "wssBins">,
): ArrangedRuns {
  const all = [...used, ...stuckRuns];
  // WSS labels in order of size ("Full" last), and their nudge factors.
  const wssOrder = new Map<string, number>();
  for (const { wss, wssSize } of all) {
    wssOrder.set(wss, Math.min(wssOrder.get(wss) ?? Infinity, wssSize));
  }
  const wssDomain = [...wssOrder.keys()].sort((a, b) => wssOrder.get(a)! - wssOrder.get(b)!);
  const methods = orderMethods(all.map(({ run }) => run.method));
  const contentions = orderContentions(all.map(({ run }) => run.contention));
  const rates = [...new Set(all.map(({ rate }) => rate))].sort((a, b) => a - b);
  let closest = Infinity;
  for (let i = 1; i < rates.length; i++) closest = Math.min(closest, rates[i]! / rates[i - 1]!);
  // All of one rate's nudged points span at most a quarter of the gap to the next rate (in log).
  const dodge = wssDomain.length > 1
    ? Math.min(DODGE, closest ** (0.25 / (wssDomain.length - 1)))
    : DODGE;
  const nudge = new Map(
    wssDomain.map((label, i) => [label, dodge ** (i - (wssDomain.length - 1) / 2)]),
  );
  const place = ({ run, rate, wss }: UsedRun) => ({
    method: run.method,
    contention: run.contention,
    wss,
    dirtyPagesPerSecond: rate,
    plotPagesPerSecond: rate * nudge.get(wss)!,
  });

  // Group the repeats of each configuration.
  const groups = new Map<
    string,
    { key: ReturnType<typeof place>; times: number[]; estimates: number[] }
  >();
  const residuals: ResidualPoint[] = [];
  for (const entry of used) {
    const { run, estimate, rate, wss } = entry;
    const id = JSON.stringify([run.method, run.contention, wss, rate]);
    let group = groups.get(id);
    if (!group) {
      group = { key: place(entry), times: [], estimates: [] };
      groups.set(id, group);
    }
    group.times.push(run.migrationTimeSeconds);
    group.estimates.push(estimate);
    const residualSeconds = run.migrationTimeSeconds - estimate;
    residuals.push({
      ...place(entry),
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
  const stuck: NotConvergedPoint[] = stuckRuns.map((entry) => ({
    ...place(entry),
    cancelledSeconds: entry.run.migrationTimeSeconds,
  }));
  return {
    points,
    spreads: points.filter((p) => p.repeats > 1),
    residuals,
    stuck,
    wssDomain,
    methods,
    contentions,
    rates,
    ...rules,
  };
}

/** The completed runs with their estimates and the runs that did not converge, checked and placed. */
export function drawnRuns(
  where: string,
  runs: readonly MigrationRun[],
  estimatesSeconds: ArrayLike<number>,
): { used: UsedRun[]; stuck: UsedRun[]; rules: Pick<ArrangedRuns, "rateBins" | "wssBins"> } {
  // Completed runs, and runs that did not converge with the time they were cancelled.
  const indices: number[] = [];
  runs.forEach((run, index) => {
    checkObject(where, `run ${index}`, run);
    if (isDrawn(run)) indices.push(index);
  });
  const { places, rateBins, wssBins } = placeRuns(indices.map((i) => runs[i]!));
  const used: UsedRun[] = [];
  const stuck: UsedRun[] = [];
  indices.forEach((index, k) => {
    const run = runs[index]!;
    const place = places[k]!;
    checkNumber(
      where,
      "input",
      `runs[${index}].dirtyPagesPerSecond`,
      place.rate,
      "positive",
      "pages/s",
    );
    if (run.status !== "completed") {
      stuck.push({ run, estimate: Number.NaN, ...place });
      return;
    }
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
    used.push({ run, estimate, ...place });
  });
  if (used.length === 0) {
    throw new RangeError(
      `${where}: invalid runs, expected at least one completed run (got ${runs.length} runs, none completed)`,
    );
  }
  return { used, stuck, rules: { rateBins, wssBins } };
}
