import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import {
  blocktimeCells,
  clockOffset,
  counterAt,
  type CpuLine,
  migrationCpuSeconds,
  progressCells,
  type ProgressLine,
  progressSummary,
  type TraceLine,
} from "./_progress.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";

/**
 * A hand-made guest: 1000 pages/s from -10 s, then in the migration [0, 4] s
 * 500 pages/s for 2 s, paused (no reports) for 1 s, 1000 pages/s again; so it
 * does 2000 of the 4000 pages it would have: ratio 0.5, 2 s lost.
 */
function handMadeGuest(): Array<{ t: number; count: number }> {
  const points: Array<{ t: number; count: number }> = [];
  for (let k = -100; k <= 60; k++) {
    const t = k / 10;
    if (t > 2 && t < 3) continue; // paused
    const count = t <= 0
      ? 10000 + 1000 * t
      : t <= 2
      ? 10000 + 500 * t
      : t <= 3
      ? 11000
      : 11000 + 1000 * (t - 3);
    points.push({ t, count });
  }
  return points;
}

Deno.test("counterAt() interpolates between points and is undefined outside them", () => {
  const points = [{ t: 0, count: 0 }, { t: 1, count: 10 }, { t: 3, count: 10 }];
  assert.equal(counterAt(points, 0.25), 2.5);
  assert.equal(counterAt(points, 2), 10);
  assert.equal(counterAt(points, 3), 10);
  assert.equal(counterAt(points, -0.1), undefined);
  assert.equal(counterAt(points, 3.1), undefined);
  assert.equal(counterAt([], 0), undefined);
});

Deno.test("progressSummary() gives the work done against the baseline rate", async (t) => {
  const guest = handMadeGuest();
  await t.step("hand-made slowdown and pause", () => {
    const s = progressSummary(guest, { endSeconds: 4, baselineSeconds: 10 })!;
    assert.ok(Math.abs(s.baselineRate - 1000) < 1e-9, String(s.baselineRate));
    assert.ok(Math.abs(s.ratio - 0.5) < 1e-9, String(s.ratio));
    assert.ok(Math.abs(s.lostSeconds - 2) < 1e-9, String(s.lostSeconds));
  });
  await t.step("no slowdown gives 1 and 0 s lost", () => {
    const steady = guest.map((p) => ({ t: p.t, count: 10000 + 1000 * p.t }));
    const s = progressSummary(steady, { endSeconds: 4, baselineSeconds: 10 })!;
    assert.ok(Math.abs(s.ratio - 1) < 1e-12 && Math.abs(s.lostSeconds) < 1e-9);
  });
  await t.step("a shorter baseline is used down to minBaselineSeconds", () => {
    const late = guest.filter((p) => p.t >= -3);
    assert.ok(
      Math.abs(progressSummary(late, { endSeconds: 4, baselineSeconds: 10 })!.ratio - 0.5) < 1e-9,
    );
    assert.equal(
      progressSummary(late, { endSeconds: 4, baselineSeconds: 10, minBaselineSeconds: 5 }),
      undefined,
    );
  });
  await t.step("undefined when the points end before the migration does", () => {
    assert.equal(progressSummary(guest, { endSeconds: 7, baselineSeconds: 10 }), undefined);
  });
  await t.step("undefined for an idle guest (no baseline work)", () => {
    const idle = guest.map((p) => ({ t: p.t, count: 5 }));
    assert.equal(progressSummary(idle, { endSeconds: 4, baselineSeconds: 10 }), undefined);
  });
});

Deno.test("clockOffset() maps a process's clock by its least-delayed report", () => {
  const reports = [
    { received: 100.3, own: 50.1 },
    { received: 100.25, own: 50.2 },
    { received: 100.9, own: 50.3 },
  ];
  assert.ok(Math.abs(clockOffset(reports) - 50.05) < 1e-9);
});

const cpuLine = (t: number, threads: Array<[number, string, number]>): CpuLine => ({
  t_since_run_start: t,
  source: "cpu",
  process: "source-qemu",
  pid: 7,
  threads,
});

/**
 * Main loop (tid 7) at 10 ticks/s, vCPU at 100 ticks/s (not migration work),
 * a migration thread started at 0 s at 50 ticks/s, gone after 3 s.
 */
function handMadeCpu(): CpuLine[] {
  const lines: CpuLine[] = [];
  for (let k = -20; k <= 50; k++) {
    const t = k / 10;
    const threads: Array<[number, string, number]> = [
      [7, "qemu-system-x86", 1000 + 10 * t],
      [8, "CPU 0/TCG", 5000 + 100 * t],
    ];
    if (t >= 0.05 && t <= 3) threads.push([9, "mig/src/main", 50 * t]);
    lines.push(cpuLine(t, threads));
  }
  return lines;
}

Deno.test("migrationCpuSeconds() sums the main loop and the migration threads", () => {
  const lines = handMadeCpu();
  // main 40 ticks + migration thread 150 ticks, at 100 ticks/s.
  const seconds = migrationCpuSeconds(lines, "source-qemu", 0, 4, 100)!;
  assert.ok(Math.abs(seconds - 1.9) < 1e-9, String(seconds));
  assert.equal(migrationCpuSeconds(lines, "destination-qemu", 0, 4, 100), undefined);
  assert.equal(migrationCpuSeconds(lines, "source-qemu", 0, 6, 100), undefined);
});

