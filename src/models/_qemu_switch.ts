// QEMU's pre-copy switch decision (migration/migration.c, migration/ram.c at
// v10.0.0), as a per-sync recurrence over the dirty bitmap. Shared by
// kvmPrecopy() and sweep(); inputs are assumed valid.
//
// The bitmap is a short list of intervals over the scan order (pages, in
// order: the working set, the rest of the normal memory, the zero pages, then
// `tailBytes` of normal memory), each with the fraction of its pages that are
// dirty. Between two bitmap syncs nothing changes but the sender's cursor, so
// the model jumps from sync to sync: the number of ~50 ms chunks until the
// cheap estimate falls to the threshold is found by walking the intervals,
// and the guest's writes since the last sync are added at the sync in closed
// form (an arc of the working set for a sweep, a uniform fraction for random
// writes). No chunk is simulated one by one.

/** Bytes a normal page costs on the wire: the page plus an 8-byte header. */
export const PAGE_HEADER_BYTES = 8;
/** Bytes a zero page costs on the wire (offset with the zero flag, one byte). */
export const ZERO_PAGE_WIRE_BYTES = 9;

/** Stop reasons of the QEMU rule, by code. */
export const QEMU_STOP_REASONS: readonly ["converged", "timeout", "max-syncs"] = [
  "converged",
  "timeout",
  "max-syncs",
];

/** Checked inputs and options of one configuration. */
export interface QemuSwitchInput {
  memoryBytes: number;
  wssBytes: number;
  dirtyPagesPerSecond: number;
  bandwidthBytesPerSecond: number;
  pageBytes: number;
  zeroBytes: number;
  tailBytes: number;
  downtimeLimitSeconds: number;
  timeoutSeconds: number;
  maxBitmapSyncs: number;
  random: boolean;
  chunkSeconds: number;
  bandwidthWindowSeconds: number;
  socketBufferBytes: number;
}

/** Scratch output, reused across calls by sweep(). */
export interface QemuSwitchOutput {
  /** Index into QEMU_STOP_REASONS. */
  stopCode: number;
  /** Seconds of pre-copy until the stop (or until it gave up). */
  precopyTimeSeconds: number;
  /** The pause: the wire bytes left at the stop over B. */
  downtimeSeconds: number;
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
}

/** The interval list: parallel typed arrays, sorted by start, disjoint; `n` in use. */
interface Bitmap {
  n: number;
  start: Float64Array;
  end: Float64Array;
  /** Fraction of the interval's pages that are dirty, in (0, 1]. */
  dense: Float64Array;
  /** 1 when the interval holds zero pages (9 wire bytes each). */
  zero: Uint8Array;
}

function newBitmap(capacity: number): Bitmap {
  return {
    n: 0,
    start: new Float64Array(capacity),
    end: new Float64Array(capacity),
    dense: new Float64Array(capacity),
    zero: new Uint8Array(capacity),
  };
}

/** Makes room for `n` intervals, keeping the first `keep`. */
function reserve(map: Bitmap, n: number, keep: number): void {
  if (n <= map.start.length) return;
  const grown = newBitmap(Math.max(n, 2 * map.start.length));
  grown.start.set(map.start.subarray(0, keep));
  grown.end.set(map.end.subarray(0, keep));
  grown.dense.set(map.dense.subarray(0, keep));
  grown.zero.set(map.zero.subarray(0, keep));
  map.start = grown.start;
  map.end = grown.end;
  map.dense = grown.dense;
  map.zero = grown.zero;
}

// Two interval lists reused across calls: the bitmap and a scratch to rebuild it into.
let MAP = newBitmap(64);
let SCRATCH = newBitmap(64);

