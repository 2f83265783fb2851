// QEMU's pre-copy driven by Xen's stop rules (the collector's
// `xen-precopy-policy` method) as a per-round recurrence. Shared by
// qemuXenRules() and sweep(); inputs are assumed valid.
//
// Under a 1 ms downtime limit QEMU syncs its dirty bitmap only when the
// estimate falls below bandwidth x 1 ms, which is at the end of each pass: a
// round sends exactly what the guest wrote during the previous one (the
// paper's recurrence), on the wire (p + 8 bytes a page, zero pages 9 bytes in
// the first pass). The counts need no geometry; the bitmap's intervals
// (_dirty_bitmap.ts) are built only at a forced stop, to find what is left.

import {
  addArc,
  type Bitmap,
  consume,
  dirtyPages,
  firstPass,
  newBitmap,
  PAGE_HEADER_BYTES,
  wireOf,
  ZERO_PAGE_WIRE_BYTES,
} from "./_dirty_bitmap.ts";

/**
 * Stop reasons, by code, as the collector's `xen_stop_reason` names them:
 * QEMU's own switch under the small limit, then Xen's three rules.
 */
export const QEMU_XEN_STOP_REASONS: readonly [
  "qemu-1ms-limit",
  "transfer-limit",
  "few-dirty-pages",
  "max-iterations",
] = ["qemu-1ms-limit", "transfer-limit", "few-dirty-pages", "max-iterations"];

/** Checked inputs and options of one configuration. */
export interface QemuXenInput {
  memoryBytes: number;
  wssBytes: number;
  dirtyPagesPerSecond: number;
  bandwidthBytesPerSecond: number;
  pageBytes: number;
  zeroBytes: number;
  maxIterations: number;
  maxTransferFactor: number;
  minDirtyPages: number;
  downtimeLimitSeconds: number;
  pollSeconds: number;
  checkSeconds: number;
}

/** Scratch output, reused across calls by sweep(). */
export interface QemuXenOutput {
  /** Index into QEMU_XEN_STOP_REASONS. */
  stopCode: number;
  /** Seconds of pre-copy before the stop-and-copy. */
  precopyTimeSeconds: number;
  /** The stop-and-copy: its wire bytes over B. */
  downtimeSeconds: number;
  /** Wire bytes sent, the stop-and-copy included. */
  transferredBytes: number;
  /** Wire bytes of the stop-and-copy. */
  stopAndCopyBytes: number;
  /** Pending bytes at the stop, every page at pageBytes. */
  remainingBytes: number;
  /** Bitmap syncs, as QEMU's final `dirty-sync-count`. */
  bitmapSyncs: number;
  /** Passes begun, the one cut short by a forced stop included. */
  rounds: number;
}

/** Creates the scratch output of {@linkcode qemuXenRounds}. */
export function newQemuXenOutput(): QemuXenOutput {
  return {
    stopCode: 0,
    precopyTimeSeconds: 0,
    downtimeSeconds: 0,
    transferredBytes: 0,
    stopAndCopyBytes: 0,
    remainingBytes: 0,
    bitmapSyncs: 0,
    rounds: 0,
  };
}

const EMPTY: Bitmap = newBitmap(1);

/**
 * Runs the rounds of one configuration into `out`.
 *
 * @param rounds When given, each pass's seconds and wire bytes are pushed here.
 */
