import assert from "node:assert/strict";
import { loadRuns } from "../src/data/load_runs.ts";
import { checkGrid, checkSwitch } from "./qemu_switch_check.ts";

const folder = new URL("../data/qemu-tcg-1gbit-downtime-limit/", import.meta.url).pathname;

Deno.test("checkSwitch(): kvmPrecopy's QEMU rule on the committed downtime-limit sweep", async (t) => {
  const { runs } = await loadRuns(`${folder}runs.csv`);
  const { switches, pauses } = checkSwitch(runs);
  await t.step("the model's switch lies in every measured bracket", () => {
    assert.deepEqual(
      switches.map((
        c,
      ) => [Math.round(c.wssBytes / 2 ** 20), c.stuckSeconds, c.convergedSeconds, c.inside]),
      [[0, null, 0.3, true], [128, 0.6, 0.9, true], [1315, 6, 9, true]],
    );
    const [, w128, full] = switches;
    // Well inside, not at an end: 0.73 s (W/B would be 1.13 s) and 7.5 s (W/B 11.6 s).
    assert.ok(w128!.modelSeconds! > 0.7 && w128!.modelSeconds! < 0.76);
    assert.ok(full!.modelSeconds! > 7 && full!.modelSeconds! < 8);
  });
  await t.step("every run's outcome is called right", () => {
    for (const c of switches) assert.equal(c.callsRight, c.runs);
    assert.equal(switches.reduce((n, c) => n + c.runs, 0), 48);
  });
  await t.step("pauses within 10 % or 100 ms, but for the known cases", () => {
    assert.equal(pauses.length, 37);
    // Known misses, and why (data/README.md): the model puts all 33,196 zero pages at the
    // end of the pass, the guest has 9,872 of them early, so at 1.1-3 s the model's idle and
    // 128 MiB pauses are 0.15-0.45 s short; at 12 s (and 11 s for the full WSS) QEMU's first
    // 100 ms bandwidth window counts the socket buffer's fill (134 MB/s, not 119) and stops at once.
    const misses = pauses.filter((p) => !p.ok).map((p) =>
      `${Math.round(p.wssBytes / 2 ** 20)}@${p.limitSeconds}`
    );
    assert.deepEqual(misses, [
      "0@1.1",
      "0@1.2",
      "0@1.5",
      "0@3",
      "0@12",
      "128@3",
      "128@12",
      "1315@11",
      "1315@12",
    ]);
    const relative = pauses.map((p) => Math.abs(p.modelSeconds / p.measuredSeconds - 1))
      .sort((a, b) => a - b);
    assert.ok(relative[Math.floor(relative.length / 2)]! < 0.06);
  });
});

Deno.test("checkGrid(): on the grid, QEMU's rule with zero pages is no worse than the old rule", async () => {
  const grid = new URL("../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;
  const { runs } = await loadRuns(grid);
  const before = checkGrid(runs, { switchRule: "between-rounds" });
  const after = checkGrid(runs, { switchRule: "qemu" });
  // The old rule is what deno task reproduce reports: 2.129 % out of sample.
  assert.ok(Math.abs(before.mapePercent - 2.129) < 0.01);
  assert.ok(after.mapePercent < before.mapePercent);
  assert.equal(after.runs, 170);
  assert.equal(after.callsRight, after.runs);
  assert.ok(after.downtimeMapePercent < before.downtimeMapePercent / 3);
  // With zero pages at 9 bytes, B comes out near the measured wire rate (119 MB/s), not 127.
  assert.ok(Math.abs(after.bandwidthBytesPerSecond - 119e6) < 2e6);
});
