/**
 * The I/O edge of the reproduction: find the measured datasets under
 * `data/` (or use the seeded synthetic dataset when asked to), run the pure
 * {@linkcode reproduceFigures}, and write the figures and the report. Used
 * by `deno task reproduce` and notebook 01. Everything that reads or writes
 * files in the reproduction is here.
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { METHODS } from "../data/vocabulary.ts";
import { DEFAULT_RESAMPLES } from "../fit/defaults.ts";
import { synthesizeRuns } from "../fit/synthetic.ts";
import { type DatasetFolder, loadDatasetFolder } from "../data/load_dataset_folder.ts";
import type { DataSource } from "../plot/types.ts";
import { isDowntimeLimitSweep } from "./downtime_limit_sweep.ts";
import { loadProgressTrace } from "../data/load_progress_trace.ts";
import type { CpuUsePanel } from "../plot/figure_cpu_use_spec.ts";
import { fig1Runs } from "./cost_figures.ts";
import { timeDatasets } from "./_time_datasets.ts";
import { cpuUse } from "./cpu_use.ts";
import {
  DEFAULT_FIGURE_FILES,
  reproduceFigures,
  type ReproduceFiguresResult,
} from "./reproduce_figures.ts";
import type { ReproductionFigureFiles } from "./reproduction_report.ts";
import { NothingToFitError } from "./nothing_to_fit_error.ts";
import { FIGURE_NAMES, figureOf, figureWriter } from "./_write_outputs.ts";

/** Options for {@linkcode reproduceProject}. */
export interface ReproduceProjectOptions {
  /**
   * The folder holding dataset folders (`<name>/runs.csv`).
   *
   * @default {"data"}
   */
  dataDir?: string;
  /**
   * Only these dataset folders (paths), instead of every folder in `dataDir`.
   *
   * @default {undefined (every folder with a runs.csv)}
   */
  folders?: string[];
  /**
   * Use the seeded synthetic dataset (generated from the models, marked
   * SYNTHETIC everywhere) instead of measured data. It is never used unless
   * asked for.
   *
   * @default {false}
   */
  synthetic?: boolean;
  /**
   * Bootstrap resamples per fit.
   *
   * @default {DEFAULT_RESAMPLES (200)}
   */
  resamples?: number;
  /**
   * Where to write the figures and the report; nothing is written without it.
   *
   * @default {undefined (write nothing)}
   */
  outDir?: string;
  /**
   * The figures' files, relative to `outDir`; the extension (`.svg`,
   * `.png`) decides the format. The report lists them.
   *
   * @default {DEFAULT_FIGURE_FILES (figures/fig5.svg, figures/fig5.png, ...)}
   */
  figureFiles?: ReproductionFigureFiles;
  /**
   * The report's file, relative to `outDir`.
   *
   * @default {"report.md"}
   */
  reportFile?: string;
  /**
   * Rasterise the PNGs on a Web Worker while the fits go on (each figure as
   * soon as it is drawn); false renders them on this thread when writing.
   * The files are the same either way.
   *
   * @default {true}
   */
  workers?: boolean;
}

/** The result of {@linkcode reproduceProject}. */
export interface ReproduceProjectResult extends ReproduceFiguresResult {
  /** The runs whose times were fitted (measured, or synthetic): `estimatesSeconds` is theirs. */
  runs: MigrationRun[];
  /**
   * The runs of the cost figures and fits (downtime, noise, Figures 1, 2, 4):
   * `runs` plus any datasets measured with the progress trace that the time
   * fits leave out (`timeDatasets`).
   */
  costRuns: MigrationRun[];
  /** Where they came from (`synthetic: true` for the generated dataset). */
  source: DataSource;
  /** The provenance lines of the report. */
  provenance: Record<string, string>;
  /** What happened, in plain sentences: the datasets found, and used or not. */
  messages: string[];
  /**
   * What could not be done, one line each: every method of the data whose
   * fit failed (`"kvm-precopy not fitted: ..."`) and every figure not drawn
   * (`"fig5 not drawn: ..."`). The report ends with the same lines.
   */
  skipped: string[];
  /** The files written, `outDir` joined with each figure's files and the report (empty without `outDir`). */
  written: string[];
}

