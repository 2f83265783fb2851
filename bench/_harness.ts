// Shared pieces of the benchmark: timing, the Python reference runner,
// agreement checks and the result table. Only bench/ uses them.
import { median } from "../src/_stats.ts";
import { textTable } from "../src/plot/text_table.ts";

/** How a case is run. */
export interface CaseOptions {
  /** Small sizes, one repeat: a smoke check that ours and the reference agree. */
  quick: boolean;
  /** Timed repeats of each side (the median is reported). */
  repeats: number;
  /** Untimed runs before the timed ones (JIT warm-up, caches). */
  warmup: number;
  /** A scratch directory for inputs and the reference's outputs. */
  workDir: string;
  /** The Python interpreter with numpy, scipy and pandas. */
  python: string;
}

/** How two implementations' numbers compare. */
export interface Agreement {
  /** Whether every checked column agrees within its tolerance. */
  ok: boolean;
  /** What was compared, e.g. "timeSeconds (rel 1e-9)". */
  checked: string[];
  /** The largest relative difference over the float columns. */
  maxRelativeDifference: number;
  /** The first disagreements found, for the report. */
  problems: string[];
}

/** One case's line in the table and in out/bench.json. */
export interface CaseResult {
  case: string;
  /** What ours and the reference do. */
  description: string;
  /**
   * "ok", "disagree" (numbers differ: a failure), "unavailable" (a tool it
   * needs is missing) or "skipped" (not run in this mode).
   */
  status: "ok" | "disagree" | "unavailable" | "skipped";
  /** Why a case is unavailable or skipped, or a remark. */
  note: string;
  /** Median seconds of our implementation. */
  ours_seconds: number | null;
  /** Median seconds of the Python reference. */
  reference_seconds: number | null;
  /** reference_seconds / ours_seconds: > 1 means ours is faster. */
  ratio: number | null;
  /** Every timed repeat, seconds. */
  ours_repeats: number[];
  reference_repeats: number[];
  /** Problem sizes (configurations, rows, runs, ...). */
  sizes: Record<string, number>;
  /** The goal for this case, in words. */
  goal: string;
  agreement: Agreement | null;
  /** Case-specific measurements (throughput, peak memory, ...). */
  extra: Record<string, unknown>;
}

/** A benchmark case. */
export interface BenchCase {
  name: string;
  run(options: CaseOptions): Promise<CaseResult>;
}

/** Runs `fn` warmup + repeats times and returns the timed seconds and the last result. */
export async function timeOurs<T>(
  fn: () => T | Promise<T>,
  options: Pick<CaseOptions, "warmup" | "repeats">,
): Promise<{ seconds: number[]; result: T }> {
  let result: T = await fn();
  for (let i = 1; i < options.warmup; i++) result = await fn();
  const seconds: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const start = performance.now();
    result = await fn();
    seconds.push((performance.now() - start) / 1000);
  }
  return { seconds, result };
}

const PYTHON_CHECK = "import numpy, scipy, pandas, scipy.optimize";

/**
 * The Python the references run with: `BENCH_PYTHON`, else Debian's
 * /usr/bin/python3 (a pyenv `python3` on PATH usually lacks numpy and scipy).
 */
export function benchPython(): string {
  return Deno.env.get("BENCH_PYTHON") ?? "/usr/bin/python3";
}

/**
 * Finds a Python with numpy, scipy and pandas ({@linkcode benchPython}).
 * When they are missing it runs `scripts/install_system.sh bench` once
 * (needs root).
 */
export async function findPython(): Promise<string> {
  const python = benchPython();
  if (await pythonWorks(python)) return python;
  const script = new URL("../scripts/install_system.sh", import.meta.url).pathname;
  console.error(`bench: ${python} lacks numpy/scipy/pandas; running ${script} bench`);
  const install = await new Deno.Command("bash", { args: [script, "bench"], stdout: "inherit" })
    .output();
  if (install.success && await pythonWorks(python)) return python;
  throw new Error(
    `bench: no Python with numpy, scipy and pandas, expected ${python} to import them (run "bash scripts/install_system.sh bench" as root or set BENCH_PYTHON)`,
  );
}

