// The `sweep` case: xenPrecopy over a grid of M, W, d and B into typed arrays
// (our sweep()) against numpy running the rounds as masked array steps
// (bench/reference/sweep.py). Also measures the peak RSS of 10^7
// configurations in a separate process (bench/sweep_memory.ts).
import { sweep, type SweepGrid } from "../../mod.ts";
import {
  agreementChecks,
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
  readColumn,
  sideBySide,
} from "../_harness.ts";

/** `count` values from `low` to `high`, evenly spaced in log scale. */
export function logSpace(low: number, high: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => low * (high / low) ** (i / (count - 1)));
}

/**
 * The benchmark grid: M 2-64 GiB, W 0 or 1 MiB-2 GiB, d 0 or 100-10^6 pages/s,
 * B 10 MB/s-10 GB/s, 4 KiB pages. A mix of all three stop reasons (about 11
 * rounds on average at the default 30-round limit).
 *
 * @param scale 1 gives 10^6 configurations (10 × 40 × 50 × 50); W gets `scale` times more values.
 * @param quick 10^4 configurations instead.
 */
export function benchGrid(scale = 1, quick = false): SweepGrid {
  if (quick) {
    return {
      memoryBytes: logSpace(2 ** 31, 2 ** 36, 4),
      wssBytes: [0, ...logSpace(2 ** 20, 2 ** 31, 9)],
      dirtyPagesPerSecond: [0, ...logSpace(100, 1e6, 9)],
      bandwidthBytesPerSecond: logSpace(1e7, 1e10, 25),
      pageBytes: [4096],
    };
  }
  return {
    memoryBytes: logSpace(2 ** 31, 2 ** 36, 10),
    wssBytes: [0, ...logSpace(2 ** 20, 2 ** 31, 40 * scale - 1)],
    dirtyPagesPerSecond: [0, ...logSpace(100, 1e6, 49)],
    bandwidthBytesPerSecond: logSpace(1e7, 1e10, 50),
    pageBytes: [4096],
  };
}

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
      for (const column of ["timeSeconds", "downtimeSeconds", "transferredBytes"] as const) {
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
