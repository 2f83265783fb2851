import assert from "node:assert/strict";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { kvmSwitchLimit } from "../models/kvm_switch_limit.ts";
import { downtimeLimitCurves } from "./downtime_limit_curves.ts";

const M = 1.5 * 2 ** 30;
const B = 125e6;

Deno.test("downtimeLimitCurves() finds the sharp switch of Figure 3", async (t) => {
  const workloads = [
    { label: "WSS 128 MiB", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 },
    { label: "WSS Full", wssBytes: M, dirtyPagesPerSecond: 51200 },
  ];
  const curves = downtimeLimitCurves({ workloads });

  await t.step("switch points: kvmSwitchLimit's (QEMU's rule), M/B for the whole", () => {
    const s128 = curves.switches.filter((s) => s.workload === "WSS 128 MiB");
    assert.equal(s128.length, 2);
    const input = { memoryBytes: M, wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 };
    const expected = kvmSwitchLimit({ ...input, bandwidthBytesPerSecond: B }, {
      timeoutSeconds: 600,
      lowSeconds: 0.01,
      highSeconds: 100,
      toleranceSeconds: 1e-8,
    });
    assert.ok(Math.abs(s128[0]!.limitSeconds - expected.limitSeconds!) < 1e-7);
    // Below the remainder's floor W / B = 1.0737 s, where the between-rounds rule switches.
    assert.ok(s128[0]!.limitSeconds < 0.7 * 2 ** 27 / B);
    assert.equal(s128[0]!.what, "starts to converge");
    assert.ok(Math.abs(s128[1]!.limitSeconds - M / B) < 1e-9);
    const full = curves.switches.filter((s) => s.workload === "WSS Full");
    assert.deepEqual(full.map((s) => s.what), [
      "starts to converge",
      "whole memory in one stop-and-copy",
    ]);
    assert.ok(full[0]!.limitSeconds > 7 && full[0]!.limitSeconds < M / B);
  });

  await t.step("the between-rounds rule switches at the remainder's floor", () => {
    const old = downtimeLimitCurves({ workloads, switchRule: "between-rounds" });
    const s128 = old.switches.filter((s) => s.workload === "WSS 128 MiB");
    // Floor of the remainder: W / B = 2^27 / 125e6 = 1.0737 s.
    assert.ok(Math.abs(s128[0]!.limitSeconds - 2 ** 27 / B) < 1e-6);
    const full = old.switches.filter((s) => s.workload === "WSS Full");
    assert.deepEqual(full.map((s) => s.what), ["whole memory in one stop-and-copy"]);
  });

  await t.step("points agree with kvmPrecopy on both sides of the switch", () => {
    const points = curves.points.filter((p) => p.workload === "WSS 128 MiB");
    const at = curves.switches.find((s) => s.workload === "WSS 128 MiB")!.limitSeconds;
    const below = points.filter((p) => p.limitSeconds < at * (1 - 1e-6));
    const above = points.filter((p) => p.limitSeconds >= at && p.limitSeconds < 12);
    assert.ok(below.length > 10 && above.length > 10);
    assert.ok(below.every((p) => p.outcome === "did not converge" && p.timeSeconds === 600));
    assert.ok(above.every((p) => p.outcome === "converged" && p.timeSeconds < 600));
    // Just above the switch QEMU's rule needs many syncs; from 1.5 times it on, about M/B.
    assert.ok(above.filter((p) => p.limitSeconds > 1.5 * at).every((p) => p.timeSeconds < 20));
    const sample = above[3]!;
    const model = kvmPrecopy(
      { memoryBytes: M, wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: B },
      { downtimeLimitSeconds: sample.limitSeconds },
    );
    assert.equal(sample.timeSeconds, model.migrationTimeSeconds);
    assert.equal(sample.downtimeSeconds, model.downtimeSeconds);
  });

  await t.step("the grid's range, and 2 extra limits at each switch", () => {
    const [lo, hi] = curves.limitRangeSeconds;
    assert.ok(Math.abs(lo - 0.01) < 1e-12 && Math.abs(hi - 100) < 1e-9);
    // 241 grid limits per workload plus 2 at each bisected and each M/B switch
    // (both workloads' switches lie below M/B).
    assert.equal(curves.points.length, 241 * 2 + 8);
    assert.deepEqual(curves.workloads.map((w) => w.label), ["WSS 128 MiB", "WSS Full"]);
    assert.equal(curves.timeoutSeconds, 600);
  });

  await t.step("the default workloads are the paper's three columns", () => {
    const paper = downtimeLimitCurves();
    assert.deepEqual(paper.workloads.map((w) => w.wssBytes), [0, 2 ** 27, M]);
    assert.equal(paper.memoryBytes, M);
    assert.equal(paper.bandwidthBytesPerSecond, B);
  });
});

