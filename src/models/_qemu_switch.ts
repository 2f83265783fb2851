// QEMU's pre-copy switch decision (migration/migration.c, migration/ram.c at
// v10.0.0), as a per-sync recurrence over the dirty bitmap. Shared by
// kvmPrecopy() and sweep(); inputs are assumed valid.
//
// The bitmap is a short list of intervals over the scan order (pages, in
// order: the working set, the zero pages scanned first, the rest of the normal
// memory with some zero pages spread through it, the other zero pages, then
// `tailBytes` of normal memory), each with the fraction of its pages that are
// dirty. Between two bitmap syncs nothing changes but the sender's cursor, so
// the model jumps from sync to sync: the number of ~50 ms chunks until the
// cheap estimate falls to the threshold is found by walking the intervals,
// and the guest's writes since the last sync are added at the sync in closed
// form (an arc of the working set for a sweep, a uniform fraction for random
// writes). No chunk is simulated one by one. For random writes the switch is a
// chance per exact count (_random_convergence.ts): the bitmap follows the
// writer's mean, and the model converges when the chance of switching by the
// timeout is at least one half.

import type { ResolvedInput } from "./_input.ts";
import {
  addArc,
  addUniform,
  type Bitmap,
  consume,
  dirtyPages,
  firstPass,
  PAGE_HEADER_BYTES,
  wireOf,
  wireToRemove,
} from "./_dirty_bitmap.ts";
import type { ReadingTable } from "./_stop_reading.ts";
import { saveJumpStart, scatterStop } from "./_early_stop.ts";
import {
  addSync,
  type ConvergenceTally,
  newPagesVariance,
  newTally,
  SURVIVE_FLOOR,
  switchChance,
} from "./_random_convergence.ts";

/** Stop reasons of the QEMU rule, by code. */
export const QEMU_STOP_REASONS: readonly ["converged", "timeout", "max-syncs"] = [
  "converged",
  "timeout",
  "max-syncs",
];

/** Checked inputs and options of one configuration. */
export interface QemuSwitchInput extends ResolvedInput {
  tailBytes: number;
  /** The share of the zero pages scanned first (right after the working set). */
  earlyZeroFraction: number;
  /** The share of the zero pages spread through the rest of the normal memory. */
  spreadZeroFraction: number;
  /** The fixed part of the pause, seconds. */
  switchoverSeconds: number;
  downtimeLimitSeconds: number;
  timeoutSeconds: number;
  maxBitmapSyncs: number;
  random: boolean;
  chunkSeconds: number;
  bandwidthWindowSeconds: number;
  socketBufferBytes: number;
  /** Random writes: the relative sd of QEMU's bandwidth reading, which scales the threshold. */
  bandwidthReadingSpread: number;
  /** Sweep writes: the reading's quantiles, which move the stop (no levels: a reading of B). */
  bandwidthReading: ReadingTable;
}

/** Scratch output, reused across calls by sweep(). */
export interface QemuSwitchOutput {
  /** Index into QEMU_STOP_REASONS. */
  stopCode: number;
  /** Seconds of pre-copy until the stop (or until it gave up). */
  precopyTimeSeconds: number;
  /** The pause: the fixed switchover cost plus `stopAndCopySeconds`. */
  downtimeSeconds: number;
  /** The stop-and-copy: the wire bytes left at the stop over B, seconds. */
  stopAndCopySeconds: number;
  /** Wire bytes sent, the stop-and-copy included when it converged. */
  transferredBytes: number;
  /** Pending bytes at the stop, every page at pageBytes (zero pages too). */
  remainingBytes: number;
  /** Wire bytes of the stop-and-copy. */
  stopAndCopyBytes: number;
  /** Bitmap syncs, as QEMU's dirty-sync-count: setup, each exact count, completion. */
  bitmapSyncs: number;
  /** Exact counts that did not switch plus the one that did: the "rounds". */
  rounds: number;
  /**
   * The chance of switching by the timeout: 1 or 0 for a sweep, P = 1 -
   * prod(1 - q_i) for random writes (converged when at least 0.5; then the
   * times, bytes and syncs are their expected values given a switch).
   */
  convergenceProbability: number;
  /**
   * The lowest cheap estimate checked against the first window's threshold
   * (pages; Infinity when no check fell in it): a larger socket buffer syncs
   * there only if this is at or below its threshold.
   */
  firstWindowEstimatePages: number;
}

