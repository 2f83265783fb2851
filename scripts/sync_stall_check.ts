// Measures, from a downtime-limit sweep's committed traces, how long QEMU's
// bitmap sync holds up the sender and whether it shows in QEMU's 100 ms
// bandwidth readings (issue #14, docs/kvm-precopy-pause.md "Bitmap-sync
// stalls"). It reads only the folder's runs.csv, its metadata (the sittings)
// and traces/*.{qmp,events}.jsonl.gz:
//
// - the source's MIGRATION_PASS events (one per bitmap sync, QEMU's clock in
//   microseconds): the gaps between consecutive exact counts are whole
//   numbers of chunks plus one sync, gap = k x chunk + stall, fitted by least
//   squares;
// - per `query-migrate` sample (every ~0.2 s) QEMU's reading of its last
//   window (`mbps`, the estimate that sets threshold = bandwidth x limit),
//   split by whether a sync fell in that window or in the one before it, and
//   the bytes sent per sample interval against the syncs inside it;
// - per converged run that the model misses (pause outside 10 % or 100 ms at
//   the B given), the last sync before the stopping exact count, the last
//   reading before the stop, the stop-and-copy rate and the run's sitting.
//
//   deno run -A scripts/sync_stall_check.ts [FOLDER] [--bandwidth BYTES_PER_S] [--grid FOLDER]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit, B to 118,987,500
// bytes/s (951.9 Mbit/s, the B `reproduce` fits on qemu-tcg-1gbit/). With
// --grid, the sending lost per sync by its newly dirty pages is printed for
// that dataset's guests alone too (the grid's syncs find up to the whole
// memory dirty).
import { median } from "../src/_stats.ts";
import { loadRuns } from "../src/data/load_runs.ts";
import type { MigrationRun } from "../src/data/types.ts";
import { switchRuleValidation } from "../src/analysis/switch_rule_validation.ts";
import { writePatternOf } from "../src/analysis/_sweep_runs.ts";
import { readSweepTrace, type SweepTrace } from "./_sweep_trace.ts";
import {
  readingsBySync,
  type ReadingSummary,
  syncCadence,
  syncCostByDirtyPages,
} from "./_sync_stall.ts";

/** The bins of {@linkcode syncCostByDirtyPages} as Markdown lines. */
export function syncCostLines(traces: readonly SweepTrace[]): string[] {
  return [
    "| newly dirty pages at the sync | intervals | median pages | sending lost per sync |",
    "|---|---|---|---|",
    ...syncCostByDirtyPages(traces).map((b) =>
      `| from ${b.fromPages} | ${b.intervals} | ${
        Number.isNaN(b.medianPages) ? "-" : b.medianPages.toFixed(0)
      } | ${Number.isNaN(b.lostSeconds) ? "-" : `${(b.lostSeconds * 1000).toFixed(2)} ms`} |`
    ),
  ];
}

/** What a converged run's trace says about its stop. */
export interface StopReading {
  /** Seconds from the sync before the stopping exact count (the setup sync if none) to the stop. */
  previousSyncSeconds: number;
  /** Exact counts up to the stop, the stopping one included. */
  exactCounts: number;
  /** The last reading sampled before the stop, bytes/s, and how long before it, seconds. */
  lastReadingBytesPerSecond: number;
  lastReadingBeforeSeconds: number;
  /** `downtime-bytes` over QEMU's `downtime`, bytes/s. */
  stopAndCopyBytesPerSecond: number;
  /**
   * Pending at the stop over the limit, bytes/s, a lower bound on the reading
   * that set the threshold: low with every stop-and-copy page a normal page,
   * high with the zero pages scanned after the last sample in it too.
   */
  pendingPerLimit: [number, number];
  /** Share of the run's sample intervals before the stop that sent under 110 MB/s. */
  slowShare: number;
}

/**
 * Reads the stop of one converged run.
 *
 * @param t Its traces.
 * @param limitSeconds Its downtime limit.
 */
