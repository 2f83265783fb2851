// Resuming the committed datasets with this collector: the metadata check
// passes, only missing points are planned, old rows survive a rewrite with the
// new columns (empty), and the random write pattern keys points of its own.

import assert from "node:assert/strict";
import { readDataset } from "./_dataset_files.ts";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import { pendingPoints } from "./pending_points.ts";
import { planGrid } from "./plan_grid.ts";
import { pointKey } from "./point_key.ts";

const DATA = new URL("../../data/", import.meta.url).pathname;
const PAPER = {
  memoryBytes: 1610612736,
  linkBitsPerSecond: 125e6 * 8,
  downtimeLimitSeconds: 0.3,
  fill: true,
};

const NEW_COLUMNS = [
  "guest_progress_ratio",
  "guest_lost_seconds",
  "colocated_progress_ratio",
  "postcopy_blocktime_seconds",
  "postcopy_vcpu_blocktime_seconds",
  "source_migration_cpu_seconds",
  "destination_migration_cpu_seconds",
  "write_pattern",
  "host_cpu",
];

const DISTURBANCE_COLUMNS = [
  "source_migration_run_delay_seconds",
  "source_vcpu_run_delay_seconds",
  "host_other_cpu_seconds",
  "host_load_average",
];

Deno.test("a new sitting on data/qemu-tcg-1gbit with 2 repeats plans only the missing points", async () => {
  const dir = `${DATA}qemu-tcg-1gbit`;
  const { rows } = await readDataset(`${dir}/runs.csv`, `${dir}/qemu-tcg-1gbit.meta.json`, PAPER);
  const plan = planGrid({ repeats: 2 });
  assert.equal(plan.length, 672);
  const pending = pendingPoints(plan, rows);
  const done = new Set(rows.map((row) => pointKey(row)));
  assert.deepEqual(pending, plan.filter((point) => !done.has(pointKey(point))));
  // The first repeat is complete, so only second repeats are left, and some are.
  assert.ok(pending.every((point) => point.run === 2));
  assert.ok(pending.length > 0 && pending.length < 336, `${pending.length} pending`);
  assert.equal(pending.length, 672 - rows.filter((r) => Number(r.run) <= 2).length);
});

Deno.test("a sitting with another link or VM size is refused on a committed dataset", async () => {
  const dir = `${DATA}qemu-tcg-1gbit`;
  await assert.rejects(
    readDataset(`${dir}/runs.csv`, `${dir}/qemu-tcg-1gbit.meta.json`, {
      ...PAPER,
      linkBitsPerSecond: 5e8,
    }),
    {
      name: "RangeError",
      message: /expected link_rate_bits_per_second 1000000000 as in its metadata \(got 500000000\)/,
    },
  );
});

Deno.test("the downtime limit sweep resumes each of its sittings to nothing left to run", async () => {
  const dir = `${DATA}qemu-tcg-1gbit-downtime-limit`;
  const { rows, meta } = await readDataset(
    `${dir}/runs.csv`,
    `${dir}/qemu-tcg-1gbit-downtime-limit.meta.json`,
    PAPER,
  );
  // Each sitting swept its own WSS and limits (finer ones around each switch): the
  // grid its command line plans must be in the rows, whatever the other sittings ran.
  const sittings = meta.sessions as { command_line: string }[];
  assert.ok(sittings.length >= 2);
  const flag = (line: string, name: string) => line.match(new RegExp(`--${name} (\\S+)`))?.[1];
  for (const { command_line: line } of sittings) {
    const wss = flag(line, "wss")!.split(",").map((w) =>
      w === "full" ? "full" as const : w === "0" ? 0 : Number(w.replace("MiB", "")) * 2 ** 20
    );
    const plan = planGrid({
      wss,
      dirtyPagesPerSecond: [51200],
      contentions: ["none"],
      methods: ["kvm-precopy"],
      downtimeLimitsSeconds: flag(line, "downtime-limits")!.split(",").map(Number),
      repeats: Number(flag(line, "repeats") ?? 1),
    }).map((point) =>
      // As main.ts does for --write-pattern random.
      flag(line, "write-pattern") === "random"
        ? { ...point, writePattern: "random" as const }
        : point
    );
    assert.ok(plan.length > 0);
    assert.deepEqual(pendingPoints(plan, rows), [], line);
  }
});

Deno.test("committed rows survive a rewrite; the new columns stay empty on rows written before them", () => {
  for (const name of ["qemu-tcg-1gbit", "qemu-tcg-1gbit-downtime-limit"]) {
    const text = Deno.readTextFileSync(`${DATA}${name}/runs.csv`);
    const rows = parseRunsCsv(text);
    const again = parseRunsCsv(formatRunsCsv(rows, RUN_COLUMNS));
    assert.equal(again.length, rows.length);
    // The sweep's session-5 repeats have the disturbance columns; the grid's rows do not.
    const measured = rows.filter((r) => (r.host_load_average ?? "") !== "").length;
    assert.equal(measured > 0, name === "qemu-tcg-1gbit-downtime-limit", name);
    for (const [i, row] of rows.entries()) {
      for (const [column, cell] of Object.entries(row)) assert.equal(again[i]![column], cell);
      // Rows written before the disturbance columns (no host_load_average) keep them empty.
      if (row.host_load_average === undefined || row.host_load_average === "") {
        for (const column of DISTURBANCE_COLUMNS) assert.equal(again[i]![column], "", column);
      }
      // Rows written before the noise columns (no host_cpu) keep them empty.
      if (row.host_cpu === undefined || row.host_cpu === "") {
        for (const column of NEW_COLUMNS) {
          assert.equal(again[i]![column], "", `${name} row ${i}: ${column}`);
        }
      }
    }
  }
});

Deno.test("pointKey() keys the random write pattern apart; sweep keeps the old keys", () => {
  const point = {
    method: "kvm-precopy",
    contention: "none",
    wss: 128 * 2 ** 20,
    dirtyPagesPerSecond: 51200,
    run: 1,
  } as const;
  const row = {
    method: "kvm-precopy",
    contention: "none",
    requested_wss: String(128 * 2 ** 20),
    requested_dirty_pages_per_second: "51200",
    run: "1",
    status: "completed",
    downtime_limit_seconds: "1.2",
  };
  assert.equal(pointKey({ ...point, writePattern: "sweep" }), pointKey(point));
  assert.equal(pointKey({ ...row, write_pattern: "sweep" }), pointKey(row));
  const random = { ...point, writePattern: "random" } as const;
  assert.equal(pointKey(random), `${pointKey(point)}|pattern=random`);
  // A sweep row does not cover the random point; a random row does, with or without a limit.
  assert.deepEqual(pendingPoints([random, point], [row]), [random]);
  const randomRow = { ...row, write_pattern: "random" };
  assert.deepEqual(pendingPoints([random, point], [randomRow]), [point]);
  const limited = { ...random, downtimeLimitSeconds: 1.2 };
  assert.equal(pointKey(limited), pointKey(randomRow, { downtimeLimit: true }));
  assert.deepEqual(pendingPoints([limited], [randomRow]), []);
});
