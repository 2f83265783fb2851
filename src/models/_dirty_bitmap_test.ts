import assert from "node:assert/strict";
import { dirtyPages, firstPass, SPREAD_SLICES, wireOf } from "./_dirty_bitmap.ts";

const intervals = (map: ReturnType<typeof firstPass>) =>
  Array.from({ length: map.n }, (_, i) => [map.start[i], map.end[i], map.zero[i]]);

Deno.test("firstPass() lays the zero pages out first, spread and at the top, by hand", async (t) => {
  await t.step(
    "1,000 pages: W 100, 40 zero first, 80 spread in 4 slices, 80 at the top, tail 50",
    () => {
      const map = firstPass(1000, 100, 200, 50, 40, 80);
      // The spread region runs from 140 to the top zeros at 1000 - 50 - 80 = 870: slices of
      // 730 / 4 = 182.5 pages, each starting with 80 / 4 = 20 zero pages.
      assert.equal(SPREAD_SLICES, 4);
      const slices = [140, 322.5, 505, 687.5].flatMap((at, k) => [
        [at, at + 20, 1],
        [at + 20, k === 3 ? 870 : at + 182.5, 0],
      ]);
      assert.deepEqual(intervals(map), [
        [0, 100, 0],
        [100, 140, 1],
        ...slices,
        [870, 950, 1],
        [950, 1000, 0],
      ]);
      assert.equal(dirtyPages(map), 1000);
      // 200 zero pages at 9 bytes, 800 normal pages at 4104.
      assert.equal(wireOf(map, 4104), 200 * 9 + 800 * 4104);
    },
  );
  await t.step(
    "without early or spread zero pages: the old layout, every zero page at the top",
    () => {
      const map = firstPass(1000, 100, 200, 50);
      assert.deepEqual(intervals(map), [[0, 100, 0], [100, 750, 0], [750, 950, 1], [950, 1000, 0]]);
    },
  );
  await t.step("no room to spread them: one block after the early ones", () => {
    // W 100, Z 900 (all but the working set), no tail: the spread region is the spread pages alone.
    const map = firstPass(1000, 100, 900, 0, 100, 400);
    assert.deepEqual(intervals(map), [[0, 100, 0], [100, 200, 1], [200, 600, 1], [600, 1000, 1]]);
    assert.equal(wireOf(map, 4104), 100 * 4104 + 900 * 9);
  });
});