/** The synthetic dataset's true parameters, stated in every caption. */
const TRUTH = {
  seed: 1,
  bandwidthBytesPerSecond: 112.5e6,
  factors: { none: 1, cpu: 0.95, network: 0.35, memory: 0.85 },
  noise: 0.05,
  repeats: 5,
};

/** A measured dataset in one line: name, then hypervisor, accelerator, host CPU, link when known. */
function describe(d: DatasetFolder): string {
  const known = [
    d.provenance.hypervisor,
    d.provenance.hypervisorVersion,
    d.provenance.accelerator && `accelerator ${d.provenance.accelerator.toUpperCase()}`,
    d.provenance.hostCpu && `host CPU ${d.provenance.hostCpu}`,
    d.provenance.link,
  ].filter(Boolean).join(", ");
  return known.length > 0 ? `${d.name} (${known})` : d.name;
}

/** What reproduceFigures is run on. */
interface Input {
  runs: MigrationRun[];
  source: DataSource;
  provenance: Record<string, string>;
}

function syntheticInput(): Input {
  const runs = synthesizeRuns(TRUTH);
  const factors = Object.entries(TRUTH.factors).map(([g, f]) => `${g} ${f}`).join(", ");
  return {
    runs,
    source: {
      description: `synthesizeRuns seed ${TRUTH.seed}: the paper's grid, 1.5 GiB VM, true B = ${
        TRUTH.bandwidthBytesPerSecond * 8e-6
      } Mbit/s, true factors ${factors}, log-normal noise sd ${TRUTH.noise}, ${TRUTH.repeats} repeats`,
      synthetic: true,
    },
    provenance: {
      dataset: "SYNTHETIC (generated by synthesizeRuns, not measured)",
      why: "the synthetic dataset was asked for",
      "true B (Mbit/s)": String(TRUTH.bandwidthBytesPerSecond * 8e-6),
      "true factors": factors,
      seed: String(TRUTH.seed),
    },
  };
}

/**
 * Runs the reproduction on the project's data: loads every
 * `<dataDir>/<name>/runs.csv` with its sidecar (`loadDatasetFolder`), keeps
 * the datasets with measured completed runs, and fits them with
 * {@linkcode reproduceFigures}. It fits what it can: a method whose fit
 * fails and a figure that cannot be drawn are listed in `skipped` (and at
 * the end of the report). When nothing can be fitted it throws
 * {@linkcode NothingToFitError}; it never falls back to synthetic data.
 * Only with `synthetic: true` does it use the seeded SYNTHETIC dataset from
 * `synthesizeRuns` (the paper's grid, true B 900 Mbit/s), and then every
 * figure and the report say so. With `outDir`, it writes each drawn figure
 * to its files (SVG or PNG by the extension) and the report.
 *
 * @param options Where the data are, whether to force synthetic data, resamples, where to write.
 * @returns The fits, figures and report, plus the runs, source, messages and files written.
 * @throws {DatasetError} If a dataset's runs.csv or sidecar is invalid.
 * @throws {NothingToFitError} If no dataset has measured completed runs, or no method of them
 * can be fitted.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a figure file's extension is neither .svg nor .png.
 *
 * @example Forcing the synthetic dataset
 * ```ts
 * import { reproduceProject } from "./reproduce_project.ts";
 * import assert from "node:assert/strict";
 * const result = await reproduceProject({ synthetic: true, resamples: 0 });
 * assert.equal(result.source.synthetic, true);
 * assert.ok(result.fig5!.title.startsWith("SYNTHETIC"));
 * assert.deepEqual(result.written, []);
 * ```
 */
