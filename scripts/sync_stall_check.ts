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
//   deno run -A scripts/sync_stall_check.ts [FOLDER] [--bandwidth BYTES_PER_S]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit, B to 118,987,500
// bytes/s (951.9 Mbit/s, the B `reproduce` fits on qemu-tcg-1gbit/).
import { median, quantileSorted } from "../src/_stats.ts";
import { loadRuns } from "../src/data/load_runs.ts";
import type { MigrationRun } from "../src/data/types.ts";
import { switchRuleValidation } from "../src/analysis/switch_rule_validation.ts";
import { writePatternOf } from "../src/analysis/_sweep_runs.ts";
import { readSweepTrace, type SweepTrace } from "./_sweep_trace.ts";

/** The exact counts' cadence: gap = chunks x chunkSeconds + syncStallSeconds. */
export interface SyncCadence {
  /** Gaps between consecutive exact counts used (under 0.5 s). */
  gaps: number;
  /** The fitted length of one chunk (one check), seconds. */
  chunkSeconds: number;
  /** The fitted intercept: what a sync adds to a gap, seconds. */
  syncStallSeconds: number;
  /** Its standard error, seconds. */
  syncStallStandardError: number;
}

/**
 * Fits the gaps between consecutive exact counts (the syncs after the setup
 * sync and before the stop) as k whole chunks plus one sync: k from a first
 * chunk length (the median gap under 75 ms), then least squares.
 *
 * @param traces The runs' traces.
 */
export function syncCadence(traces: readonly SweepTrace[]): SyncCadence {
  const gaps: number[] = [];
  for (const t of traces) {
    const exact = t.syncSeconds.slice(1).filter((s) =>
      t.stopSeconds === undefined || s <= t.stopSeconds
    );
    for (let i = 1; i < exact.length; i++) {
      const gap = exact[i]! - exact[i - 1]!;
      if (gap > 0 && gap < 0.5) gaps.push(gap);
    }
  }
  const first = median(gaps.filter((g) => g < 0.075));
  const ks = gaps.map((g) => Math.max(1, Math.round(g / first)));
  const n = gaps.length;
  const mk = ks.reduce((a, b) => a + b, 0) / n;
  const mg = gaps.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (ks[i]! - mk) ** 2;
    sxy += (ks[i]! - mk) * (gaps[i]! - mg);
  }
  const chunkSeconds = sxy / sxx;
  const syncStallSeconds = mg - chunkSeconds * mk;
  const residual = gaps.reduce(
    (a, g, i) => a + (g - syncStallSeconds - chunkSeconds * ks[i]!) ** 2,
    0,
  );
  const variance = residual / (n - 2);
  return {
    gaps: n,
    chunkSeconds,
    syncStallSeconds,
    syncStallStandardError: Math.sqrt(variance * (1 / n + (mk * mk) / sxx)),
  };
}

/** QEMU's window readings of a group of samples. */
export interface ReadingSummary {
  samples: number;
  /** Median reading, bytes/s. */
  medianBytesPerSecond: number;
  /** Share below 105 MB/s. */
  lowShare: number;
  /** Share above 125 MB/s. */
  highShare: number;
}

function summarise(readings: number[]): ReadingSummary {
  const sorted = [...readings].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    medianBytesPerSecond: sorted.length > 0 ? quantileSorted(sorted, 0.5) : Number.NaN,
    lowShare: sorted.filter((r) => r < 105e6).length / sorted.length,
    highShare: sorted.filter((r) => r > 125e6).length / sorted.length,
  };
}

