/**
 * The three costs' figures of the reproduction: Figure 2 (downtime),
 * Figure 4 (migration time) and the noise figure (progress ratio), against
 * the workload under CPU and network contention, and Figure 1 (CPU use over
 * time) from progress traces. Pure: the traces are read at the edge
 * (`reproduceProject`) and passed in.
 *
 * @module
 */

import type { MigrationRun } from "../data/types.ts";
import type { FitResult } from "../fit/types.ts";
import { median } from "../_stats.ts";
import { nominalOf, orderContentions, orderMethods } from "./_workload_terms.ts";
import { type CpuUsePanel, figureCpuUseSpec } from "../plot/figure_cpu_use_spec.ts";
import { figureWorkloadCostSpec } from "../plot/figure_workload_cost_spec.ts";
import type { DataSource, FigureSpec } from "../plot/types.ts";
import type { FigureRecipe } from "../plot/png_pool.ts";
import { measuredCost, workloadCosts } from "./workload_costs.ts";
import {
  fittedColocated,
  fittedDowntimes,
  fittedProgress,
  modelTimes,
  nominalRuns,
} from "./workload_models.ts";
import {
  MEASURED_RULE,
  type NoiseErrors,
  type StagedNoiseErrors,
  stagedNoiseErrors,
} from "./noise_errors.ts";
import { type DowntimeErrorRow, downtimeErrors } from "../fit/downtime_errors.ts";
import { methodLabel } from "../data/schema.ts";

/** Options for {@linkcode costFigures}. */
export interface CostFiguresOptions {
  /** Where the runs come from (SYNTHETIC in every title when synthetic). */
  source: DataSource;
  /** Figure 1's panels, or why there are none. */
  fig1: readonly CpuUsePanel[] | string;
  /**
   * Cross-validation folds of the downtime and noise errors.
   *
   * @default {DEFAULT_FOLDS}
   */
  folds?: number;
  /**
   * Called with each figure, and how it was drawn (its spec builder and
   * arguments, as data), as soon as it is drawn, before the
   * cross-validations that follow it; the result holds the same figures.
   *
   * @default {undefined (no calls)}
   */
  onFigure?: (
    name: "fig1" | "fig2" | "fig4" | "noise",
    figure: FigureSpec,
    recipe: FigureRecipe,
  ) => void;
}

/** The three cost figures, and Figure 1 or why it was not drawn. */
export interface CostFigures {
  /** Figure 2: downtime against the workload, or null without runs under CPU or network contention. */
  fig2: FigureSpec | null;
  /** Figure 4: migration time against the workload. */
  fig4: FigureSpec | null;
  /** The noise figure: guest (and co-located) progress ratio against the workload. */
  noise: FigureSpec | null;
  /** Figure 1: CPU use over time, or null. */
  fig1: FigureSpec | null;
  /** Why a figure was not drawn, by name. */
  notDrawn: Record<string, string>;
  /** Whether the noise figure's guest ratio is the dirty-rate proxy (for the report). */
  noiseIsProxy: boolean;
  /** The median guest progress ratio per method and contention (every contention), for the report. */
  progressMedians: ProgressMedian[];
  /** The noise models' parameters and errors (guest: measured against proxy; co-located; blocktime), for the report. */
  noiseErrors: NoiseErrors;
  /**
   * Per method, the fixed switchover cost fitted to the guest-visible pauses
   * and the pause's errors in sample and cross-validated (`downtimeErrors`),
   * for the report: `rows` by method, and why there are none (`failed`,
   * e.g. too few measured pauses) or null.
   */
  downtimeErrors: { rows: Record<string, DowntimeErrorRow>; failed: string | null };
}

/** The median guest progress ratio of one method and contention's completed runs. */
export interface ProgressMedian {
  /** The method label. */
  method: string;
  /** The contention label. */
  contention: string;
  /** Runs with a value. */
  runs: number;
  /** Of which the dirty-rate proxy. */
  proxyRuns: number;
  /** The median ratio (1 = no slowdown). */
  median: number;
}

