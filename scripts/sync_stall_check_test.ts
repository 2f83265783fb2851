import assert from "node:assert/strict";
import { loadRuns } from "../src/data/load_runs.ts";
import { switchRuleValidation } from "../src/analysis/switch_rule_validation.ts";
import { synthetic } from "./_sweep_trace_testing.ts";
import { stopReading, syncStallLines } from "./sync_stall_check.ts";

const folder = new URL("../data/qemu-tcg-1gbit-downtime-limit", import.meta.url).pathname;

Deno.test("stopReading() gives the stop's previous sync, last reading and stop-and-copy rate", () => {
  const s = stopReading(synthetic, 0.25);
  assert.ok(Math.abs(s.previousSyncSeconds - 0.5005) < 1e-6);
  assert.equal(s.exactCounts, 2);
  assert.equal(s.lastReadingBytesPerSecond, 120e6);
  assert.ok(Math.abs(s.lastReadingBeforeSeconds - 0.6005) < 1e-6);
  assert.equal(s.stopAndCopyBytesPerSecond, 120e6);
  assert.ok(Math.abs(s.pendingPerLimit[0] - (30e6 * 4096) / 4104 / 0.25) < 1e-6);
  assert.ok(Math.abs(s.pendingPerLimit[1] - s.pendingPerLimit[0] - (100 * 4096) / 0.25) < 1e-6);
});

Deno.test("syncStallLines() on the measured sweep: syncs cost under 2 ms, every miss listed", async () => {
  const lines = await syncStallLines(folder, 118_987_500);
  const first = lines[0] ?? "";
  const cadence = /gap = k x ([\d.]+) ms \+ (-?[\d.]+) ms/.exec(first);
  assert.ok(cadence, first);
  // One check of QEMU's loop takes 55-65 ms on this host; a sync adds under 2 ms to it.
  assert.ok(Number(cadence[1]) > 55 && Number(cadence[1]) < 65, first);
  assert.ok(Math.abs(Number(cadence[2])) < 2, first);
  const { runs } = await loadRuns(`${folder}/runs.csv`);
  const v = switchRuleValidation(runs, { bandwidthBytesPerSecond: 118_987_500 });
  assert.equal(lines.filter((l) => l.startsWith("| WSS")).length, v.pauseMisses.length);
  assert.ok(lines.includes(
    `${
      v.pauses.length - v.pauseMisses.length
    } of ${v.pauses.length} pauses within 10 % or 100 ms at B = 119.0 MB/s; the misses:`,
  ));
});
