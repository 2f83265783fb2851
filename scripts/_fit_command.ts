// The command line of `deno task fit` (on src/cli) and the checks that need the loaded runs:
// several contention kinds without --by, --folds larger than a group, and fit errors that
// name the file and line of a run instead of its index. Pure but for the dataset path check.
import type { RunColumns } from "../src/data/load_run_columns.ts";
import type { MigrationRun } from "../src/data/types.ts";
import { METHODS } from "../src/data/schema.ts";
import {
  datasetPath,
  flag,
  integer,
  list,
  oneOf,
  option,
  parseCommandLine,
  UsageError,
  type ValueParser,
  ValueRejected,
} from "../src/cli/mod.ts";
import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED } from "../src/fit/defaults.ts";

/** `--folds`: 0 skips the cross-validation, else at least 2. */
function foldCount(): ValueParser<number> {
  const expected = "0 (no cross-validation) or an integer >= 2";
  const inner = integer({ min: 0 });
  return {
    expected,
    placeholder: "N",
    parse(text) {
      let folds: number;
      try {
        folds = inner.parse(text);
      } catch {
        throw new ValueRejected(expected);
      }
      if (folds === 1) throw new ValueRejected(expected);
      return folds;
    },
  };
}

/** The command line of `deno task fit`. */
export const FIT_COMMAND = {
  name: "fit",
  usage: "deno task fit [options] DATASET\n       deno task fit [options] --synthetic",
  description: `Fits the effective bandwidth B (and, with --by contention, a factor per
contention kind) to a dataset and prints tables, or JSON with --json. The
output carries the loader's warnings and unit conversions.

On data with more than one contention kind, --by is required: pooling the
kinds into one B mixes their slowdowns into a meaningless bandwidth (with a
large error), and fitting per kind silently would change what B means, so the
fit refuses and asks for --by contention (B of the baseline kind and a factor
per kind) or --by none (one B over every run, pooled on purpose).`,
  options: {
    synthetic: flag("fit the seeded synthetic paper grid (generated, not measured)"),
    method: option(list(oneOf(METHODS.map((m) => m.name))), {
      help: "only these methods, comma-separated",
      defaultText: "every method in the data",
    }),
    by: option(oneOf(["contention", "none"] as const), {
      help: "a factor per contention kind, or one pooled B (required with several kinds)",
    }),
    json: flag("print JSON instead of tables"),
    objective: option(oneOf(["log", "seconds"] as const), {
      help: "least squares on log time or on seconds",
      default: "log" as "log" | "seconds",
    }),
    "per-method": flag("one B per method"),
    extra: option(oneOf(["postcopy-workload"] as const), { help: "try this extra term" }),
    resamples: option(integer({ min: 0 }), {
      help: "bootstrap resamples for the intervals (0: none)",
      default: DEFAULT_RESAMPLES,
    }),
    seed: option(integer({ min: 0 }), {
      help: "seed of the bootstrap and folds",
      default: DEFAULT_SEED,
    }),
    folds: option(foldCount(), {
      help: "cross-validation folds, at most the runs of the smallest group (0: skip)",
      default: DEFAULT_FOLDS,
    }),
  },
  positionals: {
    name: "DATASET",
    help: "a runs file (CSV, TSV, JSON, JSON Lines, gzipped or not), or a folder holding runs.csv",
    parser: datasetPath(),
    max: 1,
  },
  examples: [
    "deno task fit data/qemu-tcg-1gbit --by contention",
    "deno task fit data/qemu-tcg-1gbit/runs.csv --method kvm-postcopy --by contention --json",
    "deno task fit --synthetic --by contention",
  ],
};

/** Parsed command line of `deno task fit`. */
export interface FitArgs {
  /** The runs file (a folder's runs.csv), or null with `--synthetic`. */
  dataset: string | null;
  /** The path as given, or null with `--synthetic`. */
  datasetGiven: string | null;
  /** Use the seeded synthetic paper grid instead of a dataset. */
  synthetic: boolean;
  /** Methods to fit (`--method a,b`), or null for all. */
  method: string[] | null;
  /** `--by`: `contention` (a factor per kind), `none` (one pooled B), or null if not given. */
  by: "contention" | "none" | null;
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
  /** `--debug`: stack traces for a user's mistake too. */
  debug: boolean;
}

/**
 * Reads the command line of `deno task fit` strictly, before any work.
 *
 * @param args The arguments after the task name.
 * @returns The parsed options.
 * @throws {UsageError} For an unknown flag, a malformed or out-of-range value, a dataset that
 *   does not exist, a second dataset, or neither or both of a dataset and `--synthetic`.
 * @throws {HelpRequest} For `--help`.
 */
