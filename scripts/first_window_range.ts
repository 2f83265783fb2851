// Prints, from a downtime-limit sweep, the runs whose first check QEMU's first
// bandwidth window decides and the socket-buffer range the sittings span
// (`firstWindowRange`, issue #14, docs/kvm-precopy-pause.md "Sessions 8 and
// 9"): per run, whether it stopped at once and the first reading it needed.
//
//   deno run -A scripts/first_window_range.ts [FOLDER] [--bandwidth BYTES_PER_S]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit, B to 118,987,500
// bytes/s (951.9 Mbit/s, the B `reproduce` fits on qemu-tcg-1gbit/).
import { loadRuns } from "../src/data/load_runs.ts";
import type { MigrationRun } from "../src/data/types.ts";
import { firstWindowRange } from "../src/analysis/first_window_range.ts";

/** The first-window table and the range as Markdown lines. */
export function firstWindowLines(
  runs: readonly MigrationRun[],
  bandwidthBytesPerSecond: number,
): string[] {
  const range = firstWindowRange(runs, { bandwidthBytesPerSecond });
  const mb = (bytes: number | null) => (bytes === null ? "-" : (bytes / 1e6).toFixed(3));
  const stopped = range.runs.filter((r) => r.stoppedAtOnce).length;
  return [
    "| workload | limit (s) | run | stopped at once | socket buffer needed (MB) | first reading needed (MB/s) |",
    "|---|---|---|---|---|---|",
    ...range.runs.map((r) =>
      `| ${r.workload} | ${r.limitSeconds} | ${r.run} | ${r.stoppedAtOnce ? "yes" : "no"} | ${
        mb(r.neededSocketBufferBytes)
      } | ${mb(r.neededReadingBytesPerSecond)} |`
    ),
    "",
    `${range.runs.length} runs decided by the first window, ${stopped} stopped at once; ` +
    `range ${mb(range.lowBytes)}-${mb(range.highBytes)} MB ` +
    `(${range.bothOutcomes ? "the sittings disagree" : "one socket buffer explains every run"})`,
  ];
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--bandwidth");
  const bandwidth = at < 0 ? 118_987_500 : Number(args.splice(at, 2)[1]);
  if (!(bandwidth > 0)) {
    console.error("first_window_range: --bandwidth takes bytes/s (a number > 0)");
    Deno.exit(2);
  }
  const unknown = args.find((a) => a.startsWith("--"));
  if (unknown !== undefined) {
    console.error(`first_window_range: unknown option ${unknown}`);
    Deno.exit(2);
  }
  const folder = args[0] ?? "data/qemu-tcg-1gbit-downtime-limit";
  const { runs } = await loadRuns(`${folder}/runs.csv`);
  for (const line of firstWindowLines(runs, bandwidth)) console.log(line);
}
