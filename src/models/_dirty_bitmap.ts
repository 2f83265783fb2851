// The dirty bitmap of the QEMU rule (_qemu_switch.ts): a short list of
// intervals over QEMU's scan order, in pages, each with the fraction of its
// pages that are dirty, and the operations the sender and a sync apply to it.

/** Bytes a normal page costs on the wire: the page plus an 8-byte header. */
export const PAGE_HEADER_BYTES = 8;
/** Bytes a zero page costs on the wire (offset with the zero flag, one byte). */
export const ZERO_PAGE_WIRE_BYTES = 9;

/** The interval list: parallel typed arrays, sorted by start, disjoint; `n` in use. */
export interface Bitmap {
  n: number;
  start: Float64Array;
  end: Float64Array;
  /** Fraction of the interval's pages that are dirty, in (0, 1]. */
  dense: Float64Array;
  /** 1 when the interval holds zero pages (9 wire bytes each). */
  zero: Uint8Array;
}

export function newBitmap(capacity: number): Bitmap {
  return {
    n: 0,
    start: new Float64Array(capacity),
    end: new Float64Array(capacity),
    dense: new Float64Array(capacity),
    zero: new Uint8Array(capacity),
  };
}

/** Makes room for `n` intervals, keeping the first `keep`. */
export function reserve(map: Bitmap, n: number, keep: number): void {
  if (n <= map.start.length) return;
  const grown = newBitmap(Math.max(n, 2 * map.start.length));
  copyIntervals(grown, map, keep);
  map.start = grown.start;
  map.end = grown.end;
  map.dense = grown.dense;
  map.zero = grown.zero;
}

/** Makes `to` a copy of `from` (growing it when needed). */
export function copyBitmap(to: Bitmap, from: Bitmap): void {
  reserve(to, from.n, 0);
  copyIntervals(to, from, from.n);
  to.n = from.n;
}

/** Copies the first `n` intervals of `from` into `to`, which has room for them. */
function copyIntervals(to: Bitmap, from: Bitmap, n: number): void {
  to.start.set(from.start.subarray(0, n));
  to.end.set(from.end.subarray(0, n));
  to.dense.set(from.dense.subarray(0, n));
  to.zero.set(from.zero.subarray(0, n));
}

// Two interval lists reused across calls: the bitmap and a scratch to rebuild it into.
let MAP = newBitmap(64);
let SCRATCH = newBitmap(64);

/** Slices the spread zero pages are laid out in, one block at the start of each. */
export const SPREAD_SLICES = 4;

/**
 * The bitmap at setup, all dirty, in scan order: the working set, the zero
 * pages scanned early (`earlyZeroPages` of the `zeroPages`), the rest of the
 * normal memory with `spreadZeroPages` spread through it (one block at the
 * start of each of SPREAD_SLICES slices), the other zero pages, the tail. It
 * is shared: one model run at a time uses it.
 */
export function firstPass(
  totalPages: number,
  wssPages: number,
  zeroPages: number,
  tailPages: number,
  earlyZeroPages = 0,
  spreadZeroPages = 0,
): Bitmap {
  const map = MAP;
  map.n = 0;
  const early = Math.min(earlyZeroPages, zeroPages);
  const spread = Math.min(spreadZeroPages, zeroPages - early);
  const topStart = totalPages - tailPages - (zeroPages - early - spread);
  push(map, 0, wssPages, 1, 0);
  push(map, wssPages, wssPages + early, 1, 1);
  const from = wssPages + early;
  const slice = (topStart - from) / SPREAD_SLICES;
  const block = spread / SPREAD_SLICES;
  if (!(block > 0)) push(map, from, topStart, 1, 0);
  else if (!(slice > block)) {
    // No room to spread them (the normal memory is all but gone): one block.
    push(map, from, from + spread, 1, 1);
    push(map, from + spread, topStart, 1, 0);
  } else {
    for (let k = 0; k < SPREAD_SLICES; k++) {
      const at = from + k * slice;
      push(map, at, at + block, 1, 1);
      push(map, at + block, k === SPREAD_SLICES - 1 ? topStart : at + slice, 1, 0);
    }
  }
  push(map, topStart, totalPages - tailPages, 1, 1);
  push(map, totalPages - tailPages, totalPages, 1, 0);
  return map;
}

export function push(map: Bitmap, start: number, end: number, dense: number, zero: number): void {
  if (!(end > start) || !(dense > 0)) return;
  reserve(map, map.n + 1, map.n);
  const i = map.n++;
  map.start[i] = start;
  map.end[i] = end;
  map.dense[i] = dense;
  map.zero[i] = zero;
}

export function insertAt(
  map: Bitmap,
  i: number,
  start: number,
  end: number,
  dense: number,
  zero: number,
) {
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

export function removeAt(map: Bitmap, i: number): void {
  map.start.copyWithin(i, i + 1, map.n);
  map.end.copyWithin(i, i + 1, map.n);
  map.dense.copyWithin(i, i + 1, map.n);
  map.zero.copyWithin(i, i + 1, map.n);
  map.n--;
}

/** Replaces MAP by SCRATCH (after a rebuild into it); returns the new MAP. */
export function swap(): Bitmap {
  const built = SCRATCH;
  SCRATCH = MAP;
  MAP = built;
  return built;
}

export function dirtyPages(map: Bitmap): number {
  let pages = 0;
  for (let i = 0; i < map.n; i++) pages += (map.end[i]! - map.start[i]!) * map.dense[i]!;
  return pages;
}

export function wireOf(map: Bitmap, normalWire: number): number {
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
export function next(map: Bitmap, cursor: number): number {
  for (let i = 0; i < map.n; i++) if (map.end[i]! > cursor) return i;
  return -1;
}

/** Wire bytes the sender spends, from the cursor on, to clear `pages` dirty pages (or all). */
export function wireToRemove(
  map: Bitmap,
  cursor: number,
  pages: number,
  normalWire: number,
): number {
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
export function consume(map: Bitmap, cursor: number, wire: number, normalWire: number): number {
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
export function addArc(map: Bitmap, from: number, length: number, cycle: number): Bitmap {
  if (length >= cycle) return paint(map, 0, cycle);
  const to = from + length;
  if (to <= cycle) return paint(map, from, to);
  return paint(paint(map, from, cycle), 0, to - cycle);
}

/** Sets [a, b) to fully dirty, merging with what it overlaps; returns the rebuilt list. */
export function paint(map: Bitmap, a: number, b: number): Bitmap {
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
export function addUniform(map: Bitmap, wss: number, q: number): Bitmap {
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
