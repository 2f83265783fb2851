// `deno task reproduce`: the toolkit's main job. For now it prints the
// models' predictions over the paper's experiment grid (section 3): a 1.5 GiB
// VM over Gigabit Ethernet, WSS x dirty rate. Later stages load measured
// data, fit, and write the figures.
import { bytesToMib, gibToBytes, kvmPostcopy, kvmPrecopy, mibToBytes, xenPrecopy } from "../mod.ts";

const memoryBytes = gibToBytes(1.5);
const bandwidthBytesPerSecond = 125e6;
const wssMib = [0, 64, 128, 256, 512, 1024, 1536];
const rates = [1024, 5120, 15360, 51200];

console.log(
  "Model predictions for the paper's grid: M = 1.5 GiB, B = 1 Gbit/s (125 MB/s), p = 4 KiB",
);
console.log(
  "(Xen: paper's T_pre without stop-and-copy; KVM pre-copy: downtime limit 0.3 s, gives up at 600 s)\n",
);
const header = [
  "WSS (MiB)",
  "dirty (pages/s)",
  "Xen T (s)",
  "Xen N",
  "Xen stop",
  "KVM pre T (s)",
  "KVM pre",
  "KVM post T (s)",
];
const rows = [header];
for (const wss of wssMib) {
  for (const rate of rates) {
    const input = {
      memoryBytes,
      wssBytes: mibToBytes(wss),
      dirtyPagesPerSecond: rate,
      bandwidthBytesPerSecond,
    };
    const xen = xenPrecopy(input);
    const kvm = kvmPrecopy(input);
    const post = kvmPostcopy(input);
    rows.push([
      wss === 1536 ? `${bytesToMib(memoryBytes)} (full)` : String(wss),
      String(rate),
      xen.timeSeconds.toFixed(2),
      String(xen.iterations),
      xen.stopReason,
      kvm.timeSeconds.toFixed(2),
      kvm.converged ? "converged" : `gave up (${kvm.stopReason})`,
      post.timeSeconds.toFixed(2),
    ]);
  }
}
const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join("  "));
