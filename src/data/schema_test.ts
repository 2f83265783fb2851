import assert from "node:assert/strict";
import { RUN_COLUMNS } from "../collect/format_runs_csv.ts";
import { methodName, orderContentions, orderMethods } from "../plot/_style.ts";
import { columnNamesFor } from "./_columns.ts";
import { loadRuns } from "./load_runs.ts";
import { parseRuns } from "./parse_runs.ts";
import { CONTENTIONS, methodLabel, METHODS, RUN_SCHEMA, TYPED_COLUMNS } from "./schema.ts";
import { toDataFrame } from "./to_data_frame.ts";
import type { MigrationRun } from "./types.ts";

Deno.test("RUN_SCHEMA names each column, field and alias once", () => {
  const columns = RUN_SCHEMA.map((c) => c.column);
  assert.equal(new Set(columns).size, columns.length);
  const fields = TYPED_COLUMNS.map((c) => c.field);
  assert.equal(new Set(fields).size, fields.length);
  const names = TYPED_COLUMNS.flatMap(columnNamesFor);
  assert.equal(new Set(names).size, names.length, "a column name would fill two fields");
  for (const c of RUN_SCHEMA) {
    assert.ok(c.label !== "", `${c.column} has a label`);
    if (c.required) assert.ok(c.field !== undefined && c.group === "run", `${c.column} is typed`);
    if (c.known) assert.equal(c.dimension, "label");
  }
});

Deno.test("RUN_SCHEMA gives the collector's columns and the loader's units", () => {
  assert.deepEqual(RUN_COLUMNS, RUN_SCHEMA.map((c) => c.column));
  const units = Object.fromEntries(TYPED_COLUMNS.map((c) => [c.field, c.unit]));
  assert.equal(units.downtimeLimitSeconds, "seconds");
  assert.equal(units.requestedWssBytes, "bytes");
  assert.equal(units.requestedDirtyPagesPerSecond, "pages/s");
  const { runs, conversions } = parseRuns(
    "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds," +
      "downtime_limit_ms,requested_wss_mib,timeout_seconds\n" +
      "kvm-precopy,none,1e9,1e8,100,9.5,300,64,60\n",
  );
  assert.equal(runs[0]?.downtimeLimitSeconds, 0.3);
  assert.equal(runs[0]?.requestedWssBytes, 64 * 2 ** 20);
  assert.equal(runs[0]?.timeoutSeconds, 60);
  assert.deepEqual(runs[0]?.extra, {});
  assert.deepEqual(conversions.map((c) => [c.column, c.field, c.fromUnit, c.toUnit]), [
    ["downtime_limit_ms", "downtimeLimitSeconds", "ms", "seconds"],
    ["requested_wss_mib", "requestedWssBytes", "MiB", "bytes"],
  ]);
});

Deno.test("parseRuns() loads the QEMU collector's CSV with its extra columns", () => {
  // Hand-written in the collector's column layout (not a measurement).
  const text = [
    "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,requested_dirty_pages_per_second," +
    "page_bytes,link_bandwidth_bytes_per_second,migration_time_seconds,downtime_seconds,transferred_bytes," +
    "iterations,status,run,downtime_limit_seconds,accelerator,message",
    "kvm-precopy,none,1073741824,268435456,5012.5,5120,4096,125000000,9.81,0.041,1300000000,5,completed,0,0.3,kvm,",
    'kvm-precopy,none,1073741824,268435456,48000,51200,4096,125000000,,,,,failed,1,0.3,tcg,"timeout, 600 s"',
  ].join("\n");
  const { runs, notCompleted, warnings } = parseRuns(text, { fileName: "collect.csv" });
  assert.equal(runs.length, 2);
  // The collector's columns the analysis reads are typed fields; the rest stay in extra.
  const typed = (r?: MigrationRun) => [
    r?.requestedDirtyPagesPerSecond,
    r?.downtimeLimitSeconds,
    r?.accelerator,
  ];
  assert.deepEqual(runs[0]?.extra, {});
  assert.deepEqual(typed(runs[0]), [5120, 0.3, "kvm"]);
  assert.deepEqual(runs[1]?.extra, { message: "timeout, 600 s" });
  assert.deepEqual(typed(runs[1]), [51200, 0.3, "tcg"]);
  assert.equal(runs[1]?.status, "failed");
  assert.ok(Number.isNaN(runs[1]?.migrationTimeSeconds));
  assert.equal(runs[1]?.downtimeSeconds, undefined);
  assert.deepEqual(notCompleted, [1]);
  // "failed" is a known status: the run is listed in notCompleted, without a warning.
  assert.deepEqual(warnings, []);
});

