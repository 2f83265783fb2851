// Argument parsing and output formatting of `deno task fit`, kept pure so
// they can be tested on in-memory runs (scripts/fit.ts does the I/O).
// File by file, not from mod.ts (see scripts/fit.ts).
import { bytesPerSecondToMbps } from "../src/units.ts";
import type { CrossValidationResult, ErrorMetrics, FitResult } from "../src/fit/types.ts";
import { textTable } from "../src/plot/text_table.ts";
import {
  DEFAULT_FOLDS,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  INTERVAL_LEVEL,
} from "../src/fit/defaults.ts";

/** Parsed command line of `deno task fit`. */
export interface FitArgs {
  /** Dataset path, or null with `--synthetic`. */
  dataset: string | null;
  /** Use the seeded synthetic paper grid instead of a dataset. */
  synthetic: boolean;
  /** Methods to fit (`--method a,b`), or null for all. */
  method: string[] | null;
  /** `--by contention`: a factor per contention group; otherwise one B. */
  byContention: boolean;
  /** `--json`: print JSON instead of tables. */
  json: boolean;
  /** `--objective log|seconds`. */
  objective: "log" | "seconds";
  /** `--per-method`: one B per method. */
  perMethod: boolean;
  /** `--extra postcopy-workload`: try the extra term. */
  extraTerm: "postcopy-workload" | null;
  /** `--resamples N`. */
  resamples: number;
  /** `--seed N`. */
  seed: number;
  /** `--folds N` for the out-of-sample error (0 skips it). */
  folds: number;
}

/** The usage text. */
export const USAGE =
  `usage: deno task fit <dataset> [--method m[,m...]] [--by contention] [--json] [--objective log|seconds]
                     [--per-method] [--extra postcopy-workload] [--resamples N] [--seed N] [--folds N]
       deno task fit --synthetic [...]   (the seeded synthetic paper grid; not measured data)`;

/**
 * Parses the arguments of `deno task fit`.
 *
 * @param args The arguments after the task name.
 * @returns The parsed options.
 * @throws {SyntaxError} For an unknown flag, a missing value or a second dataset.
 * @throws {RangeError} For a value out of range.
 */
export function parseFitArgs(args: readonly string[]): FitArgs {
  const parsed: FitArgs = {
    dataset: null,
    synthetic: false,
    method: null,
    byContention: false,
    json: false,
    objective: "log",
    perMethod: false,
    extraTerm: null,
    resamples: DEFAULT_RESAMPLES,
    seed: DEFAULT_SEED,
    folds: DEFAULT_FOLDS,
  };
  const value = (i: number, flag: string) => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) {
      throw new SyntaxError(`fit: missing value after "${flag}", expected a value (got nothing)`);
    }
    return v;
  };
  const integer = (text: string, flag: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`fit: invalid "${flag}", expected an integer >= ${min} (got "${text}")`);
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    switch (arg) {
      case "--json":
        parsed.json = true;
        break;
      case "--synthetic":
        parsed.synthetic = true;
        break;
      case "--per-method":
        parsed.perMethod = true;
        break;
      case "--method":
        parsed.method = value(i++, arg).split(",").map((m) => m.trim()).filter((m) => m !== "");
        break;
      case "--by": {
        const by = value(i++, arg);
        if (by !== "contention") {
          throw new RangeError(`fit: invalid "--by", expected "contention" (got "${by}")`);
        }
        parsed.byContention = true;
        break;
      }
      case "--objective": {
        const objective = value(i++, arg);
        if (objective !== "log" && objective !== "seconds") {
          throw new RangeError(
            `fit: invalid "--objective", expected "log" or "seconds" (got "${objective}")`,
          );
        }
        parsed.objective = objective;
        break;
      }
      case "--extra": {
        const extra = value(i++, arg);
        if (extra !== "postcopy-workload") {
          throw new RangeError(
            `fit: invalid "--extra", expected "postcopy-workload" (got "${extra}")`,
          );
        }
        parsed.extraTerm = extra;
        break;
      }
      case "--resamples":
        parsed.resamples = integer(value(i++, arg), arg, 0);
        break;
      case "--seed":
        parsed.seed = integer(value(i++, arg), arg, 0);
        break;
      case "--folds": {
        const folds = integer(value(i++, arg), arg, 0);
        if (folds === 1) {
          throw new RangeError(`fit: invalid "--folds", expected 0 or an integer >= 2 (got "1")`);
        }
        parsed.folds = folds;
        break;
      }
      default:
        if (arg.startsWith("--")) {
          throw new SyntaxError(
            `fit: unknown flag "${arg}", expected one of the flags in the usage`,
          );
        }
        if (parsed.dataset !== null) {
          throw new SyntaxError(
            `fit: unexpected argument "${arg}", expected one dataset (got "${parsed.dataset}" already)`,
          );
        }
        parsed.dataset = arg;
    }
  }
  if (parsed.dataset === null && !parsed.synthetic) {
    throw new SyntaxError(`fit: missing dataset, expected a path or --synthetic (got nothing)`);
  }
  if (parsed.dataset !== null && parsed.synthetic) {
    throw new SyntaxError(
      `fit: invalid arguments, expected a dataset or --synthetic, not both (got "${parsed.dataset}")`,
    );
  }
  return parsed;
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
 */
export function fitReportJson(fit: FitResult, cv: CvOutcome, source: string): unknown {
  const { residuals, ...rest } = fit;
  return {
    source,
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
 */
export function formatFitReport(fit: FitResult, cv: CvOutcome, source: string): string {
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
