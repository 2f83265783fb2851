// Private: the analyses of scripts/sync_stall_check.ts over a sweep's traces
// (the exact counts' cadence, QEMU's readings around syncs, the sending a
// sync costs by its newly dirty pages). Pure: the traces come parsed.
import { median, quantileSorted } from "../src/_stats.ts";
import type { SweepTrace } from "./_sweep_trace.ts";

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

/** Sending lost to a sync, by how many pages it found newly dirty. */
export interface SyncCostBin {
  /** The bin's pages: at least `fromPages`, below the next bin's. */
  fromPages: number;
  /** Sample intervals holding exactly one exact count in the bin. */
  intervals: number;
  /** Their median newly dirty pages (the rise of `remaining` plus the normal pages sent, per page). */
  medianPages: number;
  /** Median shortfall against the run's median rate, less that of intervals without a sync, seconds. */
  lostSeconds: number;
}

/**
 * Bins the sample intervals holding one exact count by the pages the sync
 * added, and gives the sending each bin lost against intervals without one.
 *
 * @param traces The runs' traces.
 * @param edges The bins' lower ends, pages, ascending.
 */
export function syncCostByDirtyPages(
  traces: readonly SweepTrace[],
  edges: readonly number[] = [0, 20_000, 100_000],
): SyncCostBin[] {
  const none: number[] = [];
  const found: { pages: number; lost: number }[] = [];
  for (const t of traces) {
    const stop = t.stopSeconds ?? Infinity;
    const rows: { n: number; dt: number; bytes: number; pages: number }[] = [];
    for (let i = 1; i < t.samples.length; i++) {
      const a = t.samples[i - 1]!, b = t.samples[i]!;
      const dt = b.timeSeconds - a.timeSeconds;
      if (a.timeSeconds < 0.35 || b.timeSeconds >= stop - 0.001 || dt < 0.1) continue;
      const bytes = b.transferredBytes - a.transferredBytes;
      const pages = (b.remainingBytes - a.remainingBytes + (bytes * 4096) / 4104) / 4096;
      const n = t.syncSeconds.slice(1).filter((s) => s > a.timeSeconds && s <= b.timeSeconds)
        .length;
      rows.push({ n, dt, bytes, pages });
    }
    if (rows.length === 0) continue;
    const rate = median(rows.map((r) => r.bytes / r.dt));
    for (const r of rows) {
      const lost = (rate * r.dt - r.bytes) / rate;
      if (r.n === 0) none.push(lost);
      else if (r.n === 1) found.push({ pages: r.pages, lost });
    }
  }
  const base = none.length > 0 ? median(none) : Number.NaN;
  return edges.map((from, i) => {
    const to = edges[i + 1] ?? Infinity;
    const bin = found.filter((f) => f.pages >= from && f.pages < to);
    return {
      fromPages: from,
      intervals: bin.length,
      medianPages: bin.length > 0 ? median(bin.map((f) => f.pages)) : Number.NaN,
      lostSeconds: bin.length > 0 ? median(bin.map((f) => f.lost)) - base : Number.NaN,
    };
  });
}
