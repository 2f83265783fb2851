/**
 * The reproduction pipeline behind `deno task reproduce` and notebook 01:
 * fit, predict, cross-validate, and build Figures 5, 6 and 3 and the report.
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { crossValidate } from "../fit/cross_validate.ts";
import { fitContention } from "../fit/fit_contention.ts";
import { predictRuns } from "../fit/predict_runs.ts";
import type { CrossValidationResult, ErrorMetrics, FitResult } from "../fit/types.ts";
import { bytesPerSecondToMbps } from "../units.ts";
import { methodName, orderContentions, orderMethods, sourceSentence } from "./_style.ts";
import {
  compareSweepWithModel,
  downtimeLimitSweep,
  type SweepSwitchComparison,
} from "./downtime_limit_sweep.ts";
import { type DowntimeLimitSwitch, figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
import {
  figureEstimatedVsMeasuredSpec,
  type FittedSummary,
} from "./figure_estimated_vs_measured_spec.ts";
import { markdownTable } from "./markdown_table.ts";
import type { DataSource, FigureSpec } from "./types.ts";

/** Options for {@linkcode reproduceFigures}. */
export interface ReproduceFiguresOptions {
  /** Where the runs came from; synthetic data are marked so everywhere. */
  source: DataSource;
  /**
   * Provenance lines for the report (hypervisor, host, link, date, who measured, licence...).
   *
   * @default {{}}
   */
  provenance?: Readonly<Record<string, string>>;
  /**
   * Bootstrap resamples per fit (the 95 % intervals).
   *
   * @default {200}
   */
  resamples?: number;
  /**
   * Folds of the cross-validation.
   *
   * @default {5}
   */
  folds?: number;
  /**
   * Seed of the bootstrap and the folds.
   *
   * @default {1}
   */
  seed?: number;
  /**
   * A measured downtime limit sweep (`kvm-precopy` runs at several limits) to
   * draw over Figure 3's model, predicted at the fitted KVM pre-copy B; it is
   * not part of the fits.
   *
   * @default {undefined (Figure 3 is model-only)}
   */
  downtimeSweep?: { runs: readonly MigrationRun[]; source: DataSource };
}

/** The result of {@linkcode reproduceFigures}. */
export interface ReproduceFiguresResult {
  /** One `fitContention` result per method that could be fitted. */
  fits: Record<string, FitResult>;
  /** One cross-validation per fitted method. */
  crossValidation: Record<string, CrossValidationResult>;
  /** Methods that could not be fitted, with the fit's error message. */
  notFitted: Record<string, string>;
  /** Method / contention groups left out of a fit, with why (too few completed runs). */
  leftOut: string[];
  /** Methods fitted whose cross-validation failed, with the message. */
  crossValidationFailed: Record<string, string>;
  /** The estimate of every run, seconds (NaN where its method was not fitted or it did not complete). */
  estimatesSeconds: number[];
  /** Figure 5 (pre-copy methods), or null without pre-copy fits. */
  fig5: FigureSpec | null;
  /** Figure 6 (KVM post-copy), or null without a post-copy fit. */
  fig6: FigureSpec | null;
  /** Figure 3's shape from the KVM pre-copy model at the fitted (or nominal) B, with a sweep's runs. */
  fig3: FigureSpec & { switches: DowntimeLimitSwitch[] };
  /** The measured sweep against the model, per workload (empty without a sweep). */
  sweepComparison: SweepSwitchComparison[];
  /** The report, Markdown. */
  reportMarkdown: string;
}

const PRECOPY = ["xen-precopy", "xen-precopy-policy", "kvm-precopy"];
const POSTCOPY = ["kvm-postcopy"];

