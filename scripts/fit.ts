// `deno task fit DATASET [--method ...] [--by contention|none] [--json]`: fits the
// effective bandwidth (and contention factors) to a dataset, a file or a folder
// holding runs.csv, and prints a table or JSON with the loader's warnings and unit
// conversions. `--synthetic` uses the seeded synthetic paper grid instead (generated
// by the models; labelled synthetic in the output). `--help` lists the options; a
// mistake (option, path, data) is one line and exit status 2.
import {
  crossValidate,
  fitBandwidth,
  fitContention,
  type FitContentionOptions,
  loadRuns,
  type MigrationRun,
  synthesizeRuns,
} from "../mod.ts";
import { runCommand } from "../src/cli/mod.ts";
import { type CvOutcome, fitReportJson, formatFitReport, type LoaderNotes } from "./_fit_cli.ts";
import { checkFitRequest, FitRefused, nameRunLines, parseFitArgs } from "./_fit_command.ts";

async function main(): Promise<void> {
  const args = parseFitArgs(Deno.args);
  let runs: MigrationRun[];
  let source: string;
  let notes: LoaderNotes = { warnings: [], conversions: [] };
  let lines: readonly number[] = [];
  if (args.synthetic) {
    runs = synthesizeRuns({ seed: args.seed });
    source = `SYNTHETIC paper grid (synthesizeRuns, seed ${args.seed}; not measured)`;
  } else {
    const loaded = await loadRuns(args.dataset!);
    runs = loaded.runs;
    lines = loaded.lines;
    notes = { warnings: loaded.warnings, conversions: loaded.conversions };
    const synthetic = runs.filter((r) => r.extra?.source === "synthetic").length;
    source = synthetic > 0
      ? `${args.dataset} (${synthetic} of ${runs.length} runs SYNTHETIC)`
      : args.dataset!;
  }
  checkFitRequest(runs, args, args.dataset ?? "the synthetic paper grid");
  const options: FitContentionOptions = {
    objective: args.objective,
    bandwidthPer: args.perMethod ? "method" : "all",
    extraTerm: args.extraTerm,
    resamples: args.resamples,
    seed: args.seed,
  };
  if (args.method !== null) options.method = args.method;
  // A fit the data cannot give names the file and line of the run, not its index.
  const readable = (error: unknown) =>
    error instanceof RangeError
      ? new FitRefused(nameRunLines(error.message, args.dataset ?? "synthetic", lines), {
        cause: error,
      })
      : error;
  let fit;
  try {
    fit = args.byContention ? fitContention(runs, options) : fitBandwidth(runs, options);
  } catch (error) {
    throw readable(error);
  }
  let cv: CvOutcome = null;
  if (args.folds > 0) {
    try {
      cv = crossValidate(runs, {
        ...options,
        folds: args.folds,
        groupBy: args.byContention ? "contention" : null,
      });
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
