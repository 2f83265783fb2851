import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import { achievedDirtyRate, baseRow, statsFromQueryMigrate, traceStamp } from "./_run_row.ts";
import { PAPER_SETTINGS } from "./_testing.ts";
import type { CollectContention, CollectMethod, GridPoint } from "./types.ts";

const DATASET = new URL("../../data/qemu-tcg-1gbit/", import.meta.url);
const rows = parseRunsCsv(await Deno.readTextFile(new URL("runs.csv", DATASET)));

const SETTINGS = PAPER_SETTINGS;

function pointOf(row: Record<string, string | number | boolean>): GridPoint {
  const wss = String(row.requested_wss);
  return {
    method: row.method as CollectMethod,
    contention: row.contention as CollectContention,
    wss: wss === "full" ? "full" : Number(wss),
    dirtyPagesPerSecond: Number(row.requested_dirty_pages_per_second),
    run: Number(row.run),
  };
}

function traceLines(file: string): Array<{ query_migrate: Record<string, unknown> }> {
  const bytes = Deno.readFileSync(new URL(`traces/${file}`, DATASET));
  return new TextDecoder().decode(gunzipSync(bytes)).trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
}

Deno.test("traceStamp() names every committed run's trace file", () => {
  for (const row of rows) {
    assert.equal(`${traceStamp(pointOf(row))}.qmp.jsonl.gz`, row.trace_file);
  }
});

Deno.test("traceStamp() and baseRow() carry a sweep's downtime limit", () => {
  const point: GridPoint = {
    method: "kvm-precopy",
    contention: "none",
    wss: "full",
    dirtyPagesPerSecond: 51200,
    run: 1,
    downtimeLimitSeconds: 1.2,
  };
  assert.equal(traceStamp(point), "kvm-precopy_none_wfull_d51200_r1_l1.2");
  assert.equal(baseRow(point, {}, SETTINGS).downtime_limit_seconds, 1.2);
  const xen = { ...point, method: "xen-precopy-policy" } as const;
  assert.equal(baseRow(xen, {}, SETTINGS).downtime_limit_seconds, 0.001);
});

Deno.test("statsFromQueryMigrate() gives the committed cells from each run's trace", () => {
  const cells = [
    "migration_time_seconds",
    "transferred_bytes",
    "iterations",
    "ram_total_bytes",
    "zero_pages",
    "normal_pages",
    "throughput_bytes_per_second",
    "setup_time_seconds",
    "qmp_downtime_seconds",
  ];
  let checked = 0;
  for (const row of rows) {
    const lines = traceLines(String(row.trace_file)).map((l) => l.query_migrate);
    // A completed run's trace ends with the destination's reply; the source's last came before.
    const source = row.status === "completed" ? lines.slice(0, -1) : lines;
    let last = source.at(-1)!;
    if (last.ram === undefined) last = source.findLast((r) => r.ram !== undefined) ?? {};
    if (last["total-time"] === undefined) continue; // the collector's clock stood in
    const stats = statsFromQueryMigrate(last, Number.NaN);
    for (const cell of cells) {
      assert.equal(
        String(stats[cell] ?? ""),
        String(row[cell]),
        `${row.trace_file}: ${cell}`,
      );
    }
    checked++;
  }
  assert.ok(checked > 200, `checked ${checked} runs`);
});

Deno.test("statsFromQueryMigrate() falls back to the wall clock without total-time", () => {
  assert.deepEqual(statsFromQueryMigrate({ status: "failed" }, 12.34567), {
    migration_time_seconds: 12.346,
  });
});

Deno.test("baseRow() records the limit each method runs with and starts as failed", () => {
  const at = new Date("2026-11-30T00:00:00Z");
  const xen = baseRow(
    {
      method: "xen-precopy-policy",
      contention: "none",
      wss: "full",
      dirtyPagesPerSecond: 1024,
      run: 2,
    },
    {},
    SETTINGS,
    at,
  );
  assert.equal(xen.downtime_limit_seconds, 0.001);
  assert.equal(xen.timeout_seconds, 300);
  assert.equal(xen.status, "failed");
  assert.equal(xen.wss_bytes, "full");
  assert.equal(xen.postcopy_switch, "");
  assert.equal(xen.started_at, "2026-11-30T00:00:00.000Z");
  const pre = baseRow(
    {
      method: "kvm-precopy",
      contention: "cpu",
      wss: 64 * 2 ** 20,
      dirtyPagesPerSecond: 5120,
      run: 1,
    },
    { wss_bytes: 67100000, filler_bytes: 5 },
    SETTINGS,
    at,
  );
  assert.equal(pre.downtime_limit_seconds, 0.3);
  assert.equal(pre.timeout_seconds, 60);
  assert.equal(pre.wss_bytes, 67100000);
  assert.equal(pre.link_bandwidth_bytes_per_second, 125e6);
});

Deno.test("achievedDirtyRate() uses the first and last report in the window", () => {
  const lines = [
    { t: 1, text: "RATE t=10.0 pages=0" },
    { t: 2, text: "RATE t=11.0 pages=5000" },
    { t: 3, text: "noise" },
    { t: 4, text: "RATE t=13.0 pages=15360" },
    { t: 9, text: "RATE t=18.0 pages=99999" },
  ];
  assert.equal(achievedDirtyRate(lines, 1.5, 5), 5180);
  assert.equal(achievedDirtyRate(lines, 0, 4), 5120);
  assert.equal(achievedDirtyRate(lines, 3, 5), undefined);
});

Deno.test("baseRow() and traceStamp() record the write pattern and the host", () => {
  const point: GridPoint = {
    method: "kvm-precopy",
    contention: "none",
    wss: 128 * 2 ** 20,
    dirtyPagesPerSecond: 51200,
    run: 1,
    downtimeLimitSeconds: 0.9,
  };
  const sweep = baseRow(point, {}, SETTINGS);
  assert.equal(sweep.write_pattern, "sweep");
  assert.equal(sweep.host_cpu, SETTINGS.hostCpu);
  assert.equal(traceStamp(point), "kvm-precopy_none_w128_d51200_r1_l0.9");
  const random = { ...point, writePattern: "random" } as const;
  assert.equal(baseRow(random, {}, SETTINGS).write_pattern, "random");
  assert.equal(traceStamp(random), "kvm-precopy_none_w128_d51200_r1_l0.9_prandom");
  assert.equal(traceStamp({ ...point, writePattern: "sweep" }), traceStamp(point));
});