/** Creates the scratch output of {@linkcode qemuSwitch}. */
export function newQemuOutput(): QemuSwitchOutput {
  return {
    stopCode: 0,
    precopyTimeSeconds: 0,
    downtimeSeconds: 0,
    stopAndCopySeconds: 0,
    transferredBytes: 0,
    remainingBytes: 0,
    stopAndCopyBytes: 0,
    bitmapSyncs: 0,
    rounds: 0,
    convergenceProbability: 0,
    firstWindowEstimatePages: Infinity,
  };
}

/**
 * The threshold of the checks in the second 100 ms window, pages: QEMU's
 * first window's reading (B plus what the socket took at once,
 * `socketBufferBytes` over the window) times the limit.
 */
export function firstWindowLimitPages(input: QemuSwitchInput, socketBufferBytes: number): number {
  const reading = input.bandwidthBytesPerSecond +
    (input.bandwidthWindowSeconds > 0 ? socketBufferBytes / input.bandwidthWindowSeconds : 0);
  return (reading * input.downtimeLimitSeconds) / input.pageBytes;
}

/** The bitmap at the start of the first pass: every page dirty, zero pages where they lie. */
function startingMap(
  input: QemuSwitchInput,
  totalPages: number,
  wssPages: number,
  zeroPages: number,
): ReturnType<typeof firstPass> {
  const tailPages = Math.min(input.tailBytes / input.pageBytes, totalPages - wssPages - zeroPages);
  return firstPass(
    totalPages,
    wssPages,
    zeroPages,
    Math.max(0, tailPages),
    zeroPages * input.earlyZeroFraction,
    zeroPages * input.spreadZeroFraction,
  );
}

/**
 * Runs QEMU's decision for one configuration into `out`.
 *
 * @param rounds When given, the seconds and wire bytes between exact counts are pushed here.
 */
export function qemuSwitch(
  input: QemuSwitchInput,
  out: QemuSwitchOutput,
  rounds?: { seconds: number; bytes: number }[],
): QemuSwitchOutput {
  const { pageBytes, bandwidthBytesPerSecond: b, chunkSeconds, timeoutSeconds } = input;
  const totalPages = input.memoryBytes / pageBytes;
  const wssPages = input.wssBytes / pageBytes;
  const zeroPages = input.zeroBytes / pageBytes;
  const normalWire = pageBytes + PAGE_HEADER_BYTES;
  const limitPages = (b * input.downtimeLimitSeconds) / pageBytes;
  // QEMU's first bandwidth window also counts the bytes the socket buffer took at once.
  const firstWindow = input.bandwidthWindowSeconds;
  const secondWindow = 2 * firstWindow;
  const firstLimitPages = firstWindowLimitPages(input, input.socketBufferBytes);
  const pagesPerSecond = input.dirtyPagesPerSecond;
  const chunkWire = b * chunkSeconds;
  let map = startingMap(input, totalPages, wssPages, zeroPages);
  let cursor = 0;
  let time = 0;
  let sent = 0;
  let lastSync = 0;
  let syncs = 1; // the setup sync
  let exactCounts = 0;
  let roundSent = 0;
  // The last exact counts and the seconds between them, to stop at a repeating state.
  const counts = COUNTS;
  const gaps = GAPS;
  const tally = input.random ? newTally() : undefined;
  out.firstWindowEstimatePages = Infinity;
  for (;;) {
    // Chunks until the estimate is at or below the threshold: none before the first
    // window ends, one chunk at a time while the first window's estimate holds.
    const pending = dirtyPages(map);
    const totalWire = wireOf(map, normalWire);
    let wire: number;
    let jumpChecks = 0; // checks in this jump of full chunks, for the stop's timing
    if (totalWire <= chunkWire) {
      wire = totalWire; // the chunk ends when the bitmap is empty
    } else if (time + chunkSeconds < secondWindow - 1e-9) {
      wire = chunkWire;
    } else {
      const needWire = wireToRemove(map, cursor, pending - limitPages, normalWire);
      const chunks = Math.max(1, Math.ceil(needWire / chunkWire - 1e-12));
      wire = Math.min(totalWire, chunks * chunkWire);
      if (wire === chunks * chunkWire) jumpChecks = chunks;
    }
    const seconds = wire / b;
    if (time + seconds > timeoutSeconds) {
      const partial = (timeoutSeconds - time) * b;
      cursor = consume(map, cursor, partial, normalWire);
      sent += partial;
      return finish(out, map, 1, timeoutSeconds, sent, syncs, exactCounts, input, 0, tally);
    }
    if (jumpChecks > 0 && !input.random) saveJumpStart(map, cursor, input);
    cursor = consume(map, cursor, wire, normalWire);
    time += seconds;
    sent += wire;
    roundSent += wire;
    const estimate = dirtyPages(map);
    const threshold = time < firstWindow - 1e-9
      ? 0
      : time < secondWindow - 1e-9
      ? firstLimitPages
      : limitPages;
    if (time >= firstWindow - 1e-9 && time < secondWindow - 1e-9) {
      out.firstWindowEstimatePages = Math.min(out.firstWindowEstimatePages, estimate);
    }
    if (estimate > threshold * (1 + 1e-12) + 1e-9) continue;
    // The exact count: sync the guest's writes since the last sync into the bitmap.
    if (wssPages > 0 && pagesPerSecond > 0) map = syncWrites(map, input, lastSync, time, tally);
    const gap = time - lastSync;
    lastSync = time;
    syncs += 1;
    exactCounts += 1;
    if (rounds) rounds.push({ seconds: gap, bytes: roundSent });
    const exact = dirtyPages(map);
    const slot = exactCounts % STEADY_WINDOW;
    if (tally) {
      tallySync(tally, map, input, { exact, threshold, time, sent, syncs, exactCounts, slot });
      STEADY_SENT[slot] = roundSent;
      if (tally.survive < SURVIVE_FLOOR) {
        return finish(out, map, 0, time, sent, syncs + 1, exactCounts, input, 0, tally);
      }
    } else if (exact === 0 || exact < threshold) {
      // Completion syncs once more (nothing new: no time has passed) and sends the rest.
      finish(out, map, 0, time, sent, syncs + 1, exactCounts, input);
      // The reading scatters: the first window that reads high enough stops it.
      if (jumpChecks === 0 || threshold !== limitPages) return out;
      return scatterStop(
        out,
        map,
        cursor,
        { exact, estimate, time, limitPages, jumpChecks },
        input,
      );
    }
    roundSent = 0;
    if (syncs >= input.maxBitmapSyncs) {
      return finish(out, map, 2, time, sent, syncs, exactCounts, input, 0, tally);
    }
    counts[slot] = exact;
    gaps[slot] = gap;
    const period = exactCounts >= STEADY_WINDOW ? repeats(counts, gaps, slot) : 0;
    if (period > 0) {
      // The counts and their spacing repeat: the same state comes back and never
      // falls below the threshold, so the migration runs until the timeout.
      if (tally) repeatTally(tally, period, slot, time, sent, syncs, exactCounts, timeoutSeconds);
      const more = timeoutSeconds - time;
      return finish(out, map, 1, timeoutSeconds, sent, syncs, exactCounts, input, more, tally);
    }
  }
}