/**
 * Runs the paper's comparison on a dataset: for each method, fits the
 * baseline bandwidth B and a factor per contention group
 * (`fitContention`, bootstrap intervals), predicts every run
 * (`predictRuns`), estimates the out-of-sample error (`crossValidate`), and
 * builds Figure 5 (Xen and KVM pre-copy), Figure 6 (KVM post-copy), Figure
 * 3's shape at the fitted KVM pre-copy B, and a Markdown report: B and
 * factors with intervals, error metrics per method and contention (in sample
 * and cross-validated), excluded runs and the data's provenance.
 *
 * A method whose fit throws (e.g. no baseline group) is listed in
 * `notFitted` and in the report, never dropped silently. Pure: no I/O, no
 * clock; the same runs and seed give the same result.
 *
 * Cost: (1 + resamples + folds) fits per method.
 *
 * @param runs The runs, as `loadRuns` or `synthesizeRuns` give them.
 * @param options The data source, provenance, resamples, folds, seed.
 * @returns Fits, estimates, figures and the report.
 * @throws {TypeError} If runs or options have the wrong type.
 * @throws {RangeError} If no method could be fitted.
 *
 * @example Synthetic post-copy runs
 * ```ts
 * import { reproduceFigures } from "./reproduce_figures.ts";
 * import { synthesizeRuns } from "../fit/synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 3, methods: ["kvm-postcopy"], repeats: 2 }); // synthetic
 * const result = reproduceFigures(runs, {
 *   source: { description: "synthesizeRuns seed 3", synthetic: true },
 *   resamples: 10,
 *   folds: 3,
 * });
 * assert.equal(result.fig5, null);
 * assert.ok(result.fig6!.title.startsWith("SYNTHETIC"));
 * assert.ok(result.reportMarkdown.includes("SYNTHETIC"));
 * ```
 */
