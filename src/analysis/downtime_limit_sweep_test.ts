import assert from "node:assert/strict";
import type { MigrationRun } from "../data/types.ts";
import {
  compareSweepWithModel,
  downtimeLimitSweep,
  isDowntimeLimitSweep,
} from "./downtime_limit_sweep.ts";
import { downtimeLimitCurves } from "./downtime_limit_curves.ts";
import { figureDowntimeLimitSpec } from "../plot/figure_downtime_limit_spec.ts";
import { render } from "../plot/render.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";

const M = 1.5 * 2 ** 30;
const B = 125e6;

/** A SYNTHETIC sweep run (hand-made for tests, not measured). */
function syntheticRun(
  wss: number | "full",
  limit: number,
  status: string,
  timeSeconds: number,
  downtimeSeconds?: number,
): MigrationRun {
  return {
    method: "kvm-precopy",
    contention: "none",
    memoryBytes: M,
    wssBytes: wss === "full" ? M - 40 * 2 ** 20 : wss,
    dirtyPagesPerSecond: 50000,
    pageBytes: 4096,
    migrationTimeSeconds: timeSeconds,
    ...(downtimeSeconds !== undefined ? { downtimeSeconds } : {}),
    status,
    downtimeLimitSeconds: limit,
    requestedWssBytes: wss === "full" ? M : wss,
    requestedDirtyPagesPerSecond: 51200,
    timeoutSeconds: 40,
    extra: { source: "synthetic" },
  };
}

const SYNTHETIC_SWEEP = [
  syntheticRun("full", 3, "non-convergent", 40),
  syntheticRun("full", 12, "completed", 24, 11.3),
  syntheticRun(2 ** 27, 0.6, "non-convergent", 40),
  syntheticRun(2 ** 27, 1.2, "completed", 13.9, 1.05),
  syntheticRun(2 ** 27, 2, "failed", 3),
  { ...syntheticRun(2 ** 27, 1.2, "completed", 12), method: "kvm-postcopy" },
];

Deno.test("isDowntimeLimitSweep() needs kvm-precopy runs at two limits", () => {
  assert.equal(isDowntimeLimitSweep(SYNTHETIC_SWEEP), true);
  assert.equal(isDowntimeLimitSweep(SYNTHETIC_SWEEP.slice(3, 4)), false);
  const oneLimit = SYNTHETIC_SWEEP.map((r) => ({
    ...r,
    downtimeLimitSeconds: 0.3,
  }));
  assert.equal(isDowntimeLimitSweep(oneLimit), false);
  assert.equal(isDowntimeLimitSweep([]), false);
});

Deno.test("downtimeLimitSweep() orders workloads by WSS and keeps the runs' outcomes", () => {
  const sweep = downtimeLimitSweep(SYNTHETIC_SWEEP);
  assert.deepEqual(sweep.workloads.map((w) => w.label), [
    "(a) WSS 128 MiB, 51200 pages/s",
    "(b) WSS Full (1496 MiB), 51200 pages/s",
  ]);
  assert.equal(sweep.workloads[0]!.dirtyPagesPerSecond, 50000);
  assert.equal(sweep.memoryBytes, M);
  assert.equal(sweep.timeoutSeconds, 40);
  assert.deepEqual(sweep.leftOut, { failed: 1 });
  assert.equal(sweep.measured.length, 4);
  const stuck = sweep.measured.find((m) => m.limitSeconds === 0.6)!;
  assert.equal(stuck.outcome, "did not converge");
  assert.equal(stuck.downtimeSeconds, undefined);
  assert.throws(() => downtimeLimitSweep(SYNTHETIC_SWEEP.slice(-1)), RangeError);
});

