import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import { figureDecisionLimitsSpec, SPARE_BANDS } from "../plot/figure_decision_limits_spec.ts";
import { decisionLimits, spareOf } from "./decision_limits.ts";
import { decisionMap } from "./decision_map.ts";
import { measuredLimits } from "./measured_limits.ts";

/** A hand-made SYNTHETIC run. */
function run(over: Partial<MigrationRun>): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "network",
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 26,
    dirtyPagesPerSecond: 4000,
    pageBytes: 4096,
    migrationTimeSeconds: 20,
    downtimeSeconds: 0.3,
    requestedDirtyPagesPerSecond: 5120,
    requestedWssBytes: 2 ** 26,
    status: "completed",
    extra: { source: "synthetic" },
    ...over,
  };
}

Deno.test("measuredLimits() judges each measured workload's mean against the limits", async (t) => {
  const runs = [
    run({}),
    run({ downtimeSeconds: 0.5, migrationTimeSeconds: 30 }),
    run({ requestedDirtyPagesPerSecond: 51200, status: "non-convergent" }),
    run({ method: "kvm-postcopy", downtimeSeconds: 0.005 }),
    run({ method: "kvm-postcopy", wssBytes: 0, requestedWssBytes: 0 }),
    run({ contention: "cpu" }),
  ];
  const limits = { maxDowntimeSeconds: 0.35, deadlineSeconds: 30, maxSlowdown: 0.1 };
  const points = measuredLimits(runs, limits, { contention: "network" });
  await t.step("means, margins and statuses", () => {
    assert.equal(points.length, 4);
    const pre = points.find((p) => p.method === "kvm-precopy" && p.dirtyPagesPerSecond === 5120)!;
    assert.equal(pre.runs, 2);
    assert.ok(Math.abs(pre.margins.downtimeSeconds! - (0.35 - 0.4)) < 1e-12);
    assert.ok(Math.abs(pre.margins.timeSeconds! - 5) < 1e-12);
    // The proxy ratio 4000 / 5120 = 0.78: a slowdown of 22 %, over the 10 % limit.
    assert.ok(Math.abs(pre.margins.slowdown! - (0.1 - (1 - 4000 / 5120))) < 1e-12);
    assert.equal(pre.status, "misses");
    assert.equal(points.find((p) => p.dirtyPagesPerSecond === 51200)!.status, "did not converge");
    const idle = points.find((p) => p.method === "kvm-postcopy" && p.wssMib === 0)!;
    assert.deepEqual(idle.unjudged, ["slowdown"]);
    assert.equal(idle.status, "meets");
  });
  await t.step("spareOf gives the tightest margin as a fraction of its limit", () => {
    assert.equal(spareOf({ downtimeSeconds: 0.1, timeSeconds: -15 }, limits), -0.5);
    assert.ok(Number.isNaN(spareOf({}, {})));
  });
  await t.step(
    "figureDecisionLimitsSpec draws the measured points over their method's panel",
    () => {
      const map = decisionMap({ wssBytes: [0, 2 ** 28], dirtyPagesPerSecond: [1024, 51200] });
      const verdicts = decisionLimits(map, { maxDowntimeSeconds: 0.35 });
      const figure = figureDecisionLimitsSpec({
        map,
        verdicts,
        limits: { maxDowntimeSeconds: 0.35 },
        measured: { points, source: { description: "hand-made", synthetic: true } },
      });
      assert.deepEqual(figure.panels.map((p) => p.name), ["verdict", "precopy", "postcopy"]);
      assert.deepEqual(figure.panels[1]!.plot.color!.domain, [...SPARE_BANDS]);
      assert.match(figure.caption, /SYNTHETIC/);
      assert.match(figure.caption, /4 configurations/);
      assert.throws(
        () => figureDecisionLimitsSpec({ map, verdicts: [], limits: {} }),
        { name: "RangeError", message: /figureDecisionLimitsSpec: invalid input.verdicts/ },
      );
    },
  );
});
