import assert from "node:assert/strict";
import { FIRST_WINDOW_ZONE_MAP } from "./_test_runs.ts";
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

Deno.test("decisionLimits() judges a pause that is one of two by the worse outcome", () => {
  // 512 MiB at a 3.9 s limit: in some cells QEMU's first window stops at once (about
  // 4.3 s of pause) or goes on (about 3.9 s), depending on the machine.
  const map = decisionMap(FIRST_WINDOW_ZONE_MAP);
  const either = map.cells.map((c) => c.precopyFirstWindow === "either");
  assert.ok(either.some(Boolean));
  const pauses = map.cells.flatMap((c) =>
    c.precopyFirstWindow === "either"
      ? [[c.precopyDowntimeSeconds, c.otherPrecopyDowntimeSeconds!].sort((a, b) => a - b)]
      : []
  );
  // A pause limit between the two outcomes of every such cell.
  const maxDowntimeSeconds = (Math.max(...pauses.map((p) => p[0]!)) +
    Math.min(...pauses.map((p) => p[1]!))) / 2;
  assert.ok(pauses.every(([low, high]) => low! < maxDowntimeSeconds && maxDowntimeSeconds < high!));
  const verdicts = decisionLimits(map, { maxDowntimeSeconds });
  verdicts.forEach((v, k) => {
    assert.equal(v.precopyDependsOnFirstWindow, either[k]);
    if (either[k]) {
      assert.equal(v.precopy.meets, false);
      const [, high] = pauses.shift()!;
      assert.ok(
        Math.abs(v.precopy.margins.downtimeSeconds! - (maxDowntimeSeconds - high!)) < 1e-12,
      );
    }
  });
  // A deadline the stop at once meets and the later stop misses: the later one is judged.
  const times = map.cells.flatMap((c) =>
    c.precopyFirstWindow === "either" ? [[c.precopySeconds, c.otherPrecopySeconds!]] : []
  );
  const deadlineSeconds = Math.max(...times.map((t) => Math.min(...t))) + 0.1;
  assert.ok(times.every((t) => Math.max(...t) > deadlineSeconds));
  decisionLimits(map, { deadlineSeconds }).forEach((v, k) => {
    if (!either[k]) return;
    assert.equal(v.precopy.meets, false);
    assert.equal(v.precopyDependsOnFirstWindow, true);
    const later = Math.max(map.cells[k]!.precopySeconds, map.cells[k]!.otherPrecopySeconds!);
    assert.ok(Math.abs(v.precopy.margins.timeSeconds! - (deadlineSeconds - later)) < 1e-12);
  });
  // Above both outcomes, both meet it: judged, but not decided, by the first window.
  const loose = decisionLimits(map, { maxDowntimeSeconds: 100 });
  assert.ok(loose.every((v) => !v.precopyDependsOnFirstWindow && v.precopy.meets));
});
