// `deno task bench [--quick] [--case NAME,...] [--repeats N] [--out PATH]` (`--help` lists them)
//
// Runs each case's implementation and its Python reference (numpy, scipy,
// pandas) on the same inputs, checks they agree, prints a table of median
// times and ratio = reference / ours (> 1: ours is faster), and writes
// out/bench.json. `--quick` uses small sizes and one repeat: a smoke check
// that the cases still agree (its times mean nothing). Exits 1 when any case
// disagrees with its reference.
import { dirname } from "node:path";
import {
  flag,
  integer,
  list,
  oneOf,
  option,
  parseCommandLine,
  runCommand,
  text,
} from "../src/cli/mod.ts";
import {
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  findPython,
  formatTable,
} from "./_harness.ts";
import { fitCase } from "./cases/fit.ts";
import { loadCase } from "./cases/load.ts";
import { plansCase } from "./cases/plans.ts";
import { fitMillionCase, fitMillionMixedCase, loadMillionCase } from "./cases/million.ts";
import { reproduceCase } from "./cases/reproduce.ts";
import { sweepCase } from "./cases/sweep.ts";

/** Every case, in the order of the table. */
export const CASES: readonly BenchCase[] = [
  sweepCase("sweep", 30),
  sweepCase("sweep-200", 200),
  fitCase,
  loadCase,
  loadMillionCase,
  fitMillionCase,
  fitMillionMixedCase,
  reproduceCase,
  plansCase,
];

/** Options of {@linkcode runBench}. */
export interface RunBenchOptions {
  quick: boolean;
  repeats?: number;
  cases?: readonly string[];
  /** Called after each case, e.g. to print progress. */
  onResult?: (result: CaseResult) => void;
}

/** Runs the chosen cases and returns their results. */
export async function runBench(options: RunBenchOptions): Promise<CaseResult[]> {
  const selected = options.cases ?? CASES.map((c) => c.name);
  for (const name of selected) {
    if (!CASES.some((c) => c.name === name)) {
      throw new RangeError(
        `bench: unknown case "${name}", expected one of ${CASES.map((c) => c.name).join(", ")}`,
      );
    }
  }
  const workDir = await Deno.makeTempDir({ prefix: "migration-bench-" });
  const caseOptions: CaseOptions = {
    quick: options.quick,
    repeats: options.repeats ?? (options.quick ? 1 : 9),
    warmup: options.quick ? 1 : 5,
    workDir,
    python: await findPython(),
  };
  const results: CaseResult[] = [];
  try {
    for (const benchCase of CASES) {
      if (!selected.includes(benchCase.name)) continue;
      const result = await benchCase.run(caseOptions);
      options.onResult?.(result);
      results.push(result);
    }
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
  return results;
}

/** Facts about the machine that go into out/bench.json. */
async function machine(): Promise<Record<string, unknown>> {
  let cpu = "unknown";
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1] ?? cpu;
  } catch {
    // not Linux: leave "unknown"
  }
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    load_average: Deno.loadavg(),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: Deno.build.os,
  };
}

/** The command line of `deno task bench`. */
export const BENCH_COMMAND = {
  name: "bench",
  usage: "deno task bench [options]",
  description: `Runs each case and its Python reference (numpy, scipy, pandas) on the same
inputs, checks that they agree, prints median times and ratio = reference /
ours (> 1: ours is faster), and writes a JSON report. Exits 1 when a case
disagrees with its reference.`,
  options: {
    quick: flag("small sizes, one repeat: a smoke check that the cases agree (times mean nothing)"),
    case: option(list(oneOf(CASES.map((c) => c.name))), {
      help: "only these cases, comma-separated",
      defaultText: "every case",
    }),
    repeats: option(integer({ min: 1 }), {
      help: "timed repeats of each case",
      defaultText: "9, or 1 with --quick",
    }),
    out: option(text({ placeholder: "PATH" }), {
      help: "where the JSON report goes",
      default: "out/bench.json",
    }),
  },
  examples: ["deno task bench --quick", "deno task bench --case fit,load --repeats 5"],
};

async function main(): Promise<number> {
  const { values } = parseCommandLine(BENCH_COMMAND, Deno.args);
  const repeats = values.repeats;
  const startedAt = new Date().toISOString();
  const loadBefore = Deno.loadavg();
  const results = await runBench({
    quick: values.quick,
    ...(repeats === undefined ? {} : { repeats }),
    ...(values.case === undefined ? {} : { cases: values.case }),
    onResult: (r) =>
      console.error(
        `bench: ${r.case} done (${r.status}${
          r.ratio === null ? "" : `, ratio ${r.ratio.toFixed(2)}`
        })`,
      ),
  });
  console.log(formatTable(results));
  for (const r of results) {
    for (const problem of r.agreement?.problems ?? []) console.log(`  ${r.case}: ${problem}`);
  }
  const report = {
    started_at: startedAt,
    quick: values.quick,
    machine: { ...(await machine()), load_average_before: loadBefore },
    cases: Object.fromEntries(results.map((r) => [r.case, r])),
  };
  await Deno.mkdir(dirname(values.out), { recursive: true });
  await Deno.writeTextFile(values.out, JSON.stringify(report, null, 2) + "\n");
  console.log(`wrote ${values.out}`);
  return results.some((r) => r.status === "disagree") ? 1 : 0;
}

if (import.meta.main) await runCommand(main);
