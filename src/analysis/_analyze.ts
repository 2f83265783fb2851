// Private: the reproduction's analysis behind analyzeReproduction and reproduceFigures.
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED } from "../fit/defaults.ts";
import { methodLabel, METHODS } from "../data/schema.ts";
import { orderContentions, orderMethods } from "../plot/_style.ts";
import type { FigureDowntimeLimitOptions } from "../plot/figure_downtime_limit_spec.ts";
import type { DataSource } from "../plot/types.ts";
import { fitMethods } from "./_fit_methods.ts";
import { fittedSummary, intervalText } from "./_fitted_summary.ts";
import type {
  AnalyzeReproductionOptions,
  EstimatedVsMeasuredInput,
  ReproductionAnalysis,
  RunCount,
  SwitchRuleReport,
} from "./analyze_reproduction.ts";
import { datasetWorkloads } from "./_dataset_workloads.ts";
import { downtimeLimitCurves } from "./downtime_limit_curves.ts";
import { compareSweepWithModel, downtimeLimitSweep } from "./downtime_limit_sweep.ts";
import { gridSwitchRules } from "./grid_switch_rules.ts";
import { switchRuleValidation } from "./switch_rule_validation.ts";
import { xenRuleAccounting } from "./xen_rule_accounting.ts";

/** Figure 5's methods (every pre-copy model's) and Figure 6's, from the schema's vocabulary. */
const PRECOPY = METHODS.filter((m) => m.model !== "kvm-postcopy").map((m) => m.name);
const POSTCOPY = METHODS.filter((m) => m.model === "kvm-postcopy").map((m) => m.name);

/** The options, checked, with their defaults. */
interface Resolved {
  source: DataSource;
  provenance: Readonly<Record<string, string>>;
  resamples: number;
  folds: number;
  seed: number;
}

function resolve(
  where: string,
  runs: readonly MigrationRun[],
  options: AnalyzeReproductionOptions,
): Resolved {
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
  const { resamples = DEFAULT_RESAMPLES, folds = DEFAULT_FOLDS, seed = DEFAULT_SEED } = options;
  return {
    source,
    provenance: options.provenance ?? {},
    resamples: checkNumber(where, "option", "resamples", resamples, "integer>=0"),
    folds: checkNumber(where, "option", "folds", folds, "integer>=1"),
    seed: checkNumber(where, "option", "seed", seed, "integer>=0"),
  };
}

/**
 * The analysis of {@linkcode analyzeReproduction}, with the caller's name in
 * error messages (`reproduceFigures` checks its options through it too).
 */
