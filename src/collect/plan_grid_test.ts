import assert from "node:assert/strict";
import { planGrid } from "./plan_grid.ts";
import { pointKey } from "./point_key.ts";

Deno.test("planGrid() plans the paper's 336 distinct points", () => {
  const points = planGrid();
  assert.equal(points.length, 336);
  assert.equal(new Set(points.map((p) => pointKey(p))).size, 336);
});

Deno.test("planGrid() covers every contention x method within the first guest", () => {
  const points = planGrid();
  const first = points.slice(0, 12);
  assert.equal(new Set(first.map((p) => `${p.contention}|${p.method}`)).size, 12);
  // One guest configuration (working set, rate) for the whole block.
  assert.equal(new Set(first.map((p) => `${p.wss}|${p.dirtyPagesPerSecond}`)).size, 1);
  // The next block is another configuration that changes both axes.
  const second = points[12]!;
  assert.notEqual(second.wss, first[0]!.wss);
  assert.notEqual(second.dirtyPagesPerSecond, first[0]!.dirtyPagesPerSecond);
});

Deno.test("planGrid() groups each guest configuration in one contiguous block", () => {
  const points = planGrid();
  const seen = new Set<string>();
  let current = "";
  for (const p of points) {
    const key = `${p.wss}|${p.dirtyPagesPerSecond}`;
    if (key !== current) {
      assert.ok(!seen.has(key), `configuration ${key} appears in two blocks`);
      seen.add(key);
      current = key;
    }
  }
  assert.equal(seen.size, 28);
});

Deno.test("planGrid() runs repeat 2 only after every point of repeat 1", () => {
  const points = planGrid({ wss: [0, "full"], dirtyPagesPerSecond: [1024], repeats: 2 });
  assert.equal(points.length, 2 * 1 * 4 * 3 * 2);
  const firstTwo = points.findIndex((p) => p.run === 2);
  assert.equal(firstTwo, 24);
  assert.ok(points.slice(firstTwo).every((p) => p.run === 2));
});

Deno.test("planGrid() rejects empty axes and bad values", async (t) => {
  await t.step("empty axis", () => {
    assert.throws(() => planGrid({ methods: [] }), {
      name: "RangeError",
      message: 'planGrid: invalid option "methods", expected a non-empty list (got [])',
    });
  });
  await t.step("negative working set", () => {
    assert.throws(() => planGrid({ wss: [-1] }), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /^planGrid: invalid option "wss"/);
      return true;
    });
  });
  await t.step("repeats", () => {
    assert.throws(() => planGrid({ repeats: 0 }), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /^planGrid: invalid option "repeats"/);
      return true;
    });
  });
});

Deno.test("planGrid() sweeps the downtime limit over kvm-precopy points only", () => {
  const points = planGrid({
    wss: [128 * 2 ** 20, "full"],
    dirtyPagesPerSecond: [51200],
    contentions: ["none"],
    methods: ["kvm-precopy", "kvm-postcopy"],
    downtimeLimitsSeconds: [0.5, 1.2, 15],
  });
  assert.equal(points.length, 2 * (3 + 1));
  assert.deepEqual(
    points.filter((p) => p.wss === "full" && p.method === "kvm-precopy")
      .map((p) => p.downtimeLimitSeconds),
    [0.5, 1.2, 15],
  );
  assert.ok(
    points.filter((p) => p.method === "kvm-postcopy").every((p) =>
      p.downtimeLimitSeconds === undefined
    ),
  );
  assert.equal(new Set(points.map((p) => pointKey(p))).size, points.length);
  assert.throws(() => planGrid({ downtimeLimitsSeconds: [] }), RangeError);
  assert.throws(() => planGrid({ downtimeLimitsSeconds: [0] }), RangeError);
});