export function parseFitArgs(args: readonly string[]): FitArgs {
  const { values, positionals, debug } = parseCommandLine(FIT_COMMAND, args);
  const dataset = positionals[0];
  if (dataset === undefined && !values.synthetic) {
    throw new UsageError(
      "fit: missing DATASET, expected a runs file or a folder holding runs.csv, or --synthetic (see --help)",
      { flag: "DATASET" },
    );
  }
  if (dataset !== undefined && values.synthetic) {
    throw new UsageError(
      `fit: DATASET and --synthetic given together, expected one of them (got "${dataset.path}")`,
      { flag: "--synthetic", value: dataset.path },
    );
  }
  return {
    dataset: dataset?.runsPath ?? null,
    datasetGiven: dataset?.path ?? null,
    synthetic: values.synthetic,
    method: values.method ?? null,
    by: values.by ?? null,
    byContention: values.by === "contention",
    json: values.json,
    objective: values.objective,
    perMethod: values["per-method"],
    extraTerm: values.extra ?? null,
    resamples: values.resamples,
    seed: values.seed,
    folds: values.folds,
    debug,
  };
}

/** The completed runs of the methods fitted. */
function fittedRuns(runs: readonly MigrationRun[], args: FitArgs): MigrationRun[] {
  return runs.filter((run) =>
    run.status === "completed" && (args.method === null || args.method.includes(run.method))
  );
}

/**
 * Refuses what the command line cannot ask of these runs, before the fit: several contention
 * kinds without `--by`, and `--folds` larger than the smallest group the folds are dealt in.
 *
 * @param runs The loaded runs.
 * @param args The command line.
 * @param source The dataset, for the messages.
 * @throws {UsageError} Naming the option, the kinds or the group.
 */
export function checkFitRequest(
  runs: readonly MigrationRun[],
  args: FitArgs,
  source: string,
): void {
  const used = fittedRuns(runs, args);
  const kinds = [...new Set(used.map((run) => run.contention))];
  if (args.by === null && kinds.length > 1) {
    throw new UsageError(
      `fit: ${source} holds ${kinds.length} contention kinds (${
        kinds.join(", ")
      }), expected --by contention (a factor per kind) or --by none (one B, pooled on purpose)`,
      { flag: "--by" },
    );
  }
  if (args.folds === 0 || used.length === 0) return;
  // The folds are dealt within each group (per method too with --per-method), as crossValidate does.
  const sizes = new Map<string, number>();
  for (const run of used) {
    const group = args.byContention ? run.contention : "all";
    const key = args.perMethod ? `${run.method}|${group}` : group;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const [smallest, count] = [...sizes].reduce((a, b) => (b[1] < a[1] ? b : a));
  if (args.folds > count) {
    throw new UsageError(
      `fit: invalid --folds, expected at most ${count}, the completed runs of the smallest group ("${smallest}") (got "${args.folds}")`,
      { flag: "--folds", value: String(args.folds) },
    );
  }
}

/**
 * Whether the columnar fit may take these runs: none of {@linkcode checkFitRequest}'s
 * refusals applies (it needs the runs as objects to word them), and all of every method.
 *
 * @param columns The loaded runs as columns.
 * @param args The command line.
 * @returns False where the object path must run (and refuse, or fit what the columns cannot).
 */
export function columnFitAllowed(columns: RunColumns, args: FitArgs): boolean {
  if (args.method !== null) return false;
  const completed = columns.status.labels.indexOf("completed");
  const sizes = new Map<number, number>();
  for (let i = 0; i < columns.length; i++) {
    if (columns.status.codes[i] !== completed) continue;
    const code = columns.contention.codes[i]!;
    sizes.set(code, (sizes.get(code) ?? 0) + 1);
  }
  if (sizes.size === 0 || (args.by === null && sizes.size > 1)) return false;
  const smallest = args.byContention
    ? Math.min(...sizes.values())
    : [...sizes.values()].reduce((a, b) => a + b, 0);
  return args.folds <= smallest;
}

/**
 * A fit's message with every run index (`at run 3`, `for run 3`) replaced by the file and
 * line where that run starts (`at runs.csv:5`).
 *
 * @param message The fit's message.
 * @param file The runs file.
 * @param lines The 1-based line of each run (`loadRuns`' `lines`).
 * @returns The message.
 */
export function nameRunLines(message: string, file: string, lines: ArrayLike<number>): string {
  return message.replace(/\b(at|for) run (\d+)\b/g, (whole, word: string, index: string) => {
    const line = lines[Number(index)];
    if (line === undefined) return whole;
    return word === "at" ? `at ${file}:${line}` : `for the run at ${file}:${line}`;
  });
}

/** A fit that the data cannot give (a RangeError of the fits), with its message made readable. */
export class FitRefused extends RangeError {
  /**
   * Makes the error.
   *
   * @param message The message, naming the file and line of a run.
   * @param options The fit's error as the cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FitRefused";
  }
}