export function reproduceFigures(
  runs: readonly MigrationRun[],
  options: ReproduceFiguresOptions,
): ReproduceFiguresResult {
  const where = "reproduceFigures";
  if (!Array.isArray(runs)) {
    throw new TypeError(`${where}: invalid runs, expected an array (got ${showValue(runs)})`);
  }
  checkObject(where, "options", options);
  const source = checkObject(where, 'option "source"', options.source) as unknown as DataSource;
  if (typeof source.description !== "string" || typeof source.synthetic !== "boolean") {
    throw new TypeError(
      `${where}: invalid option "source", expected { description: string, synthetic: boolean } (got ${
        showValue(options.source)
      })`,
    );
  }
  const resamples = checkNumber(
    where,
    "option",
    "resamples",
    options.resamples ?? 200,
    "integer>=0",
  );
  const folds = checkNumber(where, "option", "folds", options.folds ?? 5, "integer>=1");
  const seed = checkNumber(where, "option", "seed", options.seed ?? 1, "integer>=0");
  const provenance = options.provenance ?? {};

  const methods = orderMethods(runs.map((run) => run.method));
  const fits: Record<string, FitResult> = {};
  const crossValidation: Record<string, CrossValidationResult> = {};
  const notFitted: Record<string, string> = {};
  const estimatesSeconds = runs.map(() => Number.NaN);
  const leftOut: string[] = [];
  const crossValidationFailed: Record<string, string> = {};
  for (const method of methods) {
    // A contention group with fewer than 2 completed runs cannot be fitted:
    // leave it out of this method's fit and say so (report and caption).
    const completedByGroup = new Map<string, number>();
    for (const run of runs) {
      if (run.method === method && run.status === "completed") {
        completedByGroup.set(run.contention, (completedByGroup.get(run.contention) ?? 0) + 1);
      }
    }
    const small = [...completedByGroup].filter(([, n]) => n < 2).map(([group]) => group);
    for (const group of small) {
      leftOut.push(`${method} / ${group}: 1 completed run, a factor needs at least 2`);
    }
    const input = runs.filter((run) => !(run.method === method && small.includes(run.contention)));
    let fit: FitResult;
    try {
      fit = fitContention(input, { method, resamples, seed });
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      notFitted[method] = error.message;
      continue;
    }
    fits[method] = fit;
    const indices = runs.flatMap((run, i) =>
      run.method === method && run.status === "completed" && !small.includes(run.contention)
        ? [i]
        : []
    );
    const estimates = predictRuns(indices.map((i) => runs[i]!), fit);
    indices.forEach((runIndex, k) => (estimatesSeconds[runIndex] = estimates[k]!));
    try {
      crossValidation[method] = crossValidate(input, { method, folds, seed });
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      crossValidationFailed[method] = error.message;
    }
  }
  if (Object.keys(fits).length === 0) {
    throw new RangeError(
      `${where}: invalid runs, expected at least one method that can be fitted (got ${
        JSON.stringify(notFitted)
      })`,
    );
  }

  const figureFor = (group: string[], title: string): FigureSpec | null => {
    const fitted = group.filter((method) => fits[method]);
    if (fitted.length === 0) return null;
    const indices = runs.flatMap((run, i) =>
      fitted.includes(run.method) &&
        (run.status !== "completed" || Number.isFinite(estimatesSeconds[i]!))
        ? [i]
        : []
    );
    const dropped = leftOut.filter((text) => fitted.some((m) => text.startsWith(`${m} /`)));
    return figureEstimatedVsMeasuredSpec(
      indices.map((i) => runs[i]!),
      indices.map((i) => estimatesSeconds[i]!),
      {
        source,
        title,
        fitted: fitted.flatMap((method) => summary(method, fits[method]!)),
        note: `Intervals: ${intervalText(fits[fitted[0]!]!)}.${
          dropped.length > 0 ? ` Not shown (not fitted): ${dropped.join("; ")}.` : ""
        }`,
      },
    );
  };
  const fig5 = figureFor(
    PRECOPY,
    "Figure 5: estimated and measured migration time, pre-copy",
  );
  const fig6 = figureFor(
    POSTCOPY,
    "Figure 6: estimated and measured migration time, KVM post-copy (T = M/B)",
  );
  const bandwidthFit = fits["kvm-precopy"] ?? fits["xen-precopy"] ?? fits["kvm-postcopy"];
  const fittedB = bandwidthFit ? summary("", bandwidthFit)[0]?.bandwidthBytesPerSecond : undefined;
  const sweep = options.downtimeSweep ? downtimeLimitSweep(options.downtimeSweep.runs) : undefined;
  const memoryBytes = sweep?.memoryBytes ??
    runs.find((run) => run.status === "completed")?.memoryBytes;
  const fig3 = figureDowntimeLimitSpec({
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    ...(fittedB !== undefined
      ? {
        bandwidthBytesPerSecond: fittedB,
        bandwidthSource: {
          description: `${source.description}; baseline B of the ${
            methodName(bandwidthFit === fits["kvm-precopy"] ? "kvm-precopy" : Object.keys(fits)[0]!)
          } fit`,
          synthetic: source.synthetic,
        },
      }
      : {}),
    ...(sweep && options.downtimeSweep
      ? {
        workloads: sweep.workloads,
        measured: sweep.measured,
        measuredSource: options.downtimeSweep.source,
        ...(sweep.timeoutSeconds !== undefined ? { timeoutSeconds: sweep.timeoutSeconds } : {}),
      }
      : {}),
  });
  const sweepComparison = sweep && fittedB !== undefined
    ? compareSweepWithModel(sweep, fittedB)
    : [];

  return {
    fits,
    crossValidation,
    notFitted,
    leftOut,
    crossValidationFailed,
    estimatesSeconds,
    fig5,
    fig6,
    fig3,
    sweepComparison,
    reportMarkdown: report(
      runs,
      source,
      provenance,
      fits,
      crossValidation,
      notFitted,
      folds,
      leftOut,
      crossValidationFailed,
    ) +
      sweepReport(
        sweepComparison,
        fig3.switches,
        sweep?.leftOut ?? {},
        options.downtimeSweep?.source,
      ),
  };
}

/** The report's section on a measured downtime limit sweep (empty without one). */
function sweepReport(
  comparison: readonly SweepSwitchComparison[],
  switches: readonly DowntimeLimitSwitch[],
  leftOut: Record<string, number>,
  source: DataSource | undefined,
): string {
  if (comparison.length === 0 || source === undefined) return "";
  const seconds = (value: number | undefined) =>
    value === undefined ? "none" : `${Number(value.toPrecision(4))} s`;
  const left = Object.entries(leftOut).map(([status, n]) => `${n} ${status}`).join(", ");
  return [
    "\n## Figure 3: measured downtime limit sweep\n",
    `${
      sourceSentence(source)
    } KVM pre-copy runs at several downtime limits, against the model at ` +
    "the fitted KVM pre-copy B (not fitted to the sweep). The model switches from never converging " +
    "to converging at one limit; the measured switch lies between the last limit that did not " +
    `converge and the first that did.${left ? ` Left out: ${left}.` : ""}\n`,
    markdownTable(comparison.map((c) => ({
      workload: c.workload,
      "model switch": seconds(
        switches.find((w) => w.workload === c.workload && w.what === "starts to converge")
          ?.limitSeconds,
      ),
      "last limit not converged": seconds(c.lastStuckSeconds),
      "first limit converged": seconds(c.firstConvergedSeconds),
      "outcome as the model says": `${c.agreeing} of ${c.runs}`,
      "time MAPE where both converged (%)": c.convergedMapePercent,
    }))),
    "",
  ].join("\n");
}

