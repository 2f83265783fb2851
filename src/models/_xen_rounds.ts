// The Xen pre-copy recurrence of the paper's section 4.1, shared by
// xenPrecopy() (which keeps every round) and sweep() (which keeps none).

/** Stop reasons, by code: the order of the paper's three conditions. */
export const XEN_STOP_REASONS: readonly ["transfer-limit", "few-dirty-pages", "max-iterations"] = [
  "transfer-limit",
  "few-dirty-pages",
  "max-iterations",
];

/** Scratch output of {@linkcode xenRounds}, reused across calls by sweep(). */
export interface XenRoundsOutput {
  /** Sum of t_i, seconds. */
  precopyTimeSeconds: number;
  /** Sum of B * t_i, bytes. */
  transferredBytes: number;
  /** N, the number of rounds. */
  iterations: number;
  /** Index into XEN_STOP_REASONS. */
  stopCode: number;
  /** min(W, p * d * t_N), bytes left for stop-and-copy. */
  stopAndCopyBytes: number;
}

/**
 * Runs equations (1)-(2) with the three stop conditions, checked after each
 * round in the paper's order. Inputs are assumed valid.
 *
 * @param rounds When given, each round's seconds and bytes are pushed here.
 */
export function xenRounds(
  memoryBytes: number,
  wssBytes: number,
  dirtyPagesPerSecond: number,
  bandwidthBytesPerSecond: number,
  pageBytes: number,
  maxIterations: number,
  maxTransferFactor: number,
  minDirtyPages: number,
  out: XenRoundsOutput,
  rounds?: { seconds: number; bytes: number }[],
): XenRoundsOutput {
  const transferLimitBytes = maxTransferFactor * memoryBytes;
  const minDirtyBytes = minDirtyPages * pageBytes;
  const dirtyBytesPerSecond = pageBytes * dirtyPagesPerSecond;
  // Round 1 sends the whole memory: t1 = M / B.
  let roundBytes = memoryBytes;
  let timeSeconds = 0;
  let transferredBytes = 0;
  let iterations = 0;
  for (;;) {
    const roundSeconds = roundBytes / bandwidthBytesPerSecond;
    iterations += 1;
    timeSeconds += roundSeconds;
    transferredBytes += roundBytes;
    if (rounds) rounds.push({ seconds: roundSeconds, bytes: roundBytes });
    // Pages dirtied during this round: min(W, p * d * t_i).
    const dirtyBytes = Math.min(wssBytes, dirtyBytesPerSecond * roundSeconds);
    let stopCode = -1;
    if (transferredBytes > transferLimitBytes) stopCode = 0;
    else if (dirtyBytes < minDirtyBytes) stopCode = 1;
    else if (iterations >= maxIterations) stopCode = 2;
    if (stopCode >= 0) {
      out.precopyTimeSeconds = timeSeconds;
      out.transferredBytes = transferredBytes;
      out.iterations = iterations;
      out.stopCode = stopCode;
      out.stopAndCopyBytes = dirtyBytes;
      return out;
    }
    roundBytes = dirtyBytes;
  }
}
