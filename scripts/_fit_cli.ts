// Output formatting and progress of `deno task fit`, kept pure so they can be tested on
// in-memory runs (scripts/fit.ts does the I/O, _fit_command.ts the command line).
// File by file, not from mod.ts (see scripts/fit.ts).
import { bytesPerSecondToMbps } from "../src/units.ts";
import type { CrossValidationResult, ErrorMetrics, FitResult } from "../src/fit/types.ts";
import { textTable } from "../src/plot/text_table.ts";
import type { DatasetWarning, UnitConversion } from "../src/data/types.ts";
import { INTERVAL_LEVEL } from "../src/fit/defaults.ts";

/** What the loader said about a dataset: its warnings and unit conversions. */
export interface LoaderNotes {
  /** The loader's warnings (`loadRuns`' `warnings`). */
  warnings: readonly DatasetWarning[];
  /** The unit conversions it applied (`loadRuns`' `conversions`). */
  conversions: readonly UnitConversion[];
}

const NO_NOTES: LoaderNotes = { warnings: [], conversions: [] };

/** The loader's notes as report lines: the warnings (with their counts) and the conversions. */
export function formatLoaderNotes(notes: LoaderNotes): string[] {
  const lines: string[] = [];
  if (notes.warnings.length === 0) lines.push("loader warnings: none");
  else {
    lines.push(`loader warnings: ${notes.warnings.length}`);
    for (const w of notes.warnings) {
      lines.push(`  ${w.message}${w.count > 1 ? ` (${w.count} times)` : ""}`);
    }
  }
  if (notes.conversions.length === 0) lines.push("unit conversions: none");
  else {
    lines.push(
      `unit conversions: ${
        notes.conversions.map((c) =>
          `${c.column} (${c.fromUnit}) -> ${c.schemaColumn} (${c.toUnit}, x ${c.factor})`
        ).join(", ")
      }`,
    );
  }
  return lines;
}

/** A progress event of a long fit (the `onProgress` option of the fits). */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
}

/** Options of {@linkcode progressReporter}. */
export interface ProgressReporterOptions {
  /** The clock, milliseconds. @default {performance.now} */
  now?: () => number;
  /** Quiet for this long after a stage starts, ms: short stages print nothing. @default {2000} */
  afterMs?: number;
  /** At most one line per this many ms. @default {2000} */
  everyMs?: number;
}

/**
 * A progress callback for the fits that writes lines such as
 * `fit: bootstrap 120/200 (6.1 s)` with `write` (the CLI gives stderr): none
 * while a stage has run less than `afterMs` (so a short stage prints
 * nothing), then at most one every `everyMs`, and always the stage's last
 * step once past `afterMs`. A stage starts at the previous event (of any
 * stage) or when the reporter is made.
 *
 * @param write Receives each line (without a newline).
 * @param options The clock and the intervals.
 * @returns The callback to pass as the fits' `onProgress`.
 *
 * @example A 3 s bootstrap prints its middle and its end
 * ```ts
 * import { progressReporter } from "./_fit_cli.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * let clock = 0;
 * const report = progressReporter((line) => lines.push(line), { now: () => clock });
 * for (const [t, done] of [[1000, 1], [2500, 2], [3000, 3]] as const) {
 *   clock = t;
 *   report({ stage: "bootstrap", done, total: 3 });
 * }
 * assert.deepEqual(lines, ["fit: bootstrap 2/3 (2.5 s)", "fit: bootstrap 3/3 (3.0 s)"]);
 * ```
 */
export function progressReporter(
  write: (line: string) => void,
  options: ProgressReporterOptions = {},
): (event: ProgressEvent) => void {
  const { now = () => performance.now(), afterMs = 2000, everyMs = 2000 } = options;
  let stage = "";
  // A stage starts when the last event of the one before (or the reporter) was made.
  let previous = now();
  let started = previous;
  let last = -Infinity;
  return ({ stage: name, done, total }) => {
    const t = now();
    if (name !== stage) {
      stage = name;
      started = previous;
      last = -Infinity;
    }
    previous = t;
    const elapsed = t - started;
    if (elapsed < afterMs || (done !== total && t - last < everyMs)) return;
    last = t;
    write(`fit: ${name} ${done}/${total} (${(elapsed / 1000).toFixed(1)} s)`);
  };
}

