// `deno task fit DATASET [--method ...] [--by contention|none] [--json]`: fits the
// effective bandwidth (and contention factors) to a dataset, a file or a folder
// holding runs.csv, and prints a table or JSON with the loader's warnings and unit
// conversions. `--synthetic` uses the seeded synthetic paper grid instead (generated
// by the models; labelled synthetic in the output). `--help` lists the options; a
// mistake (option, path, data) is one line and exit status 2.
// Imported file by file, not from mod.ts: mod.ts also loads danfojs and the
// figures, which cost 1-3 s of start-up a fit does not need.
import type { MigrationRun } from "../src/data/types.ts";
import { loadRunColumns, runsFromColumns } from "../src/data/load_run_columns.ts";
import { fitRunColumns } from "../src/fit/_fit_columns.ts";
import { crossValidate } from "../src/fit/cross_validate.ts";
import { fitBandwidth } from "../src/fit/fit_bandwidth.ts";
import { fitContention, type FitContentionOptions } from "../src/fit/fit_contention.ts";
import { synthesizeRuns } from "../src/fit/synthetic.ts";
import { runCommand } from "../src/cli/mod.ts";
import {
  type CvOutcome,
  fitReportJson,
  formatFitReport,
  type LoaderNotes,
  progressReporter,
} from "./_fit_cli.ts";
import {
  checkFitRequest,
  columnFitAllowed,
  FitRefused,
  nameRunLines,
  parseFitArgs,
} from "./_fit_command.ts";

const stderr = (line: string) => console.error(line);

async function main(): Promise<void> {
  const args = parseFitArgs(Deno.args);
  let runs: MigrationRun[];
  let source: string;
  let notes: LoaderNotes = { warnings: [], conversions: [] };
  let lines: ArrayLike<number> = [];
  const options: FitContentionOptions = {
    objective: args.objective,
    bandwidthPer: args.perMethod ? "method" : "all",
    extraTerm: args.extraTerm,
    resamples: args.resamples,
    seed: args.seed,
    onProgress: progressReporter(stderr),
  };
  if (args.method !== null) options.method = args.method;
  if (args.synthetic) {
    runs = synthesizeRuns({ seed: args.seed });
    source = `SYNTHETIC paper grid (synthesizeRuns, seed ${args.seed}; not measured)`;
  } else {
    // Progress on stderr for a file that takes more than a couple of seconds (about 20 MB/s).
    const bytes = await Deno.stat(args.dataset!).then((s) => s.size, () => 0);
    if (bytes > 40e6) stderr(`fit: loading ${(bytes / 1e6).toFixed(0)} MB...`);
    const started = performance.now();
    const loaded = await loadRunColumns(args.dataset!);
    const { columns } = loaded;
    lines = columns.lines;
    notes = { warnings: loaded.warnings, conversions: loaded.conversions };
    if (bytes > 40e6) {
      stderr(
        `fit: loaded ${columns.length} runs in ${
          ((performance.now() - started) / 1000).toFixed(1)
        } s`,
      );
    }
    // Columns read straight from the file: KVM post-copy (closed form) and Xen pre-copy runs are
    // fitted on them (fitRunColumns: null where that does not apply; the runs are then objects).
    if (loaded.runs === null && columnFitAllowed(columns, args)) {
      const fast = fitRunColumns(columns, { ...options, folds: args.folds }, {
        groupBy: args.byContention ? "contention" : null,
        folds: args.folds,
        residuals: args.json,
      });
      if (fast !== null) {
        const cv: CvOutcome = fast.cv;
        console.log(
          args.json
            ? JSON.stringify(fitReportJson(fast.fit, cv, args.dataset!, notes), null, 2)
            : formatFitReport(fast.fit, cv, args.dataset!, notes),
        );
        return;
      }
    }
    runs = loaded.runs ?? runsFromColumns(columns);
    const synthetic = runs.filter((r) => r.extra?.source === "synthetic").length;
    source = synthetic > 0
      ? `${args.dataset} (${synthetic} of ${runs.length} runs SYNTHETIC)`
      : args.dataset!;
  }
  checkFitRequest(runs, args, args.dataset ?? "the synthetic paper grid");
  // A fit the data cannot give names the file and line of the run, not its index.
  const readable = (error: unknown) =>
    error instanceof RangeError
      ? new FitRefused(nameRunLines(error.message, args.dataset ?? "synthetic", lines), {
        cause: error,
      })
      : error;
  if (runs.length > 100_000) stderr(`fit: fitting ${runs.length} runs...`);
  let fit;
  try {
    fit = args.byContention ? fitContention(runs, options) : fitBandwidth(runs, options);
  } catch (error) {
    throw readable(error);
  }
  // The tables need neither the per-run residuals nor the cross-validation's
  // per-run predictions: let them go (a million runs' worth is ~100 MB each).
  if (!args.json) fit = { ...fit, residuals: [] };
  let cv: CvOutcome = null;
  if (args.folds > 0) {
    if (runs.length > 100_000) stderr(`fit: ${args.folds}-fold cross-validation...`);
    try {
      const result = crossValidate(runs, {
        ...options,
        folds: args.folds,
        groupBy: args.byContention ? "contention" : null,
      });
      cv = { ...result, predictions: [] };
    } catch (error) {
      const refused = readable(error);
      if (!(refused instanceof FitRefused)) throw refused;
      cv = { error: refused.message };
    }
  }
  console.log(
    args.json
      ? JSON.stringify(fitReportJson(fit, cv, source, notes), null, 2)
      : formatFitReport(fit, cv, source, notes),
  );
}

if (import.meta.main) await runCommand(main, { userErrors: [FitRefused] });
