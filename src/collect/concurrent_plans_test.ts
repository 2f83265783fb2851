import assert from "node:assert/strict";
import {
  CONCURRENT_NODES,
  CONCURRENT_SHAPES,
  concurrentPlans,
  pendingConcurrentPlans,
} from "./concurrent_plans.ts";

Deno.test("concurrentPlans() shares the source's uplink or the destination's downlink", async (t) => {
  const plans = concurrentPlans({ shapes: CONCURRENT_SHAPES, staggerSeconds: 3, repeats: 2 });
  await t.step("every shape once per repeat, repeat 1 first", () => {
    assert.deepEqual(plans.map((p) => p.id), [
      "shared-uplink-s3-r1",
      "shared-downlink-s3-r1",
      "three-s3-r1",
      "shared-uplink-s3-r2",
      "shared-downlink-s3-r2",
      "three-s3-r2",
    ]);
  });
  await t.step("the links each shape shares", () => {
    for (const plan of plans) {
      const sources = plan.migrations.map((m) => m.source);
      const destinations = plan.migrations.map((m) => m.destination);
      const sharedUp = new Set(sources).size < sources.length;
      const sharedDown = new Set(destinations).size < destinations.length;
      assert.equal(sharedUp, plan.shape !== "shared-downlink", plan.id);
      assert.equal(sharedDown, plan.shape !== "shared-uplink", plan.id);
      assert.ok(plan.migrations.length >= 2 && plan.migrations.length <= 3);
      for (const m of plan.migrations) {
        assert.notEqual(m.source, m.destination);
        assert.ok(CONCURRENT_NODES.includes(m.source) && CONCURRENT_NODES.includes(m.destination));
      }
      assert.deepEqual(
        plan.migrations.map((m) => m.startSeconds),
        [0, 3, 6].slice(0, plan.migrations.length),
      );
    }
  });
  await t.step("bad options throw RangeError naming the option", () => {
    assert.throws(() => concurrentPlans({ shapes: ["ring" as never] }), /invalid shape "ring"/);
    assert.throws(() => concurrentPlans({ staggerSeconds: -1 }), RangeError);
    assert.throws(() => concurrentPlans({ repeats: 0 }), /invalid repeats/);
  });
});

Deno.test("pendingConcurrentPlans() resumes by plan id", () => {
  const plans = concurrentPlans();
  const done = (plan: string, status: string) =>
    ["m1", "m2"].map((m) => ({ plan, plan_migration: m, status }));
  assert.equal(pendingConcurrentPlans(plans, []).length, 2);
  assert.deepEqual(
    pendingConcurrentPlans(plans, done("shared-uplink-s4-r1", "completed")).map((p) => p.id),
    ["shared-downlink-s4-r1"],
  );
  const rows = [
    ...done("shared-uplink-s4-r1", "completed"),
    ...done("shared-downlink-s4-r1", "failed"),
  ];
  assert.equal(pendingConcurrentPlans(plans, rows).length, 0);
  assert.deepEqual(
    pendingConcurrentPlans(plans, rows, { retryFailed: true }).map((p) => p.id),
    ["shared-downlink-s4-r1"],
  );
});
