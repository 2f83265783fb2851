import assert from "node:assert/strict";
import { decisionLimits } from "./decision_limits.ts";
import { decisionMap } from "./decision_map.ts";

Deno.test("decisionLimits() judges each model cell against the stated limits", async (t) => {
  const map = decisionMap({
    wssBytes: [0, 2 ** 28, 1.5 * 2 ** 30],
    dirtyPagesPerSecond: [1024, 51200],
  });
  await t.step("no limits: every converging method meets them", () => {
    const cells = decisionLimits(map, {});
    for (const [k, cell] of cells.entries()) {
      assert.equal(cell.precopy.meets, map.cells[k]!.precopyConverged);
      assert.equal(cell.postcopy.meets, true);
    }
  });
  await t.step("a 10 ms pause limit leaves post-copy's 47 ms switchover out too", () => {
    const cells = decisionLimits(map, { maxDowntimeSeconds: 0.01 });
    assert.ok(cells.every((c) => !c.postcopy.meets));
    assert.ok(Math.abs(cells[0]!.postcopy.margins.downtimeSeconds! - (0.01 - 0.047)) < 1e-12);
  });
  await t.step("a deadline margin is deadline − time", () => {
    const cells = decisionLimits(map, { deadlineSeconds: 20 });
    cells.forEach((c, k) =>
      assert.ok(
        Math.abs(c.postcopy.margins.timeSeconds! - (20 - map.cells[k]!.postcopySeconds)) < 1e-9,
      )
    );
  });
  await t.step("a slowdown limit uses the progress ratios given per cell", () => {
    const n = map.cells.length;
    const cells = decisionLimits(map, { maxSlowdown: 0.1 }, {
      guestProgressRatio: { precopy: Array(n).fill(0.95), postcopy: Array(n).fill(0.5) },
    });
    assert.ok(cells.every((c) => !c.postcopy.meets));
    assert.ok(cells.every((c, k) => c.precopy.meets === map.cells[k]!.precopyConverged));
    assert.equal(cells.find((c) => c.precopy.meets)!.verdict, "pre-copy only");
  });
  await t.step("errors", () => {
    assert.throws(() => decisionLimits(map, { maxSlowdown: 0.1 }), {
      name: "TypeError",
      message: /decisionLimits: missing option "guestProgressRatio"/,
    });
    assert.throws(() => decisionLimits(map, { deadlineSeconds: -1 }), {
      name: "RangeError",
      message: /decisionLimits: .*deadlineSeconds/,
    });
  });
});
