import assert from "node:assert/strict";
import { postcopyBlocktime } from "./postcopy_blocktime.ts";

const MIB = 2 ** 20;

Deno.test("postcopyBlocktime() waits as the fault model says, by hand", async (t) => {
  const base = { memoryBytes: 1024 * MIB, bandwidthBytesPerSecond: 100e6, pageBytes: 4096 };
  await t.step("no working set: only the background faults, K/B", () => {
    const input = { ...base, wssBytes: 0, dirtyPagesPerSecond: 0 };
    assert.equal(postcopyBlocktime(input), 0);
    assert.ok(Math.abs(postcopyBlocktime(input, { backgroundFaultBytes: 50e6 }) - 0.5) < 1e-12);
  });
  await t.step("a writer slower than the link waits only its fault cost per page", () => {
    // 64 MiB = 16384 pages at 1024 pages/s (4.2 MB/s < B): τ − 1/d = 2 µs per page.
    const input = { ...base, wssBytes: 64 * MIB, dirtyPagesPerSecond: 1024 };
    // The first pass, 16384 × (1/1024 + 2 µs) = 16.03 s, outlasts the phase M/B = 10.74 s:
    // the pages faulted are 10.74 / (1/1024 + 2e-6).
    const phase = 1024 * MIB / 100e6;
    const faulted = phase / (1 / 1024 + 2e-6);
    const seconds = postcopyBlocktime(input, { faultSeconds: 2e-6 });
    assert.ok(Math.abs(seconds - faulted * 2e-6) < 1e-12, String(seconds));
  });
  await t.step("a writer faster than the link is held to it: W/B − n/d", () => {
    // 256 MiB at 51200 pages/s (210 MB/s > B): 2.684 s at B against 1.28 s at its pace.
    const input = { ...base, wssBytes: 256 * MIB, dirtyPagesPerSecond: 51200 };
    const expected = 256 * MIB / 100e6 - 65536 / 51200;
    assert.ok(Math.abs(postcopyBlocktime(input) - expected) < 1e-9);
    const withBoth = postcopyBlocktime(input, { backgroundFaultBytes: 10e6, faultSeconds: 1e-6 });
    assert.ok(Math.abs(withBoth - (expected + 0.1 + 65536e-6)) < 1e-9);
  });
});

Deno.test("postcopyBlocktime() rejects bad options", () => {
  const input = {
    memoryBytes: 2 ** 30,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    bandwidthBytesPerSecond: 1e8,
  };
  assert.throws(() => postcopyBlocktime(input, { backgroundFaultBytes: -1 }), {
    name: "RangeError",
    message:
      'postcopyBlocktime: invalid option "backgroundFaultBytes", expected a finite number >= 0 bytes (got -1)',
  });
  assert.throws(() => postcopyBlocktime(input, { faultSeconds: "1" as unknown as number }), {
    name: "TypeError",
  });
});
