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

Deno.test("cpuUse() on the real progress traces of a collect --quick run (src/collect/testdata)", async () => {
  const { loadProgressTrace } = await import("../data/load_progress_trace.ts");
  const dir = new URL("../collect/testdata/collect-quick/traces/", import.meta.url).pathname;
  const files = [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => n.endsWith(".progress.jsonl.gz")).sort();
  assert.ok(files.length >= 3, files.join(", "));
  for (const file of files) {
    const trace = await loadProgressTrace(`${dir}${file}`);
    const { points, migrationSeconds: [start, end] } = cpuUse(trace);
    const mean = (series: string, from: number, to: number) => {
      const v = points.filter((p) =>
        p.series === series && p.timeSeconds > from && p.timeSeconds <= to
      );
      assert.ok(v.length > 0, `${file}: no ${series} points in (${from}, ${to}]`);
      return v.reduce((sum, p) => sum + p.percent, 0) / v.length;
    };
    // Two cores at most, never negative.
    assert.ok(points.every((p) => p.percent >= 0 && p.percent <= 200), file);
    // The guest's vCPU works on the source before the migration and is gone after it.
    assert.ok(mean(CPU_SERIES[0], 1, start) > 2, file);
    assert.ok(mean(CPU_SERIES[0], end + 1, end + 4) < 1, file);
    // A co-located series exactly when the run had a contention process.
    assert.equal(points.some((p) => p.series === CPU_SERIES[1]), trace.contention !== "none", file);
  }
});
