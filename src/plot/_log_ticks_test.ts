import assert from "node:assert/strict";
import {
  decades,
  facetWidth,
  labelWidth,
  logTicks,
  niceLogTicks,
  plainTick,
  spacedTicks,
} from "./_log_ticks.ts";

Deno.test("logTicks() always gives at least 3 labelled ticks, coarsest first", async (t) => {
  await t.step("several decades: the powers of ten", () => {
    assert.deepEqual(logTicks(0.01, 100), [0.01, 0.1, 1, 10, 100]);
    assert.deepEqual(decades(0.01, 100), [0.01, 0.1, 1, 10, 100]);
  });
  await t.step("about one decade: 1-3 or 1-2-5", () => {
    assert.deepEqual(logTicks(2, 40), [3, 10, 30]);
    assert.deepEqual(logTicks(1.5, 12), [2, 5, 10]);
  });
  await t.step("inside one decade: finer ladders", () => {
    assert.deepEqual(logTicks(12.5, 40), [15, 20, 30]);
    // Only 15 sits on a ladder in [13, 19]: evenly spaced values instead.
    assert.deepEqual(logTicks(13, 19), [14, 16, 18]);
  });
  await t.step("inside a fraction of a decade: evenly spaced values", () => {
    const ticks = logTicks(12.6, 13.1);
    assert.ok(ticks.length >= 3, String(ticks));
    assert.ok(ticks.every((v) => v >= 12.6 && v <= 13.1), String(ticks));
    assert.equal(new Set(ticks.map(String)).size, ticks.length);
  });
  await t.step("many decades: every k-th, at most 8", () => {
    const ticks = logTicks(1e-6, 1e9);
    assert.ok(ticks.length <= 8 && ticks.length >= 3, String(ticks));
    assert.equal(ticks[0], 1e-6);
  });
  await t.step("one value, or none", () => {
    assert.deepEqual(logTicks(5, 5), [5]);
    assert.deepEqual(logTicks(0, 5), []);
    assert.deepEqual(niceLogTicks([13, 14, 19, Number.NaN, 0]), [14, 16, 18]);
  });
});

Deno.test("spacedTicks() thins the ticks until their labels do not overlap", () => {
  const ticks = [1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000];
  const format = (v: number) => String(v);
  // Wide: all kept.
  assert.deepEqual(spacedTicks(ticks, [600, 300000], 2000, format), ticks);
  // Narrow: every k-th, and the kept labels are apart by their half widths plus the gap.
  const width = 150;
  const kept = spacedTicks(ticks, [600, 300000], width, format);
  assert.ok(kept.length < ticks.length && kept.length >= 2, String(kept));
  const at = (v: number) => width * Math.log(v / 600) / Math.log(300000 / 600);
  for (let i = 1; i < kept.length; i++) {
    const need = (labelWidth(format(kept[i - 1]!)) + labelWidth(format(kept[i]!))) / 2 + 4;
    assert.ok(at(kept[i]!) - at(kept[i - 1]!) >= need);
  }
  // Too narrow for two labels: the first only.
  assert.deepEqual(spacedTicks(ticks, [600, 300000], 20, format), [1000]);
});

Deno.test("facetWidth() is the band of one column of Plot's fx scale", () => {
  // 1000 px wide, 100 px of margins, 4 columns, padding 0.1: 900 · 0.9 / 4.1.
  assert.ok(
    Math.abs(facetWidth(1000, { marginLeft: 60, marginRight: 40 }, 4, 0.1) - 197.56) < 0.01,
  );
});

Deno.test("plainTick() writes a tick as a plain decimal number, never an SI prefix or exponent", () => {
  const cases: [number, string][] = [
    [0.1, "0.1"],
    [1, "1"],
    [10, "10"],
    [100, "100"],
    [0.003, "0.003"],
    [0.0005, "0.0005"],
    [1e-7, "0.0000001"],
    [2.5e-8, "0.000000025"],
    [51200, "51200"],
    [1e21, "1000000000000000000000"],
    [0.30000000000000004, "0.3"],
  ];
  for (const [value, text] of cases) assert.equal(plainTick(value), text, String(value));
});