/**
 * Fills `out` at the stop (code 0: the stop-and-copy is sent) or when the
 * model gave up at `at` (sending on for `moreSeconds`).
 */
function finish(
  out: QemuSwitchOutput,
  map: Bitmap,
  code: number,
  at: number,
  sent: number,
  syncs: number,
  exactCounts: number,
  input: QemuSwitchInput,
  moreSeconds = 0,
  tally?: ConvergenceTally,
): QemuSwitchOutput {
  const b = input.bandwidthBytesPerSecond;
  const pauseWire = wireOf(map, input.pageBytes + PAGE_HEADER_BYTES);
  out.stopCode = code;
  out.precopyTimeSeconds = at;
  out.stopAndCopySeconds = pauseWire / b;
  out.downtimeSeconds = input.switchoverSeconds + pauseWire / b;
  out.transferredBytes = sent + moreSeconds * b + (code === 0 ? pauseWire : 0);
  out.remainingBytes = dirtyPages(map) * input.pageBytes;
  out.stopAndCopyBytes = pauseWire;
  out.bitmapSyncs = syncs;
  out.rounds = exactCounts;
  out.convergenceProbability = code === 0 ? 1 : 0;
  if (tally) {
    const chance = Math.min(1, tally.chance);
    out.convergenceProbability = chance;
    if (chance >= 0.5) {
      // Converged: the expected values given a switch (syncs rounded to whole ones).
      out.stopCode = 0;
      out.precopyTimeSeconds = tally.seconds / chance;
      out.stopAndCopyBytes = tally.stopWireBytes / chance;
      out.stopAndCopySeconds = out.stopAndCopyBytes / b;
      out.downtimeSeconds = input.switchoverSeconds + out.stopAndCopySeconds;
      out.transferredBytes = tally.sentBytes / chance;
      out.remainingBytes = (tally.remainingPages / chance) * input.pageBytes;
      out.bitmapSyncs = Math.round(tally.syncs / chance);
      out.rounds = Math.round(tally.exactCounts / chance);
    }
  }
  return out;
}

/** Random writes: the dirty pages of the working set [0, wss). */
function dirtyBelow(map: Bitmap, wss: number): number {
  let pages = 0;
  for (let i = 0; i < map.n && map.start[i]! < wss; i++) {
    pages += (Math.min(map.end[i]!, wss) - map.start[i]!) * map.dense[i]!;
  }
  return pages;
}

