// The `sweep` case: xenPrecopy over a grid of M, W, d and B into typed arrays
// (our sweep()) against numpy running the rounds as masked array steps
// (bench/reference/sweep.py). Also measures the peak RSS of 10^7
// configurations in a separate process (bench/sweep_memory.ts).
import { sweep } from "../../mod.ts";
import { benchGrid } from "../_grid.ts";
import {
  agreementChecks,
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
  readColumn,
  sideBySide,
} from "../_harness.ts";

const GOAL = "ratio >= 8 and >= 30 M configurations/s on one core; peak RSS (10^7) <= 3x outputs";

/** Builds the sweep case for a round limit (30 is Xen's default in the paper). */
export function sweepCase(name: string, maxIterations: number): BenchCase {
  return {
    name,
    async run(options: CaseOptions): Promise<CaseResult> {
      const grid = benchGrid(1, options.quick);
      const modelOptions = { maxIterations, maxTransferFactor: 3, minDirtyPages: 50 };
      const { ours, reference } = await sideBySide(
        options,
        () => sweep("xen-precopy", grid, { ...modelOptions, includeInputs: false }),
        "sweep.py",
        { grid, options: modelOptions },
      );
      const result = ours.result;
      const dir = reference.outDir;
      const checks = agreementChecks();
      checks.exact(
        "iterations",
        result.iterations,
        await readColumn(`${dir}/iterations.bin`, Uint32Array),
      );
      checks.exact(
        "stopCode",
        result.stopCode,
        await readColumn(`${dir}/stopCode.bin`, Uint8Array),
      );
      for (
        const column of ["precopyTimeSeconds", "downtimeSeconds", "transferredBytes"] as const
      ) {
        checks.floats(
          column,
          result[column],
          await readColumn(`${dir}/${column}.bin`, Float64Array),
          1e-9,
        );
      }
      let rounds = 0;
      for (let i = 0; i < result.length; i++) rounds += result.iterations[i]!;
      const finished = finishResult({
        case: name,
        description:
          `sweep("xen-precopy") over a grid, maxIterations ${maxIterations}, into typed arrays vs numpy masked rounds`,
        note: "",
        ours_repeats: ours.seconds,
        reference_repeats: reference.timing.seconds,
        sizes: { configurations: result.length },
        goal: GOAL,
        agreement: checks.build(),
        extra: {
          mean_rounds: rounds / result.length,
          numpy: reference.timing.numpy,
        },
      });
      if (finished.ours_seconds !== null && finished.reference_seconds !== null) {
        finished.extra.ours_configurations_per_second = result.length / finished.ours_seconds;
        finished.extra.reference_configurations_per_second = result.length /
          finished.reference_seconds;
        finished.note = `${(result.length / finished.ours_seconds / 1e6).toFixed(1)} M conf/s, ${
          (rounds / result.length).toFixed(1)
        } rounds/conf`;
      }
      if (!options.quick && maxIterations === 30) {
        const memory = await measureMemory(10);
        finished.extra.memory = memory;
        finished.note += `; 10^7: peak RSS ${(memory.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB = ${
          memory.rss_over_outputs.toFixed(2)
        }x outputs`;
      }
      return finished;
    },
  };
}

/** What bench/sweep_memory.ts reports. */
export interface MemoryReport {
  configurations: number;
  output_bytes: number;
  baseline_rss_bytes: number;
  peak_rss_bytes: number;
  rss_over_outputs: number;
  seconds: number;
}

/** Runs bench/sweep_memory.ts in a fresh process (so its peak RSS is the sweep's). */
export async function measureMemory(scale: number): Promise<MemoryReport> {
  const script = new URL("../sweep_memory.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, String(scale)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`bench: sweep_memory.ts failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as MemoryReport;
}