/** Figure 1's workload: the paper's (WSS 64 MiB, 15,360 pages/s, CPU contention). */
export const FIG1_WORKLOAD = {
  wssBytes: 64 * 2 ** 20,
  dirtyPagesPerSecond: 15360,
  contention: "cpu",
};

/**
 * The runs Figure 1 draws: per method, the first completed repeat at
 * {@linkcode FIG1_WORKLOAD} (nominal WSS and rate), with the base name of its
 * trace files (`trace_file` without `.qmp.jsonl.gz`), whose
 * `<base>.progress.jsonl.gz` holds the CPU samples.
 *
 * @param runs The runs.
 * @returns One entry per method that has such a run, in the schema's order.
 *
 * @example No run at the workload
 * ```ts
 * import { fig1Runs } from "./cost_figures.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fig1Runs([]), []);
 * ```
 */
export function fig1Runs(runs: readonly MigrationRun[]): { method: string; traceBase: string }[] {
  const out = new Map<string, string>();
  for (const run of runs) {
    const nominal = nominalOf(run);
    const file = run.extra.trace_file;
    if (
      run.status !== "completed" || run.contention !== FIG1_WORKLOAD.contention ||
      nominal.rate !== FIG1_WORKLOAD.dirtyPagesPerSecond ||
      (run.requestedWssBytes ?? run.wssBytes) !== FIG1_WORKLOAD.wssBytes ||
      typeof file !== "string" || out.has(run.method)
    ) continue;
    out.set(run.method, file.replace(/\.qmp\.jsonl\.gz$/, ""));
  }
  return orderMethods(out.keys()).map((method) => ({ method, traceBase: out.get(method)! }));
}

/**
 * Draws Figures 2 and 4 and the noise figure from the runs and the
 * per-method fits (model lines: `modelDowntimes` and `modelTimes` at each
 * method's fitted B and contention factor; the noise figure has none yet),
 * and Figure 1 from the panels given (`cpuUse` of each method's trace), or
 * says why not.
 *
 * @param runs The runs.
 * @param fits One `fitContention` result per method.
 * @param options The data source, and Figure 1's panels or why there are none.
 * @returns The figures and what was not drawn.
 *
 * @example Without traces, Figure 1 is not drawn and says why
 * ```ts
 * import { costFigures } from "./cost_figures.ts";
 * import assert from "node:assert/strict";
 * const result = costFigures([], {}, {
 *   source: { description: "none", synthetic: true },
 *   fig1: "no progress traces",
 * });
 * assert.equal(result.fig1, null);
 * assert.equal(result.notDrawn.fig1, "no progress traces");
 * assert.equal(result.fig2, null);
 * ```
 */