Deno.test("downtimeLimitCurves() rejects bad options", () => {
  assert.throws(
    () => downtimeLimitCurves({ bandwidthBytesPerSecond: -1 }),
    new RangeError(
      'downtimeLimitCurves: invalid option "bandwidthBytesPerSecond", expected a finite number > 0 bytes/s (got -1)',
    ),
  );
  assert.throws(
    () => downtimeLimitCurves({ downtimeLimitsSeconds: [1] }),
    new TypeError(
      'downtimeLimitCurves: invalid option "downtimeLimitsSeconds", expected an array of at least 2 limits (got [1])',
    ),
  );
  assert.throws(
    () =>
      downtimeLimitCurves({
        workloads: [{ label: "too big", wssBytes: 2 * M, dirtyPagesPerSecond: 1 }],
      }),
    RangeError,
  );
});

Deno.test("downtimeLimitCurves() adds a reference rule and passes zero pages and the write pattern", async (t) => {
  const workload = { label: "w", wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200 };
  await t.step("the reference rule's points at the same limits and at its own switch", () => {
    const curves = downtimeLimitCurves({ workloads: [workload], referenceRule: "between-rounds" });
    assert.equal(curves.switchRule, "qemu");
    const ref = curves.reference!;
    assert.equal(ref.switchRule, "between-rounds");
    // The main points' limits plus both sides of the reference's own switch (W/B).
    assert.equal(ref.points.length, curves.points.length + 2);
    const at = ref.points.find((p) => Math.abs(p.limitSeconds - 2 ** 27 / B) < 1e-5)!;
    const old = kvmPrecopy(
      { memoryBytes: M, wssBytes: 2 ** 27, dirtyPagesPerSecond: 51200, bandwidthBytesPerSecond: B },
      { switchRule: "between-rounds", downtimeLimitSeconds: at.limitSeconds },
    );
    assert.equal(at.timeSeconds, old.migrationTimeSeconds);
    assert.equal(downtimeLimitCurves({ workloads: [workload] }).reference, undefined);
  });
  await t.step("zeroBytes and writePattern reach kvmPrecopy", () => {
    const special = { ...workload, zeroBytes: 2 ** 29, writePattern: "random" as const };
    const curves = downtimeLimitCurves({ workloads: [special], downtimeLimitsSeconds: [0.5, 2] });
    const model = kvmPrecopy(
      {
        memoryBytes: M,
        wssBytes: 2 ** 27,
        dirtyPagesPerSecond: 51200,
        bandwidthBytesPerSecond: B,
        zeroBytes: 2 ** 29,
      },
      { downtimeLimitSeconds: 2, writePattern: "random" },
    );
    const point = curves.points.find((p) => p.limitSeconds === 2)!;
    assert.equal(point.timeSeconds, model.migrationTimeSeconds);
    assert.equal(point.downtimeSeconds, model.downtimeSeconds);
  });
  await t.step("a bad rule is refused", () => {
    assert.throws(
      () => downtimeLimitCurves({ referenceRule: "xen" as never }),
      new TypeError(
        'downtimeLimitCurves: invalid option "referenceRule", expected "qemu" or "between-rounds" (got "xen")',
      ),
    );
  });
});
