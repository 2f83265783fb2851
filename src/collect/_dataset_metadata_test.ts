import assert from "node:assert/strict";
import { PAPER_SETTINGS } from "./_testing.ts";
import { type CollectSession, datasetMetadata, type MetadataInput } from "./_dataset_metadata.ts";

const sitting = (started: string, points: number): CollectSession => ({
  started,
  updated: started,
  command_line: "deno task collect --out data/x",
  accelerator: "tcg",
  qemu_version: "QEMU emulator version 10.0.2",
  host_cpu: "AMD EPYC",
  host_cpus: 2,
  host_kernel: "Linux 6.18",
  host_load: "none",
  points_run: points,
});

const input = (previous: Record<string, unknown>, session: CollectSession): MetadataInput => ({
  ...PAPER_SETTINGS,
  name: "x",
  guest: { kernelRelease: "6.1.0-56-amd64", compiler: "gcc 12" },
  tcCommand: "tc qdisc add dev v root tbf rate 1000000000bit",
  fill: true,
  niceness: -10,
  baselineSeconds: 10,
  afterSeconds: 5,
  cpuIntervalSeconds: 0.1,
  clockTicksPerSecond: 100,
  previous,
  session,
  rows: [{ status: "completed" }, { status: "non-convergent" }, { status: "completed" }],
  now: new Date("2026-11-30T12:00:00Z"),
});

Deno.test("datasetMetadata() keeps earlier sittings and replaces the current one", () => {
  const first = datasetMetadata(input({}, sitting("2026-11-25T20:00:00.000Z", 3)));
  const again = datasetMetadata(input(first, sitting("2026-11-30T10:00:00.000Z", 1)));
  const later = datasetMetadata(
    input(again, { ...sitting("2026-11-30T10:00:00.000Z", 2), host_cpu: "Intel Xeon" }),
  );
  const sessions = later.sessions as CollectSession[];
  assert.deepEqual(sessions.map((s) => [s.started.slice(0, 10), s.points_run]), [
    ["2026-11-25", 3],
    ["2026-11-30", 2],
  ]);
  assert.equal(later.date, "2026-11-25 to 2026-11-30");
  assert.equal(later.host_cpu, "AMD EPYC + Intel Xeon");
  assert.deepEqual(later.row_counts, { completed: 2, "non-convergent": 1 });
});

Deno.test("datasetMetadata() states the setup the loader and the resume check read", () => {
  const meta = datasetMetadata(input({}, sitting("2026-11-30T10:00:00.000Z", 0)));
  assert.equal(meta.measured, true);
  assert.equal(meta.synthetic, false);
  assert.equal(meta.license, "CC-BY-4.0");
  assert.equal(meta.accelerator, "tcg");
  assert.match(String(meta.guest), /^1536 MiB, 1 vCPU, TCG, Debian kernel 6\.1\.0-56-amd64/);
  const setup = meta.setup as Record<string, unknown>;
  assert.equal(setup.vm_memory_bytes, 1610612736);
  assert.equal(setup.link_rate_bits_per_second, 1e9);
  assert.equal(setup.downtime_limit_seconds, 0.3);
  assert.equal(setup.fill, true);
  assert.equal(setup.baseline_seconds, 10);
  assert.equal(setup.after_seconds, 5);
  assert.match(String(meta.link), /^1 Gbit\/s/);
});

Deno.test("datasetMetadata() summarises the current sitting's disturbance from its rows", () => {
  const row = (started: string, load: number | string, delay: number | string, time: number) => ({
    status: "completed",
    started_at: started,
    host_load_average: load,
    source_migration_run_delay_seconds: delay,
    migration_time_seconds: time,
  });
  const first = datasetMetadata(input({}, sitting("2026-11-25T20:00:00.000Z", 1)));
  const meta = datasetMetadata({
    ...input(first, sitting("2026-12-02T03:00:00.000Z", 4)),
    rows: [
      row("2026-11-25T20:01:00.000Z", 9, 5, 10), // the earlier sitting: left out
      row("2026-12-02T03:01:00.000Z", 2.5, 0.1, 10),
      row("2026-12-02T03:02:00.000Z", "4.5", "0.8", 10), // as a resumed runs.csv holds it
      row("2026-12-02T03:03:00.000Z", 3, 0.4, 10),
      row("2026-12-02T03:04:00.000Z", "", "", 10), // written without the columns
    ],
  });
  const sessions = meta.sessions as CollectSession[];
  assert.deepEqual(sessions[1]!.disturbance, {
    rows_measured: 3,
    host_load_average: [2.5, 3, 4.5],
    source_migration_run_delay_fraction: [0.04, 0.08],
    rows_run_delay_over_5_percent: 1,
  });
  // The earlier sitting's entry is kept as it was written then.
  assert.deepEqual(sessions[0]!.disturbance, {
    rows_measured: 0,
    host_load_average: [],
    source_migration_run_delay_fraction: [],
    rows_run_delay_over_5_percent: 0,
  });
  assert.match(
    String((meta.columns as Record<string, string>).host_other_cpu_seconds),
    /\/proc\/stat/,
  );
});
