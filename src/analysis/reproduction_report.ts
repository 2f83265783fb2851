/**
 * The reproduction's Markdown report: data provenance, fitted B and factors
 * with intervals, error metrics in sample and cross-validated, the figures'
 * files, and the measured downtime limit sweep against the model.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import type { ErrorMetrics, FitResult } from "../fit/types.ts";
import { methodLabel } from "../data/schema.ts";
import { binRuns } from "../plot/bin_runs.ts";
import { orderContentions, sourceSentence } from "../plot/_style.ts";
import { markdownTable } from "../plot/markdown_table.ts";
import { switchRuleSection } from "./_switch_rule_section.ts";
import { xenRuleSection } from "./_xen_rule_section.ts";
import { bytesPerSecondToMbps } from "../units.ts";
import { fittedSummary, intervalText } from "./_fitted_summary.ts";
import type { ReproductionAnalysis } from "./analyze_reproduction.ts";
import { costFiguresSection } from "./_cost_figures_report.ts";
import type { CostFigures } from "./cost_figures.ts";

/**
 * The files each figure was (or will be) written to, paths relative to the
 * report; the report lists them, and names a file in the same folder as the
 * figure's first file by its base name.
 */
export interface ReproductionFigureFiles {
  /** Figure 5 (pre-copy), e.g. `["figures/fig5.svg", "figures/fig5.png"]`. */
  fig5: readonly string[];
  /** Figure 6 (KVM post-copy). */
  fig6: readonly string[];
  /** Figure 3 (KVM pre-copy against the downtime limit). */
  fig3: readonly string[];
  /** Figure 1 (CPU use over time), if written. */
  fig1?: readonly string[];
  /** Figure 2 (downtime against the workload), if written. */
  fig2?: readonly string[];
  /** Figure 4 (migration time against the workload), if written. */
  fig4?: readonly string[];
  /** The noise figure (progress ratio against the workload), if written. */
  noise?: readonly string[];
}

/** What {@linkcode reproductionReport} writes about. */
export interface ReproductionReportInput {
  /** The analysis, from `analyzeReproduction`. */
  analysis: ReproductionAnalysis;
  /** Where the figures are, relative to the report. */
  figureFiles: ReproductionFigureFiles;
  /**
   * Figures 1, 2, 4 and the noise figure (`costFigures`): a section each,
   * after the others.
   *
   * @default {undefined (no such sections)}
   */
  costFigures?: CostFigures;
}

/**
 * Writes the reproduction's report as Markdown: a SYNTHETIC banner when the
 * data are synthetic, the provenance and the runs per method, contention and
 * status; per method B with its 95 % interval and the contention factors;
 * methods not fitted and groups left out; error metrics per method and
 * contention, in sample and cross-validated; the figures' files; and, with a
 * measured downtime limit sweep, its switch brackets against the model's.
 *
 * Pure: the same analysis gives the same text.
 *
 * @param input The analysis and the figures' files.
 * @returns The report, Markdown, ending in a newline.
 * @throws {TypeError} If the input, its analysis or a figure's file list has the wrong type.
 *
 * @example The report of a synthetic post-copy fit
 * ```ts
 * import { reproductionReport } from "./reproduction_report.ts";
 * import { analyzeReproduction } from "./analyze_reproduction.ts";
 * import { synthesizeRuns } from "../fit/synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 3, methods: ["kvm-postcopy"], repeats: 2 }); // synthetic
 * const analysis = analyzeReproduction(runs, {
 *   source: { description: "synthesizeRuns seed 3", synthetic: true },
 *   resamples: 0,
 *   folds: 2,
 * });
 * const md = reproductionReport({
 *   analysis,
 *   figureFiles: { fig5: ["a.svg"], fig6: ["b/fig6.svg", "b/fig6.png"], fig3: ["c.svg"] },
 * });
 * assert.ok(md.includes("**SYNTHETIC DATA.**"));
 * assert.ok(md.includes("- `b/fig6.svg`, `fig6.png`: the same for KVM post-copy"));
 * ```
 */
export function reproductionReport(input: ReproductionReportInput): string {
  const where = "reproductionReport";
  checkObject(where, "input", input);
  const analysis = checkObject(
    where,
    "input.analysis",
    input.analysis,
  ) as unknown as ReproductionAnalysis;
  checkObject(where, "input.figureFiles", input.figureFiles);
  for (const name of ["fig5", "fig6", "fig3"] as const) {
    const files = input.figureFiles[name];
    if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f !== "string")) {
      throw new TypeError(
        `${where}: invalid input.figureFiles.${name}, expected a non-empty array of paths (got ${
          showValue(files)
        })`,
      );
    }
  }
  return [
    ...dataSection(analysis),
    ...fitsSection(analysis),
    ...metricsSection(analysis),
    ...figuresSection(input.figureFiles, input.analysis),
  ].join("\n") + "\n" + sweepSection(analysis) +
    (analysis.switchRule
      ? switchRuleSection(
        analysis.switchRule,
        sourceSentence(analysis.switchRule.sweepSource),
      ).join("\n") + "\n"
      : "") +
    xenRuleLines(analysis) +
    (input.costFigures
      ? costFiguresSection(input.costFigures, input.figureFiles, sourceSentence(analysis.source))
      : "");
}

/** Title, the synthetic banner, provenance and the runs table. */
function dataSection(analysis: ReproductionAnalysis): string[] {
  const { source, provenance, runCounts } = analysis;
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
  const total = runCounts.reduce((sum, count) => sum + count.runs, 0);
  out.push(`\n${total} runs:\n`);
  out.push(markdownTable(runCounts.map((count) => ({ ...count }))));
  return out;
}

