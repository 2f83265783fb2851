import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import {
  disturbanceCells,
  hostOtherCpuSeconds,
  loadAverageAtStart,
  runDelaySeconds,
} from "./_disturbance.ts";
import { type CpuLine, type HostLine, isMigrationThread, type TraceLine } from "./_progress.ts";
import { baseRow } from "./_run_row.ts";
import { PAPER_SETTINGS } from "./_testing.ts";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import type { GridPoint } from "./types.ts";

const RUN: TraceLine = {
  t_since_run_start: 0,
  source: "run",
  end_seconds: 4,
  baseline_seconds: 10,
  clock_ticks_per_second: 100,
  write_pattern: "sweep",
  contention: "cpu",
};

/**
 * A hand-made trace, sampled every 0.1 s from -2 s to 5 s: the source QEMU's
 * main loop (tid 7: 10 ticks/s, waiting 50 ms/s), vCPU (tid 8: 60 ticks/s,
 * waiting 200 ms/s) and a migration thread from 0.05 s to 3 s (tid 9: 50
 * ticks/s, waiting 100 ms/s, then gone); the destination (10 ticks/s) and
 * the load (40 ticks/s); the host lines 0.03 s before each tick: 190 busy
 * ticks/s, the collector 5 ticks/s, the load average 3 + t.
 */
function handMadeTrace(withDelays = true): TraceLine[] {
  const lines: TraceLine[] = [RUN];
  const entry = (tid: number, comm: string, ticks: number, waitNs: number) =>
    withDelays ? [tid, comm, ticks, waitNs] as const : [tid, comm, ticks] as const;
  for (let k = -20; k <= 50; k++) {
    const t = k / 10;
    const source = [
      entry(7, "qemu-system-x86", 1000 + 10 * t, 1e9 + 0.05e9 * t),
      entry(8, "CPU 0/TCG", 5000 + 60 * t, 2e9 + 0.2e9 * t),
    ];
    if (t >= 0.05 && t <= 3) source.push(entry(9, "mig/src/main", 50 * t, 0.1e9 * t));
    const cpu = (process: string, pid: number, threads: readonly (readonly unknown[])[]) =>
      ({ t_since_run_start: t, source: "cpu", process, pid, threads }) as unknown as CpuLine;
    lines.push(
      cpu("source-qemu", 7, source),
      cpu("destination-qemu", 20, [entry(20, "qemu-system-x86", 300 + 10 * t, 0)]),
      cpu("contention", 30, [entry(30, "cpu_hog", 700 + 40 * t, 5e8)]),
    );
    if (withDelays) {
      const th = t - 0.03;
      lines.push(
        {
          t_since_run_start: th,
          source: "host",
          load_average: 3 + th,
          cpu_busy_ticks: 1e5 + 190 * th,
          cpu_total_ticks: 2e5 + 200 * th,
          apparatus_ticks: 400 + 5 * th,
        } satisfies HostLine,
      );
    }
  }
  return lines;
}