export function stopReading(t: SweepTrace, limitSeconds: number): StopReading {
  const stop = t.stopSeconds!;
  const upTo = t.syncSeconds.filter((s) => s <= stop);
  const before = t.samples.filter((s) => s.timeSeconds <= stop);
  const last = before[before.length - 1];
  const rates: number[] = [];
  for (let i = 1; i < before.length; i++) {
    const dt = before[i]!.timeSeconds - before[i - 1]!.timeSeconds;
    if (dt > 0) rates.push((before[i]!.transferredBytes - before[i - 1]!.transferredBytes) / dt);
  }
  const normal = (t.downtimeBytes! * 4096) / 4104;
  // No sample before the stop (a limit that stops at once): the late zero pages are unknown.
  const lateZero = last === undefined
    ? 0
    : Math.max(0, t.finalDuplicatePages! - last.duplicatePages) * 4096;
  return {
    previousSyncSeconds: stop - (upTo[upTo.length - 2] ?? 0),
    exactCounts: upTo.length - 1,
    lastReadingBytesPerSecond: last?.readingBytesPerSecond ?? Number.NaN,
    lastReadingBeforeSeconds: last === undefined ? Number.NaN : stop - last.timeSeconds,
    stopAndCopyBytesPerSecond: t.downtimeBytes! / t.qmpDowntimeSeconds!,
    pendingPerLimit: [normal / limitSeconds, (normal + lateZero) / limitSeconds],
    slowShare: rates.length > 0 ? rates.filter((r) => r < 110e6).length / rates.length : 0,
  };
}

const mb = (v: number) => (v / 1e6).toFixed(1);
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
type Sitting = (run: MigrationRun) => number;

function readingLines(traces: Map<MigrationRun, SweepTrace>, sitting: Sitting, count: number) {
  const cell = (r: ReadingSummary) =>
    r.samples === 0
      ? "none"
      : `${r.samples}: median ${mb(r.medianBytesPerSecond)}, <105 ${pct(r.lowShare)}, >125 ${
        pct(r.highShare)
      }`;
  const lines = [
    "| sittings | readings: no sync near | sync in the window | sync in the window before | high after a slow window | high after a steady one | sending lost per sync |",
    "|---|---|---|---|---|---|---|",
  ];
  for (let i = -1; i < count; i++) {
    const chosen = [...traces].filter(([run]) => i < 0 || sitting(run) === i).map(([, t]) => t);
    if (chosen.length === 0) continue;
    const r = readingsBySync(chosen);
    const lost = r.lostPerSyncSeconds;
    lines.push(
      `| ${i < 0 ? "all" : i} | ${cell(r.neither)} | ${cell(r.syncInWindow)} | ${
        cell(r.syncBefore)
      } | ${pct(r.highAfterSlowShare)} | ${pct(r.highAfterSteadyShare)} | ${
        Number.isNaN(lost) ? "-" : `${(lost * 1000).toFixed(2)} ms`
      } |`,
    );
  }
  return lines;
}

function pauseLines(
  runs: readonly MigrationRun[],
  traces: Map<MigrationRun, SweepTrace>,
  sitting: Sitting,
  bandwidthBytesPerSecond: number,
) {
  const v = switchRuleValidation(runs, { bandwidthBytesPerSecond });
  const rows = v.pauses.map((p) => {
    const run = [...traces.keys()].find((r) =>
      r.status === "completed" && r.downtimeLimitSeconds === p.limitSeconds &&
      (r.run ?? 0) === p.run && r.downtimeSeconds === p.measuredSeconds &&
      p.workload.endsWith(writePatternOf(r, "sweep"))
    )!;
    return { p, run, s: stopReading(traces.get(run)!, p.limitSeconds) };
  });
  const lines = [
    "",
    "| sitting | converged | pauses missed | stop-and-copy under 110 MB/s (missed) | median share of slow intervals |",
    "|---|---|---|---|---|",
  ];
  const sittings = [...new Set(rows.map((r) => sitting(r.run)))].sort((a, b) => a - b);
  for (const i of sittings) {
    const mine = rows.filter((r) => sitting(r.run) === i);
    const slow = mine.filter((r) => r.s.stopAndCopyBytesPerSecond < 110e6);
    lines.push(
      `| ${i} | ${mine.length} | ${mine.filter((r) => !r.p.ok).length} | ${slow.length} (${
        slow.filter((r) => !r.p.ok).length
      }) | ${pct(median(mine.map((r) => r.s.slowShare)))} |`,
    );
  }
  lines.push(
    "",
    `${v.pauses.length - v.pauseMisses.length} of ${v.pauses.length} pauses within 10 % or ` +
      `100 ms at B = ${mb(bandwidthBytesPerSecond)} MB/s; the misses:`,
    "",
    "| workload | limit (s) | run | started (UTC) | sitting | pause measured / model (s) | stop-and-copy (MB/s) | last reading (MB/s, s before) | pending / limit (MB/s) | last sync before (s) | slow intervals |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const { p, run, s } of rows.filter((r) => !r.p.ok)) {
    lines.push(
      `| ${p.workload} | ${p.limitSeconds} | ${p.run} | ${
        String(run.extra.started_at).slice(0, 19)
      } | ${sitting(run)} | ${p.measuredSeconds.toFixed(3)} / ${p.modelSeconds.toFixed(3)} | ${
        mb(s.stopAndCopyBytesPerSecond)
      } | ${mb(s.lastReadingBytesPerSecond)} (${s.lastReadingBeforeSeconds.toFixed(2)}) | ${
        mb(s.pendingPerLimit[0])
      }-${mb(s.pendingPerLimit[1])} | ${s.previousSyncSeconds.toFixed(2)} | ${pct(s.slowShare)} |`,
    );
  }
  return lines;
}