export function analyze(
  where: string,
  runs: readonly MigrationRun[],
  options: AnalyzeReproductionOptions,
): ReproductionAnalysis {
  const resolved = resolve(where, runs, options);
  const { source, resamples, folds, seed } = resolved;
  const methodFits = fitMethods(where, runs, { resamples, folds, seed });
  const { fits, leftOut, estimatesSeconds } = methodFits;

  const figureFor = (group: string[], title: string): EstimatedVsMeasuredInput | null => {
    const fitted = group.filter((method) => fits[method]);
    if (fitted.length === 0) return null;
    const indices = runs.flatMap((run, i) =>
      fitted.includes(run.method) &&
        (run.status !== "completed" || Number.isFinite(estimatesSeconds[i]!))
        ? [i]
        : []
    );
    const dropped = leftOut.filter((text) => fitted.some((m) => text.startsWith(`${m} /`)));
    return {
      runs: indices.map((i) => runs[i]!),
      estimatesSeconds: indices.map((i) => estimatesSeconds[i]!),
      options: {
        source,
        title,
        fitted: fitted.flatMap((method) => fittedSummary(method, fits[method]!)),
        note: `Intervals: ${intervalText(fits[fitted[0]!]!)}.${
          dropped.length > 0 ? ` Not shown (not fitted): ${dropped.join("; ")}.` : ""
        }`,
      },
    };
  };

  // Figure 3 at the fitted KVM pre-copy B (else another fit's), with the sweep's runs.
  const bandwidthFit = fits["kvm-precopy"] ?? fits["xen-precopy"] ?? fits["kvm-postcopy"];
  const fittedB = bandwidthFit
    ? fittedSummary("", bandwidthFit)[0]?.bandwidthBytesPerSecond
    : undefined;
  const measuredSweep = options.downtimeSweep;
  const sweep = measuredSweep ? downtimeLimitSweep(measuredSweep.runs) : undefined;
  // Without a sweep, the columns come from the dataset itself.
  const fromData = sweep ? undefined : datasetWorkloads(runs);
  const chosen = sweep ?? fromData;
  const curves = downtimeLimitCurves({
    ...(chosen
      ? {
        memoryBytes: chosen.memoryBytes,
        workloads: chosen.workloads,
        ...(chosen.timeoutSeconds !== undefined ? { timeoutSeconds: chosen.timeoutSeconds } : {}),
      }
      : {}),
    ...(fittedB !== undefined ? { bandwidthBytesPerSecond: fittedB } : {}),
    // The older rule as a thin reference line.
    referenceRule: "between-rounds",
  });
  const measured = sweep && measuredSweep
    ? { measured: sweep.measured, measuredSource: measuredSweep.source }
    : fromData && fromData.measured.length > 0
    ? { measured: fromData.measured, measuredSource: source }
    : {};
  const fig3Options: FigureDowntimeLimitOptions = {
    ...(fittedB !== undefined
      ? {
        bandwidthSource: {
          description: `${source.description}; baseline B of the ${
            methodLabel(
              bandwidthFit === fits["kvm-precopy"] ? "kvm-precopy" : Object.keys(fits)[0]!,
            )
          } fit`,
          synthetic: source.synthetic,
        },
      }
      : {}),
    ...measured,
    workloadsNote: sweep
      ? `Columns: the ${sweep.workloads.length} workloads of the measured sweep (by requested WSS and dirty rate where the runs give them, else binned as in Figure 5).`
      : fromData
      ? fromData.note
      : "Columns: the paper's workloads (WSS 0, 128 MiB and Full at 51200 pages/s), model only.",
  };

  return {
    source,
    provenance: resolved.provenance,
    settings: { resamples, folds, seed },
    runCounts: countRuns(runs),
    ...methodFits,
    fig5: figureFor(PRECOPY, "Figure 5: estimated and measured migration time, pre-copy"),
    fig6: figureFor(
      POSTCOPY,
      "Figure 6: estimated and measured migration time, KVM post-copy (T = M/B)",
    ),
    fig3: { curves, options: fig3Options },
    ...(sweep && measuredSweep ? { sweep: { ...sweep, source: measuredSweep.source } } : {}),
    sweepComparison: sweep && fittedB !== undefined ? compareSweepWithModel(sweep, fittedB) : [],
    ...(measuredSweep
      ? {
        switchRule: switchRuleReport(runs, measuredSweep, {
          fitted: fits["kvm-precopy"] !== undefined,
          seed,
          ...(fittedB !== undefined ? { bandwidthBytesPerSecond: fittedB } : {}),
        }),
      }
      : {}),
    ...(fits["xen-precopy-policy"] ? xenRuleReport(runs, folds, seed) : {}),
  };
}

/** The Xen-rule runs under both accountings, or why that failed. */
function xenRuleReport(
  runs: readonly MigrationRun[],
  folds: number,
  seed: number,
): Pick<ReproductionAnalysis, "xenRule" | "xenRuleFailed"> {
  try {
    return { xenRule: xenRuleAccounting(runs, { folds, seed }) };
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    return { xenRuleFailed: error.message };
  }
}

/** QEMU's switch rule on the sweep and, when KVM pre-copy was fitted, both rules on the fitted runs. */
function switchRuleReport(
  runs: readonly MigrationRun[],
  measuredSweep: NonNullable<AnalyzeReproductionOptions["downtimeSweep"]>,
  options: { fitted: boolean; seed: number; bandwidthBytesPerSecond?: number },
): SwitchRuleReport {
  const { fitted, seed, ...validation } = options;
  // At the fitted B (as Figure 3), else at each run's measured throughput.
  const base = {
    sweep: switchRuleValidation(measuredSweep.runs, validation),
    sweepSource: measuredSweep.source,
    ...validation,
  };
  if (!fitted) return { ...base, grid: [] };
  try {
    return { ...base, grid: gridSwitchRules(runs, { seed }) };
  } catch (error) {
    const gridFailed = error instanceof Error ? error.message : String(error);
    return { ...base, grid: [], gridFailed };
  }
}

/** Runs per method, contention and status, in the report's order. */
function countRuns(runs: readonly MigrationRun[]): RunCount[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    const key = JSON.stringify([run.method, run.contention, run.status]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const methodOrder = orderMethods(runs.map((run) => run.method));
  const contentionOrder = orderContentions(runs.map((run) => run.contention));
  return [...counts.entries()].map(([key, count]) => {
    const [method, contention, status] = JSON.parse(key) as string[];
    return { method: method!, contention: contention!, status: status!, runs: count };
  }).sort((a, b) =>
    methodOrder.indexOf(a.method) - methodOrder.indexOf(b.method) ||
    contentionOrder.indexOf(a.contention) - contentionOrder.indexOf(b.contention) ||
    a.status.localeCompare(b.status)
  );
}