Deno.test("compareSweepWithModel() brackets the measured switch and counts agreement", () => {
  const [small, full] = compareSweepWithModel(downtimeLimitSweep(SYNTHETIC_SWEEP), B);
  // 128 MiB at 50000 pages/s: QEMU's rule converges from about 0.67 s (W/B = 1.07 s).
  assert.equal(small!.lastStuckSeconds, 0.6);
  assert.equal(small!.firstConvergedSeconds, 1.2);
  assert.equal(small!.agreeing, 2);
  assert.equal(small!.runs, 2);
  assert.ok(Number.isFinite(small!.convergedMapePercent));
  // Full (W/B = 12.55 s): QEMU's rule converges from about 7.8 s, so stuck at 3 s and
  // converged at 12 s, as measured (the between-rounds rule would call 12 s stuck).
  assert.equal(full!.agreeing, 2);
  assert.ok(Number.isFinite(full!.convergedMapePercent));
  const old = kvmPrecopy(
    {
      memoryBytes: M,
      wssBytes: M - 40 * 2 ** 20,
      dirtyPagesPerSecond: 50000,
      bandwidthBytesPerSecond: B,
    },
    { switchRule: "between-rounds", downtimeLimitSeconds: 12, timeoutSeconds: 40 },
  );
  assert.equal(old.converged, false);
});

Deno.test("figureDowntimeLimitSpec() draws measured runs as rings and names their source", async () => {
  const sweep = downtimeLimitSweep(SYNTHETIC_SWEEP);
  const source = { description: "hand-made test runs", synthetic: true };
  const curves = downtimeLimitCurves({
    memoryBytes: sweep.memoryBytes,
    workloads: sweep.workloads,
    timeoutSeconds: 40,
  });
  const figure = figureDowntimeLimitSpec(curves, {
    measured: sweep.measured,
    measuredSource: source,
  });
  assert.ok(figure.title.startsWith("SYNTHETIC"));
  assert.match(figure.title, /model and measured runs/);
  assert.match(figure.caption ?? "", /Rings: 4 measured runs/);
  assert.ok(figure.legends!.some((l) => l.items.some((i) => i.symbol === "ring")));
  const svg = await render(figure, { format: "svg" }) as string;
  // Rings for the 2 converged runs in both panels; crosses for the 2 that did not converge,
  // at the time they were cancelled (time panel only: no downtime).
  assert.equal((svg.match(/<circle stroke="[^"]*" r="4.5"/g) ?? []).length, 4);
  assert.equal(
    (svg.match(/<path stroke="#D55E00" d="M-4\.87,-4\.87L4\.87,4\.87/g) ?? []).length,
    2,
  );
  assert.ok(figure.legends!.some((l) => l.items.some((i) => i.symbol === "cross")));
  assert.throws(
    () => figureDowntimeLimitSpec(curves, { measured: sweep.measured }),
    TypeError,
  );
  assert.throws(
    () =>
      figureDowntimeLimitSpec(curves, {
        measured: [{ ...sweep.measured[0]!, workload: "other" }],
        measuredSource: source,
      }),
    RangeError,
  );
});

Deno.test("downtimeLimitSweep() gives workloads their zero pages and keeps random writes apart", () => {
  const zero = (run: MigrationRun, pages: number, pattern?: string) => ({
    ...run,
    extra: { ...run.extra, zero_pages: pages, ...(pattern ? { write_pattern: pattern } : {}) },
  });
  const sweep = downtimeLimitSweep([
    zero(syntheticRun(2 ** 27, 0.6, "non-convergent", 40), 1000),
    zero(syntheticRun(2 ** 27, 1.2, "completed", 13.9, 1.05), 3000),
    zero(syntheticRun(2 ** 27, 1.2, "completed", 14, 1.1), 2000, "random"),
  ]);
  assert.deepEqual(sweep.workloads.map((w) => [w.label, w.zeroBytes, w.writePattern]), [
    ["(a) WSS 128 MiB, 51200 pages/s", 3000 * 4096, undefined],
    ["(b) WSS 128 MiB, 51200 pages/s, random writes", 2000 * 4096, "random"],
  ]);
  const [, random] = compareSweepWithModel(sweep, B);
  assert.equal(random!.runs, 1);
});