/** Out-of-sample error, or why it could not be computed. */
export type CvOutcome = CrossValidationResult | { error: string } | null;

/**
 * The JSON the CLI prints: `bandwidthBytesPerSecond`, `factors`
 * (`{group: {value, low, high}}`), `metrics`, `excluded`, plus the
 * efficiency, intervals, per-group metrics and cross-validation.
 *
 * @param fit The fit.
 * @param cv The cross-validation outcome.
 * @param source Where the runs came from (`"synthetic"` for generated runs).
 * @param notes The loader's warnings and unit conversions (none for generated runs).
 */
export function fitReportJson(
  fit: FitResult,
  cv: CvOutcome,
  source: string,
  notes: LoaderNotes = NO_NOTES,
): unknown {
  const { residuals, ...rest } = fit;
  return {
    source,
    warnings: notes.warnings,
    conversions: notes.conversions,
    bandwidthBytesPerSecond: fit.bandwidthBytesPerSecond,
    bandwidth: fit.bandwidth,
    bandwidthByMethod: fit.bandwidthByMethod,
    efficiency: fit.efficiency,
    efficiencyByMethod: fit.efficiencyByMethod,
    factors: fit.factors,
    extraTerm: fit.extraTerm,
    metrics: fit.metrics,
    metricsByGroup: fit.metricsByGroup,
    excluded: { count: fit.excluded.count, byReason: fit.excluded.byReason },
    interval: fit.interval,
    converged: fit.converged,
    iterations: fit.iterations,
    scale: fit.scale,
    runsUsed: rest.runsUsed,
    runsOfOtherMethods: rest.runsOfOtherMethods,
    options: fit.options,
    crossValidation: cv === null ? null : "error" in cv ? cv : {
      folds: cv.folds,
      seed: cv.seed,
      metrics: cv.metrics,
      metricsByGroup: cv.metricsByGroup,
      rmsLogError: cv.rmsLogError,
    },
    residuals,
  };
}

/**
 * The readable report: B (Mbit/s and bytes/s), factors with intervals,
 * metrics per group (in sample and out of sample), runs excluded and why.
 *
 * @param fit The fit.
 * @param cv The cross-validation outcome.
 * @param source Where the runs came from.
 * @param notes The loader's warnings and unit conversions (none for generated runs).
 */
