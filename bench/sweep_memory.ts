// Peak memory of a large Xen sweep: `deno run --allow-all bench/sweep_memory.ts 10`
// runs the benchmark grid scaled to 10 × 10^6 configurations with
// includeInputs: false and prints, as JSON, the peak resident set (VmHWM from
// /proc/self/status) next to the bytes of the output arrays. Linux only. It
// imports sweep() alone, so the baseline is the runtime plus the model code.
import { sweep } from "../src/models/sweep.ts";
import { benchGrid } from "./_grid.ts";

function statusBytes(field: string): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  if (!match) throw new Error(`sweep_memory: no ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}

const scale = Number(Deno.args[0] ?? "10");
const baseline = statusBytes("VmRSS");
const start = performance.now();
const result = sweep("xen-precopy", benchGrid(scale), { includeInputs: false });
const seconds = (performance.now() - start) / 1000;
const outputBytes = result.migrationTimeSeconds.byteLength +
  result.precopyTimeSeconds.byteLength + result.downtimeSeconds.byteLength +
  result.transferredBytes.byteLength + result.iterations.byteLength + result.stopCode.byteLength;
const peak = statusBytes("VmHWM");
console.log(JSON.stringify({
  configurations: result.length,
  output_bytes: outputBytes,
  baseline_rss_bytes: baseline,
  peak_rss_bytes: peak,
  rss_over_outputs: peak / outputBytes,
  seconds,
}));