export function costFigures(
  runs: readonly MigrationRun[],
  fits: Readonly<Record<string, FitResult>>,
  options: CostFiguresOptions,
): CostFigures {
  const { source, onFigure } = options;
  const notDrawn: Record<string, string> = {};
  const nominal = nominalRuns(runs);
  const draw = (
    name: "fig2" | "fig4" | "noise",
    costs: ReturnType<typeof workloadCosts>,
    spec: Omit<Parameters<typeof figureWorkloadCostSpec>[1], "source">,
  ) => {
    if (costs.points.length > 0) {
      const args = [costs, { source, ...spec }] as const;
      const figure = figureWorkloadCostSpec(...args);
      onFigure?.(name, figure, { builder: "figureWorkloadCostSpec", args: [...args] });
      return figure;
    }
    notDrawn[name] = "no completed runs with the quantity under CPU or network contention";
    return null;
  };
  const fitB = "at each method's fitted B × contention factor (the report's fits)";
  const downtimes = fittedDowntimes(nominal, runs, fits);
  const costs = Object.entries(downtimes.switchoverSeconds).map(([method, c]) =>
    `${methodLabel(method)} ${(1000 * c.value).toPrecision(3)} ms`
  ).join(", ");
  const unfitted = Object.keys(downtimes.notFitted).map(methodLabel).join(", ");
  const fig2 = draw(
    "fig2",
    workloadCosts(runs, {
      quantity: "downtimeSeconds",
      model: { runs: nominal, values: downtimes.values },
    }),
    {
      title: "Figure 2: downtime of each method against the workload",
      yLabel: "downtime (s, log scale)",
      logY: true,
      modelNote: [
        `Lines: migrationDowntime ${fitB}: what is left at the switch over B (Xen pre-copy: the last round; Xen-rule pre-copy (QEMU): what the pass had not sent with the pages written since, qemuXenRules; KVM pre-copy: the remainder, none where it does not converge; post-copy: nothing) plus a fixed switchover cost per method fitted to these pauses (fitDowntime, median${
          costs ? `: ${costs}` : ""
        }).`,
        unfitted
          ? `${unfitted}: no switchover cost could be fitted; the line is today's model alone (post-copy's 47 ms, the paper's).`
          : "",
      ].filter(Boolean).join(" "),
      note: "Measured downtime: the guest-visible pause (source STOP to destination RESUME).",
    },
  );
  const fig4 = draw(
    "fig4",
    workloadCosts(runs, {
      quantity: "migrationTimeSeconds",
      model: { runs: nominal, values: modelTimes(nominal, fits) },
    }),
    {
      title: "Figure 4: migration time of each method against the workload",
      yLabel: "migration time (s)",
      modelNote: `Lines: the fitted models (predictRuns) ${fitB}, at the requested WSS and rate.`,
    },
  );
  const progress = fittedProgress(nominal, runs, fits);
  const colocated = fittedColocated(nominal, runs, fits);
  const guest = workloadCosts(runs, {
    quantity: "guestProgressRatio",
    secondary: "colocatedProgressRatio",
    model: { runs: nominal, values: progress.values },
    secondaryModel: { runs: nominal, values: colocated.values },
  });
  let fig1: FigureSpec | null = null;
  if (typeof options.fig1 === "string") notDrawn.fig1 = options.fig1;
  else if (options.fig1.length === 0) notDrawn.fig1 = "no traces at Figure 1's workload";
  else {
    const args = [options.fig1, { source }] as const;
    fig1 = figureCpuUseSpec(...args);
    onFigure?.("fig1", fig1, { builder: "figureCpuUseSpec", args: [...args] });
  }
  // The in-sample noise fits first: the noise figure is drawn (and rendered) before the
  // cross-validations.
  const staged = stagedNoiseErrors(runs, fits, options.folds);
  const noise = draw(
    "noise",
    guest,
    noiseFigureOptions(guest, progress, colocated, staged.fittedOn, fitB),
  );
  const errors = staged.finish();
  const pauses: CostFigures["downtimeErrors"] = { rows: {}, failed: null };
  try {
    pauses.rows = downtimeErrors(runs, options.folds === undefined ? {} : { folds: options.folds });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    pauses.failed = error.message;
  }
  return {
    fig2,
    fig4,
    noise,
    fig1,
    notDrawn,
    noiseIsProxy: guest.proxyRuns > 0,
    progressMedians: medians(runs),
    noiseErrors: errors,
    downtimeErrors: pauses,
  };
}

