// Private: the sweep writer's stop under QEMU's scattering bandwidth reading,
// on the bitmap (_qemu_switch.ts keeps the state before each jump here; at the
// deterministic stop, scatterStop replays the jump's last checks and sends the
// stopped bitmap on, as far as the reading table reaches, and moves the stop
// to its expected place: _stop_reading.ts).
import {
  type Bitmap,
  consume,
  copyBitmap,
  dirtyPages,
  newBitmap,
  PAGE_HEADER_BYTES,
  wireOf,
} from "./_dirty_bitmap.ts";
import type { QemuSwitchInput, QemuSwitchOutput } from "./_qemu_switch.ts";
import { expectedEarlyChecks } from "./_stop_reading.ts";

/**
 * The deterministic stop: its exact count and the estimate before that sync
 * (pages), its time, B x limit (pages) and the checks of the jump it ended.
 */
export interface StopAt {
  exact: number;
  estimate: number;
  time: number;
  limitPages: number;
  jumpChecks: number;
}

/** The bitmap and cursor at the start of the last jump, for earlyStop. */
const JUMP_START = newBitmap(64);
let jumpCursor = 0;

/** Keeps the bitmap and cursor before a jump, for scatterStop (a sweep writer with a reading table). */
export function saveJumpStart(map: Bitmap, cursor: number, input: QemuSwitchInput): void {
  if (input.bandwidthReading.deviations.length < 2) return;
  copyBitmap(JUMP_START, map);
  jumpCursor = cursor;
}

/**
 * A sweep writer's stop under the scattering reading: the expected checks
 * it comes early (negative: late) and the expected excess of the count it
 * stops at over B x limit. The counts at the checks before the stop
 * are the last jump's, replayed chunk by chunk from its start within the
 * band the reading table reaches (each with the writes the stop's exact
 * count found), the ones after it the stopped bitmap's, sent on.
 */
function earlyStop(
  map: Bitmap,
  cursor: number,
  at: StopAt,
  input: QemuSwitchInput,
): { checks: number; excess: number } {
  const { exact, limitPages, jumpChecks } = at;
  const table = input.bandwidthReading;
  const normalWire = input.pageBytes + PAGE_HEADER_BYTES;
  const chunkWire = input.bandwidthBytesPerSecond * input.chunkSeconds;
  const pagesPerCheck = chunkWire / normalWire;
  const top = table.deviations[table.deviations.length - 1]!;
  // Checks after QEMU's second window, within the jump, where a reading in the table can stop it
  // (a check j before holds at least j chunks of normal pages more).
  const checksBefore = Math.min(
    jumpChecks - 1,
    Math.floor((at.time - 2 * input.bandwidthWindowSeconds) / input.chunkSeconds + 1e-9),
    Math.floor(((1 + top) * limitPages - exact) / pagesPerCheck),
  );
  if (checksBefore > 0) {
    BEFORE = room(BEFORE, checksBefore + 1);
    const dirt = exact - at.estimate;
    let c = consume(JUMP_START, jumpCursor, (jumpChecks - checksBefore) * chunkWire, normalWire);
    for (let j = checksBefore; j >= 1; j--) {
      BEFORE[j] = (dirtyPages(JUMP_START) + dirt) / limitPages - 1;
      c = consume(JUMP_START, c, chunkWire, normalWire);
    }
  }
  // Past the stop the stopped bitmap is sent on, chunk by chunk, as far as asked.
  AFTER[0] = exact / limitPages - 1;
  let after = 0;
  let afterCursor = cursor;
  const excess = (j: number): number => {
    if (j > 0) return BEFORE[j]!;
    while (after < -j) {
      if (wireOf(map, normalWire) <= 0) return Number.NaN;
      afterCursor = consume(map, afterCursor, chunkWire, normalWire);
      after += 1;
      AFTER = room(AFTER, after + 1);
      AFTER[after] = dirtyPages(map) / limitPages - 1;
    }
    return AFTER[-j]!;
  };
  return expectedEarlyChecks(excess, Math.max(0, checksBefore), table);
}

// earlyStop's excess at the checks before and after the stop, reused across calls.
let BEFORE = new Float64Array(64);
let AFTER = new Float64Array(64);
function room(array: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (n <= array.length) return array;
  const grown = new Float64Array(Math.max(n, 2 * array.length));
  grown.set(array);
  return grown;
}

/**
 * The deterministic stop in `out` (at a reading of B) moved to where the
 * scattering reading puts it on average.
 */
export function scatterStop(
  out: QemuSwitchOutput,
  map: Bitmap,
  cursor: number,
  at: StopAt,
  input: QemuSwitchInput,
): QemuSwitchOutput {
  if (input.bandwidthReading.deviations.length < 2) return out;
  const stop = earlyStop(map, cursor, at, input);
  return shiftStop(out, stop.checks, (1 + stop.excess) * at.limitPages, input);
}

/**
 * Moves a sweep writer's stop `early` checks earlier (negative: later), with
 * `pendingPages` left at it: the wire sent before it goes to the
 * stop-and-copy, the total stays.
 */
function shiftStop(
  out: QemuSwitchOutput,
  early: number,
  pendingPages: number,
  input: QemuSwitchInput,
): QemuSwitchOutput {
  if (early === 0) return out;
  const b = input.bandwidthBytesPerSecond;
  const chunkWire = b * input.chunkSeconds;
  const wire = Math.max(0, out.stopAndCopyBytes + early * chunkWire);
  const moved = wire - out.stopAndCopyBytes;
  out.precopyTimeSeconds -= moved / b;
  out.stopAndCopyBytes = wire;
  out.stopAndCopySeconds = wire / b;
  out.downtimeSeconds = input.switchoverSeconds + wire / b;
  out.remainingBytes = Math.max(0, pendingPages) * input.pageBytes;
  return out;
}