/** Whether `python` runs and imports numpy, scipy and pandas (installs nothing). */
export async function pythonWorks(python: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(python, { args: ["-c", PYTHON_CHECK], stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** The timing a reference script writes to OUT_DIR/timing.json. */
export interface ReferenceTiming {
  seconds: number[];
  [key: string]: unknown;
}

/**
 * Runs bench/reference/<script> with a JSON spec and returns its timing and
 * a reader for the raw columns it wrote. BLAS threads are pinned to one, as
 * our code runs on one core.
 */
export async function runReference(
  options: CaseOptions,
  script: string,
  spec: Record<string, unknown>,
): Promise<{ timing: ReferenceTiming; outDir: string }> {
  const outDir = await Deno.makeTempDir({ dir: options.workDir, prefix: `${script}-` });
  const specPath = `${outDir}/spec.json`;
  await Deno.writeTextFile(
    specPath,
    JSON.stringify({ ...spec, warmup: options.warmup, repeats: options.repeats }),
  );
  const path = new URL(`./reference/${script}`, import.meta.url).pathname;
  const out = await new Deno.Command(options.python, {
    args: [path, specPath, outDir],
    env: { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `bench: reference ${script} failed (exit ${out.code}): ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  const timing = JSON.parse(await Deno.readTextFile(`${outDir}/timing.json`)) as ReferenceTiming;
  return { timing, outDir };
}

/**
 * Times ours and the reference in alternating rounds (ours, then the
 * reference, `rounds` times, each with a share of the repeats), so that a
 * change in the machine's other load hits both sides alike. Returns every
 * timed repeat of each side, our last result and the last reference run.
 */
export async function sideBySide<T>(
  options: CaseOptions,
  ours: () => T | Promise<T>,
  script: string,
  spec: Record<string, unknown>,
  rounds = options.quick ? 1 : 3,
): Promise<{
  ours: { seconds: number[]; result: T };
  reference: { timing: ReferenceTiming; outDir: string };
}> {
  const share = { ...options, repeats: Math.max(1, Math.ceil(options.repeats / rounds)) };
  const oursSeconds: number[] = [];
  const referenceSeconds: number[] = [];
  let last: { seconds: number[]; result: T } | undefined;
  let reference: { timing: ReferenceTiming; outDir: string } | undefined;
  for (let round = 0; round < rounds; round++) {
    last = await timeOurs(ours, round === 0 ? share : { ...share, warmup: 1 });
    oursSeconds.push(...last.seconds);
    reference = await runReference(round === 0 ? share : { ...share, warmup: 1 }, script, spec);
    referenceSeconds.push(...reference.timing.seconds);
  }
  return {
    ours: { seconds: oursSeconds, result: last!.result },
    reference: { ...reference!, timing: { ...reference!.timing, seconds: referenceSeconds } },
  };
}

/** Reads a raw little-endian column written by numpy's `tofile`. */
export async function readColumn<T extends Float64Array | Uint32Array | Uint8Array>(
  path: string,
  kind: new (buffer: ArrayBuffer) => T,
): Promise<T> {
  const bytes = await Deno.readFile(path);
  return new kind(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Column comparisons that add up to an {@linkcode Agreement}. */
export interface AgreementChecks {
  /** Compares two float columns, each value within `tolerance` relative (both 0 agrees). */
  floats(
    name: string,
    ours: ArrayLike<number>,
    reference: ArrayLike<number>,
    tolerance: number,
  ): void;
  /** Compares two columns exactly (counts, codes, labels). */
  exact(name: string, ours: ArrayLike<unknown>, reference: ArrayLike<unknown>): void;
  /** Records a check that failed outright. */
  fail(problem: string): void;
  /** The agreement so far. */
  build(): Agreement;
}

/** Starts a set of column comparisons. */
export function agreementChecks(): AgreementChecks {
  const checked: string[] = [];
  const problems: string[] = [];
  let maxRelative = 0;
  const sameLength = (name: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>) => {
    if (a.length === b.length) return true;
    problems.push(`${name}: ours has ${a.length} values, reference ${b.length}`);
    return false;
  };
  return {
    floats(name, ours, reference, tolerance) {
      checked.push(`${name} (rel ${tolerance})`);
      if (!sameLength(name, ours, reference)) return;
      let bad = 0;
      for (let i = 0; i < ours.length; i++) {
        const a = ours[i]!;
        const b = reference[i]!;
        if (a === b) continue;
        const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
        maxRelative = Number.isNaN(rel) ? Infinity : Math.max(maxRelative, rel);
        if (!(rel <= tolerance) && bad++ < 3) {
          problems.push(`${name}[${i}]: ours ${a}, reference ${b}`);
        }
      }
      if (bad > 3) problems.push(`${name}: ${bad} values differ`);
    },
    exact(name, ours, reference) {
      checked.push(`${name} (exact)`);
      if (!sameLength(name, ours, reference)) return;
      let bad = 0;
      for (let i = 0; i < ours.length; i++) {
        if (ours[i] !== reference[i] && bad++ < 3) {
          problems.push(`${name}[${i}]: ours ${ours[i]}, reference ${reference[i]}`);
        }
      }
      if (bad > 3) problems.push(`${name}: ${bad} values differ`);
    },
    fail(problem) {
      problems.push(problem);
    },
    build() {
      return { ok: problems.length === 0, checked, maxRelativeDifference: maxRelative, problems };
    },
  };
}

/** A case result with the timings filled in and the ratio computed. */
export function finishResult(
  base: Omit<CaseResult, "ours_seconds" | "reference_seconds" | "ratio" | "status">,
): CaseResult {
  const ours = base.ours_repeats.length ? median(base.ours_repeats) : null;
  const reference = base.reference_repeats.length ? median(base.reference_repeats) : null;
  // Under contention from other processes the fastest repeat is the steadier
  // estimate; it is reported beside the median the table shows.
  const extra = { ...base.extra };
  if (ours !== null && reference !== null) {
    const oursMin = Math.min(...base.ours_repeats);
    const referenceMin = Math.min(...base.reference_repeats);
    Object.assign(extra, {
      ours_min_seconds: oursMin,
      reference_min_seconds: referenceMin,
      ratio_of_minimums: referenceMin / oursMin,
    });
  }
  return {
    ...base,
    extra,
    status: base.agreement && !base.agreement.ok ? "disagree" : "ok",
    ours_seconds: ours,
    reference_seconds: reference,
    ratio: ours !== null && reference !== null ? reference / ours : null,
  };
}

/** A result for a case that cannot run here (a missing tool) or is skipped, with the reason. */
export function unavailableResult(
  name: string,
  description: string,
  goal: string,
  note: string,
  status: "unavailable" | "skipped" = "unavailable",
): CaseResult {
  return {
    case: name,
    description,
    status,
    note,
    ours_seconds: null,
    reference_seconds: null,
    ratio: null,
    ours_repeats: [],
    reference_repeats: [],
    sizes: {},
    goal,
    agreement: null,
    extra: {},
  };
}

function seconds(value: number | null): string {
  if (value === null) return "-";
  return value < 1e-3
    ? `${(value * 1e6).toFixed(0)} µs`
    : value < 1
    ? `${(value * 1e3).toFixed(1)} ms`
    : `${value.toFixed(2)} s`;
}

/** The results as a plain-text table. */
export function formatTable(results: readonly CaseResult[]): string {
  const header = ["case", "size", "ours", "reference", "ratio", "agree", "note"];
  const rows = results.map((r) => [
    r.case,
    Object.entries(r.sizes).map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`).join(", ") || "-",
    seconds(r.ours_seconds),
    seconds(r.reference_seconds),
    r.ratio === null ? "-" : `${r.ratio.toFixed(2)}x`,
    r.agreement === null ? "-" : r.agreement.ok ? "yes" : "NO",
    r.status === "ok" ? r.note : `${r.status}: ${r.note}`,
  ]);
  return textTable(rows.map((row) => Object.fromEntries(header.map((h, c) => [h, row[c]]))), {
    columns: header,
    align: header.map(() => "left"),
    rule: false,
  });
}