/** The readings split by syncs, and the bytes a sync costs per sample interval. */
export interface ReadingsBySync {
  /** No sync in the reading's window nor in the one before. */
  neither: ReadingSummary;
  /** A sync in the reading's window (the stall would make it read low). */
  syncInWindow: ReadingSummary;
  /** A sync only in the window before (the refill would make it read high). */
  syncBefore: ReadingSummary;
  /** Readings above 125 MB/s whose earlier window (from the bytes) ran below 110 MB/s, share. */
  highAfterSlowShare: number;
  /** The same for earlier windows at 115 MB/s or more. */
  highAfterSteadyShare: number;
  /**
   * Sending lost to one sync, seconds: the median shortfall (against the
   * run's median rate) of the sample intervals holding one sync, less that of
   * the intervals holding none (medians: the host's own stalls are rarer and
   * longer).
   */
  lostPerSyncSeconds: number;
}

/**
 * Splits the active samples after the first 0.35 s and before the stop by
 * where the syncs fall (windows taken as the 0.105 s before the sample and the
 * 0.105 s before that), and compares the sample intervals' shortfall
 * against the run's median rate with one sync inside and with none.
 *
 * @param traces The runs' traces.
 */
export function readingsBySync(traces: readonly SweepTrace[]): ReadingsBySync {
  const groups = {
    neither: [] as number[],
    syncInWindow: [] as number[],
    syncBefore: [] as number[],
  };
  let highSlow = 0, slow = 0, highSteady = 0, steady = 0;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const t of traces) {
    const stop = t.stopSeconds ?? Infinity;
    const syncs = t.syncSeconds.slice(1);
    const count = (from: number, to: number) => syncs.filter((s) => s > from && s <= to).length;
    const rows: { n: number; dt: number; bytes: number }[] = [];
    for (let i = 1; i < t.samples.length; i++) {
      const a = t.samples[i - 1]!, b = t.samples[i]!;
      const dt = b.timeSeconds - a.timeSeconds;
      if (a.timeSeconds < 0.35 || b.timeSeconds >= stop - 0.001 || dt < 0.1) continue;
      const reading = b.readingBytesPerSecond;
      const inWindow = count(b.timeSeconds - 0.105, b.timeSeconds) > 0;
      const before = count(b.timeSeconds - 0.21, b.timeSeconds - 0.105) > 0;
      (inWindow ? groups.syncInWindow : before ? groups.syncBefore : groups.neither).push(reading);
      const earlier = (b.transferredBytes - a.transferredBytes - 0.1 * reading) / (dt - 0.1);
      if (earlier < 110e6) {
        slow++;
        if (reading > 125e6) highSlow++;
      } else if (earlier >= 115e6) {
        steady++;
        if (reading > 125e6) highSteady++;
      }
      rows.push({
        n: count(a.timeSeconds, b.timeSeconds),
        dt,
        bytes: b.transferredBytes - a.transferredBytes,
      });
    }
    if (rows.length === 0) continue;
    const rate = median(rows.map((r) => r.bytes / r.dt));
    for (const r of rows) {
      xs.push(r.n);
      ys.push((rate * r.dt - r.bytes) / rate);
    }
  }
  const one = ys.filter((_, i) => xs[i] === 1);
  const none = ys.filter((_, i) => xs[i] === 0);
  return {
    neither: summarise(groups.neither),
    syncInWindow: summarise(groups.syncInWindow),
    syncBefore: summarise(groups.syncBefore),
    highAfterSlowShare: highSlow / slow,
    highAfterSteadyShare: highSteady / steady,
    lostPerSyncSeconds: one.length > 0 && none.length > 0 ? median(one) - median(none) : Number.NaN,
  };
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
 * @param folder A sweep's dataset folder (runs.csv, runs.meta.json, traces/).
 * @param bandwidthBytesPerSecond B for the model's pauses, bytes/s.
 */
export async function syncStallLines(
  folder: string,
  bandwidthBytesPerSecond: number,
): Promise<string[]> {
  const { runs } = await loadRuns(`${folder}/runs.csv`);
  const meta = JSON.parse(await Deno.readTextFile(`${folder}/runs.meta.json`)) as {
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
  const folder = args[0] ?? "data/qemu-tcg-1gbit-downtime-limit";
  console.log((await syncStallLines(folder, bandwidth)).join("\n"));
}