/** Creates the scratch output of {@linkcode qemuSwitch}. */
export function newQemuOutput(): QemuSwitchOutput {
  return {
    stopCode: 0,
    precopyTimeSeconds: 0,
    downtimeSeconds: 0,
    transferredBytes: 0,
    remainingBytes: 0,
    stopAndCopyBytes: 0,
    bitmapSyncs: 0,
    rounds: 0,
  };
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
  const { pageBytes, bandwidthBytesPerSecond: b, chunkSeconds } = input;
  const totalPages = input.memoryBytes / pageBytes;
  const wssPages = input.wssBytes / pageBytes;
  const zeroPages = input.zeroBytes / pageBytes;
  const tailPages = Math.max(
    0,
    Math.min(input.tailBytes / pageBytes, totalPages - wssPages - zeroPages),
  );
  const normalWire = pageBytes + PAGE_HEADER_BYTES;
  const limitPages = (b * input.downtimeLimitSeconds) / pageBytes;
  // QEMU's first bandwidth window also counts the bytes the socket buffer took at once.
  const firstWindow = input.bandwidthWindowSeconds;
  const secondWindow = 2 * firstWindow;
  const firstLimitPages = firstWindow > 0
    ? ((b + input.socketBufferBytes / firstWindow) * input.downtimeLimitSeconds) / pageBytes
    : limitPages;
  const cyclePages = wssPages;
  const pagesPerSecond = input.dirtyPagesPerSecond;
  const chunkWire = b * chunkSeconds;
  let map = MAP;
  map.n = 0;
  const zeroStart = totalPages - tailPages - zeroPages;
  push(map, 0, wssPages, 1, 0);
  push(map, wssPages, zeroStart, 1, 0);
  push(map, zeroStart, zeroStart + zeroPages, 1, 1);
  push(map, zeroStart + zeroPages, totalPages, 1, 0);
  let cursor = 0;
  let time = 0;
  let sent = 0;
  let lastSync = 0;
  let syncs = 1; // the setup sync
  let exactCounts = 0;
  let roundStart = 0;
  let roundSent = 0;
  // The last exact counts and the seconds between them, to stop at a repeating state.
  const counts = COUNTS;
  const gaps = GAPS;
  let previousSync = 0;
  for (;;) {
    // Chunks until the estimate is at or below the threshold: none before the first
    // window ends, one chunk at a time while the first window's estimate holds.
    const pending = dirtyPages(map);
    const totalWire = wireOf(map, normalWire);
    let wire: number;
    if (totalWire <= chunkWire) {
      wire = totalWire; // the chunk ends when the bitmap is empty
    } else if (time + chunkSeconds < secondWindow - 1e-9) {
      wire = chunkWire;
    } else {
      const needWire = wireToRemove(map, cursor, pending - limitPages, normalWire);
      const chunks = Math.max(1, Math.ceil(needWire / chunkWire - 1e-12));
      wire = Math.min(totalWire, chunks * chunkWire);
    }
    const seconds = wire / b;
    if (time + seconds > input.timeoutSeconds) {
      const partial = (input.timeoutSeconds - time) * b;
      cursor = consume(map, cursor, partial, normalWire);
      sent += partial;
      return gaveUp(out, map, 1, input.timeoutSeconds, sent, syncs, exactCounts, input);
    }
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
    if (estimate > threshold * (1 + 1e-12) + 1e-9) continue;
    // The exact count: sync the guest's writes since the last sync into the bitmap.
    if (wssPages > 0 && pagesPerSecond > 0) {
      const written = pagesPerSecond * (time - lastSync);
      map = input.random
        ? addUniform(map, wssPages, 1 - Math.exp(-written / wssPages))
        : addArc(map, (pagesPerSecond * lastSync) % cyclePages, written, cyclePages);
    }
    lastSync = time;
    syncs += 1;
    exactCounts += 1;
    if (rounds) rounds.push({ seconds: time - roundStart, bytes: roundSent });
    roundStart = time;
    roundSent = 0;
    const exact = dirtyPages(map);
    if (exact === 0 || exact < threshold) {
      const pauseWire = wireOf(map, normalWire);
      out.stopCode = 0;
      out.precopyTimeSeconds = time;
      out.downtimeSeconds = pauseWire / b;
      out.transferredBytes = sent + pauseWire;
      out.remainingBytes = exact * pageBytes;
      out.stopAndCopyBytes = pauseWire;
      out.bitmapSyncs = syncs + 1; // completion syncs once more
      out.rounds = exactCounts;
      return out;
    }
    if (syncs >= input.maxBitmapSyncs) {
      return gaveUp(out, map, 2, time, sent, syncs, exactCounts, input);
    }
    const slot = exactCounts % STEADY_WINDOW;
    counts[slot] = exact;
    gaps[slot] = time - previousSync;
    previousSync = time;
    if (exactCounts >= STEADY_WINDOW && repeats(counts, gaps, slot)) {
      // The counts and their spacing repeat: the same state comes back and never
      // falls below the threshold, so the migration runs until the timeout.
      return gaveUp(
        out,
        map,
        1,
        input.timeoutSeconds,
        sent,
        syncs,
        exactCounts,
        input,
        input.timeoutSeconds - time,
      );
    }
  }
}

