// The random writer's switch as a chance per sync (issue #14), for the QEMU
// rule (_qemu_switch.ts). The bitmap follows the writer's mean (the dirty
// fraction 1 - exp(-k / N) of the clean pages after k writes); at each exact
// count the number of pages found dirty is random, and so is QEMU's threshold
// (its bandwidth reading over the last 100 ms window). The count's variance is
// the occupancy variance of the new pages, accumulated over the syncs (a
// deviation carries over to the next sync times exp(-k / N)); the
// threshold's is (spread x threshold)². Per sync i the chance that the count
// is below the threshold is q_i (normal approximation), and the chance of
// converging by the timeout is P = 1 - prod(1 - q_i): the syncs are taken as
// independent tries along the mean path (for the count's part, whose
// deviations persist from sync to sync, this overstates P a little; for the
// threshold's, drawn anew each window, it holds). The expected time,
// pause and syncs given convergence weigh each sync by f_i = q_i prod_{j<i}
// (1 - q_j). Inputs are assumed valid.

/** The standard normal distribution function, to about 1e-7 relative (erfc, Numerical Recipes). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t *
    Math.exp(
      -x * x - 1.26551223 +
        t * (1.00002368 +
            t * (0.37409196 +
                t * (0.09678418 +
                    t * (-0.18628806 +
                        t * (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * The variance of the number of distinct pages among `cleanPages` that `writes`
 * uniform writes over `wssPages` pages hit (occupancy):
 * M p0 (1 - p0) - M² p0² k / N², with p0 = exp(-k / N) (at least 0).
 */
export function newPagesVariance(cleanPages: number, writes: number, wssPages: number): number {
  if (!(cleanPages > 0) || !(writes > 0) || !(wssPages > 0)) return 0;
  const p0 = Math.exp(-writes / wssPages);
  const v = cleanPages * p0 * (1 - p0) -
    (cleanPages * p0) ** 2 * writes / (wssPages * wssPages);
  return Math.max(0, v);
}

/**
 * One exact count's chance to switch: the count, of mean `meanPages` and
 * variance `countVariance`, below a threshold of mean `thresholdPages` whose
 * reading scatters by `spread` (relative sd). Also the count's expected
 * shift, in pages, given that it switched (`shiftPages` <= 0).
 */
export function switchChance(
  meanPages: number,
  countVariance: number,
  thresholdPages: number,
  spread: number,
): { chance: number; shiftPages: number } {
  const variance = countVariance + (spread * thresholdPages) ** 2;
  if (!(variance > 0) || !(thresholdPages > 0)) {
    const chance = meanPages === 0 || meanPages < thresholdPages ? 1 : 0;
    return { chance, shiftPages: 0 };
  }
  const sd = Math.sqrt(variance);
  const z = (thresholdPages - meanPages) / sd;
  const chance = normalCdf(z);
  // E[count - mean | count < threshold']: the count's share of the truncated normal's mean.
  const density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  const shiftPages = chance > 1e-300 ? -(countVariance / sd) * density / chance : 0;
  return { chance, shiftPages: Math.max(shiftPages, -meanPages) };
}

/** The running sums over the syncs so far. */
export interface ConvergenceTally {
  /** prod (1 - q_j): the chance that no sync so far switched. */
  survive: number;
  /** sum f_i: the chance that one did (P). */
  chance: number;
  /** sum f_i x_i for the expected values given a switch. */
  seconds: number;
  syncs: number;
  exactCounts: number;
  sentBytes: number;
  stopWireBytes: number;
  remainingPages: number;
  /** Scratch: the variance of the count the next exact count finds, pages². */
  variance: number;
  accumulated: number;
}

export function newTally(): ConvergenceTally {
  return {
    survive: 1,
    chance: 0,
    seconds: 0,
    syncs: 0,
    exactCounts: 0,
    sentBytes: 0,
    stopWireBytes: 0,
    remainingPages: 0,
    variance: 0,
    accumulated: 0,
  };
}

/** Adds one exact count (chance `q`) that would stop at `seconds` with what it leaves. */
export function addSync(
  tally: ConvergenceTally,
  q: number,
  seconds: number,
  syncs: number,
  exactCounts: number,
  sentBytes: number,
  stopWireBytes: number,
  remainingPages: number,
): void {
  const f = tally.survive * q;
  tally.survive *= 1 - q;
  tally.chance += f;
  tally.seconds += f * seconds;
  tally.syncs += f * syncs;
  tally.exactCounts += f * exactCounts;
  tally.sentBytes += f * sentBytes;
  tally.stopWireBytes += f * stopWireBytes;
  tally.remainingPages += f * remainingPages;
}

/** Below this chance of not having switched, later syncs change nothing that shows. */
export const SURVIVE_FLOOR = 1e-12;
