// A closed form of the Xen pre-copy rounds of _xen_rounds.ts, used by sweep().
//
// After round 1 (b_1 = M bytes), round i+1 sends what round i dirtied,
// b_{i+1} = min(W, r·b_i) with r = p·d/B. Because W <= M, the sequence from
// round 2 on is c·q^(i-2) with c = b_2 = min(W, r·M) and q = min(r, 1):
// constant (W) when r >= 1, geometric when r < 1. So, with S_i = Σ_{j<=i} b_j:
//
//   b_{i+1} = c·q^(i-1)              (dirty bytes after round i)
//   S_i     = M + c·(1 - q^(i-1))/(1 - q)   (M + (i-1)·c when q = 1)
//
// Each stop condition is monotone in i (S_i grows, b_{i+1} shrinks), so the
// last round that goes on is found by binary powering: q^(2^j) and the partial
// sums G(2^j) = 1 + q + ... + q^(2^j - 1), combined greedily from the largest j.
// That is O(log N) multiplications with only positive terms (no cancellation
// when q is near 1). Logarithms would give N directly, but Math.log costs
// about 10 ns in V8 here: a version with logs took 68 ms for the 10^6
// configurations of bench/, this one 34 ms, the plain rounds 22-26 ms at
// maxIterations 30 (sweep() therefore uses this only from 64 rounds on).
//
// Rounding differs from the round-by-round loop by a few ulps per round; a
// stop decision could only differ when a condition sits within that distance
// of its threshold. Every decision is therefore checked with a margin, and
// when a margin is too thin (or a value leaves the normal float range) the
// caller runs the loop instead, so N and the stop reason equal xenRounds()'s
// and the sums agree to ~1e-13 relative (_xen_closed_form_test.ts checks it).

import type { XenRoundsOutput } from "./_xen_rounds.ts";

const EPSILON = 2 ** -52;
/** Below this, values are near the subnormal range, where relative error bounds fail. */
const TINY = 1e-280;
/** Scratch: q^(2^j) and G(2^j) = 1 + q + ... + q^(2^j - 1), j < 53 (maxIterations < 2^53). */
const POWERS = new Float64Array(54);
const SUMS = new Float64Array(54);
/** 2^j, j < 54 (`**` is a slow call in V8). */
const STEPS = Float64Array.from({ length: 54 }, (_, j) => 2 ** j);
/** Scratch: what lastGoingRound() found, [k, q^k, G(k)]. */
const FOUND = new Float64Array(3);

/**
 * Computes what {@linkcode xenRounds} computes, in O(log N) instead of O(N).
 *
 * Inputs are assumed valid (as for xenRounds).
 *
 * @returns true when `out` holds the result; false when a stop decision is too
 * close to call in closed form and the caller must run xenRounds() instead.
 */