/** The caption's summary of a fit: B (absolute, or efficiency × one link) and factors. */
function summary(method: string, fit: FitResult): FittedSummary[] {
  const label = method ? methodName(method) : "fit";
  if (fit.bandwidth) {
    return [{
      label,
      bandwidthBytesPerSecond: fit.bandwidth.value,
      bandwidthIntervalBytesPerSecond: [fit.bandwidth.low, fit.bandwidth.high],
      factors: fit.factors,
    }];
  }
  if (fit.efficiency && fit.linkBandwidthsBytesPerSecond.length === 1) {
    const link = fit.linkBandwidthsBytesPerSecond[0]!;
    return [{
      label: `${label} (efficiency ${fit.efficiency.value.toFixed(3)} of the link)`,
      bandwidthBytesPerSecond: fit.efficiency.value * link,
      bandwidthIntervalBytesPerSecond: [fit.efficiency.low * link, fit.efficiency.high * link],
      factors: fit.factors,
    }];
  }
  return [];
}

function intervalText(fit: FitResult): string {
  return fit.interval.method === "bootstrap"
    ? `percentile bootstrap over runs within each group, ${fit.interval.resamples} resamples, seed ${fit.interval.seed}`
    : "none computed";
}

function metricsRow(label: Record<string, string>, m: ErrorMetrics): Record<string, unknown> {
  return {
    ...label,
    runs: m.count,
    "RMSE (s)": m.rmseSeconds,
    "MAE (s)": m.maeSeconds,
    "MAPE (%)": m.mapePercent,
    "max |error| (s)": m.maxErrorSeconds,
    "R²": m.rSquared,
    "bias (s)": m.biasSeconds,
  };
}