/** Per method: B, intervals, convergence, the extra term and the factors; then what was not fitted. */
function fitsSection(analysis: ReproductionAnalysis): string[] {
  const out: string[] = [];
  out.push("\n## Fitted bandwidth and contention factors\n");
  out.push(
    "B is the baseline group's bandwidth (contention `none`); each group's bandwidth is B × factor. " +
      "Intervals are 95 %.\n",
  );
  for (const [method, fit] of Object.entries(analysis.fits)) {
    out.push(`\n### ${methodLabel(method)}\n`);
    out.push(...fitLines(method, fit));
  }
  for (const [method, message] of Object.entries(analysis.notFitted)) {
    out.push(`\n### ${methodLabel(method)}: not fitted\n\n${message}\n`);
  }
  if (analysis.leftOut.length > 0) {
    out.push("\nLeft out of the fits (and the figures):\n");
    for (const text of analysis.leftOut) out.push(`- ${text}`);
  }
  return out;
}

/** One method's fit: B, how the intervals were made, convergence, extra term, factor table. */
function fitLines(method: string, fit: FitResult): string[] {
  const out: string[] = [];
  const b = fittedSummary(method, fit)[0];
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
  return out;
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

/** Rows per method and contention, then the method's "all" row. */
function metricsRows(
  byMethod: Record<string, { metrics: ErrorMetrics; metricsByGroup: Record<string, ErrorMetrics> }>,
): Record<string, unknown>[] {
  return Object.entries(byMethod).flatMap(([method, result]) => [
    ...orderContentions(Object.keys(result.metricsByGroup)).map((group) =>
      metricsRow({ method, contention: group }, result.metricsByGroup[group]!)
    ),
    metricsRow({ method, contention: "all" }, result.metrics),
  ]);
}

/** In-sample and cross-validated error metrics. */
function metricsSection(analysis: ReproductionAnalysis): string[] {
  const out: string[] = [];
  out.push("\n## Error metrics (measured − estimated)\n");
  out.push("In sample (the fit's own runs):\n");
  out.push(markdownTable(metricsRows(analysis.fits)));
  out.push(
    "\nR² compares with the group's mean: within one contention group KVM post-copy's estimate " +
      "(T = M/B) is one number for every run, so its per-group R² is about 0 however good the fit; " +
      "read MAPE and RMSE there.",
  );
  out.push(
    `\nOut of sample (${analysis.settings.folds}-fold cross-validation, folds dealt within each contention group): how the fit would do on new runs:\n`,
  );
  out.push(markdownTable(metricsRows(analysis.crossValidation)));
  for (const [method, message] of Object.entries(analysis.crossValidationFailed)) {
    out.push(`\n${methodLabel(method)}: no cross-validation (${message}).`);
  }
  return out;
}

/** The figures' files, each with what it shows. */
function figuresSection(files: ReproductionFigureFiles, analysis: ReproductionAnalysis): string[] {
  // How Figures 5 and 6 place their runs (as figureEstimatedVsMeasuredSpec bins them).
  const binning = [analysis.fig5, analysis.fig6].flatMap((input) => {
    const drawn = input?.runs.filter((r) =>
      r.status === "completed" || r.status === "non-convergent"
    );
    if (!drawn || drawn.length === 0) return [];
    return [binRuns(drawn).sentence || "runs sit at their own dirty rate and WSS."];
  });
  return [
    "\n## Figures\n",
    `- ${fileList(files.fig5)}: pre-copy, estimated (lines) and measured (dots, min–max bars) ` +
    "migration time against the dirty rate, per WSS and contention, with residual panels.",
    `- ${fileList(files.fig6)}: the same for KVM post-copy (T = M/B).`,
    `- ${fileList(files.fig3)}: KVM pre-copy time and downtime against the downtime limit ` +
    "(model at the fitted B, with the measured sweep's runs when there is one).",
    ...[...new Set(binning)].map((text) => `- Figures 5 and 6: ${text}`),
  ];
}

/** "`figures/fig5.svg`, `fig5.png`": files beside the first are named by their base name. */
export function fileList(files: readonly string[]): string {
  const folder = (path: string) => path.slice(0, path.lastIndexOf("/") + 1);
  const first = files[0]!;
  return files.map((file, i) =>
    `\`${i > 0 && folder(file) === folder(first) ? file.slice(folder(file).length) : file}\``
  ).join(", ");
}

/** The report's section on a measured downtime limit sweep (empty without one). */
function sweepSection(analysis: ReproductionAnalysis): string {
  const comparison = analysis.sweepComparison;
  const sweep = analysis.sweep;
  if (comparison.length === 0 || sweep === undefined) return "";
  const switches = analysis.fig3.curves.switches;
  const seconds = (value: number | undefined) =>
    value === undefined ? "none" : `${Number(value.toPrecision(4))} s`;
  const left = Object.entries(sweep.leftOut).map(([status, n]) => `${n} ${status}`).join(", ");
  return [
    "\n## Figure 3: measured downtime limit sweep\n",
    `${
      sourceSentence(sweep.source)
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

/** The Xen-rule section, or nothing without those runs. */
function xenRuleLines(analysis: ReproductionAnalysis): string {
  const lines = xenRuleSection(
    analysis.xenRule,
    analysis.xenRuleFailed,
    sourceSentence(analysis.source),
  );
  return lines.length === 0 ? "" : "\n" + lines.join("\n") + "\n";
}