const near = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} != ${expected}`,
  );

Deno.test("loadAverageAtStart() takes the last host line at or before migrate", () => {
  near(loadAverageAtStart(handMadeTrace()), 2.97, "load");
  const late = handMadeTrace().filter((l) => l.t_since_run_start > 0);
  assert.equal(loadAverageAtStart(late), undefined);
  assert.equal(loadAverageAtStart(handMadeTrace(false)), undefined);
});

Deno.test("runDelaySeconds() sums the waits of the selected threads over the window", async (t) => {
  const cpu = handMadeTrace().filter((l): l is CpuLine => l.source === "cpu");
  const window = { startSeconds: 0, endSeconds: 4 };
  await t.step("main loop and a migration thread that starts and ends inside", () => {
    // main 0.05 s/s x 4 s + the migration thread's 0.3 s until it went at 3 s.
    near(runDelaySeconds(cpu, "source-qemu", window, isMigrationThread), 0.5, "migration");
  });
  await t.step("the vCPU", () => {
    const vcpu = (_t: number, _p: number, comm: string) => comm.startsWith("CPU ");
    near(runDelaySeconds(cpu, "source-qemu", window, vcpu), 0.8, "vCPU");
  });
  await t.step("undefined outside the lines or without delays", () => {
    const late = { startSeconds: 0, endSeconds: 6 };
    assert.equal(runDelaySeconds(cpu, "source-qemu", late, isMigrationThread), undefined);
    const old = handMadeTrace(false).filter((l): l is CpuLine => l.source === "cpu");
    assert.equal(runDelaySeconds(old, "source-qemu", window, isMigrationThread), undefined);
  });
});

Deno.test("hostOtherCpuSeconds() leaves out both QEMUs, the load and the collector", () => {
  // busy 760 ticks; source 40 + 240 + 150, destination 40, load 160, collector 20: 110 left.
  near(hostOtherCpuSeconds(handMadeTrace(), { startSeconds: 0, endSeconds: 4 }, 100), 1.1, "other");
  assert.equal(
    hostOtherCpuSeconds(handMadeTrace(false), { startSeconds: 0, endSeconds: 4 }, 100),
    undefined,
  );
  const noLoad = handMadeTrace().filter((l) =>
    !(l.source === "cpu" && l.process === "contention" && l.t_since_run_start > 3)
  );
  assert.equal(hostOtherCpuSeconds(noLoad, { startSeconds: 0, endSeconds: 4 }, 100), undefined);
});

Deno.test("disturbanceCells() gives the row's disturbance cells, none on an older trace", () => {
  assert.deepEqual(disturbanceCells(handMadeTrace()), {
    host_load_average: 2.97,
    source_migration_run_delay_seconds: 0.5,
    source_vcpu_run_delay_seconds: 0.8,
    host_other_cpu_seconds: 1.1,
  });
  assert.deepEqual(disturbanceCells(handMadeTrace(false)), {});
  assert.deepEqual(disturbanceCells(handMadeTrace().slice(1)), {});
});

Deno.test("a run row with the disturbance cells survives runs.csv and loads typed", async () => {
  const point: GridPoint = {
    method: "kvm-precopy",
    contention: "cpu",
    wss: 64 * 2 ** 20,
    dirtyPagesPerSecond: 15360,
    run: 1,
  };
  const row = {
    ...baseRow(point, { wss_bytes: 64 * 2 ** 20 }, PAPER_SETTINGS, new Date(0)),
    status: "completed",
    migration_time_seconds: 4,
    ...disturbanceCells(handMadeTrace()),
  };
  const old = baseRow({ ...point, run: 2 }, {}, PAPER_SETTINGS, new Date(0));
  const text = formatRunsCsv([row, old], RUN_COLUMNS);
  const back = parseRunsCsv(text, "runs.csv", { columns: RUN_COLUMNS });
  assert.equal(back[0]!.host_load_average, "2.97");
  assert.equal(back[0]!.source_migration_run_delay_seconds, "0.5");
  assert.equal(back[1]!.host_other_cpu_seconds, "");
  assert.equal(formatRunsCsv(back, RUN_COLUMNS), text);
  const { runs } = await loadRuns(text, { fileName: "runs.csv" });
  assert.equal(runs[0]!.hostLoadAverage, 2.97);
  assert.equal(runs[0]!.sourceMigrationRunDelaySeconds, 0.5);
  assert.equal(runs[0]!.sourceVcpuRunDelaySeconds, 0.8);
  assert.equal(runs[0]!.hostOtherCpuSeconds, 1.1);
  for (const field of ["hostLoadAverage", "hostOtherCpuSeconds"] as const) {
    assert.equal(runs[1]![field], undefined);
    assert.equal(field in runs[1]!, false);
  }
  // A small negative host_other_cpu_seconds (sampling) loads; a negative run delay does not.
  const negative = text.replace(",1.1,2.97", ",-0.02,2.97");
  assert.notEqual(negative, text);
  assert.equal(
    (await loadRuns(negative, { fileName: "runs.csv" })).runs[0]!.hostOtherCpuSeconds,
    -0.02,
  );
  const badDelay = text.replace(",0.5,0.8,", ",-0.5,0.8,");
  await assert.rejects(
    loadRuns(badDelay, { fileName: "runs.csv" }),
    /source_migration_run_delay_seconds/,
  );
});

Deno.test("loadRuns() reads a committed dataset written before the disturbance columns", async () => {
  const { runs } = await loadRuns(
    new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url),
  );
  assert.ok(runs.length > 100);
  assert.ok(
    runs.every((r) => r.hostLoadAverage === undefined && r.hostOtherCpuSeconds === undefined),
  );
  // The sweep's later repeats have them, typed; its earlier rows do not.
  const sweep = await loadRuns(
    new URL("../../data/qemu-tcg-1gbit-downtime-limit/runs.csv", import.meta.url),
  );
  const withColumns = sweep.runs.filter((r) => r.hostLoadAverage !== undefined);
  assert.ok(withColumns.length >= 24 && withColumns.length < sweep.runs.length);
  assert.ok(
    withColumns.every((r) =>
      typeof r.sourceMigrationRunDelaySeconds === "number" && r.sourceMigrationRunDelaySeconds >= 0
    ),
  );
});