export async function reproduceProject(
  options: ReproduceProjectOptions = {},
): Promise<ReproduceProjectResult> {
  const where = "reproduceProject";
  checkObject(where, "options", options);
  const { dataDir = "data", folders, synthetic = false } = options;
  const resamples = checkNumber(
    where,
    "option",
    "resamples",
    options.resamples ?? DEFAULT_RESAMPLES,
    "integer>=0",
  );
  const figureFiles = checkFigureFiles(where, options.figureFiles ?? DEFAULT_FIGURE_FILES);
  const candidates = folders ? [...folders] : await datasetFolders(dataDir);
  const messages: string[] = [];
  const { measured, sweeps } = synthetic
    ? { measured: [], sweeps: [] }
    : await loadDatasets(candidates, messages);

  if (!synthetic && measured.length === 0) {
    throw new NothingToFitError(where, {
      unused: candidates.length === 0 ? [`no ${dataDir}/*/runs.csv exists`] : messages,
    });
  }
  const downtimeSweep = sweeps.length === 0 ? undefined : {
    runs: sweeps.flatMap((d) => d.runs),
    source: { description: sweeps.map(describe).join("; "), synthetic: false },
  };
  const fig1 = synthetic
    ? "the synthetic dataset has no progress traces"
    : await fig1Panels(measured);
  const input = synthetic ? syntheticInput() : measuredInput(measured);
  const timed = synthetic ? null : timeDatasets(measured, messages);
  const timeRuns = timed ? timed.flatMap((d) => d.runs) : input.runs;
  const workers = options.workers !== false;
  const writer = options.outDir === undefined
    ? null
    : figureWriter(figureFiles, { workers: workers ? 1 : 0 });
  let figures: ReproduceFiguresResult;
  try {
    figures = reproduceFigures(timeRuns, {
      ...(writer ? { onFigure: writer.onFigure } : {}),
      ...(timed ? { costRuns: input.runs } : {}),
      fig1,
      source: input.source,
      provenance: input.provenance,
      resamples,
      figureFiles,
      ...(downtimeSweep ? { downtimeSweep } : {}),
    });
  } catch (error) {
    writer?.close();
    if (synthetic || !(error instanceof NothingToFitError)) throw error;
    throw new NothingToFitError(where, {
      notFitted: error.notFitted,
      leftOut: error.leftOut,
      cause: error,
    });
  }
  try {
    const skipped = skippedLines(figures, input.runs);
    const result: ReproduceProjectResult = {
      ...figures,
      ...input,
      runs: timeRuns,
      costRuns: input.runs,
      reportMarkdown: skipped.length === 0
        ? figures.reportMarkdown
        : `${figures.reportMarkdown}\n## Skipped\n\n${
          skipped.map((line) => `- ${line}`).join("\n")
        }\n`,
      messages,
      skipped,
      written: [],
    };
    if (writer && options.outDir !== undefined) {
      result.written = await writer.write(result, {
        outDir: options.outDir,
        reportFile: options.reportFile ?? "report.md",
      });
    }
    return result;
  } finally {
    writer?.close();
  }
}

/**
 * Figure 1's panels from the measured datasets' progress traces
 * (`<dir>/traces/<run>.progress.jsonl.gz` of `fig1Runs`), or why there are none.
 */
async function fig1Panels(
  measured: readonly (DatasetFolder & { dir: string })[],
): Promise<CpuUsePanel[] | string> {
  const panels: CpuUsePanel[] = [];
  const missing: string[] = [];
  for (const dataset of measured) {
    for (const { method, traceBase } of fig1Runs(dataset.runs)) {
      if (panels.some((p) => p.method === method)) continue;
      const path = `${dataset.dir}/traces/${traceBase}.progress.jsonl.gz`;
      if (!(await exists(path))) {
        missing.push(`${dataset.name}/traces/${traceBase}.progress.jsonl.gz`);
        continue;
      }
      const trace = await loadProgressTrace(path);
      panels.push({
        method,
        run: `${dataset.name} ${traceBase}`,
        ...cpuUse(trace),
        source: { description: describe(dataset), synthetic: false },
      });
    }
  }
  if (panels.length > 0) return panels;
  return missing.length > 0
    ? `the measured datasets have no progress traces at Figure 1's workload (WSS 64 MiB, 15,360 pages/s, CPU contention): ${missing.length} runs there, none with a .progress.jsonl.gz (the collector writes them since the noise columns, issue #13)`
    : "no measured run at Figure 1's workload (WSS 64 MiB, 15,360 pages/s, CPU contention)";
}

/** The folders of `dataDir` that hold a runs.csv, sorted (none if `dataDir` does not exist). */
async function datasetFolders(dataDir: string): Promise<string[]> {
  const candidates: string[] = [];
  if (!(await exists(dataDir))) return candidates;
  for await (const entry of Deno.readDir(dataDir)) {
    if (entry.isDirectory && await exists(`${dataDir}/${entry.name}/runs.csv`)) {
      candidates.push(`${dataDir}/${entry.name}`);
    }
  }
  return candidates.sort();
}

