import assert from "node:assert/strict";
import { type MigrationRun, parseRuns, toDataFrame } from "../../mod.ts";

const TEXT = [
  "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,downtime_seconds,status,run,host,load",
  "kvm-precopy,none,1073741824,268435456,5120.123456789,3.000000001,0.041,completed,0,a,0.5",
  "kvm-postcopy,cpu,1073741824,full,5120,8.6,,completed,1,b,",
  "xen-precopy,memory,1610612736,0,0,,,failed,2,,0.25",
].join("\n");

const FIELDS = [
  "method",
  "contention",
  "memoryBytes",
  "wssBytes",
  "dirtyPagesPerSecond",
  "pageBytes",
  "linkBandwidthBytesPerSecond",
  "migrationTimeSeconds",
  "downtimeSeconds",
  "transferredBytes",
  "iterations",
  "status",
  "run",
];
const REQUIRED = new Set(["migrationTimeSeconds"]);

/** Rebuilds runs from a frame (the inverse of toDataFrame): missing values (NaN, null) are left out. */
function fromFrame(frame: ReturnType<typeof toDataFrame>): MigrationRun[] {
  const rows = frame.values as unknown[][];
  return rows.map((row) => {
    const run: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    frame.columns.forEach((name, i) => {
      const value = row[i];
      const missing = value === null || (typeof value === "number" && Number.isNaN(value));
      if (FIELDS.includes(name)) {
        if (!missing || REQUIRED.has(name)) run[name] = value;
      } else if (!missing) extra[name] = value;
    });
    return { ...run, extra } as unknown as MigrationRun;
  });
}

Deno.test("toDataFrame() round-trips the loader's rows", () => {
  const { runs } = parseRuns(TEXT);
  const frame = toDataFrame(runs);
  assert.deepEqual(frame.shape, [3, 15]);
  assert.deepEqual(frame.columns, [...FIELDS, "host", "load"]);
  // float64 values survive (danfojs labels the column float32 but keeps the numbers).
  assert.equal(frame.column("migrationTimeSeconds").values[0], 3.000000001);
  assert.equal(frame.column("dirtyPagesPerSecond").values[0], 5120.123456789);
  assert.deepEqual(frame.column("host").values, ["a", "b", null]);
  assert.ok(Number.isNaN(frame.column("load").values[1]));
  const back = fromFrame(frame);
  assert.equal(back.length, runs.length);
  back.forEach((run, i) => {
    const original = runs[i] as MigrationRun;
    assert.deepEqual(Object.keys(run).sort(), Object.keys(original).sort());
    for (const key of Object.keys(original) as (keyof MigrationRun)[]) {
      if (typeof original[key] === "number" && Number.isNaN(original[key])) {
        assert.ok(Number.isNaN(run[key]));
      } else assert.deepEqual(run[key], original[key], `run ${i} ${key}`);
    }
  });
});

Deno.test("toDataFrame() groups and describes", () => {
  const { runs } = parseRuns(TEXT);
  const frame = toDataFrame(runs);
  const grouped = frame.groupby(["method"]).count();
  assert.equal(grouped.shape[0], 3);
  const described = frame.loc({ columns: ["memoryBytes", "wssBytes"] }).describe();
  assert.deepEqual(described.column("memoryBytes").values.slice(0, 2), [
    3,
    (2 * 1073741824 + 1610612736) / 3,
  ]);
});

Deno.test("toDataFrame() rejects what is not an array of runs", () => {
  assert.throws(() => toDataFrame("runs" as unknown as MigrationRun[]), {
    name: "TypeError",
    message: "toDataFrame: invalid runs, expected an array of runs (got string)",
  });
  assert.throws(() => toDataFrame([null as unknown as MigrationRun]), {
    name: "TypeError",
    message: "toDataFrame: invalid run 0, expected an object (got null)",
  });
});
