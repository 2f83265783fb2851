// The `load` case: loadRuns() on a 40,000-row CSV in the run schema, with its
// validation, against pandas.read_csv plus the same checks
// (bench/reference/load.py). The CSV is synthetic: rows on the paper's grid
// with model times and seeded noise, written by this file, not measured.
//
// loadRuns comes from the data area (issue 4); until it is in mod.ts the case
// reports itself unavailable.
import { kvmPostcopy, kvmPrecopy, xenPrecopy } from "../../mod.ts";
import { CONTENTIONS, METHODS, TYPED_COLUMNS } from "../../src/data/schema.ts";
import {
  agreementChecks,
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
  readColumn,
  sideBySide,
  unavailableResult,
} from "../_harness.ts";

const NAME = "load";
const DESCRIPTION = "loadRuns() of a CSV with validation vs pandas.read_csv + the same checks";
const GOAL = "ratio >= 1; 40k rows well under 1 s";

/** The paper's three methods and four contention scenarios, from the run schema's vocabulary. */
const PAPER_METHODS = METHODS.filter((m) => m.paper).map((m) => m.name);
const CONTENTION_NAMES = CONTENTIONS.map((c) => c.name);
/** The run schema's columns (not the collector's), in order. */
const SCHEMA_COLUMNS = TYPED_COLUMNS.filter((c) => c.group === "run");
const WSS_MIB = [0, 64, 128, 256, 512, 1024];
const RATES = [1024, 5120, 15360, 51200];
const MEMORY_GIB = [1, 1.5, 2, 4];

/** A seeded generator of uniform numbers in [0, 1) (Park-Miller). */
export function seededUniform(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/**
 * A synthetic dataset in the run schema: `rows` rows over the paper's grid
 * (a seventh of them with WSS "full"), model times with 5 % seeded noise, 2 %
 * failed runs. Synthetic: made here, not measured.
 */
export function syntheticCsv(rows: number, seed = 4): string {
  const random = seededUniform(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const lines = [SCHEMA_COLUMNS.map((c) => c.column).join(",")];
  for (let i = 0; i < rows; i++) {
    const method = PAPER_METHODS[i % 3]!;
    const contention = CONTENTION_NAMES[Math.floor(i / 3) % 4]!;
    const memoryBytes = pick(MEMORY_GIB) * 2 ** 30;
    const full = random() < 1 / 7;
    const wssBytes = full ? memoryBytes : Math.min(memoryBytes, pick(WSS_MIB) * 2 ** 20);
    const dirtyPagesPerSecond = pick(RATES);
    const input = { memoryBytes, wssBytes, dirtyPagesPerSecond, bandwidthBytesPerSecond: 1.1e8 };
    const model = method === "xen-precopy"
      ? xenPrecopy(input)
      : method === "kvm-precopy"
      ? kvmPrecopy(input)
      : kvmPostcopy(input);
    const noise = 1 + 0.05 * (2 * random() - 1);
    const iterations = "iterations" in model ? model.iterations : 0;
    lines.push([
      method,
      contention,
      memoryBytes,
      full ? "full" : wssBytes,
      dirtyPagesPerSecond,
      4096,
      125000000,
      (("precopyTimeSeconds" in model && method === "xen-precopy"
        ? model.precopyTimeSeconds
        : model.migrationTimeSeconds) * noise).toPrecision(8),
      model.downtimeSeconds.toPrecision(6),
      Math.round(model.transferredBytes),
      iterations,
      random() < 0.02 ? "failed" : "completed",
      i % 5,
    ].join(","));
  }
  return lines.join("\n") + "\n";
}

/** The schema's number fields, in order. */
const FLOAT_COLUMNS = SCHEMA_COLUMNS.filter((c) => c.dimension !== "label").map((c) => c.field);
/** The schema's label fields, in order. */
const LABEL_COLUMNS = SCHEMA_COLUMNS.filter((c) => c.dimension === "label").map((c) => c.field);

type LoadRuns = (
  source: string,
  options?: Record<string, unknown>,
) => Promise<{ runs: Record<string, unknown>[] }>;

/** The load case. */
export const loadCase: BenchCase = {
  name: NAME,
  async run(options: CaseOptions): Promise<CaseResult> {
    const mod = await import("../../mod.ts") as Record<string, unknown>;
    const loadRuns = mod.loadRuns as LoadRuns | undefined;
    if (typeof loadRuns !== "function") {
      return unavailableResult(NAME, DESCRIPTION, GOAL, "loadRuns is not in mod.ts yet (issue 4)");
    }
    const rows = options.quick ? 2000 : 40000;
    const path = `${options.workDir}/runs.csv`;
    await Deno.writeTextFile(path, syntheticCsv(rows));
    const { ours, reference } = await sideBySide(options, () => loadRuns(path), "load.py", {
      path,
    });
    const runs = ours.result.runs;
    const dir = reference.outDir;
    const checks = agreementChecks();
    if (runs.length !== rows) {
      checks.fail(`loadRuns returned ${runs.length} runs, expected ${rows}`);
    }
    for (const column of FLOAT_COLUMNS) {
      const values = Float64Array.from(runs, (r) => {
        const v = r[column];
        return typeof v === "number" ? v : NaN;
      });
      const expected = await readColumn(`${dir}/${column}.bin`, Float64Array);
      // Both sides: NaN where absent. NaN !== NaN, so compare the present values.
      const present = (a: Float64Array) => a.map((v) => Number.isNaN(v) ? -1 : v);
      checks.floats(column, present(values), present(expected), 1e-15);
    }
    const labels = JSON.parse(await Deno.readTextFile(`${dir}/labels.json`)) as Record<
      string,
      string[]
    >;
    for (const column of LABEL_COLUMNS) {
      checks.exact(column, runs.map((r) => r[column]), labels[column] ?? []);
    }
    return finishResult({
      case: NAME,
      description: DESCRIPTION,
      note: "synthetic CSV",
      ours_repeats: ours.seconds,
      reference_repeats: reference.timing.seconds,
      sizes: { rows, bytes: (await Deno.stat(path)).size },
      goal: GOAL,
      agreement: checks.build(),
      extra: { pandas: reference.timing.pandas },
    });
  },
};
