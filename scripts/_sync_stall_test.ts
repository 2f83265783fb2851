import assert from "node:assert/strict";
import type { SweepTrace } from "./_sweep_trace.ts";
import { readingsBySync, syncCadence, syncCostByDirtyPages } from "./_sync_stall.ts";

Deno.test("syncCadence() recovers a chunk length and a sync stall from whole-chunk gaps", () => {
  // SYNTHETIC exact counts k x 60 ms + 2 ms apart, k = 1, 2, 3, 1, 2.
  const at = [0, 0.5];
  for (const k of [1, 2, 3, 1, 2]) at.push(at[at.length - 1]! + k * 0.06 + 0.002);
  const trace: SweepTrace = { samples: [], syncSeconds: [0, ...at.slice(1)] };
  const c = syncCadence([trace]);
  assert.equal(c.gaps, 5);
  assert.ok(Math.abs(c.chunkSeconds - 0.06) < 1e-9);
  assert.ok(Math.abs(c.syncStallSeconds - 0.002) < 1e-9);
});

Deno.test("readingsBySync() splits readings by where the syncs fall", () => {
  // SYNTHETIC: samples every 0.2 s at 120 MB/s; one reading of 90 MB/s right after a sync.
  const samples = Array.from({ length: 10 }, (_, i) => ({
    timeSeconds: 0.2 * (i + 1),
    transferredBytes: 24e6 * (i + 1),
    readingBytesPerSecond: i === 5 ? 90e6 : 120e6,
    duplicatePages: 0,
    remainingBytes: 0,
  }));
  const r = readingsBySync([{ samples, syncSeconds: [0, 1.15] }]);
  assert.equal(r.syncInWindow.samples, 1);
  assert.equal(r.syncInWindow.lowShare, 1);
  assert.equal(r.syncBefore.samples, 0);
  assert.equal(r.neither.samples, 7);
  assert.equal(r.neither.medianBytesPerSecond, 120e6);
});

Deno.test("syncCostByDirtyPages() bins the syncs by newly dirty pages and gives the sending lost", () => {
  // SYNTHETIC: 120 MB/s every 0.2 s; the sync at 1.1 s adds 50,000 pages and costs 5 ms of sending.
  const samples = Array.from({ length: 10 }, (_, i) => ({
    timeSeconds: 0.2 * (i + 1),
    transferredBytes: 24e6 * (i + 1) - (i >= 5 ? 0.6e6 : 0),
    readingBytesPerSecond: 120e6,
    duplicatePages: 0,
    remainingBytes: 1e9 - 24e6 * (i + 1) * (4096 / 4104) + (i >= 5 ? 50_000 * 4096 : 0),
  }));
  const trace: SweepTrace = { samples, syncSeconds: [0, 1.1] };
  const bins = syncCostByDirtyPages([trace]);
  assert.deepEqual(bins.map((b) => b.intervals), [0, 1, 0]);
  assert.ok(Math.abs(bins[1]!.lostSeconds - 0.005) < 1e-6, String(bins[1]!.lostSeconds));
  assert.ok(
    Math.abs(bins[1]!.medianPages - (50_000 - 0.6e6 / 4104)) < 1,
    String(bins[1]!.medianPages),
  );
});