/**
 * The guest's writes since the last sync, from `from` to `to` seconds, into
 * the bitmap: an arc for a sweep, a uniform fraction for random writes (then
 * the variance of the new pages' count goes to `tally.variance`).
 */
function syncWrites(
  map: Bitmap,
  input: QemuSwitchInput,
  from: number,
  to: number,
  tally?: ConvergenceTally,
): Bitmap {
  const wssPages = input.wssBytes / input.pageBytes;
  const pagesPerSecond = input.dirtyPagesPerSecond;
  const written = pagesPerSecond * (to - from);
  if (!input.random) return addArc(map, (pagesPerSecond * from) % wssPages, written, wssPages);
  if (tally) {
    const p0 = Math.exp(-written / wssPages);
    const fresh = newPagesVariance(wssPages - dirtyBelow(map, wssPages), written, wssPages);
    tally.accumulated = p0 * p0 * tally.accumulated + fresh;
    tally.variance = tally.accumulated;
  }
  return addUniform(map, wssPages, 1 - Math.exp(-written / wssPages));
}

/** Random writes: adds one exact count's chance to switch, and keeps it for repeatTally. */
function tallySync(
  tally: ConvergenceTally,
  map: Bitmap,
  input: QemuSwitchInput,
  at: {
    exact: number;
    threshold: number;
    time: number;
    sent: number;
    syncs: number;
    exactCounts: number;
    slot: number;
  },
): void {
  const { exact, slot } = at;
  const { chance, shiftPages } = switchChance(
    exact,
    tally.variance,
    at.threshold,
    input.bandwidthReadingSpread,
  );
  tally.variance = 0;
  const normalWire = input.pageBytes + PAGE_HEADER_BYTES;
  const stopWire = wireOf(map, normalWire) + shiftPages * normalWire;
  const left = exact + shiftPages;
  addSync(tally, chance, at.time, at.syncs + 1, at.exactCounts, at.sent + stopWire, stopWire, left);
  STEADY_CHANCE[slot] = chance;
  STEADY_WIRE[slot] = stopWire;
  STEADY_LEFT[slot] = left;
}

/**
 * Random writes in a repeating state: the last `period` exact counts come
 * back, with their chances, until the timeout (or until the chance of not
 * having switched is spent). Arithmetic only: the bitmap is not touched.
 */
function repeatTally(
  tally: ConvergenceTally,
  period: number,
  slot: number,
  time: number,
  sent: number,
  syncs: number,
  exactCounts: number,
  timeoutSeconds: number,
): void {
  const n = STEADY_WINDOW;
  for (let m = 0; tally.survive >= SURVIVE_FLOOR; m++) {
    const at = (slot - period + 1 + (m % period) + 2 * n) % n;
    time += GAPS[at]!;
    if (time > timeoutSeconds) return;
    sent += STEADY_SENT[at]!;
    syncs += 1;
    exactCounts += 1;
    const wire = STEADY_WIRE[at]!;
    addSync(
      tally,
      STEADY_CHANCE[at]!,
      time,
      syncs + 1,
      exactCounts,
      sent + wire,
      wire,
      STEADY_LEFT[at]!,
    );
  }
}

/** Exact counts kept to find a repeating state (periods up to half of it). */
const STEADY_WINDOW = 16;
const COUNTS = new Float64Array(STEADY_WINDOW);
const GAPS = new Float64Array(STEADY_WINDOW);
// Random writes: each kept exact count's chance, wire and pages left at a stop, and the bytes sent before it.
const STEADY_CHANCE = new Float64Array(STEADY_WINDOW);
const STEADY_WIRE = new Float64Array(STEADY_WINDOW);
const STEADY_LEFT = new Float64Array(STEADY_WINDOW);
const STEADY_SENT = new Float64Array(STEADY_WINDOW);

/**
 * The period (1 to STEADY_WINDOW / 2 syncs) with which the last exact counts
 * and the gaps between them repeat, twice over (relative 1e-9); 0 if none.
 */
function repeats(counts: Float64Array, gaps: Float64Array, slot: number): number {
  const n = STEADY_WINDOW;
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  for (let period = 1; period <= n / 2; period++) {
    let ok = true;
    for (let j = 0; j < period && ok; j++) {
      const now = (slot - j + 2 * n) % n;
      const before = (slot - j - period + 2 * n) % n;
      ok = same(counts[now]!, counts[before]!) && same(gaps[now]!, gaps[before]!);
    }
    if (ok) return period;
  }
  return 0;
}