export function xenRoundsClosedForm(
  memoryBytes: number,
  wssBytes: number,
  dirtyPagesPerSecond: number,
  bandwidthBytesPerSecond: number,
  pageBytes: number,
  maxIterations: number,
  maxTransferFactor: number,
  minDirtyPages: number,
  out: XenRoundsOutput,
): boolean {
  // The same expressions as xenRounds(), so round 1 is bit-identical.
  const transferLimitBytes = maxTransferFactor * memoryBytes;
  const minDirtyBytes = minDirtyPages * pageBytes;
  const dirtyBytesPerSecond = pageBytes * dirtyPagesPerSecond;
  const firstSeconds = memoryBytes / bandwidthBytesPerSecond;
  const c = Math.min(wssBytes, dirtyBytesPerSecond * firstSeconds);
  if (!(firstSeconds >= TINY && firstSeconds < Infinity && dirtyBytesPerSecond < Infinity)) {
    return false;
  }
  const overLimit = memoryBytes > transferLimitBytes;
  if (overLimit || c < minDirtyBytes || maxIterations <= 1) {
    out.precopyTimeSeconds = firstSeconds;
    out.transferredBytes = memoryBytes;
    out.iterations = 1;
    out.stopCode = overLimit ? 0 : c < minDirtyBytes ? 1 : 2;
    out.stopAndCopyBytes = c;
    return true;
  }
  if (c === 0) {
    // Nothing dirtied (W = 0 or d = 0) and minDirtyPages = 0: empty rounds
    // until the round limit, exactly as the loop runs them.
    out.precopyTimeSeconds = firstSeconds;
    out.transferredBytes = memoryBytes;
    out.iterations = maxIterations;
    out.stopCode = 2;
    out.stopAndCopyBytes = 0;
    return true;
  }
  if (c < TINY) return false;
  // From here on: M <= limit, c >= minDirtyBytes, c > 0, N >= 2.
  const headroomBytes = transferLimitBytes - memoryBytes;
  // The loop's values drift from the exact ones by ~2 ulps a round.
  const tolerance = 1e-11 + 8 * EPSILON * Math.min(maxIterations, 1e9);
  let iterations: number;
  let sentBytes: number;
  let dirtyBytes: number;
  if (dirtyBytesPerSecond >= bandwidthBytesPerSecond) {
    // r >= 1: every later round resends the working set, b_i = c.
    if (minDirtyBytes > 0 && c - minDirtyBytes <= tolerance * minDirtyBytes) return false;
    const roundsToLimit = Math.floor(headroomBytes / c) + 2; // first i with M + (i-1)·c > limit
    iterations = Math.min(roundsToLimit, maxIterations);
    sentBytes = memoryBytes + (iterations - 1) * c;
    dirtyBytes = c;
    if (Math.abs(sentBytes - transferLimitBytes) <= tolerance * transferLimitBytes) return false;
    if (iterations === roundsToLimit) {
      if (sentBytes <= transferLimitBytes) return false;
      const previousBytes = sentBytes - c;
      if (transferLimitBytes - previousBytes <= tolerance * transferLimitBytes) return false;
    } else if (sentBytes > transferLimitBytes) return false;
  } else {
    // r < 1: geometric rounds with ratio q. Round i (k = i - 1) goes on while
    // S_i = M + c·G(k) <= limit and b_{i+1} = c·q^k >= minDirtyBytes and
    // i < maxIterations, with G(k) = 1 + q + ... + q^(k-1). Both tests are
    // monotone in k, so the last k that goes on is found by binary powering
    // from q^(2^j) and G(2^j) (all terms positive: no cancellation, no logs).
    const q = dirtyBytesPerSecond / bandwidthBytesPerSecond;
    const lastK = maxIterations - 2;
    const dirtyLimit = minDirtyBytes / c;
    const sumLimit = headroomBytes / c;
    lastGoingRound(q, lastK, dirtyLimit, sumLimit);
    const k = FOUND[0]!;
    const powerK = FOUND[1]!; // q^k
    const sumK = FOUND[2]!; // G(k)
    // Round N = k + 2 stops; round N - 1 = k + 1 went on.
    iterations = k + 2;
    dirtyBytes = c * (powerK * q);
    sentBytes = memoryBytes + c * (sumK + powerK);
    if (!(dirtyBytes >= TINY)) return false;
    const over = sentBytes > transferLimitBytes;
    const few = dirtyBytes < minDirtyBytes;
    if (Math.abs(sentBytes - transferLimitBytes) <= tolerance * transferLimitBytes) return false;
    if (minDirtyBytes > 0 && Math.abs(dirtyBytes - minDirtyBytes) <= tolerance * minDirtyBytes) {
      return false;
    }
    if (!over && !few && iterations < maxIterations) return false;
    if (k >= 1) {
      // Round N - 1 must clearly go on in the loop too.
      const previousSentBytes = memoryBytes + c * sumK;
      const previousDirtyBytes = c * powerK;
      if (transferLimitBytes - previousSentBytes <= tolerance * transferLimitBytes) return false;
      if (previousDirtyBytes - minDirtyBytes <= tolerance * minDirtyBytes) return false;
    }
  }
  const timeSeconds = sentBytes / bandwidthBytesPerSecond;
  if (!(timeSeconds < Infinity)) return false;
  out.precopyTimeSeconds = timeSeconds;
  out.transferredBytes = sentBytes;
  out.iterations = iterations;
  out.stopCode = sentBytes > transferLimitBytes
    ? 0
    : minDirtyBytes > 0 && dirtyBytes < minDirtyBytes
    ? 1
    : 2;
  out.stopAndCopyBytes = dirtyBytes;
  return true;
}

/**
 * The largest k <= lastK with q^k >= dirtyLimit and G(k) <= sumLimit, by
 * binary powering (both tests are monotone in k); into FOUND as [k, q^k, G(k)].
 */
function lastGoingRound(q: number, lastK: number, dirtyLimit: number, sumLimit: number): void {
  let top = 0;
  POWERS[0] = q;
  SUMS[0] = 1;
  while (STEPS[top + 1]! <= lastK) {
    const power = POWERS[top]!;
    SUMS[top + 1] = SUMS[top]! * (1 + power);
    POWERS[top + 1] = power * power;
    top++;
  }
  let k = 0;
  let powerK = 1; // q^k
  let sumK = 0; // G(k)
  for (let j = top; j >= 0; j--) {
    const step = STEPS[j]!;
    if (k + step > lastK) continue;
    const power = powerK * POWERS[j]!;
    const sum = sumK + powerK * SUMS[j]!;
    if (power >= dirtyLimit && sum <= sumLimit) {
      k += step;
      powerK = power;
      sumK = sum;
    }
  }
  FOUND[0] = k;
  FOUND[1] = powerK;
  FOUND[2] = sumK;
}
