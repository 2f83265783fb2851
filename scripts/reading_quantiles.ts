// Reads QEMU's bandwidth reading (`mbps`, the scale of its threshold: reading x
// downtime limit) window by window from the sweep writer's traces of the
// downtime-limit sweep (issue #14), relative to each run's median reading, and
// prints its quantiles: the table `KVM_PRECOPY_DEFAULTS.bandwidthReadingQuantiles`
// holds. Only runs that recorded the host's load (`host_load_average`, the
// collector's disturbance columns) and found it below --max-load are read, so
// that a loaded host's scatter does not enter; samples from 0.3 s on (the first
// windows carry the socket buffer, `socketBufferBytes`) until the stop.
//
//   deno run -A scripts/reading_quantiles.ts [FOLDER] [--max-load 1] [--until ISO-TIME]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit. --until keeps runs started
// before it: the committed table is `--until 2026-12-02T05:00Z` (the 41 runs of the
// first quiet sittings); the 147 quiet runs after it validate it out of sample.
import { parseArgs } from "node:util";
import { loadRuns } from "../src/data/load_runs.ts";
import { median, quantileSorted } from "../src/_stats.ts";
import { readSweepTrace } from "./_sweep_trace.ts";

/** The levels the table gives, with the extremes (0 and 1). */
export const READING_LEVELS: readonly number[] = [
  0,
  0.01,
  0.02,
  0.05,
  0.1,
  0.2,
  0.3,
  0.4,
  0.5,
  0.6,
  0.7,
  0.8,
  0.9,
  0.95,
  0.98,
  0.99,
  1,
];

/**
 * One run's readings relative to its own median, from `fromSeconds` of QEMU's
 * time on.
 */
export function relativeReadings(
  readingsBytesPerSecond: readonly { timeSeconds: number; readingBytesPerSecond: number }[],
  fromSeconds = 0.3,
): number[] {
  const kept = readingsBytesPerSecond.filter((s) =>
    s.timeSeconds >= fromSeconds && s.readingBytesPerSecond > 0
  ).map((s) => s.readingBytesPerSecond);
  if (kept.length === 0) return [];
  const m = median(kept);
  return kept.map((x) => x / m - 1);
}

/** The quantiles of pooled relative readings at READING_LEVELS, rounded to 1e-4. */
export function readingQuantiles(relative: readonly number[]): [number, number][] {
  const sorted = [...relative].sort((a, b) => a - b);
  return READING_LEVELS.map((p) => [p, Math.round(quantileSorted(sorted, p) * 1e4) / 1e4]);
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      "max-load": { type: "string", default: "1" },
      until: { type: "string", default: "9999-12-31T00:00:00Z" },
    },
  });
  const folder = positionals[0] ?? "data/qemu-tcg-1gbit-downtime-limit";
  const maxLoad = Number(values["max-load"]);
  const until = new Date(values.until!).getTime();
  const { runs } = await loadRuns(`${folder}/runs.csv`);
  const chosen = runs.filter((r) =>
    r.method === "kvm-precopy" && (r.writePattern ?? "sweep") === "sweep" &&
    r.hostLoadAverage !== undefined && r.hostLoadAverage < maxLoad &&
    typeof r.extra.trace_file === "string" &&
    new Date(String(r.extra.started_at)).getTime() < until
  );
  const pooled: number[] = [];
  for (const run of chosen) {
    const trace = await readSweepTrace(folder, String(run.extra.trace_file));
    pooled.push(...relativeReadings(trace.samples));
  }
  const table = readingQuantiles(pooled);
  console.log(
    `${chosen.length} runs (host load average below ${maxLoad}), ${pooled.length} readings`,
  );
  console.log(
    `above +3 %: ${
      (100 * pooled.filter((x) => x > 0.03).length / pooled.length).toFixed(1)
    } %; above +5 %: ${(100 * pooled.filter((x) => x > 0.05).length / pooled.length).toFixed(1)} %`,
  );
  console.log(JSON.stringify(table));
}