export function formatFitReport(
  fit: FitResult,
  cv: CvOutcome,
  source: string,
  notes: LoaderNotes = NO_NOTES,
): string {
  const lines: string[] = [];
  const mbps = (b: number) => bytesPerSecondToMbps(b).toFixed(1);
  const num = (x: number, digits = 3) => Number.isNaN(x) ? "-" : x.toFixed(digits);
  const percent = `${Math.round(INTERVAL_LEVEL * 100)} %`;
  lines.push(
    `Fit of ${source}: ${fit.runsUsed} completed runs` +
      (fit.runsOfOtherMethods > 0
        ? ` (${fit.runsOfOtherMethods} runs of other methods skipped)`
        : ""),
  );
  lines.push(...formatLoaderNotes(notes));
  lines.push(
    `objective ${
      fit.options.objective === "log" ? "least squares on log time" : "least squares on seconds"
    }, ` +
      `scale ${fit.scale}, ` +
      (fit.interval.method === "bootstrap"
        ? `${percent} intervals: bootstrap over runs, ${fit.interval.resamples} resamples, seed ${fit.interval.seed}`
        : "no intervals") +
      `, ${fit.converged ? "converged" : "NOT converged"} in ${fit.iterations} cycle(s)`,
  );
  lines.push("");
  const bandwidthRow = (label: string, e: { value: number; low: number; high: number }) => [
    label,
    mbps(e.value),
    `[${num(bytesPerSecondToMbps(e.low), 1)}, ${num(bytesPerSecondToMbps(e.high), 1)}]`,
    e.value.toExponential(4),
  ];
  const bRows: string[][] = [];
  if (fit.bandwidth !== null) {
    bRows.push(bandwidthRow(`B (${fit.options.baseline})`, fit.bandwidth));
  }
  for (const [m, e] of Object.entries(fit.bandwidthByMethod ?? {})) {
    bRows.push(bandwidthRow(`B ${m}`, e));
  }
  if (bRows.length > 0) {
    lines.push(
      table([["bandwidth", "Mbit/s", `${percent} interval (Mbit/s)`, "bytes/s"], ...bRows]),
    );
  }
  const effRows: string[][] = [];
  if (fit.efficiency !== null) {
    effRows.push([
      "efficiency",
      num(fit.efficiency.value, 4),
      `[${num(fit.efficiency.low, 4)}, ${num(fit.efficiency.high, 4)}]`,
    ]);
  }
  for (const [m, e] of Object.entries(fit.efficiencyByMethod ?? {})) {
    effRows.push([`efficiency ${m}`, num(e.value, 4), `[${num(e.low, 4)}, ${num(e.high, 4)}]`]);
  }
  if (effRows.length > 0) {
    lines.push("");
    lines.push(table([["link", "fraction", `${percent} interval`], ...effRows]));
  }
  lines.push("");
  lines.push(table([
    ["group", "factor", `${percent} interval`],
    ...Object.entries(fit.factors).map((
      [g, f],
    ) => [g, num(f.value, 4), `[${num(f.low, 4)}, ${num(f.high, 4)}]`]),
  ]));
  if (fit.extraTerm !== null) {
    const t = fit.extraTerm;
    lines.push("");
    lines.push(
      `extra term ${t.name}: coefficient ${num(t.value, 4)} [${num(t.low, 4)}, ${
        num(t.high, 4)
      }], cross-validated error ${num(t.cvErrorWith, 4)} with, ${
        num(t.cvErrorWithout, 4)
      } without: ${t.kept ? "kept" : "dropped"}`,
    );
  }
  lines.push("");
  lines.push("in-sample error (measured - estimated):");
  lines.push(metricsTable(fit.metricsByGroup, fit.metrics));
  if (cv !== null) {
    lines.push("");
    if ("error" in cv) lines.push(`out-of-sample error: not computed (${cv.error})`);
    else {
      lines.push(
        `out-of-sample error (${cv.folds}-fold cross-validation, seed ${cv.seed}; RMS log error ${
          num(cv.rmsLogError, 4)
        }):`,
      );
      lines.push(metricsTable(cv.metricsByGroup, cv.metrics));
    }
  }
  lines.push("");
  if (fit.excluded.count === 0) lines.push("runs excluded: none");
  else {
    lines.push(`runs excluded: ${fit.excluded.count}`);
    for (const [reason, count] of Object.entries(fit.excluded.byReason)) {
      lines.push(`  ${reason}: ${count}`);
    }
  }
  return lines.join("\n");
}

function metricsTable(byGroup: Record<string, ErrorMetrics>, all: ErrorMetrics): string {
  const row = (g: string, m: ErrorMetrics) => [
    g,
    String(m.count),
    m.rmseSeconds.toFixed(3),
    m.maeSeconds.toFixed(3),
    m.mapePercent.toFixed(2),
    m.maxErrorSeconds.toFixed(3),
    Number.isNaN(m.rSquared) ? "-" : m.rSquared.toFixed(4),
    m.biasSeconds.toFixed(3),
  ];
  return table([
    ["group", "runs", "RMSE (s)", "MAE (s)", "MAPE (%)", "max (s)", "R^2", "bias (s)"],
    ...Object.entries(byGroup).filter(([g]) => g !== "all").map(([g, m]) => row(g, m)),
    row("all", all),
  ]);
}

/** A text table of pre-formatted cells: header first, the first column left, the others right. */
function table(rows: string[][]): string {
  const [header, ...body] = rows;
  return textTable(body.map((row) => Object.fromEntries(header!.map((h, c) => [h, row[c]]))), {
    columns: header!,
    align: header!.map((_, c) => (c === 0 ? "left" : "right")),
  });
}
