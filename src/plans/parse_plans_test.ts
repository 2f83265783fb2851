import assert from "node:assert/strict";
import { DatasetError } from "../data/dataset_error.ts";
import { loadPlans } from "./load_plans.ts";
import { parsePlans } from "./parse_plans.ts";

const NODES = "node,uplink_bytes_per_second,downlink_bytes_per_second\na,1e8,1e8\nb,2e8,1.5e8\n";
const HEAD =
  "plan,id,method,memory_bytes,wss_bytes,dirty_pages_per_second,source,destination,start_seconds,migration_time_seconds,note\n";

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DatasetError, String(error));
    return error.problems.map((p) => p.message);
  }
  assert.fail("expected a DatasetError");
}

Deno.test("parsePlans() reads plans, nodes and extra columns", () => {
  const text = HEAD + "p1,x,kvm-precopy,2e9,1e8,100,a,b,0,21,hello\n" +
    'p2,x,xen-precopy,1e9,0,0,b,a,3.5,,"quoted, text"\r\n' + "p1,y,kvm-postcopy,1e9,0,0,b,a,4,7,\n";
  const plans = parsePlans(text, NODES);
  assert.deepEqual(plans.map((p) => p.name), ["p1", "p2"]);
  assert.deepEqual(plans[0]!.migrations.map((m) => m.id), ["x", "y"]);
  assert.deepEqual(plans[0]!.migrations[0], {
    id: "x",
    method: "kvm-precopy",
    memoryBytes: 2e9,
    wssBytes: 1e8,
    dirtyPagesPerSecond: 100,
    source: "a",
    destination: "b",
    startSeconds: 0,
    migrationTimeSeconds: 21,
    extra: { note: "hello" },
  });
  assert.equal(plans[1]!.migrations[0]!.migrationTimeSeconds, undefined);
  assert.equal(plans[1]!.migrations[0]!.extra.note, "quoted, text");
  assert.deepEqual(plans[1]!.nodes.b, { uplinkBytesPerSecond: 2e8, downlinkBytesPerSecond: 1.5e8 });
});

Deno.test("parsePlans() lists every problem with file, line, column, value and expected unit", async (t) => {
  await t.step("bad cells", () => {
    const text = HEAD + "p1,x,kvm-precopy,-5,0,0,a,b,0,1,\n" + "p1,x,qemu,1e9,2e9,abc,a,z,0,0,\n" +
      "p1,w,kvm-precopy,1e9,0,0,a,a,,1,\n";
    assert.deepEqual(problemsOf(() => parsePlans(text, NODES, { migrationsFile: "m.csv" })), [
      'm.csv:2:18: column "memory_bytes": "-5" is not valid, expected bytes > 0',
      'm.csv:3:6: column "method": "qemu" is not a method, expected kvm-precopy, xen-precopy, kvm-postcopy',
      'm.csv:3:25: column "destination": "z" is not in the node table, expected a node of the node table',
      'm.csv:3:19: column "dirty_pages_per_second": "abc" is not valid, expected pages/s >= 0',
      'm.csv:3:29: column "migration_time_seconds": "0" is not valid, expected seconds > 0 or an empty cell',
      'm.csv:3:15: column "wss_bytes": W is larger than M, expected bytes <= memory_bytes (1000000000)',
      'm.csv:3:4: column "id": id "x" repeats in plan "p1", expected an id unique within its plan',
      'm.csv:4:28: column "destination": the destination is the source, expected another node',
      'm.csv:4:30: column "start_seconds": "" is not valid, expected seconds (a finite number)',
    ]);
  });
  await t.step("missing columns", () => {
    assert.deepEqual(problemsOf(() => parsePlans("plan,id\np,x\n", NODES)), [
      'migrations.csv:1:1: no column "method", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
      'migrations.csv:1:1: no column "source", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
      'migrations.csv:1:1: no column "destination", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
      'migrations.csv:1:1: no column "memory_bytes", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
      'migrations.csv:1:1: no column "wss_bytes", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
      'migrations.csv:1:1: no column "dirty_pages_per_second", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
      'migrations.csv:1:1: no column "start_seconds", expected a header with plan, id, method, source, destination, memory_bytes, wss_bytes, dirty_pages_per_second, start_seconds',
    ]);
  });
  await t.step("bad node table", () => {
    const nodes = "node,uplink_bytes_per_second,downlink_bytes_per_second\na,0,1e8\na,1e8,1e8\n";
    assert.deepEqual(problemsOf(() => parsePlans(HEAD, nodes, { nodesFile: "n.csv" })), [
      'n.csv:2:3: column "uplink_bytes_per_second": "0" is not valid, expected bytes/s > 0',
      'n.csv:3:1: column "node": node "a" is empty or repeated, expected a unique node name',
    ]);
  });
  await t.step("the error counts past maxProblems and says which file", () => {
    const rows = Array.from({ length: 5 }, (_, i) => `p,x${i},kvm-precopy,-1,0,0,a,b,0,1,\n`).join(
      "",
    );
    try {
      parsePlans(HEAD + rows, NODES, { maxProblems: 2 });
      assert.fail("expected a DatasetError");
    } catch (error) {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.problemCount, 5);
      assert.equal(error.problems.length, 2);
      assert.equal(error.file, "migrations.csv");
    }
  });
});

Deno.test("loadPlans() reads the Grid'5000 plans as converted", async () => {
  const plans = await loadPlans(new URL("../../data/g5k-plans/migrations.csv", import.meta.url));
  assert.equal(plans.length, 100);
  assert.equal(plans.flatMap((p) => p.migrations).length, 1000);
  assert.ok(plans.every((p) => p.migrations.length === 10));
  assert.deepEqual(plans[0]!.nodes["0"], {
    uplinkBytesPerSecond: 62.5e6,
    downlinkBytesPerSecond: 62.5e6,
  });
  assert.deepEqual(plans[0]!.nodes["3"], {
    uplinkBytesPerSecond: 125e6,
    downlinkBytesPerSecond: 125e6,
  });
  const all = plans.flatMap((p) => p.migrations);
  assert.ok(all.every((m) => m.method === "kvm-precopy" && m.wssBytes === 96e6));
  assert.ok(all.every((m) => m.migrationTimeSeconds !== undefined && m.migrationTimeSeconds > 0));
  assert.ok(all.every((m) => Number(m.extra.mvm_planned_duration_seconds) > 0));
  assert.deepEqual([...new Set(all.map((m) => m.memoryBytes))].sort(), [2e9, 3e9]);
});