/** Fills `out` for a migration that gave up at `at` (sending on for `moreSeconds`). */
function gaveUp(
  out: QemuSwitchOutput,
  map: Bitmap,
  code: number,
  at: number,
  sent: number,
  syncs: number,
  exactCounts: number,
  input: QemuSwitchInput,
  moreSeconds = 0,
): QemuSwitchOutput {
  const b = input.bandwidthBytesPerSecond;
  const pauseWire = wireOf(map, input.pageBytes + PAGE_HEADER_BYTES);
  out.stopCode = code;
  out.precopyTimeSeconds = at;
  out.downtimeSeconds = pauseWire / b;
  out.transferredBytes = sent + moreSeconds * b;
  out.remainingBytes = dirtyPages(map) * input.pageBytes;
  out.stopAndCopyBytes = pauseWire;
  out.bitmapSyncs = syncs;
  out.rounds = exactCounts;
  return out;
}

/** Exact counts kept to find a repeating state (periods up to half of it). */
const STEADY_WINDOW = 16;
const COUNTS = new Float64Array(STEADY_WINDOW);
const GAPS = new Float64Array(STEADY_WINDOW);

/**
 * Whether the last exact counts and the gaps between them repeat with a
 * period of 1 to STEADY_WINDOW / 2 syncs, twice over (relative 1e-9).
 */
function repeats(counts: Float64Array, gaps: Float64Array, slot: number): boolean {
  const n = STEADY_WINDOW;
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  for (let period = 1; period <= n / 2; period++) {
    let ok = true;
    for (let j = 0; j < period && ok; j++) {
      const now = (slot - j + 2 * n) % n;
      const before = (slot - j - period + 2 * n) % n;
      ok = same(counts[now]!, counts[before]!) && same(gaps[now]!, gaps[before]!);
    }
    if (ok) return true;
  }
  return false;
}

function push(map: Bitmap, start: number, end: number, dense: number, zero: number): void {
  if (!(end > start) || !(dense > 0)) return;
  reserve(map, map.n + 1, map.n);
  const i = map.n++;
  map.start[i] = start;
  map.end[i] = end;
  map.dense[i] = dense;
  map.zero[i] = zero;
}

function insertAt(map: Bitmap, i: number, start: number, end: number, dense: number, zero: number) {
  reserve(map, map.n + 1, map.n);
  map.start.copyWithin(i + 1, i, map.n);
  map.end.copyWithin(i + 1, i, map.n);
  map.dense.copyWithin(i + 1, i, map.n);
  map.zero.copyWithin(i + 1, i, map.n);
  map.start[i] = start;
  map.end[i] = end;
  map.dense[i] = dense;
  map.zero[i] = zero;
  map.n++;
}

function removeAt(map: Bitmap, i: number): void {
  map.start.copyWithin(i, i + 1, map.n);
  map.end.copyWithin(i, i + 1, map.n);
  map.dense.copyWithin(i, i + 1, map.n);
  map.zero.copyWithin(i, i + 1, map.n);
  map.n--;
}

/** Replaces MAP by SCRATCH (after a rebuild into it); returns the new MAP. */
function swap(): Bitmap {
  const built = SCRATCH;
  SCRATCH = MAP;
  MAP = built;
  return built;
}

function dirtyPages(map: Bitmap): number {
  let pages = 0;
  for (let i = 0; i < map.n; i++) pages += (map.end[i]! - map.start[i]!) * map.dense[i]!;
  return pages;
}

function wireOf(map: Bitmap, normalWire: number): number {
  let wire = 0;
  for (let i = 0; i < map.n; i++) {
    const pages = (map.end[i]! - map.start[i]!) * map.dense[i]!;
    wire += pages * (map.zero[i] ? ZERO_PAGE_WIRE_BYTES : normalWire);
  }
  return wire;
}

/**
 * The interval the sender reaches next from `cursor`: the first that ends
 * after it, or -1 when nothing dirty lies after it (the scan wraps to 0).
 */
function next(map: Bitmap, cursor: number): number {
  for (let i = 0; i < map.n; i++) if (map.end[i]! > cursor) return i;
  return -1;
}

