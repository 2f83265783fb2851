import assert from "node:assert/strict";
import { loadPlans, simulatePlan } from "../plans/mod.ts";
import { formatPlanTables } from "./format_plan_tables.ts";
import { CONCURRENT_NODES, concurrentPlans } from "./concurrent_plans.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import type { RunRow } from "./types.ts";

const RATE = 12.5e6;
const NODES = CONCURRENT_NODES.map((name) => ({
  name,
  uplinkBytesPerSecond: RATE,
  downlinkBytesPerSecond: RATE,
}));

/** Rows as the concurrent mode writes them, for every migration of the default plans. */
function rows(): RunRow[] {
  return concurrentPlans().flatMap((plan) =>
    plan.migrations.map((m, k): RunRow => ({
      method: "kvm-postcopy",
      contention: "none",
      memory_bytes: 134217728,
      wss_bytes: 0,
      dirty_pages_per_second: "",
      requested_dirty_pages_per_second: 0,
      status: k === 0 || plan.shape === "shared-uplink" ? "completed" : "failed",
      migration_time_seconds: 10 + k,
      source_migration_cpu_seconds: 2,
      ram_total_bytes: k === 0 ? 134750208 : "",
      zero_pages: k === 0 ? 12826 : "",
      page_bytes: 4096,
      trace_file: `${plan.id}_${m.id}.qmp.jsonl.gz`,
      plan: plan.id,
      plan_migration: m.id,
      source_node: m.source,
      destination_node: m.destination,
      plan_start_seconds: m.startSeconds + 0.25,
      plan_end_seconds: m.startSeconds + 10.25 + k,
    }))
  );
}

Deno.test("formatPlanTables() writes tables that loadPlans reads back", async () => {
  const { migrationsCsv, nodesCsv } = formatPlanTables(
    [{ method: "kvm-precopy", status: "completed" }, ...rows()],
    NODES,
  );
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/migrations.csv`, migrationsCsv);
    await Deno.writeTextFile(`${dir}/nodes.csv`, nodesCsv);
    const plans = await loadPlans(`${dir}/migrations.csv`);
    assert.deepEqual(plans.map((p) => p.name), ["shared-uplink-s4-r1", "shared-downlink-s4-r1"]);
    const [up, down] = plans;
    assert.deepEqual(Object.keys(up!.nodes), ["a", "b", "c"]);
    assert.equal(up!.nodes.a!.uplinkBytesPerSecond, RATE);
    assert.deepEqual(up!.migrations.map((m) => [m.id, m.source, m.destination, m.startSeconds]), [
      ["m1", "a", "b", 0.25],
      ["m2", "a", "c", 4.25],
    ]);
    assert.deepEqual(up!.migrations.map((m) => m.migrationTimeSeconds), [10, 11]);
    // A failed migration is in its plan, not measured.
    assert.equal(down!.migrations[1]!.migrationTimeSeconds, undefined);
    assert.equal(down!.migrations[1]!.extra.status, "failed");
    assert.equal(up!.migrations[0]!.extra.source_migration_cpu_fraction, "0.2");
    // Without QEMU's counts the VM's memory stands; with them, the memory less its zero pages.
    assert.deepEqual(up!.migrations.map((m) => m.memoryBytes), [82214912, 134217728]);
    assert.equal(up!.migrations[0]!.extra.zero_bytes, String(12826 * 4096));
    // simulatePlan takes the loaded plan: two post-copy flows over a's uplink.
    const sim = simulatePlan(up!);
    assert.ok(sim.migrations[1]!.endSeconds > 4.25 + 134217728 / RATE, "slowed by the first");
    assert.ok(sim.migrations[0]!.endSeconds > 0.25 + 82214912 / RATE, "slowed by the second");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("formatPlanTables() throws RangeError for a plan row it cannot write", () => {
  const [, row] = rows(); // no QEMU counts: the row's memory_bytes is needed
  assert.throws(
    () => formatPlanTables([{ ...row!, memory_bytes: "" }], NODES),
    /row 0, expected column "memory_bytes" a number/,
  );
  assert.throws(
    () => formatPlanTables([{ ...row!, method: "xen-precopy-typo" }], NODES),
    /expected column "method" one of/,
  );
});

Deno.test("the committed concurrent runs' plan tables are formatPlanTables of their runs.csv, and simulatePlan predicts each makespan", async () => {
  const dir = new URL("../../data/plans/qemu-tcg-concurrent/", import.meta.url);
  const runs = parseRunsCsv(await Deno.readTextFile(new URL("runs.csv", dir)));
  const plans = await loadPlans(new URL("migrations.csv", dir));
  const nodes = Object.entries(plans[0]!.nodes).map(([name, n]) => ({ name, ...n }));
  assert.equal(
    formatPlanTables(runs, nodes).migrationsCsv,
    await Deno.readTextFile(new URL("migrations.csv", dir)),
  );
  assert.ok(plans.length >= 3);
  for (const plan of plans) {
    const ends = plan.migrations.map((m) => m.startSeconds + m.migrationTimeSeconds!);
    const measured = Math.max(...ends) - Math.min(...plan.migrations.map((m) => m.startSeconds));
    const error = simulatePlan(plan).makespanSeconds / measured - 1;
    assert.ok(Math.abs(error) < 0.1, `${plan.name}: makespan error ${error}`);
  }
});