export function qemuXenRounds(
  input: QemuXenInput,
  out: QemuXenOutput,
  rounds?: { seconds: number; bytes: number }[],
): QemuXenOutput {
  const { bandwidthBytesPerSecond: b, pageBytes, dirtyPagesPerSecond: d } = input;
  const wire = pageBytes + PAGE_HEADER_BYTES;
  const wssPages = input.wssBytes / pageBytes;
  const totalPages = input.memoryBytes / pageBytes;
  const zeroPages = input.zeroBytes / pageBytes;
  // QEMU switches by itself below bandwidth x limit (fewer than one page counts as none).
  const ownPages = Math.max(1, (b * input.downtimeLimitSeconds) / pageBytes);
  const limitBytes = input.maxTransferFactor * input.memoryBytes;
  // A rule holds from some moment on; the next poll sees it half a poll later
  // on average, and QEMU takes the raised limit at its next threshold update.
  const delay = input.pollSeconds / 2 + input.checkSeconds / 2;
  let stopAt = Infinity;
  let stopCode = -1;
  if (input.maxIterations <= 1) stopAt = delay, stopCode = 3; // the setup sync counts
  let t = 0; // the last sync
  let sent = 0;
  let syncs = 1;
  let passes = 0;
  let roundWire = (totalPages - zeroPages) * wire + zeroPages * ZERO_PAGE_WIRE_BYTES;
  // The pass's arc of the working set (after the first), and the sender's cursor.
  let arcStart = 0;
  let arcPages = 0;
  let cursor = 0;
  for (;;) {
    const roundSeconds = roundWire / b;
    if (sent <= limitBytes && sent + roundWire > limitBytes) {
      const at = t + (limitBytes - sent) / b + delay;
      if (at < stopAt) stopAt = at, stopCode = 1;
    }
    passes += 1;
    if (stopAt < t + roundSeconds) {
      return forcedStop(
        input,
        out,
        passes,
        syncs,
        t,
        sent,
        stopAt,
        stopCode,
        arcStart,
        arcPages,
        cursor,
      );
    }
    if (rounds) rounds.push({ seconds: roundSeconds, bytes: roundWire });
    sent += roundWire;
    const start = t;
    if (passes > 1 && arcPages < wssPages) {
      cursor = nextCursor(cursor, arcStart, arcPages, wssPages);
    }
    t += roundSeconds;
    syncs += 1;
    const count = Math.min(wssPages, d * roundSeconds);
    if (count < ownPages) {
      return finish(out, 0, t, sent, count * wire, count * pageBytes, b, syncs + 1, passes);
    }
    if (syncs >= input.maxIterations && t + delay < stopAt) stopAt = t + delay, stopCode = 3;
    if (count < input.minDirtyPages && t + delay < stopAt) {
      // Fewer than the rule's pages stay pending only if QEMU does not switch next pass.
      const next = Math.min(wssPages, (d * count * wire) / b);
      if (next >= ownPages && next < input.minDirtyPages) stopAt = t + delay, stopCode = 2;
    }
    // The pass wrote an arc from the writer's position at its start (all of W when capped).
    arcStart = count < wssPages ? (d * start) % wssPages : 0;
    arcPages = count;
    roundWire = count * wire;
  }
}

/**
 * Where the sender's cursor is after a pass over the arc [start, start +
 * pages) of a working set of `cycle` pages, from `cursor`: a pass over the
 * whole set, or one that begins inside the arc, ends where it began; any
 * other ends at the arc's end.
 */
function nextCursor(cursor: number, start: number, pages: number, cycle: number): number {
  if (!(cycle > 0) || pages >= cycle) return cursor;
  const into = (cursor - start + cycle) % cycle;
  return into > 0 && into < pages ? cursor : (start + pages) % cycle;
}

/**
 * A forced stop at `stopAt` in the pass that began at `t`: what the pass has
 * not sent yet, with the guest's writes since `t`, is the stop-and-copy.
 */
function forcedStop(
  input: QemuXenInput,
  out: QemuXenOutput,
  passes: number,
  syncs: number,
  t: number,
  sent: number,
  stopAt: number,
  stopCode: number,
  arcStart: number,
  arcPages: number,
  cursor: number,
): QemuXenOutput {
  const { bandwidthBytesPerSecond: b, pageBytes, dirtyPagesPerSecond: d } = input;
  const wire = pageBytes + PAGE_HEADER_BYTES;
  const wssPages = input.wssBytes / pageBytes;
  const partial = (stopAt - t) * b;
  const written = Math.min(wssPages, d * (stopAt - t));
  let pending: number;
  if (passes > 1 && arcPages >= wssPages) {
    // A pass over the whole working set: where the writer is against the
    // sender is not known, so the pause is the mean over that phase of the
    // unsent pages together with the written ones.
    const unsent = wssPages - partial / wire;
    pending = unsent + written - (unsent * written) / wssPages;
  } else {
    let map: Bitmap;
    if (passes === 1) {
      map = firstPass(input.memoryBytes / pageBytes, wssPages, input.zeroBytes / pageBytes, 0);
      cursor = 0;
    } else {
      map = addArc(EMPTY, arcStart, arcPages, wssPages);
    }
    consume(map, cursor, partial, wire);
    if (written > 0) map = addArc(map, (d * t) % wssPages, written, wssPages);
    pending = dirtyPages(map);
    if (passes === 1) {
      // The first pass's unsent zero pages cost 9 bytes each.
      const pauseWire = wireOf(map, wire);
      return finish(
        out,
        stopCode,
        stopAt,
        sent + partial,
        pauseWire,
        pending * pageBytes,
        b,
        syncs + 2,
        passes,
      );
    }
  }
  const pauseWire = pending * wire;
  pending *= pageBytes;
  // The raised limit's exact count syncs once, completion once more.
  return finish(out, stopCode, stopAt, sent + partial, pauseWire, pending, b, syncs + 2, passes);
}

function finish(
  out: QemuXenOutput,
  code: number,
  at: number,
  sent: number,
  pauseWire: number,
  pendingBytes: number,
  b: number,
  syncs: number,
  passes: number,
): QemuXenOutput {
  out.stopCode = code;
  out.precopyTimeSeconds = at;
  out.downtimeSeconds = pauseWire / b;
  out.transferredBytes = sent + pauseWire;
  out.stopAndCopyBytes = pauseWire;
  out.remainingBytes = pendingBytes;
  out.bitmapSyncs = syncs;
  out.rounds = passes;
  return out;
}