/** Wire bytes the sender spends, from the cursor on, to clear `pages` dirty pages (or all). */
function wireToRemove(map: Bitmap, cursor: number, pages: number, normalWire: number): number {
  const n = map.n;
  if (n === 0 || !(pages > 0)) return 0;
  let first = next(map, cursor);
  let at = cursor;
  if (first < 0) first = 0, at = 0;
  let wire = 0;
  let left = pages;
  for (let k = 0; k <= n; k++) {
    const i = (first + k) % n;
    // The first interval is visited twice: from the cursor on, and at the end its part before.
    const from = k === 0 ? Math.max(map.start[i]!, at) : map.start[i]!;
    const to = k === n ? Math.min(at, map.end[i]!) : map.end[i]!;
    const have = Math.max(0, to - from) * map.dense[i]!;
    const cost = map.zero[i] ? ZERO_PAGE_WIRE_BYTES : normalWire;
    if (have >= left) return wire + left * cost;
    wire += have * cost;
    left -= have;
  }
  return wire;
}

/** Sends `wire` bytes of dirty pages from the cursor on; returns the new cursor. */
function consume(map: Bitmap, cursor: number, wire: number, normalWire: number): number {
  let left = wire;
  let at = cursor;
  for (let guard = 4 * map.n + 4; left > 0 && map.n > 0 && guard > 0; guard--) {
    let i = next(map, at);
    if (i < 0) i = 0, at = 0;
    const start = map.start[i]!;
    const end = map.end[i]!;
    const from = Math.max(start, at);
    const perPage = map.dense[i]! * (map.zero[i] ? ZERO_PAGE_WIRE_BYTES : normalWire);
    const have = (end - from) * perPage;
    if (have > left) {
      const to = from + left / perPage;
      if (from > start) {
        // [start, from) stays dirty behind the cursor; [from, to) is sent.
        insertAt(map, i + 1, to, end, map.dense[i]!, map.zero[i]!);
        map.end[i] = from;
      } else {
        map.start[i] = to;
      }
      return to;
    }
    left -= have;
    if (from > start) map.end[i] = from;
    else removeAt(map, i);
    at = end;
  }
  return at;
}

/** Marks the arc of `length` pages from `from` (mod `cycle`) within [0, cycle) fully dirty. */
function addArc(map: Bitmap, from: number, length: number, cycle: number): Bitmap {
  if (length >= cycle) return paint(map, 0, cycle);
  const to = from + length;
  if (to <= cycle) return paint(map, from, to);
  return paint(paint(map, from, cycle), 0, to - cycle);
}

/** Sets [a, b) to fully dirty, merging with what it overlaps; returns the rebuilt list. */
function paint(map: Bitmap, a: number, b: number): Bitmap {
  if (!(b > a)) return map;
  const out = SCRATCH;
  out.n = 0;
  let placed = false;
  for (let i = 0; i < map.n; i++) {
    const s = map.start[i]!;
    const e = map.end[i]!;
    const d = map.dense[i]!;
    const z = map.zero[i]!;
    if (e <= a || s >= b) {
      if (!placed && s >= b) push(out, a, b, 1, 0), placed = true;
      push(out, s, e, d, z);
      continue;
    }
    if (s < a) push(out, s, a, d, z);
    if (!placed) push(out, a, b, 1, 0), placed = true;
    if (e > b) push(out, b, e, d, z);
  }
  if (!placed) push(out, a, b, 1, 0);
  return swap();
}

/**
 * Each page of [0, wss) is written with probability q since the last sync:
 * dense += (1 - dense)·q; returns the rebuilt list.
 */
function addUniform(map: Bitmap, wss: number, q: number): Bitmap {
  if (!(q > 0)) return map;
  const out = SCRATCH;
  out.n = 0;
  let at = 0; // the part of [0, wss) covered so far
  for (let i = 0; i < map.n; i++) {
    const s = map.start[i]!;
    const e = map.end[i]!;
    if (s >= wss) {
      if (at < wss) push(out, at, wss, q, 0);
      at = wss;
      push(out, s, e, map.dense[i]!, map.zero[i]!);
      continue;
    }
    if (s > at) push(out, at, s, q, 0);
    const d = map.dense[i]!;
    push(out, s, e, d + (1 - d) * q, map.zero[i]!);
    at = e;
  }
  if (at < wss) push(out, at, wss, q, 0);
  return swap();
}
