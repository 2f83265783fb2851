import assert from "node:assert/strict";
import { cpuUse } from "./cpu_use.ts";
import { parseProgressTrace } from "../data/parse_progress_trace.ts";
import { syntheticProgressTrace } from "../data/_synthetic_progress_trace.ts";
import { CPU_SERIES, figureCpuUseSpec } from "../plot/figure_cpu_use_spec.ts";

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

Deno.test("cpuUse() splits the source host's CPU into VM, load and migration (SYNTHETIC trace)", async (t) => {
  const trace = parseProgressTrace(syntheticProgressTrace({ endSeconds: 4, vcpuPercent: 60 }));
  const { points, migrationSeconds } = cpuUse(trace);
  const at = (series: string, time: number) =>
    points.find((p) => p.series === series && close(p.timeSeconds, time))!.percent;
  await t.step("baseline and migration levels of each series", () => {
    assert.deepEqual(migrationSeconds, [10, 14]);
    assert.ok(close(at(CPU_SERIES[0], 5), 60));
    assert.ok(close(at(CPU_SERIES[0], 12), 30));
    assert.ok(close(at(CPU_SERIES[1], 12), 40));
    assert.ok(close(at(CPU_SERIES[2], 5), 1)); // the main loop alone
    assert.ok(close(at(CPU_SERIES[2], 12), 41)); // main loop + mig/src/send
  });
  await t.step("no contention process, no load series", () => {
    const quiet = cpuUse(parseProgressTrace(syntheticProgressTrace({ contention: "none" })));
    assert.equal(quiet.points.filter((p) => p.series === CPU_SERIES[1]).length, 0);
  });
  await t.step("the start option shifts the time axis", () => {
    const shifted = cpuUse(trace, { migrationStartSeconds: 0 });
    assert.deepEqual(shifted.migrationSeconds, [0, 4]);
  });
  await t.step("figureCpuUseSpec draws one facet row per method", () => {
    const figure = figureCpuUseSpec([
      { method: "kvm-precopy", run: "synthetic", points, migrationSeconds },
      { method: "kvm-postcopy", run: "synthetic", points, migrationSeconds },
    ], { source: { description: "syntheticProgressTrace", synthetic: true } });
    assert.deepEqual(figure.panels[0]!.plot.fy!.domain, ["KVM pre-copy", "KVM post-copy"]);
    assert.ok(figure.title.startsWith("SYNTHETIC"));
    assert.throws(() => figureCpuUseSpec([], { source: { description: "", synthetic: true } }), {
      name: "RangeError",
    });
  });
  await t.step("errors", () => {
    assert.throws(() => cpuUse({ ...trace, clockTicksPerSecond: 0 }), {
      name: "RangeError",
      message: /cpuUse: .*clockTicksPerSecond/,
    });
  });
});