Deno.test("parseRuns() warns about an unknown status, and keeps the run as not completed", () => {
  const header = "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second," +
    "migration_time_seconds,status";
  const text = `${header}\nkvm-postcopy,none,1e9,1e8,100,9.5,completed\n` +
    "kvm-postcopy,none,1e9,1e8,100,,non-convergent\nkvm-postcopy,none,1e9,1e8,100,,corrupt\n" +
    "kvm-postcopy,none,1e9,1e8,100,,failed\nkvm-postcopy,none,1e9,1e8,100,,cancelled\n";
  const { runs, notCompleted, warnings } = parseRuns(text, { fileName: "runs.csv" });
  assert.equal(runs.length, 5);
  assert.deepEqual(notCompleted, [1, 2, 3, 4]);
  assert.deepEqual(warnings.map((w) => [w.message, w.line, w.field]), [[
    'runs.csv: status "cancelled" is not one of "completed", "non-convergent", "failed", "corrupt"; kept as given',
    6,
    "status",
  ]]);
});

Deno.test("parseRuns() reads the collector's typed columns and checks them", async (t) => {
  const header = "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second," +
    "migration_time_seconds,requested_wss,postcopy_switch,qmp_downtime_seconds";
  await t.step('"full" requested WSS reads as the memory', () => {
    const { runs } = parseRuns(`${header}\nkvm-postcopy,none,1e9,1e8,100,9.5,full,immediate,\n`);
    assert.equal(runs[0]?.requestedWssBytes, 1e9);
    assert.equal(runs[0]?.postcopySwitch, "immediate");
    assert.equal(runs[0]?.qmpDowntimeSeconds, undefined);
  });
  await t.step("bad values are problems, unknown switches warnings", () => {
    assert.throws(() => parseRuns(`${header}\nkvm-postcopy,none,1e9,1e8,100,9.5,-1,,\n`), {
      name: "DatasetError",
      message: /column "requested_wss": -1 is negative, expected bytes >= 0/,
    });
    const { warnings } = parseRuns(`${header}\nkvm-postcopy,none,1e9,1e8,100,9.5,0,later,0.1\n`);
    assert.match(warnings[0]?.message ?? "", /postcopy_switch "later" is not one of/);
  });
  await t.step("our own runs as JSON read back", () => {
    const { runs } = parseRuns(`${header}\nkvm-postcopy,none,1e9,1e8,100,9.5,full,immediate,0.2\n`);
    const back = parseRuns(JSON.stringify(runs)).runs;
    assert.deepEqual(back, runs);
  });
});

Deno.test("loadRuns() reads the committed datasets with every method known", async () => {
  const url = new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url);
  const { runs, warnings, metadata } = await loadRuns(url);
  assert.equal(metadata?.hypervisor, "QEMU");
  assert.deepEqual(warnings.filter((w) => w.message.includes("is not one of")), []);
  assert.ok(runs.some((run) => run.method === "xen-precopy-policy"));
  const full = runs.filter((run) => run.wssBytes === run.memoryBytes);
  for (const run of runs) {
    assert.equal(typeof run.requestedDirtyPagesPerSecond, "number");
    assert.equal(typeof run.downtimeLimitSeconds, "number");
    assert.equal(run.accelerator, "tcg");
    assert.equal(run.extra.downtime_limit_seconds, undefined);
  }
  assert.ok(runs.some((run) => run.requestedWssBytes === run.memoryBytes));
  assert.equal(full.length, 0, "the dirtier's full WSS is less than the memory");
});

Deno.test("toDataFrame() adds the collector's typed fields that runs have", () => {
  const { runs } = parseRuns(
    "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,downtime_limit_seconds\n" +
      "kvm-precopy,none,1e9,1e8,100,9.5,0.3\nkvm-postcopy,none,1e9,1e8,100,9.5,\n",
  );
  const frame = toDataFrame(runs);
  assert.equal(frame.columns.at(-1), "downtimeLimitSeconds");
  assert.equal(frame.shape[1], 14);
  const values = frame.column("downtimeLimitSeconds").values as number[];
  assert.equal(values[0], 0.3);
  assert.ok(Number.isNaN(values[1]));
});

Deno.test("the figure styles read the schema's vocabulary", () => {
  assert.deepEqual(orderMethods(["other", "kvm-postcopy", ...METHODS.map((m) => m.name)]), [
    "xen-precopy",
    "xen-precopy-policy",
    "kvm-precopy",
    "kvm-postcopy",
    "other",
  ]);
  assert.deepEqual(orderContentions(["memory", "io", "none"]), ["none", "memory", "io"]);
  assert.deepEqual(CONTENTIONS.map((c) => c.name), ["none", "cpu", "network", "memory"]);
  for (const m of METHODS) assert.equal(methodName(m.name), methodLabel(m.name));
  assert.equal(methodName("xen-precopy-policy"), "Xen-rule pre-copy (QEMU)");
  assert.equal(methodName("qemu-multifd"), "qemu-multifd");
});