function exists(path: string): Promise<boolean> {
  return Deno.stat(path).then(() => true, () => false);
}

/** Loads each folder and sorts it: measured grid, measured sweep, or not used (said in messages). */
async function loadDatasets(
  candidates: readonly string[],
  messages: string[],
): Promise<{ measured: (DatasetFolder & { dir: string })[]; sweeps: DatasetFolder[] }> {
  const measured: (DatasetFolder & { dir: string })[] = [];
  const sweeps: DatasetFolder[] = [];
  for (const dir of candidates) {
    const dataset = await loadDatasetFolder(dir);
    if (dataset.synthetic) {
      messages.push(`${dir}: marked synthetic, not used as measured data`);
    } else if (dataset.completed === 0) {
      messages.push(`${dir}: no completed runs (${dataset.runs.length} rows), not used`);
    } else if (isDowntimeLimitSweep(dataset.runs)) {
      sweeps.push(dataset);
      messages.push(
        `${dir}: a downtime limit sweep, ${dataset.runs.length} measured runs (${dataset.completed} completed), drawn on Figure 3, not fitted`,
      );
    } else {
      measured.push({ ...dataset, dir });
      messages.push(
        `${dir}: ${dataset.runs.length} measured runs (${dataset.completed} completed)`,
      );
    }
  }
  return { measured, sweeps };
}

/** The measured datasets as one input: their runs, names and provenance. */
function measuredInput(measured: readonly DatasetFolder[]): Input {
  return {
    runs: measured.flatMap((d) => d.runs),
    source: { description: measured.map(describe).join("; "), synthetic: false },
    provenance: Object.fromEntries(
      measured.flatMap((d) =>
        Object.entries(d.provenance).map((
          [k, v],
        ) => [measured.length > 1 ? `${d.name}: ${k}` : k, v])
      ),
    ),
  };
}

/** Pre-copy methods (Figure 5) and post-copy methods (Figure 6), from the vocabulary. */
const FIGURE_METHODS = {
  fig5: { what: "pre-copy", methods: METHODS.filter((m) => m.model !== "kvm-postcopy") },
  fig6: { what: "post-copy", methods: METHODS.filter((m) => m.model === "kvm-postcopy") },
};

/** What the reproduction could not do: each method not fitted, each figure not drawn. */
function skippedLines(figures: ReproduceFiguresResult, runs: readonly MigrationRun[]): string[] {
  const lines = Object.entries(figures.notFitted).map(([method, why]) =>
    `${method} not fitted: ${why}`
  );
  const present = new Set(runs.map((run) => run.method));
  for (const name of FIGURE_NAMES) {
    if (figureOf(figures, name)) continue;
    if (name === "fig5" || name === "fig6") {
      const { what, methods } = FIGURE_METHODS[name];
      const names = methods.map((m) => m.name);
      lines.push(
        names.some((method) => present.has(method))
          ? `${name} not drawn: no ${what} method could be fitted`
          : `${name} not drawn: the data hold no ${what} runs (${names.join(", ")})`,
      );
    } else {
      const why = name === "fig3" ? "no data" : figures.costFigures.notDrawn[name] ?? "no data";
      lines.push(`${name} not drawn: ${why}`);
    }
  }
  return lines;
}

/** Checks that every figure file is an .svg or a .png path, before any work is done. */
function checkFigureFiles(where: string, files: ReproductionFigureFiles): ReproductionFigureFiles {
  checkObject(where, 'option "figureFiles"', files);
  for (const name of FIGURE_NAMES) {
    const list = files[name];
    if (list === undefined && !["fig5", "fig6", "fig3"].includes(name)) continue;
    if (!Array.isArray(list)) {
      throw new TypeError(
        `${where}: invalid option "figureFiles.${name}", expected an array of paths (got ${
          showValue(list)
        })`,
      );
    }
    for (const file of list) {
      if (typeof file !== "string" || !(file.endsWith(".svg") || file.endsWith(".png"))) {
        throw new RangeError(
          `${where}: invalid option "figureFiles.${name}", expected files ending in .svg or .png (got ${
            showValue(file)
          })`,
        );
      }
    }
  }
  return files;
}
