// The `load-1m`, `fit-1m` and `fit-1m-mixed` cases: a million-row SYNTHETIC
// CSV (bench/_million.ts) loaded as `deno task fit` loads it (loadRunColumns),
// and fitted as a user does it (`deno task fit FILE --by contention`: 200
// bootstrap resamples and 5-fold cross-validation), against pandas (+
// scipy.optimize.least_squares) on the same file (bench/reference/million.py).
// `fit-1m` is the issue's file, KVM post-copy only; `fit-1m-mixed` and
// `load-1m` have 2 % Xen pre-copy runs. Each side runs once per process,
// alternately, timed from outside (start-up and imports included) under
// /usr/bin/time -v for its peak resident memory.
import {
  agreementChecks,
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
} from "../_harness.ts";
import { MILLION_TRUTH, writeMillionCsv } from "../_million.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Rows of the file: a million, or a small file for `--quick`. */
function rowsFor(options: CaseOptions): number {
  return options.quick ? 4000 : 1_000_000;
}

/** One process's wall time, peak resident memory and output. */
interface ProcessRun {
  seconds: number;
  /** User + system CPU seconds (steadier than wall time on a loaded machine). */
  cpuSeconds: number;
  peakBytes: number;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time -v: wall seconds, peak RSS, output. */
async function timedProcess(command: string, args: string[]): Promise<ProcessRun> {
  const start = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-v", command, ...args],
    cwd: ROOT,
    env: {
      OPENBLAS_NUM_THREADS: "1",
      OMP_NUM_THREADS: "1",
      MKL_NUM_THREADS: "1",
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(`bench: ${command} ${args.join(" ")} failed (exit ${out.code}): ${stderr}`);
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  return {
    seconds,
    cpuSeconds: user === null || system === null ? NaN : Number(user[1]) + Number(system[1]),
    peakBytes: rss === null ? NaN : Number(rss[1]) * 1024,
    stdout,
    stderr,
  };
}

/** The share of KVM post-copy runs of the mixed file (the rest Xen pre-copy). */
const MIXED_POSTCOPY = 0.98;

/** The file with this share of post-copy runs, written once per bench run. */
async function millionFile(
  options: CaseOptions,
  postcopyFraction: number,
): Promise<{ path: string; bytes: number }> {
  const rows = rowsFor(options);
  const path = `${options.workDir}/synthetic_million_${rows}_${postcopyFraction}.csv`;
  try {
    return { path, bytes: (await Deno.stat(path)).size };
  } catch {
    return { path, bytes: await writeMillionCsv(path, { rows, postcopyFraction }) };
  }
}

/** Alternating rounds of ours and the reference, one process each. */
async function alternate(
  options: CaseOptions,
  ours: () => Promise<ProcessRun>,
  reference: () => Promise<ProcessRun>,
): Promise<{ ours: ProcessRun[]; reference: ProcessRun[] }> {
  // One process per repeat, at most 3 rounds (`--repeats 1`: one each).
  const rounds = options.quick ? 1 : Math.min(3, options.repeats);
  const result = { ours: [] as ProcessRun[], reference: [] as ProcessRun[] };
  for (let round = 0; round < rounds; round++) {
    result.ours.push(await ours());
    result.reference.push(await reference());
  }
  return result;
}

function memoryExtra(runs: { ours: ProcessRun[]; reference: ProcessRun[] }) {
  const ours = Math.max(...runs.ours.map((r) => r.peakBytes));
  const reference = Math.max(...runs.reference.map((r) => r.peakBytes));
  return {
    ours_peak_bytes: ours,
    reference_peak_bytes: reference,
    memory_ratio: ours / reference,
    ours_peak_bytes_each: runs.ours.map((r) => r.peakBytes),
    ours_cpu_seconds: runs.ours.map((r) => r.cpuSeconds),
    reference_cpu_seconds: runs.reference.map((r) => r.cpuSeconds),
    cpu_ratio: Math.min(...runs.reference.map((r) => r.cpuSeconds)) /
      Math.min(...runs.ours.map((r) => r.cpuSeconds)),
    reference_peak_bytes_each: runs.reference.map((r) => r.peakBytes),
    load_average_after: Deno.loadavg(),
  };
}

const LOAD_NAME = "load-1m";

/** The load-1m case: loadRuns vs pandas.read_csv + checks, each in its own process. */
export const loadMillionCase: BenchCase = {
  name: LOAD_NAME,
  async run(options: CaseOptions): Promise<CaseResult> {
    const { path, bytes } = await millionFile(options, MIXED_POSTCOPY);
    const oursOut = `${options.workDir}/load-1m-ours.json`;
    const referenceOut = `${options.workDir}/load-1m-reference.json`;
    const runs = await alternate(
      options,
      () =>
        timedProcess(Deno.execPath(), [
          "run",
          "--allow-read",
          "--allow-write",
          "bench/_million_load.ts",
          path,
          oursOut,
        ]),
      () =>
        timedProcess(options.python, ["bench/reference/million.py", "load", path, referenceOut]),
    );
    const ours = JSON.parse(await Deno.readTextFile(oursOut));
    const reference = JSON.parse(await Deno.readTextFile(referenceOut));
    const checks = agreementChecks();
    checks.exact("rows", [ours.rows], [reference.rows]);
    for (const [field, value] of Object.entries(ours.checksums as Record<string, unknown>)) {
      const expected = reference.checksums[field];
      if (Array.isArray(value)) {
        checks.floats(`${field} sum`, [value[0]], [expected?.[0]], 1e-9);
        checks.exact(`${field} count`, [value[1]], [expected?.[1]]);
      } else {
        const keys = Object.keys(value as object).sort();
        checks.exact(`${field} labels`, keys, Object.keys(expected ?? {}).sort());
        checks.exact(
          `${field} counts`,
          keys.map((k) => (value as Record<string, number>)[k]),
          keys.map((k) => expected?.[k]),
        );
      }
    }
    const memory = memoryExtra(runs);
    return finishResult({
      case: LOAD_NAME,
      description:
        "loadRunColumns() of a million-row CSV (as deno task fit loads it) vs pandas.read_csv + checks, one process each",
      note: `synthetic CSV; peak memory ${(memory.ours_peak_bytes / 2 ** 20).toFixed(0)} vs ${
        (memory.reference_peak_bytes / 2 ** 20).toFixed(0)
      } MiB`,
      ours_repeats: runs.ours.map((r) => r.seconds),
      reference_repeats: runs.reference.map((r) => r.seconds),
      sizes: { rows: rowsFor(options), bytes },
      goal: "ratio >= 1, memory <= 2x pandas'",
      agreement: checks.build(),
      extra: {
        ...memory,
        pandas: reference.pandas,
        reference_load_seconds: reference.load_seconds,
      },
    });
  },
};

/** Reads the factor and B rows of `deno task fit`'s tables. */
export function parseFitTable(
  text: string,
): { bandwidth: number; factors: Record<string, number> } {
  const factors: Record<string, number> = {};
  for (const group of Object.keys(MILLION_TRUTH.factors)) {
    const row = new RegExp(`^${group}\\s+([0-9.]+)\\s+\\[`, "m").exec(text);
    if (row !== null) factors[group] = Number(row[1]);
  }
  const b = /^B \(none\)\s+\S+\s+\[[^\]]*\]\s+(\S+)\s*$/m.exec(text);
  return { bandwidth: b === null ? NaN : Number(b[1]), factors };
}

/**
 * A fit case: `deno task fit FILE --by contention` vs pandas + least_squares,
 * on a file with this share of KVM post-copy runs (the rest Xen pre-copy).
 */
function fitMillion(name: string, postcopyFraction: number): BenchCase {
  return { name, run: (options) => runFitMillion(name, postcopyFraction, options) };
}

/** `fit-1m`: the issue's file, KVM post-copy runs only. */
export const fitMillionCase: BenchCase = fitMillion("fit-1m", 1);
/** `fit-1m-mixed`: 98 % KVM post-copy, 2 % Xen pre-copy. */
export const fitMillionMixedCase: BenchCase = fitMillion("fit-1m-mixed", MIXED_POSTCOPY);

async function runFitMillion(
  name: string,
  postcopyFraction: number,
  options: CaseOptions,
): Promise<CaseResult> {
  const { path, bytes } = await millionFile(options, postcopyFraction);
  const referenceOut = `${options.workDir}/${name}-reference.json`;
  const runs = await alternate(
    options,
    () =>
      timedProcess(Deno.execPath(), [
        "run",
        "--allow-read",
        "--allow-net",
        "scripts/fit.ts",
        path,
        "--by",
        "contention",
      ]),
    () => timedProcess(options.python, ["bench/reference/million.py", "fit", path, referenceOut]),
  );
  const table = runs.ours.at(-1)!.stdout;
  const ours = parseFitTable(table);
  const reference = JSON.parse(await Deno.readTextFile(referenceOut));
  const bandwidth = reference.bandwidth as Record<string, number>;
  const checks = agreementChecks();
  // The table prints B to 5 digits and factors to 4 decimals (0.3500: 1.4e-4).
  const tolerance = 2e-4;
  checks.floats("bandwidthBytesPerSecond", [ours.bandwidth], [bandwidth.none!], tolerance);
  for (const group of Object.keys(MILLION_TRUTH.factors)) {
    checks.floats(`factors.${group}`, [ours.factors[group] ?? NaN], [
      bandwidth[group]! / bandwidth.none!,
    ], tolerance);
  }
  const progress = runs.ours.at(-1)!.stderr.split("\n").filter((l) => l.startsWith("fit: "));
  return finishResult({
    case: name,
    description:
      `deno task fit FILE --by contention (200 resamples, 5 folds) vs pandas.read_csv + least_squares, one process each; ${
        postcopyFraction === 1
          ? "KVM post-copy runs only"
          : `${Math.round(100 * (1 - postcopyFraction))} % Xen pre-copy runs`
      }`,
    note:
      `synthetic CSV; network factor ${ours.factors.network} (true ${MILLION_TRUTH.factors.network})`,
    ours_repeats: runs.ours.map((r) => r.seconds),
    reference_repeats: runs.reference.map((r) => r.seconds),
    sizes: { rows: rowsFor(options), bytes },
    goal: "ratio >= 1, memory <= 2x pandas'",
    agreement: checks.build(),
    extra: {
      ...memoryExtra(runs),
      ours_fit: ours,
      ours_progress: progress,
      reference_bandwidth: bandwidth,
      reference_evaluations: reference.evaluations,
      reference_load_seconds: reference.load_seconds,
      reference_fit_seconds: reference.fit_seconds,
      scipy: reference.scipy,
    },
  });
}
