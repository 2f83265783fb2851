import assert from "node:assert/strict";
import { createRandom, normal } from "../_random.ts";
import { newPagesVariance, normalCdf, switchChance } from "./_random_convergence.ts";

Deno.test("normalCdf() agrees with Python's erfc", () => {
  // [math.erfc(-z / math.sqrt(2)) / 2 for z in (0, 1, -2, 3, -5)] =
  // [0.5, 0.8413447460685429, 0.02275013194817922, 0.9986501019683699, 2.866515718791946e-07]
  const cases: [number, number][] = [
    [0, 0.5],
    [1, 0.8413447460685429],
    [-2, 0.02275013194817922],
    [3, 0.9986501019683699],
    [-5, 2.866515718791946e-7],
  ];
  for (const [z, expected] of cases) {
    assert.ok(Math.abs(normalCdf(z) - expected) <= 2e-7 * expected, `normalCdf(${z})`);
  }
});

/** Throws `writes` uniform writes over `wss` pages, of which the first `clean` are clean; new pages hit. */
function newPagesHit(wss: number, clean: number, writes: number, random: () => number): number {
  const hit = new Uint8Array(clean);
  let count = 0;
  for (let k = 0; k < writes; k++) {
    const page = Math.floor(random() * wss);
    if (page < clean && hit[page] === 0) hit[page] = 1, count++;
  }
  return count;
}

Deno.test("newPagesVariance() and switchChance() match a seeded Monte Carlo of one sync's count", async (t) => {
  const wss = 2000;
  const clean = 1100;
  const writes = 300;
  const dirtyBefore = 900;
  const trials = 20000;
  const random = createRandom(14);
  const counts = Array.from(
    { length: trials },
    () => dirtyBefore + newPagesHit(wss, clean, writes, random),
  );
  const p0 = Math.exp(-writes / wss);
  const mean = dirtyBefore + clean * (1 - p0);
  const variance = newPagesVariance(clean, writes, wss);
  await t.step("the mean and the variance of the count", () => {
    const mcMean = counts.reduce((a, b) => a + b, 0) / trials;
    const mcVariance = counts.reduce((a, b) => a + (b - mcMean) ** 2, 0) / (trials - 1);
    // The mean's standard error is sqrt(variance / trials), about 0.07 pages.
    assert.ok(Math.abs(mcMean - mean) < 0.5, `mean ${mcMean} against ${mean}`);
    assert.ok(
      Math.abs(mcVariance / variance - 1) < 0.05,
      `variance ${mcVariance} against ${variance}`,
    );
    // Less than a binomial's: the number of writes is fixed.
    assert.ok(variance < clean * p0 * (1 - p0));
  });
  for (
    const [label, spread] of [["a fixed threshold", 0], [
      "a threshold that scatters",
      0.01,
    ]] as const
  ) {
    await t.step(`the chance to switch and the count given a switch, ${label}`, () => {
      for (const offset of [-1.5, -0.5, 0, 0.8, 2]) {
        const threshold = mean + offset * Math.sqrt(variance);
        const { chance, shiftPages } = switchChance(mean, variance, threshold, spread);
        let below = 0;
        let shift = 0;
        for (const count of counts) {
          if (count < threshold * (1 + spread * normal(random))) below++, shift += count - mean;
        }
        const frequency = below / trials;
        // 4 binomial standard errors, and 0.02 for the normal approximation of a discrete count.
        const tolerance = 4 * Math.sqrt(chance * (1 - chance) / trials) + 0.02;
        assert.ok(
          Math.abs(frequency - chance) < tolerance,
          `${offset}: ${frequency} against ${chance}`,
        );
        if (below > 200) {
          const mcShift = shift / below;
          assert.ok(
            Math.abs(mcShift - shiftPages) < 0.1 * Math.sqrt(variance) + 0.5,
            `${offset}: shift`,
          );
        }
      }
    });
  }
});

Deno.test("switchChance() is 0 or 1 without scatter and far from the threshold", () => {
  assert.deepEqual(switchChance(100, 0, 101, 0), { chance: 1, shiftPages: 0 });
  assert.deepEqual(switchChance(101, 0, 101, 0), { chance: 0, shiftPages: 0 });
  assert.deepEqual(switchChance(0, 0, 0, 0.01), { chance: 1, shiftPages: 0 });
  assert.ok(switchChance(1000, 100, 900, 0.01).chance < 1e-12);
  assert.ok(switchChance(800, 100, 900, 0.01).chance > 1 - 1e-12);
});