/** The noise figure's title, labels and caption notes. */
function noiseFigureOptions(
  guest: ReturnType<typeof workloadCosts>,
  progress: { notFitted: Record<string, string> },
  colocated: { notFitted: Record<string, string> },
  fittedOn: StagedNoiseErrors["fittedOn"],
  fitB: string,
) {
  const noUnfitted = Object.keys(progress.notFitted).map(methodLabel).join(", ");
  const coUnfitted = Object.keys(colocated.notFitted).map(methodLabel).join(", ");
  const onMeasured = fittedOn.filter((g) => g.fittedOn === "measured").map((g) =>
    methodLabel(g.method)
  );
  const mixed = fittedOn.filter((g) => g.fittedOn !== "measured").map((g) => methodLabel(g.method));
  return {
    title: "Migration noise: the migrating guest's progress ratio against the workload",
    yLabel: guest.proxyRuns === 0
      ? "guest progress ratio"
      : guest.points.every((p) => p.proxy)
      ? "guest dirty rate achieved / requested (proxy)"
      : "guest progress ratio (×: achieved / requested dirty rate, proxy)",
    reference: 1,
    secondaryLabel: "co-located load",
    modelNote: [
      `Solid lines: the noise model (guestProgress) ${fitB}, its parameters fitted (fitNoise): pre-copy 1/(1 + c·d) for the cost c of dirty tracking, post-copy the faults on the part of the working set not yet copied, served at the link's rate, plus a destination slowdown per contention; ${MEASURED_RULE}.`,
      onMeasured.length > 0 ? `Fitted on the measured ratio alone: ${onMeasured.join(", ")}.` : "",
      mixed.length > 0 ? `Fitted on measured and proxy ratios: ${mixed.join(", ")}.` : "",
      noUnfitted ? `${noUnfitted}: no noise model could be fitted, no line.` : "",
      "Dashed lines: the co-located load's model (colocatedProgress, fitColocated): CPU hog 1 − κ·m/T for the source's migration CPU seconds m, iperf3 1 − (bytes/T)/C, memory 1.",
      coUnfitted ? `${coUnfitted}: no co-located model could be fitted.` : "",
    ].filter(Boolean).join(" "),
    note: [
      "Ratio: the guest's work during the migration over its work at the baseline rate (1 = no slowdown; guest_progress_ratio, work in [0, T]); dots: measured, the pause included, while the lines are the ratio over the time the guest runs (a pre-copy pause of 0.3 s in 15 s puts a dot 2 % below its line; Xen-rule's stop-and-copy of a full working set much more).",
      guest.proxyRuns > 0
        ? `PROXY: ${guest.proxyRuns} of the runs have no measured progress ratio (datasets collected before the progress trace); their value, drawn as crosses, is the guest's achieved dirty rate during the migration over the requested rate, only where no measured ratio exists for the run.`
        : "",
      guest.secondary
        ? "Rings: the co-located load's measured ratio (colocated_progress_ratio), the same way."
        : "The co-located load's ratio (colocated_progress_ratio) is not in these runs.",
    ].filter(Boolean).join(" "),
  };
}

/** Median guest progress ratio per method and contention, in the schema's orders. */
function medians(runs: readonly MigrationRun[]): ProgressMedian[] {
  const groups = new Map<string, { values: number[]; proxy: number }>();
  for (const run of runs) {
    if (run.status !== "completed") continue;
    const cost = measuredCost(run, "guestProgressRatio");
    if (typeof cost === "string") continue;
    const key = JSON.stringify([run.method, run.contention]);
    const group = groups.get(key) ?? { values: [], proxy: 0 };
    group.values.push(cost.value);
    if (cost.proxy) group.proxy++;
    groups.set(key, group);
  }
  const out = [...groups].map(([key, g]) => {
    const [method, contention] = JSON.parse(key) as [string, string];
    return {
      method,
      contention,
      runs: g.values.length,
      proxyRuns: g.proxy,
      median: median(g.values),
    };
  });
  const methods = orderMethods(out.map((m) => m.method));
  const contentions = orderContentions(out.map((m) => m.contention));
  return out.sort((a, b) =>
    methods.indexOf(a.method) - methods.indexOf(b.method) ||
    contentions.indexOf(a.contention) - contentions.indexOf(b.contention)
  );
}
