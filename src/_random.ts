// Seeded pseudo-random numbers for bootstrap, cross-validation folds and
// synthetic data: mulberry32 (32-bit state), so the same seed gives the same
// numbers on every platform.

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Creates a seeded uniform generator (mulberry32).
 *
 * @param seed Any integer; only its low 32 bits are used.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws one standard normal number (Box-Muller) from a uniform generator.
 *
 * @param random The uniform generator.
 */
export function normal(random: Random): number {
  const u = 1 - random(); // (0, 1]
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Shuffles an array in place (Fisher-Yates) and returns it.
 *
 * @param values The array.
 * @param random The uniform generator.
 */
export function shuffle<T>(values: T[], random: Random): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i]!;
    values[i] = values[j]!;
    values[j] = tmp;
  }
  return values;
}
