// Whether QEMU's first 100 ms window decides the stop, over the sittings a
// range of socket buffers spans (issue #14). Shared by kvmPrecopy() and
// sweep(); inputs are assumed valid.
//
// The run up to the first check is the same at every socket buffer: the
// buffer only sets the first window's reading, and so the threshold of the
// checks in the second window. So only the other end of the range can change
// whether the first check stops, and often it cannot, which is known without
// running it again (`needsOtherEnd`).

import {
  firstWindowLimitPages,
  qemuSwitch,
  type QemuSwitchInput,
  type QemuSwitchOutput,
} from "./_qemu_switch.ts";

/** The first window's outcomes, by code: 0 stops, 1 continues, 2 either. */
export const FIRST_WINDOW_OUTCOMES: readonly ["stops", "continues", "either"] = [
  "stops",
  "continues",
  "either",
];

/** Whether the QEMU rule stopped at a check on the first window's reading. */
export function stopsAtFirstCheck(input: QemuSwitchInput, out: QemuSwitchOutput): boolean {
  return out.stopCode === 0 && out.precopyTimeSeconds < 2 * input.bandwidthWindowSeconds - 1e-9;
}

/**
 * Decides the first window for one configuration whose outcome at
 * `input.socketBufferBytes` is `out`: the code in FIRST_WINDOW_OUTCOMES.
 * Where it is 2 ("either"), the outcome at the other end of `rangeBytes` is in
 * `other` (a scratch output, overwritten only when the other end is run).
 * `input` is left as it was given.
 */
export function firstWindowCode(
  input: QemuSwitchInput,
  out: QemuSwitchOutput,
  rangeBytes: readonly [number, number],
  other: QemuSwitchOutput,
): 0 | 1 | 2 {
  const early = stopsAtFirstCheck(input, out);
  const code = early ? 0 : 1;
  const otherEnd = early ? rangeBytes[0] : rangeBytes[1];
  if (otherEnd === input.socketBufferBytes || !needsOtherEnd(input, out, early, otherEnd)) {
    return code;
  }
  const given = input.socketBufferBytes;
  input.socketBufferBytes = otherEnd;
  try {
    qemuSwitch(input, other);
  } finally {
    input.socketBufferBytes = given;
  }
  return stopsAtFirstCheck(input, other) === early ? code : 2;
}

/**
 * Whether the other end of the range could change the first check's outcome.
 * It cannot where the run goes on and no estimate checked in the second
 * window reaches the other end's (higher) threshold; nor, for a sweep, where
 * the run stopped at its first exact count with fewer pages left than the
 * other end's (lower) threshold: every earlier check was above that
 * threshold too, and the exact count is at least the estimate, so the other
 * end syncs at the same check and stops there.
 */
function needsOtherEnd(
  input: QemuSwitchInput,
  out: QemuSwitchOutput,
  early: boolean,
  otherEnd: number,
): boolean {
  const limitPages = firstWindowLimitPages(input, otherEnd);
  if (!early) return out.firstWindowEstimatePages <= limitPages * (1 + 1e-12) + 1e-9;
  if (input.random || out.rounds !== 1) return true;
  // With a margin for the rounding of remainingBytes: too close runs the other end.
  const exactPages = out.remainingBytes / input.pageBytes;
  return !(exactPages === 0 || exactPages < limitPages * (1 - 1e-9));
}