/**
 * The check's report as Markdown lines: the exact counts' cadence, the
 * readings by syncs per sitting, the pauses per sitting and every miss.
 *
 * @param folder A sweep's dataset folder (runs.csv, <folder>.meta.json, traces/).
 * @param bandwidthBytesPerSecond B for the model's pauses, bytes/s.
 */
export async function syncStallLines(
  folder: string,
  bandwidthBytesPerSecond: number,
): Promise<string[]> {
  const { runs } = await loadRuns(`${folder}/runs.csv`);
  const name = folder.replace(/\/+$/, "").split("/").pop();
  const meta = JSON.parse(await Deno.readTextFile(`${folder}/${name}.meta.json`)) as {
    sessions?: { started: string; updated: string }[];
  };
  const sessions = meta.sessions ?? [];
  const sitting = (run: MigrationRun) => {
    const at = String(run.extra.started_at ?? "");
    return sessions.findIndex((s) => s.started <= at && at <= s.updated);
  };
  const traces = new Map<MigrationRun, SweepTrace>();
  for (const run of runs) {
    if (run.method !== "kvm-precopy" || typeof run.extra.trace_file !== "string") continue;
    traces.set(run, await readSweepTrace(folder, run.extra.trace_file));
  }
  const c = syncCadence([...traces.values()]);
  return [
    `Exact counts: ${c.gaps} gaps under 0.5 s; gap = k x ${
      (c.chunkSeconds * 1000).toFixed(2)
    } ms + ${(c.syncStallSeconds * 1000).toFixed(2)} ms (se ${
      (c.syncStallStandardError * 1000).toFixed(2)
    } ms)`,
    "",
    ...readingLines(traces, sitting, sessions.length),
    "",
    ...syncCostLines([...traces.values()]),
    ...pauseLines(runs, traces, sitting, bandwidthBytesPerSecond),
  ];
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--bandwidth");
  const bandwidth = at < 0 ? 118_987_500 : Number(args.splice(at, 2)[1]);
  if (!(bandwidth > 0)) {
    console.error("sync_stall_check: --bandwidth takes a number of bytes/s");
    Deno.exit(2);
  }
  const gridAt = args.indexOf("--grid");
  const grid = gridAt < 0 ? undefined : args.splice(gridAt, 2)[1];
  const folder = args[0] ?? "data/qemu-tcg-1gbit-downtime-limit";
  console.log((await syncStallLines(folder, bandwidth)).join("\n"));
  if (grid !== undefined) {
    // Guests alone (contention none), where one sync can find up to the whole memory dirty.
    const { runs } = await loadRuns(`${grid}/runs.csv`);
    const traces: SweepTrace[] = [];
    for (const run of runs) {
      if (run.method !== "kvm-precopy" || run.contention !== "none") continue;
      if (typeof run.extra.trace_file !== "string") continue;
      traces.push(await readSweepTrace(grid, run.extra.trace_file));
    }
    console.log(`\n${grid}, kvm-precopy, contention none:\n`);
    console.log(syncCostLines(traces).join("\n"));
  }
}
