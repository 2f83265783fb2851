import * as Plot from "@observablehq/plot";
import assert from "node:assert/strict";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";

const M = 1.5 * 2 ** 30;
const B = 125e6;

Deno.test("figureDowntimeLimitSpec() shows the sharp switch of Figure 3", async (t) => {
  const workloads = [
    { label: "WSS 128 MiB", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 },
    { label: "WSS Full", wssBytes: M, dirtyPagesPerSecond: 51200 },
  ];
  const figure = figureDowntimeLimitSpec({ workloads });

  await t.step("switch points: convergence at the remainder's floor, M/B for the whole", () => {
    const s128 = figure.switches.filter((s) => s.workload === "WSS 128 MiB");
    assert.equal(s128.length, 2);
    // Floor of the remainder: W / B = 2^27 / 125e6 = 1.0737 s.
    assert.ok(Math.abs(s128[0]!.limitSeconds - 2 ** 27 / B) < 1e-6);
    assert.equal(s128[0]!.what, "starts to converge");
    assert.ok(Math.abs(s128[1]!.limitSeconds - M / B) < 1e-9);
    const full = figure.switches.filter((s) => s.workload === "WSS Full");
    assert.deepEqual(full.map((s) => s.what), ["whole memory in one stop-and-copy"]);
  });

  await t.step("points agree with kvmPrecopy on both sides of the switch", () => {
    const points = figure.points.filter((p) => p.workload === "WSS 128 MiB");
    const below = points.filter((p) => p.limitSeconds < 1.07);
    const above = points.filter((p) => p.limitSeconds > 1.08 && p.limitSeconds < 12);
    assert.ok(below.length > 10 && above.length > 10);
    assert.ok(below.every((p) => p.outcome === "did not converge" && p.timeSeconds === 600));
    assert.ok(above.every((p) => p.outcome === "converged" && p.timeSeconds < 20));
    const sample = above[3]!;
    const model = kvmPrecopy(
      { memoryBytes: M, wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: B },
      { downtimeLimitSeconds: sample.limitSeconds, switchRule: "between-rounds" }, // the figure's rule for now
    );
    assert.equal(sample.timeSeconds, model.migrationTimeSeconds);
    assert.equal(sample.downtimeSeconds, model.downtimeSeconds);
  });

  await t.step("panels: time (log y) and downtime, dots coloured by outcome, x log", () => {
    assert.deepEqual(figure.panels.map((p) => p.name), ["time", "downtime"]);
    const [time, downtime] = figure.panels;
    assert.equal(time!.plot.y!.type, "log");
    assert.equal(time!.plot.x!.type, "log");
    const [lo, hi] = time!.plot.x!.domain as number[];
    assert.ok(Math.abs(lo! - 0.01) < 1e-12 && Math.abs(hi! - 100) < 1e-9);
    assert.deepEqual(time!.plot.color!.domain, ["converged", "did not converge"]);
    assert.deepEqual(downtime!.plot.fx!.domain, ["WSS 128 MiB", "WSS Full"]);
    const marks = downtime!.plot.marks!;
    assert.ok(marks[1] instanceof Plot.RuleX);
    assert.ok(marks[2] instanceof Plot.Line);
    assert.ok(marks[3] instanceof Plot.Dot);
    // 241 grid limits per workload, plus 2 around each switch.
    // 241 grid limits per workload plus 2 at each bisected and each M/B switch
    // (for Full the bisected limit is M/B itself, so it is added twice).
    assert.equal(dataOf(marks[3]).length, 241 * 2 + 8);
  });

  await t.step("a nominal B is called nominal; a synthetic fitted B marks the title", () => {
    assert.match(figure.caption, /nominal, not fitted/);
    const fitted = figureDowntimeLimitSpec({
      bandwidthBytesPerSecond: 110e6,
      bandwidthSource: { description: "paper grid", synthetic: true },
    });
    assert.ok(fitted.title.startsWith("SYNTHETIC DATA"));
    assert.match(fitted.caption, /SYNTHETIC/);
  });
});

Deno.test("figureDowntimeLimitSpec() rejects bad options", () => {
  assert.throws(
    () => figureDowntimeLimitSpec({ bandwidthBytesPerSecond: -1 }),
    new RangeError(
      'figureDowntimeLimitSpec: invalid option "bandwidthBytesPerSecond", expected a finite number > 0 bytes/s (got -1)',
    ),
  );
  assert.throws(
    () => figureDowntimeLimitSpec({ downtimeLimitsSeconds: [1] }),
    new TypeError(
      'figureDowntimeLimitSpec: invalid option "downtimeLimitsSeconds", expected an array of at least 2 limits (got [1])',
    ),
  );
  assert.throws(
    () =>
      figureDowntimeLimitSpec({
        workloads: [{ label: "too big", wssBytes: 2 * M, dirtyPagesPerSecond: 1 }],
      }),
    RangeError,
  );
});

/** The data array a Plot mark was given (marks keep it as `data`). */
function dataOf(mark: unknown): unknown[] {
  return (mark as { data: unknown[] }).data;
}
