// Benchmarks the run loader on a 40,000-row CSV, the size of the largest public study of QEMU
// migrations. The rows are SYNTHETIC (seeded random values in the collector's column layout),
// made here in memory: they are for timing only and say nothing about migrations.
//
//   nice -n 19 deno bench --allow-all bench/load_bench.ts
//
// Measured 2026-11-25 (Deno 2.9.6, AMD EPYC, 2 cores shared with other jobs, nice 19), averages:
// parseRuns 40k-row CSV (5.0 MB) 98.9 ms; 40k-run JSON array (16.6 MB) 114.1 ms;
// toDataFrame 40k runs 50.5 ms. loadRuns from a file: median 98 ms.
// After the CSV path was tuned (21:22 UTC, same machine, load average about 2):
// parseRuns 40k-row CSV 52.8 ms; JSON array 86.7 ms (it shares only the row conversion with
// CSV); toDataFrame 33.9 ms.

import { parseRuns, toDataFrame } from "../mod.ts";

const ROWS = 40_000;

/** A seeded linear congruential generator in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Synthetic CSV in the collector's layout (not measurements). */
export function syntheticCsv(rows: number, seed = 1): string {
  const next = random(seed);
  const methods = ["xen-precopy", "kvm-precopy", "kvm-postcopy"];
  const contentions = ["none", "cpu", "network", "memory"];
  const lines = [
    "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,requested_dirty_pages_per_second," +
    "page_bytes,link_bandwidth_bytes_per_second,migration_time_seconds,downtime_seconds,transferred_bytes," +
    "iterations,status,run,downtime_limit_seconds,accelerator,message",
  ];
  for (let i = 0; i < rows; i++) {
    const memory = 1073741824 * (1 + Math.floor(next() * 8));
    const wss = Math.floor(next() * memory);
    const failed = next() < 0.02;
    lines.push([
      methods[i % 3],
      contentions[i % 4],
      memory,
      wss,
      (next() * 60000).toFixed(3),
      Math.floor(next() * 60000),
      4096,
      125000000,
      failed ? "" : (1 + next() * 60).toFixed(6),
      failed ? "" : (next() * 0.3).toFixed(6),
      failed ? "" : Math.floor(memory * (1 + next())),
      failed ? "" : Math.floor(next() * 30),
      failed ? "failed" : "completed",
      i % 5,
      0.3,
      "kvm",
      failed ? '"timeout, 600 s"' : "",
    ].join(","));
  }
  return lines.join("\n") + "\n";
}

const text = syntheticCsv(ROWS);
const { runs } = parseRuns(text);

Deno.bench("parseRuns() 40k-row CSV (synthetic)", () => {
  parseRuns(text, { fileName: "synthetic.csv" });
});

Deno.bench("toDataFrame() 40k runs (synthetic)", () => {
  toDataFrame(runs);
});

const json = JSON.stringify(runs);

Deno.bench("parseRuns() 40k-run JSON array (synthetic)", () => {
  parseRuns(json, { fileName: "synthetic.json" });
});