function report(
  runs: readonly MigrationRun[],
  source: DataSource,
  provenance: Readonly<Record<string, string>>,
  fits: Record<string, FitResult>,
  crossValidation: Record<string, CrossValidationResult>,
  notFitted: Record<string, string>,
  folds: number,
  leftOut: string[],
  crossValidationFailed: Record<string, string>,
): string {
  const out: string[] = [];
  out.push("# Reproduction report: estimated and measured migration time\n");
  out.push(
    source.synthetic
      ? `> **SYNTHETIC DATA.** These runs were generated from the models with seeded noise; they are not measurements (${source.description}). Every number below describes the synthetic dataset only.\n`
      : `> Data: measured, ${source.description}.\n`,
  );
  out.push("## Data provenance\n");
  const provenanceRows = Object.entries(provenance).map(([field, value]) => ({ field, value }));
  if (provenanceRows.length > 0) out.push(markdownTable(provenanceRows));
  const counts = new Map<string, number>();
  for (const run of runs) {
    const key = JSON.stringify([run.method, run.contention, run.status]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const methodOrder = orderMethods(runs.map((run) => run.method));
  const contentionOrder = orderContentions(runs.map((run) => run.contention));
  out.push(`\n${runs.length} runs:\n`);
  out.push(markdownTable(
    [...counts.entries()].map(([key, count]) => {
      const [method, contention, status] = JSON.parse(key) as string[];
      return { method: method!, contention: contention!, status: status!, runs: count };
    }).sort((a, b) =>
      methodOrder.indexOf(a.method) - methodOrder.indexOf(b.method) ||
      contentionOrder.indexOf(a.contention) - contentionOrder.indexOf(b.contention) ||
      a.status.localeCompare(b.status)
    ),
  ));

  out.push("\n## Fitted bandwidth and contention factors\n");
  out.push(
    "B is the baseline group's bandwidth (contention `none`); each group's bandwidth is B × factor. " +
      "Intervals are 95 %.\n",
  );
  for (const [method, fit] of Object.entries(fits)) {
    out.push(`\n### ${methodName(method)}\n`);
    const b = summary(method, fit)[0];
    if (b) {
      const [low, high] = b.bandwidthIntervalBytesPerSecond ?? [Number.NaN, Number.NaN];
      out.push(
        `- B = **${bytesPerSecondToMbps(b.bandwidthBytesPerSecond).toFixed(1)} Mbit/s** (${
          b.bandwidthBytesPerSecond.toFixed(0)
        } bytes/s), 95 % interval ${bytesPerSecondToMbps(low).toFixed(1)}–${
          bytesPerSecondToMbps(high).toFixed(1)
        } Mbit/s`,
      );
    } else {
      out.push("- B: per link efficiency (several link speeds); see the factors");
    }
    out.push(`- intervals: ${intervalText(fit)}`);
    out.push(
      `- fit converged: ${
        fit.converged ? "yes" : "NO"
      }; runs used: ${fit.runsUsed}; excluded: ${fit.excluded.count}${
        fit.excluded.count > 0 ? ` (${JSON.stringify(fit.excluded.byReason)})` : ""
      }`,
    );
    if (fit.extraTerm) {
      out.push(
        `- extra term ${fit.extraTerm.name}: coefficient ${fit.extraTerm.value.toFixed(3)}, ${
          fit.extraTerm.kept ? "kept" : "not kept"
        } (CV error ${fit.extraTerm.cvErrorWith.toPrecision(3)} with, ${
          fit.extraTerm.cvErrorWithout.toPrecision(3)
        } without)`,
      );
    }
    out.push("");
    out.push(markdownTable(
      orderContentions(Object.keys(fit.factors)).map((group) => {
        const f = fit.factors[group]!;
        const groupB = b ? b.bandwidthBytesPerSecond * f.value : Number.NaN;
        return {
          contention: group,
          factor: f.value,
          "95 % low": f.low,
          "95 % high": f.high,
          "B_group (Mbit/s)": b ? bytesPerSecondToMbps(groupB) : "",
        };
      }),
    ));
  }
  for (const [method, message] of Object.entries(notFitted)) {
    out.push(`\n### ${methodName(method)}: not fitted\n\n${message}\n`);
  }
  if (leftOut.length > 0) {
    out.push("\nLeft out of the fits (and the figures):\n");
    for (const text of leftOut) out.push(`- ${text}`);
  }

  out.push("\n## Error metrics (measured − estimated)\n");
  out.push("In sample (the fit's own runs):\n");
  out.push(markdownTable(
    Object.entries(fits).flatMap(([method, fit]) => [
      ...orderContentions(Object.keys(fit.metricsByGroup)).map((group) =>
        metricsRow({ method, contention: group }, fit.metricsByGroup[group]!)
      ),
      metricsRow({ method, contention: "all" }, fit.metrics),
    ]),
  ));
  out.push(
    "\nR² compares with the group's mean: within one contention group KVM post-copy's estimate " +
      "(T = M/B) is one number for every run, so its per-group R² is about 0 however good the fit; " +
      "read MAPE and RMSE there.",
  );
  out.push(
    `\nOut of sample (${folds}-fold cross-validation, folds dealt within each contention group): how the fit would do on new runs:\n`,
  );
  out.push(markdownTable(
    Object.entries(crossValidation).flatMap(([method, cv]) => [
      ...orderContentions(Object.keys(cv.metricsByGroup)).map((group) =>
        metricsRow({ method, contention: group }, cv.metricsByGroup[group]!)
      ),
      metricsRow({ method, contention: "all" }, cv.metrics),
    ]),
  ));
  for (const [method, message] of Object.entries(crossValidationFailed)) {
    out.push(`\n${methodName(method)}: no cross-validation (${message}).`);
  }
  out.push("\n## Figures\n");
  out.push(
    "- `figures/fig5.svg`, `fig5.png`: pre-copy, estimated (lines) and measured (dots, min–max bars) " +
      "migration time against the dirty rate, per WSS and contention, with residual panels.",
  );
  out.push("- `figures/fig6.svg`, `fig6.png`: the same for KVM post-copy (T = M/B).");
  out.push(
    "- `figures/fig3.svg`, `fig3.png`: KVM pre-copy time and downtime against the downtime limit " +
      "(model at the fitted B, with the measured sweep's runs when there is one).",
  );
  return out.join("\n") + "\n";
}