Deno.test("progressCells() gives the row's noise cells from a progress trace", async (t) => {
  const run = (contention: string): TraceLine => ({
    t_since_run_start: 0,
    source: "run",
    end_seconds: 4,
    baseline_seconds: 10,
    clock_ticks_per_second: 100,
    write_pattern: "sweep",
    contention,
  });
  const guest: ProgressLine[] = handMadeGuest().map((p) => ({
    t_since_run_start: p.t,
    source: "guest",
    count: p.count,
    unit: "pages",
    from: p.t < 2 ? "source" : "destination",
    t_own: p.t,
  }));
  // The load runs at 3/4 of its baseline rate during the migration.
  const load: ProgressLine[] = handMadeGuest().map((p) => ({
    t_since_run_start: p.t,
    source: "colocated",
    count: p.t <= 0 ? 1e6 + 2e5 * p.t : 1e6 + 1.5e5 * p.t,
    unit: "iterations",
    from: "cpu",
    t_own: p.t + 100,
  }));
  const cpu = handMadeCpu();
  await t.step("under cpu contention", () => {
    assert.deepEqual(progressCells([run("cpu"), ...guest, ...load, ...cpu]), {
      guest_progress_ratio: 0.5,
      guest_lost_seconds: 2,
      colocated_progress_ratio: 0.75,
      source_migration_cpu_seconds: 1.9,
    });
  });
  await t.step("no colocated ratio under none, nothing without a run line", () => {
    assert.deepEqual(progressCells([run("none"), ...guest, ...load]), {
      guest_progress_ratio: 0.5,
      guest_lost_seconds: 2,
    });
    assert.deepEqual(progressCells([...guest, ...load]), {});
  });
});

Deno.test("blocktimeCells() reads every committed post-copy run's destination reply", () => {
  const dataset = new URL("../../data/qemu-tcg-1gbit/", import.meta.url);
  const rows = parseRunsCsv(Deno.readTextFileSync(new URL("runs.csv", dataset)));
  let checked = 0;
  for (const row of rows) {
    if (row.method !== "kvm-postcopy" || row.status !== "completed") continue;
    const text = new TextDecoder().decode(
      gunzipSync(Deno.readFileSync(new URL(`traces/${row.trace_file}`, dataset))),
    );
    const last = JSON.parse(text.trimEnd().split("\n").at(-1)!).query_migrate;
    const cells = blocktimeCells(last);
    if (row.postcopy_switched !== "true") continue;
    const seconds = Number(cells.postcopy_blocktime_seconds);
    assert.ok(
      seconds >= 0 && seconds < Number(row.migration_time_seconds) + 1,
      row.trace_file as string,
    );
    // One vCPU: QEMU 10.0's per-vCPU time equals the total in most runs and exceeds it in
    // some (its total counts only while every vCPU is blocked, and misses some faults).
    const perVcpu = Number(cells.postcopy_vcpu_blocktime_seconds);
    assert.ok(perVcpu >= seconds, `${row.trace_file}: ${perVcpu} < ${seconds}`);
    checked++;
  }
  assert.ok(checked > 50, `checked ${checked} runs`);
  assert.deepEqual(blocktimeCells({ status: "completed" }), {});
  assert.deepEqual(blocktimeCells(undefined), {});
});

Deno.test("progressCells() gives back the noise cells of every committed run with a progress trace", () => {
  const folders = [
    new URL("../../data/", import.meta.url),
    new URL("./testdata/", import.meta.url),
  ].flatMap((root) => {
    try {
      return [...Deno.readDirSync(root)].filter((e) => e.isDirectory).map((e) =>
        new URL(`${e.name}/`, root)
      );
    } catch {
      return [];
    }
  });
  const cells = [
    "guest_progress_ratio",
    "guest_lost_seconds",
    "colocated_progress_ratio",
    "source_migration_cpu_seconds",
    "destination_migration_cpu_seconds",
  ];
  let checked = 0;
  for (const folder of folders) {
    let text: string;
    try {
      text = Deno.readTextFileSync(new URL("runs.csv", folder));
    } catch {
      continue;
    }
    for (const row of parseRunsCsv(text)) {
      const stamp = String(row.trace_file ?? "").replace(/\.qmp\.jsonl\.gz$/, "");
      let bytes: Uint8Array;
      try {
        bytes = Deno.readFileSync(new URL(`traces/${stamp}.progress.jsonl.gz`, folder));
      } catch {
        continue;
      }
      const lines = new TextDecoder().decode(gunzipSync(bytes)).trimEnd().split("\n")
        .map((l) => JSON.parse(l) as TraceLine);
      const got = progressCells(lines);
      for (const cell of cells) {
        assert.equal(
          String(got[cell] ?? ""),
          String(row[cell] ?? ""),
          `${folder.pathname}${stamp}: ${cell}`,
        );
      }
      checked++;
    }
  }
  // The collector's own --quick run (testdata/collect-quick) at least.
  assert.ok(checked >= 5, `checked ${checked} runs`);
});
